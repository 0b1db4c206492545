"""MCP tools in the workspace, the request builder, import and the send-time secret fill."""

from __future__ import annotations

import asyncio
import json

from playground.core import request
from playground.core.importer import from_body
from playground.core.mcp_tools import McpTool, env_name, placeholder, placeholder_entry
from playground.core.migrations import migrate
from playground.core.workspace import SCHEMA_VERSION, Message, Workspace
from playground.services.mcp_secrets import filled

SECRET = "sk-MARKER-mcp-header-77aa01"


def _ws(**tool: object) -> Workspace:
    base: dict[str, object] = {
        "server_label": "docs",
        "server_url": "https://mcp.example.com/sse",
        "secret_headers": ["Authorization"],
        "headers": {"X-Trace": "1"},
        "allowed_tools": ["search"],
        "require_approval": {"never": {"tool_names": ["search"]}},
    }
    base.update(tool)
    return Workspace(messages=[Message(content="hi")], mcp_tools=[McpTool(**base)])  # type: ignore[arg-type]


def test_the_tool_is_sent_in_the_specs_shape_with_the_secret_as_a_placeholder() -> None:
    built = request.build(_ws())
    assert built.kwargs["tools"] == [
        {
            "type": "mcp",
            "server_label": "docs",
            "server_url": "https://mcp.example.com/sse",
            "headers": {"X-Trace": "1", "Authorization": "<from keyring: mcp/docs/Authorization>"},
            "allowed_tools": ["search"],
            "require_approval": {"never": {"tool_names": ["search"]}},
        }
    ]
    assert not [f for f in built.findings if f.severity == "error"]
    assert placeholder_entry(placeholder("docs", "Authorization")) == "mcp/docs/Authorization"
    assert env_name("docs-1", "Authorization") == "MCP_DOCS_1_AUTHORIZATION"


def test_a_credential_in_plain_headers_is_dropped_and_named_secret() -> None:
    tool = McpTool(server_label="a", server_url="u", headers={"Authorization": SECRET, "X": "1"})
    assert tool.headers == {"X": "1"} and tool.secret_headers == ["Authorization"]
    assert SECRET not in Workspace(mcp_tools=[tool]).to_json()


def test_a_server_needs_a_url_or_a_connector_and_chat_sends_none() -> None:
    errors = [f.message for f in request.build(_ws(server_url=None)).findings]
    assert any("server URL or a connector id" in m for m in errors)
    chat = request.build(_ws().model_copy(update={"api": "chat"}))
    assert "tools" not in chat.kwargs
    assert any("only in the Responses API" in f.message for f in chat.findings)


def test_a_version_4_file_loads_at_the_current_version() -> None:
    data = migrate({"schema_version": 4, "model": "gpt-4o-mini"})
    assert data["schema_version"] == SCHEMA_VERSION
    assert Workspace(**data).mcp_tools == []


def test_import_makes_the_tool_editable_and_leaves_the_secret_out() -> None:
    body = request.build(_ws()).body
    body["tools"][0]["headers"]["Authorization"] = f"Bearer {SECRET}"
    result = from_body(json.loads(json.dumps(body)))
    assert result.workspace.mcp_tools == _ws().mcp_tools
    assert SECRET not in result.workspace.to_json()
    assert any("secret was left out" in n for n in result.notes)
    again = from_body(request.build(_ws()).body)
    assert again.workspace.mcp_tools == _ws().mcp_tools
    assert not any("secret" in n for n in again.notes)


def test_the_secret_is_filled_in_only_in_what_is_sent() -> None:
    built = request.build(_ws())
    sent = asyncio.run(filled(built.kwargs, {"mcp/docs/Authorization": SECRET}.get))
    assert sent["tools"][0]["headers"] == {"X-Trace": "1", "Authorization": SECRET}
    assert SECRET not in json.dumps(built.kwargs)
    missing = asyncio.run(filled(built.kwargs, lambda _entry: None))
    assert missing["tools"][0]["headers"] == {"X-Trace": "1"}


