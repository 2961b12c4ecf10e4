"""Questions about the tracker answered in SQL: role scoping, the spec's figures, paged rows, charts.

    answer = answer_question(session, viewer, parse(text, vocabulary, today), today, page=0)

``answer`` is an :class:`Answer` (counts, one page of rows, chart series) or a
:class:`Refusal` (a group outside the viewer's scope, or a group the tracker does not know).
"""

from domain.answers import (
    PAGE_SIZE,
    ActionDetail,
    Answer,
    Chart,
    Figures,
    GroupFigures,
    HistoryLine,
    InspectionDetail,
    InspectionRow,
    Page,
    Row,
)
from store.queries.answers import ANSWERED_INTENTS, answer_question
from store.queries.codec import BadQuestionData, page_number, question_from_params, question_params
from store.queries.detail import action_detail, inspection_detail
from store.queries.scope import ALL, GROUPS, OWN, AnswerScope, Refusal, resolve_answer_scope, scope_clause, viewer_scope

__all__ = [
    "ANSWERED_INTENTS",
    "BadQuestionData",
    "answer_question",
    "page_number",
    "question_from_params",
    "question_params",
    "action_detail",
    "inspection_detail",
    "PAGE_SIZE",
    "ActionDetail",
    "Answer",
    "Chart",
    "Figures",
    "GroupFigures",
    "HistoryLine",
    "InspectionDetail",
    "InspectionRow",
    "Page",
    "Row",
    "ALL",
    "GROUPS",
    "OWN",
    "Refusal",
    "AnswerScope",
    "resolve_answer_scope",
    "scope_clause",
    "viewer_scope",
]
