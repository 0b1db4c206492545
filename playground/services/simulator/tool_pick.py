"""Which tools the simulated model calls, and with what, for every tool_choice form.

Tools are read into one shape for both APIs: `{"type": "function" | "custom", "name", ...}`
(Chat's nested `function` / `custom` object flattened, a Chat grammar format
`{"type": "grammar", "grammar": {...}}` flattened to Responses' `{"type": "grammar",
"syntax", "definition"}`). tool_choice forms (spec ToolChoiceParam and
ChatCompletionToolChoiceOption, checked 2026-12-01): "none" calls nothing; "auto" and
"required" call a tool the question names, else the first; a named function or custom tool is
called; `allowed_tools` calls only tools in its list (mode "required" or "auto" alike, as
"auto" does with all tools); a hosted tool type calls no function or custom tool (the
simulator plays no hosted tool here, so it answers in text).
"""

from __future__ import annotations

from typing import Any

from playground.services.simulator.grammar_input import grammar_input


def read_tools(tools: Any, api: str, stream: bool = False) -> list[dict[str, Any]]:
    """The request's function and custom tools in the flat shape. A streamed Chat request
    leaves custom tools out: Chat's stream chunks carry function calls only (spec
    ChatCompletionMessageToolCallChunk, `type` enum ["function"])."""
    out: list[dict[str, Any]] = []
    for tool in tools or []:
        if not isinstance(tool, dict) or tool.get("type") not in ("function", "custom"):
            continue
        kind = tool["type"]
        if api != "chat":
            out.append(dict(tool))
            continue
        if kind == "custom" and stream:
            continue
        inner = dict(tool.get(kind) or {})
        fmt = inner.get("format")
        if isinstance(fmt, dict) and isinstance(fmt.get("grammar"), dict):
            inner["format"] = {"type": "grammar", **fmt["grammar"]}
        out.append({"type": kind, **inner})
    return out


def _refers(ref: Any, tool: dict[str, Any]) -> bool:
    if not isinstance(ref, dict) or ref.get("type") != tool["type"]:
        return False
    inner = ref.get(tool["type"])
    name = ref.get("name") or (inner.get("name") if isinstance(inner, dict) else None)
    return bool(name == tool.get("name"))


def chosen_tools(
    tools: list[dict[str, Any]], choice: Any, question: str, parallel: bool
) -> list[dict[str, Any]]:
    """The tools called for `question` under `choice` (see the module's rule); never one
    outside an allowed_tools list."""
    if not tools or choice == "none":
        return []
    if isinstance(choice, dict):
        kind = choice.get("type")
        if kind == "allowed_tools":
            inner = choice.get("allowed_tools")
            refs = (inner if isinstance(inner, dict) else choice).get("tools") or []
            tools = [t for t in tools if any(_refers(r, t) for r in refs)]
        elif kind in ("function", "custom"):
            return [t for t in tools if _refers(choice, t)][:1]
        else:
            return []
    text = question.lower()
    mentioned = [t for t in tools if str(t.get("name", "")).lower() in text]
    if mentioned and parallel:
        return mentioned
    return (mentioned or tools)[:1]


def custom_input(tool: dict[str, Any], question: str) -> str:
    """The simulated input of a call of custom `tool`: a draw from its grammar (seeded by the
    question and the tool's name), or for free-form text the question itself."""
    drawn = grammar_input(tool.get("format"), f"{tool.get('name')}\n{question}")
    if drawn is not None:
        return drawn
    fmt = tool.get("format")
    if isinstance(fmt, dict) and fmt.get("type") == "grammar":
        return ""  # no draw matched (a grammar whose lookarounds never hold)
    return question.strip() or "example"
