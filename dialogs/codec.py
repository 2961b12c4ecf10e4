"""JSON for botbuilder dialog state, with an allow-list of the types dialogs actually store.

Conversation state holds a ``DialogState`` (a stack of ``DialogInstance``), prompt options with
``Activity`` prompts, choices and list styles. botbuilder's own storages pickle these with
jsonpickle, which can rebuild ANY class named in the data; here only the types below are ever
rebuilt, so a tampered row cannot make the bot instantiate something else.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from botbuilder.core.serializer_helper import deserializer_helper, serializer_helper
from botbuilder.dialogs import DialogInstance, DialogState, PromptOptions
from botbuilder.dialogs.choices import Choice, ListStyle
from botbuilder.schema import Activity, CardAction

__all__ = ["encode", "decode", "TYPE_KEY"]

TYPE_KEY = "$type"
_MODELS = {"Activity": Activity, "CardAction": CardAction}


def _encode_prompt_options(o: PromptOptions) -> dict[str, Any]:
    return {
        "prompt": encode(o.prompt),
        "retry_prompt": encode(o.retry_prompt),
        "choices": encode(o.choices),
        "style": encode(o.style),
        "validations": encode(o.validations),
        "number_of_attempts": o.number_of_attempts,
    }


def _encode_object(value: Any) -> dict[str, Any]:
    if isinstance(value, DialogState):
        return {TYPE_KEY: "DialogState", "stack": encode(value.dialog_stack)}
    if isinstance(value, DialogInstance):
        return {TYPE_KEY: "DialogInstance", "id": value.id, "state": encode(value.state)}
    if isinstance(value, PromptOptions):
        return {TYPE_KEY: "PromptOptions", **_encode_prompt_options(value)}
    if isinstance(value, Choice):
        return {
            TYPE_KEY: "Choice",
            "value": value.value,
            "action": encode(value.action),
            "synonyms": encode(value.synonyms),
        }
    if isinstance(value, ListStyle):
        return {TYPE_KEY: "ListStyle", "name": value.name}
    for name, model in _MODELS.items():
        if isinstance(value, model):
            return {TYPE_KEY: name, "value": serializer_helper(value)}
    if isinstance(value, datetime):
        return {TYPE_KEY: "datetime", "value": value.isoformat()}
    if isinstance(value, date):
        return {TYPE_KEY: "date", "value": value.isoformat()}
    raise TypeError(f"dialog state cannot store a {type(value).__name__}: add it to dialogs/codec.py")


def encode(value: Any) -> Any:
    """Plain JSON values pass through; allowed objects become {'$type': ..., ...}."""
    if value is None or isinstance(value, (str, int, float, bool)) and not isinstance(value, ListStyle):
        return value
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return _encode_object(value)


def _prompt_options(d: dict[str, Any]) -> PromptOptions:
    return PromptOptions(
        prompt=decode(d.get("prompt")),
        retry_prompt=decode(d.get("retry_prompt")),
        choices=decode(d.get("choices")),
        style=decode(d.get("style")),
        validations=decode(d.get("validations")),
        number_of_attempts=d.get("number_of_attempts", 0),
    )


_DECODERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "DialogState": lambda d: DialogState(decode(d["stack"])),
    "DialogInstance": lambda d: DialogInstance(d["id"], decode(d["state"])),
    "PromptOptions": _prompt_options,
    "Choice": lambda d: Choice(d["value"], decode(d.get("action")), decode(d.get("synonyms"))),
    "ListStyle": lambda d: ListStyle[d["name"]],
    "datetime": lambda d: datetime.fromisoformat(d["value"]),
    "date": lambda d: date.fromisoformat(d["value"]),
    **{name: (lambda d, model=model: deserializer_helper(model, d["value"])) for name, model in _MODELS.items()},
}


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get(TYPE_KEY)
    if kind is None:
        return {k: decode(v) for k, v in value.items()}
    decoder = _DECODERS.get(kind)
    if decoder is None:
        raise ValueError(f"dialog state holds an unknown type '{kind}'")
    return decoder(value)
