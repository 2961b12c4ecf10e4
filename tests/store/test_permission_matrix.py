"""Every change to the tracker, as every role, through the store: exactly who is refused.

The store is the one place a change is refused (the rules are domain/permissions.py), so the bot,
the command line, the schedules and any later caller get the same answer. Each example runs one
change in its own transaction, rolled back after: a refused change must leave nothing behind.
The expected answers below are written from the spec's table of roles (docs/domain.md), not from
the Viewer's code.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from domain.cycles import NOT_PERMITTED as CYCLE_NOT_PERMITTED
from domain.cycles import NOT_YOUR_GROUP, CycleError, CycleScope
from domain.decisions import CLOSURE, DECIDED, Decision
from domain.decisions import NOT_PERMITTED as DECISION_NOT_PERMITTED
from domain.import_problems import ImportCode, WorkbookError
from domain.permissions import Viewer, operator_viewer
from domain.update_views import ACTION, INSPECTION, SAVED
from domain.update_views import NOT_PERMITTED as UPDATE_NOT_PERMITTED
from domain.update_views import REFUSED as UPDATE_REFUSED
from store.cycles.lifecycle import close_cycle, start_cycle
from store.cycles.reminders import nudge, remind
from store.db.models import (
    Action,
    Cover,
    DueDateProposal,
    HistoryEntry,
    InspectionItem,
    OutboxMessage,
    Person,
    UpdateCycle,
)
from store.history import ChangeContext
from store.people import cover as covers
from store.people import reassign as moves
from store.people.viewers import viewer_for
from store.updates import creation
from store.updates.decisions import decide
from store.updates.edits import EDITED, ActionEdit, edit_action
from store.updates.edits import NOT_PERMITTED as EDIT_NOT_PERMITTED
from store.updates.pipeline import apply_update
from store.workbook import export_workbook, import_workbook
from tests.fakes.people import add_person
from tests.store.cycle_tracker import CORP, MET, build

TODAY = date(2026, 11, 26)
OPERATOR = "operator"
# Who acts: the tracker's people (tests/store/cycle_tracker.py) plus two added here, and the operator.
WHO = ("olivia", "amelia", "sam", "dev", "colin", "grace", "mo", "nina", OPERATOR)
SPOCS = {MET: {"sam", "mo"}, CORP: {"dev"}}  # mo: SPOC of Met Operations, chief officer of Corporate Services
CHIEFS = {MET: {"colin"}, CORP: {"mo"}}
RUN_TRACKER = {"grace", OPERATOR}  # Strategy & Governance, and whoever runs the service
# Per group: the action changed, its owner, the person it goes to or who covers
TARGETS = {MET: ("MET-1", "olivia", "laura"), CORP: ("CORP-1", "amelia", "dev")}


@dataclass(frozen=True)
class Change:
    """One change to the tracker: who may make it, how to set the stage, how to make it."""

    name: str
    allowed: Callable[[str, str], bool]  # (who, group) -> may they
    run: Callable[[Session, Viewer, str], bool]  # made it (True) or was refused for permission (False)
    targeted: bool = False  # acts on one group's action or owner
    stage: Callable[[Session], None] = lambda s: None


def _ctx(viewer: Viewer) -> ChangeContext:
    return ChangeContext(viewer.email, "teams", _now())


def _now() -> datetime:
    return datetime(2026, 11, 26, 10, tzinfo=timezone.utc)


def _open_cycle(session: Session) -> None:
    start_cycle(
        session,
        operator_viewer(),
        scope=CycleScope(),
        deadline=TODAY + timedelta(days=14),
        message=None,
        now=_now(),
        today=TODAY,
    )


def _cycle_refused(call: Callable[[], object]) -> bool:
    try:
        call()
    except CycleError as exc:
        assert exc.problem.code == CYCLE_NOT_PERMITTED, exc.problem
        return False
    return True


def _decide(session: Session, viewer: Viewer, group: str) -> bool:
    action_id = session.scalar(select(Action.id).where(Action.ref == "CORP-2"))  # implemented: proposed for closure
    assert action_id is not None
    [result] = decide(
        session, viewer, decisions=[Decision(CLOSURE, action_id, True, "")], ctx=_ctx(viewer), today=TODAY
    )
    assert result.outcome in (DECIDED, DECISION_NOT_PERMITTED), result
    return result.outcome == DECIDED


def _start(session: Session, viewer: Viewer, group: str) -> bool:
    return _cycle_refused(
        lambda: start_cycle(
            session,
            viewer,
            scope=CycleScope(),
            deadline=TODAY + timedelta(days=14),
            message=None,
            now=_now(),
            today=TODAY,
        )
    )


def _remind(session: Session, viewer: Viewer, group: str) -> bool:
    return _cycle_refused(lambda: remind(session, viewer, now=_now(), today=TODAY))


def _nudge(session: Session, viewer: Viewer, group: str) -> bool:
    try:
        nudge(session, viewer, groups=(group,), now=_now(), today=TODAY)
    except CycleError as exc:
        assert exc.problem.code == NOT_YOUR_GROUP, exc.problem
        return False
    return True


def _close(session: Session, viewer: Viewer, group: str) -> bool:
    return _cycle_refused(lambda: close_cycle(session, viewer, now=_now()))


def _import(session: Session, viewer: Viewer, group: str) -> bool:
    try:
        import_workbook(session, viewer, path=EXPORTED[0], ctx=_ctx(viewer), today=TODAY)
    except WorkbookError as exc:
        assert [p.code for p in exc.problems] == [ImportCode.NOT_PERMITTED], exc.problems
        return False
    return True


def _reassign(session: Session, viewer: Viewer, group: str) -> bool:
    ref, _owner, to = TARGETS[group]
    r = moves.reassign_action(session, viewer, ref, f"{to}@example.test", ctx=_ctx(viewer), today=TODAY)
    assert r.outcome in (moves.REASSIGNED, moves.REFUSED), r
    return r.outcome == moves.REASSIGNED


def _cover(session: Session, viewer: Viewer, group: str) -> bool:
    _ref, owner, cover = TARGETS[group]
    c = covers.set_cover(
        session,
        viewer,
        f"{owner}@example.test",
        f"{cover}@example.test",
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=7),
        ctx=_ctx(viewer),
        today=TODAY,
    )
    assert c.outcome in (covers.COVER_SET, covers.REFUSED), c
    return c.outcome == covers.COVER_SET


def _update(session: Session, viewer: Viewer, group: str) -> bool:
    ref = TARGETS[group][0]
    version = session.scalar(select(Action.version).where(Action.ref == ref))
    submission = {"status": "in progress", "progress_note": "Work continues", "delay_reason": "Resource challenges"}
    return _updated(session, viewer, kind=ACTION, ref=ref, submission=submission, version=version)


def _update_inspection(session: Session, viewer: Viewer, group: str) -> bool:
    """HMI-1: olivia's, in Met Operations."""
    version = session.scalar(select(InspectionItem.version).where(InspectionItem.ref == "HMI-1"))
    submission = {"status": "open", "progress_note": "Vetting backlog halved"}
    return _updated(session, viewer, kind=INSPECTION, ref="HMI-1", submission=submission, version=version)


