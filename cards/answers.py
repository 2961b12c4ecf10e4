"""Answer cards: the count sentence first, then filters and notes, a chart, the paged list.

Pure builders over ``store.queries`` answers. Buttons (Action.Execute, with the
Action.Submit fallback of cards.common.execute):

* ``question.page``   ``{"q": <question>, "page": n}``: Previous / Next, and Back from a detail;
* ``question.detail`` ``{"ref", "kind": "action"|"inspection", "q", "page"}``: one item's detail;
* ``ask``             ``{"text"}``: a follow-up question typed for the user.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, Sequence

from cards.answer_tables import breakdown_elements, closest_questions, new_sentences, unapplied_words
from cards.charts import chart_element
from cards.common import action_set, adaptive_card, container, execute, facts, fmt_date, heading, plain, table, text
from domain import answer_notes as A
from domain.answer_notes import FilterTerm, Note

if TYPE_CHECKING:
    from domain.answers import Answer, AnswerScope, Figures

__all__ = [
    "answer_card",
    "answer_title",
    "count_sentence",
    "filter_words",
    "note_words",
    "summary_facts",
    "PAGE_VERB",
    "DETAIL_VERB",
    "MAX_ROWS",
    "ROW_BUDGET_BYTES",
]

PAGE_VERB, DETAIL_VERB = "question.page", "question.detail"
MAX_ROWS = 25  # never more rows on one card, whatever is passed
ROW_BUDGET_BYTES = 17_000  # the list stops before this, keeping the card well under 28 KB
_TITLES = {
    "outstanding": "Outstanding actions",
    "overdue": "Overdue actions",
    "forthcoming": "Forthcoming actions",
    "delivered": "Delivered actions",
    "delay_reasons": "Delay reasons",
    "stale": "Stale actions",
    "summary": "Summary",
    "inspections": "Open HMICFRS recommendations and AFIs",
    "audits": "Audits with outstanding actions",
    "new_actions": "New actions",
    "key_themes": "Key themes",
}
_FOLLOW_UPS = {
    "summary": ("What's overdue?", "Why are we delayed?", "Due in the next 3 months"),
    "overdue": ("Why are we delayed?", "Summary"),
    "outstanding": ("What's overdue?", "Summary"),
}


def answer_title(kind: str) -> str:
    """The heading of an answer to a question of this kind (an Intent's value), as on its card."""
    return _TITLES.get(kind, "Answer")


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _headline(figures: "Figures", scope: "AnswerScope") -> str:
    """'49 outstanding in Met Operations, 16 overdue (33%)'."""
    tail = f", {figures.overdue} overdue ({figures.pct_overdue}%)"
    if scope.kind == "own":
        where = scope.label.removeprefix("among your actions")
        return f"{figures.outstanding} of your actions outstanding{where}{tail}"
    return f"{figures.outstanding} outstanding {scope.label}{tail}"


def _window(start: date | None, end: date | None) -> str:
    if start and end:
        return f"between {fmt_date(start)} and {fmt_date(end)}"
    return f"from {fmt_date(start)}" if start else (f"up to {fmt_date(end)}" if end else "")


def count_sentence(answer: "Answer") -> list[str]:
    """The figures in words: the first line is the count sentence, then what qualifies it."""
    new = new_sentences(answer)
    if new is not None:
        return new
    f, scope, kind = answer.figures, answer.scope, answer.intent.value
    where = f" {scope.label}"
    if kind in ("outstanding", "overdue", "summary"):
        lines = [_headline(f, scope)]
        if f.overdue:
            lines.append(f"{f.overdue_with_revised} of the {f.overdue} overdue have an agreed revised date.")
        return lines
    if kind == "forthcoming":
        window = (
            "in the next 12 months"
            if answer.params.get("due_from") is None and answer.params.get("due_to") is None
            else _window(f.window_from, f.window_to)
        )
        return [
            f"{_n(f.forthcoming or 0, 'action')} due {window}{where}, "
            f"{f.due_by_quarter_end} by the end of the quarter ({fmt_date(f.quarter_end)})"
        ]
    if kind == "delivered":
        return [
            f"{_n(f.delivered or 0, 'action')} delivered {_window(f.window_from, f.window_to)}{where}: "
            f"{f.delivered_original} from original audits, {f.delivered_follow_up} from follow-ups"
        ]
    if kind == "delay_reasons":
        return [
            f"{f.with_delay_reason} of {_n(f.outstanding, 'outstanding action')}{where} have a delay reason",
            "Actions with no delay reason recorded are not counted.",
        ]
    if kind == "stale":
        return [
            f"{_n(f.stale or 0, 'stale action')}{where}: still outstanding, with an original due date "
            f"before {fmt_date(f.stale_before)}"
        ]
    return [
        f"{_n(f.inspections_open or 0, 'open HMICFRS item')}{where}",
        "Open means not closed: holding and submitted for closure are included.",
    ]


def _window_filter(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{fmt_date(start)} to {fmt_date(end)}"
    if start:
        return f"from {fmt_date(start)}"
    return f"up to {fmt_date(end)}" if end else ""


def filter_words(term: FilterTerm | str) -> str:
    """'high risk', 'audit: …', 'with no revised date', '01 Dec 2026 to 28 Feb 2027' (a str: as it is)."""
    if isinstance(term, str):
        return term
    if term.kind == A.RISK:
        return f"{term.value} risk"
    if term.kind == A.REVISED:
        return "with a revised date" if term.flag else "with no revised date"
    if term.kind == A.WINDOW:
        return _window_filter(term.start, term.end)
    if term.kind == A.ORIGINAL_WINDOW:
        return "original due date " + _window_filter(term.start, term.end)
    if term.kind in _WORDED:
        return _WORDED[term.kind].get(term.value or "", f"{term.kind.replace('_', ' ')}: {term.value}")
    label = {
        A.AUDIT: "audit",
        A.OWNER: "owner",
        A.KEY_THEME: "key theme",
        A.THEME: "theme",
        A.DELAY_REASON: "delay reason",
        A.STATUS: "status",
    }.get(term.kind, term.kind)
    return f"{label}: {term.value}"


_WORDED = {
    A.ASSURANCE: {"limited": "from audits graded limited or no assurance"},
    A.ITEM_KIND: {"rec": "recommendations only", "afi": "areas for improvement only"},
    A.SOURCE: {"dara": "DARA actions only (HMICFRS not counted)"},
}

_NOTES = {
    A.OWN_ONLY: "You can see your own actions and those delegated to you. For a whole group, ask its SPOC or "
    "chief officer.",
    A.LOW_RISK_UNMONITORED: "Low-risk actions are not monitored centrally, so they are never counted here.",
    A.MEDIUM_RISK_LIMITED: "Medium-risk actions count only from audits graded limited or no assurance.",
    A.DARA_ONLY: 'These figures are for DARA audit actions; ask "open HMICFRS recommendations" for the '
    "inspectorate's items.",
}
_FILTER_NAMES = {
    A.RISK: "risk",
    A.AUDIT: "audit",
    A.REVISED: "revised date",
    A.DELAY_REASON: "delay reason",
    A.ASSURANCE: "assurance grade",
    A.STATUS: "such status",
}


def note_words(note: Note | str) -> str:
    """A note under the count sentence (a str: as it is)."""
    if isinstance(note, str):
        return note
    unapplied = unapplied_words(note)
    if unapplied is not None:
        return unapplied
    if note.code == A.FILTERS_NOT_APPLIED:
        names = [_FILTER_NAMES.get(f, f) for f in note.filters]
        listed = " or ".join((", ".join(names[:-1]), names[-1])) if len(names) > 1 else "".join(names)
        which = "those filters were" if len(names) > 1 else "that filter was"
        return f"HMICFRS items have no {listed}, so {which} not applied."
    return _NOTES.get(note.code, note.code)


def _detail_data(row: Any, answer: "Answer") -> dict[str, Any]:
    return {"ref": row.ref, "kind": row.kind, "q": answer.params, "page": answer.page.number}


def _row_lines(row: Any) -> tuple[str, str]:
    if row.kind == "inspection":
        first = f"**{plain(row.ref)}** {row.item_kind.upper()} · {plain(row.title, 90)}"
        bits = [
            row.theme or "no theme",
            row.owner or "no owner",
            row.group or "no group",
            f"due {fmt_date(row.due_date)}",
            row.status,
        ]
        return first, " · ".join(plain(b) for b in bits)
    bits = [plain(row.owner), plain(row.group), f"due {fmt_date(row.due_date)}"]
    if row.revised_date:
        bits.append(f"revised {fmt_date(row.revised_date)}")
    if row.implemented_on:
        bits.append(f"implemented {fmt_date(row.implemented_on)}")
    if row.days_overdue:
        bits.append(f"**{_n(row.days_overdue, 'day')} overdue**")
    if row.delay_reason:
        bits.append(f"delay: {plain(row.delay_reason)}")
    return f"**{plain(row.ref)}** {plain(row.title, 90)}", " · ".join(bits)


def _row(row: Any, answer: "Answer") -> dict[str, Any]:
    first, second = _row_lines(row)
    return container(
        [text(first), text(second, subtle=True, size="Small", spacing="None")],
        separator=True,
        spacing="Small",
        selectAction=execute("Details", DETAIL_VERB, _detail_data(row, answer)),
    )


def _size(element: Any) -> int:
    return len(json.dumps(element, separators=(",", ":")))


def _rows(answer: "Answer") -> tuple[list[dict[str, Any]], int]:
    """The list, cut at MAX_ROWS and at the byte budget; returns (elements, rows shown)."""
    out: list[dict[str, Any]] = []
    used = 0
    for row in answer.page.rows[:MAX_ROWS]:
        element = _row(row, answer)
        used += _size(element)
        if used > ROW_BUDGET_BYTES:
            break
        out.append(element)
    return out, len(out)


def _pager(answer: "Answer", shown: int) -> list[dict[str, Any]]:
    page = answer.page
    body = []
    if page.total:
        first = page.first
        body.append(
            text(
                f"Showing {first}–{first + shown - 1} of {page.total} · page {page.number + 1} of "
                f"{page.pages}. Tap an item for its detail.",
                subtle=True,
                size="Small",
            )
        )
    buttons = []
    if page.has_previous:
        buttons.append(execute("Previous", PAGE_VERB, {"q": answer.params, "page": page.number - 1}))
    if page.has_next:
        buttons.append(execute("Next", PAGE_VERB, {"q": answer.params, "page": page.number + 1}))
    if buttons:
        body.append(action_set(buttons))
    return body


def summary_facts(f: "Figures") -> list[tuple[str, Any]]:
    """The summary's figures as (label, value) pairs: the card's facts, and the tab's."""
    quarter_end = fmt_date(f.quarter_end)
    return [
        ("Outstanding", f.outstanding),
        ("Overdue", f"{f.overdue} ({f.pct_overdue}%)"),
        ("Overdue with a revised date", f.overdue_with_revised),
        ("Audits with outstanding actions", f.audits),
        ("Due in the next 12 months", f.forthcoming),
        (f"Due by the quarter end ({quarter_end})", f.due_by_quarter_end),
        (
            f"Delivered this quarter (from {fmt_date(f.window_from)})",
            f"{f.delivered} ({f.delivered_original} original, {f.delivered_follow_up} follow-up)",
        ),
        ("Open HMICFRS items", f.inspections_open),
    ]


def _summary_facts(f: "Figures") -> dict[str, Any]:
    return facts(summary_facts(f))


def _empty_text(answer: "Answer") -> str:
    return "Nothing matches this question." if answer.intent.value != "inspections" else "No open HMICFRS items here."


def answer_card(answer: "Answer", suggestions: Sequence[str] = ()) -> dict[str, Any]:
    """The whole answer on one card (a summary has a by-group table instead of a list); when part of the
    question was not applied, ``suggestions`` (the closest answerable questions) are offered as buttons."""
    kind = answer.intent.value
    lines = count_sentence(answer)
    body: list[dict[str, Any]] = [heading(answer_title(kind)), text(lines[0], weight="Bolder", size="Medium")]
    body += [text(line, spacing="None") for line in lines[1:]]
    if answer.filters:
        body.append(text("Filters: " + "; ".join(filter_words(f) for f in answer.filters), subtle=True, size="Small"))
    body += [text(note_words(note), subtle=True, size="Small", color="Warning") for note in answer.notes]
    if kind == "summary":
        body.append(_summary_facts(answer.figures))
    for chart in answer.charts:
        if not chart.empty:
            body.append(chart_element(chart))
    body += breakdown_elements(answer)
    if kind == "summary" and answer.by_group and answer.by is None:
        body.append(text("By business group", weight="Bolder"))
        body.append(
            table(
                ["Business group", "Outstanding", "Overdue", "% overdue"],
                [[g.group, g.outstanding, g.overdue, f"{g.pct_overdue}%"] for g in answer.by_group],
                widths=[3, 1, 1, 1],
            )
        )
    if kind not in ("summary", "audits"):
        rows, shown = _rows(answer)
        body += rows if rows else [text(_empty_text(answer), subtle=True)]
        if len(answer.page.rows) > shown:
            body.append(
                text(
                    f"Only the first {shown} are shown here: ask a narrower question (a group, a risk, a date window).",
                    subtle=True,
                    size="Small",
                )
            )
        body += _pager(answer, shown)
    body += closest_questions(answer, suggestions)
    follow_ups: Sequence[str] = _FOLLOW_UPS.get(kind, ())
    return adaptive_card(body, [execute(q, "ask", {"text": q}) for q in follow_ups])
