"""The settings' secrets (config.py): when LINK_SECRET may sign download links, and how a secret
setting is shown (never its value). Kept apart from the settings model so the rules about secrets
are read in one place.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from observability.redaction import REDACTED, redact_urls

__all__ = [
    "MIN_LINK_SECRET_LENGTH",
    "MIN_LINK_SECRET_BITS",
    "MAKE_A_SECRET",
    "SECRET_FIELDS",
    "estimated_bits",
    "url_password",
    "link_secret_problem",
    "shown",
]

MIN_LINK_SECRET_LENGTH = 32
# What the secret's own characters say it holds at least (length x Shannon entropy of its character
# frequencies): 40 spaces or "a" x 36 hold nothing; token_urlsafe(48) holds about 350 bits.
MIN_LINK_SECRET_BITS = 128
MAKE_A_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
# Fields that hold a secret: never shown by repr or str (the database URL is shown with its password
# hidden). They stay plain strings for the code that hands them on (bot/platform, web/auth).
SECRET_FIELDS = frozenset({"app_password", "link_secret", "metrics_token"})
_SECRET_WORDS = re.compile(r"SECRET|PASSWORD|KEY|TOKEN|CERT|PRIVATE", re.IGNORECASE)


def estimated_bits(secret: str) -> float:
    """An upper estimate of the entropy in ``secret``: its length times the Shannon entropy of the
    frequencies of its characters (so repeats and a small alphabet count for little)."""
    if not secret:
        return 0.0
    counts = Counter(secret).values()
    per_character = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts)
    return per_character * len(secret)


def url_password(url: str) -> str:
    from sqlalchemy.engine import make_url  # only when a secret is checked: config stays light
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).password or ""
    except (ArgumentError, ValueError):
        return ""


def link_secret_problem(secret: str, *, other_secrets: Mapping[str, str]) -> str | None:
    """Why ``secret`` must not sign download links, naming what to do instead; None when it may."""
    how = f"Make one with `{MAKE_A_SECRET}`; it signs the panel pack's download links."
    if not secret:
        return (
            "LINK_SECRET is not set. With MicrosoftAppId set, set LINK_SECRET to a random value of at least "
            f"{MIN_LINK_SECRET_LENGTH} characters. {how}"
        )
    if len(secret) < MIN_LINK_SECRET_LENGTH:
        return (
            f"LINK_SECRET is only {len(secret)} characters: it needs at least {MIN_LINK_SECRET_LENGTH} "
            f"random ones. {how}"
        )
    if estimated_bits(secret) < MIN_LINK_SECRET_BITS:
        return (
            "LINK_SECRET is too predictable (too few different characters, or the same ones repeated): "
            f"it needs a random value. {how}"
        )
    for name, other in other_secrets.items():
        if other and secret == other:
            return f"LINK_SECRET must not be the same as {name}: each secret needs a value of its own. {how}"
    return None


def shown(name: str, value: Any) -> Any:
    """A setting as repr and str show it: secrets as set or not, the database URL without its password,
    the Agents SDK's own variables with anything secret-named hidden."""
    if name in SECRET_FIELDS:
        return REDACTED if value else ""
    if name == "database_url":
        return redact_urls(str(value))
    if name == "agents_env":  # the SDK's own names carry its client secret, certificates...
        return tuple((k, REDACTED if _SECRET_WORDS.search(k) else redact_urls(v)) for k, v in value)
    return value
