"""Answer, chart, detail and refusal cards: pure builders, valid for the official renderer at 1.5,
under 28 KB with 200 rows, long titles, unicode and empty answers."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from cards.answer_detail import bad_button_card, detail_card, not_found_card, refusal_card
from cards.answers import DETAIL_VERB, MAX_ROWS, PAGE_VERB, answer_card, count_sentence
from cards.charts import chart_element
from questions import Intent
from store.queries import (
    ActionDetail,
    Answer,
    Chart,
    Figures,
    GroupFigures,
    HistoryLine,
    InspectionDetail,
    InspectionRow,
    Page,
    Refusal,
    Row,
    AnswerScope,
)
from tests.cardcheck import MAX_CARD_BYTES, assert_valid_cards
from tests.fakes.live_bot import card_text

TODAY = date(2026, 11, 26)
MO = AnswerScope("groups", ("Met Operations",))
ALL = AnswerScope("all")
OWN = AnswerScope("own", (), (7,))
LONG = "Implement a comprehensive, force-wide framework for " * 60
UNICODE = "Révision des procédures — ünïcødé ✓ 警察 👮‍♀️ Ŵelsh ŷ " * 20
PARAMS = {"intent": "overdue", "text": "what's overdue in my group", "my_group": True}


def row(i: int, title: str = "Update and publish the vetting policy", **extra) -> Row:
    due = date(2026, 1, 1 + i % 28)
    fields = dict(
        ref=f"DARA-{i:05d}",
        title=title,
        owner="Olivia Owen",
        group="Met Operations",
        due_date=due,
        effective_due=due,
        days_overdue=(TODAY - due).days,
        delay_reason="COVID-19 related delay",
        revised_date=None,
        status="open",
    )
    fields.update(extra)
    return Row(**fields)


def answer(intent: Intent, rows=(), total=None, scope=MO, figures=None, number=0, **extra) -> Answer:
    rows = tuple(rows)
    page = Page(rows=rows, number=number, size=max(len(rows), 10), total=len(rows) if total is None else total)
    figures = figures or Figures(outstanding=49, overdue=16, overdue_with_revised=13)
    return Answer(intent=intent, text="q", scope=scope, figures=figures, page=page, params=PARAMS, today=TODAY, **extra)


BAR = Chart("bar", "Overdue by quarter due", ("2025/26 Q4", "2026/27 Q1"), (("Actions", (2, 5)),), "Quarter due")
STACKED = Chart(
    "stacked",
    "Outstanding by business group",
    ("Corporate Services", "Met Operations"),
    (("Overdue", (34, 16)), ("Not yet due", (10, 33))),
    "Business group",
    "Actions",
)
DONUT = Chart("donut", "Delay reasons", ("COVID-19 related delay", "Recruitment"), (("Actions", (16, 3)),))
HBAR = Chart("hbar", "Open HMICFRS items by theme", ("Vulnerability", "PEEL"), (("Items", (51, 10)),), "Theme")


def body_types(card: dict) -> list[str]:
    return [element["type"] for element in card["body"]]


def test_the_count_sentence_comes_first() -> None:
    card = answer_card(answer(Intent.OVERDUE, [row(1)], total=16, charts=(BAR,)))
    assert card["body"][1]["text"] == "49 outstanding in Met Operations, 16 overdue (33%)"
    assert "13 of the 16 overdue have an agreed revised date." in card_text(card)
    own = answer_card(answer(Intent.OUTSTANDING, scope=OWN, figures=Figures(outstanding=7, overdue=2)))
    assert own["body"][1]["text"] == "7 of your actions outstanding, 2 overdue (29%)"
    force = answer_card(answer(Intent.SUMMARY, scope=ALL, figures=Figures(outstanding=145, overdue=111)))
    assert force["body"][1]["text"] == "145 outstanding across the force, 111 overdue (77%)"


@pytest.mark.parametrize(
    "chart, teams_type, data_key",
    [
        (BAR, "Chart.VerticalBar", "x"),
        (STACKED, "Chart.VerticalBar.Grouped", "legend"),
        (DONUT, "Chart.Donut", "legend"),
        (HBAR, "Chart.HorizontalBar", "x"),
    ],
)
def test_charts_are_teams_elements_with_a_table_fallback(chart: Chart, teams_type: str, data_key: str) -> None:
    element = chart_element(chart)
    assert element["type"] == teams_type and data_key in element["data"][0]
    assert element["fallback"]["type"] == "Table"
    rows = element["fallback"]["rows"]
    assert len(rows) == 1 + len(chart.categories)  # header, then one row per category
    if chart.kind == "stacked":
        assert element["stacked"] is True and [d["legend"] for d in element["data"]] == ["Overdue", "Not yet due"]
        assert [v["y"] for v in element["data"][0]["values"]] == [34, 16]
    elif chart.kind == "donut":
        assert [d["value"] for d in element["data"]] == [16, 3]
    else:
        assert [d["y"] for d in element["data"]] == list(chart.series[0][1])


def test_paging_buttons_carry_the_question_and_page() -> None:
    card = answer_card(answer(Intent.OVERDUE, [row(i) for i in range(10)], total=35, number=1))
    buttons = [a for el in card["body"] if el["type"] == "ActionSet" for a in el["actions"]]
    assert [(b["title"], b["verb"], b["data"]["page"]) for b in buttons] == [
        ("Previous", PAGE_VERB, 0),
        ("Next", PAGE_VERB, 2),
    ]
    assert all(b["data"]["q"] == PARAMS and b["fallback"]["data"]["verb"] == PAGE_VERB for b in buttons)
    assert "Showing 11–20 of 35 · page 2 of 4" in card_text(card)
    first = answer_card(answer(Intent.OVERDUE, [row(i) for i in range(3)], total=3))
    assert "ActionSet" not in body_types(first)


def test_each_item_opens_its_detail() -> None:
    card = answer_card(answer(Intent.OVERDUE, [row(1), row(2)], total=2))
    items = [el for el in card["body"] if el["type"] == "Container"]
    assert [(c["selectAction"]["verb"], c["selectAction"]["data"]["ref"]) for c in items] == [
        (DETAIL_VERB, "DARA-00001"),
        (DETAIL_VERB, "DARA-00002"),
    ]
    text = card_text(card)
    for words in ("DARA-00001", "Olivia Owen", "due 02 Jan 2026", "days overdue", "COVID-19 related delay"):
        assert words in text


def test_every_card_is_valid_and_small_with_extreme_data() -> None:
    inspection_rows = [
        InspectionRow(
            ref=f"HMI-{i:04d}",
            title=LONG,
            item_kind="afi",
            theme=UNICODE,
            owner="Ōwen",
            group="Met Operations",
            due_date=None,
            status="holding",
        )
        for i in range(200)
    ]
    summary = answer(
        Intent.SUMMARY,
        scope=ALL,
        charts=(STACKED,),
        figures=Figures(
            outstanding=145,
            overdue=111,
            overdue_with_revised=81,
            audits=27,
            forthcoming=46,
            due_by_quarter_end=28,
            quarter_end=date(2026, 12, 31),
            delivered=31,
            delivered_original=21,
            delivered_follow_up=10,
            window_from=date(2026, 10, 1),
            window_to=date(2026, 12, 31),
            inspections_open=111,
        ),
        by_group=tuple(GroupFigures(f"Group {i} {UNICODE[:30]}", 40 + i, i) for i in range(30)),
    )
    many_points = Chart(
        "bar",
        "Overdue by quarter due",
        tuple(f"20{i:02d}/{i + 1:02d} Q{1 + i % 4}" for i in range(12)),
        (("Actions", tuple(range(12))),),
        "Quarter due",
    )
    cards = {
        "200 rows": answer_card(answer(Intent.OVERDUE, [row(i) for i in range(200)], charts=(BAR,))),
        "long titles": answer_card(
            answer(Intent.OUTSTANDING, [row(i, LONG, delay_reason=LONG) for i in range(200)], charts=(STACKED,))
        ),
        "unicode": answer_card(
            answer(
                Intent.DELAY_REASONS,
                [row(i, UNICODE, owner=UNICODE[:60]) for i in range(200)],
                charts=(DONUT, many_points),
                figures=Figures(outstanding=145, overdue=1, with_delay_reason=73),
            )
        ),
        "empty": answer_card(
            answer(
                Intent.STALE,
                [],
                figures=Figures(stale=0, stale_before=date(2024, 4, 1)),
                charts=(Chart("bar", "Stale", (), (("Actions", ()),)),),
            )
        ),
        "inspections": answer_card(
            answer(Intent.INSPECTIONS, inspection_rows, charts=(HBAR,), figures=Figures(inspections_open=200))
        ),
        "forthcoming": answer_card(
            answer(
                Intent.FORTHCOMING,
                [row(i, revised_date=date(2027, 1, 1)) for i in range(10)],
                figures=Figures(
                    forthcoming=46,
                    due_by_quarter_end=28,
                    quarter_end=date(2026, 12, 31),
                    window_from=TODAY,
                    window_to=date(2027, 11, 26),
                ),
                charts=(BAR,),
            )
        ),
        "delivered": answer_card(
            answer(
                Intent.DELIVERED,
                [row(i, status="implemented", implemented_on=TODAY) for i in range(10)],
                charts=(BAR,),
                figures=Figures(
                    delivered=31,
                    delivered_original=21,
                    delivered_follow_up=10,
                    window_from=date(2026, 10, 1),
                    window_to=date(2026, 12, 31),
                ),
                breakdown=(("Smarter Working Asset Management", 12),),
            )
        ),
        "summary": answer_card(summary),
        "notes and filters": answer_card(
            answer(
                Intent.OUTSTANDING,
                [row(1)],
                filters=("low risk", "audit: " + LONG),
                notes=("Low-risk actions are not monitored centrally.", LONG),
            )
        ),
        "refusal": refusal_card(Refusal("out_of_scope", ("Corporate Services",), allowed=("Met Operations",))),
        "unknown group": refusal_card(
            Refusal("unknown_group", ("narnia",), known=tuple(f"Group {i}" for i in range(60)))
        ),
        "detail": detail_card(_detail(), PARAMS, 3),
        "detail extreme": detail_card(
            replace(
                _detail(),
                description=LONG + UNICODE,
                last_update_note=LONG,
                evidence_note=UNICODE,
                history=tuple(_history(UNICODE) * 8),
            ),
            None,
        ),
        "inspection detail": detail_card(_inspection(), PARAMS, 0),
        "not found": not_found_card("DARA-X" * 40),
        "bad button": bad_button_card(),
    }
    reports = assert_valid_cards(*cards.values())
    for name, report in zip(cards, reports):
        assert report.bytes < MAX_CARD_BYTES, name
    big = cards["long titles"]
    assert len([el for el in big["body"] if el["type"] == "Container"]) <= MAX_ROWS
    assert "Only the first" in card_text(big)
    assert "Nothing matches this question." in card_text(cards["empty"])
    assert not any(el["type"].startswith("Chart.") for el in cards["empty"]["body"])  # no empty chart
    summary_text = card_text(cards["summary"])
    for words in (
        "145 outstanding across the force, 111 overdue (77%)",
        "Overdue with a revised date",
        "81",
        "Due in the next 12 months",
        "46",
        "Due by the quarter end (31 Dec 2026)",
        "28",
        "31 (21 original, 10 follow-up)",
        "By business group",
        "% overdue",
    ):
        assert words in summary_text, words


def _history(note: str) -> list[HistoryLine]:
    return [
        HistoryLine(TODAY, "olivia.owen@met.police.example", "delay_reason", None, note),
        HistoryLine(TODAY, "import", "_created", None, "DARA-1"),
    ]


def _detail() -> ActionDetail:
    return ActionDetail(
        ref="DARA-2011-088",
        description="Confirm ownership and terms of reference",
        audit="Case File Management",
        audit_received="2026/27 Q1",
        audit_kind="original",
        assurance="limited",
        risk="medium",
        monitored=True,
        group="Met Operations",
        owner="Olivia Owen",
        owner_email="olivia.owen@met.police.example",
        status="open",
        due_date=date(2026, 6, 14),
        revised_due_date=date(2027, 1, 31),
        effective_due=date(2027, 1, 31),
        days_overdue=165,
        delay_reason="Recruitment",
        key_theme="Policy and process",
        implemented_on=None,
        closed_on=None,
        last_update_on=date(2026, 11, 1),
        last_update_note="Draft ready",
        evidence_note=None,
        evidence_link="https://example.org/evidence",
        pending_revised_date=date(2027, 3, 1),
        history=tuple(_history("x")),
    )


def _inspection() -> InspectionDetail:
    return InspectionDetail(
        ref="HMI-2019-001",
        inspection="Roads Policing: Not optional",
        inspection_year="2019/20",
        scope="nationwide",
        item_kind="rec",
        theme="Roads Policing",
        group="Met Operations",
        owner="Olivia Owen",
        due_date=None,
        status="open",
        progress_note=None,
        evidence_note=None,
        evidence_link=None,
        last_update_on=None,
    )


def test_detail_card_shows_every_field_history_and_back() -> None:
    card = detail_card(_detail(), PARAMS, 3)
    text = card_text(card)
    for words in (
        "DARA-2011-088",
        "Case File Management",
        "limited",
        "medium",
        "Olivia Owen",
        "14 Jun 2026",
        "31 Jan 2027",
        "165 days",
        "Recruitment",
        "Policy and process",
        "Draft ready",
        "awaiting governance",
        "01 Mar 2027",
        "Recent history",
        "delay reason: — → x",
    ):
        assert words in text, words
    back = card["actions"][0]
    assert (back["verb"], back["data"]) == (PAGE_VERB, {"q": PARAMS, "page": 3})
    assert card["actions"][1]["type"] == "Action.OpenUrl"
    assert "actions" not in detail_card(_inspection(), None)


def test_refusal_and_unknown_group_cards_say_what_can_be_asked() -> None:
    text = card_text(refusal_card(Refusal("out_of_scope", ("Corporate Services",), allowed=("Met Operations",))))
    assert "Corporate Services is outside the groups you lead" in text and "You can ask about Met Operations" in text
    unknown = card_text(
        refusal_card(Refusal("unknown_group", ("narnia",), known=("Met Operations", "Professionalism")))
    )
    assert "narnia" in unknown and "• Met Operations" in unknown and "• Professionalism" in unknown


def test_sentences_for_each_kind() -> None:
    q3 = dict(window_from=date(2026, 10, 1), window_to=date(2026, 12, 31))
    assert (
        count_sentence(
            answer(
                Intent.DELIVERED,
                figures=Figures(delivered=31, delivered_original=21, delivered_follow_up=10, **q3),
                scope=ALL,
            )
        )[0]
        == "31 actions delivered between 01 Oct 2026 and 31 Dec 2026 across the force: 21 from original audits, 10 from follow-ups"
    )
    assert (
        count_sentence(
            answer(
                Intent.FORTHCOMING,
                figures=Figures(forthcoming=46, due_by_quarter_end=28, quarter_end=date(2026, 12, 31)),
                scope=ALL,
            )
        )[0]
        == "46 actions due in the next 12 months across the force, 28 by the end of the quarter (31 Dec 2026)"
    )
    assert (
        count_sentence(answer(Intent.STALE, figures=Figures(stale=1, stale_before=date(2024, 4, 1))))[0]
        == "1 stale action in Met Operations: still outstanding, with an original due date before 01 Apr 2024"
    )
    assert (
        count_sentence(answer(Intent.INSPECTIONS, figures=Figures(inspections_open=111), scope=ALL))[0]
        == "111 open HMICFRS items across the force"
    )
    assert (
        count_sentence(answer(Intent.DELAY_REASONS, figures=Figures(outstanding=145, with_delay_reason=73), scope=ALL))[
            0
        ]
        == "73 of 145 outstanding actions across the force have a delay reason"
    )


def test_cards_are_json_serialisable_as_the_sdk_sends_them() -> None:
    card = answer_card(answer(Intent.OVERDUE, [row(i, UNICODE) for i in range(10)], charts=(BAR, DONUT)))
    assert json.loads(json.dumps(card)) == card
