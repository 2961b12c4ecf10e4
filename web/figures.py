"""The figures of the groups a chief officer or SPOC leads (governance: the force), read-only, with
the bot's charts, the live update cycle's response rate, and a nudge to its non-responders.

    GET  /api/tab/figures          ?group=NAME (one of theirs; none: all they may see)
    POST /api/tab/nudge            {"group": "NAME"} (none: every group they lead)

The figures are the bot's answers, from the same service and scope rule (`store.queries.answer_question`
on `domain/permissions.py`): its summary, overdue and delay-reason questions, with the same sentences
(cards/answers.py) and charts worded by cards/charts.py; the page draws each chart as bars with its
numbers as a table. The nudge is `store.cycles.reminders.nudge`: the bot's reminders, to the viewer's
own groups' owners only.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from cards.answer_detail import refusal_words
from cards.answers import answer_title, count_sentence, note_words, summary_facts
from cards.charts import chart_words
from cards.cycle_wording import problem_words, remind_words, sentence
from domain.answers import UNKNOWN_GROUP, Answer, Refusal
from domain.cycles import NONE_OPEN_TO_REMIND, NOT_PERMITTED, CycleError
from domain.permissions import Viewer
from domain.question import Intent, Question
from store.cycles.reminders import nudge
from store.db.setup import business_groups
from store.queries import answer_question
from web.cycle import progress_json
from web.signin import TabContext, authenticated, problem

__all__ = ["add_figure_routes", "FIGURES", "figures_for"]

log = logging.getLogger(__name__)
# The questions whose answers make the page, in the bot's words for them.
FIGURES = ((Intent.SUMMARY, "summary"), (Intent.OVERDUE, "what's overdue"), (Intent.DELAY_REASONS, "why delayed"))
_NOT_FOR_YOU = (
    "The figures are for chief officers, SPOCs and Strategy & Governance: your own actions are in the tracker."
)


def _answer(answer: Answer) -> dict[str, Any]:
    lines = count_sentence(answer)
    charts = []
    for chart in answer.charts:
        if chart.empty:
            continue
        worded = chart_words(chart)
        charts.append(
            {
                "kind": worded.kind,
                "title": worded.title,
                "categories": list(worded.categories),
                "series": [{"legend": legend, "values": list(values)} for legend, values in worded.series],
                "x_title": worded.x_title,
                "y_title": worded.y_title,
            }
        )
    return {
        "question": answer.intent.value,
        "title": answer_title(answer.intent.value),
        "headline": lines[0],
        "lines": lines[1:],
        "notes": [note_words(n) for n in answer.notes],
        "charts": charts,
    }


def figures_for(session: Session, viewer: Viewer, group: str | None, today: date) -> dict[str, Any] | Refusal:
    """The bot's answers to its figure questions for `viewer` (one group of theirs, or all they may
    see), and the open or latest cycle's response rate in those groups."""
    known = business_groups(session)
    if group is not None and group not in known:  # checked here: the questions' parser only names known ones
        return Refusal(UNKNOWN_GROUP, (group,), known=tuple(known))
    answers: list[dict[str, Any]] = []
    summary: Answer | None = None
    for intent, words in FIGURES:
        found = answer_question(
            session, viewer, Question(intent=intent, text=words, groups=(group,) if group else ()), today
        )
        if isinstance(found, Refusal):
            return found
        summary = summary or found
        answers.append(_answer(found))
    assert summary is not None
    body: dict[str, Any] = {
        "as_of": today.isoformat(),
        "scope": summary.scope.label,
        "groups": list(viewer.led_groups),
        "facts": [
            {"label": label, "value": str(value)}
            for label, value in summary_facts(summary.figures)
            if value is not None
        ],
        "by_group": [
            {"group": g.group, "outstanding": g.outstanding, "overdue": g.overdue, "pct_overdue": g.pct_overdue}
            for g in summary.by_group
        ],
        "answers": answers,
        "cycle": None,
    }
    try:
        cycle = progress_json(viewer, session, None)
    except CycleError:
        return body
    if group:  # the response rate of the group shown only
        cycle["by_group"] = [g for g in cycle["by_group"] if g["group"] == group]
    body["cycle"] = cycle
    return body


def add_figure_routes(app: web.Application, ctx: TabContext) -> None:
    async def figures(request: web.Request, viewer: Viewer) -> web.Response:
        if not viewer.may_follow_cycles:  # governance, or a SPOC or chief officer of some group
            return problem(403, NOT_PERMITTED, _NOT_FOR_YOU)
        group = request.rel_url.query.get("group", "").strip()[:120] or None
        found = await ctx.run(figures_for, viewer, group, ctx.today())
        if isinstance(found, Refusal):
            return problem(403 if found.kind == "out_of_scope" else 404, found.kind, refusal_words(found))
        return web.json_response(found, headers={"Cache-Control": "no-store"})

    async def nudge_route(request: web.Request, viewer: Viewer) -> web.Response:
        try:
            body = json.loads(await request.read() or b"{}")
        except (ValueError, RecursionError):
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("group", ""), (str, type(None))):
            return problem(400, "bad_body", 'Send {"group": "NAME"} (or {} for every group you lead).')
        group = (body.get("group") or "").strip()
        try:
            result = await ctx.run(nudge, viewer, groups=(group,) if group else (), now=ctx.clock(), today=ctx.today())
        except CycleError as refused:
            status = 403 if refused.problem.code != NONE_OPEN_TO_REMIND else 409
            return problem(status, refused.problem.code, sentence(problem_words(refused.problem)))
        ctx.wake_outbox()
        log.info("nudge from the tab by person %s: %d reminders", viewer.person_id, result.reminders)
        return web.json_response(
            {"cycle": result.cycle_id, "reminders": result.reminders, "message": remind_words(result, digests=False)},
            headers={"Cache-Control": "no-store"},
        )

    app.router.add_get("/api/tab/figures", authenticated(ctx, figures))
    app.router.add_post("/api/tab/nudge", authenticated(ctx, nudge_route))
