"""The Variables tab: the names typed in the request appear, a variable without a value blocks
Run with a finding, a value is filled into what is sent (and shown in the Raw pane), and
every value edit is undoable."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from playground.core import variables
from playground.core.workspace import FunctionTool, Message, ToolCall, Workspace
from playground.ui.widgets.tool_step import ToolStep
from tests.ui.conftest import App
from tests.ui.test_accessible_names import unnamed


def _show_variables(app: App) -> None:
    tabs = app.window.setup_tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Variables"))


def test_a_typed_variable_blocks_run_until_it_has_a_value_then_is_sent_filled(app: App) -> None:
    w, bot = app.window, app.qtbot
    _show_variables(app)
    assert w.variables.row_names() == []
    editor = w.conversation.cards[0].editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    bot.keyClicks(editor, " What about {{city}}?")
    bot.waitUntil(lambda: w.variables.row_names() == ["city"], timeout=3000)
    assert "No value" in w.variables.state_text("city")
    bot.waitUntil(lambda: not w.run_button.isEnabled(), timeout=3000)
    assert "{{city}} has no value" in w.blocker.toolTip()
    found = [f for f in w.findings if f.code == variables.MISSING]
    assert [f.path for f in found] == ["messages[0].content"]
    assert any(
        "{{city}} has no value" in w.findings_list.item(i).text()
        for i in range(w.findings_list.count())
    )
    w.run()  # blocked: nothing is sent, the findings are shown
    assert app.sim.requests == []
    field = w.variables.value_field("city")
    bot.keyClicks(field, "Lyon {{day}}")  # a value is inserted as written
    bot.waitUntil(w.run_button.isEnabled, timeout=3000)
    assert w.variables.state_text("city") == ""
    assert w.ws.variables == {"city": "Lyon {{day}}"}
    app.shot(w, "variables_tab")
    app.run()
    sent = app.last_body()["input"][0]["content"]
    assert sent == "Explain SSE briefly. What about Lyon {{day}}?"
    assert json.loads(w.raw.request.toPlainText()) == app.last_body()
    assert w.ws.messages[0].content.endswith("{{city}}?")  # the template is kept


def test_a_value_edit_is_one_undo_step_per_variable(app: App) -> None:
    w, bot = app.window, app.qtbot
    w.conversation.cards[0].editor.setPlainText("{{a}} and {{ b }}")
    bot.waitUntil(lambda: w.variables.row_names() == ["a", "b"], timeout=3000)
    _show_variables(app)
    bot.keyClicks(w.variables.value_field("a"), "one")
    bot.keyClicks(w.variables.value_field("b"), "two")
    assert w.ws.variables == {"a": "one", "b": "two"}
    doc = w.current_view.doc
    assert doc.undo_label == "Edit variable b"
    bot.keyClick(w.variables.value_field("b"), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.ws.variables == {"a": "one"}
    assert w.variables.value_field("b").toPlainText() == ""
    assert "No value" in w.variables.state_text("b")
    doc.undo()
    assert w.ws.variables == {}
    assert w.variables.value_field("a").toPlainText() == ""
    doc.redo()
    assert w.variables.value_field("a").toPlainText() == "one"


def test_an_unused_value_is_marked_and_can_be_forgotten(app: App) -> None:
    w, bot = app.window, app.qtbot
    view = w.current_view
    view.doc.set("variables", {"gone": "old"})
    _show_variables(app)
    assert w.variables.row_names() == ["gone"]
    assert "Not used" in w.variables.state_text("gone")
    assert w.run_button.isEnabled() or not [f for f in w.findings if f.code == variables.MISSING]
    forget = next(b for b in w.variables.findChildren(type(w.run_button)) if b.text() == "Forget")
    bot.mouseClick(forget, Qt.MouseButton.LeftButton)
    assert w.ws.variables == {}
    assert w.variables.row_names() == []


def test_the_variables_controls_are_named_for_a_screen_reader(app: App) -> None:
    w, bot = app.window, app.qtbot
    view = w.current_view
    view.doc.set("variables", {"gone": "old"})
    w.conversation.cards[0].editor.setPlainText("{{city}}")
    bot.waitUntil(lambda: w.variables.row_names() == ["city", "gone"], timeout=3000)
    _show_variables(app)
    bot.wait(20)
    assert unnamed(w) == {}


def test_the_code_tab_shows_the_filled_request_or_keeps_the_template(app: App) -> None:
    w, bot = app.window, app.qtbot
    w.conversation.cards[0].editor.setPlainText("Weather in {{city}}?")
    w.current_view.doc.set("variables", {"city": "Oslo"})
    w.exchange.show_code()
    view = w.exchange.view
    bot.waitUntil(lambda: "Weather in Oslo?" in view.text(), timeout=3000)
    assert "{{city}}" not in view.text()
    view.keep_variables.setChecked(True)
    assert 'variables = {"city": "Oslo"}' in view.text()
    assert 'fill("Weather in {{city}}?", variables)' in view.text()
    view.format.setCurrentIndex(view.format.findData("curl"))
    assert not view.keep_variables.isEnabled() and "Weather in Oslo?" in view.text()


def test_use_mock_fills_the_mock_output_from_the_variables(app: App) -> None:
    ws = Workspace(
        model="gpt-4o-mini",
        messages=[
            Message(content="Weather?"),
            Message(
                role="assistant",
                tool_calls=[ToolCall(id="call_1", name="weather", arguments="{}")],
            ),
        ],
        tools=[FunctionTool(name="weather", mock_output='{"temp_c": "{{temp}}"}')],
        variables={"temp": "19"},
    )
    app.window.load(ws)
    app.qtbot.waitUntil(
        lambda: any(isinstance(t, ToolStep) for t in app.window.conversation.transient),
        timeout=3000,
    )
    step = next(t for t in app.window.conversation.transient if isinstance(t, ToolStep))
    step.cards[0].mock_button.click()
    assert step.cards[0].output() == '{"temp_c": "19"}'
