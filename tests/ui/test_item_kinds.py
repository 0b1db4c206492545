"""A card for an item that is not a message (a hosted call, an MCP approval, reasoning) says
what kind of item it is instead of offering a role to choose; a message keeps its role box."""

from __future__ import annotations

from typing import Any

from playground.core.workspace import Message, Workspace
from playground.ui import theme
from tests.ui.conftest import App

ITEMS: list[dict[str, Any]] = [
    {
        "id": "ws_1",
        "type": "web_search_call",
        "status": "completed",
        "action": {"type": "search", "query": "refund rules"},
    },
    {"type": "mcp_approval_response", "approval_request_id": "mcpr_1", "approve": True},
]


def test_items_show_their_kind_and_messages_their_role(app: App, qapp: Any) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(
        Workspace(
            profile="Offline simulator",
            model="gpt-4.1-mini",
            messages=[
                Message(content="Find the refund rules"),
                Message(role="assistant", item=ITEMS[0]),
                Message(role="user", item=ITEMS[1]),
                Message(role="assistant", content="Refunds take 14 days."),
            ],
        )
    )
    cards = w.conversation.cards
    for card in cards:
        card.ensurePolished()
    shown = [
        card.kind.text() if card.kind.isVisibleTo(card) else card.role.currentText()
        for card in cards
    ]
    assert shown == ["user", "<b>Web search call</b>", "<b>MCP approval</b>", "assistant"]
    assert [card.role.isVisibleTo(card) for card in cards] == [True, False, False, True]
    sent = w.conversation.apply(Workspace()).messages  # the roles are kept, not shown
    assert [m.role for m in sent] == ["user", "assistant", "user", "assistant"]
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"item_kinds_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)
