"""Exported Python for conversation state (core/state_modes.py): a two-turn exchange.

"chain": the program sends the workspace's request, then a second turn with
`previous_response_id` = the first response's id and only the follow-up message.
"conversation": the program runs both turns in a Conversation: the workspace's
(`conversation_id`), or one it creates first with `client.conversations.create()`.
The second turn's message is `FOLLOW_UP`, a constant at the top of the program to edit.
"Send everything" needs nothing here: its request already carries what it keeps (reasoning
items, `include: ["reasoning.encrypted_content"]` with store false).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.core.pysource import INDENT, Raw, call, string
from playground.core.request import BuiltRequest
from playground.core.workspace import Workspace

FOLLOW_UP = "Tell me more."
"""The second turn's user message in an exported two-turn program (edit it there)."""


@dataclass(frozen=True)
class StateProgram:
    """The parts of a two-turn program: `head` (the FOLLOW_UP constant and, when streamed,
    the `answer` helper) goes before the main code; `body` is the main code at its depth."""

    head: str
    body: str


def two_turns(ws: Workspace, built: BuiltRequest, asynchronous: bool) -> StateProgram | None:
    """The program of a chain or a Conversation workspace on Responses; None for others."""
    if built.api != "responses" or ws.state == "everything":
        return None
    d = 1 if asynchronous else 0
    stream = bool(built.kwargs.get("stream"))
    first = dict(built.kwargs)
    lines: list[str] = []
    if ws.state == "conversation" and "conversation" not in first:
        made = (
            "await client.conversations.create()"
            if asynchronous
            else ("client.conversations.create()")
        )
        lines += [f"conversation = {made}", 'print("Conversation:", conversation.id)']
        first["conversation"] = Raw("conversation.id")
    follow = [{"role": "user", "content": Raw("FOLLOW_UP")}]
    second = {
        k: follow if k == "input" else v for k, v in first.items() if k != "previous_response_id"
    }
    if ws.state == "chain":
        second["previous_response_id"] = Raw("first_id")
    lines += _turn("first_id", first, asynchronous, d, stream)
    lines += ['print("---")', *_turn("second_id", second, asynchronous, d, stream)]
    lines.append('print("Responses:", first_id, second_id)')
    head = f"FOLLOW_UP = {string(FOLLOW_UP)}  # the second turn's message"
    if stream:
        head += "\n\n\n" + _answer_source(asynchronous)
    return StateProgram(head, "\n".join(INDENT * d + line for line in lines))


def _turn(name: str, kwargs: dict[str, Any], asynchronous: bool, d: int, stream: bool) -> list[str]:
    made = ("await " if asynchronous else "") + call("client.responses.create", kwargs, depth=d)
    if stream:
        wait = "await " if asynchronous else ""
        return [f"stream = {made}", f"{name} = {wait}answer(stream)"]
    return [f"response = {made}", "print(response.output_text)", f"{name} = response.id"]


def _answer_source(asynchronous: bool) -> str:
    a = "async " if asynchronous else ""
    return "\n".join(
        (
            f"{a}def answer(stream: Any) -> str:",
            '    """Print the streamed answer; return its response id."""',
            '    response_id = ""',
            f"    {a}for event in stream:",
            '        if event.type == "response.output_text.delta":',
            '            print(event.delta, end="", flush=True)',
            '        elif event.type == "response.completed":',
            "            response_id = event.response.id",
            "    print()",
            "    return response_id",
        )
    )
