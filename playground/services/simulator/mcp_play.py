"""How the simulated model uses remote MCP tools (spec MCPTool, MCPListTools,
MCPApprovalRequest, MCPApprovalResponse, MCPToolCall; checked 2026-12-01).

For a request with `mcp` tools (and tool_choice not "none"):

- the input ends with a user message: each server not yet listed in the context gets an
  `mcp_list_tools` item (its tools, filtered by nothing; with `error` and no tools when the
  server is unknown or refuses the request's headers). Then one allowed tool is chosen: one
  the question names, else the first (when function or custom tools are present too, an MCP
  tool is used only when the question names it). Its arguments are drawn from its input
  schema as for function calls. When `require_approval` asks for it (absent means "always",
  the spec's default) the response ends with an `mcp_approval_request`; else an `mcp_call`
  runs at once and a message answers from its output or error.
- tool_choice `{"type": "mcp", "server_label"[, "name"]}` uses that server (and tool);
  a forced function, custom or hosted tool leaves MCP out.
- a hosted tool called by its own rule (services/simulator/hosted_calls.py: the question
  names it, or tool_choice "required") counts as a function tool here: the servers are
  still listed, and an MCP tool is used (instead of the hosted call) only when the question
  names it.
- the input ends with an `mcp_approval_response`: approved, the call runs (`mcp_call` with
  `approval_request_id`) and a message answers from it; denied, a message says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from playground.services.simulator.brain import Plan, _arguments_for
from playground.services.simulator.mcp_servers import McpRegistry, McpServer, McpServerTool
from playground.services.simulator.protocol import count_tokens, new_id, tokens


@dataclass
class McpTurn:
    """The MCP items of one response, then either `answer` (the message's text), `waiting`
    (the response ends at an approval request) or neither (the plan answers as usual)."""

    items: list[dict[str, Any]]
    answer: str | None = None
    waiting: bool = False


def _matches(flt: Any, tool: McpServerTool) -> bool:
    """A filter object (spec MCPToolFilter) with at least one criterion, all of them met."""
    if not isinstance(flt, dict) or not flt:
        return False
    names, ro = flt.get("tool_names"), flt.get("read_only")
    return (names is None or tool.name in names) and (ro is None or tool.read_only == ro)


def allowed(spec: dict[str, Any], tool: McpServerTool) -> bool:
    """`allowed_tools` of the `mcp` tool `spec` lets the model use `tool` (None: all)."""
    rule = spec.get("allowed_tools")
    if rule is None:
        return True
    if isinstance(rule, list):
        return tool.name in rule
    return _matches(rule, tool) or rule == {}


def needs_approval(spec: dict[str, Any], tool: McpServerTool) -> bool:
    """`require_approval` of `spec` asks for approval of `tool`: "always" (also when absent
    or null), "never", or `{"always": filter, "never": filter}` (a tool neither filter
    matches needs approval, as "always" is the default)."""
    rule = spec.get("require_approval")
    if rule == "never":
        return False
    return not (isinstance(rule, dict) and _matches(rule.get("never"), tool))


def _mcp_specs(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in body.get("tools") or [] if isinstance(t, dict) and t.get("type") == "mcp"]


def _listing(spec: dict[str, Any], server: McpServer | None) -> dict[str, Any]:
    label = str(spec.get("server_label"))
    item: dict[str, Any] = {
        "type": "mcp_list_tools",
        "id": new_id("mcpl"),
        "server_label": label,
        "tools": [],
        "error": None,
    }
    if server is None:
        where = spec.get("server_url") or spec.get("connector_id") or label
        item["error"] = f"Error retrieving tool list from MCP server: '{label}'. {where}: not found"
    elif (refused := server.refuses(spec.get("headers"))) is not None:
        item["error"] = refused
    else:
        item["tools"] = [t.listed() for t in server.tools]
    return item


def _call(label: str, tool: McpServerTool, arguments: str, approval: str | None) -> dict[str, Any]:
    failed = tool.error is not None
    return {
        "type": "mcp_call",
        "id": new_id("mcp"),
        "server_label": label,
        "name": tool.name,
        "arguments": arguments,
        "output": None if failed else tool.result,
        "error": (
            {"type": "mcp_tool_execution_error", "content": [{"type": "text", "text": tool.error}]}
            if failed
            else None
        ),
        "status": "failed" if failed else "completed",
        "approval_request_id": approval,
    }


def _answer(call: dict[str, Any]) -> str:
    label, name = call["server_label"], call["name"]
    if call["status"] == "failed":
        text = call["error"]["content"][0]["text"]
        return f"The MCP server **{label}** could not run `{name}`: {text}."
    return (
        f"The MCP server **{label}** ran `{name}` and returned:\n\n```\n"
        f"{str(call['output'])[:400]}\n```\n\nThat answers your question from its result."
    )


def _text(item: dict[str, Any]) -> str:
    content = item.get("content")
    if isinstance(content, str):
        return content
    parts = content if isinstance(content, list) else []
    return " ".join(str(p.get("text", "")) for p in parts if isinstance(p, dict))


def play(
    body: dict[str, Any],
    context: list[dict[str, Any]],
    servers: McpRegistry,
    hosted: bool = False,
) -> McpTurn | None:
    """The MCP part of the answer to `body` whose whole input (previous response's items
    included) is `context`; None when MCP plays no part (see the module's rule). `hosted`:
    the answer already calls a hosted tool."""
    specs, choice = _mcp_specs(body), body.get("tool_choice")
    if not specs or choice == "none" or not context:
        return None
    forced = isinstance(choice, dict) and choice.get("type") == "mcp"
    if isinstance(choice, dict) and not forced and choice.get("type") != "allowed_tools":
        return None  # a named function, custom or hosted tool is forced instead
    by_label = {str(s.get("server_label")): s for s in specs}
    last = context[-1]
    if last.get("type") == "mcp_approval_response":
        wanted = last.get("approval_request_id")
        req = next(
            (
                i
                for i in context
                if i.get("type") == "mcp_approval_request" and i.get("id") == wanted
            ),
            None,
        )
        spec = by_label.get(str(req.get("server_label"))) if req else None
        server = servers.find(spec) if spec else None
        tool = server.tool(str(req.get("name"))) if server and req else None
        if req is None or tool is None:
            return None
        if not last.get("approve"):
            return McpTurn([], f"The call of `{tool.name}` was not approved, so it did not run.")
        call = _call(str(req["server_label"]), tool, str(req.get("arguments")), str(wanted))
        return McpTurn([call], _answer(call))
    if last.get("type", "message") != "message" or last.get("role") != "user":
        return None
    question = _text(last)
    listed = {
        str(i.get("server_label"))
        for i in context
        if i.get("type") == "mcp_list_tools" and not i.get("error")
    }
    items: list[dict[str, Any]] = []
    usable: list[tuple[dict[str, Any], McpServerTool]] = []
    for spec in specs:
        server = servers.find(spec)
        if str(spec.get("server_label")) not in listed:
            items.append(_listing(spec, server))
            if items[-1]["error"]:
                continue
        if server is not None and server.refuses(spec.get("headers")) is None:
            usable += [(spec, t) for t in server.tools if allowed(spec, t)]
    if forced and isinstance(choice, dict):  # {"type": "mcp", "server_label"[, "name"]}
        usable = [
            (s, t)
            for s, t in usable
            if s.get("server_label") == choice.get("server_label")
            and choice.get("name") in (None, t.name)
        ]
    named = [(s, t) for s, t in usable if t.name.lower() in question.lower()]
    others = hosted or any(
        isinstance(t, dict) and t.get("type") in ("function", "custom")
        for t in body.get("tools") or []
    )
    if not usable or (others and not named and not forced):
        failed = [i for i in items if i["error"]]
        if failed and not usable and not hosted:
            return McpTurn(items, f"I could not use the MCP server: {failed[0]['error']}.")
        return McpTurn(items) if items else None
    spec, tool = (named or usable)[0]
    label = str(spec.get("server_label"))
    arguments = _arguments_for({"parameters": tool.input_schema}, question)
    if needs_approval(spec, tool):
        items.append(
            {
                "type": "mcp_approval_request",
                "id": new_id("mcpr"),
                "server_label": label,
                "name": tool.name,
                "arguments": arguments,
            }
        )
        return McpTurn(items, waiting=True)
    call = _call(label, tool, arguments, None)
    return McpTurn([*items, call], _answer(call))


def after_hosted(
    plan: Plan, body: dict[str, Any], context: list[dict[str, Any]], servers: McpRegistry
) -> Plan:
    """`plan` (already answering through a hosted call when the hosted rule made one) with
    the MCP turn played over it (see the module's rule)."""
    return apply(plan, play(body, context, servers, hosted=plan.hosted is not None))


def apply(plan: Plan, turn: McpTurn | None) -> Plan:
    """`plan` with the MCP turn's items, and its answer or its wait for approval (which
    replace a hosted call's answer)."""
    if turn is None:
        return plan
    plan.mcp_items = turn.items
    if turn.waiting or turn.answer is not None:
        plan.hosted = None
    spent = sum(count_tokens(json.dumps(i)) for i in turn.items)
    if turn.waiting:
        plan.mcp_waiting, plan.calls, plan.choices = True, [], [[]]
        plan.finish, plan.output_tokens = "stop", spent + plan.reasoning_tokens
    elif turn.answer is not None:
        plan.calls, plan.choices, plan.finish = [], [tokens(turn.answer)], "stop"
        plan.output_tokens = len(plan.choices[0]) + spent + plan.reasoning_tokens
    return plan
