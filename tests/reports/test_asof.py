"""Past states rebuilt from the history: created rows dropped, the earliest later change undone,
values parsed back to their types."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from reports import state_as_of
from reports.asof import restore
from tests.reports.load import load_frames
from tests.reports.tracker import at, build_tracker


@pytest.fixture
def frames(sessions):
    with sessions.begin() as session:
        build_tracker(session)
    with sessions() as session:
        return load_frames(session)


def row(frames, day: date, ref: str) -> pd.Series:
    actions = state_as_of(frames, day).actions.set_index("ref")
    return actions.loc[ref]


def test_implemented_then_reopened(frames):
    """A13: in progress -> implemented (15 Sep, implemented_on set) -> in progress (20 Oct, cleared)."""
    before = row(frames, date(2026, 9, 14), "A13")
    assert before["status"] == "in progress" and pd.isna(before["implemented_on"])
    between = row(frames, date(2026, 10, 19), "A13")
    assert between["status"] == "implemented"
    assert between["implemented_on"] == pd.Timestamp("2026-09-15")  # ISO text parsed back to a date
    after = row(frames, date(2026, 10, 20), "A13")  # the change at 10:00 on the 20th is part of that day
    assert after["status"] == "in progress" and pd.isna(after["implemented_on"])


def test_the_earliest_change_after_the_date_wins(frames):
    """A10: in progress -> implemented (30 Sep 15:00) -> closed (10 Oct)."""
    assert row(frames, date(2026, 9, 29), "A10")["status"] == "in progress"
    assert row(frames, date(2026, 9, 30), "A10")["status"] == "implemented"
    assert row(frames, date(2026, 10, 9), "A10")["status"] == "implemented"
    assert row(frames, date(2026, 10, 9), "A10")["implemented_on"] == pd.Timestamp("2026-09-30")
    assert row(frames, date(2026, 10, 10), "A10")["status"] == "closed"


def test_rows_created_after_the_date_do_not_exist(frames):
    refs = set(state_as_of(frames, date(2026, 11, 26)).actions["ref"])
    assert "A20" not in refs and {"A14", "A15", "A16"} <= refs
    assert not {"A14", "A15", "A16", "A20"} & set(state_as_of(frames, date(2026, 10, 14)).actions["ref"])
    inspections = set(state_as_of(frames, date(2026, 11, 26)).inspections["ref"])
    assert "I6" not in inspections


def test_text_and_date_fields_are_restored(frames):
    assert row(frames, date(2026, 12, 4), "A21")["business_group"] == "Met Operations"
    assert row(frames, date(2026, 12, 5), "A21")["business_group"] == "Corporate Services"
    assert pd.isna(row(frames, date(2026, 10, 4), "A01")["revised_due_date"])
    assert row(frames, date(2026, 10, 5), "A01")["revised_due_date"] == pd.Timestamp("2027-02-15")
    assert row(frames, date(2026, 12, 3), "A04")["delay_reason"] == "Awaiting Chief Officer decision/sign off"
    items = state_as_of(frames, date(2026, 12, 1)).inspections.set_index("ref")
    assert items.loc["I7", "status"] == "open"


def test_the_current_state_is_untouched_when_nothing_changed_later(frames):
    today = state_as_of(frames, date(2027, 1, 1)).actions.set_index("ref").sort_index()
    current = frames.actions.set_index("ref").sort_index()
    pd.testing.assert_frame_equal(today[current.columns], current)


def test_restore_is_vectorised_over_a_plain_frame():
    frame = pd.DataFrame(
        {
            "ref": ["a", "b", "c"],
            "status": ["closed", "open", "open"],
            "due_date": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
        }
    )
    history = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "at": pd.to_datetime(
                [at("2026-05-01"), at("2026-06-01"), at("2026-05-02"), at("2026-05-03"), at("2026-04-01")], utc=True
            ),
            "entity": "action",
            "entity_ref": ["a", "a", "b", "c", "a"],
            "field": ["status", "status", "due_date", "_created", "status"],
            "old_value": ["open", "implemented", "2025-12-31", None, "draft"],
        }
    )
    out = restore(frame, history, "action", "ref", at("2026-04-15"))
    assert list(out["ref"]) == ["a", "b"]  # c was created after the instant
    assert list(out["status"]) == ["open", "open"]  # a: the 1 May change (earliest after) is undone
    assert list(out["due_date"]) == [pd.Timestamp("2026-01-01"), pd.Timestamp("2025-12-31")]


def test_history_loaded_too_late_is_refused(sessions):
    with sessions() as session:
        frames = load_frames(session, since=date(2026, 11, 1))
    with pytest.raises(ValueError, match="load it from 2026-09-30 or earlier"):
        state_as_of(frames, date(2026, 9, 30))


def test_a_day_ends_at_local_midnight_not_utc_midnight(sessions):
    """A change at 23:30 UTC on 20 September (British Summer Time) is 00:30 on the 21st in London:
    it belongs to the 21st, so the state as at the 20th still has the old value."""
    from domain.localtime import zone_named
    from tests.reports.tracker import _history

    with sessions.begin() as session:
        build_tracker(session)
        _history(session, "2026-09-20T23:30", "action", "A13", "key_theme", "Old theme", "Data quality and records")
    with sessions() as session:
        frames = load_frames(session, since=date(2026, 9, 1))
    theme = lambda day, **zone: state_as_of(frames, day, **zone).actions.set_index("ref").loc["A13", "key_theme"]  # noqa: E731
    assert theme(date(2026, 9, 20)) == "Old theme"  # the default zone is Europe/London
    assert theme(date(2026, 9, 20), zone=zone_named("Europe/London")) == "Old theme"
    assert theme(date(2026, 9, 21), zone=zone_named("Europe/London")) == "Data quality and records"
    assert theme(date(2026, 9, 20), zone=zone_named("UTC")) == "Data quality and records"  # a UTC day ends later
