"""The demo tracker's cast and audits, shaped like the January 2021 panel report."""

from __future__ import annotations

__all__ = [
    "PLAYGROUND_PEOPLE",
    "LEADERS",
    "OWNERS",
    "AUDITS",
    "GROUP_SHAPE",
    "KEY_THEMES",
    "ACTION_TEMPLATES",
    "INSPECTIONS",
    "OTHER_GOVERNANCE",
]

# The Agents Playground's mock users (.m365agentsplayground.yml): one person per role.
PLAYGROUND_PEOPLE = (
    (
        "grace.gordon@met.police.example",
        "Grace Gordon",
        "Corporate Services",
        ("governance",),
        "00000000-0000-4000-8000-0000000000a1",
    ),
    (
        "colin.chambers@met.police.example",
        "Colin Chambers",
        "Met Operations",
        ("chief_officer",),
        "00000000-0000-4000-8000-0000000000a2",
    ),
    (
        "sam.spencer@met.police.example",
        "Sam Spencer",
        "Met Operations",
        ("owner", "spoc"),
        "00000000-0000-4000-8000-0000000000a3",
    ),
    (
        "olivia.owen@met.police.example",
        "Olivia Owen",
        "Met Operations",
        ("owner",),
        "00000000-0000-4000-8000-0000000000a4",
    ),
)
OTHER_GOVERNANCE = (
    ("tracy.rylance@met.police.example", "Tracy Rylance"),
    ("rosian.jones@met.police.example", "Rosian Jones"),
)

# group -> (chief officer, SPOC)
LEADERS = {
    "Corporate Services": ("Clare Whitfield", "Dev Patel"),
    "Frontline Policing": ("Marcus Reid", "Hannah Cole"),
    "Professionalism": ("Helen Ashworth", "Tom Burrows"),
    "Digital Policing": ("Raj Mehta", "Lucy Fraser"),
}

OWNERS = {
    "Corporate Services": ("Amelia Hart", "Ben Okafor", "Chloe Duncan", "Daniel Price", "Erin Walsh", "Farid Khan"),
    "Frontline Policing": ("George Lamb", "Imogen Shaw"),
    "Met Operations": ("Jack Turner", "Kiran Bose", "Laura Mills", "Mohammed Aziz", "Niamh Kelly"),
    "Professionalism": ("Oscar Grant", "Priya Nair", "Quentin Hale", "Rachel Stone", "Simon Ure"),
    "Digital Policing": ("Tara Vance", "Umar Sheikh"),
}

# group -> (outstanding, overdue, forthcoming by quarter end, delivered this quarter)
GROUP_SHAPE = {
    "Corporate Services": (44, 34, 10, 10),
    "Frontline Policing": (8, 7, 0, 0),
    "Met Operations": (49, 16, 16, 5),
    "Professionalism": (42, 40, 2, 4),
    "Digital Policing": (0, 0, 0, 12),
}

# (audit_id, title, quarters before today's quarter it was received, kind, assurance, group)
AUDITS = (
    ("DARA-1801", "Inclusion and Diversity Strategy", 12, "original", "limited", "Professionalism"),
    (
        "DARA-1902",
        "Business Continuity and Return to Normality Arrangements",
        9,
        "follow-up",
        "limited",
        "Corporate Services",
    ),
    ("DARA-2003", "Wellbeing Strategy Development and Implementation", 5, "original", "adequate", "Professionalism"),
    ("DARA-2004", "ICT Access Control Framework", 5, "original", "limited", "Digital Policing"),
    ("DARA-2005", "Smarter Working Asset Management", 4, "original", "limited", "Digital Policing"),
    (
        "DARA-2006",
        "Review of Framework Supporting Released Under Investigation",
        4,
        "original",
        "adequate",
        "Met Operations",
    ),
    ("DARA-2007", "Review of Forensic Services Delivery Framework", 1, "follow-up", "limited", "Met Operations"),
    ("DARA-2008", "Key Financial Systems – Expenses", 4, "follow-up", "limited", "Corporate Services"),
    ("DARA-2009", "MPS Counter Fraud Arrangements", 4, "original", "adequate", "Corporate Services"),
    ("DARA-2010", "Framework Supporting Inclusion & Diversity Strategy", 3, "original", "limited", "Professionalism"),
    ("DARA-2011", "Case File Management – Disclosure", 2, "original", "limited", "Met Operations"),
    ("DARA-2012", "TSG Use and Deployment of Resources", 2, "original", "adequate", "Met Operations"),
    ("DARA-2013", "Public Order – Deployment and Cost Recovery", 2, "follow-up", "limited", "Frontline Policing"),
    ("DARA-2014", "B/OCU Budgetary Control Framework", 2, "original", "limited", "Corporate Services"),
    ("DARA-2015", "Health and Safety Management Framework", 7, "original", "adequate", "Corporate Services"),
    ("DARA-2016", "Vetting Arrangements", 8, "follow-up", "limited", "Professionalism"),
    ("DARA-2017", "Contract/Client Relationship Management", 1, "follow-up", "adequate", "Corporate Services"),
    ("DARA-2018", "Management of Police Vehicles", 6, "original", "adequate", "Frontline Policing"),
    ("DARA-2019", "Firearms Licensing", 3, "original", "adequate", "Met Operations"),
)

