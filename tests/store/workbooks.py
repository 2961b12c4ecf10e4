"""Small hand-made workbooks for import tests, written with openpyxl."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook

__all__ = ["write_workbook", "minimal_sheets", "sheets_with_every_problem"]


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


def sheets_with_every_problem() -> dict[str, list[list[Any]]]:
    """minimal_sheets() spoilt in every way a cell, a header or a reference can be (imported over
    minimal_sheets(), R-1's due date is also changed). Nothing about the file as a whole is wrong."""
    s = minimal_sheets()
    s["People"][0] += ["delegates", "active", "colour"]
    s["People"][1] += ["nobody@force.example; cy.chief@force.example", "gone fishing", "red"]
    s["People"][2][0] = "not an email"
    s["People"][2][3] = "owner, wizard, Chief Officer, dragon"
    s["People"].append(["zed@force.example", None, "Narnia; Met Operations", "owner", None, None, "maybe", None])
    s["People"].append(["ann.owner@force.example", "Ann Again", None, None, None, None, "left", None])
    s["Audits"][0] = ["audit_id", "title", "received", "kind", "restricted", "Title"]  # no assurance
    s["Audits"].append(["A-2", "T2", "2019/20 Q5", "originals", "perhaps"])
    s["Audits"].append(["A-3", "T3", "2019/21 Q1", "Original", 1])
    s["Audits"].append(["A-4", "x" * 4001, " 2019 / 2021 Q2", "original", True])
    s["Actions"][1][6] = "2021-12-31"
    s["Actions"][0] += ["implemented_on", "evidence_link"]
    s["Actions"] += [
        ["R-3", "A-9", "d", "Very  High", "Atlantis", "who@force.example", "31/02/2021", date(1999, 12, 31)]
        + ["opened", "bad luck", None, "9999-12-31", "ftp://x"],
        ["R-4", "A-1", None, "high", "met operations", "ann.owner@force.example", "2021-01-31", None, "open"]
        + ["recruitment", None, None, "https://ok.example/x"],
        ["R-5", "A-1", "d", "high", "Met Operations", "ann.owner@force.example", "2040-01-01", None, "open"],
        ["r-4", "A-1", "d", "high", "Met Operations", "ann.owner@force.example", 20210131, None, "open"],
    ]
    s["Inspections"][1][2] = "2018/20"
    s["Inspections"].append(
        ["H-2", "PEEL", "18/19", "county", "afi", None, "Gondor", "ghost@force.example", "2021-01-01", "open"]
    )
    s["Lists"] = [["list", "value"], ["business_group", "North"], ["colour", "red"], [None, "x"]]
    return s
