"""Conversation state in the window: the reasoning item kept (collapsed, its summary, never its
encrypted content) and sent back over a store-false tool loop, a chain of responses shown and
continued with previous_response_id, and a Conversation created, run in, listed and deleted."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox

from playground.core.parameters import Parameters
from playground.core.workspace import Message, Workspace
from playground.ui import theme
from playground.ui.widgets.reasoning_view import ReasoningItemView
from playground.ui.widgets.tool_step import ToolStep
from tests.services.test_state_modes_runs import WEATHER
from tests.ui.conftest import App


def _ws(**kw: Any) -> Workspace:
    fields: dict[str, Any] = {
        "profile": "Offline simulator",
        "model": "gpt-6-luna",  # a current reasoning model
        "messages": [Message(content="What is the weather in Paris?")],
        "tools": [WEATHER],
    }
    return Workspace(**{**fields, **kw})


def _responses(app: App) -> list[Any]:
    return [q for q in app.sim.requests if q.method == "POST" and q.path.endswith("/responses")]


def _reasoning_views(app: App) -> list[ReasoningItemView]:
    return app.window.conversation.findChildren(ReasoningItemView)


def _answer_with_mocks(app: App) -> None:
    step = next(t for t in app.window.conversation.transient if isinstance(t, ToolStep))
    step.mocks.click()
    app.qtbot.waitUntil(lambda: len(_responses(app)) == 2, timeout=5000)
    app.wait_idle()


def _say(app: App, text: str) -> None:
    ws = app.window.ws
    app.window.load(ws.model_copy(update={"messages": [*ws.messages, Message(content=text)]}))


def test_the_reasoning_item_goes_back_and_is_shown_collapsed(app: App, qapp: Any) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(_ws(params=Parameters(store=False, reasoning_summary="auto")))
    app.run()
    _answer_with_mocks(app)
    second = app.last_body()
    kinds = [i.get("type", "message") for i in second["input"]]
    assert kinds == ["message", "reasoning", "function_call", "function_call_output"]
    token = second["input"][1]["encrypted_content"]
    assert second["include"] == ["reasoning.encrypted_content"]
    assert _responses(app)[-1].reasoning_carried is True  # the simulator's own check
    assert w.ws.messages[-1].text.startswith("(reasoning carried over)")
    # kept in the conversation: the reasoning items of both turns, collapsed
    kept = [m for m in w.ws.messages if m.item and m.item.get("type") == "reasoning"]
    assert len(kept) == 2 and kept[0].item is not None
    assert kept[0].item["encrypted_content"] == token
    views = _reasoning_views(app)
    assert len(views) == 2 and all(not v.summary.isVisible() for v in views)
    line = views[0].toggle.text()
    assert line.startswith("Reasoning: ") and f"encrypted content, {len(token)} chars" in line
    assert "no summary" not in line  # its summary's first words
    # the encrypted content is never shown: the Raw pane gives its length
    shown = w.raw.request.toPlainText()
    assert token not in shown and f"<encrypted, {len(token)} chars>" in shown
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"reasoning_item_collapsed_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)
    views[0].toggle.click()
    assert views[0].summary.isVisible() and views[0].summary.text()
    assert token not in views[0].summary.text() and token not in views[0].toggle.toolTip()


def test_a_chain_is_shown_and_the_next_run_sends_only_the_new_message(app: App) -> None:
    w = app.window
    w.load(_ws(tools=[]))
    panel = w.current_view.state
    panel.mode.setCurrentIndex(1)
    assert w.ws.state == "chain"
    app.run()
    first_id = w.ws.messages[-1].response_id
    assert first_id and first_id.startswith("resp_")
    assert first_id in panel.chain_line.text() and "stored on the server" in panel.where.text()
    _say(app, "And in Rome?")
    app.run()
    body = app.last_body()
    assert body["previous_response_id"] == first_id
    assert body["input"] == [{"role": "user", "content": "And in Rome?"}]
    second_id = w.ws.messages[-1].response_id
    assert f"{first_id} → {second_id}" in panel.chain_line.text()


def test_a_conversation_is_created_run_in_listed_and_deleted(app: App, qapp: Any) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(_ws(tools=[]))
    view = w.current_view
    panel = view.state
    panel.mode.setCurrentIndex(2)
    assert w.ws.state == "conversation" and panel.conversation_row.isVisible()
    panel.create_button.click()
    app.qtbot.waitUntil(lambda: bool(w.ws.conversation_id), timeout=5000)
    conv = w.ws.conversation_id
    assert conv is not None and conv.startswith("conv_") and panel.conversation_id.text() == conv
    app.run()
    _say(app, "And in Rome?")
    app.run()
    body = app.last_body()
    assert body["conversation"] == conv and "previous_response_id" not in body
    assert body["input"] == [{"role": "user", "content": "And in Rome?"}]
    panel.items_button.click()
    app.qtbot.waitUntil(lambda: panel.items.isVisible(), timeout=5000)
    lines = [panel.items.item(i).text() for i in range(panel.items.count())]
    assert lines[0] == "user: What is the weather in Paris?"
    assert "user: And in Rome?" in lines and any(x.startswith("Reasoning: ") for x in lines)
    # another answer while the list shows: it is read again
    _say(app, "And in Berlin?")
    app.run()
    texts = lambda: [panel.items.item(i).text() for i in range(panel.items.count())]  # noqa: E731
    app.qtbot.waitUntil(lambda: "user: And in Berlin?" in texts(), timeout=5000)
    w.setup_tabs.setCurrentIndex(0)
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"state_conversation_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)
    panel.delete_button.click()
    box = view.state_view.confirm
    assert isinstance(box, QMessageBox) and conv in box.text()
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    delete.click()
    app.qtbot.waitUntil(lambda: w.ws.conversation_id is None, timeout=5000)
    assert f"Deleted {conv}" in panel.note.text()
    gone = [q for q in app.sim.requests if q.method == "DELETE" and q.path.endswith(conv)]
    assert len(gone) == 1
    # at the smallest window the section fits its pane: nothing scrolls sideways
    w.resize(1000, 700)
    panel.conversation_id.setText("conv_" + "0" * 48)
    app.qtbot.wait(100)
    area = panel.parentWidget()
    while area is not None and not hasattr(area, "horizontalScrollBar"):
        area = area.parentWidget()
    assert area is not None and area.horizontalScrollBar().maximum() == 0
    app.shot(w, "state_conversation_1000x700")
