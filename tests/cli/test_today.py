"""`--today` / TRACKER_TODAY: any command runs as on a past date (loading history, rehearsals), what it
records is dated that day, and a pack as at a day before anything was recorded says so."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, select

from cli.runtime import Runtime, clock_on
from config import Settings
from store.db.models import HistoryEntry
from tests.cli.support import run
from tests.store.workbooks import minimal_sheets, write_workbook

LONDON = ZoneInfo("Europe/London")


def test_the_clock_starts_on_the_day_and_runs_on():
    ticks = iter(
        [datetime(2026, 12, 6, 23, 30, tzinfo=timezone.utc), datetime(2026, 12, 6, 23, 30, tzinfo=timezone.utc)]
    )
    later = [datetime(2026, 12, 7, 0, 45, tzinfo=timezone.utc)]
    clock = clock_on(date(2020, 7, 31), LONDON, lambda: next(ticks, later[0]))
    first = clock()
    assert first.astimezone(LONDON).date() == date(2020, 7, 31)
    assert first.astimezone(LONDON).hour == 23 and first.astimezone(LONDON).minute == 30  # the wall time is kept
    assert clock().astimezone(LONDON).date() == date(2020, 8, 1)  # time runs on into the next day


def test_tracker_today_sets_the_clock_of_serve_and_worker():
    assert Settings.from_env({"TRACKER_TODAY": "2020-11-30"}).today == date(2020, 11, 30)
    try:
        Settings.from_env({"TRACKER_TODAY": "30/11/2020"})
    except ValueError as exc:
        assert "TRACKER_TODAY must be a date written YYYY-MM-DD" in str(exc)
    else:
        raise AssertionError("a wrong TRACKER_TODAY was accepted")
    runtime = Runtime(Settings(today=date(2020, 11, 30)))
    runtime.run_as_on(date(2020, 11, 30))
    assert runtime.today() == date(2020, 11, 30)
    assert runtime.clock().astimezone(LONDON).date() == date(2020, 11, 30)  # the clock serve and worker are given


def test_tracker_today_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2019-04-01")
    assert Runtime.from_env().today() == date(2019, 4, 1)


def test_import_as_on_a_past_date_records_history_on_that_date(sqlite_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    book = write_workbook(tmp_path / "july.xlsx", minimal_sheets())
    code, out, err = run(capsys, "--today", "2020-07-31", "import", str(book))
    assert code == 0, err
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        stamps = conn.execute(select(HistoryEntry.at)).scalars().all()
    engine.dispose()
    # Stamps are stored in UTC; the day they record is the tracker's local day. Between midnight and
    # 1 a.m. in summer the two differ (00:17 BST on the 31st is 23:17 UTC on the 30th).
    days = {datetime.fromisoformat(str(s)).replace(tzinfo=timezone.utc).astimezone(LONDON).date() for s in stamps}
    assert stamps and days == {date(2020, 7, 31)}


def test_a_pack_before_the_first_recorded_change_says_so(sqlite_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    book = write_workbook(tmp_path / "july.xlsx", minimal_sheets())
    assert run(capsys, "--today", "2020-07-31", "import", str(book))[0] == 0
    code, out, err = run(capsys, "report", "--as-of", "2020-06-30", "--out", str(tmp_path / "pack"))
    assert code == 1 and out == ""
    assert "first recorded change is on 2020-07-31" in err and "every figure would be zero" in err
    assert not (tmp_path / "pack").exists()
    code, out, err = run(capsys, "report", "--as-of", "2020-07-31", "--out", str(tmp_path / "pack"))
    assert code == 0, err
    assert "1 outstanding" in out or "outstanding" in out


def test_a_wrong_today_is_refused_with_the_format(capsys):
    try:
        run(capsys, "--today", "31/07/2020", "report")
    except SystemExit as exc:
        assert exc.code == 2
    assert "'31/07/2020' is not a date: write it as YYYY-MM-DD" in capsys.readouterr().err
