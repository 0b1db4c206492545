"""The Responses stream consumer: SDK events -> normalized events.

Servers other than OpenAI leave things out: `item_id` or `output_index` on argument events,
the `response.output_item.added` of a call (its arguments then arrive first), the argument
events themselves (the whole call only in `response.output_item.done`), text deltas (the
text, refusal or reasoning summary only in its `.done` event), the model or id on
`response.created`. A call is found by output index, item id or call id, else it is the
latest call when nothing the event says contradicts it; a call nobody announced starts when
its first event arrives. `incomplete` with reason `max_output_tokens` is the same outcome as
Chat's `finish_reason: "length"` (Finished("length")); other incomplete reasons are failures.
"""

from __future__ import annotations

from typing import Any

from playground.core.calls import arguments_text
from playground.core.errors import Failure, FailureKind
from playground.core.events import (
    Failed,
    Finished,
    OutputItem,
    ReasoningDelta,
    RefusalDelta,
    RunStarted,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
    ToolCallDone,
    ToolCallStarted,
)
from playground.core.mcp_items import KEPT_ITEMS
from playground.core.reducer import LENGTH
from playground.core.text import SurrogateJoiner, scrub
from playground.services.hosted_events import HOSTED_ITEMS, PROGRESS, as_dict, kept_item, progress
from playground.services.stream_fields import logprobs_of, raw_of, responses_usage, text_of

_TERMINAL = ("response.completed", "response.incomplete", "response.failed")
# The done event of a text, and its field: the whole text, for servers that send no deltas.
_WHOLE = {
    "response.output_text.done": ("text", "text"),
    "response.refusal.done": ("refusal", "refusal"),
    "response.reasoning_summary_text.done": ("reasoning", "text"),
}


class _Call:
    __slots__ = (
        "call_id",
        "done",
        "item_id",
        "joiner",
        "kind",
        "name",
        "output_index",
        "parts",
        "pos",
    )

    def __init__(self, pos: int, output_index: int | None, item_id: str) -> None:
        self.pos, self.output_index, self.item_id = pos, output_index, item_id
        self.call_id = self.name = ""
        self.kind = "function"
        self.parts: list[str] = []
        self.joiner = SurrogateJoiner()
        self.done = False


_CALL_ITEMS = {"function_call": "function", "custom_tool_call": "custom"}
# event type -> (call kind, what it is: a delta or the done event, its text field)
_CALL_EVENTS = {
    "response.function_call_arguments.delta": ("delta", "delta"),
    "response.function_call_arguments.done": ("done", "arguments"),
    "response.custom_tool_call_input.delta": ("delta", "delta"),
    "response.custom_tool_call_input.done": ("done", "input"),
}


def _index_of(event: Any) -> int | None:
    value = getattr(event, "output_index", None)
    return value if isinstance(value, int) else None


def _summary_index(event: Any) -> int:
    value = getattr(event, "summary_index", 0)
    return value if isinstance(value, int) else 0


