"""What both hosts require of a token beyond their SDK's checks (issue 25 point 4).

Both SDKs verify `exp` only when a token has one, and accept any lifetime. A token without `exp`, or
whose `exp` lies further ahead than Microsoft Entra ID lets any access token live (one day, the
maximum configurable lifetime; Bot Framework tokens live an hour), is refused here. Both SDKs verify
signatures with RS256 only (SECURITY.md lists each algorithm and what happens to it).
"""

from __future__ import annotations

import math
import time
from typing import Any, Callable, Mapping

from bot.platform.base import AuthenticationFailed

__all__ = ["MAX_TOKEN_LIFETIME_SECONDS", "CLOCK_SKEW_SECONDS", "check_lifetime"]

MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600
CLOCK_SKEW_SECONDS = 300  # both SDKs allow five minutes of clock difference


def check_lifetime(claims: Mapping[str, Any], clock: Callable[[], float] = time.time) -> None:
    """Raise AuthenticationFailed unless the (verified) claims carry a sane `exp`."""
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)) or not math.isfinite(exp):
        raise AuthenticationFailed("the token has no numeric expiry (exp)")
    if exp > clock() + MAX_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS:
        raise AuthenticationFailed("the token expires later than any Entra ID token may live")
