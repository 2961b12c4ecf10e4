"""Apply a checked workbook to the store: create or update rows, recording each change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from domain.words import CHIEF_OFFICER, SPOC
from store.history import CREATED, Change, ChangeContext, history_values
from store.db.models import (
    Action,
    Audit,
    BusinessGroup,
    DelayReason,
    Delegation,
    GroupLead,
    HistoryEntry,
    InspectionItem,
    Person,
    PersonRole,
    PortalFigure,
)
from store.workbook.flat import action_flat, audit_flat, inspection_flat, person_flat
from store.workbook.reader import ParsedWorkbook

__all__ = ["Applier", "person_links"]


def person_links(session: Session, person: Person) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(groups led, delegate emails) of a person, as the workbook writes them."""
    led = tuple(
        session.scalars(
            select(BusinessGroup.name)
            .join(GroupLead, GroupLead.business_group_id == BusinessGroup.id)
            .where(GroupLead.person_id == person.id)
            .distinct()
            .order_by(BusinessGroup.name)
        )
    )
    delegates = tuple(
        sorted(
            session.scalars(
                select(Person.email)
                .join(Delegation, Delegation.delegate_id == Person.id)
                .where(Delegation.owner_id == person.id)
            )
        )
    )
    return led, delegates


class Applier:
    def __init__(
        self,
        session: Session,
        ctx: ChangeContext,
        *,
        canonical_groups: dict[str, str],
        canonical_reasons: dict[str, str],
    ):
        self.s, self.ctx = session, ctx
        self.group_names, self.reason_names = canonical_groups, canonical_reasons
        self.created: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.history_rows = 0
        # Rows found once per import, not once per cell that names them (issue 25: 20,000 actions made
        # about five queries each). Only rows that exist are kept: a name not found is looked up again.
        self._groups: dict[str, BusinessGroup] = {}
        self._people: dict[str, Person] = {}
        self._audits: dict[str, Audit] = {}
        self._actions: dict[str, Action] = {}
        self._new_people: set[str] = set()  # created by this import: no group leads or delegates yet
        # New actions and every history row go in with one executemany INSERT each (issue 25: an ORM
        # object and flush per row was most of a 20,000-action import), in the caller's transaction.
        self._new_actions: list[dict[str, Any]] = []
        self._new_history: list[dict[str, Any]] = []

    # -- lookups -------------------------------------------------------------------------------
    def _group(self, name: str | None) -> BusinessGroup | None:
        if not name:
            return None
        canonical = self.group_names[name.lower()]
        group = self._groups.get(canonical) or self.s.scalar(
            select(BusinessGroup).where(BusinessGroup.name == canonical)
        )
        if group is None:
            group = BusinessGroup(name=canonical)
            self.s.add(group)
            self.s.flush()
        self._groups[canonical] = group
        return group

    def _person(self, email: str | None) -> Person | None:
        if not email:
            return None
        person = self._people.get(email.lower()) or self.s.scalar(select(Person).where(Person.email == email.lower()))
        if person is not None:
            self._people[email.lower()] = person
        return person

    def _audit(self, audit_id: str) -> Audit | None:
        audit = self._audits.get(audit_id) or self.s.scalar(select(Audit).where(Audit.audit_id == audit_id))
        if audit is not None:
            self._audits[audit_id] = audit
        return audit

    def _load_actions(self, refs: list[str]) -> None:
        """The stored actions the sheet names, a few hundred refs a query instead of one query each."""
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            self._actions.update((a.ref, a) for a in self.s.scalars(select(Action).where(Action.ref.in_(chunk))))

    def _known_person(self, email: str) -> Person:
        """A person the importer's reference checks found (in the store or earlier in the file)."""
        person = self._person(email)
        assert person is not None, email
        return person

    def _known_group(self, name: str) -> BusinessGroup:
        group = self._group(name)
        assert group is not None, name
        return group

    def _count(self, sheet: str, created: bool, changes: list[Change]) -> None:
        if created:
            self.created[sheet] = self.created.get(sheet, 0) + 1
        elif changes:
            self.updated[sheet] = self.updated.get(sheet, 0) + 1

    def _history(self, entity: str, ref: str, created: bool, changes: list[Change]) -> None:
        rows = history_values(self.ctx, entity, ref, [Change(CREATED, None, ref)] if created else changes)
        self._new_history.extend(rows)  # in the order the ORM would have flushed them: ids run the same
        self.history_rows += len(rows)

    def _insert_all(self) -> None:
        for model, rows in ((Action, self._new_actions), (HistoryEntry, self._new_history)):
            for start in range(0, len(rows), 5000):  # bounded statements; the triggers fire per row
                # render_nulls: a None is sent as NULL, not left out, so rows with blanks in different
                # columns still share one executemany (else they split into runs of a row or two).
                self.s.execute(insert(model).execution_options(render_nulls=True), rows[start : start + 5000])

    @staticmethod
    def _diff(before: dict[str, Any], values: dict[str, Any], present: set[str]) -> list[Change]:
        return [
            Change(k, before.get(k), values.get(k))
            for k in sorted(present)
            if k in values and before.get(k) != values.get(k)
        ]

    # -- sheets --------------------------------------------------------------------------------
    def apply(self, wb: ParsedWorkbook) -> None:
        # New rows are added before all their fields are set; flushing half-built rows would fail.
        with self.s.no_autoflush:
            self._apply(wb)

    def _apply(self, wb: ParsedWorkbook) -> None:
        for row in wb.sheets.get("lists", []):
            if row.values["list"] == "business_group":
                self._group(row.values["value"])
            elif not self.s.scalar(
                select(DelayReason).where(DelayReason.value == self.reason_names[row.values["value"].lower()])
            ):
                self.s.add(DelayReason(value=row.values["value"], position=len(self.reason_names)))
        people = wb.sheets.get("people", [])
        for row in people:
            self._person_row(row.values, wb.columns["people"])
        self.s.flush()
        for row in people:  # delegates may name people further down the sheet
            if "delegates" in wb.columns["people"]:
                self._delegates(row.values)
        for row in wb.sheets.get("audits", []):
            self._audit_row(row.values, wb.columns["audits"])
        self.s.flush()
        self._load_actions([row.values["ref"] for row in wb.sheets.get("actions", [])])
        for row in wb.sheets.get("actions", []):
            self._action_row(row.values, wb.columns["actions"])
        for row in wb.sheets.get("inspections", []):
            self._inspection_row(row.values, wb.columns["inspections"])
        for row in wb.sheets.get("portal", []):
            self._portal_row(row.values)
        self.s.flush()
        self._insert_all()

    def _person_row(self, v: dict[str, Any], present: set[str]) -> None:
        found = self._person(v["email"])
        created = found is None
        person = found if found is not None else Person(email=v["email"], name=v["name"])
        if created:
            self.s.add(person)
            self.s.flush()
            self._new_people.add(person.email)
        before = person_flat(person, *person_links(self.s, person)) if not created else {}
        groups = tuple(self.group_names[g.lower()] for g in v.get("business_group") or ())
        fields = dict(v, business_group=groups, active=v.get("active") is not False)  # empty: still here
        changes = self._diff(before, fields, present - {"delegates", "email"})
        person.name = v["name"]
        if "active" in present or created:
            person.active = fields["active"]
        if "aad_object_id" in present:
            person.aad_object_id = v.get("aad_object_id")
        roles = set(v.get("roles") or ("owner",)) if "roles" in present else person.role_names or {"owner"}
        if "roles" in present or created:
            person.roles = [PersonRole(role=r) for r in sorted(roles)]
        if "business_group" in present:
            person.business_group = self._group(groups[0]) if groups else None
            wanted = {(self._known_group(name).id, role) for role in roles & {CHIEF_OFFICER, SPOC} for name in groups}
            held = (
                set()
                if created
                else set(
                    self.s.execute(
                        select(GroupLead.business_group_id, GroupLead.role).where(GroupLead.person_id == person.id)
                    ).tuples()
                )
            )
            if held != wanted:  # rewriting unchanged rows would still be a change to every reader's cache
                self.s.execute(delete(GroupLead).where(GroupLead.person_id == person.id))
                for group_id, role in sorted(wanted, key=lambda pair: (pair[1], pair[0])):
                    self.s.add(GroupLead(person_id=person.id, business_group_id=group_id, role=role))
        self._count("people", created, changes)
        self._history("person", v["email"], created, changes)

    def _delegates(self, v: dict[str, Any]) -> None:
        person = self._known_person(v["email"])
        before = () if person.email in self._new_people else person_links(self.s, person)[1]
        after = tuple(sorted(v.get("delegates") or ()))
        if before == after:
            return
        if before:
            self.s.execute(delete(Delegation).where(Delegation.owner_id == person.id))
        for email in after:
            self.s.add(Delegation(owner_id=person.id, delegate_id=self._known_person(email).id))
        self._history("person", person.email, False, [Change("delegates", before, after)])

    def _audit_row(self, v: dict[str, Any], present: set[str]) -> None:
        audit = self.s.scalar(select(Audit).where(Audit.audit_id == v["audit_id"]))
        created = audit is None
        before = audit_flat(audit) if audit else {}
        if created:
            audit = Audit(audit_id=v["audit_id"], restricted=False)
            self.s.add(audit)
        # follows names an audit by its audit_id (the import checked it exists here or in the tracker)
        changes = self._diff(before, dict(v, restricted=bool(v.get("restricted"))), present - {"audit_id"})
        for c in changes if not created else [Change(k, None, v.get(k)) for k in present - {"audit_id"}]:
            setattr(audit, c.field, bool(c.new) if c.field == "restricted" else c.new)
        self._count("audits", created, changes)
        self._history("audit", v["audit_id"], created, changes)

    def _action_row(self, v: dict[str, Any], present: set[str]) -> None:
        found = self._actions.get(v["ref"])  # the stored actions the sheet names, loaded in chunks
        created = found is None
        before = action_flat(found) if found else {}
        if v.get("delay_reason"):
            v = dict(v, delay_reason=self.reason_names[v["delay_reason"].lower()])
        v = dict(v, business_group=self.group_names[v["business_group"].lower()])
        changes = self._diff(before, v, present - {"ref"})
        if found is None:
            self._new_actions.append(self._new_action(v, present))
        else:
            for key in [c.field for c in changes]:
                self._set_action(found, key, v.get(key))
            if changes:
                found.version = (found.version or 1) + 1
        self._count("actions", created, changes)
        self._history("action", v["ref"], created, changes)

    def _new_action(self, v: dict[str, Any], present: set[str]) -> dict[str, Any]:
        """A new action's column values, as ``_set_action`` would set them on a new Action."""
        row: dict[str, Any] = {"ref": v["ref"], "version": 1}
        for key in present - {"ref"}:
            value: Any = v.get(key)
            if key == "audit_id":
                audit = self._audit(value)
                assert audit is not None, value  # the importer's reference checks found it
                row["audit_id"] = audit.id
            elif key == "business_group":
                row["business_group_id"] = self._known_group(value).id
            elif key == "owner_email":
                row["owner_id"] = self._known_person(value).id
            else:
                row[key] = value
        return row

    def _set_action(self, action: Action, key: str, value: Any) -> None:
        if key == "audit_id":
            audit = self._audit(value)
            assert audit is not None, value  # the importer's reference checks found it
            action.audit = audit
        elif key == "business_group":
            action.business_group = self._known_group(value)
        elif key == "owner_email":
            action.owner = self._known_person(value)
        else:
            setattr(action, key, value)

    def _inspection_row(self, v: dict[str, Any], present: set[str]) -> None:
        found = self.s.scalar(select(InspectionItem).where(InspectionItem.ref == v["ref"]))
        created = found is None
        before = inspection_flat(found) if found else {}
        if v.get("business_group"):
            v = dict(v, business_group=self.group_names[v["business_group"].lower()])
        changes = self._diff(before, v, present - {"ref"})
        item = found if found is not None else InspectionItem(ref=v["ref"], version=1)
        if created:
            self.s.add(item)
        for key in (present - {"ref"}) if created else [c.field for c in changes]:
            value = v.get(key)
            if key == "business_group":
                item.business_group = self._group(value)
            elif key == "owner_email":
                item.owner = self._person(value)
            else:
                setattr(item, key, value)
        if changes and not created:
            item.version = (item.version or 1) + 1
        self._count("inspections", created, changes)
        self._history("inspection", v["ref"], created, changes)

    def _portal_row(self, v: dict[str, Any]) -> None:
        """The portal's count for a theme on a date: one row per (as_of, theme), replaced on re-import."""
        row = self.s.scalar(
            select(PortalFigure).where(PortalFigure.as_of == v["as_of"], PortalFigure.theme == v["theme"])
        )
        created = row is None
        if row is None:
            row = PortalFigure(as_of=v["as_of"], theme=v["theme"])
            self.s.add(row)
        changed = (row.recommendations, row.afis) != (v["recommendations"], v.get("afis"))
        row.recommendations, row.afis = v["recommendations"], v.get("afis")
        self._count("portal", created, [Change("recommendations", None, None)] if changed else [])
