"""Import a request body of either API into a workspace: the inverse of the request builder.

What the app cannot edit is kept in extra_body, and every such case gets a note naming it, so
importing a body and exporting it as JSON gives back the same body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from playground.core import request
from playground.core.api_keys import CHAT_KEYS, RESPONSES_KEYS
from playground.core.profiles import ProviderProfile
from playground.core.workspace import (
    ROLES,
    BuiltinTools,
    FunctionTool,
    ImagePart,
    Message,
    OutputFormat,
    Parameters,
    Part,
    RawPart,
    TextPart,
    ToolCall,
    ToolChoice,
    Workspace,
)


class ImportRefused(Exception):
    """The source cannot be imported at all; the message says why and where."""


@dataclass
class ImportResult:
    """A workspace, plus a note for everything that was not understood or not imported."""

    workspace: Workspace
    notes: list[str] = field(default_factory=list)
    kind: str = "json"
    profile: ProviderProfile | None = None


_SIMPLE = (
    "temperature",
    "top_p",
    "presence_penalty",
    "frequency_penalty",
    "seed",
    "n",
    "logprobs",
    "top_logprobs",
    "store",
    "service_tier",
    "metadata",
    "parallel_tool_calls",
    "previous_response_id",
    "reasoning_effort",
    "verbosity",
)
_STRUCTURAL = ("messages", "input", "tools")


class _Reader:
    def __init__(self, body: dict[str, Any], api: str) -> None:
        self.body = body
        self.api = api
        self.notes: list[str] = []
        self.params: dict[str, Any] = {}
        self.extra: dict[str, Any] = {}

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

    def part(self, raw: Any, where: str) -> Part | None:
        if not isinstance(raw, dict):
            self.note(f"{where}: a content part must be an object; not imported")
            return None
        kind = raw.get("type")
        if kind in ("text", "input_text", "output_text"):
            return TextPart(text=str(raw.get("text", "")))
        if kind == "image_url":
            image = raw.get("image_url") or {}
            url = image.get("url") if isinstance(image, dict) else image
            return ImagePart(
                url=str(url), detail=image.get("detail") if isinstance(image, dict) else None
            )
        if kind == "input_image":
            return ImagePart(url=raw.get("image_url"), detail=raw.get("detail"))
        self.note(f"{where}: content parts of type {kind!r} are not editable here; sent as given")
        return RawPart(data=raw)

    def content(self, raw: Any, where: str) -> str | list[Part]:
        if raw is None:
            return ""
        if isinstance(raw, str):
            return raw
        if isinstance(raw, list):
            parts = [self.part(p, f"{where}[{i}]") for i, p in enumerate(raw)]
            return [p for p in parts if p is not None]
        self.note(f"{where}: content must be a string or a list of parts; not imported")
        return ""

    # -- conversation ------------------------------------------------------------------------

    def chat_messages(self, raw: Any) -> list[Message]:
        if not isinstance(raw, list):
            self.note("messages: must be a list of messages; not imported")
            return []
        out: list[Message] = []
        for i, m in enumerate(raw):
            where = f"messages[{i}]"
            role = m.get("role") if isinstance(m, dict) else None
            if role == "function":
                self.note(
                    f"{where}: role 'function' is the retired function-calling role; "
                    "use role 'tool' with a tool_call_id. Not imported."
                )
                continue
            if role not in ROLES:
                self.note(
                    f"{where}: unknown role {role!r} (expected one of "
                    f"{', '.join(ROLES)}); not imported"
                )
                continue
            calls = [
                ToolCall(
                    id=str(c.get("id", "")),
                    name=str((c.get("function") or {}).get("name", "")),
                    arguments=str((c.get("function") or {}).get("arguments", "")),
                )
                for c in m.get("tool_calls") or []
                if isinstance(c, dict)
            ]
            out.append(
                Message(
                    role=role,
                    content=self.content(m.get("content"), where),
                    tool_calls=calls,
                    tool_call_id=m.get("tool_call_id"),
                    name=m.get("name"),
                )
            )
        return out

    def responses_input(self, raw: Any) -> tuple[list[Message], bool]:
        if isinstance(raw, str):
            return [Message(role="user", content=raw)], True
        if not isinstance(raw, list):
            self.note("input: must be a string or a list of items; not imported")
            return [], False
        out: list[Message] = []
        for i, item in enumerate(raw):
            where = f"input[{i}]"
            if not isinstance(item, dict):
                self.note(f"{where}: an input item must be an object; not imported")
                continue
            kind = item.get("type", "message")
            if kind == "message":
                role = item.get("role")
                if role not in ROLES or role == "tool":
                    self.note(f"{where}: unknown role {role!r}; not imported")
                    continue
                out.append(Message(role=role, content=self.content(item.get("content"), where)))
            elif kind == "function_call":
                call = ToolCall(
                    id=str(item.get("call_id", "")),
                    name=str(item.get("name", "")),
                    arguments=str(item.get("arguments", "")),
                    item_id=item.get("id"),
                )
                last = out[-1] if out else None
                if (
                    last is not None
                    and last.role == "assistant"
                    # the builder writes a text message, then its calls; an empty message
                    # without calls stays a message of its own
                    and (last.tool_calls or (isinstance(last.content, str) and last.content))
                ):
                    last.tool_calls.append(call)
                else:
                    out.append(Message(role="assistant", content="", tool_calls=[call]))
            elif kind == "function_call_output":
                output = item.get("output")
                text = output if isinstance(output, str) else ""
                if not isinstance(output, str):
                    self.note(f"{where}: only text tool outputs are supported; imported empty")
                out.append(Message(role="tool", content=text, tool_call_id=item.get("call_id")))
            else:
                self.note(f"{where}: items of type {kind!r} are not supported; not imported")
        return out, False

    # -- tools and formats -------------------------------------------------------------------

    def tools(self, raw: Any) -> tuple[list[FunctionTool], BuiltinTools, list[dict[str, Any]]]:
        tools: list[FunctionTool] = []
        builtin = BuiltinTools()
        other: list[dict[str, Any]] = []
        for i, t in enumerate(raw if isinstance(raw, list) else []):
            kind = t.get("type") if isinstance(t, dict) else None
            if kind == "function":
                spec = t.get("function", {}) if self.api == "chat" else t
                kwargs = {
                    "name": str(spec.get("name", "")),
                    "description": spec.get("description"),
                    "strict": spec.get("strict"),
                }
                if isinstance(spec.get("parameters"), dict):
                    kwargs["parameters"] = spec["parameters"]
                tools.append(FunctionTool(**kwargs))
            elif t == {"type": "web_search"} and self.api == "responses":
                builtin.web_search = True
            elif (
                kind == "file_search"
                and set(t) == {"type", "vector_store_ids"}
                and (self.api == "responses")
            ):
                builtin.file_search = True
                builtin.vector_store_ids = list(t.get("vector_store_ids") or [])
            elif t == {"type": "code_interpreter", "container": {"type": "auto"}} and (
                self.api == "responses"
            ):
                builtin.code_interpreter = True
            elif isinstance(t, dict):
                self.note(
                    f"tools[{i}]: a {kind} tool with these options is not editable here; "
                    "sent as given"
                )
                other.append(t)
            else:
                self.note(f"tools[{i}]: a tool must be an object; not imported")
        return tools, builtin, other

    def tool_choice(self, raw: Any) -> ToolChoice | None:
        if raw is None:
            return None
        if raw in ("auto", "none", "required"):
            return ToolChoice(mode=raw)
        if isinstance(raw, dict) and raw.get("type") == "function":
            name = raw.get("name") or (raw.get("function") or {}).get("name")
            if name:
                return ToolChoice(mode="function", name=name)
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
        ws["messages"] = r.chat_messages(body.get("messages"))
        ws["stream_usage"] = (body.get("stream_options") or {}).get("include_usage") is True
        fmt = r.output_format(body.get("response_format"), "response_format")
        for key in ("max_completion_tokens", "max_tokens"):
            if key in body:
                r.param("max_output_tokens", body[key], key)
                r.params["max_tokens_name"] = key
        if isinstance(body.get("stop"), list):
            r.param("stop", body["stop"], "stop")
    else:
        ws["instructions"] = body.get("instructions") or ""
        ws["messages"], ws["compact_input"] = r.responses_input(body.get("input"))
        text = body.get("text") or {}
        fmt = r.output_format(text.get("format"), "text.format")
        if "verbosity" in text:
            r.param("verbosity", text["verbosity"], "text.verbosity")
        reasoning = body.get("reasoning") or {}
        if "effort" in reasoning:
            r.param("reasoning_effort", reasoning["effort"], "reasoning.effort")
        if "summary" in reasoning:
            r.param("reasoning_summary", reasoning["summary"], "reasoning.summary")
        if "max_output_tokens" in body:
            r.param("max_output_tokens", body["max_output_tokens"], "max_output_tokens")
        if body.get("include") == ["message.output_text.logprobs"]:
            r.params["logprobs"] = True
    ws["output_format"] = fmt
    for key in _SIMPLE:
        if key in body and not (api == "responses" and key == "logprobs"):
            r.param(key, body[key], key)
    ws["tools"], ws["builtin_tools"], ws["extra_tools"] = r.tools(body.get("tools"))
    ws["tool_choice"] = r.tool_choice(body.get("tool_choice"))
    ws["params"] = Parameters(**r.params)
    workspace = Workspace(**ws)
    workspace = _reconcile(workspace, body, r)
    return ImportResult(workspace, r.notes)


def _reconcile(ws: Workspace, body: dict[str, Any], r: _Reader) -> Workspace:
    """Keep in extra_body every top-level value the workspace would not send as given."""
    built = request.build(ws.model_copy(update={"extra_body": None}))
    dropped = {f.path.split(".")[-1] for f in built.findings if "not be sent" in f.message}
    extra = dict(r.extra)
    for key, value in body.items():
        if built.body.get(key, _MISSING) == value and key not in extra:
            continue
        if key in _STRUCTURAL:
            r.note(f"{key}: parts of it could not be represented exactly (see the notes above)")
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
        if key not in body and key not in extra and key not in ("model", "messages", "input"):
            r.note(f"{key}: the app adds it when sending this request")
    return ws.model_copy(update={"extra_body": extra or None})


_MISSING = object()
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
