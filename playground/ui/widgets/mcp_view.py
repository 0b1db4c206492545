"""Remote MCP items in the conversation: the lines a kept item's card shows (a server's
tools, a call's result or error, an approval request or answer), and the Approve / Deny step
for approval requests that wait for an answer."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from playground.core.mcp_items import call_outcome
from playground.ui.theme import accent
from playground.ui.widgets.schema_editor import mono_font


def _signature(schema: Any) -> str:
    """An input schema collapsed to `(name: type, ...)`; required names unmarked, optional
    ones with `?`."""
    if not isinstance(schema, dict):
        return "()"
    props = schema.get("properties")
    props = props if isinstance(props, dict) else {}
    required = schema.get("required")
    required = required if isinstance(required, list) else []
    parts = []
    for name, sub in props.items():
        kind = sub.get("type", "any") if isinstance(sub, dict) else "any"
        parts.append(f"{name}{'' if name in required else '?'}: {kind}")
    return f"({', '.join(parts)})"


def _muted(text: str) -> str:
    return f"<span style='color:{accent('muted').name()}'>{escape(text)}</span>"


def mcp_item_html(item: dict[str, Any]) -> str | None:
    """The HTML lines for a kept MCP item, or None when `item` is not one."""
    kind, label = item.get("type"), escape(str(item.get("server_label", "?")))
    if kind == "mcp_list_tools":
        if item.get("error"):
            color = accent("error").name()
            err = escape(str(item["error"]))
            return f"▸ MCP server <b>{label}</b>: <span style='color:{color}'>✗ {err}</span>"
        tools = item.get("tools") or []
        lines = [f"▸ MCP server <b>{label}</b> offers {len(tools)} tools:"]
        for tool in tools:
            if isinstance(tool, dict):
                name = escape(str(tool.get("name")))
                sig = escape(_signature(tool.get("input_schema")))
                desc = str(tool.get("description") or "")
                lines.append(f"&nbsp;&nbsp;• <code>{name}{sig}</code> {_muted(desc[:120])}")
        return "<br>".join(lines)
    if kind == "mcp_approval_request":
        name, args = escape(str(item.get("name"))), escape(str(item.get("arguments"))[:200])
        return f"▸ MCP server <b>{label}</b> asks to run <b>{name}</b>(<code>{args}</code>)"
    if kind == "mcp_approval_response":
        yes = bool(item.get("approve"))
        color = accent("ok" if yes else "error").name()
        verdict = "✓ approved" if yes else "✗ denied"
        rid = _muted(str(item.get("approval_request_id")))
        return f"▸ MCP approval <span style='color:{color}'>{verdict}</span> {rid}"
    if kind == "mcp_call":
        ok, text = call_outcome(item)
        name, args = escape(str(item.get("name"))), escape(str(item.get("arguments"))[:200])
        color = accent("ok" if ok else "error").name()
        shown = escape(text[:600]).replace("\n", "<br>")
        verdict = "✓ result" if ok else "✗ error"
        return (
            f"▸ MCP call <b>{name}</b>(<code>{args}</code>) on <b>{label}</b><br>"
            f"<span style='color:{color}'>{verdict}</span>: <code>{shown}</code>"
        )
    return None


class McpApprovalCard(QFrame):
    """One approval request: server, tool, arguments, and Approve / Deny."""

    decided = Signal(str, bool)
    """(approval request id, approved)."""

    def __init__(self, request: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.request = request
        layout = QVBoxLayout(self)
        title = QLabel(
            f"MCP server <b>{escape(str(request.get('server_label')))}</b> asks to run "
            f"<b>{escape(str(request.get('name')))}</b> &nbsp; "
            f"<span style='color:{accent('muted').name()}'>{escape(str(request.get('id')))}</span>"
        )
        title.setObjectName("cardTitle")
        title.setWordWrap(True)  # a narrow Compare column wraps it, not cuts it
        title.setMinimumWidth(1)  # (an unbroken name longer than the column is clipped)
        layout.addWidget(title)
        args = QLabel(_pretty(str(request.get("arguments", ""))))
        args.setFont(mono_font())
        args.setWordWrap(True)
        args.setMinimumWidth(1)  # a long unbroken argument is clipped, not the card widened
        args.setToolTip("The arguments the model wants to send to the server's tool")
        layout.addWidget(args)
        row = QHBoxLayout()
        self.approve = QPushButton("Approve")
        self.approve.setObjectName("primary")
        self.approve.setToolTip("Let the server run this call; its result goes to the model")
        self.deny = QPushButton("Deny")
        self.deny.setToolTip("Do not run this call; the model is told it was denied")
        self.approve.clicked.connect(lambda: self._decide(True))
        self.deny.clicked.connect(lambda: self._decide(False))
        self.verdict = QLabel("")
        row.addWidget(self.approve)
        row.addWidget(self.deny)
        row.addWidget(self.verdict)
        row.addStretch(1)
        layout.addLayout(row)

    def _decide(self, approve: bool) -> None:
        self.approve.setEnabled(False)
        self.deny.setEnabled(False)
        self.verdict.setText("✓ approved" if approve else "✗ denied")
        self.decided.emit(str(self.request.get("id")), approve)


def _pretty(arguments: str) -> str:
    try:
        return json.dumps(json.loads(arguments), indent=2, ensure_ascii=False)
    except ValueError:
        return arguments


class McpApprovalStep(QFrame):
    """The approval requests the last answer left open; once each is approved or denied,
    `answered` carries the decisions and the run goes on."""

    answered = Signal(dict)
    """{approval request id: approved}, in the requests' order."""

    def __init__(self, requests: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        n = len(requests)
        head = QLabel(
            f"An MCP server needs your approval for {n} call{'s' if n > 1 else ''}. "
            "Approve or deny each; the run goes on when all are answered."
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        self.cards = [McpApprovalCard(r) for r in requests]
        self._decisions: dict[str, bool] = {}
        for card in self.cards:
            card.decided.connect(self._on_card_decided)
            layout.addWidget(card)

    def _on_card_decided(self, request_id: str, approve: bool) -> None:
        self._decisions[request_id] = approve
        if len(self._decisions) == len(self.cards):
            order = [str(c.request.get("id")) for c in self.cards]
            self.answered.emit({rid: self._decisions[rid] for rid in order})
