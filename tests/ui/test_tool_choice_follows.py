"""A tool renamed in the Tools tab takes the tool choice along: the forced function, custom
tool or MCP server, and the allowed_tools entries that name it. Run stays allowed, and what
blocks Run is said in words that fit the toolbar (all of it in the tooltip)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit

from playground.core.mcp_tools import McpTool
from playground.core.workspace import (
    CustomTool,
    FunctionTool,
    Message,
    ToolChoice,
    Workspace,
)
from playground.services.simulator.mcp_servers import SECURE_URL
from tests.ui.conftest import App

SECURE = McpTool(server_label="secure", server_url=SECURE_URL, require_approval="never")


def _ws(choice: ToolChoice) -> Workspace:
    return Workspace(
        profile="Offline simulator",
        model="gpt-4.1-mini",
        messages=[Message(content="hi")],
        tools=[FunctionTool(name="get_weather")],
        custom_tools=[CustomTool(name="run_sql")],
        mcp_tools=[SECURE],
        tool_choice=choice,
    )


def _type(line: QLineEdit, text: str) -> None:
    """Retype a field key by key, as a person does (every edit is a rename)."""
    line.setFocus()
    line.selectAll()
    line.del_()
    line.textEdited.emit("")
    for i in range(1, len(text) + 1):
        line.setText(text[:i])
        line.textEdited.emit(text[:i])


def _choice(app: App) -> ToolChoice | None:
    return app.window.tools.apply(Workspace()).tool_choice


def test_renaming_the_mcp_server_takes_the_tool_choice_along(app: App) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(_ws(ToolChoice(mode="mcp", server_label="secure")))
    w.setup_tabs.setCurrentWidget(w.tools)
    assert w.tools.choice.combo.currentText() == "mcp: secure"
    _type(w.tools.mcp.label, "secure2")
    assert _choice(app) == ToolChoice(mode="mcp", server_label="secure2")
    assert w.tools.choice.combo.currentText() == "mcp: secure2"
    app.qtbot.waitUntil(
        lambda: w.current_view.doc.workspace.tool_choice == _choice(app), timeout=3000
    )
    app.qtbot.waitUntil(w.run_button.isEnabled, timeout=3000)
    app.run()
    assert app.last_body()["tool_choice"] == {"type": "mcp", "server_label": "secure2"}


def test_renamed_functions_and_custom_tools_take_the_choice_along(app: App) -> None:
    w = app.window
    w.load(_ws(ToolChoice(mode="function", name="get_weather")))
    w.setup_tabs.setCurrentWidget(w.tools)
    _type(w.tools.name, "get_forecast")
    assert _choice(app) == ToolChoice(mode="function", name="get_forecast")
    w.load(_ws(ToolChoice(mode="custom", name="run_sql")))
    _type(w.tools.custom.name, "query")
    assert _choice(app) == ToolChoice(mode="custom", name="query")


def test_allowed_tools_follow_renames_and_a_removed_tool_is_not_renamed(app: App) -> None:
    w = app.window
    allowed: list[dict[str, Any]] = [
        {"type": "function", "name": "get_weather"},
        {"type": "custom", "name": "run_sql"},
        {"type": "mcp", "server_label": "secure"},
    ]
    w.load(_ws(ToolChoice(mode="allowed_tools", allowed=allowed)))
    w.setup_tabs.setCurrentWidget(w.tools)
    _type(w.tools.name, "forecast")
    _type(w.tools.custom.name, "query")
    _type(w.tools.mcp.label, "vault")
    choice = _choice(app)
    assert choice is not None and choice.allowed == [
        {"type": "function", "name": "forecast"},
        {"type": "custom", "name": "query"},
        {"type": "mcp", "server_label": "vault"},
    ]
    ticked = w.tools.choice.allowed
    assert [ticked.item(i).text() for i in range(ticked.count())][:3] == [
        "function: forecast",
        "custom: query",
        "mcp: vault",
    ]
    w.tools.custom.remove.click()  # removed, not renamed: the entry stays and is named
    choice = _choice(app)
    assert choice is not None and {"type": "custom", "name": "query"} in choice.allowed


def test_what_blocks_run_fits_the_toolbar_and_the_tooltip_has_it_all(app: App) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(_ws(ToolChoice(mode="mcp", server_label="gone")))
    app.qtbot.waitUntil(lambda: not w.run_button.isEnabled(), timeout=3000)
    blocker = w.toolbar.blocker
    app.qtbot.wait(50)
    app.shot(w.toolbar.run_bar, "blocker_mcp_choice")
    assert blocker.shown_text() == blocker.text()
    assert "gone" in blocker.text()
    assert "gone" in blocker.toolTip() and "MCP server" in blocker.toolTip()
