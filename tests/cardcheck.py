"""Validate Adaptive Cards with the official `adaptivecards` renderer (via tools/validate_cards.js).

    from tests.cardcheck import validate_cards, assert_valid_cards

    reports = validate_cards([card1, card2])   # one node process for the whole batch
    assert_valid_cards(card1, card2)           # AssertionError listing every problem

A card passes when the renderer, parsing for version 1.5, reports no errors, its top-level
type is "AdaptiveCard", its version is "1.5", and it is under 28 KB. Warnings (renderer hints,
chart elements accepted because they carry a fallback) are reported but do not fail.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CardReport", "CardCheckUnavailable", "MAX_CARD_BYTES", "validate_cards", "assert_valid_cards"]

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "validate_cards.js"
RENDERER = ROOT / "node_modules" / "adaptivecards" / "package.json"
MAX_CARD_BYTES = 28 * 1024
TIMEOUT_SECONDS = 120


class CardCheckUnavailable(RuntimeError):
    """The Node renderer cannot be run (node or node_modules missing)."""


@dataclass(frozen=True)
class CardReport:
    index: int
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    bytes: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _ascii_wire_size(card: Any) -> int:
    """Size as Python's json.dumps sends it by default (non-ASCII escaped as \\uXXXX)."""
    return len(json.dumps(card, separators=(",", ":")).encode("ascii"))


def validate_cards(cards: list[dict]) -> list[CardReport]:
    """Validate every card in one run of tools/validate_cards.js; one report per card, in order."""
    cards = list(cards)
    if not cards:
        return []
    node = shutil.which("node")
    if node is None:
        raise CardCheckUnavailable("node is not on PATH: install Node.js 20, then run `make node`")
    if not RENDERER.exists():
        raise CardCheckUnavailable(
            f"{RENDERER.parent} is missing: run `make node` (npm ci) in {ROOT} to install the adaptivecards renderer"
        )
    proc = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(cards).encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if proc.returncode != 0:
        raise CardCheckUnavailable(
            f"{SCRIPT.name} exited {proc.returncode}: {proc.stderr.decode('utf-8', 'replace').strip()}"
        )
    raw = json.loads(proc.stdout)
    if len(raw) != len(cards):
        raise CardCheckUnavailable(f"{SCRIPT.name} returned {len(raw)} reports for {len(cards)} cards")
    reports = []
    for card, item in zip(cards, raw):
        errors = list(item["errors"])
        size = int(item["bytes"])
        wire = _ascii_wire_size(card)
        if size < MAX_CARD_BYTES <= wire:
            errors.append(
                f"card is {wire} bytes as json.dumps sends it (non-ASCII escaped); Teams needs under {MAX_CARD_BYTES}"
            )
        reports.append(
            CardReport(index=int(item["index"]), errors=errors, warnings=list(item["warnings"]), bytes=max(size, wire))
        )
    return reports


def _describe(card: Any) -> str:
    if isinstance(card, dict):
        first = next(iter(card.get("body") or []), None)
        if isinstance(first, dict) and isinstance(first.get("text"), str):
            return repr(first["text"][:60])
    return ""


def assert_valid_cards(*cards: dict) -> list[CardReport]:
    """Fail with every error of every card; return the reports (warnings included) when all pass."""
    reports = validate_cards(list(cards))
    problems = [
        f"card {r.index} {_describe(cards[r.index])} ({r.bytes} bytes):\n" + "\n".join(f"  - {e}" for e in r.errors)
        for r in reports
        if r.errors
    ]
    if problems:
        raise AssertionError("Adaptive Card validation failed:\n" + "\n".join(problems))
    return reports
