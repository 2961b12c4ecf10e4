"""Choosing what is asked once every filter is read (issue 22: filters first, then the intent).

The weighted rules (``questions.intents``) score the words left once the filters took theirs; these
rules then let the filters settle what the words alone leave open: "implemented but not closed" asks
what was delivered, "in a holding position" is an HMICFRS question, "DARA vs HMICFRS" a comparison,
"my high-risk actions" the figures for one's own actions rather than the plain "my actions" card.
"""

from __future__ import annotations

from dataclasses import replace

from domain.question import ANSWERED_INTENTS, Intent, Question
from questions.everyday import Everyday

__all__ = ["choose_intent", "settle"]

I = Intent
_WEAK = (None, I.OUTSTANDING, I.SUMMARY)  # no intent word, or only "actions"/"open"
_ITEM_STATUSES = ("holding", "submitted for closure")


def choose_intent(intent: Intent | None, everyday: Everyday) -> Intent | None:
    """The intent, given the everyday filters the question carries."""
    if everyday.by == "source":
        return I.SUMMARY
    if everyday.by == "kind":
        return I.INSPECTIONS
    if everyday.intent_hint == "outstanding":
        return I.OUTSTANDING
    if everyday.intent_hint == "overdue" and intent in (*_WEAK, I.DELAY_REASONS, I.STALE):
        return I.OVERDUE
    if everyday.status in ("implemented", "closed") and intent in (*_WEAK, I.DELIVERED, I.DECISIONS):
        return I.DELIVERED
    if everyday.status in _ITEM_STATUSES and intent in (*_WEAK, I.DECISIONS, I.DELIVERED):
        return I.INSPECTIONS
    if everyday.delay_reason and intent in (*_WEAK, I.DECISIONS):
        return I.DELAY_REASONS
    if everyday.non_responders:
        return I.CYCLE_STATUS
    return intent


def _narrowed(question: Question) -> bool:
    """Whether the question carries a filter besides "mine" (and a source: "my HMICFRS items")."""
    return bool(
        question.groups
        or question.my_group
        or question.risk
        or question.audit
        or question.owner
        or question.key_theme
        or question.due_from
        or question.due_to
        or question.revised is not None
        or question.status
        or question.item_kind
        or question.delay_reason
        or question.assurance
        or question.by
    )


def settle(question: Question) -> Question:
    """The question with its intent and filters made consistent with each other."""
    if question.status in _ITEM_STATUSES and question.source is None:
        question = replace(question, source="hmicfrs")  # only HMICFRS items hold or await closure
    if question.mine:
        if question.intent in (I.OUTSTANDING, I.MY_ACTIONS, I.UNKNOWN) and not _narrowed(question):
            return replace(question, intent=I.MY_ACTIONS, mine=False, unapplied=())
        if question.intent is I.MY_ACTIONS:
            question = replace(question, intent=I.OUTSTANDING)
    if question.intent is I.INSPECTIONS:
        question = replace(question, source="hmicfrs")
    if question.intent is not I.CYCLE_STATUS and question.non_responders:
        question = replace(question, non_responders=False)
    if question.intent not in ANSWERED_INTENTS and question.unapplied:
        question = replace(question, unapplied=())  # said only on an answer card
    return question
