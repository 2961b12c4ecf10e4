"""store.workbook.preview.import_previewed: the tab's "apply" keeps an import only when it changes
exactly what the person's preview showed; otherwise nothing is kept and the new preview comes back."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from domain.import_preview import preview_digest
from domain.permissions import operator_viewer
from store.db.models import Action
from store.history import ChangeContext
from store.workbook import WorkbookError
from store.workbook.preview import APPLIED, STALE, import_previewed, preview_import
from tests.store.snapshot import snapshot
from tests.store.workbooks import minimal_sheets, write_workbook

VIEWER = operator_viewer("grace@force.example")
SEEN = ChangeContext("grace@force.example", "tab", datetime(2026, 11, 1, 9, tzinfo=timezone.utc))
APPLY = ChangeContext("grace@force.example", "tab", datetime(2026, 11, 1, 9, 5, tzinfo=timezone.utc))


def _previewed(sessions: sessionmaker, path: Path) -> str:
    with sessions() as s:
        preview = preview_import(s, VIEWER, path=path, ctx=SEEN)
        s.rollback()
    return preview_digest(preview)


def test_the_previewed_import_is_kept(sessions: sessionmaker, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "t.xlsx", minimal_sheets())
    digest = _previewed(sessions, path)
    with sessions.begin() as s:
        done = import_previewed(s, VIEWER, path=path, ctx=APPLY, expected=digest)
    assert done.outcome == APPLIED and done.result is not None and done.result.created["actions"] == 2
    assert preview_digest(done.preview) == digest
    with sessions() as s:
        assert set(s.scalars(select(Action.ref))) == {"R-1", "R-2"}


def test_a_tracker_changed_since_the_preview_keeps_nothing(
    engine: Engine, sessions: sessionmaker, tmp_path: Path
) -> None:
    path = write_workbook(tmp_path / "t.xlsx", minimal_sheets())
    digest = _previewed(sessions, path)
    sheets = minimal_sheets()
    sheets["Actions"] = sheets["Actions"][:2]  # meanwhile R-1 arrives by another import
    with sessions.begin() as s:
        first = write_workbook(tmp_path / "first.xlsx", sheets)
        import_previewed(s, VIEWER, path=first, ctx=SEEN, expected=_previewed(sessions, first))
    before = snapshot(engine)
    with sessions.begin() as s:
        done = import_previewed(s, VIEWER, path=path, ctx=APPLY, expected=digest)
    assert done.outcome == STALE and done.result is None
    assert preview_digest(done.preview) != digest
    assert {r.ref for r in done.preview.rows if r.entity == "action"} == {"R-2"}
    assert snapshot(engine) == before


def test_problems_raise_as_the_import_does_and_keep_nothing(
    engine: Engine, sessions: sessionmaker, tmp_path: Path
) -> None:
    sheets = minimal_sheets()
    sheets["Actions"][1][6] = "31/02/2021"
    path = write_workbook(tmp_path / "t.xlsx", sheets)
    before = snapshot(engine)
    with pytest.raises(WorkbookError), sessions.begin() as s:
        import_previewed(s, VIEWER, path=path, ctx=APPLY, expected="0" * 64)
    assert snapshot(engine) == before
