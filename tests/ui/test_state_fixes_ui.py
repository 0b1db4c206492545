"""The tester's faults in the window: a Conversation created after turns answered in Send
everything and a chain holds them all (the model and Items see the three turns); deleting an
answer in a chain takes its reasoning item with it, as one undo step."""

from __future__ import annotations

from typing import Any

from playground.core.parameters import Parameters
from playground.core.workspace import Message, Workspace
from tests.ui.conftest import App


def _ws(**kw: Any) -> Workspace:
    fields: dict[str, Any] = {
        "profile": "Offline simulator",
        "model": "gpt-6-luna",
        "messages": [Message(content="What is the weather in Paris?")],
    }
    return Workspace(**{**fields, **kw})


def _say(app: App, text: str) -> None:
    ws = app.window.ws
    app.window.load(ws.model_copy(update={"messages": [*ws.messages, Message(content=text)]}))


def test_a_conversation_created_partway_holds_the_turns_the_window_shows(app: App) -> None:
    w = app.window
    w.load(_ws())
    panel = w.current_view.state
    app.run()  # turn 1, Send everything
    _say(app, "And in Rome?")
    panel.mode.setCurrentIndex(1)
    app.run()  # turn 2, chained
    _say(app, "And in Oslo?")
    panel.mode.setCurrentIndex(2)
    panel.create_button.click()
    app.qtbot.waitUntil(lambda: bool(w.ws.conversation_id), timeout=5000)
    # gpt-6-luna with store on: its reasoning items carry no encrypted content
    assert "answered turns" in panel.note.text() and "turns 1, 2" in panel.note.text()
    app.run()
    assert app.last_body()["input"] == [{"role": "user", "content": "And in Oslo?"}]
    panel.items_button.click()
    app.qtbot.waitUntil(lambda: panel.items.isVisible(), timeout=5000)
    lines = [panel.items.item(i).text() for i in range(panel.items.count())]
    asked = [x for x in lines if x.startswith("user: ")]
    assert asked == [
        "user: What is the weather in Paris?",
        "user: And in Rome?",
        "user: And in Oslo?",
    ]


def test_deleting_an_answer_in_a_chain_takes_its_reasoning_item_in_one_step(app: App) -> None:
    w = app.window
    w.load(_ws(state="chain", params=Parameters(reasoning_summary="auto")))
    app.run()
    _say(app, "And in Rome?")
    app.run()
    roles = [m.item.get("type") if m.item else m.role for m in w.ws.messages]
    assert roles == ["user", "reasoning", "assistant", "user", "reasoning", "assistant"]
    view = w.current_view
    card = w.conversation._build(5)
    card.delete_requested.emit()
    app.qtbot.waitUntil(lambda: len(w.ws.messages) == 4, timeout=5000)
    assert w.ws.messages[-1].text == "And in Rome?"
    view.doc.undo()  # one step brings back the answer and its reasoning
    assert len(w.ws.messages) == 6 and w.ws.messages[4].item is not None
    view.doc.redo()
    assert len(w.ws.messages) == 4
    _say(app, "And in Oslo?")  # the run sends no orphan reasoning item
    app.run()
    body = app.last_body()
    assert [i.get("type", "message") for i in body["input"]] == ["message", "message"]
