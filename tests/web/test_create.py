"""Issue 21 point 3 (governance adds a new audit and new inspection items) and 5 (same services, a
history row naming who made it in the tab): POST /api/tab/audits and /api/tab/items, all or nothing."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
import requests
from sqlalchemy import func, select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, Audit, HistoryEntry, InspectionItem
from tests.new_audit import AUDIT as NEW_AUDIT
from tests.new_audit import GRACE, OLIVIA, new_action
from tests.web.tab_server import TabServer

# the page's form sends every field, the optional ones empty
AUDIT = NEW_AUDIT | {"restricted": "no", "follows": ""}


def _action(**fields: Any) -> dict[str, Any]:
    return new_action(ref="", key_theme="") | fields


@pytest.fixture
def tab(database_url: str) -> Iterator[TabServer]:
    with TabServer(database_url) as server:
        yield server


def _post(tab: TabServer, path: str, body: Any, person: str = "grace") -> requests.Response:
    return tab.http.post(f"{tab.base}{path}", json=body, headers={"X-Tab-Person": str(tab.ids[person])}, timeout=30)


def _rows(database_url: str) -> dict[str, Any]:
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        found = {
            "counts": tuple(
                s.scalar(select(func.count()).select_from(m)) for m in (Audit, Action, InspectionItem, HistoryEntry)
            ),
            "history": [
                tuple(h)
                for h in s.execute(
                    select(HistoryEntry.entity_ref, HistoryEntry.field, HistoryEntry.actor, HistoryEntry.channel)
                    .where(HistoryEntry.entity_ref.like("DARA-2026-31%") | HistoryEntry.entity_ref.like("HMI-2026-9%"))
                    .order_by(HistoryEntry.id)
                )
            ],
        }
    engine.dispose()
    return found


def test_governance_adds_an_audit_with_two_actions_found_in_the_grid(tab: TabServer, database_url: str) -> None:
    before = _rows(database_url)["counts"]
    response = _post(tab, "/api/tab/audits", {"audit": AUDIT, "actions": [_action(), _action(risk="medium")]})
    assert response.status_code == 201, response.text
    assert response.json() == {
        "outcome": "created",
        "refs": ["DARA-2026-31", "DARA-2026-31-001", "DARA-2026-31-002"],
        "message": "Added DARA-2026-31 and its 2 actions: DARA-2026-31-001, DARA-2026-31-002.",
    }
    after = _rows(database_url)
    assert after["counts"] == (before[0] + 1, before[1] + 2, before[2], before[3] + 3)
    assert after["history"] == [
        ("DARA-2026-31", "_created", GRACE, "tab"),
        ("DARA-2026-31-001", "_created", GRACE, "tab"),
        ("DARA-2026-31-002", "_created", GRACE, "tab"),
    ]
    grid = tab.get("/api/tab/grid", person="grace", params={"audit": "DARA-2026-31"}).json()
    assert sorted((r["ref"], r["status"], r["owner"]) for r in grid["rows"]) == [
        ("DARA-2026-31-001", "open", "Olivia Owen"),
        ("DARA-2026-31-002", "open", "Olivia Owen"),
    ]
    mine = tab.get("/api/tab/grid", person="olivia", params={"q": "DARA-2026-31"}).json()
    assert {r["ref"] for r in mine["rows"]} == {"DARA-2026-31-001", "DARA-2026-31-002"}


def test_a_bad_row_adds_nothing_and_every_problem_names_its_row_and_field(tab: TabServer, database_url: str) -> None:
    before = _rows(database_url)["counts"]
    actions = [_action(), _action(owner_email="nobody@met.police.example", due_date="2027-02-30")]
    response = _post(tab, "/api/tab/audits", {"audit": dict(AUDIT, assurance="partial"), "actions": actions})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "Nothing was added: 3 problems to fix."
    assert [(p["section"], p["row"], p["field"], p["message"]) for p in body["problems"]] == [
        ("actions", 2, "due_date", "'2027-02-30' is not a date: use an Excel date or YYYY-MM-DD"),
        ("actions", 2, "owner_email", "owner 'nobody@met.police.example' is not on the People sheet or in the tracker"),
        ("audit", 1, "assurance", "'partial' is not one of: substantial, adequate, limited, no assurance, not graded"),
    ]
    assert body["problems"][0]["line"].startswith("actions row 2, column due_date: ")
    assert _rows(database_url)["counts"] == before


@pytest.mark.parametrize("person", ["colin", "sam", "olivia"])
def test_every_other_role_is_refused_and_nothing_is_added(tab: TabServer, database_url: str, person: str) -> None:
    before = _rows(database_url)["counts"]
    audit = _post(tab, "/api/tab/audits", {"audit": AUDIT, "actions": [_action()]}, person)
    item = {"ref": "HMI-2026-901", "inspection": "PEEL", "inspection_year": "2026/27", "scope": "force", "kind": "rec"}
    items = _post(tab, "/api/tab/items", {"items": [item]}, person)
    assert (audit.status_code, items.status_code) == (403, 403)
    assert audit.json()["error"] == "Only Strategy & Governance add audits and inspection items to the tracker."
    assert _rows(database_url)["counts"] == before


def test_governance_adds_inspection_items(tab: TabServer, database_url: str) -> None:
    shared = {"inspection": "PEEL 2026", "inspection_year": "2026/27", "scope": "force", "theme": "PEEL"}
    items = [
        shared | {"ref": "HMI-2026-901", "kind": "rec", "owner_email": OLIVIA, "business_group": "Met Operations"},
        shared | {"ref": "HMI-2026-902", "kind": "afi & rec", "status": "closed", "closed_on": "2026-11-20"},
    ]
    response = _post(tab, "/api/tab/items", {"items": items})
    assert response.status_code == 201, response.text
    assert response.json()["message"] == "Added 2 inspection items: HMI-2026-901, HMI-2026-902."
    detail = tab.get("/api/tab/items/HMI-2026-902", person="grace").json()
    assert (detail["item_kind"], detail["status"], detail["theme"]) == ("afi & rec", "closed", "PEEL")
    assert _rows(database_url)["history"] == [
        ("HMI-2026-901", "_created", GRACE, "tab"),
        ("HMI-2026-902", "_created", GRACE, "tab"),
    ]
    again = _post(tab, "/api/tab/items", {"items": items[:1]})
    assert again.status_code == 422
    assert again.json()["problems"][0]["message"] == (
        "ref 'HMI-2026-901' is already on the tracker: give a new one, or change the existing one on its page"
    )


@pytest.mark.parametrize(
    "body, words",
    [
        ("not json", "send a JSON object"),
        ({"audit": AUDIT}, "actions must be a list"),
        ({"audit": AUDIT, "actions": [["x"]]}, "each of actions must be an object of text values"),
        ({"audit": AUDIT, "actions": [], "extra": 1}, "unknown part 'extra': send actions, audit"),
        ({"audit": AUDIT, "actions": [_action()] * 501}, "at most 500 actions at once: upload a workbook for more"),
    ],
)
def test_a_malformed_body_is_a_400_naming_what_to_fix(tab: TabServer, body: Any, words: str) -> None:
    response = (
        tab.http.post(
            f"{tab.base}/api/tab/audits", data=body, headers={"X-Tab-Person": str(tab.ids["grace"])}, timeout=30
        )
        if isinstance(body, str)
        else _post(tab, "/api/tab/audits", body)
    )
    assert (response.status_code, response.json()["error"]) == (400, words)


def test_any_json_to_the_new_routes_is_answered_never_a_500(tab: TabServer) -> None:
    """Hostile or careless bodies (any JSON shape, the real field names among others) get a 4xx or a
    201, never a server error."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    names = st.sampled_from(["audit", "actions", "items", "version", "status", "audit_id", "ref", "due_date", "x"])
    leaves = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=12)
    )
    bodies = st.recursive(
        leaves, lambda c: st.lists(c, max_size=3) | st.dictionaries(names, c, max_size=4), max_leaves=10
    )
    ref = tab.get("/api/tab/grid", person="grace", params={"source": "dara", "status": "open"}).json()["rows"][0]["ref"]

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(body=bodies, route=st.sampled_from(["/api/tab/audits", "/api/tab/items", f"/api/tab/actions/{ref}/update"]))
    def post(body: Any, route: str) -> None:
        response = _post(tab, route, body)
        assert response.status_code < 500, response.text

    post()