def test_kept_items_go_into_the_conversation_and_approvals_are_answered() -> None:
    from playground.core.events import OutputItem, TextDelta
    from playground.core.mcp_items import answer_approvals, pending_approvals
    from playground.core.reducer import append_turn, reduce

    listing = {"type": "mcp_list_tools", "id": "l1", "server_label": "docs", "tools": []}
    req = {
        "type": "mcp_approval_request",
        "id": "r1",
        "server_label": "docs",
        "name": "read_page",
        "arguments": "{}",
    }
    turn = reduce([OutputItem(req, 1), OutputItem(listing, 0)])
    ws = append_turn(_ws(), turn)
    assert [m.item for m in ws.messages[1:]] == [listing, req]
    assert pending_approvals(ws) == [req]
    answered = answer_approvals(ws, {"r1": False})
    assert pending_approvals(answered) == []
    sent = request.build(answered).kwargs["input"]
    assert sent[-1] == {
        "type": "mcp_approval_response",
        "approval_request_id": "r1",
        "approve": False,
    }
    assert sent[-2] == req and sent[-3] == listing
    with_text = append_turn(_ws(), reduce([OutputItem(listing, 0), TextDelta("ok")]))
    assert with_text.messages[1].item == listing and with_text.messages[2].text == "ok"


def test_a_tool_kept_as_given_loses_its_secrets_too() -> None:
    body = {
        "model": "gpt-4.1-mini",
        "input": "hi",
        "tools": [
            {
                "type": "mcp",
                "server_label": "docs",
                "server_url": "https://mcp.example.com/docs",
                "defer_loading": True,
                "authorization": SECRET,
                "headers": {"Authorization": SECRET, "X-Trace": "1"},
            }
        ],
    }
    result = from_body(body)
    assert result.workspace.mcp_tools == []
    assert result.workspace.extra_tools == [
        {
            "type": "mcp",
            "server_label": "docs",
            "server_url": "https://mcp.example.com/docs",
            "defer_loading": True,
            "headers": {"Authorization": placeholder("docs", "Authorization"), "X-Trace": "1"},
        }
    ]
    assert SECRET not in result.workspace.to_json()
    assert any("token was left out" in n for n in result.notes)
    chat = from_body({"model": "gpt-4.1-mini", "messages": [], "tools": body["tools"]})
    assert SECRET not in chat.workspace.to_json()


def test_kept_items_survive_the_response_cache_encoding() -> None:
    from playground.core.cache_rules import decode_events, encode_events
    from playground.core.events import OutputItem

    event = OutputItem({"type": "mcp_call", "id": "m1", "output": None, "error": None}, 2)
    assert decode_events(json.loads(json.dumps(encode_events([event])))) == [event]


def test_tool_choice_mcp_is_sent_and_imported() -> None:
    from playground.core.workspace import ToolChoice

    ws = _ws().model_copy(
        update={"tool_choice": ToolChoice(mode="mcp", server_label="docs", name="search")}
    )
    built = request.build(ws)
    assert built.kwargs["tool_choice"] == {"type": "mcp", "server_label": "docs", "name": "search"}
    assert from_body(built.body).workspace.tool_choice == ws.tool_choice
    wrong = ws.model_copy(update={"tool_choice": ToolChoice(mode="mcp", server_label="nope")})
    assert any("no MCP server nope" in f.message for f in request.build(wrong).findings)


def test_mcp_and_hosted_items_are_kept_one_way_in_output_order() -> None:
    from playground.core.events import OutputItem, TextDelta
    from playground.core.reducer import append_turn, reduce

    listing = {"type": "mcp_list_tools", "id": "l1", "server_label": "docs", "tools": []}
    code = {"type": "code_interpreter_call", "id": "ci1", "code": "1", "container_id": "c"}
    answer = {
        "type": "message",
        "id": "m1",
        "role": "assistant",
        "content": [{"type": "output_text", "text": "ok", "annotations": [{"type": "x"}]}],
    }
    events = [OutputItem(code, 1), OutputItem(listing, 0), OutputItem(answer, 2)]
    ws = append_turn(_ws(), reduce([*events, TextDelta("ok")]))
    assert [m.item for m in ws.messages[1:]] == [listing, code, answer]
    assert ws.messages[-1].text == "ok"


def test_a_server_url_without_a_host_blocks_the_request() -> None:
    """A new MCP server starts with "https://" in its URL field: until a host is typed, an
    error finding says so (the API would refuse the URL), as a profile's base URL does."""

    def errors(url: str) -> list[str]:
        ws = Workspace(
            api="responses",
            messages=[Message(content="hi")],
            mcp_tools=[McpTool(server_label="docs", server_url=url)],
        )
        return [f.message for f in request.build(ws).findings if f.severity == "error"]

    for bad in ("https://", "ftp://mcp.example.com", "https://has space.example.com"):
        (said,) = errors(bad)
        assert said.startswith("MCP server docs: the server URL") and bad in said
    assert errors("https://mcp.example.com/docs") == []
