"""Issue 21 point 4: governance uploads a workbook from the tab. The preview shows what would be added,
changed and closed and stores nothing; "apply" stores exactly that, all or nothing, with history rows
naming the person (channel "tab"); problems get the command line's words; size is capped."""

from __future__ import annotations

import io
from typing import Any, Iterator

import pytest
from sqlalchemy import select

from cards.import_wording import problem_lines, problems_heading
from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, HistoryEntry
from tests.web.tab_server import TabServer
from tests.web.workbooks import edited, exported, quarter_changes
from web.received import MAX_UPLOAD_BYTES

GRACE_EMAIL = "grace.gordon@met.police.example"


@pytest.fixture
def tab(database_url: str) -> Iterator[TabServer]:
    with TabServer(database_url) as server:
        yield server


def _headers(tab: TabServer, person: str) -> dict[str, str]:
    return {"X-Tab-Person": str(tab.ids[person])}


def post(tab: TabServer, step: str, body: bytes, person: str = "grace", **fields: str):
    return tab.http.post(
        f"{tab.base}/api/tab/import/{step}",
        headers=_headers(tab, person),
        files={"file": ("quarter.xlsx", body)},
        data=fields,
        timeout=60,
    )


def _actions(url: str) -> dict[str, tuple[str, str]]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        found = {r: (d, st) for r, d, st in s.execute(select(Action.ref, Action.description, Action.status))}
    engine.dispose()
    return found


def _history(url: str) -> list[tuple[str, str, str]]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        rows = s.execute(
            select(HistoryEntry.actor, HistoryEntry.channel, HistoryEntry.entity_ref).order_by(HistoryEntry.id)
        )
        found = [tuple(r) for r in rows]
    engine.dispose()
    return found


def test_preview_shows_what_would_change_and_stores_nothing(tab: TabServer, database_url: str) -> None:
    workbook = edited(exported(tab), quarter_changes)
    before, history = _actions(database_url), _history(database_url)
    response = post(tab, "preview", workbook)
    assert response.status_code == 200, response.text
    shown = response.json()
    assert (shown["added"], shown["changed"], shown["closed"]) == ({"actions": 1}, {"actions": 2}, {"action": 1})
    kinds = {(r["ref"], r["kind"]) for r in shown["rows"]}
    assert ("DARA-NEW-001", "added") in kinds and sum(k == "closed" for _r, k in kinds) == 1
    assert shown["lines"][0] == "actions: 1 new, 2 changed" and shown["lines"][1] == "closed: 1 action"
    assert shown["name"] == "quarter.xlsx" and shown["rows_total"] == 3
    assert _actions(database_url) == before and _history(database_url) == history


def test_apply_stores_what_was_previewed_with_history_naming_the_person_in_the_tab(
    tab: TabServer, database_url: str
) -> None:
    workbook = edited(exported(tab), quarter_changes)
    token = post(tab, "preview", workbook).json()["token"]
    history = _history(database_url)
    response = post(tab, "apply", workbook, preview=token)
    assert response.status_code == 200, response.text
    assert response.json()["message"].startswith("Imported quarter.xlsx: actions: 1 new, 2 changed (")
    actions = _actions(database_url)
    assert actions["DARA-NEW-001"][1] == "open"
    assert "Publish the revised vetting policy" in {d for d, _s in actions.values()}
    new_rows = _history(database_url)[len(history) :]
    assert new_rows and {(actor, channel) for actor, channel, _r in new_rows} == {(GRACE_EMAIL, "tab")}
    grid = tab.get("/api/tab/grid", person="grace", params={"q": "DARA-NEW-001"}).json()
    assert [r["ref"] for r in grid["rows"]] == ["DARA-NEW-001"]


def test_a_workbook_with_problems_is_refused_in_the_command_lines_words_and_changes_nothing(
    tab: TabServer, database_url: str
) -> None:
    def broken(sheet: Any) -> None:
        quarter_changes(sheet)
        header = [c.value for c in sheet[1]]
        sheet.cell(2, header.index("due_date") + 1).value = "31/02/2021"
        sheet.cell(3, header.index("owner_email") + 1).value = "nobody@example.test"

    workbook = edited(exported(tab), broken)
    before, history = _actions(database_url), _history(database_url)
    for step, fields in (("preview", {}), ("apply", {"preview": "0" * 64 + "." + "0" * 64})):
        response = post(tab, step, workbook, **fields)
        if step == "apply":  # a token for another file: refused before anything is read
            assert response.status_code == 409 and "not the workbook you previewed" in response.json()["error"]
            continue
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["error"] == problems_heading("quarter.xlsx", 2)
        assert (
            "Actions row 2, column due_date: '31/02/2021' is not a date: use an Excel date or YYYY-MM-DD"
            in body["problems"]
        )
        assert any("owner 'nobody@example.test' is not on the People sheet" in p for p in body["problems"])
    assert _actions(database_url) == before and _history(database_url) == history


