"""Whether a request's tool_choice names tools its `tools` has (one rule, for the request
builder's finding and the simulator's 400).

tool_choice forms (spec ToolChoiceParam and ChatCompletionToolChoiceOption, checked
2026-12-01): a function or custom tool by name (flat in Responses, nested in Chat), an MCP
server by `server_label`, a hosted tool by its type (`web_search_preview`,
`web_search_preview_2025_03_11` and `web_search` name the same tool), and `allowed_tools`
with a list of such references (flat in Responses, under `allowed_tools` in Chat).
A tool renamed in the editor takes the choices that name it along (`follow_renames`).
"""

from __future__ import annotations

import re
from typing import Any

from playground.core.workspace import ToolChoice

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


Named = tuple[str, str]
"""(kind, name) of a tool the request defines: ("function", NAME), ("custom", NAME) or
("mcp", SERVER_LABEL)."""


def renames(before: list[Named], after: list[Named]) -> dict[Named, Named]:
    """The tools renamed between two listings of the same tools (a tool keeps its place in
    its kind's list): old (kind, name) -> new. A kind whose count changed (a tool added or
    removed) renamed nothing."""
    out: dict[Named, Named] = {}
    for kind in ("function", "custom", "mcp"):
        old = [n for n in before if n[0] == kind]
        new = [n for n in after if n[0] == kind]
        if len(old) == len(new):
            out.update({a: b for a, b in zip(old, new, strict=True) if a != b})
    return out


def follow_renames(choice: ToolChoice | None, moved: dict[Named, Named]) -> ToolChoice | None:
    """`choice` with every tool it names (the forced tool, the MCP server, the allowed_tools
    entries) renamed as `moved` (from `renames`) says; the same choice when nothing moved."""
    if choice is None or not moved:
        return choice

    def field(kind: str | None) -> str:
        return "server_label" if kind == "mcp" else "name"

    def follow(ref: dict[str, Any]) -> dict[str, Any]:
        kind = ref.get("type")
        key = (str(kind), str(ref.get(field(kind))))
        return {**ref, field(kind): moved[key][1]} if key in moved else ref

    if choice.mode in ("function", "custom", "mcp"):
        key = field(choice.mode)
        ref = follow({"type": choice.mode, key: getattr(choice, key)})
        return choice.model_copy(update={key: ref[key]})
    if choice.mode == "allowed_tools":
        return choice.model_copy(update={"allowed": [follow(r) for r in choice.allowed]})
    return choice
