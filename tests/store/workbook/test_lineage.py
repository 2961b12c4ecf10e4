"""Audits as the panel paper knows them (issue 23): a follow-up names its original and its actions can
move to it, "received" may be only a financial year, an inspection item may be "AFI & Rec" and
carries submitted_on / closed_on, the portal's counts have their own sheet, and old workbooks
(without any of these columns) still import."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from store.db.models import Action, Audit, HistoryEntry, InspectionItem, PortalFigure
from store.history import ChangeContext
from store.workbook import export_workbook
from tests.store.snapshot import snapshot
from tests.store.worded_import import import_workbook
from tests.store.workbooks import minimal_sheets, write_workbook

JULY = ChangeContext("governance@force.example", "import", datetime(2020, 7, 31, 12, tzinfo=timezone.utc))
NOVEMBER = ChangeContext("governance@force.example", "import", datetime(2020, 11, 30, 12, tzinfo=timezone.utc))


def _lineage_sheets() -> dict[str, list[list[object]]]:
    sheets = minimal_sheets()
    sheets["Audits"][0].append("follows")
    sheets["Audits"][1].append(None)
    sheets["Audits"] += [
        ["A-0", "Inclusion and Diversity Strategy", "2017/18", "original", "limited", "no", None],
        ["A-1F", "Smarter Working Asset Management - follow up", "2020/21 Q3", "follow-up", "limited", "yes", "A-1"],
    ]
    sheets["Inspections"][0] += ["submitted_on", "closed_on"]
    sheets["Inspections"][1] += ["2020-10-12", None]
    sheets["Inspections"].append(
        ["I-2", "PEEL 2016", "2016/17", "force", "AFI & Rec", "PEEL", "Met Operations", None, None, "closed"]
        + [None, "2020-11-02"]
    )
    sheets["Portal"] = [
        ["as_of", "theme", "recommendations", "afis"],
        ["2020-11-30", "PEEL", 10, None],
        ["2020-11-30", "Vulnerability", 51, 4],
    ]
    return sheets


def test_follow_ups_years_combined_items_dates_and_the_portal_are_stored(
    sessions: sessionmaker, tmp_path: Path
) -> None:
    with sessions.begin() as s:
        result = import_workbook(s, write_workbook(tmp_path / "t.xlsx", _lineage_sheets()), JULY)
    assert result.created["audits"] == 3 and result.created["portal"] == 2
    with sessions() as s:
        follow_up = s.scalar(select(Audit).where(Audit.audit_id == "A-1F"))
        assert (follow_up.kind, follow_up.follows, follow_up.restricted) == ("follow-up", "A-1", True)
        assert s.scalar(select(Audit.received).where(Audit.audit_id == "A-0")) == "2017/18"
        combined = s.scalar(select(InspectionItem).where(InspectionItem.ref == "I-2"))
        assert (combined.kind, combined.closed_on, combined.submitted_on) == ("afi & rec", date(2020, 11, 2), None)
        assert s.scalar(select(InspectionItem.submitted_on).where(InspectionItem.ref != "I-2")) == date(2020, 10, 12)
        portal = s.execute(select(PortalFigure.theme, PortalFigure.recommendations, PortalFigure.afis)).all()
        assert sorted(portal) == [("PEEL", 10, None), ("Vulnerability", 51, 4)]


def test_an_originals_actions_move_to_its_follow_up_with_their_history(sessions: sessionmaker, tmp_path: Path) -> None:
    sheets = _lineage_sheets()
    with sessions.begin() as s:
        import_workbook(s, write_workbook(tmp_path / "july.xlsx", sheets), JULY)
    for row in sheets["Actions"][1:]:
        row[1] = "A-1F"  # the follow-up carries the original's actions on
    with sessions.begin() as s:
        result = import_workbook(s, write_workbook(tmp_path / "nov.xlsx", sheets), NOVEMBER)
    assert result.updated == {"actions": 2}
    with sessions() as s:
        moved = s.scalar(select(Action).where(Action.ref == "R-1"))
        assert (moved.audit.audit_id, moved.audit.kind) == ("A-1F", "follow-up")
        kept = s.execute(
            select(HistoryEntry.field, HistoryEntry.old_value, HistoryEntry.new_value).where(
                HistoryEntry.entity_ref == "R-1"
            )
        ).all()
        assert ("_created", None, "R-1") in kept and ("audit_id", "A-1", "A-1F") in kept


def test_export_writes_the_new_columns_and_reimports_unchanged(
    engine: Engine, sessions: sessionmaker, tmp_path: Path
) -> None:
    with sessions.begin() as s:
        import_workbook(s, write_workbook(tmp_path / "t.xlsx", _lineage_sheets()), JULY)
    with sessions.begin() as s:
        counts = export_workbook(s, tmp_path / "export.xlsx")
    assert counts["Portal"] == 2
    book = load_workbook(tmp_path / "export.xlsx", read_only=True)
    assert "follows" in next(book["Audits"].values) and "closed_on" in next(book["Inspections"].values)
    book.close()
    before = snapshot(engine)
    with sessions.begin() as s:
        result = import_workbook(s, tmp_path / "export.xlsx", NOVEMBER)
    assert (result.created, result.updated, result.history_rows) == ({}, {}, 0)
    assert snapshot(engine) == before


def test_an_old_workbook_without_the_new_columns_still_imports(
    sessions: sessionmaker, tmp_path: Path, today: date, now: datetime
) -> None:
    """The demo exported, then cut back to the columns a workbook had before issue 23."""
    from store.demo.builder import load_demo

    with sessions.begin() as s:
        load_demo(s, today, now)
        export_workbook(s, tmp_path / "export.xlsx")
    book = load_workbook(tmp_path / "export.xlsx")
    for title, gone in (("Audits", {"follows"}), ("Inspections", {"submitted_on", "closed_on"})):
        ws = book[title]
        for index in sorted((c.column for c in ws[1] if c.value in gone), reverse=True):
            ws.delete_cols(index)
    book.save(tmp_path / "old.xlsx")
    with sessions.begin() as s:
        s.query(Action).delete()
    with sessions.begin() as s:
        result = import_workbook(s, tmp_path / "old.xlsx", NOVEMBER)
    assert result.created.get("actions", 0) > 100
