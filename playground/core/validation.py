"""validate(workspace): every finding a person should see before sending.

Covers the model-family rules (through the request builder, which leaves out what a model
rejects), parameter ranges, tool and schema names, JSON Schema meta-validation, the
strict-mode rules, and the pairing of tool calls with tool results.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date

from playground.core import catalog, request, service_tiers, variables
from playground.core.findings import Finding
from playground.core.grammar import GRAMMAR_ERROR, check
from playground.core.lifecycle import lifecycle_finding
from playground.core.params import declarations
from playground.core.schema_rules import (
    LARGE_SCHEMA,
    NAME_RE,
    cached_issues,
    canonical,
    schema_issues,
)
from playground.core.workspace import Workspace

UNANSWERED_TOOL_CALL = "unanswered_tool_call"
"""The code of the finding "tool call <id> has no tool result yet" (path messages[i].tool_calls):
an assistant message's call that no later tool message answers. The window ignores it while a
run is going (the run itself answers it, or ends)."""

_DEFER: ContextVar[bool] = ContextVar("defer_large_schemas", default=False)


def _ranges(ws: Workspace) -> list[Finding]:
    """Each set parameter within its declared range (core.params) and the model's limits."""
    out: list[Finding] = []
    info = catalog.lookup(ws.model)
    for name, decl in declarations().items():
        value = getattr(ws.params, name, None)
        if value is None:
            continue
        if isinstance(value, list) and decl.kind == "flags":
            out += [
                Finding(f"params.{name}", "error", f"{name}: {v!r} is not one of its values")
                for v in value
                if v not in decl.choices
            ][:1]
            continue
        if isinstance(value, list | dict):
            if decl.max_items is not None and len(value) > decl.max_items:
                out.append(
                    Finding(
                        f"params.{name}",
                        "error",
                        f"{name}: at most {decl.max_items} are allowed; there are {len(value)}",
                    )
                )
            continue
        if isinstance(value, str) and decl.max_length is not None and len(value) > decl.max_length:
            out.append(
                Finding(
                    f"params.{name}",
                    "error",
                    f"{name} must be at most {decl.max_length} characters; it has {len(value)}",
                )
            )
            continue
        if isinstance(value, str) and decl.kind == "choice":
            out += _choice(ws, name, value, decl.choices_in(ws.api))
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        low, high = decl.low_in(ws.api), decl.high
        shown = name
        if name == "max_output_tokens" and ws.api == "chat":
            shown = ws.params.max_tokens_name or info.chat_token_param
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
            out.append(
                Finding(f"params.{name}", "error", f"{shown} must be {bounds}; it is {value:g}")
            )
    limit = ws.params.max_output_tokens
    if limit is not None and info.max_output is not None and limit > info.max_output:
        out.append(
            Finding(
                "params.max_output_tokens",
                "warning",
                f"{ws.model} writes at most {info.max_output} tokens; {limit} will be refused",
            )
        )
    return out


FLEX_NOT_OFFERED = "flex_not_offered"
"""The code of the finding "<model> does not offer flex processing" (params.service_tier)."""


def _choice(ws: Workspace, name: str, value: str, allowed: tuple[str, ...]) -> list[Finding]:
    """A "choice" value the API does not list (an error), or flex on a model the catalog
    prices no flex for (a warning: service_tiers.offers)."""
    if allowed and value not in allowed:
        where = "Responses" if ws.api == "responses" else "Chat Completions"
        listed = ", ".join(allowed)
        return [Finding(f"params.{name}", "error", f"{where} takes {name} {listed}; not {value}")]
    if name == "service_tier" and service_tiers.offers(catalog.lookup(ws.model), value) is False:
        return [
            Finding(
                "params.service_tier",
                "warning",
                f"{ws.model} does not offer flex processing (the catalog lists no flex price "
                "for it): the server may refuse it; pick another model or tier",
                FLEX_NOT_OFFERED,
            )
        ]
    return []


