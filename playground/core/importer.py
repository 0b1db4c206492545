"""Import a request body of either API into a workspace: the inverse of the request builder.

What the app cannot edit is kept as given: top-level values in extra_body, messages and input
items in `Message.item` (see import_items), and every such case gets a note naming it, so
importing a body and exporting it as JSON gives back the same body, modulo the normalisations
the README lists ("Import normalisations").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from playground.core import catalog, request, variables
from playground.core.api_keys import CHAT_KEYS, RESPONSES_KEYS
from playground.core.import_items import ConversationReader
from playground.core.import_tools import custom_tool, mark_includes, read_hosted, tool_choice
from playground.core.mcp_tools import McpTool, mcp_tool_from, placeholder
from playground.core.params import read_body
from playground.core.profiles import ProviderProfile, is_credential_header
from playground.core.workspace import (
    BuiltinTools,
    CustomTool,
    FunctionTool,
    OutputFormat,
    Parameters,
    ToolChoice,
    Workspace,
)


class ImportRefused(Exception):
    """The source cannot be imported at all; the message says why and where."""


@dataclass
class ImportResult:
    """A workspace, plus a note for everything that was not understood or not imported.

    `profile` is a proposal (where the request was sent, never its key): the caller offers it
    to the user and applies it only when accepted.
    """

    workspace: Workspace
    notes: list[str] = field(default_factory=list)
    kind: str = "json"
    profile: ProviderProfile | None = None


_STRUCTURAL = ("messages", "input", "tools")


class _Reader:
    def __init__(self, body: dict[str, Any], api: str) -> None:
        self.body = body
        self.api = api
        self.notes: list[str] = []
        self.params: dict[str, Any] = {}
        self.extra: dict[str, Any] = {}
        # max_tokens read for a model that takes only max_completion_tokens
        self.renamed_token_limit = False
        self.conversation = ConversationReader(api, self.note)
        self.custom_tools: list[CustomTool] = []
        self.mcp_tools: list[McpTool] = []

    def note(self, text: str) -> None:
        self.notes.append(text)

    # -- values ------------------------------------------------------------------------------

    def param(self, name: str, value: Any, key: str) -> None:
        try:
            Parameters(**{name: value})
        except ValidationError:
            self.note(f"{key}: {value!r} is not a valid value here; kept as given in extra_body")
            self.extra[key] = value
            return
        self.params[name] = value

    # -- tools and formats -------------------------------------------------------------------

    def tools(self, raw: Any) -> tuple[list[FunctionTool], BuiltinTools, list[dict[str, Any]]]:
        tools: list[FunctionTool] = []
        builtin = BuiltinTools()
        other: list[dict[str, Any]] = []
        listed = raw if isinstance(raw, list) else []
        kinds = [t.get("type") if isinstance(t, dict) else None for t in listed]
        self.custom_tools = []
        self.mcp_tools = []
        for i, t in enumerate(listed):
            kind = kinds[i]
            # a custom tool is editable where the builder puts it: after the function tools,
            # before every other tool
            ordered = "function" not in kinds[i:] and all(
                k in ("function", "custom") for k in kinds[:i]
            )
            custom = custom_tool(t, self.api) if kind == "custom" and ordered else None
            if custom is not None and len(self.custom_tools) == sum(
                k == "custom" for k in kinds[:i]
            ):
                self.custom_tools.append(custom)
            elif kind == "function":
                spec = t.get("function", {}) if self.api == "chat" else t
                kwargs = {
                    "name": str(spec.get("name", "")),
                    "description": spec.get("description"),
                    "strict": spec.get("strict"),
                }
                if isinstance(spec.get("parameters"), dict):
                    kwargs["parameters"] = spec["parameters"]
                tools.append(FunctionTool(**kwargs))
            elif self.api == "responses" and not other and read_hosted(builtin, t, kinds, i):
                pass  # a hosted tool with options the editor writes
            elif kind == "mcp" and isinstance(t, dict):
                kept = self.mcp(i, t, kinds[i + 1 :])
                other += [kept] if kept is not None else []
            elif isinstance(t, dict):
                self.note(
                    f"tools[{i}]: a {kind} tool with these options is not editable here; "
                    "sent as given"
                )
                other.append(t)
            else:
                self.note(f"tools[{i}]: a tool must be an object; not imported")
        include = self.body.get("include")
        claimed = mark_includes(builtin, include if isinstance(include, list) else [])
        own = [v for v in self.params.get("include", []) if v not in claimed]
        self.params.pop("include", None)
        if own:
            self.params["include"] = own
        return tools, builtin, other

    def mcp(self, i: int, raw: dict[str, Any], after: list[Any]) -> dict[str, Any] | None:
        """Take an `mcp` tool as editable (None) where the builder writes it (after function,
        custom and hosted tools); else the tool to keep as given. Either way a credential
        header's value and an OAuth `authorization` token are never imported."""
        tool = mcp_tool_from(raw) if self.api == "responses" else None
        label = str(raw.get("server_label", ""))
        headers = raw.get("headers") if isinstance(raw.get("headers"), dict) else {}
        for name, value in (headers or {}).items():
            if is_credential_header(name) and value != placeholder(label, name):
                self.note(
                    f"tools[{i}].headers.{name}: a secret was left out; store it in the "
                    f"MCP server's settings (kept in the OS keyring)"
                )
        if tool is not None and not any(k in ("function", "custom") for k in after):
            self.mcp_tools.append(tool)
            return None
        kept = {k: v for k, v in raw.items() if k != "authorization"}
        if "authorization" in raw:
            self.note(f"tools[{i}].authorization: a token was left out; it is never imported")
        if headers:
            kept["headers"] = {
                k: placeholder(label, k) if is_credential_header(k) else v
                for k, v in headers.items()
            }
        self.note(f"tools[{i}]: an mcp tool with these options is not editable here; sent as given")
        return kept

    def tool_choice(self, raw: Any) -> ToolChoice | None:
        if raw is None:
            return None
        if raw in ("auto", "none", "required"):
            return ToolChoice(mode=raw)
        choice = tool_choice(raw, self.api)
        if choice is not None:
            return choice
        self.note(f"tool_choice: {raw!r} is not supported; kept in extra_body")
        self.extra["tool_choice"] = raw
        return None

    def output_format(self, raw: Any, key: str) -> OutputFormat | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or raw.get("type") not in (
            "text",
            "json_object",
            "json_schema",
        ):
            self.note(f"{key}: {raw!r} is not a known output format; kept in extra_body")
            return None
        if raw["type"] != "json_schema":
            return OutputFormat(type=raw["type"])
        spec = raw.get("json_schema", {}) if self.api == "chat" else raw
        return OutputFormat(
            type="json_schema",
            name=str(spec.get("name", "response")),
            description=spec.get("description"),
            json_schema=spec.get("schema") or {},
            strict=spec.get("strict"),
        )


