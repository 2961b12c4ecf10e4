"""Answer cards: pure builders, valid for the official renderer at 1.5, under 28 KB with 200 rows,
long titles, unicode and empty answers."""

from __future__ import annotations

import json
from datetime import date

from cards.answers import DETAIL_VERB, MAX_ROWS, PAGE_VERB, answer_card, count_sentence
from questions import Intent
from store.queries import Chart, Figures, GroupFigures, InspectionRow
from tests.cardcheck import MAX_CARD_BYTES, assert_valid_cards
from tests.cards.answer_samples import ALL, BAR, DONUT, HBAR, LONG, OWN, PARAMS, STACKED, TODAY, UNICODE, answer, row
from tests.fakes.live_bot import card_text


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
