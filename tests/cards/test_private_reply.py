"""The notes posted in a channel instead of an answer: the name is text, never a link."""

from __future__ import annotations

from cards.private_reply import (
    open_personal_chat_card,
    open_personal_chat_text,
    sent_privately_card,
    sent_privately_text,
)
from tests.cardcheck import assert_valid_cards


def test_notes_name_the_asker_as_text() -> None:
    hostile = "[Approve](https://phish.example)"
    for line in (sent_privately_text(hostile), open_personal_chat_text(hostile)):
        assert "](https://" not in line.replace("\\]", "") and "\\[Approve\\]" in line
    assert sent_privately_text("Colin").startswith("Colin, I've sent my answer to our personal chat")
    assert sent_privately_text(None).startswith("I've sent")
    assert_valid_cards(sent_privately_card("Colin"), open_personal_chat_card(None))
