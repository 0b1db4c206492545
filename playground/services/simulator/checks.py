"""The simulator's request checks: the live API's 400s, with its exact messages and params."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playground.core import catalog
from playground.core.api_keys import CHAT_KEYS, RESPONSES_KEYS
from playground.core.catalog import ModelInfo
from playground.core.model_rules import refusals
from playground.core.params import declarations, read_body
from playground.core.schema_rules import NAME_RE, missing_required, strict_issues, subschema
from playground.services.simulator.choice_checks import check_choices, check_tool_choice
from playground.services.simulator.protocol import (
    SimError,
    english_list,
    model_not_found,
    type_name,
)

CHAT_ROLES = ("system", "assistant", "user", "function", "tool", "developer")
# The API's own range checks, from the parameter declarations (core.params): the body name and
# (low, high) of every declared number with both bounds.
_NUMERIC = {
    wire: (decl.low, decl.high, decl.kind == "int")
    for decl in declarations().values()
    for wire in {decl.wire.get("chat"), decl.wire.get("responses")} - {None}
    if decl.kind in ("float", "int")
    and decl.low is not None
    and decl.high is not None
    and "." not in str(wire)
    and not str(wire).startswith("$")
}


def _bad(message: str, param: str | None = None, code: str | None = None) -> SimError:
    return SimError(400, message, param=param, code=code)


def resolve_model(body: dict[str, Any], known: Callable[[str], bool]) -> ModelInfo:
    model = body.get("model")
    if not model:
        raise _bad("you must provide a model parameter", "model", "missing_required_parameter")
    if not isinstance(model, str):
        raise _bad(
            f"Invalid type for 'model': expected a string, but got {type_name(model)} instead.",
            "model",
            "invalid_type",
        )
    info = catalog.lookup(model)
    if not info.known and not known(model):
        raise model_not_found(model)
    return info


def _numbers(body: dict[str, Any]) -> None:
    for key, (low, high, integer) in _NUMERIC.items():
        if key not in body or body[key] is None:
            continue
        value = body[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (integer and not isinstance(value, int))
        ):
            kind = "an integer" if integer else "a decimal"
            raise _bad(
                f"Invalid type for '{key}': expected {kind}, but got {type_name(value)} instead.",
                key,
                "invalid_type",
            )
        kind = "integer" if integer else "decimal"
        if value > high:
            raise _bad(
                f"Invalid '{key}': {kind} above maximum value. Expected a value <= {high}, "
                f"but got {value} instead.",
                key,
                f"{kind}_above_max_value",
            )
        if value < low:
            raise _bad(
                f"Invalid '{key}': {kind} below minimum value. Expected a value >= {low}, "
                f"but got {value} instead.",
                key,
                f"{kind}_below_min_value",
            )


def _check_schema(kind: str, name: str, schema: Any, param: str, code: str) -> None:
    issues = strict_issues(schema)
    if not issues:
        return
    path, rule, message = issues[0]
    context = "(" + ", ".join(repr(p) for p in path.split(".") if p) + ")"
    if rule == "additional_properties":
        detail = "'additionalProperties' is required to be supplied and to be false."
    elif rule == "required":
        first = missing_required(subschema(schema, path))[0]
        detail = (
            "'required' is required to be supplied and to be an array including every key "
            f"in properties. Missing '{first}'."
        )
    else:
        detail = message[0].upper() + message[1:] + "."
    raise _bad(f"Invalid schema for {kind} '{name}': In context={context}, {detail}", param, code)


def _check_tools(tools: Any, api: str) -> None:
    if tools is None:
        return
    if not isinstance(tools, list):
        raise _bad(
            f"Invalid type for 'tools': expected an array, but got {type_name(tools)} instead.",
            "tools",
            "invalid_type",
        )
    for i, tool in enumerate(tools):
        if not isinstance(tool, dict) or tool.get("type") != "function":
            continue
        spec = tool.get("function", {}) if api == "chat" else tool
        prefix = f"tools[{i}].function" if api == "chat" else f"tools[{i}]"
        name = spec.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise _bad(
                f"Invalid '{prefix}.name': string does not match pattern. Expected a string "
                "that matches the pattern '^[a-zA-Z0-9_-]+$'.",
                f"{prefix}.name",
                "invalid_value",
            )
        if spec.get("strict"):
            _check_schema(
                "function",
                name,
                spec.get("parameters"),
                f"{prefix}.parameters",
                "invalid_function_parameters",
            )


def _check_model_rules(body: dict[str, Any], info: ModelInfo, api: str) -> None:
    """The model's refusals (core.model_rules, from the catalog), as the API answers them."""
    if not info.known:
        return
    values = {name: value for name, (_, value) in read_body(api, body).items()}
    raw = body.get("tools")
    tools: list[Any] = raw if isinstance(raw, list) else []
    # custom tools run on the client, like function tools: the rules for tools on Chat
    # name both (as the app's request builder does); the rest are hosted (or MCP)
    client = ("function", "custom")
    function_tools = any(isinstance(t, dict) and t.get("type") in client for t in tools)
    hosted = any(isinstance(t, dict) and t.get("type") not in (*client, None) for t in tools)
    found = refusals(info, api, values, function_tools, hosted)
    if found:
        first = found[0]
        raise _bad(first.message, first.wire, first.code)


