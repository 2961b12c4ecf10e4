"""The help card: what can be asked, with examples that are known to work."""

from __future__ import annotations

from typing import Any, Sequence

from cards.common import action_set, adaptive_card, execute, heading, plain, shorten, text

__all__ = ["help_card", "message_too_long_card", "question_too_long_card", "suggestions_card", "which_person_card"]


def help_card(
    examples: Sequence[str], *, not_understood: str | None = None, role_examples: Sequence[str] = ()
) -> dict[str, Any]:
    body = []
    if not_understood:
        body.append(heading("Sorry, I didn't understand that"))
        body.append(
            text(
                f"“{plain(not_understood, 200)}” isn't something I know how to answer yet. "
                "Try one of these, or tap one:",
                subtle=True,
            )
        )
    else:
        body.append(heading("What you can ask me"))
        body.append(text("Type a question in plain words, or tap one of these:", subtle=True))
    first: dict[str, str] = {}  # each example once, the first time it comes, in order
    for example in [*role_examples, *examples]:
        first.setdefault(example.lower(), example)
    shown = list(first.values())[:12]
    body += [text(f"• {example}", spacing="None") for example in shown]
    body.append(
        text(
            'You can name a business group ("Met Ops"), a risk ("high risk"), a date window '
            '("due in the next 3 months"), "with no revised date", a status ("in progress"), a delay '
            'reason ("waiting on recruitment"), "by group" or "per owner".',
            subtle=True,
            size="Small",
        )
    )
    buttons = [execute(example[:40], "ask", {"text": example}) for example in shown[:4]]
    return adaptive_card(body, buttons)


def question_too_long_card(limit: int) -> dict[str, Any]:
    """A typed question longer than the bot reads: say so, and how to ask instead."""
    return _too_long(
        "That question is too long",
        f"Please ask in at most {limit} characters, for example "
        '"what\'s overdue in Met Ops". Type **help** for more examples.',
    )


def message_too_long_card(limit: int) -> dict[str, Any]:
    """A typed message longer than the bot reads at all (a question or an answer to the bot)."""
    return _too_long(
        "That message is too long",
        f"Please keep a message to at most {limit:,} characters. Longer notes go on the update "
        "card (type **my actions**); type **help** to see what you can ask.",
    )


def _too_long(title: str, words: str) -> dict[str, Any]:
    return adaptive_card([heading(title), text(words)], [])


_MAX_CHOICES = 8


def suggestions_card(not_understood: str, suggestions: Sequence[str]) -> dict[str, Any]:
    """An unrecognised question: the few closest things that can be asked, as buttons, and a way to all."""
    body = [
        heading("Sorry, I didn't understand that"),
        text(
            f"“{shorten(not_understood, 200)}” isn't something I know how to answer yet. Did you mean one of these?",
            subtle=True,
        ),
        action_set([execute(shorten(s, 60), "ask", {"text": s}) for s in suggestions[:3]]),
    ]
    return adaptive_card(body, [execute("Everything I can answer", "ask", {"text": "help"})])


def which_person_card(word: str, choices: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A first name several people share: each person as a button that asks the question again
    naming them in full (``choices`` is (person, question naming them))."""
    shown = choices[:_MAX_CHOICES]
    body = [
        heading(f"Which {shorten(word, 60).title()} do you mean?"),
        text(f"{len(choices)} people on the tracker are called {shorten(word, 60).title()}. Tap one:", subtle=True),
        # an ActionSet holds at most five buttons: rows of four
        *(
            action_set(
                [execute(shorten(person, 60), "ask", {"text": question}) for person, question in shown[i : i + 4]]
            )
            for i in range(0, len(shown), 4)
        ),
    ]
    if len(choices) > len(shown):
        body.append(
            text(
                f"…and {len(choices) - len(shown)} more: type the full name to ask about them.",
                subtle=True,
                size="Small",
            )
        )
    return adaptive_card(body)
