"""Issue 13 point 5 in the typed dialog: 'mark ... implemented' takes several https links, refuses
any other link with the card that says why, and the saved card says what happens next."""

from __future__ import annotations

from bot.services import BotServices
from dialogs.commands import split_evidence
from tests.dialogs import test_update_dialog as base
from tests.dialogs.test_update_dialog import Chat, cards, stored, texts
from tests.fakes.live_bot import card_text

tracker = base.tracker  # the same small tracker fixture as the other dialog tests


async def test_typed_evidence_takes_several_links_and_says_what_happens_next(
    services: BotServices, tracker, sessions
) -> None:
    chat = Chat(services, tracker["olivia"])
    await chat.say("mark FUT-1 implemented")
    assert "one or more https:// links" in texts(await chat.say("yes"))
    saved = cards(
        await chat.say("Board minutes https://intranet.example.test/minutes and https://intranet.example.test/policy.")
    )
    text = card_text(saved[0])
    assert "Strategy & Governance will review your closure request" in text and "What happens next" in text
    action = stored(sessions, "FUT-1")
    assert (action.status, action.evidence_note, action.evidence_link) == (
        "implemented",
        "Board minutes and",
        "https://intranet.example.test/minutes\nhttps://intranet.example.test/policy",
    )


async def test_typed_plain_http_link_is_refused_and_nothing_is_saved(services: BotServices, tracker, sessions) -> None:
    chat = Chat(services, tracker["olivia"])
    await chat.say("mark FUT-1 implemented")
    await chat.say("yes")
    refused = cards(await chat.say("Minutes http://intranet.example.test/minutes"))
    assert "must start with https://" in card_text(refused[0])
    assert "http://intranet.example.test/minutes" in card_text(refused[0])
    action = stored(sessions, "FUT-1")
    assert (action.status, action.evidence_link, action.version) == ("in progress", None, 1)


def test_split_evidence_takes_every_link_of_any_scheme() -> None:
    assert split_evidence("see https://a.test/1, http://b.test/2 and the minutes") == (
        "see and the minutes",
        "https://a.test/1\nhttp://b.test/2",
    )
    assert split_evidence("file:///c:/x.docx") == (None, "file:///c:/x.docx")
