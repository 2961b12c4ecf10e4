"""The sections' sentences in the January 2021 paper's wording, from figures shaped like the paper's."""

from __future__ import annotations

from reports.narrative import sentences
from reports.section_words import section_sentences

DIGITAL, CORPORATE, MET_OPS = "Digital Policing", "Corporate Services", "Met Operations"


def paper_figures() -> dict:
    return {
        "quarter": "2020/21 Q3",
        "delivered": {"total": 31, "original": 21, "follow_up": 10, "by_audit": []},
        "delivered_by_group": [
            {"group": DIGITAL, "delivered": 12, "from_limited_follow_ups": 0, "outstanding": 0},
            {"group": CORPORATE, "delivered": 10, "from_limited_follow_ups": 9, "outstanding": 44},
            {"group": MET_OPS, "delivered": 9, "from_limited_follow_ups": 0, "outstanding": 60},
        ],
        "delivered_due": {
            "total": 31,
            "by_month": [{"month": "2020-01", "count": 2}, {"month": "2020-03", "count": 10}],
            "from": "2020-03",
            "to": "2020-09",
            "count": 28,
        },
        "distribution": [
            {"group": CORPORATE, "limited": 20, "high_other": 24, "total": 44},
            {"group": MET_OPS, "limited": 25, "high_other": 35, "total": 60},
        ],
        "new_audits": [
            {"title": "Contract/Client Relationship Management", "kind": "follow-up", "assurance": "adequate"}
            | {"restricted": False, "actions": 0, "high_risk": 0, "audit": "C1"},
            {"title": "Business Continuity Arrangements", "kind": "follow-up", "assurance": "limited"}
            | {"restricted": True, "actions": None, "high_risk": None, "audit": "R1"},
            {"title": "Framework Supporting Implementation of Data Protection", "kind": "follow-up"}
            | {"assurance": "adequate", "restricted": True, "actions": None, "high_risk": None, "audit": "R2"},
            {"title": "Review of Forensic Services Delivery Framework", "kind": "original", "assurance": "adequate"}
            | {"restricted": False, "actions": 4, "high_risk": 4, "audit": "F1"},
        ],
        "inspection_activity": {
            "closed": {"recommendations": 1, "afis": 0, "inspections": ["PEEL"]},
            "submitted": {"recommendations": 6, "afis": 7, "inspections": ["PEEL", "Custody"]},
        },
        "portal": {"as_of": "2020-11-30", "recommendations": 111, "by_theme": []},
    }


def test_the_sections_say_what_the_paper_says() -> None:
    said = section_sentences(paper_figures())
    assert said["delivered_groups"] == (
        "Digital Policing have delivered 12 recommendations this quarter, leaving them with no further actions. "
        "10 of the 31 actions recommended for closure were from Corporate Services, with 9 from limited "
        "follow-up audits."
    )
    assert (
        said["delivered_due"]
        == "Of the 31 actions closed within the last quarter, 28 were due between March and September 2020."
    )
    assert said["inspection_activity"] == (
        "This quarter, HMICFRS has closed 1 recommendation from the PEEL inspection and 7 AFIs and 6 "
        "recommendations have been submitted to our Force Liaison Lead for review for closure."
    )
    assert said["portal"] == "The Monitoring Portal currently shows 111 open recommendations:"
    assert said["restricted"] == (
        "The Business Continuity Arrangements (follow up) and Framework Supporting Implementation of Data "
        "Protection (follow up) reports have been issued to the business, but have not yet been shared with "
        "Strategy and Governance as the reports are restricted."
    )
    assert said["new_audits"].startswith(
        "Since the last audit panel we have received the findings from the following audits: "
        "Contract/Client Relationship Management (follow up); Business Continuity Arrangements (follow up); "
    )
    assert (
        "Contract/Client Relationship Management (follow up) was rated adequate with no high risk actions."
        in (said["new_audits"])
    )
    assert "Business Continuity Arrangements (follow up) was rated" not in said["new_audits"]  # restricted
    assert said["limited_audits"] == (
        "We have received 1 Limited graded audit this quarter: Business Continuity Arrangements (follow up)."
    )
    assert said["distribution"].startswith("Distribution by business group is as follows: Met Operations have the most")


def test_one_of_each_and_none_read_in_the_singular() -> None:
    f = paper_figures()
    f["delivered_due"] = {"total": 1, "by_month": [], "from": "2020-12", "to": "2020-12", "count": 1}
    f["inspection_activity"]["closed"] = {"recommendations": 0, "afis": 0, "inspections": []}
    f["inspection_activity"]["submitted"] = {"recommendations": 0, "afis": 1, "inspections": ["PEEL"]}
    f["new_audits"] = [a for a in f["new_audits"] if not a["restricted"]]
    said = section_sentences(f)
    assert said["delivered_due"] == "Of the 1 action closed within the last quarter, 1 was due in December 2020."
    assert said["inspection_activity"] == (
        "This quarter, HMICFRS has closed no recommendations or AFIs and 1 AFI has been submitted to our Force "
        "Liaison Lead for review for closure."
    )
    assert said["restricted"] == ""
    assert said["limited_audits"] == "We have not received any Limited graded audits this quarter."


def test_old_figures_without_sections_still_give_the_headline_sentences() -> None:
    base = {
        "new_in_quarter": 4,
        "outstanding": {"total": 145, "audits": 27, "limited": 54, "high_other": 91},
        "previous_quarter": {"outstanding": {"total": 172}, "overdue": {"total": 120}, "forthcoming": {}},
        "overdue": {"total": 111, "with_revised_date": 81},
        "forthcoming": {"next_12_months": 46, "by_quarter_end": 28},
        "delivered": {"total": 31, "original": 21, "follow_up": 10},
        "response_rate": None,
        "stale": {"before": "2018-04-01", "count": 25},
        "inspections": {"open": 3},
    }
    assert "delivered_groups" not in sentences(base)
