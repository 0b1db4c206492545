"""Conversation state for `playground run`: the workspace's mode is honoured as the window
honours it (core/state_modes.py builds the request); a Conversation workspace without one gets
a new Conversation first, holding the turns it already answered (core/conversation_seed.py);
`--save` writes the answered turn back into the workspace file
(with its response id), so the next `playground run` goes on from it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.cli_settings import err
from playground.core.sent_marks import EDITED, RESHAPED, seeded

if TYPE_CHECKING:
    from playground.core.reducer import AssistantTurn
    from playground.core.workspace import Workspace

NO_CONVERSATION = "state.no_conversation"
"""The finding of a Conversation workspace without a conversation id (core/state_modes.py):
the CLI creates one instead of refusing."""
SETTLED_BY_CREATING = frozenset({NO_CONVERSATION, EDITED, RESHAPED})
"""Findings a new Conversation settles: it holds the answered turns as they are now."""


def needs_conversation(ws: Workspace) -> bool:
    """The workspace runs in a Conversation it does not name yet."""
    return ws.api == "responses" and ws.state == "conversation" and not ws.conversation_id


async def with_conversation(ws: Workspace, client: Any, save: Path | None) -> Workspace:
    """`ws` with a new Conversation's id when it needs one (said on stderr); raises
    services.conversations.ConversationError when the server refuses."""
    if not needs_conversation(ws):
        return ws
    from playground.core import conversation_seed
    from playground.services import conversations

    seed = conversation_seed.seed(ws)  # the turns already answered go in first
    info = await conversations.create(client, items=seed.items or None)
    kept = "it is saved in the workspace" if save else "add --save to keep it in the workspace"
    held = conversation_seed.summary(seed)
    err(f"created conversation {info.id} ({kept})" + (f"; {held}" if held else ""))
    for finding in seed.findings:
        err(f"{finding.severity}: {finding.message}")
    return seeded(ws, ws).model_copy(update={"conversation_id": info.id})


def save_turn(
    path: Path, ws: Workspace, turn: AssistantTurn, origin: tuple[str, str] | None = None
) -> None:
    """Write `ws` with `turn` appended (its reasoning and other kept items, the answer, the
    response id it ends with) back to `path`; said on stderr. `origin` (profile name,
    file_inputs.upload_origin): where it was answered, which its reasoning items record."""
    from playground.core.reducer import append_turn
    from playground.services.files import save_workspace

    save_workspace(path, append_turn(ws, turn, origin))
    err(f"saved the answer to {path}")
