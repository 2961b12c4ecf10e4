"""Questions about the figures (issue 4): answered as cards, paged, each item opening its detail.

Thin: parse happened in basics.ask; scoping, figures and rows are store.queries; cards are pure.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.routing import intent, verb
from bot.turn import Turn
from cards.answer_detail import bad_button_card, detail_card, not_found_card, refusal_card
from cards.answers import DETAIL_VERB, PAGE_VERB, answer_card
from domain.answers import ActionDetail, InspectionDetail
from domain.question import ANSWERED_INTENTS
from questions import Question, suggest
from store.queries import (
    BadQuestionData,
    Refusal,
    action_detail,
    answer_question,
    inspection_detail,
    page_number,
    question_from_params,
)

__all__ = ["answer", "page", "detail"]

log = logging.getLogger(__name__)


async def _card(turn: Turn, question: Question, page_no: int = 0) -> dict[str, Any]:
    today = turn.today()

    async def build() -> dict[str, Any]:
        result = await turn.services.run(answer_question, turn.viewer, question, today, page_no)
        if isinstance(result, Refusal):
            log.info("question refused: %s", result.kind)
            return refusal_card(result)
        # part of the question not applied: the closest questions that can be answered, as buttons
        return answer_card(result, suggest(question.text))

    # the same question from the same viewer on the same day, with the tracker unchanged: the same card
    return await turn.cached_card(("answer", turn.viewer, question, today, page_no), build)


@intent(*sorted(ANSWERED_INTENTS))  # the figures' questions: the same set the page buttons may carry
async def answer(turn: Turn, question: Question) -> None:
    await turn.send_card(await _card(turn, question))


@verb(PAGE_VERB)
async def page(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    """Next / Previous / Back: the same question again (scope re-resolved for this viewer)."""
    try:
        question = question_from_params(data.get("q"))
    except BadQuestionData as exc:
        # anyone can forge a button: one line, no traceback (a flood of them must not flood the log)
        log.warning("page button refused (%s): %s", exc.code, exc)
        return bad_button_card()
    return await _card(turn, question, page_number(data))


@verb(DETAIL_VERB)
async def detail(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    ref = str(data.get("ref") or "")[:60]
    found: ActionDetail | InspectionDetail | None
    if data.get("kind") == "inspection":
        found = await turn.services.run(inspection_detail, turn.viewer, ref)
    else:
        found = await turn.services.run(action_detail, turn.viewer, ref, turn.today())
    if found is None:
        return not_found_card(ref)
    q = data.get("q") if isinstance(data.get("q"), dict) else None
    return detail_card(found, q, page_number(data))
