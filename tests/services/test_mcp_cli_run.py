"""`playground run` with remote MCP servers, over the simulator: a secret header is filled on
the wire only (from MCP_LABEL_HEADER or the keyring) and a missing one is named on stderr; an
approval request left waiting is printed and exits 3, like a pending tool call."""

from __future__ import annotations

import json
from typing import Any

import pytest

from playground import cli_run
from playground.cli_settings import EXIT_OK, EXIT_TOOL_CALLS
from playground.core.mcp_items import answer_approvals
from playground.core.mcp_tools import McpTool
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, Workspace
from playground.services import keystore
from playground.services.simulator import Simulator
from playground.services.simulator.mcp_servers import SECURE_TOKEN, SECURE_URL
from tests.conftest import run
from tests.services.test_keystore import MemoryKeyring

SECRET = f"Bearer {SECURE_TOKEN}"
DOCS_URL = "https://mcp.example.com/docs"


@pytest.fixture
def ring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """The keyring `run` opens: an empty one in memory (no MCP_ variable set)."""
    memory = MemoryKeyring()
    real = keystore.KeyStore
    monkeypatch.setattr(keystore, "KeyStore", lambda: real(memory))
    monkeypatch.delenv("MCP_SECURE_AUTHORIZATION", raising=False)
    return memory


def secure_ws() -> Workspace:
    tool = McpTool(
        server_label="secure",
        server_url=SECURE_URL,
        secret_headers=["Authorization"],
        require_approval="never",
    )
    return Workspace(
        model="gpt-4.1-mini", messages=[Message(content="get_report")], mcp_tools=[tool]
    )


def docs_ws(**update: Any) -> Workspace:
    """The tester's workspace: the docs server, approval left at its default ("always")."""
    tool = McpTool(server_label="docs", server_url=DOCS_URL)
    ask = Message(content="Use delete_page on the intro page")
    return Workspace(model="gpt-6-luna", messages=[ask], mcp_tools=[tool], **update)


def run_on(simulator: Simulator, ws: Workspace, as_json: bool = False) -> int:
    profile = ProviderProfile(name="sim", kind="custom", base_url=simulator.base_url)
    target = cli_run.Target(profile, True, None)
    return run(cli_run._run_async(ws, target, "sk-test", as_json=as_json, strict=True))


def test_cli_run_sends_the_keyring_value(
    simulator: Simulator, ring: MemoryKeyring, capsys: Any
) -> None:
    ring.set_password(keystore.SERVICE, "mcp/secure/Authorization", SECRET)
    assert run_on(simulator, secure_ws()) == EXIT_OK
    assert simulator.bodies()[-1]["tools"][0]["headers"] == {"Authorization": SECRET}
    out, errs = capsys.readouterr()
    assert "ran `get_report`" in out
    assert "MCP call get_report on secure: done" in out  # the summary after the answer
    assert "warning" not in errs and SECRET not in errs


def test_a_secret_header_without_a_value_is_named_on_stderr(
    simulator: Simulator, ring: MemoryKeyring, capsys: Any
) -> None:
    assert run_on(simulator, secure_ws()) == EXIT_OK
    assert not simulator.bodies()[-1]["tools"][0].get("headers")  # sent without it
    out, errs = capsys.readouterr()
    warning = next(line for line in errs.splitlines() if line.startswith("warning:"))
    assert "MCP server secure" in warning and "secret header Authorization" in warning
    assert "MCP_SECURE_AUTHORIZATION" in warning and "mcp/secure/Authorization" in warning
    assert "MCP server secure: listing its tools failed" in out and "401" in out


def test_the_environment_variable_gives_the_value_and_is_never_printed(
    simulator: Simulator, ring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    ring.set_password(keystore.SERVICE, "mcp/secure/Authorization", "Bearer stale")
    monkeypatch.setenv("MCP_SECURE_AUTHORIZATION", SECRET)  # the variable exports read
    assert run_on(simulator, secure_ws(), as_json=True) == EXIT_OK
    assert simulator.bodies()[-1]["tools"][0]["headers"] == {"Authorization": SECRET}
    out, errs = capsys.readouterr()
    assert SECURE_TOKEN not in out + errs and "warning" not in errs
    assert json.loads(out)["mcp"][-1]["output"]  # the call ran


def test_a_pending_approval_is_printed_and_exits_3(simulator: Simulator, capsys: Any) -> None:
    assert run_on(simulator, docs_ws()) == EXIT_TOOL_CALLS
    out, errs = capsys.readouterr()
    assert "MCP server docs: 3 tools" in out
    pending = json.loads(out[out.index("[") :])
    assert [(p["kind"], p["server_label"], p["name"]) for p in pending] == [
        ("mcp_approval_request", "docs", "delete_page")
    ]
    assert json.loads(pending[0]["arguments"])  # the JSON arguments the tool would get
    assert "waiting for approval: MCP server docs asks to run delete_page({" in errs
    assert "Approve / Deny in the window" in errs and "Mocks approve MCP" not in errs


def test_json_carries_the_approval_requests(simulator: Simulator, capsys: Any) -> None:
    assert run_on(simulator, docs_ws(mcp_auto_approve=True), as_json=True) == EXIT_TOOL_CALLS
    out, errs = capsys.readouterr()
    data = json.loads(out)
    (request,) = data["mcp_approval_requests"]
    assert request["id"].startswith("mcpr_") and request["server_label"] == "docs"
    assert request["name"] == "delete_page" and json.loads(request["arguments"])
    assert data["tool_calls"] == [] and data["text"] == ""
    assert "Mocks approve MCP" in errs  # the flag is the window's Run with mocks, said once


def test_an_answered_approval_runs_the_call(simulator: Simulator, capsys: Any) -> None:
    run_on(simulator, docs_ws(), as_json=True)
    data = json.loads(capsys.readouterr().out)
    request = data["mcp_approval_requests"][0]
    ws = docs_ws()
    item = {"type": "mcp_approval_request", **request}  # as --save keeps it
    ws = ws.model_copy(update={"messages": [*ws.messages, Message(role="assistant", item=item)]})
    assert run_on(simulator, answer_approvals(ws, {request["id"]: True})) == EXIT_OK
    out = capsys.readouterr().out
    assert "MCP call delete_page on docs: failed: permission denied" in out
