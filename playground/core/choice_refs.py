"""Whether a request's tool_choice names tools its `tools` has (one rule, for the request
builder's finding and the simulator's 400).

tool_choice forms (spec ToolChoiceParam and ChatCompletionToolChoiceOption, checked
2026-12-01): a function or custom tool by name (flat in Responses, nested in Chat), an MCP
server by `server_label`, a hosted tool by its type (`web_search_preview`,
`web_search_preview_2025_03_11` and `web_search` name the same tool), and `allowed_tools`
with a list of such references (flat in Responses, under `allowed_tools` in Chat).
"""

from __future__ import annotations

import re
from typing import Any

_VERSIONED = re.compile(r"(_preview)?(_\d{4}_\d{2}_\d{2})?$")


def ref_key(ref: Any) -> tuple[str, str] | None:
    """(type, name) a tool or a tool_choice reference stands for: ("function", NAME),
    ("custom", NAME), ("mcp", LABEL), or (HOSTED_TYPE, "") with the version and `_preview`
    suffixes dropped; None for anything else."""
    if not isinstance(ref, dict) or not isinstance(ref.get("type"), str):
        return None
    kind = ref["type"]
    if kind in ("function", "custom"):
        inner = ref.get(kind)
        name = ref.get("name") or (inner.get("name") if isinstance(inner, dict) else None)
        return (kind, str(name))
    if kind == "mcp":
        return (kind, str(ref.get("server_label")))
    return (_VERSIONED.sub("", kind), "")


def choice_refs(choice: Any) -> list[Any]:
    """The tool references in a tool_choice value: none for a string mode, the listed ones
    for `allowed_tools`, else the choice itself."""
    if not isinstance(choice, dict):
        return []
    if choice.get("type") != "allowed_tools":
        return [choice]
    inner = choice.get("allowed_tools")
    listed = (inner if isinstance(inner, dict) else choice).get("tools")
    return listed if isinstance(listed, list) else []


def missing_tool(choice: Any, tools: list[Any]) -> str | None:
    """The first tool `choice` names that `tools` (a request's `tools` list) lacks, as a
    person would name it (the function's or custom tool's name, the MCP server's label, the
    hosted tool's type); None when every named tool is there."""
    offered = {key for tool in tools if (key := ref_key(tool)) is not None}
    for ref in choice_refs(choice):
        key = ref_key(ref)
        if key is None or key in offered:
            continue
        return key[1] if key[0] in ("function", "custom", "mcp") else str(ref.get("type"))
    return None
