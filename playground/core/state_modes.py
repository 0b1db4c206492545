"""Conversation state between runs (Responses only): what each state mode sends.

- "everything": the client keeps the whole conversation and sends it, reasoning items
  included (`Message.item`, core/reasoning_items.py). With `store: false` and a reasoning
  model, `include: ["reasoning.encrypted_content"]` is added so that the reasoning items come
  back with what carries them over (openai-protocol.md section 2.5; OpenAI's reasoning guide,
  "Keeping reasoning items in context", checked 2026-12-01). A reasoning item that has no
  encrypted content cannot be sent with `store: false` (the server never kept it: a 404), so it
  is left out with a finding.
- "chain": each run sends `previous_response_id` = the id of the last answered turn (the last
  message with a `response_id`) and only the messages after it. The server prepends the chain's
  input and output (openai-protocol.md section 2.6), so it needs stored responses.
- "conversation": each run sends `conversation` = the workspace's `conversation_id` and only the
  messages after the last answered turn; the API adds each run's input and output to the
  conversation (spec CreateResponse.conversation, checked 2026-12-01).

A turn's last message records the response id (core/reducer.append_turn); it is never sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playground.core.findings import Finding
from playground.core.reasoning_items import ENCRYPTED, INCLUDE, is_reasoning
from playground.core.workspace import Message, Workspace

LABELS = {
    "everything": "Send everything",
    "chain": "Chain with previous_response_id",
    "conversation": "A Conversation",
}
"""Each state mode as the window and the CLI name it."""


def last_answer(messages: list[Message]) -> int:
    """The index of the last message that ends an answered turn (has a `response_id`), or -1."""
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].response_id:
            return i
    return -1


def chain(messages: list[Message]) -> list[str]:
    """The response ids of the conversation's answered turns, oldest first."""
    return [m.response_id for m in messages if m.response_id]


@dataclass(frozen=True)
class StatePlan:
    """What one Responses request carries of the conversation's state.

    `start`: the index of the first message sent; `previous_response_id` and `conversation`:
    the values to send (None: not sent); `include_encrypted`: add INCLUDE to `include`;
    `drop_param_previous`: the parameter previous_response_id is not sent."""

    start: int = 0
    previous_response_id: str | None = None
    conversation: str | None = None
    include_encrypted: bool = False
    drop_param_previous: bool = False
    findings: tuple[Finding, ...] = field(default=())


def plan(ws: Workspace, reasons: bool) -> StatePlan:
    """The state plan of `ws` (its `state`) for a model that reasons or not (`reasons`)."""
    notes: list[Finding] = []
    stored = ws.params.store is not False
    given = ws.params.previous_response_id
    if ws.state == "everything":
        return StatePlan(include_encrypted=reasons and not stored)
    at = last_answer(ws.messages)
    start = at + 1
    if at >= 0:
        notes += _answered_notes(ws, start, held_on_server(ws))
    if ws.state == "chain":
        if not stored:
            notes.append(
                Finding(
                    "params.store",
                    "error",
                    "Chaining with previous_response_id needs stored responses, and store is "
                    "off: turn store on, or send everything",
                    code="state.chain_unstored",
                )
            )
        if at < 0:
            return StatePlan(findings=tuple(notes))  # the chain's first run (from `given`)
        if stored and _made_unstored(ws.messages, at):
            notes.append(
                Finding(
                    "state",
                    "error",
                    "the last answer was made with store off (its reasoning came back as "
                    "encrypted content): nothing was stored, so a chain cannot start from it. "
                    "Send everything, or start a Conversation",
                    code="state.chain_from_unstored",
                )
            )
        rid = ws.messages[at].response_id
        if given and given != rid:
            notes.append(
                Finding(
                    "params.previous_response_id",
                    "info",
                    f"the chain continues from {rid}; previous_response_id {given} is not sent",
                )
            )
        return StatePlan(start, rid, drop_param_previous=True, findings=tuple(notes))
    if not ws.conversation_id:
        notes.append(
            Finding(
                "conversation_id",
                "error",
                "Running in a Conversation needs one: Create one or paste its id under Params ▸ "
                "Conversation state (the workspace's conversation_id; `playground run` "
                "creates one)",
                code="state.no_conversation",
            )
        )
    if given:
        notes.append(
            Finding(
                "params.previous_response_id",
                "warning",
                "previous_response_id cannot go with a conversation (the API refuses both); "
                "it will not be sent",
            )
        )
    return StatePlan(
        start, None, ws.conversation_id, drop_param_previous=bool(given), findings=tuple(notes)
    )


