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
