"""What the schedules will send next, in words: the store gives the facts (domain.schedule.ScheduledSend),
the "what is scheduled" card and `cycle status` both show these lines."""

from __future__ import annotations

from datetime import date

from cards.schedules import scheduled_entries, scheduled_words
from domain.schedule import CYCLE_REMINDERS, DUE_NUDGES, WEEKLY_DIGEST, ScheduledSend

DAY = date(2026, 12, 3)


def test_each_job_in_words():
    reminders = ScheduledSend(CYCLE_REMINDERS, DAY, cycle_id=3, deadline=date(2026, 12, 10))
    assert scheduled_words(reminders) == "reminders to cycle 3's non-responders (7 days before the deadline 2026-12-10)"
    assert scheduled_words(ScheduledSend(DUE_NUDGES, DAY, actions=1)) == (
        "due-date nudges to owners about 1 action (14 days before, or on, the due date)"
    )
    assert scheduled_words(ScheduledSend(DUE_NUDGES, DAY, actions=4)).startswith(
        "due-date nudges to owners about 4 actions"
    )
    assert scheduled_words(ScheduledSend(WEEKLY_DIGEST, DAY)) == "weekly digest to SPOCs and chief officers"


def test_entries_carry_the_day_the_job_and_the_words():
    assert scheduled_entries([ScheduledSend(WEEKLY_DIGEST, DAY)]) == [
        {"day": "2026-12-03", "job": WEEKLY_DIGEST, "detail": "weekly digest to SPOCs and chief officers"}
    ]
