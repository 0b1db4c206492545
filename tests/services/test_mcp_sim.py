"""Remote MCP tools on the simulator, read by the real SDK with strict response validation:
listing, approval requests and responses, calls, errors, auth headers and their events."""

from __future__ import annotations

import json
from typing import Any

import openai

from playground.services.simulator import Simulator
from playground.services.simulator.mcp_servers import DOCS_URL, SECURE_TOKEN, SECURE_URL
from tests.conftest import run

DOCS = {"type": "mcp", "server_label": "docs", "server_url": DOCS_URL}
SECURE = {"type": "mcp", "server_label": "secure", "server_url": SECURE_URL}


def client(sim: Simulator) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=sim.base_url,
        api_key="sk-test",
        max_retries=0,
        _strict_response_validation=True,
        timeout=5,
    )


def _create(sim: Simulator, **kw: Any) -> Any:
    async def go() -> Any:
        async with client(sim) as c:
            return await c.responses.create(model="gpt-4.1-mini", **kw)

    return run(go())


def _stream(sim: Simulator, **kw: Any) -> list[Any]:
    async def go() -> list[Any]:
        async with client(sim) as c:
            stream = await c.responses.create(model="gpt-4.1-mini", stream=True, **kw)
            return [e async for e in stream]

    return run(go())


def test_a_call_without_approval_lists_calls_and_answers_in_a_stream(
    simulator: Simulator,
) -> None:
    tool = {**DOCS, "require_approval": "never", "allowed_tools": ["search_docs"]}
    events = _stream(simulator, input="search_docs for install", tools=[tool])
    kinds = [e.type for e in events]
    assert kinds[2:6] == [
        "response.output_item.added",
        "response.mcp_list_tools.in_progress",
        "response.mcp_list_tools.completed",
        "response.output_item.done",
    ]
    at = kinds.index("response.mcp_call.in_progress")
    assert kinds[at - 1] == "response.output_item.added"
    assert "response.mcp_call_arguments.delta" in kinds
    assert kinds.index("response.mcp_call_arguments.done") < kinds.index(
        "response.mcp_call.completed"
    )
    final = events[-1].response
    listing, call, message = final.output
    assert [t.name for t in listing.tools] == ["search_docs", "read_page", "delete_page"]
    assert call.type == "mcp_call" and call.name == "search_docs" and call.status == "completed"
    args = json.loads(call.arguments)
    assert isinstance(args["query"], str) and set(args) <= {"query", "limit"}
    deltas = "".join(e.delta for e in events if e.type == "response.mcp_call_arguments.delta")
    assert deltas == call.arguments
    assert "Getting started" in message.content[0].text


def test_approval_is_asked_then_an_approval_runs_the_call(simulator: Simulator) -> None:
    first = _create(simulator, input="read_page please", tools=[DOCS])
    assert [i.type for i in first.output] == ["mcp_list_tools", "mcp_approval_request"]
    req = first.output[1]
    assert req.name == "read_page" and json.loads(req.arguments)["url"]
    answer = {"type": "mcp_approval_response", "approval_request_id": req.id, "approve": True}
    second = _create(simulator, previous_response_id=first.id, input=[answer], tools=[DOCS])
    call, message = second.output
    assert call.type == "mcp_call" and call.approval_request_id == req.id
    assert call.arguments == req.arguments and call.output.startswith("# Getting started")
    assert "ran `read_page`" in message.content[0].text
    # the listing is not repeated: the server was listed earlier in the context
    assert not any(i.type == "mcp_list_tools" for i in second.output)


def test_a_denial_answers_without_a_call_and_items_sent_back_work_too(
    simulator: Simulator,
) -> None:
    first = _create(simulator, input="read_page please", tools=[DOCS])
    items = [i.model_dump(exclude_none=True) for i in first.output]
    denial = {
        "type": "mcp_approval_response",
        "approval_request_id": items[1]["id"],
        "approve": False,
    }
    again = _create(
        simulator,
        input=[{"role": "user", "content": "read_page please"}, *items, denial],
        tools=[DOCS],
    )
    assert [i.type for i in again.output] == ["message"]
    assert "not approved" in again.output[0].content[0].text


