"""Issue 25 finding 9: what the database would refuse is an import problem by sheet, row and column,
never an IntegrityError (or PostgreSQL's "value too long") traceback; and nothing is stored.

One test per unique constraint of the tables an import writes (listed from store/db/models, so a new
constraint without a check fails the first test), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import UniqueConstraint, func, select
from sqlalchemy.orm import sessionmaker

from cards.import_wording import problem_lines
from domain.import_problems import ImportCode as C
from domain.import_problems import ImportProblem, WorkbookError
from domain.permissions import operator_viewer
from store.db.models import Base, Delegation, GroupLead, Person, PersonRole
from store.history import ChangeContext
from store.workbook import import_workbook
from store.workbook.constraints import UNIQUE_CHECKS
from tests.store.workbooks import minimal_sheets, write_workbook

CTX = ChangeContext("governance@force.example", "import", datetime(2026, 11, 1, tzinfo=timezone.utc))
# Every table the import writes (store/workbook/apply.py, bulk.py and store/history.py).
WRITTEN = (
    "people",
    "person_roles",
    "group_leads",
    "delegations",
    "business_groups",
    "delay_reasons",
    "audits",
    "actions",
    "inspection_items",
    "history",
)
PEOPLE_HEADER = ["email", "name", "business_group", "roles", "aad_object_id", "delegates"]


def unique_constraints() -> set[str]:
    """'table.column' for each single-column unique constraint, 'table' for a composite key or constraint."""
    found: set[str] = set()
    for name in WRITTEN:
        table = Base.metadata.tables[name]
        found |= {f"{name}.{c.name}" for c in table.columns if c.unique}
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint) and len(constraint.columns) == 1:
                found.add(f"{name}.{next(iter(constraint.columns)).name}")
            elif isinstance(constraint, UniqueConstraint):
                found.add(name)
        if len(table.primary_key.columns) > 1:
            found.add(name)
    return found


def test_every_unique_constraint_of_the_tables_import_writes_has_a_check() -> None:
    assert unique_constraints() == set(UNIQUE_CHECKS)


def imported(sessions: sessionmaker, tmp_path: Path, sheets: dict[str, list[list[Any]]], name: str) -> None:
    with sessions.begin() as s:
        path = write_workbook(tmp_path / f"{name}.xlsx", sheets)
        import_workbook(s, operator_viewer(CTX.actor), path=path, ctx=CTX)


def problems(sessions: sessionmaker, tmp_path: Path, sheets: dict[str, list[list[Any]]]) -> list[ImportProblem]:
    with sessions() as s:
        before = s.scalar(select(func.count()).select_from(Person))
    with pytest.raises(WorkbookError) as caught:
        imported(sessions, tmp_path, sheets, "bad")
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == before  # nothing stored
    assert problem_lines(caught.value.problems)  # every one has its words
    return caught.value.problems


@pytest.fixture
def tracker(sessions: sessionmaker, tmp_path: Path) -> sessionmaker:
    """minimal_sheets() imported: Ann holds Entra object id aad-ann."""
    imported(sessions, tmp_path, minimal_sheets(), "first")
    return sessions


def people(*rows: list[Any]) -> dict[str, list[list[Any]]]:
    return {"People": [PEOPLE_HEADER, *(list(r) + [None] * (len(PEOPLE_HEADER) - len(r)) for r in rows)]}


def test_people_aad_object_id_reused_from_the_tracker(tracker: sessionmaker, tmp_path: Path) -> None:
    found = problems(tracker, tmp_path, people(["new@force.example", "New Person", None, "owner", "AAD-ann"]))
    assert found == [
        ImportProblem("People", 2, "aad_object_id", C.ID_IN_USE, value="AAD-ann", held_by="ann.owner@force.example")
    ]
    [line] = problem_lines(found)
    assert line.startswith("People row 2, column aad_object_id: aad_object_id 'AAD-ann' already belongs to")


def test_people_aad_object_id_twice_in_the_workbook(tracker: sessionmaker, tmp_path: Path) -> None:
    sheets = people(["x@force.example", "X", None, None, "aad-x"], ["y@force.example", "Y", None, None, "AAD-X"])
    assert problems(tracker, tmp_path, sheets) == [
        ImportProblem("People", 3, "aad_object_id", C.DUPLICATE_KEY, value="AAD-X", other_row=2)
    ]


def test_an_aad_object_id_moves_in_two_imports(tracker: sessionmaker, tmp_path: Path) -> None:
    """Within one import the database could meet the new holder before the old one is cleared, so a
    move is refused with the way to do it; cleared first, it then moves."""
    imported(tracker, tmp_path, people(["cy.chief@force.example", "Cy Chief", None, "chief_officer", "aad-cy"]), "cy")
    ann = ["ann.owner@force.example", "Ann Owner", None, "owner", "aad-cy"]  # Ann is stored before Cy
    cleared = ["cy.chief@force.example", "Cy Chief", None, "chief_officer", None]
    [found] = problems(tracker, tmp_path, people(ann, cleared))
    assert (found.row, found.code, found.held_by) == (2, C.ID_IN_USE, "cy.chief@force.example")
    assert "clear theirs in one import and give it here in the next" in problem_lines([found])[0]
    imported(tracker, tmp_path, people(cleared), "clear")
    imported(tracker, tmp_path, people(ann), "give")
    with tracker() as s:
        assert s.scalar(select(Person.email).where(Person.aad_object_id == "aad-cy")) == "ann.owner@force.example"


def test_people_email_twice(tracker: sessionmaker, tmp_path: Path) -> None:
    sheets = people(["x@force.example", "X"], ["X@Force.example", "X again"])
    [found] = problems(tracker, tmp_path, sheets)
    assert (found.sheet, found.row, found.column, found.code, found.other_row) == (
        "People",
        3,
        "email",
        C.DUPLICATE_KEY,
        2,
    )


@pytest.mark.parametrize(("sheet", "column"), [("Audits", "audit_id"), ("Actions", "ref"), ("Inspections", "ref")])
def test_a_key_twice_in_its_sheet(tracker: sessionmaker, tmp_path: Path, sheet: str, column: str) -> None:
    sheets = minimal_sheets()
    sheets[sheet].append(list(sheets[sheet][1]))
    [found] = problems(tracker, tmp_path, sheets)
    assert (found.sheet, found.row, found.column, found.code) == (sheet, len(sheets[sheet]), column, C.DUPLICATE_KEY)


@pytest.mark.parametrize(("kind", "value"), [("business_group", "North"), ("delay_reason", "Awaiting parts")])
def test_a_value_twice_in_a_list(tracker: sessionmaker, tmp_path: Path, kind: str, value: str) -> None:
    sheets = {"Lists": [["list", "value"], [kind, value], [kind, value.upper()], [kind, value]]}
    assert [(p.row, p.column, p.code, p.other_row) for p in problems(tracker, tmp_path, sheets)] == [
        (3, "value", C.DUPLICATE_KEY, 2),
        (4, "value", C.DUPLICATE_KEY, 2),
    ]


def test_roles_group_leads_and_delegations_are_sets(tracker: sessionmaker, tmp_path: Path) -> None:
    """The composite keys: a role, a led group or a delegate given twice is stored once."""
    sheets = people(
        ["cy.chief@force.example", "Cy Chief", "Met Operations; met operations", "spoc, SPOC, owner", None],
        [
            "ann.owner@force.example",
            "Ann Owner",
            "Met Operations",
            "owner",
            "aad-ann",
            "cy.chief@force.example; CY.CHIEF@force.example",
        ],
    )
    imported(tracker, tmp_path, sheets, "sets")
    with tracker() as s:
        cy = s.scalar(select(Person.id).where(Person.email == "cy.chief@force.example"))
        assert sorted(s.scalars(select(PersonRole.role).where(PersonRole.person_id == cy))) == ["owner", "spoc"]
        assert s.scalar(select(func.count()).select_from(GroupLead).where(GroupLead.person_id == cy)) == 1
        assert s.scalar(select(func.count()).select_from(Delegation)) == 1


@pytest.mark.parametrize(
    ("sheet", "column", "limit"),
    [("People", "aad_object_id", 64), ("People", "name", 200), ("Actions", "ref", 60), ("Audits", "title", 300)],
)
def test_text_longer_than_its_column(
    tracker: sessionmaker, tmp_path: Path, sheet: str, column: str, limit: int
) -> None:
    sheets = minimal_sheets()
    position = sheets[sheet][0].index(column)
    sheets[sheet][1][position] = "x" * (limit + 1)
    found = [p for p in problems(tracker, tmp_path, sheets) if p.code == C.TOO_LONG]
    assert [(p.sheet, p.row, p.column, p.count, p.limit) for p in found] == [(sheet, 2, column, limit + 1, limit)]
