"""Issue 21 point 2: the tab validates Entra ID tokens itself. No or bad token: 401; another tenant:
403; the person is found by `oid` with the bot's identity rule; local mode cannot be used when an
app id is set."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Iterator

import pytest

from config import Settings
from tests.web.tab_server import TabServer
from tests.web.tokens import APP_ID, OTHER_TENANT, STRANGER_KEY, TENANT, KeyServer, claims, sign, validator
from web.auth import BadToken, KeysUnavailable, WrongTenant

GRACE_OID = "00000000-0000-4000-8000-0000000000a1"  # the demo's governance person (store/demo/data.py)
COLIN_OID = "00000000-0000-4000-8000-0000000000a2"


async def test_a_good_token_gives_the_object_id_and_keys_are_fetched_once_off_the_loop() -> None:
    keys = KeyServer()
    check = validator(keys)
    tokens = [sign(claims(GRACE_OID)) for _ in range(20)]
    found = await asyncio.gather(*(check.validate(f"Bearer {t}") for t in tokens))
    assert {f.object_id for f in found} == {GRACE_OID} and found[0].tenant_id == TENANT
    assert len(keys.threads) == 1 and keys.threads[0] is not threading.main_thread()


async def test_v2_tokens_with_the_app_id_as_audience_are_accepted() -> None:
    payload = claims(GRACE_OID, aud=APP_ID, iss=f"https://login.microsoftonline.com/{TENANT}/v2.0")
    assert (await validator().validate("Bearer " + sign(payload))).object_id == GRACE_OID


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "no bearer token"),
        ("Basic abc", "no bearer token"),
        ("Bearer not-a-jwt", "malformed"),
        ("Bearer " + sign(claims(GRACE_OID, exp=int(time.time()) - 3600)), "expired"),
        ("Bearer " + sign(claims(GRACE_OID, exp=None)), "exp"),
        ("Bearer " + sign(claims(GRACE_OID, aud="api://elsewhere/99999999-0000-0000-0000-000000000000")), "audience"),
        ("Bearer " + sign(claims(GRACE_OID, scp="User.Read")), "access_as_user"),
        ("Bearer " + sign(claims(GRACE_OID, iss="https://evil.example/")), "issuer"),
        ("Bearer " + sign(claims(GRACE_OID, iss=f"https://sts.windows.net/{OTHER_TENANT}/")), "issuer"),
        ("Bearer " + sign(claims(GRACE_OID), key=STRANGER_KEY), "Signature"),
        ("Bearer " + sign(claims(GRACE_OID), kid="unknown-key"), "signing key"),
        ("Bearer " + sign(claims(GRACE_OID), alg="RS512"), "RS256"),
    ],
    ids=[
        "none",
        "basic",
        "malformed",
        "expired",
        "no-exp",
        "audience",
        "scope",
        "issuer",
        "other-issuer",
        "key",
        "kid",
        "alg",
    ],
)
async def test_bad_tokens_are_refused_with_the_reason(header: str | None, reason: str) -> None:
    with pytest.raises(BadToken) as refused:
        await validator().validate(header)
    assert reason.lower() in refused.value.reason.lower()


async def test_another_tenant_is_wrong_tenant_and_keys_down_is_unavailable() -> None:
    other = claims(GRACE_OID, tid=OTHER_TENANT, iss=f"https://sts.windows.net/{OTHER_TENANT}/")
    with pytest.raises(WrongTenant):
        await validator().validate("Bearer " + sign(other))
    with pytest.raises(WrongTenant):  # no allowed tenant configured: nobody's tenant is served
        await validator(tenants=()).validate("Bearer " + sign(claims(GRACE_OID)))
    with pytest.raises(KeysUnavailable):
        await validator(KeyServer(down=True)).validate("Bearer " + sign(claims(GRACE_OID)))


@pytest.fixture
def signed_in_tab(sqlite_url: str) -> Iterator[TabServer]:
    settings = Settings(database_url=sqlite_url, app_id=APP_ID, allowed_tenant_ids=(TENANT,))
    with TabServer(sqlite_url, settings=settings, validator=validator()) as tab:
        yield tab


def test_over_http_401_403_and_the_person_behind_the_token(signed_in_tab: TabServer) -> None:
    tab = signed_in_tab
    assert tab.get("/api/tab/config").json() == {"localMode": False, "appId": APP_ID}
    me = tab.get("/api/tab/me", token=sign(claims(GRACE_OID))).json()
    assert me["name"] == "Grace Gordon" and me["governance"] is True
    colin = tab.get("/api/tab/grid", token=sign(claims(COLIN_OID)), params={"page_size": 100}).json()
    assert colin["rows"] and {r["group"] for r in colin["rows"]} == {"Met Operations"}

    assert tab.get("/api/tab/grid").status_code == 401
    assert tab.get("/api/tab/grid", token=sign(claims(GRACE_OID, scp="User.Read"))).status_code == 401
    other = claims(GRACE_OID, tid=OTHER_TENANT, iss=f"https://sts.windows.net/{OTHER_TENANT}/")
    refused = tab.get("/api/tab/grid", token=sign(other))
    assert refused.status_code == 403 and refused.json()["code"] == "tenant"
    stranger = tab.get(
        "/api/tab/me", token=sign(claims("99999999-9999-4999-8999-999999999999", preferred_username=None))
    )
    assert stranger.status_code == 403 and "not on the tracker" in stranger.json()["error"]


def test_local_mode_is_refused_when_an_app_id_is_set(signed_in_tab: TabServer) -> None:
    tab = signed_in_tab
    picked = tab.get("/api/tab/grid", person="grace")
    assert picked.status_code == 403 and picked.json()["code"] == "local_mode_off"
    with_token = tab.get("/api/tab/grid", person="grace", token=sign(claims(GRACE_OID)))
    assert with_token.status_code == 403, "a token does not make the demo header acceptable"
    assert tab.get("/api/tab/local/people").status_code == 403


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_unknown_key_ids_refetch_at_most_once_a_minute_and_cached_keys_survive_an_outage() -> None:
    keys, clock = KeyServer(), _Clock()
    check = validator(keys)
    check._keys._clock = clock  # the validator's key cache, on a clock the test moves
    await check.validate("Bearer " + sign(claims(GRACE_OID)))
    for _ in range(5):  # a flood of tokens naming unknown keys, just after a fetch, costs no fetch
        with pytest.raises(BadToken):
            await check.validate("Bearer " + sign(claims(GRACE_OID), kid="rotated-key"))
    assert len(keys.threads) == 1
    clock.now += 61
    for _ in range(5):  # a minute later: one fetch for the lot
        with pytest.raises(BadToken):
            await check.validate("Bearer " + sign(claims(GRACE_OID), kid="rotated-key"))
    assert len(keys.threads) == 2
    keys.down = True
    clock.now += 25 * 3600  # the cache is a day old and Entra ID is unreachable: keep the keys we have
    assert (await check.validate("Bearer " + sign(claims(GRACE_OID)))).object_id == GRACE_OID
    assert len(keys.threads) == 3
