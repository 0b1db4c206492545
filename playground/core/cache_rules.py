"""The response cache's rules: its key, when a request may use it, which answers it keeps, and
how an answer's normalized events are written down. Pure; services/response_cache.py stores.

Key: SHA-256 of the provider's base URL, the API path and the canonical request body (JSON
with sorted keys, no spaces, UTF-8), the exact body that is sent (core.request.BuiltRequest.
body, extra_body merged). The API key and header values are never part of it: they are not
in the body (the key travels in a header), and nothing else goes in.

State on the server (`state_reason`): a request that asks the server to keep state is never
answered from the cache, because the answer the server would keep (and later requests would
build on) would not exist. It asks when its body says so: `store: true`,
`previous_response_id`, `conversation`, `background: true`. The Responses API stores a
response when `store` is left out (spec 2.3.0 CreateResponse.store: "default": true;
reference openai-protocol.md §2.6); Chat does not (CreateChatCompletionRequest.store: default
false). Decision: only what the body says counts, so a Responses request that leaves `store`
out may be cached (its cached answer keeps the original response id, which the server stored
the first time); turn store on explicitly to keep every such run going to the server.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import TypeAdapter

from playground.core.events import (
    Failed,
    Finished,
    HostedProgress,
    OutputItem,
    ReasoningDelta,
    RefusalDelta,
    RunStarted,
    StreamEvent,
    TextDelta,
    Timing,
    ToolCallDelta,
    ToolCallDone,
    ToolCallStarted,
    Usage,
)
from playground.core.reducer import AssistantTurn

STATE_FIELDS = ("store", "previous_response_id", "conversation", "background")
"""The body fields with which a request asks the server to keep state (see the module
docstring for what counts)."""

_KINDS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        RunStarted,
        TextDelta,
        ReasoningDelta,
        RefusalDelta,
        ToolCallStarted,
        ToolCallDelta,
        ToolCallDone,
        Usage,
        Finished,
        OutputItem,  # kept items (hosted calls, MCP items): a replay gives them back
        HostedProgress,
    )
}
_ADAPTERS = {name: TypeAdapter(cls) for name, cls in _KINDS.items()}


def canonical_body(body: Mapping[str, Any]) -> str:
    """The body as canonical JSON: the request's own fields sorted by name, everything inside
    them in its own order (a JSON Schema's property order changes what structured output
    generates, so two schemas that differ only in order are two requests), no spaces, not
    ASCII-escaped."""
    return json.dumps(
        {name: body[name] for name in sorted(body)}, separators=(",", ":"), ensure_ascii=False
    )


def cache_key(base_url: str, api_path: str, body: Mapping[str, Any]) -> str:
    """64 hex digits: SHA-256 of the base URL (without a trailing slash), the API path
    ("/responses", "/chat/completions") and the canonical body, one per line."""
    material = "\n".join((base_url.rstrip("/"), api_path, canonical_body(body)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def state_reason(body: Mapping[str, Any]) -> str | None:
    """The first field of `body` that asks the server to keep state ("store",
    "previous_response_id", "conversation", "background"), or None."""
    if body.get("store") is True:
        return "store"
    if body.get("previous_response_id"):
        return "previous_response_id"
    if body.get("conversation") is not None:
        return "conversation"
    if body.get("background") is True:
        return "background"
    return None


def not_cached_words(field: str) -> str:
    """What the window says when a state field keeps the cache out."""
    return f"not cached: the request asks the server to keep state ({field})"


def keepable(turn: AssistantTurn, stopped: bool) -> bool:
    """Whether an answer is kept: a model turn that ended by itself without a failure. That
    takes answers that stopped at the output-token limit and answers that call tools (both
    whole answers to their request: the next request, with the tool outputs, is another);
    it leaves out stopped and failed runs."""
    return not stopped and turn.failure is None and turn.finish_reason is not None


def encode_events(events: Iterable[StreamEvent]) -> list[dict[str, Any]]:
    """The events as JSON-ready dicts ({"t": class name, field: value, ...}; fields at their
    default left out). Timing is left out (a replay has its own) and a RunStarted loses its
    request id (no request was sent). Raises ValueError for a Failed event: failed answers
    are never kept."""
    out: list[dict[str, Any]] = []
    for event in events:
        if isinstance(event, Timing):
            continue
        if isinstance(event, Failed):
            raise ValueError("a failed answer is not kept in the response cache")
        if isinstance(event, RunStarted):
            event = dataclasses.replace(event, request_id=None)
        item: dict[str, Any] = {"t": type(event).__name__}
        for name, default in _defaults(type(event).__name__):
            value = getattr(event, name)
            if default is not _REQUIRED and value == default:
                continue
            item[name] = _plain(value)
        out.append(item)
    return out


_REQUIRED = object()


@functools.cache
def _defaults(kind: str) -> tuple[tuple[str, Any], ...]:
    """(field name, default value or a marker for none) of an event class, in order."""
    out = []
    for f in dataclasses.fields(_KINDS[kind]):
        if f.default is not dataclasses.MISSING:
            out.append((f.name, f.default))
        elif f.default_factory is not dataclasses.MISSING:
            out.append((f.name, f.default_factory()))
        else:
            out.append((f.name, _REQUIRED))
    return tuple(out)


def decode_events(items: Iterable[Mapping[str, Any]]) -> list[StreamEvent]:
    """Events back from `encode_events`' dicts. Raises ValueError for an unknown kind or a
    field that does not fit (pydantic's ValidationError is a ValueError)."""
    out: list[StreamEvent] = []
    for item in items:
        fields = dict(item)
        kind = fields.pop("t", None)
        adapter = _ADAPTERS.get(kind) if isinstance(kind, str) else None
        if adapter is None:
            raise ValueError(f"unknown event kind {kind!r}")
        if "choice_reasons" in fields:  # JSON keys are strings
            fields["choice_reasons"] = {int(k): v for k, v in fields["choice_reasons"].items()}
        out.append(adapter.validate_python(fields))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