def _schema(label: str, path: str, schema: object, strict: bool | None) -> list[Finding]:
    if not isinstance(schema, dict):
        return [
            Finding(
                path, "error", f"{label}: not a valid JSON Schema: a schema must be a JSON object"
            )
        ]
    text = canonical(schema)
    if _DEFER.get() and len(text) > LARGE_SCHEMA and cached_issues(text, bool(strict)) is None:
        return [Finding(path, "error", f"{label}: checking this large schema…")]
    meta, strict_found = schema_issues(text, bool(strict))
    out = [
        Finding(f"{path}.{p}" if p else path, "error", f"{label}: not a valid JSON Schema: {m}")
        for p, m in meta
    ]
    for p, m in strict_found:
        where = f" ({path.rsplit('.', 1)[-1]}.{p})" if p else ""
        out.append(Finding(f"{path}.{p}" if p else path, "error", f"{label}: {m}{where}"))
    return out


def _tools(ws: Workspace) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    for i, tool in enumerate(ws.tools):
        path = f"tools[{i}]"
        if not NAME_RE.match(tool.name):
            out.append(
                Finding(
                    f"{path}.name",
                    "error",
                    f"tool name {tool.name!r} must be 1 to 64 letters, digits, _ or -",
                )
            )
        if tool.name in seen and tool.enabled:
            out.append(Finding(f"{path}.name", "error", f"two tools are named {tool.name}"))
        if tool.enabled:
            seen.add(tool.name)
        out += _schema(f"tool {tool.name}", f"{path}.parameters", tool.parameters, tool.strict)
    return out + _custom_tools(ws, seen)


def _custom_tools(ws: Workspace, seen: set[str]) -> list[Finding]:
    """Names as function tools' (one name space with them), and grammars that can be read."""
    out: list[Finding] = []
    for i, tool in enumerate(ws.custom_tools):
        path = f"custom_tools[{i}]"
        if not NAME_RE.match(tool.name):
            what = f"custom tool name {tool.name!r} must be 1 to 64 letters, digits, _ or -"
            out.append(Finding(f"{path}.name", "error", what))
        if not tool.enabled:
            continue
        if tool.name in seen:
            out.append(Finding(f"{path}.name", "error", f"two tools are named {tool.name}"))
        seen.add(tool.name)
        fmt = tool.format
        problem = check(fmt.syntax, fmt.definition) if fmt and fmt.type == "grammar" else None
        if problem is not None:
            what = f"custom tool {tool.name}: the grammar: {problem.describe()}"
            out.append(Finding(f"{path}.format.definition", "error", what, code=GRAMMAR_ERROR))
    return out


def _output_format(ws: Workspace) -> list[Finding]:
    fmt = ws.output_format
    if fmt is None or fmt.type == "text":
        return []
    if fmt.type == "json_object":
        sent = variables.filled(ws)  # the word may come from a variable's value
        text = sent.instructions + " ".join(m.text for m in sent.messages)
        if "json" not in text.lower():
            return [
                Finding(
                    "output_format",
                    "error",
                    "JSON mode needs the word 'json' somewhere in the instructions or messages",
                )
            ]
        return []
    out: list[Finding] = []
    if not NAME_RE.match(fmt.name):
        out.append(
            Finding(
                "output_format.name",
                "error",
                f"schema name {fmt.name!r} must be 1 to 64 letters, digits, _ or -",
            )
        )
    out += _schema(
        f"output schema {fmt.name}", "output_format.json_schema", fmt.json_schema, fmt.strict
    )
    return out


def _pairing(ws: Workspace) -> list[Finding]:
    """Every tool result answers an earlier call; every call is answered before the next turn.

    With `previous_response_id` (Responses API) the server prepends the stored response's items,
    so a tool result may answer a call made there: this workspace cannot see those calls, and the
    server checks them (400 "No tool call found for function call output with call_id ...";
    openai-protocol.md 2.5 and 2.6, checked 2026-11-30). The same holds after an
    `item_reference` item: it stands for a stored item (a call, perhaps) this workspace cannot
    see."""
    out: list[Finding] = []
    open_calls: dict[str, int] = {}
    carried = ws.api == "responses" and bool(ws.params.previous_response_id)
    for i, msg in enumerate(ws.messages):
        if ws.api == "responses" and msg.item is not None:
            carried = carried or msg.item.get("type") == "item_reference"
        if msg.role == "tool":
            if not msg.tool_call_id:
                out.append(
                    Finding(
                        f"messages[{i}].tool_call_id",
                        "error",
                        "a tool message must name the tool call id it answers",
                    )
                )
            elif msg.tool_call_id not in open_calls and not carried:
                out.append(
                    Finding(
                        f"messages[{i}].tool_call_id",
                        "error",
                        f"tool result {msg.tool_call_id} answers no earlier tool call",
                    )
                )
            else:
                open_calls.pop(msg.tool_call_id, None)
            continue
        out += _unanswered(open_calls)
        open_calls = {}
        for call in msg.tool_calls:
            if msg.role != "assistant":
                out.append(
                    Finding(
                        f"messages[{i}].tool_calls",
                        "error",
                        "only assistant messages can carry tool calls",
                    )
                )
                break
            open_calls[call.id] = i
            if not NAME_RE.match(call.name):
                out.append(
                    Finding(
                        f"messages[{i}].tool_calls",
                        "error",
                        f"tool call name {call.name!r} is not a valid function name",
                    )
                )
    out += _unanswered(open_calls)
    return out


