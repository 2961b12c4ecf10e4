"""Who may see what, for a question: the ONE place that turns a viewer and a question into a scope.

Rules (docs/domain.md "Who uses it", issue 4 rule 2):

* governance may ask about any group; no group named means the whole force;
  "my group" means the groups they lead, else their own group;
* a chief officer or SPOC (a leading role) sees the groups they lead: no group named or
  "my group" means all of them; naming another group is politely refused;
* anyone else (an owner) sees only their own actions and those of owners who delegated
  to them, whatever the phrasing; a group they name only narrows that further.

Every query in this package filters through :func:`scope_clause`, so no phrasing can widen it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select, true

from questions import Question
from store.models import Action, BusinessGroup, InspectionItem
from store.people import Viewer

__all__ = ["ALL", "GROUPS", "OWN", "Scope", "Refusal", "resolve_scope", "scope_clause", "viewer_scope"]

ALL, GROUPS, OWN = "all", "groups", "own"
OUT_OF_SCOPE, UNKNOWN_GROUP = "out_of_scope", "unknown_group"


@dataclass(frozen=True)
class Scope:
    """What a question may cover. ``groups`` and ``owner_ids`` both restrict (AND) when set."""

    kind: str                            # all | groups | own
    groups: tuple[str, ...] = ()         # only these business groups (empty: no group restriction)
    owner_ids: tuple[int, ...] = ()      # only these owners (empty: no owner restriction)
    note: str | None = None              # said on the card (e.g. why an owner sees only their own)

    @property
    def multi_group(self) -> bool:
        """True when an answer spans several groups (charts then go by group)."""
        return self.kind != OWN and len(self.groups) != 1

    @property
    def label(self) -> str:
        """'in Met Operations', 'across the force', 'among your actions'."""
        if self.kind == OWN:
            where = f" in {_join(self.groups)}" if self.groups else ""
            return f"among your actions{where}"
        return f"in {_join(self.groups)}" if self.groups else "across the force"


@dataclass(frozen=True)
class Refusal:
    """A question that cannot be answered for this viewer, and what they may ask instead."""

    kind: str                       # out_of_scope | unknown_group
    asked: tuple[str, ...]          # the group(s) asked about
    allowed: tuple[str, ...] = ()   # out_of_scope: the groups this viewer may ask about
    known: tuple[str, ...] = ()     # unknown_group: every group the tracker knows


def _join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_OWNER_NOTE = ("You can see your own actions and those delegated to you. "
               "For a whole group, ask its SPOC or chief officer.")


def resolve_scope(viewer: Viewer, question: Question | None, known_groups: Sequence[str] = ()) -> Scope | Refusal:
    """The scope of ``question`` for ``viewer``, or why it is refused. The only scoping rule there is.

    ``question=None`` gives the viewer's widest scope (used to check a detail or a page click).
    """
    named = tuple(dict.fromkeys(question.groups)) if question else ()
    my_group = bool(question and question.my_group)
    unknown = question.unknown_group if question else None
    if unknown and not named and not (question and (question.owner or question.audit or question.key_theme)):
        return Refusal(UNKNOWN_GROUP, (unknown,), known=tuple(known_groups))

    if viewer.is_governance:
        mine = viewer.led_groups or ((viewer.group,) if viewer.group else ())
        groups = tuple(dict.fromkeys(named + (mine if my_group else ())))
        return Scope(GROUPS, groups) if groups else Scope(ALL)

    if viewer.led_groups:
        outside = tuple(g for g in named if g not in viewer.led_groups)
        if outside:
            return Refusal(OUT_OF_SCOPE, outside, allowed=viewer.led_groups)
        groups = named if named and not my_group else viewer.led_groups
        if named and my_group:
            groups = tuple(dict.fromkeys(named + viewer.led_groups))
        return Scope(GROUPS, groups)

    own = tuple(dict.fromkeys((viewer.person_id, *viewer.acts_for)))
    note = _OWNER_NOTE if (named or my_group) else None
    return Scope(OWN, named, own, note)


def viewer_scope(viewer: Viewer) -> Scope:
    """The widest scope a viewer has (no question): what a detail click is checked against."""
    scope = resolve_scope(viewer, None)
    assert isinstance(scope, Scope)
    return scope


def _group_ids(groups: tuple[str, ...]):
    return select(BusinessGroup.id).where(BusinessGroup.name.in_(groups)).scalar_subquery()


def scope_clause(scope: Scope, entity: type = Action) -> ColumnElement[bool]:
    """SQL for ``scope`` over actions (default) or inspection items."""
    if entity not in (Action, InspectionItem):
        raise TypeError(f"no scope rule for {entity!r}")
    parts = []
    if scope.groups:
        parts.append(entity.business_group_id.in_(_group_ids(scope.groups)))
    if scope.owner_ids:
        parts.append(entity.owner_id.in_(scope.owner_ids))
    elif scope.kind == OWN:  # an owner with no id would see nothing, never everything
        parts.append(entity.owner_id.is_(None) & entity.owner_id.is_not(None))
    return and_(*parts) if parts else true()
