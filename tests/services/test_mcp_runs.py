"""MCP tools in a run: the secret header is filled in only on the wire, kept items come back
into the conversation, and the mock loop approves approval requests when asked to."""

from __future__ import annotations

import json

from playground.core.mcp_items import pending_approvals
from playground.core.mcp_tools import McpTool, placeholder
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn, append_turn
from playground.core.workspace import Message, Workspace
from playground.services.backend import Backend
from playground.services.runs import Run, execute, fixed_key
from playground.services.simulator import Simulator
from playground.services.simulator.mcp_servers import SECURE_TOKEN, SECURE_URL
from tests.conftest import run

SECRET = f"Bearer {SECURE_TOKEN}"


def _ws(auto: bool, approval: str = "always") -> Workspace:
    tool = McpTool(
        server_label="secure",
        server_url=SECURE_URL,
        secret_headers=["Authorization"],
        require_approval=approval,  # type: ignore[arg-type]
    )
    return Workspace(
        model="gpt-4.1-mini",
        messages=[Message(content="get_report please")],
        mcp_tools=[tool],
        mcp_auto_approve=auto,
    )


def _execute(
    r: Run, backend: Backend, lookup: object, loop: int | None = None
) -> AssistantTurn | None:
    async def go() -> AssistantTurn | None:
        try:
            return await execute(
                r,
                backend,
                fixed_key("sk-test"),
                mock_loop=loop,
                header_secrets=lookup,  # type: ignore[arg-type]
            )
        finally:
            await backend.aclose()

    return run(go())


def test_the_header_is_sent_but_never_kept_and_approval_stops_a_plain_run(
    backend: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    r = Run(_ws(auto=False), profile, owner="t")
    turn = _execute(r, backend, {"mcp/secure/Authorization": SECRET}.get)
    assert turn is not None and [i["type"] for i in turn.items] == [
        "mcp_list_tools",
        "mcp_approval_request",
    ]
    sent = simulator.bodies("/responses")[-1]
    assert sent["tools"][0]["headers"] == {"Authorization": SECRET}
    assert r.body is not None and SECRET not in json.dumps(r.body)
    assert r.body["tools"][0]["headers"]["Authorization"] == placeholder("secure", "Authorization")
    ws = append_turn(r.workspace, turn)
    assert [a["name"] for a in pending_approvals(ws)] == ["get_report"]


def test_the_mock_loop_approves_and_the_answer_uses_the_result(
    backend: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    r = Run(_ws(auto=True), profile, owner="t")
    approved: list[dict[str, bool]] = []
    r.approvals_added.connect(approved.append)
    turn = _execute(r, backend, {"mcp/secure/Authorization": SECRET}.get, loop=5)
    assert turn is not None and "ran `get_report`" in turn.text
    assert [i["type"] for i in turn.items] == ["mcp_call"]
    assert turn.items[0]["output"] == '{"revenue": 1200, "currency": "EUR"}'
    assert len(approved) == 1 and list(approved[0].values()) == [True]
    last = simulator.bodies("/responses")[-1]["input"]
    assert last[-1]["type"] == "mcp_approval_response" and last[-1]["approve"] is True


def test_without_the_keyring_value_the_listing_fails(
    backend: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    r = Run(_ws(auto=False, approval="never"), profile, owner="t")
    turn = _execute(r, backend, lambda _entry: None)
    assert turn is not None and "401" in str(turn.items[0]["error"])
    assert "headers" not in simulator.bodies("/responses")[-1]["tools"][0] or (
        simulator.bodies("/responses")[-1]["tools"][0]["headers"] == {}
    )
