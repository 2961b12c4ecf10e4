"""Small hand-made workbooks for import tests, written with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook

__all__ = ["write_workbook", "minimal_sheets"]


def write_workbook(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def minimal_sheets() -> dict[str, list[list[Any]]]:
    """A valid tracker: two people, one audit, two actions, one inspection item."""
    return {
        "People": [
            ["email", "name", "business_group", "roles", "aad_object_id"],
            ["ann.owner@force.example", "Ann Owner", "Met Operations", "owner", "aad-ann"],
            ["cy.chief@force.example", "Cy Chief", "Met Operations", "chief_officer", None],
        ],
        "Audits": [
            ["audit_id", "title", "received", "kind", "assurance", "restricted"],
            ["A-1", "Smarter Working Asset Management", "2019/20 Q4", "original", "limited", "no"],
        ],
        "Actions": [
            [
                "ref",
                "audit_id",
                "description",
                "risk",
                "business_group",
                "owner_email",
                "due_date",
                "revised_due_date",
                "status",
                "delay_reason",
                "key_theme",
            ],
            [
                "R-1",
                "A-1",
                "Update the asset register",
                "high",
                "Met Operations",
                "ann.owner@force.example",
                "2020-11-30",
                None,
                "open",
                "Recruitment",
                "Policy and process",
            ],
            [
                "R-2",
                "A-1",
                "Report monthly to the board",
                "medium",
                "Met Operations",
                "ann.owner@force.example",
                "2021-03-31",
                "2021-06-30",
                "in progress",
                None,
                None,
            ],
        ],
        "Inspections": [
            [
                "ref",
                "inspection",
                "inspection_year",
                "scope",
                "kind",
                "theme",
                "business_group",
                "owner_email",
                "due_date",
                "status",
            ],
            [
                "H-1",
                "PEEL (Integrated)",
                "2018/19",
                "force",
                "afi",
                "PEEL",
                "Met Operations",
                "ann.owner@force.example",
                "2021-06-30",
                "open",
            ],
        ],
    }
