"""A force's own spreadsheet through a mapping (TOML or a Mapping sheet) gives the same tracker as our
own layout; problems name their column; a dry run shows what would change and stores nothing."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from cards.import_wording import preview_lines, problem_lines
from domain.import_problems import ImportCode as C
from domain.import_problems import WorkbookError
from domain.permissions import operator_viewer
from store.history import ChangeContext
from store.workbook import import_workbook as store_import
from store.workbook.mapping import mapping_from_toml
from store.workbook.preview import preview_import
from tests.store.snapshot import snapshot
from tests.store.workbook.their_layout import MAPPING_TOML, THEIRS, their_sheets
from tests.store.workbooks import minimal_sheets, write_workbook


def import_workbook(session: Any, path: Path, ctx: ChangeContext, *, mapping: Any = None) -> Any:
    """The store's import as the operator (who may import), problems left as codes."""
    return store_import(session, operator_viewer(ctx.actor), path=path, ctx=ctx, mapping=mapping)


CTX = ChangeContext("governance@force.example", "import", datetime(2020, 11, 30, 12, tzinfo=timezone.utc))
LATER = ChangeContext("governance@force.example", "import", datetime(2020, 12, 1, 12, tzinfo=timezone.utc))


def test_a_mapped_workbook_gives_the_same_tracker_as_our_layout(tmp_path: Path) -> None:
    from tests.conftest import _migrated

    ours, theirs = _migrated(f"sqlite:///{tmp_path / 'ours.db'}"), _migrated(f"sqlite:///{tmp_path / 'theirs.db'}")
    (tmp_path / "map.toml").write_text(MAPPING_TOML)
    mapping = mapping_from_toml(tmp_path / "map.toml")
    with sessionmaker(ours).begin() as s:
        import_workbook(s, write_workbook(tmp_path / "ours.xlsx", minimal_sheets()), CTX)
    with sessionmaker(theirs).begin() as s:
        import_workbook(
            s, write_workbook(tmp_path / "theirs.xlsx", their_sheets(minimal_sheets())), CTX, mapping=mapping
        )
    assert snapshot(theirs) == snapshot(ours)
    ours.dispose()
    theirs.dispose()


def test_a_mapping_sheet_in_the_workbook_does_the_same(tmp_path: Path) -> None:
    from tests.conftest import _migrated

    ours, theirs = _migrated(f"sqlite:///{tmp_path / 'ours.db'}"), _migrated(f"sqlite:///{tmp_path / 'theirs.db'}")
    rows: list[list[Any]] = [["sheet", "column", "source", "value", "means", "date_format"]]
    for sheet, (title, headings) in THEIRS.items():
        rows.append([sheet, None, title, None, None, None])
        rows += [[sheet, column, heading, None, None, None] for column, heading in headings.items()]
        if sheet != "Audits":
            rows.append([sheet, "business_group", None, "MetOps", "Met Operations", None])
    rows += [
        ["Actions", "status", None, "Not Started", "open", None],
        ["Actions", "status", None, "ongoing", "in progress", None],
    ]
    rows += [
        ["Actions", "due_date", None, None, None, "%d/%m/%Y"],
        ["Actions", "revised_due_date", None, None, None, "%d/%m/%Y"],
    ]
    with sessionmaker(ours).begin() as s:
        import_workbook(s, write_workbook(tmp_path / "ours.xlsx", minimal_sheets()), CTX)
    with sessionmaker(theirs).begin() as s:
        sheets = their_sheets(minimal_sheets()) | {"Mapping": rows}
        import_workbook(s, write_workbook(tmp_path / "theirs.xlsx", sheets), CTX)
    assert snapshot(theirs) == snapshot(ours)
    ours.dispose()
    theirs.dispose()


def test_problems_name_their_column_and_a_bad_mapping_is_listed(sessions: sessionmaker, tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text(MAPPING_TOML)
    sheets = their_sheets(minimal_sheets())
    sheets["Action Tracker"][1][6] = "30.11.2020"
    sheets["Action Tracker"][2][8] = "Stalled"
    with pytest.raises(WorkbookError) as caught:
        with sessions.begin() as s:
            import_workbook(
                s, write_workbook(tmp_path / "t.xlsx", sheets), CTX, mapping=mapping_from_toml(tmp_path / "map.toml")
            )
    assert problem_lines(caught.value.problems) == [
        "Action Tracker row 2, column 'Original Due Date' (due_date): '30.11.2020' is not a date written as the "
        "mapping says (%d/%m/%Y)",
        "Action Tracker row 3, column 'Progress' (status): 'Stalled' is not one of: open, in progress, implemented, "
        "closed, superseded",
    ]
    (tmp_path / "bad.toml").write_text('[actionz]\nsheet = "X"\n[actions.columns]\nreff = "Rec"\n')
    with pytest.raises(WorkbookError) as caught:
        mapping_from_toml(tmp_path / "bad.toml")
    assert [(p.code, p.value) for p in caught.value.problems] == [
        (C.MAPPING_UNKNOWN_COLUMN, "reff"),
        (C.MAPPING_UNKNOWN_SHEET, "actionz"),
    ]
    (tmp_path / "broken.toml").write_text("[actions\n")
    with pytest.raises(WorkbookError) as caught:
        mapping_from_toml(tmp_path / "broken.toml")
    assert caught.value.problems[0].code == C.MAPPING_UNREADABLE


def test_a_dry_run_shows_what_would_change_and_stores_nothing(
    engine: Engine, sessions: sessionmaker, tmp_path: Path
) -> None:
    sheets = minimal_sheets()
    with sessions.begin() as s:
        import_workbook(s, write_workbook(tmp_path / "first.xlsx", sheets), CTX)
    sheets["Actions"][1][8] = "closed"
    sheets["Actions"][2][8] = "implemented"
    sheets["Actions"].append(
        [
            "R-3",
            "A-1",
            "New",
            "high",
            "Met Operations",
            "ann.owner@force.example",
            "2021-01-31",
            None,
            "open",
            None,
            None,
        ]
    )
    before = snapshot(engine)
    with sessions() as s:
        preview = preview_import(
            s, operator_viewer(LATER.actor), path=write_workbook(tmp_path / "next.xlsx", sheets), ctx=LATER
        )
        s.commit()  # even a commit afterwards stores nothing: the import ran in a savepoint rolled back
    assert snapshot(engine) == before
    assert (preview.added, preview.changed, preview.closed) == ({"actions": 1}, {"actions": 2}, {"action": 1})
    assert preview_lines(preview) == [
        "actions: 1 new, 2 changed",
        "closed: 1 action",
        "closed action R-1: status 'open' -> 'closed'",
        "changed action R-2: status 'in progress' -> 'implemented'",
        "added action R-3",
    ]
