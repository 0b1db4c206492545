"""The starting items of a Conversation created from a tab that already has answered turns.

A Conversation run sends only the messages after the last answer (core/state_modes.py), so a
Conversation created partway through must already hold the turns the window shows, or the
model never sees them. `seed` gives those turns as input items (spec CreateConversationBody
`items` and POST /conversations/{conversation_id}/items take up to 20 at a time: the service
adds them in batches, services/conversations.create; checked 2026-12-01).

A reasoning item without encrypted content cannot be added: the server would have to find
it by id, and nothing says a Conversation can (the same rule as a `store: false` request,
core/state_modes.unsendable_reasoning). It is left out, and a warning finding names the
turns whose reasoning the Conversation does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playground.core.findings import Finding
from playground.core.reasoning_items import ENCRYPTED, is_reasoning
from playground.core.request import build
from playground.core.state_modes import last_answer
from playground.core.workspace import Workspace

BATCH = 20
"""Items per call (spec CreateConversationBody.items maxItems, checked 2026-12-01)."""
REASONING_LEFT_OUT = "state.seed_reasoning_left_out"


@dataclass(frozen=True)
class Seed:
    """`items`: the input items of the answered turns, oldest first (may be more than BATCH);
    `turns`: how many answered turns they hold; `findings`: what is left out."""

    items: list[dict[str, Any]] = field(default_factory=list)
    turns: int = 0
    findings: tuple[Finding, ...] = ()


def seed(ws: Workspace) -> Seed:
    """The items a new Conversation for `ws` starts with: its messages up to and including
    the last answered turn (those after it go with the next run), built as a Send everything
    request would send them (variables filled). Empty when no turn is answered."""
    at = last_answer(ws.messages)
    if at < 0:
        return Seed()
    prefix = ws.model_copy(
        update={
            "messages": list(ws.messages[: at + 1]),
            "state": "everything",
            "compact_input": False,
            "conversation_id": None,
        }
    )
    built = build(prefix).kwargs.get("input")
    items = [i for i in built if isinstance(i, dict)] if isinstance(built, list) else []
    kept = [i for i in items if not (is_reasoning(i) and not i.get(ENCRYPTED))]
    turn, turns, missing = 1, 0, []
    for msg in ws.messages[: at + 1]:
        lost = is_reasoning(msg.item) and not (msg.item or {}).get(ENCRYPTED)
        if lost and turn not in missing:
            missing.append(turn)
        if msg.response_id:
            turn, turns = turn + 1, turns + 1
    notes: list[Finding] = []
    if missing:
        said = ("turns " if len(missing) > 1 else "turn ") + ", ".join(map(str, missing))
        notes.append(
            Finding(
                "conversation_id",
                "warning",
                f"the Conversation does not hold the reasoning of {said}: reasoning items "
                "without encrypted content cannot be added to it",
                code=REASONING_LEFT_OUT,
            )
        )
    return Seed(kept, turns, tuple(notes))


def summary(s: Seed) -> str:
    """What the new Conversation holds, in the window's words ("" when it starts empty)."""
    if not s.items:
        return ""
    turns = f"{s.turns} answered turn{'s' if s.turns != 1 else ''}"
    return f"it starts with the {len(s.items)} items of the {turns} shown here"


def created_note(conversation_id: str, s: Seed) -> str:
    """The state section's line once `conversation_id` is created with `s`: what it holds,
    that the tab's runs go into it, and what it does not hold (each a sentence)."""
    held = summary(s)
    said = f"Created {conversation_id}: " + (f"{held}; " if held else "")
    said += "runs in this tab go into it."
    notes = (f"{f.message[:1].upper()}{f.message[1:].rstrip('.')}." for f in s.findings)
    return " ".join([said, *notes])


NOT_FOUND = "state.conversation_not_found"
HOLDS_NONE = "state.conversation_holds_none"
FOUND = "state.conversation_found"


def checked(conversation_id: str, items: list[dict[str, Any]] | None, answered: int) -> Finding:
    """What checking a typed or pasted Conversation id found, as a finding on
    `conversation_id`: `items` is what the server holds (None: it answered 404), `answered`
    how many answered turns the tab shows. A run in a Conversation sends only the messages
    after the last answer, so an empty one behind answered turns leaves them unseen."""
    if items is None:
        return Finding(
            "conversation_id",
            "error",
            f"The server has no conversation {conversation_id} (404): Run will fail. Check "
            "the id, or Create a new conversation.",
            code=NOT_FOUND,
        )
    if not items and answered:
        turns = f"{answered} earlier turn{'s' if answered != 1 else ''}"
        return Finding(
            "conversation_id",
            "warning",
            f"{conversation_id} holds no items: it does not hold this tab's {turns}, so the "
            "model will not see them. Create a conversation instead to carry them over.",
            code=HOLDS_NONE,
        )
    held = f"{len(items)} item{'s' if len(items) != 1 else ''}"
    return Finding("conversation_id", "info", f"{conversation_id} found: {held}.", code=FOUND)