def test_not_a_workbook_is_refused_naming_the_file_not_a_temporary_one(tab: TabServer) -> None:
    response = post(tab, "preview", b"ref,title\nR-1,hello\n")
    assert response.status_code == 422
    assert response.json()["problems"] == ["quarter.xlsx: not an .xlsx workbook"]
    from domain.import_problems import ImportCode, ImportProblem

    assert response.json()["problems"] == problem_lines(
        [ImportProblem("quarter.xlsx", 0, "", ImportCode.NOT_A_WORKBOOK)]
    )


def test_nothing_sent_is_a_400_saying_what_to_do(tab: TabServer) -> None:
    response = tab.http.post(f"{tab.base}/api/tab/import/preview", headers=_headers(tab, "grace"), timeout=30)
    assert response.status_code == 400 and "choose the .xlsx file" in response.json()["error"]


def test_an_upload_over_the_cap_is_refused_with_413(tab: TabServer, database_url: str) -> None:
    history = _history(database_url)
    too_big = b"PK\x03\x04" + b"\0" * MAX_UPLOAD_BYTES
    response = tab.http.post(
        f"{tab.base}/api/tab/import/preview?name=big.xlsx",
        headers={**_headers(tab, "grace"), "Content-Type": "application/octet-stream"},
        data=too_big,
        timeout=60,
    )
    assert response.status_code == 413 and "larger than 20 MB" in response.json()["error"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while reading
        for _ in range(MAX_UPLOAD_BYTES // (1024 * 1024) + 2):
            yield b"\0" * (1024 * 1024)

    response = tab.http.post(
        f"{tab.base}/api/tab/import/preview", headers=_headers(tab, "grace"), data=chunks(), timeout=60
    )
    assert response.status_code == 413
    assert _history(database_url) == history


def test_a_zip_that_would_unpack_past_the_cap_is_refused(tab: TabServer) -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (401 * 1024 * 1024))
    response = post(tab, "preview", out.getvalue())
    assert response.status_code == 413, response.text


def test_the_tracker_changed_since_the_preview_nothing_is_applied_and_the_new_preview_comes_back(
    tab: TabServer, database_url: str
) -> None:
    workbook = edited(exported(tab), quarter_changes)
    token = post(tab, "preview", workbook).json()["token"]
    renamed = next(ref for ref, (_d, status) in _actions(database_url).items() if status == "open")
    engine = make_engine(database_url)  # meanwhile someone changes a row the workbook also changes
    with make_sessionmaker(engine).begin() as s:
        s.scalars(select(Action).where(Action.ref == renamed)).one().description = "Changed meanwhile"
    engine.dispose()
    before, history = _actions(database_url), _history(database_url)
    response = post(tab, "apply", workbook, preview=token)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "stale" and response.json()["preview"]["token"] != token
    assert _actions(database_url) == before and _history(database_url) == history
    again = post(tab, "apply", workbook, preview=response.json()["preview"]["token"])
    assert again.status_code == 200, again.text


@pytest.mark.parametrize("person", ["colin", "sam", "olivia"])
def test_only_governance_uploads(tab: TabServer, database_url: str, person: str) -> None:
    workbook = edited(exported(tab), quarter_changes)
    token = post(tab, "preview", workbook).json()["token"]
    history = _history(database_url)
    for step in ("preview", "apply"):
        response = post(tab, step, workbook, person=person, preview=token)
        assert response.status_code == 403 and "Strategy & Governance" in response.json()["error"]
    anonymous = tab.http.post(f"{tab.base}/api/tab/import/preview", files={"file": ("q.xlsx", workbook)}, timeout=30)
    assert anonymous.status_code == 401
    assert _history(database_url) == history


def test_an_upload_over_the_apps_body_limit_but_under_the_cap_is_read(tab: TabServer) -> None:
    """The app's own limit (1 MB here, 256 KB in the bot's app) is for JSON bodies: an upload of a few
    MB reaches the workbook reader, which says what is wrong with it."""
    response = post(tab, "preview", b"\0" * (3 * 1024 * 1024))
    assert response.status_code == 422, response.text
    assert response.json()["problems"] == ["quarter.xlsx: not an .xlsx workbook"]


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("multipart/form-data", b"no boundary"),
        ("multipart/form-data; boundary=xyz", b"no parts"),
        ("multipart/form-data; boundary=xyz", b'--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\ncut off'),
    ],
)
def test_a_malformed_upload_is_a_400_saying_to_choose_the_file_again(
    tab: TabServer, content_type: str, body: bytes
) -> None:
    headers = {**_headers(tab, "grace"), "Content-Type": content_type}
    response = tab.http.post(f"{tab.base}/api/tab/import/preview", headers=headers, data=body, timeout=30)
    assert response.status_code == 400 and response.json()["error"].endswith("choose the file again.")
