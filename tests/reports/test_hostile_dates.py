"""Any date the database holds, however absurd, gives a report (issue 10: 9999-12-31 once accepted as a
revised date made the panel report fail for everyone with OutOfBoundsDatetime)."""

from __future__ import annotations

import io
from datetime import date, datetime, timezone

from openpyxl import load_workbook
from sqlalchemy import update

from reports.pack import workbook_bytes
from store.db.models import Action
from tests.builders import history_entry
from tests.reports.load import build_report, figures_as_of
from tests.reports.tracker import build_tracker

D = date(2026, 11, 26)


def test_report_survives_dates_outside_what_pandas_can_hold(sessions):
    with sessions.begin() as s:
        build_tracker(s)
    with sessions() as s:
        before = figures_as_of(s, D)
    with sessions.begin() as s:  # written straight into the tables, as an old row or another tool could
        s.execute(update(Action).where(Action.ref == "A01").values(revised_due_date=date(9999, 12, 31)))
        s.execute(update(Action).where(Action.ref == "A02").values(due_date=date(1, 1, 1)))
        # ...and in the history, which the report replays to rebuild the tracker as at earlier dates
        s.add(
            history_entry("A07", "revised_due_date", None, "9999-12-31", at=datetime(2026, 11, 1, tzinfo=timezone.utc))
        )
        s.add(
            history_entry("A07", "revised_due_date", "0001-01-01", None, at=datetime(2026, 12, 1, tzinfo=timezone.utc))
        )
    with sessions() as s:
        after = figures_as_of(s, D)
        report = build_report(s, D)
    # A02 (due 0001-01-01) is now overdue and stale; A01 (revised 9999-12-31), A02 and A07 (as at D its
    # revised date is the 0001-01-01 that the 1 December entry replaced) leave "forthcoming".
    assert after["overdue"]["total"] == before["overdue"]["total"] + 1
    assert after["stale"]["count"] == before["stale"]["count"] + 1
    assert after["forthcoming"]["next_12_months"] == before["forthcoming"]["next_12_months"] - 3
    book = load_workbook(io.BytesIO(workbook_bytes(report)))
    assert book.sheetnames  # the Excel pack is written too
