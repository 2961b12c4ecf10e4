"""The update conversation's state: a small frozen value, kept as JSON in the user's one row (pure).

The row says which schema wrote it. A row this code cannot continue (written by the botbuilder
dialog of earlier versions, by a newer version, or damaged) decodes to ``Unreadable``: the runner
drops it and tells the user to start again, instead of failing the turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from store.people.viewers import Viewer
from store.updates.search import Candidate

__all__ = ["SCHEMA", "Step", "UpdateState", "Unreadable", "state_key", "encode", "decode"]

SCHEMA = 2  # 1: botbuilder's DialogState (UserState rows with a 'DialogState' property)
DIALOG = "update_action"
Step = Literal["choose", "confirm", "evidence"]
_STEPS: tuple[Step, ...] = ("choose", "confirm", "evidence")


@dataclass(frozen=True)
class UpdateState:
    """Where one user's update conversation is waiting, and what it has gathered so far.

    choose:   the listed ``candidates`` wait for a number, ref or title
    confirm:  'mark <ref> implemented?' waits for yes or no
    evidence: waits for the note and links, then saves with ``version`` (stale if it moved)
    """

    step: Step
    implemented: bool = False  # 'mark ... implemented': confirm, ask for evidence, save
    candidates: tuple[Candidate, ...] = ()
    kind: str = ""
    ref: str = ""
    version: int = 0  # the item's version when confirmed: the save is refused if it changed since
    on_file: bool = False  # evidence is on file already ('keep' uses it)


@dataclass(frozen=True)
class Unreadable:
    why: str


def state_key(viewer: Viewer) -> str:
    """Per person, not per conversation: in a group chat one member's "yes" must never answer another
    member's question, and an answer in the personal chat (where bot/privacy.py sends a group chat
    member the questions) continues the conversation begun in the group."""
    return f"person/{viewer.person_id}/dialog"


def encode(state: UpdateState) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "dialog": DIALOG,
        "step": state.step,
        "implemented": state.implemented,
        "candidates": [[c.kind, c.ref, c.title, c.number] for c in state.candidates],
        "kind": state.kind,
        "ref": state.ref,
        "version": state.version,
        "on_file": state.on_file,
    }


def decode(data: Any) -> UpdateState | Unreadable | None:
    """None: no conversation waiting. Never raises: anything unexpected is ``Unreadable``."""
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or data.get("dialog") != DIALOG:
        schema = data.get("schema", 1) if isinstance(data, dict) else "?"
        return Unreadable(f"schema {schema}")
    try:
        step = data["step"]
        if step not in _STEPS:
            return Unreadable(f"step {step!r}")
        return UpdateState(
            step=step,
            implemented=bool(data.get("implemented")),
            candidates=tuple(Candidate(str(k), str(r), str(t), int(n)) for k, r, t, n in data.get("candidates") or []),
            kind=str(data.get("kind") or ""),
            ref=str(data.get("ref") or ""),
            version=int(data.get("version") or 0),
            on_file=bool(data.get("on_file")),
        )
    except (KeyError, TypeError, ValueError) as error:
        return Unreadable(f"damaged: {error}")
