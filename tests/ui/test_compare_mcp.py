"""Compare mode with remote MCP servers: each column that stops at an approval request
offers Approve / Deny, and its answer goes on in that column only."""

from __future__ import annotations

from playground.core.mcp_tools import McpTool
from playground.core.workspace import Message
from playground.services.simulator.mcp_servers import DOCS_URL
from playground.ui.widgets.mcp_view import McpApprovalStep
from tests.ui.conftest import App
from tests.ui.test_compare_view import columns, enter_compare, wait_done


def test_each_column_approves_or_denies_its_own_mcp_call(app: App) -> None:
    docs = McpTool(server_label="docs", server_url=DOCS_URL)
    app.window.load(
        app.window.ws.model_copy(
            update={
                "api": "responses",
                "model": "gpt-4.1-mini",
                "messages": [Message(content="read_page about install")],
                "mcp_tools": [docs],
            }
        )
    )
    view = enter_compare(app)
    a, b = columns(view)
    app.window.run()
    wait_done(app)
    steps = [a._step, b._step]
    assert all(isinstance(s, McpApprovalStep) for s in steps)
    approve, deny = steps
    assert isinstance(approve, McpApprovalStep) and isinstance(deny, McpApprovalStep)
    assert approve.cards[0].request["name"] == "read_page"
    assert a.row().outcome == "tool_calls"  # waiting for Approve / Deny, not "done"
    app.window.resize(1366, 768)
    app.shot(app.window, "compare_mcp_approval")
    approve.cards[0].approve.click()
    wait_done(app)
    deny.cards[0].deny.click()
    wait_done(app)
    assert "ran `read_page`" in a.text() and "not approved" not in a.text()
    assert "not approved" in b.text()
    assert "✓ approved MCP call" in a.trail.text() and "✗ denied MCP call" in b.trail.text()
    answers = [
        item
        for body in app.sim.bodies("/responses")
        for item in body["input"]
        if isinstance(item, dict) and item.get("type") == "mcp_approval_response"
    ]
    assert sorted(i["approve"] for i in answers) == [False, True]
