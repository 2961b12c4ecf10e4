"""Which action (or HMICFRS item) did the owner mean when they typed 'update ...'?

'update' alone lists their outstanding items; 'update 2' is the 2nd on their most-urgent-first
list (the numbers on the 'my actions' card); a ref finds that item whoever owns it (permission is
checked when the form loads, so a SPOC can reach an owner's action by ref and anyone else gets a
clear refusal); other words are matched fuzzily against their own items' titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.matching import MIN_SCORE, clear_winner
from domain.permissions import Viewer
from domain.update_views import ACTION, INSPECTION
from store.db.clauses import outstanding_clause
from store.db.models import Action, InspectionItem
from store.updates.actions import find_action, urgency_order
from store.updates.inspections import find_inspection
from store.updates.support import viewer_owners

__all__ = ["Candidate", "Resolution", "resolve_typed", "LIST_LIMIT", "MIN_SCORE"]

LIST_LIMIT = 10  # how many choices a typed list offers
_POSITION = re.compile(r"^(?:no\.?|number|#)?\s*(\d{1,4})$", re.I)


@dataclass(frozen=True)
class Candidate:
    kind: str  # action | inspection
    ref: str
    title: str
    number: int  # the number to type for it


@dataclass(frozen=True)
class Resolution:
    matches: tuple[Candidate, ...]
    total: int  # how many outstanding items the viewer has (for 'showing 10 of 23')


def _outstanding(session: Session, viewer: Viewer, today: date) -> list[tuple[str, str]]:
    return [
        tuple(row)
        for row in session.execute(
            select(Action.ref, Action.description)
            .where(Action.owner_id.in_(viewer_owners(viewer)), outstanding_clause())
            .order_by(*urgency_order(today))
        )
    ]


def _inspections(session: Session, viewer: Viewer) -> list[tuple[str, str]]:
    return [
        tuple(row)
        for row in session.execute(
            select(InspectionItem.ref, InspectionItem.inspection)
            .where(InspectionItem.owner_id.in_(viewer_owners(viewer)), InspectionItem.status != "closed")
            .order_by(InspectionItem.due_date, InspectionItem.ref)
        )
    ]


def resolve_typed(session: Session, viewer: Viewer, today: date, query: str) -> Resolution:
    query = " ".join((query or "").split())
    actions = _outstanding(session, viewer, today)
    listed = [Candidate(ACTION, ref, title, i + 1) for i, (ref, title) in enumerate(actions)]
    if not query:
        return Resolution(tuple(listed[:LIST_LIMIT]), len(actions))
    if m := _POSITION.match(query):
        n = int(m.group(1))
        return Resolution(tuple(c for c in listed if c.number == n), len(actions))
    if (action := find_action(session, query)) is not None:
        return Resolution((Candidate(ACTION, action.ref, action.description, 1),), len(actions))
    if (item := find_inspection(session, query)) is not None:
        return Resolution((Candidate(INSPECTION, item.ref, item.inspection, 1),), len(actions))
    pool = [(ACTION, ref, title) for ref, title in actions] + [
        (INSPECTION, r, t) for r, t in _inspections(session, viewer)
    ]
    scored = sorted(
        ((fuzz.WRatio(query, title, processor=utils.default_process), (kind, ref, title)) for kind, ref, title in pool),
        key=lambda s: -s[0],
    )
    winner = clear_winner(scored)  # one clear winner: no need to ask
    matches = [winner] if winner is not None else [item for score, item in scored if score >= MIN_SCORE]
    return Resolution(
        tuple(Candidate(kind, ref, title, i + 1) for i, (kind, ref, title) in enumerate(matches[:LIST_LIMIT])),
        len(actions),
    )
