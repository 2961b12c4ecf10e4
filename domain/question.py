"""What a free-text question means: an intent and the filters that narrow it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

__all__ = ["ANSWERED_INTENTS", "BACKWARD_INTENTS", "BREAKDOWNS", "Intent", "Question"]


class Intent(str, Enum):
    OUTSTANDING = "outstanding"
    OVERDUE = "overdue"
    FORTHCOMING = "forthcoming"
    DELIVERED = "delivered"
    DELAY_REASONS = "delay_reasons"
    STALE = "stale"
    SUMMARY = "summary"
    INSPECTIONS = "inspections"
    HELP = "help"
    MY_ACTIONS = "my_actions"
    REQUEST_UPDATES = "request_updates"
    CYCLE_STATUS = "cycle_status"
    DECISIONS = "decisions"
    PANEL_REPORT = "panel_report"
    REASSIGN = "reassign"  # give an action to another owner (governance, a group's SPOC)
    COVER = "cover"  # name a cover for an owner's absence
    ORPHANED = "orphaned"  # outstanding actions whose owner has left
    SCHEDULE = "schedule"
    AUDITS = "audits"  # audits with outstanding actions (the unit is audits, not actions)
    NEW_ACTIONS = "new_actions"  # actions of audits received in a quarter (docs/domain.md "new in quarter Q")
    KEY_THEMES = "key_themes"  # outstanding actions by key theme
    UNKNOWN = "unknown"


# Intents that look back in time: "in March" means the last March, "this quarter" the
# whole quarter (not today to its end).
BACKWARD_INTENTS = frozenset({Intent.DELIVERED, Intent.OVERDUE, Intent.STALE, Intent.NEW_ACTIONS})

# Questions about the figures, answered by store.queries (and paged with its buttons); every other
# intent is a journey of its own (help, my actions, cycles, decisions ...) and never paged there.
ANSWERED_INTENTS = frozenset(
    {
        Intent.OUTSTANDING,
        Intent.OVERDUE,
        Intent.FORTHCOMING,
        Intent.DELIVERED,
        Intent.DELAY_REASONS,
        Intent.STALE,
        Intent.SUMMARY,
        Intent.INSPECTIONS,
        Intent.AUDITS,
        Intent.NEW_ACTIONS,
        Intent.KEY_THEMES,
    }
)

# Question.by values: what a breakdown goes by
BREAKDOWNS = ("group", "owner", "source", "kind")


@dataclass(frozen=True)
class Question:
    """A parsed question.

    ``due_from``/``due_to`` bound the (effective) due date, both inclusive; for
    :attr:`Intent.DELIVERED` they bound the date the action was implemented.
    """

    intent: Intent
    text: str  # the original text
    groups: tuple[str, ...] = ()  # canonical business-group names mentioned
    my_group: bool = False  # "my group", "my area", "our group", "my command" ...
    unknown_group: str | None = None  # words that looked like a group name but matched nothing
    risk: str | None = None  # "high" | "medium" | "low"
    source: str | None = None  # "dara" | "hmicfrs"
    audit: str | None = None  # canonical audit title
    owner: str | None = None  # canonical person name
    key_theme: str | None = None  # canonical key theme
    due_from: date | None = None
    due_to: date | None = None
    revised: bool | None = None  # True "with a revised date", False "with no revised date"
    limit_stale_before: date | None = None  # explicit cut-off for "stale" ("older than 2018")
    # a first name alone that several people have ("overdue for Olivia"): whom it may mean
    owner_choices: tuple[str, ...] = ()
    owner_word: str | None = None  # the word that named them, as typed (normalised)
    # issue 22: the filters people add in everyday words
    mine: bool = False  # "my actions", "for me", "do I still need to": the asker's own (and delegated) actions
    status: str | None = None  # an action status (open | in progress | implemented | closed) or an
    # HMICFRS item's (holding | submitted for closure)
    item_kind: str | None = None  # HMICFRS "rec" | "afi"
    delay_reason: str | None = None  # canonical delay reason, named in its words or paraphrased
    assurance: str | None = None  # "limited": audits graded limited or no assurance
    original: bool = False  # the window bounds the ORIGINAL due date ("originally due before ...")
    by: str | None = None  # a breakdown: one of BREAKDOWNS
    percent: bool = False  # "percentage", "rate", "%"
    non_responders: bool = False  # "who hasn't responded": list them, not only the cycle's figures
    # words recognised but not applied, or not understood, as the user typed them: said on the card
    unapplied: tuple[str, ...] = ()

    @property
    def has_filters(self) -> bool:
        """True when the question names a filter it understood (an unknown group is not one)."""
        return bool(
            self.groups
            or self.my_group
            or self.risk
            or self.source
            or self.audit
            or self.owner
            or self.key_theme
            or self.due_from
            or self.due_to
            or self.revised is not None
            or self.limit_stale_before
            or self.owner_choices
            or self.mine
            or self.status
            or self.item_kind
            or self.delay_reason
            or self.assurance
            or self.by
        )

    def naming(self, person: str) -> str:
        """The question's text with the shared name (:attr:`owner_word`) replaced by ``person``
        in full: "overdue for Olivia?" -> "overdue for Olivia Owen?"."""
        if not self.owner_word:
            return self.text
        named, count = re.subn(
            rf"(?<![\w]){re.escape(self.owner_word)}(?![\w])", lambda _: person, self.text, count=1, flags=re.IGNORECASE
        )
        return named if count else f"{self.text} for {person}"
