"""A card holding an item that is not a message (an MCP approval request, an MCP tool list, a
code interpreter call, reasoning, a web search call) offers no message-only actions (Image and
File attach an attachment to a message's content, which an item has not), and its head keeps
its buttons on the title's row at 1000x700; its kind reads in sentence case."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QToolButton

from playground.core.workspace import Message, Workspace
from playground.ui import theme
from playground.ui.widgets.message_card import MessageCard
from tests.ui.conftest import App

ITEMS: list[tuple[str, dict[str, Any]]] = [
    (
        "MCP approval request",
        {
            "id": "mcpr_1",
            "type": "mcp_approval_request",
            "server_label": "deepwiki",
            "name": "ask_question",
            "arguments": '{"repoName": "openai/openai-python"}',
        },
    ),
    (
        "MCP tool list",
        {
            "id": "mcpl_1",
            "type": "mcp_list_tools",
            "server_label": "deepwiki",
            "tools": [{"name": "ask_question", "input_schema": {"type": "object"}}],
        },
    ),
    (
        "Code interpreter call",
        {
            "id": "ci_1",
            "type": "code_interpreter_call",
            "status": "completed",
            "code": "print(1 + 1)",
            "container_id": "cntr_1",
            "outputs": [{"type": "logs", "logs": "2"}],
        },
    ),
    (
        "Reasoning",
        {"id": "rs_1", "type": "reasoning", "summary": [{"type": "summary_text", "text": "Hm."}]},
    ),
    (
        "Web search call",
        {
            "id": "ws_1",
            "type": "web_search_call",
            "status": "completed",
            "action": {"type": "search", "query": "refund rules"},
        },
    ),
]


def _shown_buttons(card: MessageCard) -> list[QToolButton]:
    host = card.copy.parentWidget()
    return [b for b in host.findChildren(QToolButton) if b.isVisible()]


def _assert_one_row(cards: list[MessageCard]) -> None:
    """No attach buttons; ✕ and ⋯ shown, every button on the kind label's row."""
    for card in cards:
        texts = [b.text() for b in _shown_buttons(card)]
        assert "Image" not in texts and "File" not in texts, texts
        assert "Duplicate" not in texts and "Raw" not in texts, texts
        assert "✕" in texts and "⋯" in texts, texts
        title = card.kind.mapTo(card, card.kind.rect().center()).y()
        for b in _shown_buttons(card):
            y = b.mapTo(card, b.rect().center()).y()
            assert abs(y - title) <= 2, (card.kind.text(), b.text(), y, title)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_item_cards_show_item_actions_on_one_row_at_1000(app: App, dark: bool) -> None:
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    theme.apply(qapp, dark=dark)
    try:
        w = app.window
        w.resize(1000, 700)
        w.load(
            Workspace(
                profile="Offline simulator",
                model="gpt-4.1-mini",
                messages=[
                    Message(content="Find the refund rules"),
                    *(Message(role="assistant", item=item) for _, item in ITEMS),
                ],
            )
        )
        app.qtbot.wait(80)
        cards = w.conversation.cards[1:]
        assert [c.kind.text() for c in cards] == [f"<b>{kind}</b>" for kind, _ in ITEMS]
        _assert_one_row(cards)
        # the side pane a little wider (or a wider font): the heads still keep one row
        sizes = w.splitter.sizes()
        w.splitter.setSizes([*sizes[:-2], sizes[-2] - 60, sizes[-1] + 60])
        app.qtbot.wait(50)
        assert cards[0].width() < 420, cards[0].width()
        _assert_one_row(cards)
        message = w.conversation.cards[0]  # a message keeps its attach buttons
        assert {"Image", "File"} <= {b.text() for b in _shown_buttons(message)}
        w.conversation.scroller.verticalScrollBar().setValue(0)
        app.qtbot.wait(30)
        app.qtbot.wait(100)  # the layout settles before the grab
        app.shot(w, f"fe3-item-cards-{'dark' if dark else 'light'}")
        w.grab().save(f"/tmp/fe3/item-cards-{'dark' if dark else 'light'}.png")
    finally:
        theme.apply(qapp, dark=False)