def _updated(
    session: Session, viewer: Viewer, *, kind: str, ref: str, submission: dict[str, str], version: int | None
) -> bool:
    outcome = apply_update(
        session,
        viewer,
        kind=kind,
        ref=ref,
        submission=submission,
        expected_version=version,
        ctx=_ctx(viewer),
        today=TODAY,
    )
    if outcome.status == UPDATE_REFUSED:
        assert outcome.refusal == UPDATE_NOT_PERMITTED, outcome
        return False
    assert outcome.status == SAVED, outcome
    return True


def _add_audit(session: Session, viewer: Viewer, group: str) -> bool:
    audit = {"audit_id": "NEW-1", "title": "New", "received": "2026/27 Q3", "kind": "original", "assurance": "limited"}
    owner = f"{TARGETS[group][1]}@example.test"
    action = {
        "description": "Do it",
        "risk": "high",
        "business_group": group,
        "owner_email": owner,
        "due_date": "2027-03-31",
    }
    result = creation.add_audit(session, viewer, audit, [action], ctx=_ctx(viewer), today=TODAY)
    assert result.outcome in (creation.CREATED, creation.NOT_PERMITTED), result
    return result.outcome == creation.CREATED


def _add_items(session: Session, viewer: Viewer, group: str) -> bool:
    item = {"ref": "HMI-NEW-1", "inspection": "PEEL", "inspection_year": "2026/27", "scope": "force", "kind": "rec"}
    result = creation.add_inspection_items(session, viewer, [item], ctx=_ctx(viewer), today=TODAY)
    assert result.outcome in (creation.CREATED, creation.NOT_PERMITTED), result
    return result.outcome == creation.CREATED


def _edit(session: Session, viewer: Viewer, group: str) -> bool:
    """The tab's edit of the fields governance owns (web/edit.py calls this)."""
    ref = TARGETS[group][0]
    version = session.scalar(select(Action.version).where(Action.ref == ref))
    assert version is not None
    r = edit_action(session, viewer, ref, ActionEdit(risk="low"), version=version, ctx=_ctx(viewer))
    assert r.outcome in (EDITED, EDIT_NOT_PERMITTED), r
    return r.outcome == EDITED


def _runs_tracker(who: str, group: str) -> bool:
    return who in RUN_TRACKER


def _spoc_or_runs_tracker(who: str, group: str) -> bool:
    return who in RUN_TRACKER or who in SPOCS[group]


def _leads_or_runs_tracker(who: str, group: str) -> bool:
    """Governance, or the group's SPOC or chief officer (mo leads both: SPOC of one, chief of the other)."""
    return who in RUN_TRACKER or who in SPOCS[group] or who in CHIEFS[group]


def _owner_spoc_or_runs_tracker(who: str, group: str) -> bool:
    return who == TARGETS[group][1] or _spoc_or_runs_tracker(who, group)


