"""Who may see and do what on the tracker: the one home of the permission rules.

A `Viewer` is whoever acts: a person (their roles and the groups they lead, loaded by
store/people/viewers.py) or the operator running the command line or the schedules. Every store
service that changes the tracker takes the viewer and asks one of the ``may_*`` rules below; it
refuses with an outcome code, so Teams, the command line and any later caller get the same answer.
The bot and the command line may ask the same rules first (to leave out a button), never their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.words import CHIEF_OFFICER, GOVERNANCE, SPOC

__all__ = ["OPERATOR", "Viewer", "operator_viewer"]

# Not a role of the People sheet: whoever runs the service (a command, a schedule) acts as the
# operator, with governance's powers, and is recorded in the history under the name they give.
OPERATOR = "operator"


@dataclass(frozen=True)
class Viewer:
    """A person as the bot sees them: roles and the scope those roles give.

    A leading role is a pair (role, group): a SPOC of one group who is chief officer of another is
    a SPOC in the first only. Every permission below reads the pairs; nothing else decides.
    """

    person_id: int  # 0 for the operator, who is no person on the tracker
    name: str
    email: str
    roles: frozenset[str]
    group: str | None
    leads: tuple[tuple[str, str], ...] = ()  # (role, group): SPOC or chief officer of that group
    acts_for: tuple[int, ...] = field(default=())  # owners who have delegated to them, or whom they cover today
    covering: tuple[int, ...] = field(default=())  # owners whose cover they are today (also in acts_for)

    @property
    def is_governance(self) -> bool:
        return GOVERNANCE in self.roles

    @property
    def is_operator(self) -> bool:
        return OPERATOR in self.roles

    @property
    def is_chief_officer(self) -> bool:
        return CHIEF_OFFICER in self.roles

    @property
    def is_spoc(self) -> bool:
        return SPOC in self.roles

    @property
    def person(self) -> int | None:
        """Their id on the tracker (for a 'decided by' column); None for the operator."""
        return None if self.is_operator else self.person_id

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""

    def groups_as(self, role: str) -> tuple[str, ...]:
        """The groups in which they hold ``role``."""
        return tuple(group for r, group in self.leads if r == role)

    @property
    def led_groups(self) -> tuple[str, ...]:
        """Groups they lead in any role (as SPOC or chief officer): the groups whose figures they see."""
        return tuple(dict.fromkeys(group for _role, group in self.leads))

    @property
    def spoc_groups(self) -> tuple[str, ...]:
        return self.groups_as(SPOC)

    @property
    def _runs_tracker(self) -> bool:
        """Strategy & Governance, or the operator: they keep the central tracker (docs/domain.md)."""
        return self.is_governance or self.is_operator

    def may_see_group(self, group: str) -> bool:
        return self._runs_tracker or group in self.led_groups

    def may_act_for_owner(self, owner_id: int, owner_group: str | None) -> bool:
        """Owner, a recorded delegate, SPOC of the action's group, or governance (issue 3 rule 7).

        Only the SPOC pair counts: chief officers follow their group's actions but do not update them.
        """
        if self._runs_tracker or owner_id == self.person_id or owner_id in self.acts_for:
            return True
        return owner_group is not None and owner_group in self.spoc_groups

    def may_reassign(self, group: str | None) -> bool:
        """Governance, or the SPOC of the action's business group (issue 13)."""
        return self._runs_tracker or (group is not None and group in self.spoc_groups)

    @property
    def may_reassign_any(self) -> bool:
        """Whether there is any action they may reassign: the bot offers the form only then."""
        return self._runs_tracker or bool(self.spoc_groups)

    def may_name_cover(self, owner_id: int, owner_group: str | None) -> bool:
        """The owner themselves, their group's SPOC, or governance."""
        return owner_id == self.person_id or self.may_reassign(owner_group)

    @property
    def may_decide(self) -> bool:
        """Accept or reject proposed revised dates and closures: governance only."""
        return self._runs_tracker

    @property
    def may_run_cycles(self) -> bool:
        """Open, remind and close update cycles, and see what the schedules send next: governance only."""
        return self._runs_tracker

    @property
    def may_follow_cycles(self) -> bool:
        """See an update cycle's response rates: governance all of them, a SPOC or chief officer their groups'."""
        return self._runs_tracker or bool(self.leads)

    def may_nudge(self, group: str) -> bool:
        """Remind a group's non-responders of the open update cycle: governance, or the group's SPOC or
        chief officer (issue 21: the people who follow a group's response rate may chase it)."""
        return self._runs_tracker or group in self.led_groups

    @property
    def may_edit_tracker(self) -> bool:
        """Change the fields governance owns on an action (title, risk, audit, due dates): governance only."""
        return self._runs_tracker

    @property
    def may_import(self) -> bool:
        """Replace the tracker's rows from a workbook: governance only."""
        return self._runs_tracker

    @property
    def may_export(self) -> bool:
        """Take the whole tracker away, as a workbook or as the panel pack: governance only."""
        return self._runs_tracker

    def covers(self, owner_id: int) -> bool:
        """Acting today as this owner's cover (history then shows "X for Y")."""
        return owner_id in self.covering and owner_id != self.person_id


def operator_viewer(actor: str = "cli") -> Viewer:
    """The operator as a viewer: the command line and the schedules pass it to every service they call.

    ``actor`` is what the history records as having acted (a name or e-mail the operator gives)."""
    return Viewer(person_id=0, name=actor, email=actor, roles=frozenset({OPERATOR}), group=None)
