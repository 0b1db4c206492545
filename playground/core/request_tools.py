"""Tools and tool choice of a request, for both APIs (the request builder's part).

Responses takes `{"type": "function", "name", ...}` and `{"type": "custom", "name",
"description", "format"}` tools; Chat Completions nests them: `{"type": "function",
"function": {...}}`, `{"type": "custom", "custom": {"name", "description", "format"}}` with a
grammar format as `{"type": "grammar", "grammar": {"definition", "syntax"}}` (spec
CustomToolParam, CustomToolChatCompletions, ToolChoiceParam, ChatCompletionToolChoiceOption,
checked 2026-12-01). Hosted tools (Responses only) come after the custom tools, in the order
web search, file search, code interpreter, image generation (core/hosted_options.py), and
their sources/results options add `include` values (before the logprobs one).
"""

from __future__ import annotations

from typing import Any

from playground.core.choice_refs import missing_tool
from playground.core.findings import Finding
from playground.core.hosted_options import (
    CODE_OUTPUTS,
    FILE_RESULTS,
    HOSTED_INCLUDES,
    WEB_SOURCES,
    code_interpreter_tool,
    file_search_tool,
    image_generation_tool,
    option_findings,
    web_search_tool,
)
from playground.core.mcp_tools import mcp_tool_spec
from playground.core.profiles import base_url_problem
from playground.core.workspace import HOSTED_CHOICES, CustomTool, Workspace


def custom_format(tool: CustomTool, api: str) -> dict[str, Any] | None:
    """The tool's `format` as `api` ("responses" or "chat") takes it; None sends none."""
    fmt = tool.format
    if fmt is None:
        return None
    if fmt.type == "text":
        return {"type": "text"}
    if api == "chat":
        return {
            "type": "grammar",
            "grammar": {"definition": fmt.definition, "syntax": fmt.syntax},
        }
    return {"type": "grammar", "syntax": fmt.syntax, "definition": fmt.definition}


def custom_tool_spec(tool: CustomTool, api: str) -> dict[str, Any]:
    """The tool as `api` takes it in `tools`."""
    spec: dict[str, Any] = {"name": tool.name}
    if tool.description is not None:
        spec["description"] = tool.description
    fmt = custom_format(tool, api)
    if fmt is not None:
        spec["format"] = fmt
    if api == "chat":
        return {"type": "custom", "custom": spec}
    return {"type": "custom", **spec}


def allowed_ref(ref: dict[str, Any], api: str) -> dict[str, Any]:
    """An allowed_tools entry in `api`'s shape: Chat nests a function's or custom tool's
    name (`{"type": "function", "function": {"name"}}`), Responses names it flat."""
    kind, name = ref.get("type"), ref.get("name")
    if api == "chat" and kind in ("function", "custom") and isinstance(name, str):
        return {"type": kind, kind: {"name": name}}
    return dict(ref)