def _made_unstored(messages: list[Message], at: int) -> bool:
    """The turn ending at `at` carries reasoning with encrypted content: the app asks for it
    only with store off, so that response was not stored (other store-off answers leave no
    mark; the server's 400 previous_response_not_found then says so)."""
    i = at
    while i >= 0 and messages[i].role == "assistant":
        item = messages[i].item
        if isinstance(item, dict) and item.get("type") == "reasoning" and item.get(ENCRYPTED):
            return True
        i -= 1
    return False


NOTHING_NEW = "state.nothing_new"
"""The finding of a chain or Conversation run with no message after the last answer."""
SENT_AS_SENT = "state.sent_as_sent"
"""The note that messages up to the last answer are on the server as they were sent, given
only where what was sent is not recorded (the edits are then not detected)."""


def held_on_server(ws: Workspace) -> bool:
    """The server holds the conversation up to its last answer, as it was sent: a chain
    whose answers were stored (store on, and the last answer not made with store off), or a
    Conversation that exists (`conversation_id`). False in Send everything, before any
    answer, with store off, and in Conversation mode before one is created (creating it
    sends the conversation as it is then: core/conversation_seed.py)."""
    at = last_answer(ws.messages)
    if ws.state == "everything" or at < 0:
        return False
    if ws.state == "conversation":
        return bool(ws.conversation_id)
    return ws.params.store is not False and not _made_unstored(ws.messages, at)


def _answered_notes(ws: Workspace, start: int, held: bool) -> list[Finding]:
    """Findings of a chain or Conversation that has answered turns (`start`: the first
    message after the last answer): nothing new to send is an error (the request would carry
    `input: []`); a message before `start` changed since it was sent is a warning, since the
    server holds it as it was (core/sent_marks.py; in Conversation mode before one exists it
    stays until one is created, which sends the message as it is; nothing new to send is not
    said there either, the server holding nothing yet). Where the server holds the
    messages (`held`: held_on_server) but the last answer records nothing of what was sent
    (an older file), an info note says that edits there do not reach the model."""
    from playground.core import sent_marks  # it imports this module

    notes = sent_marks.findings(ws, start - 1)
    if held and not sent_marks.tracked(ws, start - 1):
        notes.append(
            Finding(
                "state",
                "info",
                "Messages up to the last answer are on the server as they were sent; edits to "
                "them reach the model only in Send everything",
                code=SENT_AS_SENT,
            )
        )
    # with no Conversation yet the server holds nothing: "needs one" says all there is
    no_conversation = ws.state == "conversation" and not ws.conversation_id
    if start >= len(ws.messages) and not no_conversation:
        notes.append(
            Finding(
                "messages",
                "error",
                "nothing new to send: add a message (the server already holds every message "
                "up to the last answer)",
                code=NOTHING_NEW,
            )
        )
    return notes