def check_chat(body: dict[str, Any], known: Callable[[str], bool]) -> ModelInfo:
    """Raise the SimError the live API would answer with, or return the model's entry."""
    unknown = sorted(set(body) - CHAT_KEYS)
    if unknown:
        raise _bad(f"Unrecognized request argument supplied: {unknown[0]}")
    info = resolve_model(body, known)
    if info.known and "chat" not in info.apis:
        raise SimError(
            404,
            "This model is only supported in v1/responses and not in v1/chat/completions.",
            param="model",
            code=None,
        )
    messages = body.get("messages")
    if messages is None:
        raise _bad(
            "Missing required parameter: 'messages'.", "messages", "missing_required_parameter"
        )
    if not isinstance(messages, list) or not messages:
        raise _bad(
            "Invalid 'messages': empty array. Expected an array with minimum length 1, "
            "but got an empty array instead.",
            "messages",
            "empty_array",
        )
    for i, msg in enumerate(messages):
        role = msg.get("role") if isinstance(msg, dict) else None
        if role not in CHAT_ROLES:
            raise _bad(
                f"Invalid value: '{role}'. Supported values are: {english_list(list(CHAT_ROLES))}.",
                f"messages[{i}].role",
                "invalid_value",
            )
        if role == "function" and not msg.get("name"):
            raise _bad(
                f"Missing required parameter: 'messages[{i}].name'.",
                f"messages[{i}].name",
                "missing_required_parameter",
            )
    _numbers(body)
    if info.known and info.reasoning and "max_tokens" in body:
        raise _bad(
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            "max_tokens",
            "unsupported_parameter",
        )
    _check_model_rules(body, info, "chat")
    check_choices(body, "chat")
    check_tool_choice(body, "chat")
    if body.get("stop") is not None and isinstance(body["stop"], list) and len(body["stop"]) > 4:
        raise _bad(
            "Invalid 'stop': array too long. Expected an array with maximum length 4.",
            "stop",
            "array_above_max_length",
        )
    _check_tools(body.get("tools"), "chat")
    if body.get("parallel_tool_calls") is not None and not body.get("tools"):
        raise _bad(
            "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed "
            "when 'tools' are specified.",
            "parallel_tool_calls",
        )
    fmt = body.get("response_format")
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        spec = fmt.get("json_schema") or {}
        if spec.get("strict"):
            _check_schema(
                "response_format",
                str(spec.get("name")),
                spec.get("schema"),
                "response_format",
                "invalid_json_schema",
            )
    if isinstance(fmt, dict) and fmt.get("type") == "json_object":
        text = " ".join(str(m.get("content")) for m in messages)
        if "json" not in text.lower():
            raise _bad(
                "'messages' must contain the word 'json' in some form, to use "
                "'response_format' of type 'json_object'.",
                "messages",
            )
    _check_chat_pairing(messages)
    return info


def _check_chat_pairing(messages: list[dict[str, Any]]) -> None:
    open_ids: list[str] = []
    open_at = 0
    for i, msg in enumerate(messages):
        role = msg.get("role")
        if role == "tool":
            call_id = msg.get("tool_call_id")
            if call_id not in open_ids and not any(
                m.get("role") == "assistant" and m.get("tool_calls") for m in messages[:i]
            ):
                raise _bad(
                    "Invalid parameter: messages with role 'tool' must be a response to a "
                    "preceeding message with 'tool_calls'.",
                    f"messages.[{i}].role",
                )
            if call_id in open_ids:
                open_ids.remove(call_id)
            continue
        if open_ids:
            raise _bad(
                "An assistant message with 'tool_calls' must be followed by tool messages "
                "responding to each 'tool_call_id'. The following tool_call_ids did not have "
                f"response messages: {', '.join(open_ids)}",
                f"messages.[{open_at}].role",
            )
        if role == "assistant" and msg.get("tool_calls"):
            open_ids = [c.get("id") for c in msg["tool_calls"]]
            open_at = i
    if open_ids:
        raise _bad(
            "An assistant message with 'tool_calls' must be followed by tool messages "
            "responding to each 'tool_call_id'. The following tool_call_ids did not have "
            f"response messages: {', '.join(open_ids)}",
            f"messages.[{open_at}].role",
        )


