"""Issue 22's answers in words: the sentences of the new kinds of answer (audits, new actions, key
themes, a status asked of delivered actions, DARA against HMICFRS), the breakdown tables, the notes
of what was not applied, and the closest questions offered as buttons. Pure, like cards/answers.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from cards.common import action_set, execute, fmt_date, shorten, table, text
from domain import answer_notes as A
from domain.answer_notes import Note
from domain.phrases import count_of

if TYPE_CHECKING:
    from domain.answers import Answer

__all__ = ["MAX_TABLE_ROWS", "breakdown_elements", "closest_questions", "new_sentences", "unapplied_words"]

MAX_TABLE_ROWS = 30  # rows of a breakdown table on one card (the sentence says when there are more)
_BY_HEADER = {"group": "Business group", "owner": "Owner", "source": "Source"}
_KIND_WORDS = {"rec": "recommendations", "afi": "areas for improvement"}
_STATUS_WORDS = {
    "holding": "in a holding position",
    "submitted for closure": "submitted for closure",
    "open": "open (not started)",
    "in progress": "in progress",
}
_NOT_FOR_ACTIONS = {A.ITEM_KIND: "an HMICFRS kind (recommendation or AFI)", A.STATUS: "that status"}


def _where(answer: "Answer") -> str:
    return f" {answer.scope.label}"


def _status(answer: "Answer") -> str | None:
    return next((t.value for t in answer.filters if not isinstance(t, str) and t.kind == A.STATUS), None)


def new_sentences(answer: "Answer") -> list[str] | None:
    """The count sentence of an answer kind cards/answers.py does not word itself (None: it does)."""
    f, kind = answer.figures, answer.intent.value
    if kind == "audits":
        audits = f.audits or 0
        lines = [f"{count_of(audits, 'audit')} with outstanding actions{_where(answer)} ({f.outstanding} outstanding)"]
        if audits > MAX_TABLE_ROWS:
            lines.append(f"The {MAX_TABLE_ROWS} with the most outstanding actions are listed.")
        return lines
    if kind == "new_actions":
        window = f"between {fmt_date(f.window_from)} and {fmt_date(f.window_to)}"
        return [
            f"{count_of(f.new_actions or 0, 'new action')}{_where(answer)}: from audits received {window}",
            "New means the action's audit was received in that quarter, whatever its status now.",
        ]
    if kind == "key_themes":
        return [
            f"{f.with_key_theme} of {count_of(f.outstanding, 'outstanding action')}{_where(answer)} have a key theme",
            "Actions with no key theme recorded are not counted.",
        ]
    if kind == "delivered" and _status(answer) == "implemented" and f.window_from is None:
        return [
            f"{count_of(f.delivered or 0, 'action')} implemented and waiting for DARA to close them{_where(answer)}"
        ]
    if kind == "delivered" and _status(answer) == "closed":
        window = f"between {fmt_date(f.window_from)} and {fmt_date(f.window_to)}"
        return [f"{count_of(f.delivered or 0, 'action')} closed by DARA {window}{_where(answer)}"]
    if kind == "summary" and answer.by == "source":
        dara, items = answer.by_group
        return [
            f"DARA: {dara.outstanding} outstanding, {dara.overdue} overdue ({dara.pct_overdue}%). "
            f"HMICFRS: {items.outstanding} open, {items.overdue} overdue ({items.pct_overdue}%){_where(answer)}"
        ]
    if kind == "inspections":
        return _inspection_sentence(answer)
    return None


def _inspection_sentence(answer: "Answer") -> list[str] | None:
    terms = {t.kind: t.value for t in answer.filters if not isinstance(t, str)}
    if A.ITEM_KIND not in terms and A.STATUS not in terms:
        return None
    what = _KIND_WORDS.get(terms.get(A.ITEM_KIND) or "", "recommendations and AFIs")
    status = _STATUS_WORDS.get(terms.get(A.STATUS) or "", "not closed")
    return [f"{answer.figures.inspections_open or 0} HMICFRS {what} {status}{_where(answer)}"]


def breakdown_elements(answer: "Answer") -> list[dict[str, Any]]:
    """The table a breakdown asked for: by group, owner or source (outstanding and overdue side by side,
    ranked as asked), every audit with outstanding actions, or HMICFRS items by kind and state."""
    if answer.by in _BY_HEADER and answer.by_group:
        rows = answer.by_group[:MAX_TABLE_ROWS]
        ranked = "ranked by % overdue" if answer.percent else "most first"
        out: list[dict[str, Any]] = [text(f"By {_BY_HEADER[answer.by].lower()}, {ranked}", weight="Bolder")]
        out.append(
            table(
                [_BY_HEADER[answer.by], "Outstanding", "Overdue", "% overdue"],
                [[g.group, g.outstanding, g.overdue, f"{g.pct_overdue}%"] for g in rows],
                widths=[3, 1, 1, 1],
            )
        )
        if len(answer.by_group) > len(rows):
            out.append(text(f"…and {len(answer.by_group) - len(rows)} more.", subtle=True, size="Small"))
        return out
    if answer.intent.value == "audits":
        rows_a = [[title, n] for title, n in answer.breakdown[:MAX_TABLE_ROWS]]
        return [table(["Audit", "Outstanding actions"], rows_a, widths=[4, 1])] if rows_a else []
    if answer.intent.value == "inspections" and answer.params.get("by") == "kind":
        rows_k = [[label, n] for label, n in answer.breakdown]
        return [table(["Kind · state", "Items"], rows_k, widths=[3, 1])] if rows_k else []
    return []


def unapplied_words(note: Note) -> str | None:
    """The notes saying what part of the question was not used (None: not one of those)."""
    if note.code == A.NOT_UNDERSTOOD:
        said = ", ".join(f"“{shorten(words, 60)}”" for words in note.filters)
        return f"I did not use {said}: the answer is for the rest of your question."
    if note.code == A.NOT_FOR_ACTIONS:
        named = " or ".join(_NOT_FOR_ACTIONS.get(kind, kind) for kind in note.filters)
        return f"DARA actions have no {named}, so it was not applied."
    return None


def closest_questions(answer: "Answer", suggestions: Sequence[str]) -> list[dict[str, Any]]:
    """When part of the question was not applied: the closest questions that can be answered, as buttons."""
    missed = any(isinstance(n, Note) and n.code in (A.NOT_UNDERSTOOD, A.NOT_FOR_ACTIONS) for n in answer.notes)
    if not missed or not suggestions:
        return []
    return [
        text("Closest questions I can answer as asked:", subtle=True, size="Small"),
        action_set([execute(shorten(s, 60), "ask", {"text": s}) for s in suggestions[:3]]),
    ]