class ResponsesStreamConsumer:
    """Folds Responses stream events into normalized events."""

    def __init__(self) -> None:
        self.response_id: str | None = None
        self.model = ""
        self.started = False
        self.terminal = False
        self._calls: list[_Call] = []
        self._text = SurrogateJoiner()
        self._refusal = SurrogateJoiner()
        self._reasoning: dict[int, SurrogateJoiner] = {}
        self._streamed: set[str] = set()  # text, refusal, reasoning: deltas since the last done

    # -- calls ----------------------------------------------------------------------------

    def _find(self, oi: int | None, item_id: str, call_id: str, closing: bool) -> _Call | None:
        """The call an event names by output index, item id or call id; else the latest call,
        when nothing the event says contradicts it (and it is open, or the event closes it)."""
        for call in self._calls:
            if (
                (oi is not None and call.output_index == oi)
                or (item_id and call.item_id == item_id)
                or (call_id and call.call_id == call_id)
            ):
                return call
        latest = self._calls[-1] if self._calls else None
        if latest is None or (latest.done and not closing):
            return None
        if (
            (oi is not None and latest.output_index is not None)
            or (item_id and latest.item_id)
            or (call_id and latest.call_id)
        ):
            return None
        return latest

    def _call(
        self, event: Any, item: Any = None, closing: bool = False
    ) -> tuple[_Call, list[StreamEvent]]:
        """The call an event is about, announced (again) when it tells something new."""
        oi = _index_of(event)
        item_id = text_of(getattr(item, "id", None) or getattr(event, "item_id", None))
        cid, name = text_of(getattr(item, "call_id", None)), text_of(getattr(item, "name", None))
        call = self._find(oi, item_id, cid, closing)
        kind = _CALL_ITEMS.get(str(getattr(item, "type", "")), "")
        out: list[StreamEvent] = []
        if call is None:
            call = _Call(len(self._calls), oi, item_id)
            self._calls.append(call)
            call.call_id, call.name, call.kind = cid, name, kind or "function"
            out.append(ToolCallStarted(call.pos, cid, name, item_id or None, kind=call.kind))
        elif (
            (cid and not call.call_id)
            or (name and not call.name)
            or (item_id and not call.item_id)
            or (kind and kind != call.kind)
        ):
            call.call_id, call.name = call.call_id or cid, call.name or name
            call.item_id, call.kind = call.item_id or item_id, kind or call.kind
            out.append(
                ToolCallStarted(
                    call.pos, call.call_id, call.name, call.item_id or None, kind=call.kind
                )
            )
        if call.output_index is None:
            call.output_index = oi
        return call, out

    def _done(self, call: _Call, arguments: Any) -> list[StreamEvent]:
        if call.done:
            return []
        call.done = True
        whole = scrub(arguments_text(arguments))
        tail = call.joiner.flush()
        args = whole or "".join(call.parts) + tail
        return [ToolCallDone(call.pos, args, 0, call.call_id or None, call.name or None)]

    # -- events ---------------------------------------------------------------------------

    def _learn(self, response: Any) -> list[StreamEvent]:
        rid, model = (
            text_of(getattr(response, "id", None)),
            text_of(getattr(response, "model", None)),
        )
        if self.started and not (rid and not self.response_id) and not (model and not self.model):
            return []
        self.started = True
        self.response_id = self.response_id or rid or None
        self.model = self.model or model
        return [RunStarted(model=self.model, response_id=self.response_id)]

    def feed(self, event: Any) -> list[StreamEvent]:
        kind = text_of(getattr(event, "type", None))
        if kind in ("response.created", "response.in_progress"):
            return self._learn(getattr(event, "response", None))
        out: list[StreamEvent] = [] if self.started else self._learn(None)
        if kind == "response.output_text.delta":
            self._streamed.add("text")
            lp = logprobs_of(getattr(event, "logprobs", None))
            piece = self._text.feed(raw_of(getattr(event, "delta", None)))
            return out + ([TextDelta(piece, 0, lp)] if piece or lp else [])
        if kind == "response.refusal.delta":
            self._streamed.add("refusal")
            piece = self._refusal.feed(raw_of(getattr(event, "delta", None)))
            return out + ([RefusalDelta(piece)] if piece else [])
        if kind == "response.reasoning_summary_text.delta":
            self._streamed.add("reasoning")
            idx = _summary_index(event)
            joiner = self._reasoning.setdefault(idx, SurrogateJoiner())
            piece = joiner.feed(raw_of(getattr(event, "delta", None)))
            return out + ([ReasoningDelta(piece, idx)] if piece else [])
        if kind in _WHOLE:
            family, field = _WHOLE[kind]
            if family in self._streamed:  # its deltas came: the done event repeats them
                self._streamed.discard(family)
                return out
            whole = text_of(getattr(event, field, None))  # a server that sent it only whole
            if not whole:
                return out
            if family == "text":
                return [*out, TextDelta(whole)]
            if family == "refusal":
                return [*out, RefusalDelta(whole)]
            return [*out, ReasoningDelta(whole, _summary_index(event))]
        item = getattr(event, "item", None)
        item_kind = getattr(item, "type", None)
        is_call = item_kind in _CALL_ITEMS
        field = "input" if item_kind == "custom_tool_call" else "arguments"
        if kind == "response.output_item.added" and is_call:
            call, started = self._call(event, item)
            return out + started + self._fragment(call, getattr(item, field, None))
        if kind in _CALL_EVENTS:
            step, name = _CALL_EVENTS[kind]
            call, started = self._call(event, closing=step == "done")
            value = getattr(event, name, None)
            return (
                out
                + started
                + (self._fragment(call, value) if step == "delta" else self._done(call, value))
            )
        if kind == "response.output_item.done" and is_call:
            call, started = self._call(event, item, closing=True)
            return out + started + self._done(call, getattr(item, field, None))
        if kind.startswith(PROGRESS):
            return [*out, progress(kind, event)]
        if kind == "response.output_item.done":
            kept = kept_item(item)
            return out + ([OutputItem(kept, _index_of(event) or 0)] if kept is not None else [])
        if kind in _TERMINAL:
            return out + self._terminal(getattr(event, "response", None))
        if kind == "error":
            self.terminal = True
            failure = Failure(
                FailureKind.STREAM_ERROR,
                "The server reported an error in the middle of the answer.",
                code=text_of(getattr(event, "code", None)) or None,
                param=text_of(getattr(event, "param", None)) or None,
                detail=text_of(getattr(event, "message", None)) or None,
            )
            return [*out, *self.partial(), Failed(failure)]
        return out

    def _fragment(self, call: _Call, value: Any) -> list[StreamEvent]:
        piece = call.joiner.feed(arguments_text(value)) if not call.done else ""
        if not piece:
            return []
        call.parts.append(piece)
        return [ToolCallDelta(call.pos, piece)]

    def partial(self) -> list[StreamEvent]:
        """What is still held: lone surrogate halves, calls without their done event."""
        out: list[StreamEvent] = []
        for joiner, make in ((self._text, TextDelta), (self._refusal, RefusalDelta)):
            tail = joiner.flush()
            if tail:
                out.append(make(tail))
        for idx, joiner in sorted(self._reasoning.items()):
            tail = joiner.flush()
            if tail:
                out.append(ReasoningDelta(tail, idx))
        for call in self._calls:
            out += self._done(call, None)
            if not call.call_id:  # the stream never said it: a stand-in, so its result pairs
                call.call_id = f"call_{call.pos}"
                out.append(ToolCallStarted(call.pos, call.call_id, call.name, call.item_id or None))
        return out

    def _terminal(self, response: Any) -> list[StreamEvent]:
        self.terminal = True
        out = [*self._learn(response), *self.partial()]
        usage = getattr(response, "usage", None)
        tier = getattr(response, "service_tier", None)
        counted = responses_usage(usage, tier) if usage is not None else None
        if counted is not None:
            out.append(counted)
        status = text_of(getattr(response, "status", None))
        details = getattr(response, "incomplete_details", None)
        reason = text_of(getattr(details, "reason", None)) or "unknown"
        if status == "failed":
            err = getattr(response, "error", None)
            failure = Failure(
                FailureKind.RESPONSE_FAILED,
                "The server stopped the response before it was finished.",
                code=text_of(getattr(err, "code", None)) or None,
                detail=text_of(getattr(err, "message", None)) or None,
            )
            out.append(Failed(failure))
        elif status == "incomplete" and reason == "max_output_tokens":
            out.append(Finished(LENGTH, self.response_id, {0: LENGTH}))
        elif status == "incomplete":
            failure = Failure(
                FailureKind.INCOMPLETE, f"The response stopped early ({reason}).", code=reason
            )
            out.append(Failed(failure))
        else:
            reason = "tool_calls" if self._calls else "stop"
            out.append(Finished(reason, self.response_id, {0: reason}))
        return out

    def finish(self) -> list[StreamEvent]:
        if self.terminal:
            return []
        failure = Failure(
            FailureKind.INVALID_RESPONSE, "The stream ended before the response was complete."
        )
        return [*self.partial(), Failed(failure)]