class ToolBuilder:
    """The tools and tool choice of a request; `request._Builder` mixes it in."""

    ws: Workspace
    findings: list[Finding]

    def note(self, path: str, message: str, severity: str = "warning") -> None:
        raise NotImplementedError

    def function_tools(self) -> list[dict[str, Any]]:
        tools = []
        for tool in self.ws.enabled_tools():
            spec: dict[str, Any] = {"name": tool.name}
            if tool.description is not None:
                spec["description"] = tool.description
            spec["parameters"] = tool.parameters
            if tool.strict is not None:
                spec["strict"] = tool.strict
            if self.ws.api == "chat":
                tools.append({"type": "function", "function": spec})
            else:
                tools.append({"type": "function", **spec})
        return tools

    def custom_tools(self) -> list[dict[str, Any]]:
        return [custom_tool_spec(t, self.ws.api) for t in self.ws.enabled_custom_tools()]

    def builtin_tools(self) -> list[dict[str, Any]]:
        b = self.ws.builtin_tools
        wanted = [b.web_search, b.file_search, b.code_interpreter, b.image_generation]
        if not any(wanted):
            return []
        if self.ws.api == "chat":
            self.note(
                "builtin_tools",
                "built-in tools (web search, file search, code interpreter, image generation) "
                "exist only in the Responses API; they will not be sent",
            )
            return []
        out: list[dict[str, Any]] = []
        if b.web_search:
            out.append(web_search_tool(b.web_options))
        if b.file_search:
            if not b.vector_store_ids:
                self.note(
                    "builtin_tools.vector_store_ids",
                    "file search needs at least one vector store id",
                    "error",
                )
            out.append(file_search_tool(b.vector_store_ids, b.file_options))
        if b.code_interpreter:
            out.append(code_interpreter_tool(b.code_options))
        if b.image_generation:
            out.append(image_generation_tool(b.image_options))
        for path, message in option_findings(b):
            self.note(path, message)
        return out

    def mcp_tools(self) -> list[dict[str, Any]]:
        """Enabled MCP tools (Responses only; a Chat request gets a note and none)."""
        tools = [t for t in self.ws.mcp_tools if t.enabled]
        if not tools:
            return []
        if self.ws.api == "chat":
            self.note("mcp_tools", "MCP tools exist only in the Responses API; not sent")
            return []
        labels = [t.server_label for t in tools]
        for i, tool in enumerate(tools):
            if not tool.server_label.strip():
                self.note(f"mcp_tools.{i}", "an MCP server needs a label", "error")
            elif labels.count(tool.server_label) > 1:
                self.note(
                    f"mcp_tools.{i}", f"two MCP servers are labelled {tool.server_label}", "error"
                )
            if (tool.server_url is None) == (tool.connector_id is None):
                self.note(
                    f"mcp_tools.{i}",
                    f"MCP server {tool.server_label}: give a server URL or a connector id",
                    "error",
                )
            elif bad := base_url_problem(tool.server_url, "the server URL"):
                self.note(f"mcp_tools.{i}", f"MCP server {tool.server_label}: {bad}", "error")
        return [mcp_tool_spec(t) for t in tools]

    def hosted_includes(self) -> list[str]:
        """The `include` values the switched-on hosted tools ask for (Responses only), in
        HOSTED_INCLUDES order."""
        b = self.ws.builtin_tools
        if self.ws.api != "responses":
            return []
        wanted = {
            WEB_SOURCES: b.web_search and b.web_options.include_sources,
            FILE_RESULTS: b.file_search and b.file_options.include_results,
            CODE_OUTPUTS: b.code_interpreter and b.code_options.include_outputs,
        }
        return [value for value in HOSTED_INCLUDES if wanted[value]]

    def tool_choice(self, have_tools: bool) -> Any:
        choice, api = self.ws.tool_choice, self.ws.api
        if choice is None:
            return None
        if choice.mode in ("auto", "none", "required"):
            return choice.mode
        if choice.mode == "hosted":
            if choice.hosted not in HOSTED_CHOICES:
                self.note("tool_choice", "choose which hosted tool the model must use", "error")
                return None
            if api == "chat":
                self.note("tool_choice", "hosted tools exist only in the Responses API", "error")
            return {"type": choice.hosted}
        if choice.mode == "mcp":
            label = choice.server_label
            labels = {t.server_label: t.enabled for t in self.ws.mcp_tools}
            if api == "chat":  # short: the toolbar shows it beside Run
                self.note("tool_choice", "tool_choice: MCP needs the Responses API", "error")
            elif label not in labels:
                self.note("tool_choice", f"tool_choice: no MCP server {label}", "error")
            elif not labels[label]:
                self.note("tool_choice", f"tool_choice: MCP server {label} is off", "error")
            out = {"type": "mcp", "server_label": choice.server_label}
            return {**out, "name": choice.name} if choice.name else out
        if choice.mode == "allowed_tools":
            if not choice.allowed:
                self.note("tool_choice", "choose at least one allowed tool", "error")
            tools = [allowed_ref(r, api) for r in choice.allowed]
            if api == "chat":
                return {
                    "type": "allowed_tools",
                    "allowed_tools": {"mode": choice.allowed_mode, "tools": tools},
                }
            return {"type": "allowed_tools", "mode": choice.allowed_mode, "tools": tools}
        kind = choice.mode  # "function" or "custom"
        word = "function" if kind == "function" else "custom tool"
        if not choice.name:
            self.note("tool_choice", f"choose which {word} the model must call", "error")
            return None
        known = self.ws.tool(choice.name) if kind == "function" else None
        if kind == "custom":
            known = self.ws.custom_tool(choice.name)  # type: ignore[assignment]
        if known is None:
            self.note(
                "tool_choice",
                f"tool_choice names {choice.name}, which is not a defined {word}",
                "error",
            )
        elif not known.enabled:
            self.note(
                "tool_choice",
                f"tool_choice names {choice.name}, which is switched off: switch it on "
                "in the Tools tab or choose another",
                "error",
            )
        if api == "chat":
            return {"type": kind, kind: {"name": choice.name}}
        return {"type": kind, "name": choice.name}

    def common_tools(self, kwargs: dict[str, Any]) -> None:
        tools = (
            self.function_tools()
            + self.custom_tools()
            + self.builtin_tools()
            + self.mcp_tools()
            + [dict(t) for t in self.ws.extra_tools]
        )
        if tools:
            kwargs["tools"] = tools
        for value in self.hosted_includes():
            include = kwargs.setdefault("include", [])
            if value not in include:
                include.append(value)
        choice = self.tool_choice(bool(tools))
        if choice is not None and not tools and choice in ("auto", "none"):
            if self.ws.api == "chat":  # Chat refuses a tool_choice without tools
                self.note("tool_choice", "there are no tools to choose from; not sent", "info")
                return
        elif choice == "required" and not tools:
            self.note("tool_choice", "required needs a tool: add or switch one on", "error")
        elif (missing := missing_tool(choice, tools)) is not None and not self.choice_noted():
            self.note(
                "tool_choice",
                f"tool_choice names {missing}, which this request does not send "
                "(add it or switch it on)",
                "error",
            )
        if choice is not None:
            kwargs["tool_choice"] = choice

    def choice_noted(self) -> bool:
        return any(f.path == "tool_choice" and f.severity == "error" for f in self.findings)
