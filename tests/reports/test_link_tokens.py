"""Issue 25 finding 2: no download-link token, however hostile, gets a 500 from GET /reports/{token}.

`GET /reports/%C3%A9.1.1.x` once made reports/links.py encode the payload as ASCII before checking the
signature, and genuinely signed links for 0001-01-01 or 9999-12-31 reached the calendar and pandas.
Every token now gets a 4xx (or the file), one WARNING line and no traceback.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config import Settings
from reports.links import LinkError, sign_report_token, verify_report_token
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot

SECRET = "Zq3v8K1m-Wc0pXe7Rt4YhB9sLn2Ud6Fa_Gj5Ik0Ho3Vw"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))


def signed(day: str, expires: int | str, person: int | str = 1, *, secret: str = SECRET) -> str:
    """A token with a genuine signature over whatever parts it is given (what holding the key allows)."""
    payload = f"{day}.{expires}.{person}"
    digest = hmac.new(secret.encode(), payload.encode("utf-8"), hashlib.sha256).digest()
    return f"{payload}.{base64.urlsafe_b64encode(digest).rstrip(b'=').decode()}"


SOON = int((NOW + timedelta(minutes=10)).timestamp())
EXTREME_DATES = st.sampled_from(
    ["0001-01-01", "9999-12-31", "1677-09-21", "2262-04-12", "0000-00-00"]
) | st.dates().map(date.isoformat)
EXPIRIES = st.sampled_from([SOON, 0, -1, 10**11, 253402300799, 10**30]) | st.integers(-(2**40), 2**40)
HOSTILE = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(min_codepoint=0x80), min_size=1, max_size=20).map(lambda s: f"{s}.1.1.x"),
    st.builds(signed, EXTREME_DATES, EXPIRIES, st.integers(-5, 10**13)),
    st.builds(
        lambda d, e, p, s: f"{d}.{e}.{p}.{s}", EXTREME_DATES, EXPIRIES, st.text(max_size=4), st.text(max_size=50)
    ),
)


@settings(max_examples=EXAMPLES * 10, deadline=None, suppress_health_check=list(HealthCheck))
@given(token=HOSTILE)
def test_verification_refuses_any_hostile_token_with_a_link_error(token: str) -> None:
    try:
        grant = verify_report_token(SECRET, token, NOW)
    except LinkError:
        return
    # Only a genuine token for a report near today may pass.
    assert abs(grant.as_of - NOW.date()) <= timedelta(days=2), token


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2262-04-12", "1900-01-01"])
def test_a_genuinely_signed_far_off_date_is_refused(day: str) -> None:
    with pytest.raises(LinkError):
        verify_report_token(SECRET, signed(day, SOON), NOW)
    with pytest.raises(LinkError):  # nor may a far-off expiry carry a far-off date past the check
        verify_report_token(SECRET, signed(day, int(datetime(9999, 12, 31, tzinfo=timezone.utc).timestamp())), NOW)


def test_the_server_signs_only_todays_report_for_a_short_while() -> None:
    with pytest.raises(ValueError):
        sign_report_token(SECRET, date(9999, 12, 31), NOW, made_for=1)
    with pytest.raises(ValueError):
        sign_report_token(SECRET, NOW.date(), NOW, made_for=1, lifetime=timedelta(days=400))


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_hostile_tokens_over_http_get_a_4xx_one_warning_and_no_traceback(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    examples: list[str] = [
        "%C3%A9.1.1.x",  # already percent-encoded: sent as is
        quote(signed("0001-01-01", SOON)),
        quote(signed("9999-12-31", SOON)),
        quote(signed("9999-12-31", 253402300799)),
        quote(signed("0001-01-01", 10**30)),
        quote("é" * 40),
        "%FF%FE.1.1.x",
        "a%0Ab",
        "%7B%7D",
    ]

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(token=HOSTILE.filter(lambda t: t not in ("", ".", "..")))
    def collect(token: str) -> None:
        # A lone surrogate goes out as the invalid UTF-8 bytes a hostile client could send.
        examples.append(quote(token.encode("utf-8", "surrogatepass"), safe=""))

    collect()
    settings_ = Settings(database_url=sqlite_url, link_secret=SECRET)
    async with LiveBot.running(sqlite_url, clock=lambda: NOW, settings=settings_) as live:
        for path in examples:
            caplog.clear()
            with caplog.at_level(logging.INFO):
                async with live.http.get(f"{live.url}/reports/{path}") as response:
                    status = response.status
            assert 400 <= status < 500, (path, status)
            assert not _tracebacks(caplog), path
            warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "download" in r.getMessage()]
            assert len(warnings) == 1, (path, [r.getMessage() for r in caplog.records])
