"""TEMPORARY: a botbuilder TurnContext for dialogs/runner.py, on either host, until the update dialog
becomes an SDK-free state machine that takes the Turn (`OwnerDialogs.on_message(turn)`; issue 19,
branch dlg19). Delete this module, `Turn.dialog_context` and the botbuilder-dialogs pin then.

The context's sends go through the Turn (so bot/privacy.py still redirects them) and its
`turn_state` is the Turn's `scratch` dict.
"""

from __future__ import annotations

from typing import Any, Protocol

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ResourceResponse

__all__ = ["dialog_context"]


class _Turn(Protocol):
    text: str
    scratch: dict[str, Any]

    @property
    def io(self) -> Any: ...


class _BridgeAdapter(BotAdapter):
    def __init__(self, turn: _Turn) -> None:
        super().__init__()
        self._turn = turn

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        responses = []
        for activity in activities:
            body = activity.serialize()
            sent = None
            if activity.type == "message":
                sent = await self._turn.io.send({k: body[k] for k in ("type", "text", "attachments") if k in body})
            responses.append(ResourceResponse(id=sent or ""))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> None:
        await self._turn.io.update(activity.id, activity.serialize())

    async def delete_activity(self, context: TurnContext, reference: Any) -> None:
        raise NotImplementedError("the update dialog deletes nothing")


def dialog_context(turn: _Turn) -> TurnContext:
    activity = Activity().deserialize(turn.io.facts.raw)
    activity.text = turn.text
    context = TurnContext(_BridgeAdapter(turn), activity)
    context._turn_state = turn.scratch  # noqa: SLF001 - one dict of per-turn state for both
    return context
