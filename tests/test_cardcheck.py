"""The card checker really fails: each rule has a card that breaks it, checked in one node run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import cardcheck
from tests.cardcheck import MAX_CARD_BYTES, assert_valid_cards, validate_cards


def card(*body: dict, version: str = "1.5", actions: list[dict] | None = None) -> dict:
    out: dict = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": version,
        "body": list(body),
    }
    if actions:
        out["actions"] = actions
    return out


def text(value: str) -> dict:
    return {"type": "TextBlock", "text": value, "wrap": True}


VALID = card(
    text("ACT-001 Improve custody record checks"),
    {"type": "FactSet", "facts": [{"title": "Due", "value": "31 Mar 2026"}, {"title": "Risk", "value": "High"}]},
    {
        "type": "Input.ChoiceSet",
        "id": "status",
        "label": "Status",
        "choices": [{"title": "Open", "value": "open"}, {"title": "Implemented", "value": "implemented"}],
    },
    {"type": "Input.Date", "id": "revised_date", "label": "Proposed revised date"},
    {"type": "Input.Text", "id": "note", "label": "Progress note", "isMultiline": True, "maxLength": 2000},
    {
        "type": "Table",
        "columns": [{"width": 1}, {"width": 2}],
        "rows": [
            {
                "type": "TableRow",
                "cells": [
                    {"type": "TableCell", "items": [text("a")]},
                    {"type": "TableCell", "items": [text("ü 日本 ✓")]},
                ],
            }
        ],
    },
    actions=[
        {
            "type": "Action.Execute",
            "title": "Save",
            "verb": "saveUpdate",
            "data": {"ref": "ACT-001"},
            "fallback": {"type": "Action.Submit", "title": "Save", "data": {"verb": "saveUpdate", "ref": "ACT-001"}},
        },
        {"type": "Action.ShowCard", "title": "Details", "card": {"type": "AdaptiveCard", "body": [text("More")]}},
    ],
)

UNKNOWN_NO_FALLBACK = card(text("x"), {"type": "Chart.Donut", "title": "By status", "data": []})
VERSION_16 = card(text("x"), version="1.6")
HUGE = card(*[text("x" * 1000) for _ in range(30)])
DATE_WITHOUT_ID = card({"type": "Input.Date", "label": "Revised date"})
DONUT_WITH_FALLBACK = card(
    text("Status"),
    {
        "type": "Chart.Donut",
        "title": "Actions by status",
        "data": [{"legend": "Open", "value": 3}, {"legend": "Implemented", "value": 5}],
        "fallback": {"type": "TextBlock", "text": "Open 3, implemented 5", "wrap": True},
    },
)
NESTED_UNKNOWN = card(
    text("x"),
    actions=[
        {"type": "Action.ShowCard", "title": "More", "card": {"type": "AdaptiveCard", "body": [{"type": "Nope"}]}}
    ],
)
NOT_A_CARD = {"version": "1.5", "body": [text("x")]}


@pytest.fixture(scope="module")
def reports() -> dict[str, cardcheck.CardReport]:
    named = {
        "valid": VALID,
        "unknown": UNKNOWN_NO_FALLBACK,
        "v16": VERSION_16,
        "huge": HUGE,
        "date": DATE_WITHOUT_ID,
        "donut": DONUT_WITH_FALLBACK,
        "nested": NESTED_UNKNOWN,
        "notcard": NOT_A_CARD,
    }
    results = validate_cards(list(named.values()))  # one node process for the batch
    assert [r.index for r in results] == list(range(len(named)))
    return dict(zip(named, results))


def test_valid_15_card_with_execute_table_and_showcard_passes(reports):
    assert reports["valid"].errors == []
    assert 0 < reports["valid"].bytes < MAX_CARD_BYTES
    assert_valid_cards(VALID)


def test_unknown_element_without_fallback_fails(reports):
    assert reports["unknown"].errors == [
        '$.body[1]: unknown element type "Chart.Donut" for version 1.5 and no fallback'
    ]


def test_version_16_fails(reports):
    assert reports["v16"].errors == ['"version" must be "1.5" (what Teams renders), got "1.6"']


def test_30kb_card_fails(reports):
    r = reports["huge"]
    assert r.bytes > 30_000
    assert any("Teams needs under 28672" in e for e in r.errors), r.errors


def test_input_date_without_id_fails_with_renderer_message(reports):
    # The renderer's own words (validateProperties, PropertyCantBeNull).
    assert reports["date"].errors == ["PropertyCantBeNull (Input.Date): All inputs must have a unique Id."]


def test_chart_donut_with_fallback_passes_with_a_warning(reports):
    r = reports["donut"]
    assert r.errors == []
    assert any("Chart.Donut" in w and "fallback" in w for w in r.warnings)


def test_nested_showcard_card_is_checked(reports):
    assert reports["nested"].errors == [
        '$.actions[0].card.body[0]: unknown element type "Nope" for version 1.5 and no fallback'
    ]


def test_top_level_type_is_required(reports):
    assert reports["notcard"].errors == ['top-level "type" must be "AdaptiveCard", got nothing']


def test_assert_valid_cards_lists_every_problem():
    with pytest.raises(AssertionError) as info:
        assert_valid_cards(VALID, VERSION_16, DATE_WITHOUT_ID)
    message = str(info.value)
    assert "card 1" in message and 'got "1.6"' in message
    assert "card 2" in message and "All inputs must have a unique Id." in message
    assert "card 0" not in message


def test_unicode_size_counts_json_escaping():
    # 9,000 three-byte characters: 27,000 bytes of UTF-8 but 54,000 once json.dumps escapes them.
    [r] = validate_cards([card(text("✓" * 9000))])
    assert r.bytes > MAX_CARD_BYTES
    assert any("json.dumps" in e for e in r.errors), r.errors


def test_missing_node_modules_is_a_clear_error(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(cardcheck, "RENDERER", tmp_path / "node_modules" / "adaptivecards" / "package.json")
    with pytest.raises(cardcheck.CardCheckUnavailable, match="make node"):
        validate_cards([VALID])
