"""Every figure of the spec, against the hand-made tracker (tests/reports/tracker.py), on SQLite
and PostgreSQL. The expected numbers are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest

from reports import FIGURE_KEYS
from tests.reports.load import figures_as_of
from tests.reports.tracker import TITLES, build_tracker

CS, MO = "Corporate Services", "Met Operations"


@pytest.fixture
def tracker(sessions):
    with sessions.begin() as session:
        build_tracker(session)
    return sessions


def figures(sessions, as_of: date) -> dict:
    with sessions() as session:
        return figures_as_of(session, as_of)


def test_figures_as_at_26_november_2026(tracker):
    """D = 2026-11-26, quarter 2026/27 Q3 (1 Oct - 31 Dec). Changes after D are undone first:
    A19 back to 'in progress' (implemented 3 Dec), A20 does not exist yet (created 2 Dec), A21 back in
    Met Operations (moved 5 Dec), A04's delay reason back to 'Awaiting ...' (changed 4 Dec),
    I6 does not exist yet, I7 is still open (closed 2 Dec), cycle C3 (1 Dec) is not yet opened.

    Monitored = high, or medium in limited / no-assurance audits: A03, A12 (medium, adequate) and
    A05, A16 (low) are never counted.
    Outstanding (open / in progress): A01 A02 A04 A06 A07 A08 A13 A14 A15 A17 A18 A19 A21 = 13
      (A13 was implemented on 15 Sep and reopened on 20 Oct: outstanding again).
      CS: A01 A02 A13 A14 A17 A19 = 6;  MO: A04 A06 A07 A08 A15 A18 A21 = 7.
    Overdue = ORIGINAL due < D: A01 (06-30) A06 (2024-03-31) A13 (08-31) A17 (09-30) A18 (2024-04-01)
      A19 (11-01) = 6; A04 is due ON D: not overdue.  CS 4/6 = 66.7% -> 67;  MO 2/7 = 28.6% -> 29.
      With an accepted revised date: A01 only = 1.
    Limited (limited / no-assurance audits): A01 A02 (L1), A06 A13 (NA), A14 A15 (L2) = 6;
      high_other = 13 - 6 = 7 (A04 A07 A08 A17 A18 A19 A21, all high in AD).
    Audits with an outstanding action: L1 AD NA L2 = 4.
    Forthcoming: effective due in [2026-11-26, 2027-11-26]: A01 (revised 2027-02-15) A02 (12-31) A04 (ON D)
      A07 (ON D + 1 year) A14 (2027-03-31) A15 (2027-06-30) A21 (2027-01-31) = 7 (A08 is one day too late;
      A01 counts by its revised date). By the quarter end 2026-12-31: A02 (ON the end), A04 = 2.
    Delivered in Q3 (implemented 1 Oct - 31 Dec, monitored, implemented or closed): A09 (10-01, L1
      original), A11 (11-20, AD follow-up) = 2. Not: A10 (09-30, previous quarter), A12 (not monitored),
      A13 (reopened), A19 (implemented after D).
    New in the quarter: monitored actions of audits received 2026/27 Q3 (L2): A14 (high), A15 (medium,
      limited) = 2; A16 is low.
    Delay reasons of outstanding actions: A01 Resource challenges, A04 Awaiting... (as at D), A06
      Recruitment; A03 (not monitored) and A10 (closed) are not counted.
    Key themes of outstanding actions: Policy and process A01 A02 A14 = 3; Training and awareness A04 A07
      = 2; Data quality and records A13 = 1 (A05 is low).
    Stale: cut-off = 1 April of the financial year two before 2026/27 = 2024-04-01: A06 (2024-03-31) = 1;
      A18 is due ON the cut-off: not stale.
    Inspections not closed: I1 I2 (holding) I3 (submitted) I5 I7 (closed only after D) = 5; I4 closed,
      I6 not yet created. PEEL: I3 I7 = 2; Vulnerability: I1 I2 = 2; Not themed: I5 = 1.
    Response rate: latest cycle opened by D is C2: 6 asked; answered by D and before it closed on
      5 Nov: A01 (10-12), A04 (10-20) = 2 (A06 answered 10 Nov, after the close); 2/6 = 33.3% -> 33.
    Previous quarter (rebuilt as at 2026-09-30: every change from 1 Oct on undone):
      A14 A15 A16 A20 not yet created; A09 back to in progress (implemented 1 Oct); A10 implemented
      (30 Sep); A11 in progress (implemented 20 Nov); A13 implemented (15 Sep; reopened 20 Oct);
      A01 has no revised date yet (accepted 5 Oct); A19 in progress; A21 in MO.
      Outstanding: A01 A02 A04 A06 A07 A08 A09 A11 A17 A18 A19 A21 = 12; audits L1 AD NA = 3;
      limited A01 A02 A09 (L1) A06 (NA) = 4; high_other 8.
      Overdue (original due < 2026-09-30): A01 A06 A09 (09-15) A18 = 4 (A17 is due ON that day); with
      a revised date: 0.
      Forthcoming in [2026-09-30, 2027-09-30]: A02 A04 A11 (12-15) A17 (ON the day) A19 (11-01)
      A21 (2027-01-31) = 6 (A01's effective date was still its original 06-30); by the end of Q2
      (2026-09-30): A17 = 1.
    """
    expected = {
        "as_of": "2026-11-26",
        "quarter": "2026/27 Q3",
        "new_in_quarter": 2,
        "outstanding": {"total": 13, "audits": 4, "limited": 6, "high_other": 7},
        "by_group": [
            {"group": CS, "outstanding": 6, "overdue": 4, "pct_overdue": 67},
            {"group": MO, "outstanding": 7, "overdue": 2, "pct_overdue": 29},
        ],
        "overdue": {"total": 6, "with_revised_date": 1},
        "delivered": {
            "total": 2,
            "original": 1,
            "follow_up": 1,
            "by_audit": [
                {"audit": TITLES["L1"], "received": "2025/26 Q2", "count": 1},
                {"audit": TITLES["AD"], "received": "2025/26 Q4", "count": 1},
            ],
        },
        "forthcoming": {"next_12_months": 7, "by_quarter_end": 2},
        "delay_reasons": {"Awaiting Chief Officer decision/sign off": 1, "Recruitment": 1, "Resource challenges": 1},
        "key_themes": {"Policy and process": 3, "Training and awareness": 2, "Data quality and records": 1},
        "stale": {"before": "2024-04-01", "count": 1},
        "inspections": {"open": 5, "by_theme": {"PEEL": 2, "Vulnerability": 2, "Not themed": 1}},
        "response_rate": {"asked": 6, "responded": 2, "pct": 33, "inspection_items": 1},
        "previous_quarter": {
            "outstanding": {"total": 12, "audits": 3, "limited": 4, "high_other": 8},
            "overdue": {"total": 4, "with_revised_date": 0},
            "forthcoming": {"next_12_months": 6, "by_quarter_end": 1},
        },
        # Issue 23's sections. Distribution: CS A01 A02 A13 A14 limited, A17 A19 high; MO A06 A15 limited,
        # A04 A07 A08 A18 A21 high. New audits in Q3: L2 (A14 high, A15 medium limited; A16 low).
        # Delivered by group: A09 CS (L1 original), A11 MO (AD follow-up, adequate: not a limited one).
        # Delivered by original due month: A09 Sep 2026, A11 Dec 2026; nine in ten of 2 is 2: Sep-Dec.
        "distribution": [
            {"group": CS, "limited": 4, "high_other": 2, "total": 6},
            {"group": MO, "limited": 2, "high_other": 5, "total": 7},
        ],
        "new_audits": [
            {
                "audit": "L2",
                "title": TITLES["L2"],
                "kind": "follow-up",
                "assurance": "limited",
                "restricted": False,
                "actions": 2,
                "high_risk": 1,
            }
        ],
        "delivered_by_group": [
            {"group": CS, "delivered": 1, "from_limited_follow_ups": 0, "outstanding": 6},
            {"group": MO, "delivered": 1, "from_limited_follow_ups": 0, "outstanding": 7},
        ],
        "delivered_due": {
            "total": 2,
            "by_month": [{"month": "2026-09", "count": 1}, {"month": "2026-12", "count": 1}],
            "from": "2026-09",
            "to": "2026-12",
            "count": 2,
        },
        "inspection_activity": {
            "closed": {"recommendations": 0, "afis": 0, "inspections": []},
            "submitted": {"recommendations": 0, "afis": 0, "inspections": []},
        },
        "portal": None,
    }
    got = figures(tracker, date(2026, 11, 26))
    assert got == expected
    assert tuple(got) == FIGURE_KEYS  # the keys, in the documented order


def test_last_day_of_a_quarter(tracker):
    """D = 2026-09-30, last day of 2026/27 Q2 (1 Jul - 30 Sep).
    Delivered in Q2: A10 (implemented ON 09-30 at 15:00, part of the state as at that day; AD follow-up)
      and A13 (implemented 09-15, reopened only on 10-20; NA original) = 2.
    New in Q2 (audit NA received 2026/27 Q2): A06 (medium, no assurance) and A13 (high) = 2.
    Outstanding / overdue / forthcoming: the previous-quarter figures worked out in the test above
      (12, 4, 6 of which 1 by the quarter end 2026-09-30)."""
    got = figures(tracker, date(2026, 9, 30))
    assert got["quarter"] == "2026/27 Q2"
    assert got["delivered"] == {
        "total": 2,
        "original": 1,
        "follow_up": 1,
        "by_audit": [
            {"audit": TITLES["AD"], "received": "2025/26 Q4", "count": 1},
            {"audit": TITLES["NA"], "received": "2026/27 Q2", "count": 1},
        ],
    }
    assert got["new_in_quarter"] == 2
    assert got["outstanding"]["total"] == 12
    assert got["overdue"] == {"total": 4, "with_revised_date": 0}
    assert got["forthcoming"] == {"next_12_months": 6, "by_quarter_end": 1}
    # C1 (July): 4 asked, 3 answered before it closed -> 75%.
    assert got["response_rate"] == {"asked": 4, "responded": 3, "pct": 75, "inspection_items": 0}


def test_first_day_of_a_quarter(tracker):
    """D = 2026-10-01, first day of 2026/27 Q3: A09 implemented that morning is delivered (1, original);
    A11 (20 Nov) not yet. L2's actions (created 15 Oct) do not exist yet: new_in_quarter 0.
    The previous quarter is 2026/27 Q2, rebuilt as at 2026-09-30: 12 outstanding, 4 overdue, 6 forthcoming."""
    got = figures(tracker, date(2026, 10, 1))
    assert got["quarter"] == "2026/27 Q3"
    assert got["delivered"]["total"] == 1 and got["delivered"]["original"] == 1
    assert got["new_in_quarter"] == 0
    assert got["previous_quarter"] == {
        "outstanding": {"total": 12, "audits": 3, "limited": 4, "high_other": 8},
        "overdue": {"total": 4, "with_revised_date": 0},
        "forthcoming": {"next_12_months": 6, "by_quarter_end": 1},
    }
    # A09 no longer outstanding: 12 - 1 = 11; A14/A15 not yet created.
    assert got["outstanding"]["total"] == 11


def test_financial_year_wrap_q4_is_january_to_march(tracker):
    """D = 2027-01-15: quarter 2026/27 Q4 (1 Jan - 31 Mar 2027); previous quarter ends 2026-12-31.
    No history after D: the state is today's. Outstanding: A01 A02 A04 A06 A07 A08 A13 A14 A15 A17 A18
      A20 A21 = 13 (A19 implemented 3 Dec; A20 created 2 Dec; A21 now in CS).
      CS: A01 A02 A13 A14 A17 A21 = 6, overdue A01 A02 A13 A17 = 4 -> 67%.
      MO: A04 A06 A07 A08 A15 A18 A20 = 7, overdue A04 A06 A18 A20 (12-20) = 4 -> 57.1% -> 57.
    Forthcoming in [2027-01-15, 2028-01-15]: A01 (2027-02-15) A07 A08 A14 A15 A21 = 6; by 2027-03-31:
      A01, A14 (ON the end), A21 = 3.
    Delivered in Q4: none (A19 was implemented in Q3).
    Previous quarter as at 2026-12-31: same 13 outstanding; overdue (< 12-31): A01 A04 A06 A13 A17 A18
      A20 = 7 (A02 is due ON the day), with a revised date: A01 = 1; forthcoming in [2026-12-31, 2027-12-31]: A01 A02 A07 A08 A14 A15
      A21 = 7, by 12-31: A02 = 1."""
    got = figures(tracker, date(2027, 1, 15))
    assert got["quarter"] == "2026/27 Q4"
    assert got["by_group"] == [
        {"group": CS, "outstanding": 6, "overdue": 4, "pct_overdue": 67},
        {"group": MO, "outstanding": 7, "overdue": 4, "pct_overdue": 57},
    ]
    assert got["forthcoming"] == {"next_12_months": 6, "by_quarter_end": 3}
    assert got["delivered"] == {"total": 0, "original": 0, "follow_up": 0, "by_audit": []}
    assert got["stale"] == {"before": "2024-04-01", "count": 1}
    assert got["previous_quarter"]["outstanding"]["total"] == 13
    assert got["previous_quarter"]["overdue"] == {"total": 7, "with_revised_date": 1}
    assert got["previous_quarter"]["forthcoming"] == {"next_12_months": 7, "by_quarter_end": 1}
    # The latest cycle by then is C3 (opened 1 Dec, still open): 1 asked, answered 2 Dec.
    assert got["response_rate"] == {"asked": 1, "responded": 1, "pct": 100, "inspection_items": 0}


def test_new_financial_year_moves_the_stale_cut_off(tracker):
    """D = 2027-04-01 is in 2027/28 Q1: the cut-off moves to 2025-04-01, so A06 (2024-03-31) and
    A18 (2024-04-01) are both stale. No cycle had been opened by a date before C1."""
    got = figures(tracker, date(2027, 4, 1))
    assert got["quarter"] == "2027/28 Q1"
    assert got["stale"] == {"before": "2025-04-01", "count": 2}
    assert figures(tracker, date(2026, 6, 30))["response_rate"] is None


def test_the_response_rate_is_compared_with_the_previous_cycle(tracker):
    """As at D the latest cycle is C2 (2 of 6 answered in time: 33%); as at the previous quarter's
    end it was C1 (3 of 4: 75%). The narrative compares them as the seed does ("down from 80%")."""
    from reports.html import summary_html
    from tests.reports.load import build_report

    with tracker() as session:
        report = build_report(session, date(2026, 11, 26))
        early = build_report(session, date(2026, 8, 15))  # C1 is the latest cycle and no earlier one exists
    assert report.previous_response_rate == {"asked": 4, "responded": 3, "pct": 75, "inspection_items": 0}
    assert "33% response rate (2 responded, down from 75% in the previous cycle)" in summary_html(report, "p.xlsx")
    assert early.previous_response_rate is None
