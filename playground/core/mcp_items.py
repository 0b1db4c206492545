"""Remote MCP items in the conversation: the output items the app keeps as given, the
approval requests still waiting for an answer, and the answers (spec MCPListTools,
MCPApprovalRequest, MCPApprovalResponse, MCPToolCall; checked 2026-12-01).

A kept item lives in the workspace as `Message(role="assistant", item=ITEM)` and is sent
back exactly as given; an approval's answer as `Message(role="user", item=RESPONSE)`.
"""

from __future__ import annotations

import json
from typing import Any

from playground.core.mcp_tools import approval_response
from playground.core.workspace import Message, Workspace

KEPT_ITEMS = ("mcp_list_tools", "mcp_approval_request", "mcp_call")
"""Output item types the app keeps whole and sends back in the next request's input."""


def item_of(msg: Message, kind: str) -> dict[str, Any] | None:
    """The message's kept item when it is of type `kind`."""
    item = msg.item
    return item if item is not None and item.get("type") == kind else None


def pending_approvals(ws: Workspace) -> list[dict[str, Any]]:
    """The `mcp_approval_request` items after the last user message that no
    `mcp_approval_response` answers yet, in order."""
    answered: set[str] = set()
    pending: list[dict[str, Any]] = []
    for msg in reversed(ws.messages):
        if (resp := item_of(msg, "mcp_approval_response")) is not None:
            answered.add(str(resp.get("approval_request_id")))
            continue
        if (req := item_of(msg, "mcp_approval_request")) is not None:
            if str(req.get("id")) not in answered:
                pending.insert(0, req)
            continue
        if msg.role == "user" and msg.item is None:
            break
    return pending


def answer_approvals(ws: Workspace, decisions: dict[str, bool]) -> Workspace:
    """A copy of `ws` with one `mcp_approval_response` per (approval request id ->
    approve), in the order given."""
    extra = [
        Message(role="user", item=approval_response(rid, approve))
        for rid, approve in decisions.items()
    ]
    return ws.model_copy(update={"messages": [*ws.messages, *extra]})


def call_outcome(item: dict[str, Any]) -> tuple[bool, str]:
    """An `mcp_call` item's (succeeded, text to show): its output, or its error's message
    (a protocol error's `message`, an execution error's text content, else the JSON)."""
    error = item.get("error")
    if not error:
        return True, str(item.get("output") or "")
    if isinstance(error, str):
        return False, error
    if isinstance(error, dict):
        if isinstance(error.get("message"), str):
            return False, error["message"]
        content = error.get("content")
        if isinstance(content, list):
            texts = [str(c.get("text")) for c in content if isinstance(c, dict) and "text" in c]
            if texts:
                return False, "\n".join(texts)
    return False, json.dumps(error)


def summary(item: dict[str, Any]) -> str:
    """One line for a kept item: what it is, its server and tool."""
    kind, label = item.get("type"), item.get("server_label", "?")
    if kind == "mcp_list_tools":
        if item.get("error"):
            return f"MCP server {label}: listing its tools failed"
        return f"MCP server {label}: {len(item.get('tools') or [])} tools"
    if kind == "mcp_approval_request":
        return f"MCP server {label} asks to run {item.get('name')}"
    if kind == "mcp_call":
        ok, _ = call_outcome(item)
        return f"MCP call {item.get('name')} on {label}: {'done' if ok else 'failed'}"
    if kind == "mcp_approval_response":
        return f"MCP approval: {'approved' if item.get('approve') else 'denied'}"
    return str(kind)
