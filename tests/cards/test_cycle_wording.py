"""The words for an update cycle's scope, for the store's refusals (domain/cycles.py codes) and for
why a message was not delivered (domain/delivery.py codes), said the same way in Teams and on the
command line."""

from __future__ import annotations

from datetime import date

import pytest

from cards.cycle_progress import progress_card
from cards.cycle_wording import delivery_words, problem_words, scope_words, sentence
from domain import cycles as C
from domain import delivery
from domain.cycles import CycleProblem, CycleScope
from tests.cards.test_cycle_cards import status
from tests.fakes.live_bot import card_text

D = date(2026, 12, 10)


@pytest.mark.parametrize(
    "scope, words",
    [
        (CycleScope(), "all outstanding monitored actions"),
        (CycleScope("group", group="Met Operations"), "outstanding monitored actions in Met Operations"),
        (CycleScope("overdue", include_hmicfrs=True), "overdue actions and open HMICFRS items"),
        (CycleScope("due_within", days=30), "actions due within 30 days"),
        ({"kind": "overdue", "as_of": "2026-11-26"}, "overdue actions"),  # as stored on the cycle
        ("all outstanding monitored actions", "all outstanding monitored actions"),  # worded before
    ],
)
def test_scope_words(scope, words):
    assert scope_words(scope) == words


@pytest.mark.parametrize(
    "problem, words",
    [
        (
            CycleProblem(C.UNKNOWN_SCOPE_TEXT, given="everything"),
            "unknown scope 'everything': use all, group:NAME, overdue or due-within:DAYS",
        ),
        (
            CycleProblem(C.UNKNOWN_SCOPE_KIND, given="weekly"),
            "unknown scope 'weekly': use all, group, overdue or due within N days",
        ),
        (
            CycleProblem(C.UNKNOWN_GROUP, given="Met Ops", choices=("Corporate Services", "Met Operations")),
            "unknown business group 'Met Ops': choose one of Corporate Services, Met Operations",
        ),
        (CycleProblem(C.BAD_DAYS, limit=730), "'due within' needs a number of days from 1 to 730"),
        (CycleProblem(C.NO_CYCLE_YET), "no update cycle has been opened yet"),
        (CycleProblem(C.NO_SUCH_CYCLE, 9), "no update cycle 9"),
        (
            CycleProblem(C.DEADLINE_PASSED, deadline=D),
            "the deadline 2026-12-10 is in the past: choose today or a later date",
        ),
        (
            CycleProblem(C.ALREADY_OPEN, 3, deadline=D),
            "update cycle 3 (deadline 2026-12-10) is still open: close it before opening another",
        ),
        (CycleProblem(C.MESSAGE_TOO_LONG, count=1001, limit=1000), "the message is 1001 characters: keep it to 1000"),
        (
            CycleProblem(C.NOTHING_IN_SCOPE, scope=CycleScope("due_within", days=1), as_of=D),
            "nothing to ask about: no actions due within 1 days as at 2026-12-10",
        ),
        (CycleProblem(C.NONE_OPEN_TO_CLOSE), "there is no open update cycle to close"),
        (CycleProblem(C.NOT_OPEN, 999), "update cycle 999 is not open"),
        (CycleProblem(C.NONE_OPEN_TO_REMIND), "there is no open update cycle to send reminders for"),
        (
            CycleProblem(C.NOT_PERMITTED),
            "only Strategy & Governance staff open update cycles, send their reminders and close them",
        ),
        (
            CycleProblem(C.NOT_YOUR_GROUP, given="Met Operations", choices=("Frontline Policing",)),
            "you can nudge the owners of the groups you lead only (Frontline Policing), not 'Met Operations'",
        ),
    ],
)
def test_problem_words(problem, words):
    assert problem_words(problem) == words


def test_every_code_is_worded_and_a_card_makes_a_sentence_of_it():
    codes = [getattr(C, name) for name in C.__all__ if name.isupper() and name not in ("SCOPE_KINDS", "MAX_DAYS")]
    assert len(codes) == 15
    assert all(problem_words(CycleProblem(c)) != c.replace("_", " ") for c in codes)
    assert sentence(problem_words(CycleProblem(C.NOT_OPEN, 4))) == "Update cycle 4 is not open."


def test_the_progress_card_words_the_scope_the_store_returns_as_data():
    card = progress_card({**status(), "scope": CycleScope("group", group="Met Operations").as_json()})
    assert "Outstanding monitored actions in Met Operations · deadline 10 Dec 2026" in card_text(card)


@pytest.mark.parametrize(
    "code, words",
    [
        (delivery.RECIPIENT_LEFT, "not sent: the recipient has left (marked inactive in the People sheet)"),
        (delivery.NOT_INSTALLED, "no personal conversation with the bot (not installed)"),
        (delivery.IN_DOUBT, "in doubt: the previous worker's lease expired before it recorded an outcome; sent again"),
        (delivery.CYCLE_CLOSED, "cancelled: the update cycle closed before this was sent"),
        (delivery.WITHDRAWN, "withdrawn: every item of this request was reassigned to another owner"),
    ],
)
def test_delivery_words(code, words):
    assert delivery_words(code) == words


def test_every_delivery_code_is_worded_and_any_other_text_is_shown_as_recorded():
    assert set(delivery.CODES) == {getattr(delivery, n) for n in delivery.__all__ if n != "CODES"}
    assert all(delivery_words(code) != code for code in delivery.CODES)
    # the connector's errors, and the sentences rows written before the codes hold
    for recorded in (
        "HTTP 403: ConversationBlockedByUser",
        "gave up after 4 attempts: HTTP 504",
        "not sent: the recipient has left (marked inactive in the People sheet)",
        "",
    ):
        assert delivery_words(recorded) == recorded


def test_the_progress_card_words_the_delivery_codes_the_store_records():
    failures = [
        {"owner": "Jack Turner", "reason": delivery.CYCLE_CLOSED},
        {"owner": "Amelia Hart", "reason": "HTTP 404: ConversationNotFound"},
    ]
    shown = card_text(progress_card({**status(), "failures": failures}))
    assert "Jack Turner (cancelled: the update cycle closed before this was sent)" in shown
    assert "Amelia Hart (HTTP 404: ConversationNotFound)" in shown
