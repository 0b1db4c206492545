"""Edits of a conversation before a run: regenerate, run from a message, fork.

Pure functions from a Workspace to a new one (nothing is changed in place); the window takes
each result into the tab's Document as one undo step, or into a new tab (fork).

"The last answer" is what follows the last user or tool message, when it holds an assistant
message: regenerating drops it so the next run answers that message again. A conversation with
no user or tool message has no answer to replace.

Reasoning items (core/reasoning_items.py) belong to the output that follows them: they are
kept as assistant messages right before the message they led to, in the same response. An
edit moves them with that message: deleting an answer deletes them too (`with_reasoning`),
and a cut that would end on them drops them (the API refuses a reasoning item without its
following item).
"""

from __future__ import annotations

from collections.abc import Sequence

from playground.core.reasoning_items import is_reasoning
from playground.core.workspace import Message, Workspace

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


def _reasoning_msg(msg: Message) -> bool:
    return msg.role == "assistant" and is_reasoning(msg.item)


def with_reasoning(messages: Sequence[Message], index: int) -> range:
    """The messages that go when `messages[index]` is deleted: it, and when it is an
    assistant message other than a reasoning item, the reasoning items right before it (they
    belong to its response). Raises IndexError when there is no message `index`."""
    if not 0 <= index < len(messages):
        raise IndexError(f"no message {index}")
    first = index
    if messages[index].role == "assistant" and not _reasoning_msg(messages[index]):
        while first > 0 and _reasoning_msg(messages[first - 1]):
            first -= 1
    return range(first, index + 1)


def keep_through(ws: Workspace, index: int) -> Workspace:
    """`ws` with its messages up to and including `messages[index]`, less the reasoning
    items it would end on (their answer is not kept); the rest unchanged.
    Raises IndexError when there is no message `index` (negative indexes are refused too)."""
    if not 0 <= index < len(ws.messages):
        raise IndexError(f"no message {index}")
    kept = list(ws.messages[: index + 1])
    while kept and _reasoning_msg(kept[-1]):
        kept.pop()
    return ws.model_copy(update={"messages": kept})


def fork(ws: Workspace, index: int) -> Workspace:
    """A new workspace for a new tab: `ws` with the conversation up to and including
    `messages[index]` (a deep copy: nothing is shared with `ws`). Raises IndexError."""
    return keep_through(ws, index).model_copy(deep=True)