def _unanswered(open_calls: dict[str, int]) -> list[Finding]:
    return [
        Finding(
            f"messages[{i}].tool_calls",
            "error",
            f"tool call {call_id} has no tool result yet",
            code=UNANSWERED_TOOL_CALL,
        )
        for call_id, i in open_calls.items()
    ]


def _conversation(ws: Workspace) -> list[Finding]:
    out: list[Finding] = []
    if not ws.messages and not ws.params.previous_response_id:
        out.append(Finding("messages", "error", "add at least one message"))
    info = catalog.lookup(ws.model)
    if info.known and not info.vision and any(m.images for m in ws.messages):
        out.append(Finding("messages", "warning", f"{ws.model} does not accept images"))
    if not ws.model.strip():
        out.append(Finding("model", "error", "choose a model"))
    return out


def _lifecycle(ws: Workspace, target: request.Target | None) -> list[Finding]:
    """The model's lifecycle finding, judged for where the request goes (only known when a
    target is given: a shut-down model blocks Run on OpenAI's own endpoint only)."""
    if target is None:
        return []
    found = lifecycle_finding(catalog.lookup(ws.model), target.today or date.today(), target.openai)
    return [found] if found is not None else []


BACKGROUND_NEEDS_STORE = "background_needs_store"
"""The code of the finding "a background run needs store" (params.store)."""


def _background(ws: Workspace) -> list[Finding]:
    """Background responses are stored: `background` with `store: false` is refused (400
    naming `store`; the background guide, checked 2026-12-01)."""
    if ws.api != "responses" or not ws.params.background or ws.params.store is not False:
        return []
    said = "a background run is stored on the server: turn store on, or run in the foreground"
    return [Finding("params.store", "error", said, BACKGROUND_NEEDS_STORE)]


def validate(
    ws: Workspace, defer_large: bool = False, target: request.Target | None = None
) -> list[Finding]:
    """All findings for `ws`, errors first.

    With `defer_large`, a large schema not checked yet gets a "checking" finding instead of
    being checked here (see pending_schemas): checking one can take seconds.
    """
    token = _DEFER.set(defer_large)
    try:
        found = (
            _conversation(ws)
            + _ranges(ws)
            + _background(ws)
            + _tools(ws)
            + _output_format(ws)
            + _pairing(ws)
            + list(request.build(ws, reader=_no_read, target=target).findings)
            + _lifecycle(ws, target)
        )
    finally:
        _DEFER.reset(token)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda f: order[f.severity])


def pending_schemas(ws: Workspace) -> list[tuple[str, bool]]:
    """(canonical schema text, strict) of each large schema whose check is not known yet."""
    schemas = [(t.parameters, bool(t.strict)) for t in ws.tools]
    if ws.output_format is not None and ws.output_format.type == "json_schema":
        schemas.append((ws.output_format.json_schema, bool(ws.output_format.strict)))
    out = []
    for schema, strict in schemas:
        if not isinstance(schema, dict):
            continue
        text = canonical(schema)
        if len(text) > LARGE_SCHEMA and cached_issues(text, strict) is None:
            out.append((text, strict))
    return out


def _no_read(path: str) -> bytes:
    # Validation does not read image files; the builder reports unreadable files at send time.
    return b""