def check_responses(body: dict[str, Any], known: Callable[[str], bool]) -> ModelInfo:
    """Raise the SimError the live API would answer with, or return the model's entry."""
    if "messages" in body:
        raise _bad(
            "Unsupported parameter: 'messages'. In the Responses API, this parameter has "
            "moved to 'input'. Try again with the new parameter.",
            "messages",
            "unsupported_parameter",
        )
    unknown = sorted(set(body) - RESPONSES_KEYS)
    if unknown:
        key = unknown[0]
        hint = " Did you mean 'store'?" if key in ("stop", "seed") else ""
        raise _bad(f"Unknown parameter: '{key}'.{hint}", key, "unknown_parameter")
    options = body.get("stream_options")
    if isinstance(options, dict) and "include_usage" in options:
        raise _bad(
            "Unknown parameter: 'stream_options.include_usage'.",
            "stream_options.include_usage",
            "unknown_parameter",
        )
    info = resolve_model(body, known)
    if "input" not in body and not body.get("previous_response_id"):
        raise _bad("Missing required parameter: 'input'.", "input", "missing_required_parameter")
    inp = body.get("input")
    if inp is not None and not isinstance(inp, str | list):
        raise _bad(
            f"Invalid type for 'input': expected one of a string or array of input items, "
            f"but got {type_name(inp)} instead.",
            "input",
            "invalid_type",
        )
    _numbers(body)
    limit = body.get("max_output_tokens")
    if isinstance(limit, int) and limit < 16:
        raise _bad(
            "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= "
            f"16, but got {limit} instead.",
            "max_output_tokens",
            "integer_below_min_value",
        )
    _check_model_rules(body, info, "responses")
    check_choices(body, "responses")
    check_tool_choice(body, "responses")
    text = body.get("text") or {}
    fmt = text.get("format") or {}
    if fmt.get("type") not in (None, "text", "json_object", "json_schema"):
        raise _bad(
            f"Invalid value: '{fmt.get('type')}'. Supported values are: 'text', "
            "'json_object', and 'json_schema'.",
            "text.format.type",
            "invalid_value",
        )
    if fmt.get("type") == "json_schema" and fmt.get("strict"):
        _check_schema(
            "response_format",
            str(fmt.get("name")),
            fmt.get("schema"),
            "text.format.schema",
            "invalid_json_schema",
        )
    _check_tools(body.get("tools"), "responses")
    _check_input_items(inp)
    return info


_ITEM_ROLES = ("user", "assistant", "system", "developer")


def _check_input_items(inp: Any) -> None:
    if not isinstance(inp, list):
        return
    for i, item in enumerate(inp):
        if not isinstance(item, dict):
            raise _bad(
                f"Invalid type for 'input[{i}]': expected an input item, but got "
                f"{type_name(item)} instead.",
                f"input[{i}]",
                "invalid_type",
            )
        kind = item.get("type", "message")
        if kind == "message" and item.get("role") not in _ITEM_ROLES:
            raise _bad(
                f"Invalid value: '{item.get('role')}'. Supported values are: "
                f"{english_list(list(_ITEM_ROLES))}.",
                f"input[{i}].role",
                "invalid_value",
            )


def check_responses_pairing(items: list[dict[str, Any]]) -> None:
    """Every function_call_output (custom_tool_call_output) answers a function call (custom
    tool call), and every call in context has an output."""
    calls: dict[str, str] = {}
    answered: set[str] = set()
    for item in items:
        kind = str(item.get("type"))
        if kind in ("function_call", "custom_tool_call"):
            calls[str(item.get("call_id"))] = kind.replace("_", " ")
        elif kind in ("function_call_output", "custom_tool_call_output"):
            call_id, what = str(item.get("call_id")), kind[: -len("_output")].replace("_", " ")
            if call_id not in calls:
                raise _bad(f"No tool call found for {what} output with call_id {call_id}.", "input")
            answered.add(call_id)
    for call_id, what in calls.items():
        if call_id not in answered:
            raise _bad(f"No tool output found for {what} {call_id}.", "input")
