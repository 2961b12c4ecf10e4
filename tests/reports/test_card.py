"""The panel report card with the hand-made tracker and with extreme data; the signed links."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from cards.report import PanelReportData, panel_report_card, panel_report_refused_card, top_counts
from reports.links import LinkError, LinkExpired, sign_report_token, verify_report_token
from reports.narrative import sentences
from store.db.engine import make_sessionmaker
from tests.cardcheck import MAX_CARD_BYTES, assert_valid_cards
from tests.reports.load import build_report
from tests.reports.tracker import build_tracker

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)


def data_for(figures: dict, **extra) -> PanelReportData:
    return PanelReportData(
        figures=figures, sentences=sentences(figures), download_url="https://bot.example/reports/t", **extra
    )


def chart_titles(card: dict) -> list[str]:
    return [el["title"] for el in card["body"] if el["type"].startswith("Chart.")]


def test_card_for_the_hand_made_tracker(sqlite_engine):
    sessions = make_sessionmaker(sqlite_engine)
    with sessions.begin() as session:
        build_tracker(session)
    with sessions() as session:
        report = build_report(session, date(2026, 11, 26))
    table = report.open_by_quarter
    card = panel_report_card(
        data_for(
            report.figures,
            quarter_categories=tuple(table.index),
            quarter_series=tuple((g, tuple(int(v) for v in table[g])) for g in table.columns),
        )
    )
    assert_valid_cards(card)
    facts = {f["title"]: f["value"] for el in card["body"] if el["type"] == "FactSet" for f in el["facts"]}
    assert facts["Outstanding actions"] == "13 (12 at the end of last quarter)"
    assert facts["Past original due date"] == "6 (4 last quarter); 1 with an agreed revised date"
    assert facts["Latest update cycle"] == "33% responded (2 of 6)"
    assert facts["Stale"] == "1 (originally due before 01 Apr 2024)"
    assert len(chart_titles(card)) == 4
    assert all(el.get("fallback", {}).get("type") == "Table" for el in card["body"] if el["type"].startswith("Chart."))


def _extreme_figures() -> dict:
    groups = [f"Business group {i} – ünïcödé {'x' * 60}" for i in range(12)]
    return {
        "as_of": "2027-01-18",
        "quarter": "2026/27 Q4",
        "new_in_quarter": 4,
        "outstanding": {"total": 2400, "audits": 300, "limited": 1000, "high_other": 1400},
        "by_group": [{"group": g, "outstanding": 200, "overdue": 150, "pct_overdue": 75} for g in groups],
        "overdue": {"total": 1800, "with_revised_date": 900},
        "delivered": {
            "total": 31,
            "original": 21,
            "follow_up": 10,
            "by_audit": [{"audit": "A" * 300, "received": "2019/20 Q4", "count": 1}] * 31,
        },
        "forthcoming": {"next_12_months": 46, "by_quarter_end": 28},
        "delay_reasons": {f"Reason {i} {'r' * 150}": 100 - i for i in range(15)},
        "key_themes": {f"Theme {i} — {'t' * 120}": 50 - i for i in range(40)},
        "stale": {"before": "2023-04-01", "count": 7},
        "inspections": {"open": 111, "by_theme": {"PEEL": 10}},
        "response_rate": None,
        "previous_quarter": {
            "outstanding": {"total": 2500, "audits": 310, "limited": 1000, "high_other": 1500},
            "overdue": {"total": 1700, "with_revised_date": 800},
            "forthcoming": {"next_12_months": 40, "by_quarter_end": 20},
        },
    }, groups


def test_extreme_data_stays_valid_and_under_28_kb():
    figures, groups = _extreme_figures()
    quarters = tuple(f"20{20 + i // 4}/{21 + i // 4} Q{i % 4 + 1}" for i in range(14))
    card = panel_report_card(
        data_for(figures, quarter_categories=quarters, quarter_series=tuple((g, tuple(range(14))) for g in groups))
    )
    [report] = assert_valid_cards(card)
    assert report.bytes < MAX_CARD_BYTES
    titles = chart_titles(card)
    # Too big with the quarter chart: it is left out (the Excel pack has it), the others stay.
    assert "Open actions by quarter of original due date" not in titles and len(titles) == 3
    reasons = next(el for el in card["body"] if el.get("title") == "Delay reasons for current actions")
    assert len(reasons["data"]) == 8 and reasons["data"][-1]["x"] == "Other"
    assert sum(p["y"] for p in reasons["data"]) == sum(figures["delay_reasons"].values())


def test_empty_tracker_card_and_refusal_are_valid():
    empty = {
        "as_of": "2026-11-26",
        "quarter": "2026/27 Q3",
        "new_in_quarter": 0,
        "outstanding": {"total": 0, "audits": 0, "limited": 0, "high_other": 0},
        "by_group": [],
        "overdue": {"total": 0, "with_revised_date": 0},
        "delivered": {"total": 0, "original": 0, "follow_up": 0, "by_audit": []},
        "forthcoming": {"next_12_months": 0, "by_quarter_end": 0},
        "delay_reasons": {},
        "key_themes": {},
        "stale": {"before": "2024-04-01", "count": 0},
        "inspections": {"open": 0, "by_theme": {}},
        "response_rate": None,
        "previous_quarter": {
            "outstanding": {"total": 0, "audits": 0, "limited": 0, "high_other": 0},
            "overdue": {"total": 0, "with_revised_date": 0},
            "forthcoming": {"next_12_months": 0, "by_quarter_end": 0},
        },
    }
    card = panel_report_card(PanelReportData(figures=empty, sentences=sentences(empty)))
    assert_valid_cards(card, panel_report_refused_card("the Strategy & Governance team"))
    assert chart_titles(card) == [] and "actions" not in card


def test_top_counts_sums_the_rest_into_other():
    assert top_counts({"a": 5, "b": 4, "c": 3}, limit=2) == (("a", "Other"), (5, 7))
    assert top_counts({"a": 5}, limit=2) == (("a",), (5,))


def test_links_are_signed_short_lived_and_say_who_they_were_made_for():
    token = sign_report_token("secret", date(2026, 11, 26), NOW, made_for=42)
    grant = verify_report_token("secret", token, NOW + timedelta(minutes=14))
    assert (grant.as_of, grant.made_for) == (date(2026, 11, 26), 42)
    with pytest.raises(LinkExpired):
        verify_report_token("secret", token, NOW + timedelta(minutes=15))
    with pytest.raises(LinkError):
        verify_report_token("other secret", token, NOW)
    with pytest.raises(LinkError):  # an empty key would be a key anyone has
        verify_report_token("", token, NOW)
    with pytest.raises(ValueError):
        sign_report_token("", date(2026, 11, 26), NOW, made_for=42)
    day, expires, person, signature = token.split(".")
    for forged in (
        f"2026-11-27.{expires}.{person}.{signature}",
        f"{day}.{int(expires) + 60}.{person}.{signature}",
        f"{day}.{expires}.7.{signature}",
        f"{day}.{expires}.{signature}",
        "a.b",
        "",
    ):
        with pytest.raises(LinkError) as info:
            verify_report_token("secret", forged, NOW)
        assert not isinstance(info.value, LinkExpired)
