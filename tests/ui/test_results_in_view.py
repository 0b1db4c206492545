"""New results (a tool step, an error card, an answer) scroll into view when the view was at
the end, and leave the view where it is when the user had scrolled up to read."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from playground.core.workspace import FunctionTool, Message, Workspace
from playground.services.simulator import HttpError, Scenario, ScriptedCall
from playground.ui.widgets.tool_step import ErrorCard, ToolStep
from tests.ui.conftest import App, new_gate

WEATHER = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}


def history(n: int = 12) -> list[Message]:
    """Enough messages that the conversation scrolls."""
    out = []
    for i in range(n):
        out.append(Message(role="user", content=f"Question {i}\n\nwith a second line"))
        out.append(Message(role="assistant", content=f"Answer {i}\n\n" + "Some words. " * 30))
    return out


def in_view(app: App, widget: QWidget) -> bool:
    """The widget's bottom edge (where its buttons are) is inside the conversation's viewport."""
    port = app.window.conversation.scroller.viewport()
    top = widget.mapTo(port, widget.rect().topLeft()).y()
    bottom = top + widget.height()
    return widget.isVisible() and 0 <= bottom <= port.height() and top < port.height()


def still_reading(app: App, reading: int) -> bool:
    """The view is where the user scrolled to (cards built around it may move it a little)."""
    return abs(app.window.conversation.scroller.verticalScrollBar().value() - reading) < 60


def transient(app: App, kind: type) -> list:
    return [w for w in app.window.conversation.transient if isinstance(w, kind)]


def load(app: App, tools: bool) -> None:
    app.window.load(
        Workspace(
            profile="Offline simulator",
            messages=[*history(), Message(content="Weather in Oslo?")],
            tools=[FunctionTool(name="get_weather", parameters=WEATHER, strict=True)]
            if tools
            else [],
        )
    )
    app.window.resize(1000, 700)
    app.qtbot.wait(50)


def scroll_up_while_running(app: App, scenario: Scenario) -> int:
    """Run `scenario`, held after its first event; the user scrolls up to read meanwhile; then
    let it finish. Returns where the user had scrolled to."""
    gate = new_gate()
    scenario.gate_after, scenario.gate = 1, gate
    app.sim.enqueue(scenario)
    app.window.run()
    bar = app.window.conversation.scroller.verticalScrollBar()
    app.qtbot.waitUntil(lambda: app.window.conversation.live is not None, timeout=5000)
    # the answer card came in at the end, then the user scrolls up
    app.qtbot.waitUntil(lambda: bar.value() == bar.maximum() > 400, timeout=3000)
    bar.setValue(bar.maximum() // 3)
    reading = bar.value()
    gate.set()
    app.wait_idle()
    return reading


def test_a_tool_step_arriving_at_the_end_is_scrolled_into_view(app: App) -> None:
    load(app, tools=True)
    app.run()
    step = transient(app, ToolStep)[0]
    app.qtbot.waitUntil(lambda: in_view(app, step), timeout=3000)
    app.qtbot.wait(100)  # and it stays there once everything is laid out
    assert in_view(app, step)
    app.shot(app.window, "tool_step_in_view")


def test_an_error_card_arriving_at_the_end_is_scrolled_into_view(app: App) -> None:
    load(app, tools=False)
    app.sim.enqueue(Scenario(http_error=HttpError(500, headers={"x-should-retry": "false"})))
    app.run()
    card = transient(app, ErrorCard)[0]
    app.qtbot.waitUntil(lambda: in_view(app, card), timeout=3000)
    app.qtbot.wait(100)
    assert in_view(app, card)


def test_a_tool_step_leaves_the_view_alone_when_the_user_scrolled_up(app: App) -> None:
    load(app, tools=True)
    calls = [ScriptedCall("get_weather", ['{"city": "Oslo"}'])]
    reading = scroll_up_while_running(app, Scenario(tool_calls=calls))
    step = transient(app, ToolStep)[0]
    app.qtbot.wait(100)
    assert still_reading(app, reading)
    assert not in_view(app, step)


def test_an_error_card_leaves_the_view_alone_when_the_user_scrolled_up(app: App) -> None:
    load(app, tools=False)
    scenario = Scenario(text=["Half ", "an ", "answer"], error_after=4, error_form="flat")
    reading = scroll_up_while_running(app, scenario)
    card = transient(app, ErrorCard)[0]
    app.qtbot.wait(100)
    assert still_reading(app, reading)
    assert not in_view(app, card)


def test_a_long_answer_arriving_at_the_end_ends_in_view(app: App) -> None:
    load(app, tools=False)
    paragraphs = [f"Paragraph {i} of the answer, with a few words in it.\n\n" for i in range(40)]
    app.sim.enqueue(Scenario(text=paragraphs))
    app.run()
    answer = app.window.conversation.cards[-1]
    assert answer.message().text.startswith("Paragraph 0")
    app.qtbot.waitUntil(lambda: in_view(app, answer), timeout=3000)
    app.qtbot.wait(100)
    assert in_view(app, answer)
