"""Apply a checked workbook to the store: create or update rows, recording each change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from domain.words import CHIEF_OFFICER, SPOC
from store.db.models import (
    Action,
    Audit,
    DelayReason,
    Delegation,
    GroupLead,
    InspectionItem,
    Person,
    PersonRole,
    PortalFigure,
)
from store.history import Change, ChangeContext
from store.workbook.bulk import BulkRows
from store.workbook.flat import action_flat, audit_flat, inspection_flat, person_flat
from store.workbook.lookups import Lookups, person_links
from store.workbook.reader import ParsedWorkbook

__all__ = ["Applier"]


class Applier:
    """One import's sheets applied in order (lists, people, audits, actions, inspections, portal): the
    rows it names are found through ``find`` (lookups.py), new actions and history go in through ``bulk``
    (bulk.py)."""

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
        self.find = Lookups(session, canonical_groups=canonical_groups)
        self.bulk = BulkRows(session, ctx)
        self._new_people: set[str] = set()  # created by this import: no group leads or delegates yet

    @property
    def history_rows(self) -> int:
        return self.bulk.history_rows

    def _count(self, sheet: str, created: bool, changes: list[Change]) -> None:
        if created:
            self.created[sheet] = self.created.get(sheet, 0) + 1
        elif changes:
            self.updated[sheet] = self.updated.get(sheet, 0) + 1

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
                self.find.group(row.values["value"])
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
        self.find.load_actions([row.values["ref"] for row in wb.sheets.get("actions", [])])
        for row in wb.sheets.get("actions", []):
            self._action_row(row.values, wb.columns["actions"])
        for row in wb.sheets.get("inspections", []):
            self._inspection_row(row.values, wb.columns["inspections"])
        for row in wb.sheets.get("portal", []):
            self._portal_row(row.values)
        self.s.flush()
        self.bulk.insert_all()

    def _person_row(self, v: dict[str, Any], present: set[str]) -> None:
        found = self.find.person(v["email"])
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
            person.business_group = self.find.group(groups[0]) if groups else None
            wanted = {
                (self.find.known_group(name).id, role) for role in roles & {CHIEF_OFFICER, SPOC} for name in groups
            }
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
        self.bulk.record("person", v["email"], created, changes)

    def _delegates(self, v: dict[str, Any]) -> None:
        person = self.find.known_person(v["email"])
        before = () if person.email in self._new_people else person_links(self.s, person)[1]
        after = tuple(sorted(v.get("delegates") or ()))
        if before == after:
            return
        if before:
            self.s.execute(delete(Delegation).where(Delegation.owner_id == person.id))
        for email in after:
            self.s.add(Delegation(owner_id=person.id, delegate_id=self.find.known_person(email).id))
        self.bulk.record("person", person.email, False, [Change("delegates", before, after)])

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
        self.bulk.record("audit", v["audit_id"], created, changes)

    def _action_row(self, v: dict[str, Any], present: set[str]) -> None:
        found = self.find.action(v["ref"])  # the stored actions the sheet names, loaded in chunks
        created = found is None
        before = action_flat(found) if found else {}
        if v.get("delay_reason"):
            v = dict(v, delay_reason=self.reason_names[v["delay_reason"].lower()])
        v = dict(v, business_group=self.group_names[v["business_group"].lower()])
        changes = self._diff(before, v, present - {"ref"})
        if found is None:
            self.bulk.actions.append(self._new_action(v, present))
        else:
            for key in [c.field for c in changes]:
                self._set_action(found, key, v.get(key))
            if changes:
                found.version = (found.version or 1) + 1
        self._count("actions", created, changes)
        self.bulk.record("action", v["ref"], created, changes)

    def _new_action(self, v: dict[str, Any], present: set[str]) -> dict[str, Any]:
        """A new action's column values, as ``_set_action`` would set them on a new Action."""
        row: dict[str, Any] = {"ref": v["ref"], "version": 1}
        for key in present - {"ref"}:
            value: Any = v.get(key)
            if key == "audit_id":
                row["audit_id"] = self.find.known_audit(value).id
            elif key == "business_group":
                row["business_group_id"] = self.find.known_group(value).id
            elif key == "owner_email":
                row["owner_id"] = self.find.known_person(value).id
            else:
                row[key] = value
        return row

    def _set_action(self, action: Action, key: str, value: Any) -> None:
        if key == "audit_id":
            action.audit = self.find.known_audit(value)
        elif key == "business_group":
            action.business_group = self.find.known_group(value)
        elif key == "owner_email":
            action.owner = self.find.known_person(value)
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
                item.business_group = self.find.group(value)
            elif key == "owner_email":
                item.owner = self.find.person(value)
            else:
                setattr(item, key, value)
        if changes and not created:
            item.version = (item.version or 1) + 1
        self._count("inspections", created, changes)
        self.bulk.record("inspection", v["ref"], created, changes)

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
