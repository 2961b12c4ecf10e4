"""What the bot says in a team channel or group chat instead of a scoped answer (issue 10 point 5).

The answer itself goes to the asker's personal chat; these words are all that everyone else reads.
They carry the asker's first name only (as text), never anything the answer was about.
"""

from __future__ import annotations

from typing import Any

from cards.common import message
from domain.text import escape_markdown

__all__ = ["sent_privately_text", "open_personal_chat_text", "sent_privately_card", "open_personal_chat_card"]

_HOW_TO_OPEN = "open a chat with me (in Teams: Chat, New chat, then type my name) and ask me there"


def _to(first_name: str | None) -> str:
    # The Teams display name is the user's own text, shown where everyone reads: never Markdown.
    return f"{escape_markdown(first_name)[:60]}, " if first_name else ""


def sent_privately_text(first_name: str | None) -> str:
    return f"{_to(first_name)}I've sent my answer to our personal chat, so that only you see it."


def open_personal_chat_text(first_name: str | None) -> str:
    return (
        f"{_to(first_name)}I answer questions about actions only in a personal chat, and I can't reach you "
        f"there yet: please {_HOW_TO_OPEN}."
    )


def sent_privately_card(first_name: str | None) -> dict[str, Any]:
    return message("Sent to your personal chat", sent_privately_text(first_name))


def open_personal_chat_card(first_name: str | None) -> dict[str, Any]:
    return message("Open a personal chat with me", open_personal_chat_text(first_name))