def _api_of(body: dict[str, Any]) -> str:
    if "messages" in body and "input" not in body:
        return "chat"
    if "input" in body or "instructions" in body or "previous_response_id" in body:
        return "responses"
    raise ImportRefused(
        "not a request body: it has neither 'messages' (Chat Completions) nor 'input' (Responses)"
    )


def from_body(body: Any, api: str | None = None) -> ImportResult:
    """The workspace that sends `body`, with notes for whatever it cannot represent."""
    if not isinstance(body, dict):
        raise ImportRefused("a request body must be a JSON object")
    api = api or _api_of(body)
    r = _Reader(body, api)
    ws: dict[str, Any] = {
        "api": api,
        "model": str(body.get("model") or ""),
        "stream": body.get("stream") is True,
    }
    if not ws["model"]:
        r.note("model: missing; set a model before running")
    if api == "chat":
        ws["messages"] = r.conversation.chat_messages(body.get("messages"))
        ws["stream_usage"] = (body.get("stream_options") or {}).get("include_usage") is True
        fmt = r.output_format(body.get("response_format"), "response_format")
    else:
        ws["instructions"] = body.get("instructions") or ""
        ws["messages"], ws["compact_input"] = r.conversation.responses_input(body.get("input"))
        if isinstance(body.get("conversation"), str) and body["conversation"]:
            # runs in a Conversation (core/state_modes.py): the tab's state says so
            ws["state"], ws["conversation_id"] = "conversation", body["conversation"]
        text = body.get("text") or {}
        fmt = r.output_format(text.get("format"), "text.format")
    ws["output_format"] = fmt
    # every declared parameter, read from its wire path (core.params)
    for name, (key, value) in read_body(api, body).items():
        if name == "stop" and not isinstance(value, list):
            continue  # a lone stop string stays in extra_body, exactly as given
        if key == "max_tokens" and _refuses_max_tokens(ws["model"]):
            # older code for a model that refuses the old name: the limit is kept and sent
            # under the name the model takes
            r.note(f"max_tokens: {ws['model']} takes max_completion_tokens; sent as that")
            r.param(name, value, key)
            r.renamed_token_limit = True
            continue
        r.param(name, value, key)
        if name == "max_output_tokens" and api == "chat" and name in r.params:
            r.params["max_tokens_name"] = key
    ws["tools"], ws["builtin_tools"], ws["extra_tools"] = r.tools(body.get("tools"))
    ws["custom_tools"] = r.custom_tools
    ws["mcp_tools"] = r.mcp_tools
    ws["tool_choice"] = r.tool_choice(body.get("tool_choice"))
    ws["params"] = Parameters(**r.params)
    workspace = Workspace(**ws)
    escaped = variables.escaped(workspace)
    if escaped is not workspace:
        # a body's `{{` was sent as written: it stays text, not a variable
        workspace = escaped
        r.note(
            "{{: written as \\{{ in the texts so that it is sent as it is, not filled as a "
            "variable (delete the backslash to make it one)"
        )
    workspace = _reconcile(workspace, body, r)
    return ImportResult(workspace, r.notes)


