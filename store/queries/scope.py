"""Who may see what, for a question: the ONE place that turns a viewer and a question into a scope.

Rules (docs/domain.md "Who uses it", issue 4 rule 2):

* governance may ask about any group; no group named means the whole force;
  "my group" means the groups they lead, else their own group;
* a chief officer or SPOC (a leading role) sees the groups they lead: no group named or
  "my group" means all of them; naming another group is politely refused;
* anyone else (an owner) sees only their own actions and those of owners who delegated
  to them, whatever the phrasing; a group they name only narrows that further;
* "my ..." questions (``Question.mine``) are about the asker's own actions whatever the role.

Every query in this package filters through :func:`scope_clause`, so no phrasing can widen it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, select, true

from domain.answer_notes import OWN_ONLY, Note
from domain.answers import ALL, GROUPS, OUT_OF_SCOPE, OWN, UNKNOWN_GROUP, AnswerScope, Refusal
from domain.question import Question
from store.db.models import Action, BusinessGroup, InspectionItem
from store.people.viewers import Viewer

__all__ = [
    "ALL",
    "GROUPS",
    "OWN",
    "UNKNOWN_GROUP",
    "AnswerScope",
    "Refusal",
    "bound_scope_clause",
    "resolve_answer_scope",
    "scope_clause",
    "scope_params",
    "viewer_scope",
]


def resolve_answer_scope(
    viewer: Viewer, question: Question | None, known_groups: Sequence[str] = ()
) -> AnswerScope | Refusal:
    """The scope of ``question`` for ``viewer``, or why it is refused. The only scoping rule there is.

    ``question=None`` gives the viewer's widest scope (used to check a detail or a page click).
    """
    named = tuple(dict.fromkeys(question.groups)) if question else ()
    my_group = bool(question and question.my_group)
    unknown = question.unknown_group if question else None
    if unknown and not named and not (question and (question.owner or question.audit or question.key_theme)):
        return Refusal(UNKNOWN_GROUP, (unknown,), known=tuple(known_groups))

    if question is not None and question.mine:
        # "my actions ...", "what's overdue for me": the asker's own (and delegated) actions, whatever the
        # role; a group named only narrows it (this never widens anyone's scope)
        return AnswerScope(OWN, named, tuple(dict.fromkeys((viewer.person_id, *viewer.acts_for))))

    if viewer.is_governance:
        mine = viewer.led_groups or ((viewer.group,) if viewer.group else ())
        groups = tuple(dict.fromkeys(named + (mine if my_group else ())))
        return AnswerScope(GROUPS, groups) if groups else AnswerScope(ALL)

    if viewer.led_groups:
        outside = tuple(g for g in named if g not in viewer.led_groups)
        if outside:
            return Refusal(OUT_OF_SCOPE, outside, allowed=viewer.led_groups)
        groups = named if named and not my_group else viewer.led_groups
        if named and my_group:
            groups = tuple(dict.fromkeys(named + viewer.led_groups))
        return AnswerScope(GROUPS, groups)

    own = tuple(dict.fromkeys((viewer.person_id, *viewer.acts_for)))
    note = Note(OWN_ONLY) if (named or my_group) else None
    return AnswerScope(OWN, named, own, note)


def viewer_scope(viewer: Viewer) -> AnswerScope:
    """The widest scope a viewer has (no question): what a detail click is checked against."""
    scope = resolve_answer_scope(viewer, None)
    assert isinstance(scope, AnswerScope)
    return scope


def _group_ids(groups: tuple[str, ...]) -> ColumnElement[int]:
    return select(BusinessGroup.id).where(BusinessGroup.name.in_(groups)).scalar_subquery()


def scope_clause(scope: AnswerScope, entity: type = Action) -> ColumnElement[bool]:
    """SQL for ``scope`` over actions (default) or inspection items."""
    if entity not in (Action, InspectionItem):
        raise TypeError(f"no scope rule for {entity!r}")
    parts: list[ColumnElement[bool]] = []
    if scope.groups:
        parts.append(entity.business_group_id.in_(_group_ids(scope.groups)))
    if scope.owner_ids:
        parts.append(entity.owner_id.in_(scope.owner_ids))
    elif scope.kind == OWN:  # an owner with no id would see nothing, never everything
        parts.append(entity.owner_id.is_(None) & entity.owner_id.is_not(None))
    return and_(*parts) if parts else true()


@cache
def _bound_scope(entity: Any, groups: bool, owners: bool, own: bool) -> ColumnElement[bool]:
    parts: list[ColumnElement[bool]] = []
    if groups:
        names: BindParameter[Any] = bindparam("scope_groups", expanding=True)
        parts.append(
            entity.business_group_id.in_(
                select(BusinessGroup.id).where(BusinessGroup.name.in_(names)).scalar_subquery()
            )
        )
    if owners:
        parts.append(entity.owner_id.in_(bindparam("scope_owners", expanding=True)))
    elif own:  # an owner with no id would see nothing, never everything
        parts.append(entity.owner_id.is_(None) & entity.owner_id.is_not(None))
    return and_(*parts) if parts else true()


def bound_scope_clause(scope: AnswerScope, entity: type = Action) -> ColumnElement[bool]:
    """:func:`scope_clause` built once per shape, its groups and owners bound (values: :func:`scope_params`),
    so every question's statement of one shape is the same object (store/queries/sql.py caches them)."""
    if entity not in (Action, InspectionItem):
        raise TypeError(f"no scope rule for {entity!r}")
    return _bound_scope(entity, bool(scope.groups), bool(scope.owner_ids), scope.kind == OWN)


def scope_params(scope: AnswerScope) -> dict[str, list[Any]]:
    """The values :func:`bound_scope_clause` binds."""
    return {"scope_groups": list(scope.groups), "scope_owners": list(scope.owner_ids)}
