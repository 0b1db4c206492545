"""Edits of a conversation before a run: regenerate, run from a message, fork.

Pure functions from a Workspace to a new one (nothing is changed in place); the window takes
each result into the tab's Document as one undo step, or into a new tab (fork).

"The last answer" is what follows the last user or tool message, when it holds an assistant
message: regenerating drops it so the next run answers that message again. A conversation with
no user or tool message has no answer to replace.
"""

from __future__ import annotations

from collections.abc import Sequence

from playground.core.workspace import Workspace

_ASKED = ("user", "tool")
"""Roles a model answers: a user's message, or a tool's result."""


def last_answer_start(roles: Sequence[str]) -> int | None:
    """Given the conversation's roles in order: the index of the first message after the last
    user or tool message, when what follows it holds an assistant message (the answer
    regenerate replaces); else None."""
    for index in range(len(roles) - 1, -1, -1):
        if roles[index] in _ASKED:
            return index + 1 if "assistant" in roles[index + 1 :] else None
    return None


def drop_last_answer(ws: Workspace) -> Workspace:
    """`ws` without its last answer (see `last_answer_start`); `ws` itself when it has none."""
    start = last_answer_start([m.role for m in ws.messages])
    if start is None:
        return ws
    return ws.model_copy(update={"messages": list(ws.messages[:start])})


def keep_through(ws: Workspace, index: int) -> Workspace:
    """`ws` with its messages up to and including `messages[index]`, the rest unchanged.
    Raises IndexError when there is no message `index` (negative indexes are refused too)."""
    if not 0 <= index < len(ws.messages):
        raise IndexError(f"no message {index}")
    return ws.model_copy(update={"messages": list(ws.messages[: index + 1])})


def fork(ws: Workspace, index: int) -> Workspace:
    """A new workspace for a new tab: `ws` with the conversation up to and including
    `messages[index]` (a deep copy: nothing is shared with `ws`). Raises IndexError."""
    return keep_through(ws, index).model_copy(deep=True)
