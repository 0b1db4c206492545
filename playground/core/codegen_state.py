"""Exported Python for conversation state (core/state_modes.py): a two-turn exchange.

"chain": the program sends the workspace's request, then a second turn with
`previous_response_id` = the first response's id and only the follow-up message.
"conversation": the program runs both turns in a Conversation: the workspace's
(`conversation_id`), or one it creates first with `client.conversations.create()`.
The second turn's message is `FOLLOW_UP`, a constant at the top of the program to edit.
"Send everything" needs nothing here: its request already carries what it keeps (reasoning
items, `include: ["reasoning.encrypted_content"]` with store false).

The `--tool-loop` program follows the mode too (`loop_state`): in a chain each round sends
only the tool outputs with `previous_response_id` = the last response's id; in a
Conversation each round sends only the tool outputs with `conversation` (the server adds
each response's items to it); Send everything appends the output and sends it all.
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


@dataclass(frozen=True)
class LoopState:
    """How a Responses `--tool-loop` program keeps the conversation between rounds.

    `before`: lines before the loop (at the program's depth); `kwargs`: the loop's request
    keyword arguments; `next_round`: the loop-body lines (one indent deep) run after the
    model called tools, before their outputs are added to `items`."""

    before: tuple[str, ...]
    kwargs: dict[str, Any]
    next_round: tuple[str, ...]


def loop_state(ws: Workspace, kwargs: dict[str, Any], asynchronous: bool) -> LoopState:
    """The loop of `ws`'s state mode on Responses (`kwargs`: the request's, input = `items`)."""
    kw = dict(kwargs)
    if ws.state == "chain":
        given = kw.get("previous_response_id")
        kw["previous_response_id"] = Raw("previous_response_id")
        first = string(given) if isinstance(given, str) else "omit"  # the chain's first run
        return LoopState(
            (f"previous_response_id = {first}",),
            kw,
            (
                "    # chained: the next request sends only the tool outputs",
                "    previous_response_id = response.id",
                "    items = []",
            ),
        )
    if ws.state == "conversation":
        before: tuple[str, ...] = ()
        if "conversation" not in kw:
            made = ("await " if asynchronous else "") + "client.conversations.create()"
            before = (f"conversation = {made}", 'print("Conversation:", conversation.id)')
            kw["conversation"] = Raw("conversation.id")
        return LoopState(
            before,
            kw,
            (
                "    # the Conversation holds the turn so far: send only the tool outputs",
                "    items = []",
            ),
        )
    return LoopState((), kw, ("    items += response.output",))


def loop_imports(ws: Workspace, built: BuiltRequest) -> set[str]:
    """What a `--tool-loop` program of `ws` imports from openai for its state: `omit` for
    a chain's first run (no previous_response_id yet)."""
    chain = built.api == "responses" and ws.state == "chain"
    return {"omit"} if chain and not built.kwargs.get("previous_response_id") else set()
