"""What a "not found" error says is missing on the server, and what to do about it.

A 404 (or the API's 400 `previous_response_not_found`) can mean the model or the URL is
unknown, or that something the request names is no longer held by the server: a reasoning
item or another output item sent back in `input`, the response a chain continues from, a
Conversation, an uploaded file, a stored response. The app must name the right one: the
tester's case was a reasoning item `rs_…` the server had forgotten, shown as "does not know
the model". Sources, in order: the error's `code` (the API's `previous_response_not_found`,
reference/openai-protocol.md section 2.6), its `param` (`previous_response_id`,
`conversation`, `file_id`), then the id the message names: the API's ids carry their kind
as a prefix (`rs_`, `resp_`, `conv_`, `file-`; spec components.schemas ReasoningItem,
Response, ConversationResource, OpenAIFile examples, checked 2026-12-01), and its messages
say "… with id '…' not found." or "No such File object: …" (the live API's wording as the
simulator repeats it, openai-protocol.md section 3.4). A message that names no id and is not
about a missing object (the model, an invalid URL) gives None: today's words stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

KEPT_DAYS = 30
"""How long OpenAI keeps a stored response (and so its items): 30 days by default, as its
conversation-state guide says (platform.openai.com/docs/guides/conversation-state, "store";
not in the spec or openai-protocol.md, checked 2026-12-01). The simulator's saved state keeps
entries as long (services/simulator/saved_state.py)."""


class MissingKind(StrEnum):
    REASONING_ITEM = "reasoning_item"
    ITEM = "item"
    PREVIOUS_RESPONSE = "previous_response"
    RESPONSE = "response"
    CONVERSATION = "conversation"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class Missing:
    """What the server no longer holds: its kind and id (None when the error names none)."""

    kind: MissingKind
    id: str | None = None


_ID = re.compile(r"\b(?:rs|resp|conv|msg|fc|ctc|ws|fs|ci|ig|mcp|mcpr|lsh|sh|cu)_[A-Za-z0-9]+")
_FILE_ID = re.compile(r"\bfile-[A-Za-z0-9]+")
_SAYS_MISSING = re.compile(r"not found|no such", re.IGNORECASE)
_BY_PREFIX = {
    "rs_": MissingKind.REASONING_ITEM,
    "resp_": MissingKind.RESPONSE,
    "conv_": MissingKind.CONVERSATION,
    "file-": MissingKind.FILE,
}
_BY_PARAM = {
    "previous_response_id": MissingKind.PREVIOUS_RESPONSE,
    "conversation": MissingKind.CONVERSATION,
    "conversation_id": MissingKind.CONVERSATION,
    "file_id": MissingKind.FILE,
}


def missing_from_error(
    status: int | None, code: str | None, param: str | None, message: str | None
) -> Missing | None:
    """What a server's error says is missing; None when it is not such an error (a 404
    about the model or the URL, any other status). `message` is the server's own text."""
    text = message or ""
    found = _FILE_ID.search(text) or _ID.search(text)
    named = found.group(0) if found else None
    if code == "previous_response_not_found":
        return Missing(MissingKind.PREVIOUS_RESPONSE, named)
    if status not in (400, 404) or code == "model_not_found" or param == "model":
        return None
    if not _SAYS_MISSING.search(text):
        return None
    if param in _BY_PARAM:
        return Missing(_BY_PARAM[param], named)
    if named is None:
        return None
    kind = next((k for p, k in _BY_PREFIX.items() if named.startswith(p)), MissingKind.ITEM)
    return Missing(kind, named)


def _kept() -> str:
    return (
        f"A server keeps what it stored for a limited time (OpenAI: {KEPT_DAYS} days); the "
        "app's simulator keeps its own as long, unless its saved state was lost."
    )


def words(missing: Missing) -> tuple[str, str]:
    """(what is missing, what to do), in the app's words: a failure's message and hint."""
    ident = f" {missing.id}" if missing.id else ""
    kind = missing.kind
    if kind is MissingKind.REASONING_ITEM or kind is MissingKind.ITEM:
        what = "reasoning item" if kind is MissingKind.REASONING_ITEM else "item"
        return (
            f"The server no longer holds the {what}{ident} that this conversation sends back. "
            + _kept(),
            f"Send the conversation without that {what} (delete it, or the turn it belongs "
            "to), or start over from there.",
        )
    if kind is MissingKind.PREVIOUS_RESPONSE:
        return (
            f"The server no longer holds the previous response{ident} that this chain "
            "continues from: it was made with store off, or it expired, was deleted, or "
            "belongs to another project or key. " + _kept(),
            "Switch Conversation state (under Params) to Send everything: the whole "
            'conversation is sent (in a workspace file, "state": "everything"); or start a '
            "Conversation.",
        )
    if kind is MissingKind.CONVERSATION:
        return (
            f"The server no longer holds the conversation{ident}: it was deleted, or belongs "
            "to another project or key. " + _kept(),
            "Create a new Conversation under Params ▸ Conversation state (headless: remove "
            "the workspace's conversation_id and `playground run --save` creates one), or "
            "switch to Send everything.",
        )
    if kind is MissingKind.FILE:
        return (
            f"The server no longer holds the file{ident} that the request names: it was "
            "deleted or expired, or belongs to another project or key. " + _kept(),
            "Attach the file again (it is uploaded anew at Run).",
        )
    return (
        f"The server no longer holds the response{ident}: it expired, was deleted, or "
        "belongs to another project or key. " + _kept(),
        "Run the request again.",
    )
