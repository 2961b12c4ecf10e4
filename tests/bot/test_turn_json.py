"""Replies and card updates sent as JSON built once are exactly what the SDK would have sent."""

from __future__ import annotations

from copy import deepcopy
from types import SimpleNamespace

from botbuilder.core import BotAdapter, CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials

from bot.turn import Turn
from tests.fakes.connector import make_activity

CARD = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Your actions", "wrap": True}],
    "actions": [
        {"type": "Action.Execute", "title": "Next", "verb": "page", "data": {"page": 1, "q": {"a": [1, None]}}}
    ],
}


def _incoming() -> Activity:
    return Activity().deserialize(make_activity("http://127.0.0.1:1/", text="my actions"))


def _sdk_json(incoming: Activity, activity: Activity, *, reply: bool) -> dict:
    """What TurnContext + CloudAdapter + msrest put on the wire for this activity."""
    serializer = ConnectorClient(
        MicrosoftAppCredentials("", ""), base_url="http://127.0.0.1:1/"
    ).conversations._serialize
    ref = TurnContext.get_conversation_reference(incoming)
    sent = TurnContext.apply_conversation_reference(deepcopy(activity) if reply else activity, ref)
    if reply:
        sent.input_hint = sent.input_hint or "acceptingInput"
        sent.id = None
    return serializer.body(sent, "Activity")


class _Capture:
    """Stands in for bot.transport.JsonSender: records what would go on the wire."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str | None, dict]] = []

    async def reply(self, conversation_id: str, reply_to_id: str | None, activity: dict) -> str:
        self.sent.append(("reply", conversation_id, reply_to_id, activity))
        return "new-1"

    async def update(self, conversation_id: str, activity_id: str, activity: dict) -> None:
        self.sent.append(("update", conversation_id, activity_id, activity))


def _turn(incoming: Activity) -> tuple[Turn, _Capture, SimpleNamespace]:
    capture = _Capture()
    context = SimpleNamespace(
        activity=incoming,
        _on_send_activities=[],
        _on_update_activity=[],
        responded=False,
        turn_state={BotAdapter.BOT_CONNECTOR_CLIENT_KEY: SimpleNamespace(tracker_json_sender=capture)},
    )
    return Turn(context, services=None, viewer=None), capture, context


async def test_a_card_reply_is_what_the_sdk_sends() -> None:
    incoming = _incoming()
    turn, capture, context = _turn(incoming)
    assert await turn.send_card(CARD, text="hi") == "new-1"
    expected = _sdk_json(incoming, MessageFactory.attachment(CardFactory.adaptive_card(CARD), text="hi"), reply=True)
    assert capture.sent == [("reply", "a:conv-1", incoming.id, expected)]
    assert context.responded


async def test_a_text_reply_and_a_card_update_are_what_the_sdk_sends() -> None:
    incoming = _incoming()
    turn, capture, _ = _turn(incoming)
    await turn.send_text("OK")
    await turn.update_card("act-7", CARD)
    update = MessageFactory.attachment(CardFactory.adaptive_card(CARD))
    update.id = "act-7"
    assert capture.sent == [
        ("reply", "a:conv-1", incoming.id, _sdk_json(incoming, MessageFactory.text("OK"), reply=True)),
        ("update", "a:conv-1", "act-7", _sdk_json(incoming, update, reply=False)),
    ]
