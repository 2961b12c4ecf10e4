"""The help card: what can be asked, with examples that are known to work."""
from __future__ import annotations

from typing import Any, Sequence

from cards.common import adaptive_card, execute, heading, text

__all__ = ["help_card", "question_too_long_card"]


def help_card(examples: Sequence[str], *, not_understood: str | None = None,
              role_examples: Sequence[str] = ()) -> dict[str, Any]:
    body = []
    if not_understood:
        body.append(heading("Sorry, I didn't understand that"))
        body.append(text(f"“{not_understood[:200]}” isn't something I know how to answer yet. "
                         "Try one of these, or tap one:", subtle=True))
    else:
        body.append(heading("What you can ask me"))
        body.append(text("Type a question in plain words, or tap one of these:", subtle=True))
    seen: set[str] = set()
    shown = [e for e in [*role_examples, *examples] if not (e.lower() in seen or seen.add(e.lower()))][:12]
    body += [text(f"• {example}", spacing="None") for example in shown]
    body.append(text("You can name a business group (\"Met Ops\"), a risk (\"high risk\"), a date window "
                     "(\"due in the next 3 months\") or \"with no revised date\".", subtle=True, size="Small"))
    buttons = [execute(example[:40], "ask", {"text": example}) for example in shown[:4]]
    return adaptive_card(body, buttons)


def question_too_long_card(limit: int) -> dict[str, Any]:
    """A typed question longer than the bot reads: say so, and how to ask instead."""
    return adaptive_card([heading("That question is too long"),
                          text(f"Please ask in at most {limit} characters, for example "
                               "\"what's overdue in Met Ops\". Type **help** for more examples.")], [])