CHANGES = {
    c.name: c
    for c in (
        Change("decide", _runs_tracker, _decide),
        Change("start cycle", _runs_tracker, _start),
        Change("remind", _runs_tracker, _remind, stage=_open_cycle),
        Change("close cycle", _runs_tracker, _close, stage=_open_cycle),
        Change("import", _runs_tracker, _import),
        Change("add an audit", _runs_tracker, _add_audit),
        Change("add inspection items", _runs_tracker, _add_items),
        Change("edit on the tab", _runs_tracker, _edit),
        Change("HMICFRS update", _owner_spoc_or_runs_tracker, _update_inspection),  # Met Operations' item
        Change("reassign", _spoc_or_runs_tracker, _reassign, targeted=True),
        Change("name a cover", _owner_spoc_or_runs_tracker, _cover, targeted=True),
        Change("owner update", _owner_spoc_or_runs_tracker, _update, targeted=True),
        Change("nudge", _leads_or_runs_tracker, _nudge, targeted=True, stage=_open_cycle),
    )
}
EXPORTED: list[Path] = []  # the tracker as a workbook: importing it back changes nothing but is an import


def _add_people(session: Session) -> None:
    """mo: SPOC of one group and chief officer of another; nina: on the tracker with no role at all."""
    leads = (("spoc", MET), ("chief_officer", CORP))
    add_person(session, "mo", "Mo Reid", group=MET, roles=("spoc", "chief_officer"), leads=leads)
    add_person(session, "nina", "Nina Cole", group=CORP, roles=())


def _viewer(session: Session, who: str) -> Viewer:
    if who == OPERATOR:
        return operator_viewer("ops@force.example")
    person = session.scalar(select(Person).where(Person.email == f"{who}@example.test"))
    assert person is not None, who
    return viewer_for(session, person, TODAY)


def _traces(session: Session) -> tuple[object, ...]:
    """Everything a change writes: refused, none of it may move."""
    counts = tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (HistoryEntry, OutboxMessage, UpdateCycle, Cover, DueDateProposal)
    )
    actions = tuple(
        session.execute(select(Action.ref, Action.owner_id, Action.status, Action.version).order_by(Action.ref))
    )
    items = tuple(session.execute(select(InspectionItem.ref, InspectionItem.version).order_by(InspectionItem.ref)))
    cycles = tuple(session.execute(select(UpdateCycle.id, UpdateCycle.status).order_by(UpdateCycle.id)))
    return counts, actions, items, cycles


CASES = [
    (name, who, group)
    for name, change in CHANGES.items()
    for who, group in itertools.product(WHO, (MET, CORP) if change.targeted else (MET,))
]


def _check(sessions: sessionmaker[Session], name: str, who: str, group: str) -> None:
    change = CHANGES[name]
    with sessions() as session:
        try:
            change.stage(session)
            session.flush()
            before = _traces(session)
            made = change.run(session, _viewer(session, who), group)
            session.flush()
            assert made == change.allowed(who, group), f"{name} as {who} in {group}: made={made}"
            if not made:
                assert _traces(session) == before, f"{name} refused to {who} left something behind"
        finally:
            session.rollback()


def test_the_roles_cover_every_case() -> None:
    """Each change is both allowed to someone and refused to someone, and every role takes part."""
    for name, change in CHANGES.items():
        answers = {change.allowed(who, group) for _n, who, group in CASES if _n == name}
        assert answers == {True, False}, name
    assert len(CASES) == 9 * len(WHO) + 4 * 2 * len(WHO)


def test_every_change_as_every_role_is_refused_exactly_when_the_rules_say(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions.begin() as session:
        build(session, TODAY)
        _add_people(session)
    with sessions.begin() as session:
        EXPORTED[:] = [tmp_path / "tracker.xlsx"]
        export_workbook(session, EXPORTED[0])

    @settings(
        max_examples=20,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.sampled_from(CASES))
    def each(case: tuple[str, str, str]) -> None:
        _check(sessions, *case)

    for case in CASES:  # every case, whatever the draw: the explicit examples run first
        each = example(case)(each)
    each()


@pytest.mark.parametrize("who", ["colin", "mo", "nina", "olivia"])
def test_a_refused_decision_is_refused_for_every_item_of_a_bulk_and_decides_nothing(
    sessions: sessionmaker[Session], who: str
) -> None:
    with sessions.begin() as session:
        build(session, TODAY)
        _add_people(session)
    with sessions() as session:
        action_id = session.scalar(select(Action.id).where(Action.ref == "CORP-2"))
        assert action_id is not None
        decisions = [Decision(CLOSURE, action_id, True, ""), Decision("revised", 1, False, "no")]
        results = decide(
            session, _viewer(session, who), decisions=decisions, ctx=_ctx(_viewer(session, who)), today=TODAY
        )
        assert [r.outcome for r in results] == [DECISION_NOT_PERMITTED] * 2
        assert session.scalar(select(Action.status).where(Action.id == action_id)) == "implemented"
        session.rollback()
