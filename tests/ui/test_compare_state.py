"""Compare and the tab's conversation state: each column sends the whole conversation as its
own request (its model or provider may differ, so no previous_response_id or Conversation
carries over), and Compare says so when the tab's state mode is not Send everything."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from playground.core.workspace import Message, Workspace
from playground.ui import theme
from tests.ui.conftest import App
from tests.ui.test_compare_view import enter_compare, wait_done


def _say(app: App, text: str) -> None:
    ws = app.window.ws
    app.window.load(ws.model_copy(update={"messages": [*ws.messages, Message(content=text)]}))


def test_compare_in_a_chain_says_it_sends_everything_and_does(app: App, qapp: QApplication) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(
        Workspace(
            profile="Offline simulator",
            model="gpt-4o-mini",
            state="chain",
            messages=[Message(content="What is SSE?")],
        )
    )
    app.run()  # one answered turn, chained from here on
    answered = w.ws.messages[-1].response_id
    assert answered
    _say(app, "And WebSockets?")
    view = enter_compare(app)
    note = view.state_note
    assert note.isVisible()
    assert "whole conversation in each column" in note.text()
    assert "Chain with previous_response_id" in note.text() and "applies to Run" in note.text()
    before = len(app.sim.bodies())
    w.run()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) >= before + 2, timeout=10_000)
    wait_done(app)
    sent: list[dict[str, Any]] = app.sim.bodies()[before:]
    assert len(sent) == 2
    for body in sent:
        assert "previous_response_id" not in body and "conversation" not in body
        said = [i.get("content") for i in body["input"] if i.get("role") == "user"]
        assert said == ["What is SSE?", "And WebSockets?"]  # the whole conversation
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"compare_state_note_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)
    # Send everything: nothing to say
    w.current_view.state.mode.setCurrentIndex(0)
    assert w.ws.state == "everything"
    assert not note.isVisible()
    w.current_view.state.mode.setCurrentIndex(2)  # a Conversation: said again
    assert note.isVisible() and "A Conversation" in note.text()