def unsendable_reasoning(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """`items` without the reasoning items that carry no encrypted content, and those items'
    ids: what a `store: false` request cannot send back."""
    kept: list[dict[str, Any]] = []
    dropped: list[str] = []
    for item in items:
        if is_reasoning(item) and not item.get(ENCRYPTED):
            dropped.append(str(item.get("id", "?")))
        else:
            kept.append(item)
    return kept, dropped


def add_include(kwargs: dict[str, Any]) -> None:
    """Ask for reasoning items' encrypted content (INCLUDE in `include`, once)."""
    include = kwargs.setdefault("include", [])
    if INCLUDE not in include:
        include.append(INCLUDE)


def item_line(item: dict[str, Any]) -> str:
    """One line for a conversation item as the window lists it: its type, role or name and
    the start of its text (a reasoning item by its summary; encrypted content never)."""
    kind = str(item.get("type", "message"))
    if is_reasoning(item):
        from playground.core.reasoning_items import headline

        return headline(item)
    if kind == "message":
        parts = item.get("content")
        if isinstance(parts, str):
            text = parts
        else:
            text = " ".join(
                str(p.get("text", "")) for p in parts or [] if isinstance(p, dict) and "text" in p
            )
        said = f"{item.get('role', '?')}: {text}"
    elif kind in ("function_call", "custom_tool_call"):
        said = f"{kind} {item.get('name', '?')}({item.get('arguments', item.get('input', ''))})"
    elif kind.endswith("_output"):
        said = f"{kind} {item.get('call_id', '')}: {item.get('output', '')}"
    else:
        said = f"{kind} {item.get('id', '')}".strip()
    said = " ".join(said.split())
    return said if len(said) <= 120 else said[:119] + "…"


def where_stored(ws: Workspace, missing: bool = False) -> str:
    """Where the conversation's state is kept, in the window's words. `missing`: the server
    answered 404 for the tab's `conversation_id` (checked in the window): nothing is there."""
    stored = ws.params.store is not False
    if ws.state == "conversation":
        if not ws.conversation_id:
            return (
                "Nothing is stored on the server until a Conversation is created (Create, or "
                "paste its id)."
            )
        if missing:
            return f"Nothing is stored on the server: it has no Conversation {ws.conversation_id}."
        return "The conversation's items are stored on the server, in the Conversation."
    if ws.state == "chain":
        if not stored:
            return "store is off: nothing is stored on the server, so the chain cannot go on."
        at = last_answer(ws.messages)
        if at >= 0 and _made_unstored(ws.messages, at):
            return (
                "Responses are stored from now on (store: true), but the last answer was made "
                "with store off: nothing of it is on the server."
            )
        return "Each response is stored on the server (store: true); the next run chains on."
    if stored:
        return "Kept here, and each response is also stored on the server (store: true)."
    return "Kept here only (store: false); reasoning comes back as encrypted content."


SHOWN_IDS = 3
"""A chain line names at most this many response ids (the newest), then how many earlier."""


def chain_line(ws: Workspace) -> str:
    """The state section's line about the tab's answered turns in its state mode (Responses):
    the chain of response ids and where the next run continues from, unless nothing of them
    was stored (store is off, or the last answer was made with store off), then that the
    chain cannot go on from them."""
    ids = chain(ws.messages)
    if ws.state == "chain":
        if not ids:
            return "Chain: no response yet; the first run sends the whole conversation."
        if _made_unstored(ws.messages, last_answer(ws.messages)):
            return (
                "Chain: the last answer was made with store off, so nothing of it is on the "
                "server and the chain cannot go on from it: send everything, or start a "
                "Conversation."
            )
        if ws.params.store is False:
            return (
                "Chain: store is off, so nothing is stored and the chain cannot go on from "
                "these answers: turn store on, or send everything."
            )
        shown = ids[-SHOWN_IDS:]
        more = f"{len(ids) - len(shown)} earlier → " if len(ids) > len(shown) else ""
        return f"Chain: {more}{' → '.join(shown)}; the next run continues from {ids[-1]}."
    if ws.state == "conversation":
        runs = f"{len(ids)} run{'s' if len(ids) != 1 else ''} in this tab"
        if ids and not ws.conversation_id:
            return f"{runs}; a Conversation created now starts with their turns."
        if ids:
            return f"{runs}; the next one sends only the messages after the last answer."
        return "Runs read the Conversation's items first; each adds its own to it."
    return "Every run sends the whole conversation, reasoning items included."