def response_events(response: Any) -> list[StreamEvent]:
    """Normalized events for a non-streaming Response."""
    consumer = ResponsesStreamConsumer()
    out = consumer._learn(response)
    for position, item in enumerate(getattr(response, "output", None) or ()):
        kind = getattr(item, "type", None)
        if kind == "reasoning":
            for i, part in enumerate(getattr(item, "summary", None) or ()):
                out.append(ReasoningDelta(text_of(getattr(part, "text", None)), i))
            out.append(OutputItem(as_dict(item), position))
        elif kind in HOSTED_ITEMS or kind in KEPT_ITEMS:
            out.append(OutputItem(as_dict(item), position))
        elif kind in _CALL_ITEMS:
            at = _Position(position)
            call, started = consumer._call(at, item)
            field = "input" if kind == "custom_tool_call" else "arguments"
            out += started + consumer._done(call, getattr(item, field, None))
        elif kind == "message":
            kept = kept_item(item)
            if kept is not None:
                out.append(OutputItem(kept, position))
            for part in getattr(item, "content", None) or ():
                ptype = getattr(part, "type", None)
                if ptype == "output_text":
                    lp = logprobs_of(getattr(part, "logprobs", None))
                    out.append(TextDelta(text_of(getattr(part, "text", None)), 0, lp))
                elif ptype == "refusal":
                    out.append(RefusalDelta(text_of(getattr(part, "refusal", None))))
    return out + consumer._terminal(response)


class _Position:
    """An item's place in a non-streamed response, read as a stream event's output_index."""

    def __init__(self, output_index: int) -> None:
        self.output_index = output_index
