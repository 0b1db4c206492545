"""Reasoning items in the conversation: kept as the API returned them, sent back in `input`,
shown collapsed with their summary, their encrypted content never shown.

A reasoning item (spec ResponseReasoningItem, checked 2026-12-01) is
`{"type": "reasoning", "id": "rs_…", "summary": [{"type": "summary_text", "text": …}],
"encrypted_content"?: "…"}`; `encrypted_content` comes only with
`include: ["reasoning.encrypted_content"]` and is what carries the reasoning over a stateless
(`store: false`) tool loop (openai-protocol.md section 2.5). It lives in the workspace as
`Message(role="assistant", item=ITEM)`, in output order before the answer it led to.

Encrypted content is opaque to the app: the window shows "<encrypted, N chars>" in its place
(the Raw pane, the card), logs give at most its length; files the user keeps (workspaces,
history records, exports) keep the real value, since a conversation cannot go on without it.
"""

from __future__ import annotations

from typing import Any

from playground.core.workspace import Message

ENCRYPTED = "encrypted_content"
INCLUDE = "reasoning.encrypted_content"
"""The include value that asks for reasoning items' encrypted content (spec IncludeEnum)."""


def is_reasoning(item: dict[str, Any] | None) -> bool:
    """The item is a reasoning item."""
    return isinstance(item, dict) and item.get("type") == "reasoning"


def reasoning_item(msg: Message) -> dict[str, Any] | None:
    """The message's kept reasoning item, or None."""
    return msg.item if is_reasoning(msg.item) else None


def summary_text(item: dict[str, Any]) -> str:
    """The item's summary parts' text, joined by blank lines ("" when it has none)."""
    parts = item.get("summary") or []
    texts = [str(p.get("text", "")) for p in parts if isinstance(p, dict)]
    return "\n\n".join(t for t in texts if t)


def encrypted_length(item: dict[str, Any]) -> int:
    """The length of the item's encrypted content in characters (0 when it has none)."""
    token = item.get(ENCRYPTED)
    return len(token) if isinstance(token, str) else 0


def placeholder(length: int) -> str:
    """What is shown in place of encrypted content of `length` characters."""
    return f"<encrypted, {length} chars>"


def masked(value: Any) -> Any:
    """A copy of `value` (a request body, an item, any JSON) in which every reasoning item's
    encrypted content is replaced by `placeholder(len)`: what the window shows of it."""
    if isinstance(value, list):
        return [masked(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: masked(v) for k, v in value.items()}
    token = value.get(ENCRYPTED)
    if isinstance(token, str):
        out[ENCRYPTED] = placeholder(len(token))
    return out


def headline(item: dict[str, Any]) -> str:
    """One line for a collapsed reasoning item: "Reasoning", its summary's first words, and
    whether it carries encrypted content (by length only)."""
    summary = summary_text(item)
    # the summary's first line, without Markdown's bold marks (summaries open with a title)
    first = summary.splitlines()[0].replace("**", "").strip() if summary else "no summary"
    if len(first) > 80:
        first = first[:79] + "…"
    size = encrypted_length(item)
    carried = f"  ·  encrypted content, {size} chars" if size else ""
    return f"Reasoning: {first}{carried}"


ELSEWHERE = "state.reasoning_elsewhere"
"""Finding code (info): reasoning items that came from another server are left out."""


def from_origin(msg: Message, origin: tuple[str, str] | None) -> Message:
    """`msg` marked as answered at `origin` (profile name, file_inputs.upload_origin) when
    it keeps a reasoning item; else `msg` itself."""
    if origin is None or reasoning_item(msg) is None:
        return msg
    return msg.model_copy(update={"answered_by": origin[0], "answer_server": origin[1]})


def from_elsewhere(msg: Message, origin: tuple[str, str] | None) -> bool:
    """`msg` keeps a reasoning item that a run on another profile or server answered with,
    so a request to `origin` (profile name, file_inputs.upload_origin) cannot carry it.

    An item sent by id alone is found only where its response was stored (else 404 "Item
    with id 'rs_…' not found"); its encrypted content is opened only by the server that
    sealed it (else 400 invalid_encrypted_content; openai-protocol.md section 2.5, the
    simulator's reasoning_seal.py). So both kinds stay with their server. An item whose
    origin is not recorded (an older file, an import), or a request whose destination is
    unknown (`origin` None: exported code), is sent as it is."""
    if origin is None or msg.answer_server is None or reasoning_item(msg) is None:
        return False
    return (msg.answered_by, msg.answer_server) != origin


def elsewhere_note(count: int, origin: tuple[str, str]) -> str:
    """The info finding's text: `count` reasoning items left out of a request to `origin`."""
    items = "1 reasoning item" if count == 1 else f"{count} reasoning items"
    return (
        f"{items} came from another server than '{origin[0]}': an item is known only to "
        "the server whose answer it came from (by id) or that sealed it (encrypted content), "
        "so it is left out; the conversation goes on without that reasoning"
    )
