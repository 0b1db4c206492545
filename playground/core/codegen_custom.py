"""The exported `--tool-loop` program's custom tools: one stub per custom tool taking the
call's input text and returning the tool's mock output, a CUSTOM_TOOLS table, and
`call_custom_tool`, the same rule as core.tool_loop.mock_result for a custom tool's call."""

from __future__ import annotations

import re

from playground.core.codegen import _docstring
from playground.core.pysource import INDENT, Filled, identifier, literal, string
from playground.core.tool_loop import mock_output
from playground.core.workspace import CustomTool

CALL_CUSTOM_TOOL_SOURCE = '''def call_custom_tool(name: str, text: str) -> str:
    """Run one custom tool's call; an unknown name gets an error result the model can read."""
    tool = CUSTOM_TOOLS.get(name)
    if tool is None:
        return json.dumps({"error": f"no custom tool named {name}"})
    return tool(text)'''
"""The exported program's custom-tool dispatcher (needs `json` and the CUSTOM_TOOLS table)."""

# The tool loop's lines (core/export.py) that pick and answer calls: (pick the calls, answer
# one, the output item's type line) for Responses, the answer for Chat; with custom tools the
# loop answers their calls too, without them it is written as before there were any.
RESPONSES_FUNCTIONS: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = (
    ('    calls = [item for item in response.output if item.type == "function_call"]',),
    ("        result = call_tool(call.name, call.arguments)",),
    ('                "type": "function_call_output",',),
)
RESPONSES_CUSTOM: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = (
    (
        "    calls = [",
        "        item",
        "        for item in response.output",
        '        if item.type in ("function_call", "custom_tool_call")',
        "    ]",
    ),
    (
        '        if call.type == "custom_tool_call":',
        "            result = call_custom_tool(call.name, call.input)",
        "        else:",
        "            result = call_tool(call.name, call.arguments)",
    ),
    ('                "type": f"{call.type}_output",',),
)
APPROVAL_SOURCE = '''def approval(request: Any) -> dict:
    """Ask on the terminal whether an MCP server may run a call; the answer as an input item."""
    question = f"Allow {request.server_label} to run {request.name}({request.arguments})? [y/N] "
    return {
        "type": "mcp_approval_response",
        "approval_request_id": request.id,
        "approve": input(question).strip().lower() in ("y", "yes"),
    }'''
"""The exported loop's answer to an `mcp_approval_request` (spec MCPApprovalResponse): the
user says y or n on the terminal, as the window's Approve / Deny step (needs typing.Any)."""


def responses_loop(
    tools: bool, custom: bool, approvals: bool
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The Responses loop's (pick, answer, output type) lines for the kinds the loop answers:
    function and custom tool calls (`tools`: either kind is enabled) and MCP approval
    requests (`approvals`); an approval is answered and the loop goes on to the next call."""
    pick, answer, kind = RESPONSES_CUSTOM if custom else RESPONSES_FUNCTIONS
    if not approvals:
        return pick, answer, kind
    types = ['"function_call"', '"custom_tool_call"'] if custom else ['"function_call"']
    types = [*types, '"mcp_approval_request"'] if tools else ['"mcp_approval_request"']
    listed = ", ".join(types) + ("," if len(types) == 1 else "")
    pick = (
        "    calls = [",
        "        item",
        "        for item in response.output",
        f"        if item.type in ({listed})",
        "    ]",
    )
    answer = (
        '        if call.type == "mcp_approval_request":',
        "            items.append(approval(call))",
        "            continue",
        *(answer if tools else ()),
    )
    return pick, answer, kind


CHAT_FUNCTIONS = ("        result = call_tool(call.function.name, call.function.arguments)",)
CHAT_CUSTOM = (
    '        if call.type == "custom":',
    "            result = call_custom_tool(call.custom.name, call.custom.input)",
    "        else:",
    "            result = call_tool(call.function.name, call.function.arguments)",
)


def _func_name(name: str) -> str:
    clean = re.sub(r"[^0-9a-zA-Z_]", "_", name)
    return f"custom_{clean}" if identifier(f"custom_{clean}") else "custom_tool"


def custom_tool_functions(tools: list[CustomTool], template: bool = False) -> str:
    """Python source: a stub per custom tool and the CUSTOM_TOOLS table. `template`: a
    mock output with `{{` in it is returned through the program's `fill`."""
    out: list[str] = []
    names: list[str] = []
    for tool in tools:
        func = _func_name(tool.name)
        while func in names:
            func += "_"
        names.append(func)
        result = mock_output(tool)
        value = Filled(result) if template and "{{" in result else result
        doc = _docstring(tool.description or f"The {tool.name} custom tool.")
        returned = literal(value, len(INDENT) + 7, depth=1)
        out.append(f"def {func}(text: str) -> str:\n{INDENT}{doc}\n{INDENT}return {returned}")
    pairs = [f"{string(t.name)}: {f}" for t, f in zip(tools, names, strict=True)]
    table = "CUSTOM_TOOLS = {" + ", ".join(pairs) + "}"
    if len(table) > 88:
        table = "CUSTOM_TOOLS = {\n" + "".join(f"{INDENT}{p},\n" for p in pairs) + "}"
    return "\n\n\n".join([*out, table])
