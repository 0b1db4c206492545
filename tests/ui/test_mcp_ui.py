"""Remote MCP tools in the window: the server's tools are listed in the conversation, an
approval request becomes an Approve / Deny step whose answer the next request carries, and a
call's result or error is shown. The auth header comes from the keyring only."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QScrollArea

from playground.core.mcp_tools import McpTool
from playground.core.workspace import Message, Workspace
from playground.services.simulator.mcp_servers import DOCS_URL, SECURE_TOKEN, SECURE_URL
from playground.ui import theme
from playground.ui.widgets.mcp_view import McpApprovalStep
from tests.ui.conftest import App

SECRET = f"Bearer {SECURE_TOKEN}"


def approval_steps(app: App) -> list[McpApprovalStep]:
    return [w for w in app.window.conversation.transient if isinstance(w, McpApprovalStep)]


def mcp_ws(question: str, *tools: McpTool, **kw: Any) -> Workspace:
    return Workspace(
        profile="Offline simulator",
        model="gpt-4.1-mini",
        messages=[Message(content=question)],
        mcp_tools=list(tools),
        **kw,
    )


SECURE = McpTool(server_label="secure", server_url=SECURE_URL, secret_headers=["Authorization"])


def card_lines(app: App) -> list[str]:
    return [c.calls.text() for c in app.window.conversation.cards if c.calls.text()]


def test_approve_sends_the_response_and_shows_the_result(app: App, qapp: Any) -> None:
    app.pg.connections.keys.set("mcp/secure/Authorization", SECRET)
    w = app.window
    w.resize(1366, 768)
    w.load(mcp_ws("get_report for Q3", SECURE))
    app.run()
    sent = app.last_body()["tools"][0]
    assert sent["headers"] == {"Authorization": SECRET}  # on the wire only
    shown = w.raw.request.toPlainText()
    assert "<from keyring: mcp/secure/Authorization>" in shown and SECRET not in shown
    lines = card_lines(app)
    assert "offers 1 tools" in lines[0] and "get_report(quarter?: string)" in lines[0]
    assert "asks to run <b>get_report</b>" in lines[1]
    step = approval_steps(app)[0]
    assert [c.request["name"] for c in step.cards] == ["get_report"]
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"mcp_approval_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)
    step.cards[0].approve.click()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) == 2, timeout=5000)
    app.wait_idle()
    last = app.last_body()["input"][-1]
    assert last == {
        "type": "mcp_approval_response",
        "approval_request_id": step.cards[0].request["id"],
        "approve": True,
    }
    lines = card_lines(app)
    assert any("✓ result" in ln and "revenue" in ln for ln in lines)
    assert "ran `get_report`" in w.conversation.cards[-1].message().text
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"mcp_call_result_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)


def test_deny_is_sent_and_a_failed_call_and_listing_are_shown(app: App) -> None:
    w = app.window
    docs = McpTool(
        server_label="docs",
        server_url=DOCS_URL,
        require_approval={"never": {"tool_names": ["delete_page"]}},
    )
    w.load(mcp_ws("read_page about install", docs))
    app.run()
    step = approval_steps(app)[0]
    step.cards[0].deny.click()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) == 2, timeout=5000)
    app.wait_idle()
    assert app.last_body()["input"][-1]["approve"] is False
    assert "not approved" in w.conversation.cards[-1].message().text
    # a call that fails, then a server that refuses: no keyring value for its header
    w.load(
        mcp_ws("delete_page /old", docs, SECURE.model_copy(update={"require_approval": "never"}))
    )
    app.run()
    lines = card_lines(app)
    assert any("✗ error" in ln and "permission denied" in ln for ln in lines)
    assert any("secure" in ln and "401" in ln for ln in lines)
    assert not approval_steps(app)


def test_the_mock_loop_approves_when_the_workspace_says_so(app: App) -> None:
    app.pg.connections.keys.set("mcp/secure/Authorization", SECRET)
    w = app.window
    w.load(mcp_ws("get_report", SECURE, mcp_auto_approve=True))
    # Run > Run with mocks is there for a request whose only tools are MCP servers
    assert w.menus is not None
    w.menus.update()
    assert w.menus.with_mocks.isEnabled()
    w.menus.with_mocks.trigger()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) >= 2, timeout=5000)
    app.wait_idle()
    assert app.last_body()["input"][-1]["approve"] is True
    assert not approval_steps(app)
    assert "ran `get_report`" in w.conversation.cards[-1].message().text


def test_the_editor_adds_a_server_and_its_secret_goes_to_the_keyring(app: App) -> None:
    w = app.window
    w.resize(1366, 768)
    w.setup_tabs.setCurrentWidget(w.tools)
    mcp = w.tools.mcp
    mcp.add_server("secure", SECURE_URL)
    mcp.approval.setCurrentIndex(mcp.approval.findData("never"))
    mcp.allowed.setText("get_report")
    mcp.allowed.textEdited.emit("get_report")
    mcp.headers.setPlainText("X-Trace: 1\nAuthorization: Bearer typed-here-is-dropped")
    # the dropped credential is named where it was typed, and offered as a secret header
    assert mcp.headers_note.isVisibleTo(mcp) and "Authorization: a credential" in (
        mcp.headers_note.text()
    )
    assert mcp.secret_name.text() == "Authorization"
    mcp.secret_value.setText(SECRET)
    mcp.store_secret.click()
    app.qtbot.waitUntil(
        lambda: app.keyring.items.get(("playground-openai", "mcp/secure/Authorization")) == SECRET,
        timeout=3000,
    )
    assert mcp.secret_value.text() == "" and "Authorization (from keyring)" in mcp.secrets.text()
    combo = w.tools.choice.combo
    assert "mcp: secure" in [combo.itemText(i) for i in range(combo.count())]
    tool = w.tools.apply(Workspace()).mcp_tools[0]
    assert tool.headers == {"X-Trace": "1"} and tool.secret_headers == ["Authorization"]
    assert tool.require_approval == "never" and tool.allowed_tools == ["get_report"]
    area = w.tools.findChild(QScrollArea)
    area.ensureWidgetVisible(mcp.store_secret)
    app.qtbot.wait(50)
    app.shot(w, "mcp_editor")
    app.qtbot.wait(700)  # the edit is committed to the Document after a pause
    w.load(w.current_view.doc.workspace.model_copy(update={"messages": [Message(content="hi")]}))
    app.run()
    assert app.last_body()["tools"][0]["headers"] == {"X-Trace": "1", "Authorization": SECRET}
    assert [i["type"] for i in app.last_body()["tools"][:1]] == ["mcp"]
    assert SECRET not in w.current_view.doc.workspace.to_json()
    assert "ran `get_report`" in w.conversation.cards[-1].message().text
    # relabelling moves the keyring entry; forgetting the header deletes it
    mcp.label.setText("vault")
    mcp.label.textEdited.emit("vault")
    app.qtbot.waitUntil(  # the value is written under the new entry, then the old one goes
        lambda: (
            app.keyring.items.get(("playground-openai", "mcp/vault/Authorization")) == SECRET
            and ("playground-openai", "mcp/secure/Authorization") not in app.keyring.items
        ),
        timeout=3000,
    )
    mcp.forget_secret.click()
    app.qtbot.waitUntil(
        lambda: ("playground-openai", "mcp/vault/Authorization") not in app.keyring.items,
        timeout=3000,
    )
    assert w.tools.apply(Workspace()).mcp_tools[0].secret_headers == []


def test_a_secret_header_without_a_keyring_value_is_named_in_the_editor(app: App) -> None:
    # e.g. a workspace saved on another machine, or a keyring that was cleared
    w = app.window
    w.load(mcp_ws("get_report", SECURE))
    w.setup_tabs.setCurrentWidget(w.tools)
    mcp = w.tools.mcp
    app.qtbot.waitUntil(lambda: "no value in the keyring" in mcp.secrets.text(), timeout=3000)
    mcp.secret_value.setText(SECRET)
    mcp.store_secret.click()
    app.qtbot.waitUntil(lambda: "Authorization (from keyring)" in mcp.secrets.text(), timeout=3000)
    assert "no value" not in mcp.secrets.text()
