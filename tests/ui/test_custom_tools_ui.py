"""Custom tools in the window: the editor checks the grammar as it is typed, the tool choice
control offers allowed_tools, and a custom tool's call is answered by hand and on its mock."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtWidgets import QScrollArea

from playground.core.workspace import (
    CustomFormat,
    CustomTool,
    FunctionTool,
    Message,
    ToolChoice,
    Workspace,
)
from playground.ui import theme
from playground.ui.widgets.tool_step import ToolStep
from tests.ui.conftest import App

DATE_RE = r"\d{4}-\d{2}-\d{2}"


def steps(app: App) -> list[ToolStep]:
    return [w for w in app.window.conversation.transient if isinstance(w, ToolStep)]


def custom_ws(**kw: Any) -> Workspace:
    return Workspace(
        profile="Offline simulator",
        model="gpt-4.1-mini",
        messages=[Message(content="Book it for set_date please")],
        custom_tools=[
            CustomTool(
                name="set_date",
                description="Books a day",
                format=CustomFormat(type="grammar", syntax="regex", definition=DATE_RE),
                mock_output="booked for {{who}}",
            )
        ],
        variables={"who": "Ada"},
        **kw,
    )


def test_the_editor_checks_the_grammar_as_it_is_typed(app: App) -> None:
    w = app.window
    w.setup_tabs.setCurrentWidget(w.tools)
    custom = w.tools.custom
    custom.add_tool("calc")
    custom.description.setText("Adds numbers")
    custom.format.setCurrentIndex(custom.format.findData("lark"))
    assert "start:" in custom.grammar.toPlainText()  # an example to start from
    app.qtbot.waitUntil(lambda: "can be read" in custom.finding.text(), timeout=2000)
    custom.grammar.setPlainText('start: expr\nexpr: NUMBER "+" thing\nNUMBER: /[0-9]+/\n')
    app.qtbot.waitUntil(lambda: "line 2" in custom.finding.text(), timeout=2000)
    assert "thing is used but not defined" in custom.finding.text()
    assert custom.grammar.extraSelections()  # the line is marked
    w.resize(1366, 768)
    area = w.tools.findChild(QScrollArea)
    area.ensureWidgetVisible(custom.finding)
    area.horizontalScrollBar().setValue(0)
    app.qtbot.wait(50)
    app.shot(w, "custom_tool_editor_grammar_problem")
    app.qtbot.waitUntil(lambda: not w.run_button.isEnabled(), timeout=2000)
    assert "custom tool calc" in w.run_button.toolTip()
    custom.format.setCurrentIndex(custom.format.findData("regex"))
    custom.grammar.setPlainText("[0-9")
    app.qtbot.waitUntil(lambda: "cannot be read" in custom.finding.text(), timeout=2000)
    assert "line 1, column 1" in custom.finding.text()
    custom.grammar.setPlainText(DATE_RE)
    app.qtbot.waitUntil(w.run_button.isEnabled, timeout=2000)
    ws = w.document.workspace if hasattr(w, "document") else None
    tool = w.tools.apply(Workspace()).custom_tools[0]
    assert tool.format == CustomFormat(type="grammar", syntax="regex", definition=DATE_RE)
    assert tool.description == "Adds numbers"
    del ws
    app.qtbot.wait(700)  # the edit is committed to the Document after a pause
    app.run()
    sent = app.last_body()["tools"]
    assert sent == [
        {
            "type": "custom",
            "name": "calc",
            "description": "Adds numbers",
            "format": {"type": "grammar", "syntax": "regex", "definition": DATE_RE},
        }
    ]
    custom.remove.click()
    assert w.tools.apply(Workspace()).custom_tools == []


def test_allowed_tools_are_picked_and_sent(app: App) -> None:
    w = app.window
    w.load(
        custom_ws(
            tools=[FunctionTool(name="get_weather")],
            tool_choice=ToolChoice(mode="allowed_tools", allowed_mode="required"),
        )
    )
    w.setup_tabs.setCurrentWidget(w.tools)
    editor = w.tools.choice
    assert editor.subset.isVisible()
    labels = [editor.allowed.item(i).text() for i in range(editor.allowed.count())]
    assert labels == ["function: get_weather", "custom: set_date"]
    editor.allowed.item(0).setCheckState(editor.allowed.item(0).checkState().Checked)
    app.qtbot.waitUntil(
        lambda: (w.tools.apply(Workspace()).tool_choice or ToolChoice()).allowed != [],
        timeout=2000,
    )
    app.qtbot.wait(700)  # the edit is committed to the Document after a pause
    app.run()
    body = app.last_body()
    assert body["tool_choice"] == {
        "type": "allowed_tools",
        "mode": "required",
        "tools": [{"type": "function", "name": "get_weather"}],
    }
    # only the allowed tool was called, though the question names set_date
    assert [c.call.name for c in steps(app)[0].cards] == ["get_weather"]
    combo = editor.combo
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "custom: set_date" in texts and "hosted: web_search_preview" in texts


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_a_custom_call_answered_by_hand(app: App, api: str) -> None:
    w = app.window
    w.load(custom_ws(api=api, stream=api == "responses"))
    app.run()
    card = steps(app)[0].cards[0]
    assert card.call.kind == "custom" and re.fullmatch(DATE_RE, card.call.arguments)
    assert card.validity.text() == "✓ input matches the grammar"
    card.result.setPlainText("booked!")
    steps(app)[0].submit.click()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) == 2, timeout=5000)
    app.wait_idle()
    sent = app.sim.bodies()[1]
    if api == "responses":
        out = [i for i in sent["input"] if i.get("type") == "custom_tool_call_output"]
        assert out == [
            {"type": "custom_tool_call_output", "call_id": card.call.id, "output": "booked!"}
        ]
    else:
        assert sent["messages"][-1] == {
            "role": "tool",
            "tool_call_id": card.call.id,
            "content": "booked!",
        }
    assert "booked!" in w.conversation.cards[-1].view.toPlainText()


def test_a_custom_call_on_its_mock_and_screenshots(app: App, qapp: Any) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(custom_ws())
    app.run()
    step = steps(app)[0]
    step.cards[0].mock_button.click()
    assert step.cards[0].output() == "booked for Ada"  # {{who}} filled
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"custom_tool_step_{'dark' if dark else 'light'}")
            w.setup_tabs.setCurrentWidget(w.tools)
            w.tools.custom.list.setCurrentRow(0)
            app.qtbot.wait(50)
            area = w.tools.findChild(QScrollArea)
            area.ensureWidgetVisible(w.tools.custom.finding)
            area.horizontalScrollBar().setValue(0)
            app.qtbot.wait(50)
            assert w.tools.custom.grammar.visibleRegion().boundingRect().height() > 40
            app.shot(w, f"custom_tool_editor_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)
    step.mocks.click()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) >= 2, timeout=5000)
    app.wait_idle()
    out = [i for i in app.sim.bodies()[1]["input"] if i.get("type") == "custom_tool_call_output"]
    assert [o["output"] for o in out] == ["booked for Ada"]


def test_a_long_unbroken_input_does_not_widen_the_tool_step(qtbot: Any) -> None:
    from playground.core.workspace import ToolCall
    from playground.ui.widgets.mcp_view import McpApprovalStep
    from playground.ui.widgets.tool_step import ToolStep

    call = ToolCall(
        id="call_" + "9" * 40, name="note_" + "x" * 40, arguments="a" * 400, kind="custom"
    )
    step = ToolStep([call], {}, custom={})
    approval = McpApprovalStep(
        [
            {
                "id": "mcpr_" + "7" * 40,
                "server_label": "docs",
                "name": "n" * 60,
                "arguments": "b" * 400,
            }
        ]
    )
    for widget in (step, approval):
        qtbot.addWidget(widget)
        assert widget.minimumSizeHint().width() < 420  # fits a narrow conversation pane


def test_a_free_form_tool_shows_no_grammar_row(app: App) -> None:
    w = app.window
    w.setup_tabs.setCurrentWidget(w.tools)
    custom = w.tools.custom
    custom.add_tool("notes")  # free-form text: no grammar to type
    form = custom.grammar.parentWidget().layout()
    label = form.labelForField(custom.grammar)

    def grammar_row() -> tuple[bool, bool]:
        return label.isVisibleTo(custom), custom.grammar.isVisibleTo(custom)

    assert label is not None and label.text() == "Grammar"
    assert grammar_row() == (False, False)
    custom.format.setCurrentIndex(custom.format.findData("lark"))
    assert grammar_row() == (True, True)
    custom.format.setCurrentIndex(custom.format.findData("text"))
    assert grammar_row() == (False, False)
    custom.format.setCurrentIndex(custom.format.findData("regex"))
    custom.add_tool("more")  # shown for another tool: free-form again
    assert grammar_row() == (False, False)
