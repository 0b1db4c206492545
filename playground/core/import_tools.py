"""Reading custom tools, hosted tools and tool_choice forms from a request body (the
importer's part).

Only what the request builder (core/request_tools.py) writes back exactly is made editable;
anything else is kept as given by the caller (spec CustomToolParam, CustomToolChatCompletions,
ToolChoiceParam, ChatCompletionToolChoiceOption, checked 2026-12-01).
"""

from __future__ import annotations

from typing import Any

from playground.core.hosted_options import (
    CODE_OUTPUTS,
    FILE_RESULTS,
    WEB_SOURCES,
    read_code_interpreter,
    read_file_search,
    read_image_generation,
    read_web_search,
)
from playground.core.request_tools import allowed_ref, custom_tool_spec
from playground.core.workspace import (
    HOSTED_CHOICES,
    BuiltinTools,
    CustomFormat,
    CustomTool,
    ToolChoice,
)


def custom_tool(raw: Any, api: str) -> CustomTool | None:
    """The custom tool `raw` describes in `api`'s shape, when the builder would send it back
    exactly; else None."""
    if not isinstance(raw, dict) or raw.get("type") != "custom":
        return None
    spec = raw.get("custom") if api == "chat" else raw
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        return None
    fmt = spec.get("format")
    parsed: CustomFormat | None = None
    if isinstance(fmt, dict):
        grammar = fmt.get("grammar") if api == "chat" else fmt
        if fmt.get("type") == "text":
            parsed = CustomFormat(type="text")
        elif fmt.get("type") == "grammar" and isinstance(grammar, dict):
            syntax, definition = grammar.get("syntax"), grammar.get("definition")
            if syntax not in ("lark", "regex") or not isinstance(definition, str):
                return None
            parsed = CustomFormat(type="grammar", syntax=syntax, definition=definition)
        else:
            return None
    description = spec.get("description")
    tool = CustomTool(
        name=spec["name"],
        description=description if isinstance(description, str) else None,
        format=parsed,
    )
    return tool if custom_tool_spec(tool, api) == raw else None


def tool_choice(raw: Any, api: str) -> ToolChoice | None:
    """The ToolChoice of a dict tool_choice the builder sends back exactly; else None."""
    if not isinstance(raw, dict):
        return None
    kind = raw.get("type")
    choice: ToolChoice | None = None
    if kind in ("function", "custom"):
        inner = raw.get(kind) if api == "chat" else raw
        name = inner.get("name") if isinstance(inner, dict) else None
        if isinstance(name, str) and name:
            choice = ToolChoice(mode=kind, name=name)
    elif kind == "allowed_tools":
        inner = raw.get("allowed_tools") if api == "chat" else raw
        if isinstance(inner, dict) and inner.get("mode") in ("auto", "required"):
            refs = inner.get("tools")
            if isinstance(refs, list) and all(isinstance(r, dict) for r in refs):
                flat = [_flat(r) if api == "chat" else dict(r) for r in refs]
                choice = ToolChoice(mode="allowed_tools", allowed_mode=inner["mode"], allowed=flat)
    elif kind == "mcp" and isinstance(raw.get("server_label"), str) and api == "responses":
        name = raw.get("name")
        choice = ToolChoice(
            mode="mcp", server_label=raw["server_label"], name=name if name else None
        )
    elif kind in HOSTED_CHOICES and set(raw) == {"type"}:
        choice = ToolChoice(mode="hosted", hosted=kind)
    return choice if choice is not None and _sent(choice, api) == raw else None


def _flat(ref: dict[str, Any]) -> dict[str, Any]:
    """A Chat allowed-tool reference `{"type": "function", "function": {"name": n}}` as
    `{"type": "function", "name": n}`; others as given."""
    kind = ref.get("type")
    inner = ref.get(kind) if isinstance(kind, str) else None
    if set(ref) == {"type", kind} and isinstance(inner, dict) and set(inner) == {"name"}:
        return {"type": kind, "name": inner["name"]}
    return dict(ref)


def _sent(choice: ToolChoice, api: str) -> Any:
    if choice.mode in ("function", "custom"):
        if api == "chat":
            return {"type": choice.mode, choice.mode: {"name": choice.name}}
        return {"type": choice.mode, "name": choice.name}
    if choice.mode == "hosted":
        return {"type": choice.hosted}
    if choice.mode == "mcp":
        out = {"type": "mcp", "server_label": choice.server_label}
        return {**out, "name": choice.name} if choice.name else out
    tools = [allowed_ref(r, api) for r in choice.allowed]
    if api == "chat":
        return {
            "type": "allowed_tools",
            "allowed_tools": {"mode": choice.allowed_mode, "tools": tools},
        }
    return {"type": "allowed_tools", "mode": choice.allowed_mode, "tools": tools}


HOSTED_ORDER = ("web_search", "file_search", "code_interpreter", "image_generation")
"""The hosted tools the builder writes, in the order it writes them (after function and
custom tools, before the tools kept as given)."""


def read_hosted(builtin: BuiltinTools, raw: dict[str, Any], kinds: list[Any], i: int) -> bool:
    """Switch on the hosted tool `raw` (tools[i] of a Responses body whose tools have the types
    `kinds`) in `builtin` with its options, when the builder would write it back exactly and in
    the same place; False (and `builtin` unchanged) otherwise, so it is kept as given."""
    kind = raw.get("type")
    if kind not in HOSTED_ORDER:
        return False
    rank = HOSTED_ORDER.index(kind)
    editable = ("function", "custom", *HOSTED_ORDER[:rank])
    if not all(k in editable for k in kinds[:i]) or any(
        k in ("function", "custom") for k in kinds[i + 1 :]
    ):
        return False
    if kind == "web_search" and not builtin.web_search:
        web = read_web_search(raw)
        if web is not None:
            builtin.web_search, builtin.web_options = True, web
            return True
    elif kind == "file_search" and not builtin.file_search:
        files = read_file_search(raw)
        if files is not None:
            builtin.file_search = True
            builtin.vector_store_ids, builtin.file_options = files
            return True
    elif kind == "code_interpreter" and not builtin.code_interpreter:
        code = read_code_interpreter(raw)
        if code is not None:
            builtin.code_interpreter, builtin.code_options = True, code
            return True
    elif kind == "image_generation" and not builtin.image_generation:
        image = read_image_generation(raw)
        if image is not None:
            builtin.image_generation, builtin.image_options = True, image
            return True
    return False


def mark_includes(builtin: BuiltinTools, include: list[Any]) -> set[str]:
    """Tick the sources/results options of the switched-on hosted tools whose `include`
    values (core/hosted_options.HOSTED_INCLUDES) the body's `include` list names; the values
    so claimed (the include parameter leaves them to the tools' options)."""
    claimed: set[str] = set()
    if builtin.web_search and WEB_SOURCES in include:
        builtin.web_options.include_sources = True
        claimed.add(WEB_SOURCES)
    if builtin.file_search and FILE_RESULTS in include:
        builtin.file_options.include_results = True
        claimed.add(FILE_RESULTS)
    if builtin.code_interpreter and CODE_OUTPUTS in include:
        builtin.code_options.include_outputs = True
        claimed.add(CODE_OUTPUTS)
    return claimed
