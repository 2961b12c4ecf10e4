"""What the hand-made test trackers (tests/store/*_tracker.py) share: their people, and finding rows.

Each tracker module keeps its own cast and rows (what a test reads about); the way they are put in
the database and looked up again is here, once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.permissions import Viewer
from store.db.models import Action, HistoryEntry, InspectionItem, Person
from store.people.viewers import viewer_for
from tests.fakes.people import add_person, groups_by_name, own_group_leads

__all__ = [
    "HandTracker",
    "groups_by_name",
    "history_entry",
]  # groups_by_name: tests/fakes/people.py's, for the trackers


@dataclass
class HandTracker:
    session: Session
    today: date
    people: dict[str, Person] = field(default_factory=dict)

    def add_people(self, cast: Mapping[str, tuple[str, str, tuple[str, ...]]]) -> None:
        """``cast``: key -> (name, group, roles); a SPOC or chief officer leads their own group."""
        for key, (name, group, roles) in cast.items():
            leads = own_group_leads(roles, group)
            self.people[key] = add_person(self.session, key, name, group=group, roles=roles, leads=leads)

    def pid(self, key: str) -> int:
        return self.people[key].id

    def viewer(self, key: str) -> Viewer:
        return viewer_for(self.session, self.people[key])

    def action(self, ref: str) -> Action:
        found = self.session.scalar(select(Action).where(Action.ref == ref))
        assert found is not None, ref
        return found

    def inspection(self, ref: str) -> InspectionItem:
        found = self.session.scalar(select(InspectionItem).where(InspectionItem.ref == ref))
        assert found is not None, ref
        return found


def history_entry(
    ref: str,
    field: str,
    old: str | None,
    new: str | None,
    *,
    at: datetime,
    entity: str = "action",
    actor: str = "test",
    channel: str = "teams",
) -> HistoryEntry:
    """One history row written straight into the table (as an old row or another tool could)."""
    return HistoryEntry(
        at=at, actor=actor, channel=channel, entity=entity, entity_ref=ref, field=field, old_value=old, new_value=new
    )
