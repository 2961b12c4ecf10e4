"""What can be asserted of how the cards read (issue 24 point 1): every colour pair of text on its
background passes WCAG AA (4.5:1), and no table header has to break inside a word on the narrowest
card Teams draws."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Iterator

import pytest

from cards.charts import chart_element
from cards.common import NARROW_CARD_PX, header_need
from cards.cycle_progress import digest_card, progress_card
from cards.decisions import outcome_card as decisions_outcome_card
from cards.update import outcome_card
from domain.message_parts import NonResponder
from domain.messages import Digest, Outcome
from domain.update_views import SAVED, UpdateOutcome
from tests.cards.owner_samples import TODAY, action
from tests.cards.test_charts import REALISTIC
from tests.cards.test_cycle_cards import status

# The host config of the renderer the Playground and the browser tests draw with (npm adaptivecards'
# default, as in node_modules/@microsoft/m365agentsplayground): container backgrounds and text colours.
BACKGROUNDS = {
    "default": "#FFFFFF",
    "emphasis": "#08000000",
    "accent": "#C7DEF9",
    "good": "#CCFFCC",
    "attention": "#FFC5B2",
    "warning": "#FFE2B2",
}
FOREGROUNDS = {
    "default": ("#333333", "#EE333333"),
    "dark": ("#000000", "#66000000"),
    "light": ("#FFFFFF", "#33000000"),
    "accent": ("#2E89FC", "#882E89FC"),
    "attention": ("#CC3300", "#DDCC3300"),
    "good": ("#028A02", "#DD027502"),
    "warning": ("#E69500", "#DDE69500"),
}
AA = 4.5


def _rgba(hex_colour: str) -> tuple[float, float, float, float]:
    h = hex_colour.lstrip("#")
    alpha = int(h[:2], 16) / 255 if len(h) == 8 else 1.0
    h = h[-6:]
    return int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha


def _over(top: str, under: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b, a = _rgba(top)
    return tuple(a * c + (1 - a) * u for c, u in zip((r, g, b), under))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of text ``foreground`` on ``background`` (both over a white card)."""
    back = _over(background, (1.0, 1.0, 1.0))
    fore = _over(foreground, back)
    lighter, darker = sorted((_luminance(fore), _luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_formula_matches_wcag():
    assert round(contrast("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast("#777777", "#FFFFFF"), 2) == 4.48
    assert contrast("#92C353", "#E7F2DA") < 2  # Teams' green on its pale green: the "Saved" banner's 1.8:1


def _saved_card() -> dict[str, Any]:
    saved = UpdateOutcome(SAVED, "action", "DARA-2011-001", action=action(version=4, pending_date=date(2027, 6, 30)))
    return outcome_card(dataclasses.replace(saved, proposed_date=date(2027, 6, 30)), TODAY)


def _decided_card() -> dict[str, Any]:
    items = [
        {"kind": "revised", "ref": "A-1", "title": "t", "date": "2027-01-31", "accepted": True},
        {"kind": "closure", "ref": "A-2", "title": "t", "accepted": False, "reason": "no evidence"},
    ]
    return decisions_outcome_card(
        Outcome.from_json({"owner": "Olivia Owen", "decided_by": "Grace Gordon", "items": items})
    )


def _digest_card() -> dict[str, Any]:
    people = (NonResponder("Jack Turner", 3, "sent"),)
    return digest_card(Digest("Met Operations", "", people, asked=9, responded=3, pct=33))


CARDS = {
    "saved update": _saved_card,
    "decisions": _decided_card,
    "progress": lambda: progress_card(status(groups=3)),
    "progress, everyone responded": lambda: progress_card(status(groups=1, people=0)),
    "digest": _digest_card,
    **{f"chart {c.title}": (lambda c=c: {"body": [chart_element(c)]}) for c in REALISTIC},
}


def _text_on(element: Any, style: str = "default") -> Iterator[tuple[str, str, bool, str]]:
    """(text, colour name, subtle, container style) of every TextBlock, inside its nearest styled container."""
    if isinstance(element, dict):
        style = element.get("style", style) if element.get("type") in ("Container", "Column", "TableCell") else style
        if element.get("type") == "TextBlock":
            yield element["text"], str(element.get("color", "default")).lower(), bool(element.get("isSubtle")), style
        for key, value in element.items():
            if key != "fallback" or isinstance(value, dict):
                yield from _text_on(value, style if style in BACKGROUNDS else "default")
    elif isinstance(element, list):
        for item in element:
            yield from _text_on(item, style)


@pytest.mark.parametrize("name", CARDS)
def test_every_text_reads_at_aa_contrast(name):
    low = []
    for words, colour, subtle, style in _text_on(CARDS[name]()):
        ratio = contrast(FOREGROUNDS[colour][1 if subtle else 0], BACKGROUNDS[style])
        if ratio < AA:
            low.append(f"{words[:40]!r}: {colour}{' subtle' if subtle else ''} on {style} = {ratio:.2f}:1")
    assert low == []


def _tables(element: Any) -> Iterator[dict[str, Any]]:
    if isinstance(element, dict):
        if element.get("type") == "Table":
            yield element
        for value in element.values():
            yield from _tables(value)
    elif isinstance(element, list):
        for item in element:
            yield from _tables(item)


@pytest.mark.parametrize("name", CARDS)
def test_no_table_header_breaks_inside_a_word_on_a_phone(name):
    tables = list(_tables(CARDS[name]()))
    for table in tables:
        weights = [c["width"] for c in table["columns"]]
        headers = [cell["items"][0]["text"] for cell in table["rows"][0]["cells"]]
        for header, weight in zip(headers, weights):
            assert NARROW_CARD_PX * weight / sum(weights) >= header_need(header), (header, weights)