def _refuses_max_tokens(model: str) -> bool:
    info = catalog.lookup(model)
    return info.known and info.reasoning


def _reconcile(ws: Workspace, body: dict[str, Any], r: _Reader) -> Workspace:
    """Keep in extra_body every top-level value the workspace would not send as given."""
    built = request.build(ws.model_copy(update={"extra_body": None}))
    dropped = {f.path.split(".")[-1] for f in built.findings if "not be sent" in f.message}
    extra = dict(r.extra)
    renamed = {"max_tokens": "max_completion_tokens"} if r.renamed_token_limit else {}
    for key, value in body.items():
        if built.body.get(key, _MISSING) == value and key not in extra:
            continue
        if key in renamed and built.body.get(renamed[key]) == value:
            continue  # sent under the name the model takes (noted where it was read)
        if key in _STRUCTURAL:
            # the element that differs has its own note when the reader left it out
            where = _first_difference(key, built.body.get(key), value)
            if not any(n.startswith((where + ":", where + ".")) for n in r.notes):
                r.note(f"{where}: could not be represented exactly; imported as shown")
        elif key in dropped or (key == "max_tokens" and "max_tokens_name" in dropped):
            r.note(f"{key}: {ws.model} does not accept it; imported, but it will not be sent")
        else:
            known = CHAT_KEYS if ws.api == "chat" else RESPONSES_KEYS
            api_name = "Chat Completions" if ws.api == "chat" else "Responses"
            if key not in known:
                r.note(
                    f"{key}: not a parameter of the {api_name} API (the server will refuse "
                    "it); kept in extra_body as given"
                )
            elif key not in r.extra and key not in _KNOWN_BODY_KEYS:
                r.note(f"{key}: not a parameter the app edits; kept in extra_body")
            extra[key] = value
    for key in built.body:
        if key in renamed.values():
            continue
        if key not in body and key not in extra and key not in ("model", "messages", "input"):
            r.note(f"{key}: the app adds it when sending this request")
    return ws.model_copy(update={"extra_body": extra or None})


_MISSING = object()


def _first_difference(key: str, built: Any, given: Any) -> str:
    """`key[i]` for the first element where the two lists differ, else `key`."""
    if isinstance(built, list) and isinstance(given, list):
        for i, (a, b) in enumerate(zip(built, given, strict=False)):
            if a != b:
                return f"{key}[{i}]"
        return f"{key}[{min(len(built), len(given))}]"
    return key


_KNOWN_BODY_KEYS = frozenset(
    {
        "stream",
        "stream_options",
        "stop",
        "include",
        "text",
        "reasoning",
        "response_format",
        "tool_choice",
    }
)