KEY_THEMES = (
    "Policy and process",
    "Policy and process",
    "Policy and process",
    "Management oversight and reporting",
    "Management oversight and reporting",
    "Training and awareness",
    "Data quality and records",
    "Governance and accountability",
    "Performance monitoring",
    "Resourcing and capacity",
)

ACTION_TEMPLATES = {
    "Policy and process": (
        "Update and publish the {topic} policy and procedures",
        "Document the end-to-end {topic} process and communicate it to staff",
    ),
    "Management oversight and reporting": (
        "Introduce monthly management reporting on {topic} to the command board",
        "Establish oversight of {topic} exceptions by senior leaders",
    ),
    "Training and awareness": ("Deliver refresher training on {topic} to all relevant staff",),
    "Data quality and records": ("Reconcile {topic} records and correct data quality issues",),
    "Governance and accountability": ("Confirm ownership and terms of reference for {topic} governance",),
    "Performance monitoring": ("Define and monitor performance measures for {topic}",),
    "Resourcing and capacity": ("Review resourcing of the {topic} function against demand",),
}

# (inspection year, scope, kind, inspection, theme, open count, status)
INSPECTIONS = (
    ("2013/14", "nationwide", "rec", "Undercover Policing", "Undercover Policing", 17, "holding"),
    ("2015/16", "force", "rec", "National Child Protection Inspection", "Vulnerability", 6, "open"),
    ("2015/16", "force", "afi", "PEEL 2015 - Effectiveness, Leadership & Legitimacy", "PEEL", 2, "open"),
    (
        "2017/18",
        "nationwide",
        "rec",
        "Understanding difference: the police's initial response to hate crime",
        "Vulnerability",
        3,
        "open",
    ),
    ("2017/18", "force", "afi", "North / North-East Cluster Custody", "Vulnerability", 3, "open"),
    ("2018/19", "force", "afi", "PEEL (Integrated)", "PEEL", 8, "open"),
    ("2018/19", "force", "afi", "Unannounced inspection visit to police custody suites", "Vulnerability", 10, "open"),
    ("2018/19", "nationwide", "rec", "Policing and Mental Health - Picking Up the Pieces", "Vulnerability", 3, "open"),
    ("2019/20", "nationwide", "rec", "Evidence led domestic abuse prosecutions", "CPS", 4, "open"),
    ("2019/20", "nationwide", "rec", "Roads Policing: Not optional", "Roads Policing", 6, "open"),
    (
        "2019/20",
        "force",
        "rec",
        "Review of investigations into allegations of non-recent sexual abuse by prominent people (Op Larimar)",
        "Op Larimar",
        12,
        "open",
    ),
    ("2019/20", "nationwide", "rec", "Fraud: Time to Choose", "Fraud", 2, "submitted for closure"),
    ("2019/20", "nationwide", "rec", "Integrated Offender Management", "Integrated Offender Management", 4, "open"),
    ("2019/20", "nationwide", "rec", "Police Integrity & Corruption", "Police Integrity & Corruption", 3, "open"),
)
