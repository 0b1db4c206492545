"""Items as the API keeps them: every stored input and output item gets an id and its full
shape, so a response's input items and a conversation's items can be listed and read back.

Shapes (spec components.schemas.ItemResource and ConversationItem, checked 2026-12-01; the
SDK's ResponseItem and conversations.ConversationItem unions): an input message is
`{id: "msg_…", type: "message", role, status: "completed", content: [input_text | input_image
| input_file]}`; an assistant message keeps its output_text parts; a function call output is
`{id: "fco_…", type: "function_call_output", call_id, output, status: "completed"}`.
Lists are cursor pages (spec ResponseItemList, ConversationItemList): `limit` 1..100,
default 20; `order` asc | desc, default desc; `after` an item id.
"""

from __future__ import annotations

import copy
from typing import Any

from playground.services.simulator.protocol import SimError, new_id

_ID_PREFIX = {
    "message": "msg",
    "function_call": "fc",
    "function_call_output": "fco",
    "custom_tool_call": "ctc",
    "custom_tool_call_output": "ctco",
    "reasoning": "rs",
}


def _parts(role: str, content: Any) -> list[dict[str, Any]]:
    if isinstance(content, str):
        if role == "assistant":
            return [{"type": "output_text", "text": content, "annotations": [], "logprobs": []}]
        return [{"type": "input_text", "text": content}]
    parts = []
    for part in content if isinstance(content, list) else []:
        if not isinstance(part, dict):
            continue
        part = dict(part)
        if part.get("type") == "output_text":
            part.setdefault("annotations", [])
        if part.get("type") == "input_image":
            part.setdefault("detail", "auto")
        parts.append(part)
    return parts


def stored(item: dict[str, Any]) -> dict[str, Any]:
    """`item` (an input item as sent, or an output item) in the full shape the API lists,
    with an id; item references are kept as they are (`resolve` reads them)."""
    found = copy.deepcopy(item)
    kind = str(found.get("type") or "message")
    found["type"] = kind
    if kind == "item_reference":
        return found
    if kind == "message":
        role = str(found.get("role") or "user")
        found["role"] = role
        found["content"] = _parts(role, found.get("content"))
    if kind in ("message", "function_call", "function_call_output", "custom_tool_call_output"):
        found.setdefault("status", "completed")
    if not found.get("id"):
        found["id"] = new_id(_ID_PREFIX.get(kind, "item"))
    return found


def listed(item: dict[str, Any], include: list[str]) -> dict[str, Any]:
    """An item as a list or retrieve shows it: encrypted reasoning only when `include` asks
    for "reasoning.encrypted_content"."""
    if item.get("type") == "reasoning" and "reasoning.encrypted_content" not in include:
        return {k: v for k, v in item.items() if k != "encrypted_content"}
    return item


def page(
    items: list[dict[str, Any]], query: Any, include: list[str] | None = None
) -> dict[str, Any]:
    """A list page of `items` (oldest first) under the query's `limit`, `order`, `after`;
    SimError 400 for a bad limit or order, 404 for an unknown `after`."""
    raw = query.get("limit", "20")
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= 100:
        raise SimError(
            400,
            f"Invalid 'limit': expected an integer from 1 to 100, but got {raw!r} instead.",
            param="limit",
            code="invalid_value",
        )
    order = query.get("order", "desc")
    if order not in ("asc", "desc"):
        raise SimError(
            400,
            f"Invalid value: '{order}'. Supported values are: 'asc' and 'desc'.",
            param="order",
            code="invalid_value",
        )
    ordered = list(items) if order == "asc" else list(reversed(items))
    start = 0
    after = query.get("after")
    if after:
        ids = [i.get("id") for i in ordered]
        if after not in ids:
            raise SimError(404, f"Item with id '{after}' not found.", param="after")
        start = ids.index(after) + 1
    data = [listed(i, include or []) for i in ordered[start : start + limit]]
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": start + limit < len(ordered),
    }


def include_of(query: Any) -> list[str]:
    """The `include` values of a query string (`include=a&include=b` or `include[]=a`)."""
    return [str(v) for key in ("include", "include[]") for v in query.getall(key, [])]
