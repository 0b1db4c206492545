"""Parameter declarations: each generation parameter is declared once, on its field.

`workspace.Parameters` carries a `Param` in each field's `Annotated[...]` metadata: its label,
help, kind, range, default, where it goes in each API's body (`wire`), and the control that
edits it. The request builder, the importer, validation, the params panel and the
simulator's checks all read `PARAMS`, so adding a parameter is adding one annotated field
(and, when no existing control kind fits, a control).

Wire paths are the request body's field names, dotted for nested objects
(`reasoning.effort` means `{"reasoning": {"effort": ...}}`); an API missing from `wire` does
not have the parameter. Sources: tests/data/openapi.json, CreateChatCompletionRequest and
CreateResponse (spec 2.3.0, checked 2026-11-30).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

ApiName = Literal["responses", "chat"]
Kind = Literal["float", "int", "bool", "choice", "text", "strings", "pairs", "flags"]
Control = Literal["dspin", "spin", "toggle", "combo", "line", "list", "pairs", "checks"]
Group = Literal["main", "advanced"]

# The Chat name of the output-token limit is chosen per model and provider (see
# request.Target): this marker stands for "max_completion_tokens or max_tokens".
TOKEN_LIMIT = "$token_limit"
# Responses asks for output logprobs with an include value, not a field.
LOGPROBS_INCLUDE = "message.output_text.logprobs"
INCLUDE_VALUES = (
    "file_search_call.results",
    "web_search_call.results",
    "web_search_call.action.sources",
    "message.input_image.image_url",
    "computer_call_output.output.image_url",
    "code_interpreter_call.outputs",
    "reasoning.encrypted_content",
    LOGPROBS_INCLUDE,
)
"""The values of CreateResponse.include: the spec's `IncludeEnum`, in its order (spec 2.3.0,
checked 2026-12-01)."""


@dataclass(frozen=True, slots=True)
class Param:
    """The declaration of one parameter (see module docstring)."""

    label: str
    help: str
    kind: Kind
    wire: dict[str, str]
    control: Control
    group: Group = "main"
    low: float | None = None
    high: float | None = None
    # A different minimum in one API (Chat takes any token limit from 1; Responses from 16).
    lows: dict[str, float] = field(default_factory=dict)
    default: Any = None
    step: float = 1.0
    choices: tuple[str, ...] = ()
    # Fewer values in one API (Chat's service_tier lacks Responses' ultrafast).
    api_choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Max number of items for a "strings" or "pairs" parameter.
    max_items: int | None = None
    # Max length in characters of a "text" parameter (the spec's maxLength).
    max_length: int | None = None
    # Marked `deprecated: true` in the spec: the panel labels it so.
    deprecated: bool = False
    # A "flags" value that is another parameter (include's message.output_text.logprobs is
    # `logprobs`): that parameter holds it, never this one's list.
    links: dict[str, str] = field(default_factory=dict)
    # Only sent when tools are defined (parallel_tool_calls).
    needs_tools: bool = False
    # Taken by some models and refused by others: the catalog entry says which (its
    # params, fixed, efforts, summary, verbosity). Every model takes the others.
    model_dependent: bool = False
    source: str = "spec 2.3.0"
    name: str = field(default="", compare=False)

    def wire_name(self, api: str) -> str | None:
        """The body path in `api`, or None when the API has no such parameter."""
        return self.wire.get(api)

    def low_in(self, api: str) -> float | None:
        return self.lows.get(api, self.low)

    def choices_in(self, api: str) -> tuple[str, ...]:
        """The values a "choice" parameter takes in `api` (all of `choices` unless
        `api_choices` names fewer); () for other kinds."""
        return self.api_choices.get(api, self.choices)

    def shown_label(self) -> str:
        """The row's label: the field name in words, "(deprecated)" when the spec marks it."""
        words = self.name.replace("_", " ")
        return f"{words} (deprecated)" if self.deprecated else words

    def only_in(self) -> str | None:
        """The one API that has this parameter, if only one does."""
        return next(iter(self.wire)) if len(self.wire) == 1 else None


@cache
def declarations() -> dict[str, Param]:
    """Every declared parameter by Parameters field name, in declaration order."""
    from playground.core.parameters import Parameters

    out: dict[str, Param] = {}
    for name, info in Parameters.model_fields.items():
        for meta in info.metadata:
            if isinstance(meta, Param):
                out[name] = Param(
                    **{k: getattr(meta, k) for k in meta.__dataclass_fields__ if k != "name"},
                    name=name,
                )
    return out


def model_dependent() -> frozenset[str]:
    """The parameters some models refuse (Param.model_dependent)."""
    return frozenset(n for n, d in declarations().items() if d.model_dependent)


def by_wire(api: str, wire: str) -> str | None:
    """The Parameters field sent as `wire` in `api` ("reasoning.effort" -> reasoning_effort;
    max_tokens and max_completion_tokens -> max_output_tokens; include[N] -> include).

    The include row also holds logprobs' value (message.output_text.logprobs): a learned
    rule that drops `include` unsets both (core.learned.without)."""
    if api == "chat" and wire in ("max_tokens", "max_completion_tokens"):
        return "max_output_tokens"
    if api == "responses" and wire.startswith("include"):
        return "include"
    for name, decl in declarations().items():
        if decl.wire.get(api) == wire:
            return name
    return None


def any_wire(wire: str) -> str | None:
    """The Parameters field for a server's param name in either API (error messages name
    `reasoning.effort`, `text.verbosity`, `max_tokens`, `messages[0]`...)."""
    key = wire.split("[")[0]
    return by_wire("responses", key) or by_wire("chat", key)


def get_path(body: dict[str, Any], path: str) -> tuple[bool, Any]:
    """(present, value) of a dotted path in a request body."""
    node: Any = body
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def set_path(body: dict[str, Any], path: str, value: Any) -> None:
    """Write `value` at a dotted path, creating nested objects."""
    parts = path.split(".")
    node = body
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def read_body(api: str, body: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """Parameters field -> (wire path, value) for every declared parameter present in a
    request body of `api` (the importer's and the simulator's view of a body)."""
    out: dict[str, tuple[str, Any]] = {}
    for name, decl in declarations().items():
        wire = decl.wire.get(api)
        if wire is None:
            continue
        if wire == TOKEN_LIMIT:
            for key in ("max_completion_tokens", "max_tokens"):
                if body.get(key) is not None:
                    out[name] = (key, body[key])
                    break
            continue
        if wire == f"include:{LOGPROBS_INCLUDE}":
            include = body.get("include")
            if isinstance(include, list) and LOGPROBS_INCLUDE in include:
                out[name] = ("include", True)
            continue
        if decl.kind == "flags":
            # the values another parameter holds (links) are that parameter's
            value = body.get(wire)
            if isinstance(value, list):
                own = [v for v in value if v not in decl.links]
                if own:
                    out[name] = (wire, own)
            continue
        present, value = get_path(body, wire)
        if present and value is not None:
            out[name] = (wire, value)
    return out
