"""The start of a card's header: the role of a message (a combo box), or, for an item kept
as the server gave it that is not a message (a hosted call, an MCP approval, reasoning), what
kind of item it is (a read-only label): such an item has no role to choose."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel

from playground.core.workspace import ROLES

KINDS = {
    "mcp_approval_request": "MCP approval request",
    "mcp_approval_response": "MCP approval",
    "mcp_list_tools": "MCP tool list",
    "mcp_call": "MCP call",
}
"""How an item type is named where the plain words ("Web search call") are not enough."""


def item_kind(item: dict[str, Any] | None) -> str:
    """What kind of item `item` is, in sentence case ("Web search call", "MCP approval");
    "" for a message."""
    kind = (item or {}).get("type")
    if not isinstance(kind, str) or kind == "message":
        return ""
    return KINDS.get(kind) or kind.replace("_", " ").capitalize()


def role_and_kind(head: QHBoxLayout) -> tuple[QComboBox, QLabel]:
    """The role box and the kind label, added to `head` (the label hidden)."""
    role = QComboBox()
    role.addItems(list(ROLES))
    role.setToolTip("Role of this message")
    kind = QLabel()
    kind.setObjectName("item_kind")
    kind.setToolTip("An item kept exactly as the server gave it, sent back as it is")
    kind.setVisible(False)
    head.addWidget(role)
    head.addWidget(kind)
    return role, kind


def show_kind(role: QComboBox, label: QLabel, item: dict[str, Any] | None) -> None:
    """Show the role box for a message, the kind label for any other item."""
    kind = item_kind(item)
    label.setText(f"<b>{kind}</b>" if kind else "")
    label.setAccessibleName(f"Item kind: {kind}" if kind else "")
    label.setVisible(bool(kind))
    role.setVisible(not kind)