def test_a_failing_tool_gives_a_failed_call_and_its_events(simulator: Simulator) -> None:
    tool = {**DOCS, "require_approval": {"never": {"tool_names": ["delete_page"]}}}
    events = _stream(simulator, input="delete_page /old", tools=[tool])
    kinds = [e.type for e in events]
    assert "response.mcp_call.failed" in kinds and "response.mcp_call.completed" not in kinds
    call = events[-1].response.output[1]
    assert call.status == "failed" and call.output is None
    assert call.error.type == "mcp_tool_execution_error"
    assert "could not run `delete_page`" in events[-1].response.output[2].content[0].text


def test_a_server_that_needs_auth_fails_the_listing_without_its_header(
    simulator: Simulator,
) -> None:
    events = _stream(simulator, input="get_report", tools=[{**SECURE, "require_approval": "never"}])
    kinds = [e.type for e in events]
    assert (
        "response.mcp_list_tools.failed" in kinds and "response.mcp_call.in_progress" not in kinds
    )
    listing = events[-1].response.output[0]
    assert listing.tools == [] and "401" in (listing.error or "")
    authed = {
        **SECURE,
        "require_approval": "never",
        "headers": {"Authorization": f"Bearer {SECURE_TOKEN}"},
    }
    ok = _create(simulator, input="get_report", tools=[authed])
    assert [i.type for i in ok.output] == ["mcp_list_tools", "mcp_call", "message"]
    assert json.loads(ok.output[1].output)["revenue"] == 1200


def test_allowed_tools_filters_and_tool_choice_none_calls_nothing(simulator: Simulator) -> None:
    only = {**DOCS, "require_approval": "never", "allowed_tools": {"tool_names": ["read_page"]}}
    resp = _create(simulator, input="search_docs please", tools=[only])
    assert resp.output[1].name == "read_page"  # search_docs is not allowed
    none = _create(simulator, input="search_docs", tools=[DOCS], tool_choice="none")
    assert [i.type for i in none.output] == ["message"]


def test_tool_choice_mcp_forces_the_server_and_tool(simulator: Simulator) -> None:
    tools = [
        {**DOCS, "require_approval": "never"},
        {"type": "function", "name": "get_weather", "parameters": {"type": "object"}},
    ]
    choice = {"type": "mcp", "server_label": "docs", "name": "read_page"}
    resp = _create(simulator, input="search_docs please", tools=tools, tool_choice=choice)
    assert [i.type for i in resp.output] == ["mcp_list_tools", "mcp_call", "message"]
    assert resp.output[1].name == "read_page"
    forced_fn = {"type": "function", "name": "get_weather"}
    fn = _create(simulator, input="read_page", tools=tools, tool_choice=forced_fn)
    assert [i.type for i in fn.output] == ["function_call"]


def test_hosted_tools_and_mcp_in_one_request_follow_both_rules(simulator: Simulator) -> None:
    docs = {**DOCS, "require_approval": "never"}
    tools = [{"type": "code_interpreter", "container": {"type": "auto"}}, docs]
    # the hosted rule calls code interpreter: the server is listed, no MCP tool is used
    hosted = _create(simulator, input="calculate 2 + 2 in python", tools=tools)
    assert [i.type for i in hosted.output] == [
        "mcp_list_tools",
        "code_interpreter_call",
        "message",
    ]
    # a question that names an MCP tool uses it instead of the hosted call
    named = _create(simulator, input="use read_page in python", tools=tools)
    assert [i.type for i in named.output] == ["mcp_list_tools", "mcp_call", "message"]
    # no hosted tool named: MCP's own rule (the first allowed tool)
    plain = _create(simulator, input="hello there", tools=tools)
    assert [i.type for i in plain.output] == ["mcp_list_tools", "mcp_call", "message"]
    # tool_choice forces either one
    forced = _create(
        simulator, input="hello", tools=tools, tool_choice={"type": "code_interpreter"}
    )
    assert [i.type for i in forced.output] == ["code_interpreter_call", "message"]
    mcp = _create(
        simulator,
        input="calculate in python",
        tools=tools,
        tool_choice={"type": "mcp", "server_label": "docs"},
    )
    assert [i.type for i in mcp.output] == ["mcp_list_tools", "mcp_call", "message"]
    streamed = _stream(simulator, input="calculate 2 + 2 in python", tools=tools)
    final = streamed[-1].response
    assert [i.type for i in final.output] == ["mcp_list_tools", "code_interpreter_call", "message"]
