"""The step a Compare column shows when its answer waits for the user: the tool step for
function and custom tool calls, or Approve / Deny for MCP approval requests (as the
single-conversation view offers them)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from playground.core import variables
from playground.core.mcp_items import pending_approvals
from playground.core.reducer import pending_calls
from playground.core.workspace import Workspace
from playground.ui.widgets.mcp_view import McpApprovalStep
from playground.ui.widgets.tool_step import ToolStep


def pending_step(
    conversation: Workspace,
    on_outputs: Callable[[dict[str, str]], None],
    on_mock_loop: Callable[[int], None],
    on_approvals: Callable[[dict[str, bool]], None],
) -> QWidget | None:
    """The step for what `conversation`'s last answer left open, wired to the column's
    handlers; None when nothing waits."""
    calls = pending_calls(conversation)
    if calls:
        step = ToolStep.for_workspace(calls, variables.filled(conversation))  # mocks filled
        step.submit_requested.connect(on_outputs)
        step.mock_loop_requested.connect(on_mock_loop)
        return step
    requests = pending_approvals(conversation)
    if requests:
        approvals = McpApprovalStep(requests)
        approvals.answered.connect(on_approvals)
        return approvals
    return None
