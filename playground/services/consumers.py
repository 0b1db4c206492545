"""Stream consumers: SDK chunks and events -> normalized events, for each API.

They read the SDK's typed objects, so anything the SDK parses (a live stream, the simulator,
a recorded .sse file served by the simulator) goes through the same code.
"""

from __future__ import annotations

from typing import Any

from playground.core.errors import Failure, FailureKind
from playground.core.events import (
    Failed,
    Finished,
    ReasoningDelta,
    RefusalDelta,
    RunStarted,
    StreamEvent,
    TextDelta,
    TokenLogprob,
    ToolCallDelta,
    ToolCallDone,
    ToolCallStarted,
    Usage,
)


def _logprobs(entries: Any) -> tuple[TokenLogprob, ...]:
    if not entries:
        return ()
    return tuple(
        TokenLogprob(
            e.token,
            e.logprob,
            tuple((t.token, t.logprob) for t in (getattr(e, "top_logprobs", None) or ())),
        )
        for e in entries
    )


def chat_usage(usage: Any) -> Usage:
    prompt = getattr(usage, "prompt_tokens_details", None)
    completion = getattr(usage, "completion_tokens_details", None)
    return Usage(
        input_tokens=usage.prompt_tokens or 0,
        cached_tokens=(getattr(prompt, "cached_tokens", 0) or 0) if prompt else 0,
        output_tokens=usage.completion_tokens or 0,
        reasoning_tokens=(getattr(completion, "reasoning_tokens", 0) or 0) if completion else 0,
    )


def responses_usage(usage: Any) -> Usage:
    inp = getattr(usage, "input_tokens_details", None)
    out = getattr(usage, "output_tokens_details", None)
    return Usage(
        input_tokens=usage.input_tokens or 0,
        cached_tokens=(getattr(inp, "cached_tokens", 0) or 0) if inp else 0,
        output_tokens=usage.output_tokens or 0,
        reasoning_tokens=(getattr(out, "reasoning_tokens", 0) or 0) if out else 0,
    )


class ChatStreamConsumer:
    """Folds ChatCompletionChunk objects into normalized events."""

    def __init__(self) -> None:
        self.started = False
        self.response_id: str | None = None
        self.reasons: dict[int, str] = {}
        self._args: dict[tuple[int, int], list[str]] = {}

    def feed(self, chunk: Any) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        if not self.started:
            self.started = True
            self.response_id = chunk.id
            out.append(RunStarted(model=chunk.model, response_id=chunk.id))
        for choice in chunk.choices or ():
            out += self._choice(choice)
        if getattr(chunk, "usage", None):
            out.append(chat_usage(chunk.usage))
        return out

    def _choice(self, choice: Any) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        k = choice.index
        delta = choice.delta
        if delta is not None:
            if delta.content:
                lp = _logprobs(choice.logprobs.content) if choice.logprobs else ()
                out.append(TextDelta(delta.content, k, lp))
            if delta.refusal:
                out.append(RefusalDelta(delta.refusal, k))
            for tc in delta.tool_calls or ():
                fn = tc.function
                # Only the first delta of a call carries its id and name; a server that repeats
                # them (openai-protocol.md 1.4) must not start the call again.
                if tc.id and (k, tc.index) not in self._args:
                    name = (fn.name if fn else "") or ""
                    out.append(ToolCallStarted(tc.index, tc.id, name, choice=k))
                    self._args[(k, tc.index)] = []
                if fn is not None and fn.arguments:
                    self._args.setdefault((k, tc.index), []).append(fn.arguments)
                    out.append(ToolCallDelta(tc.index, fn.arguments, k))
        if choice.finish_reason:
            self.reasons[k] = choice.finish_reason
            for (ck, idx), parts in sorted(self._args.items()):
                if ck == k:
                    out.append(ToolCallDone(idx, "".join(parts), k))
        return out

    def finish(self) -> list[StreamEvent]:
        if 0 not in self.reasons:
            return [
                Failed(
                    Failure(
                        FailureKind.INVALID_RESPONSE,
                        "The stream ended before the answer was finished.",
                    )
                )
            ]
        return [Finished(self.reasons[0], self.response_id, dict(self.reasons))]


class ResponsesStreamConsumer:
    """Folds Responses stream events into normalized events."""

    def __init__(self) -> None:
        self.response_id: str | None = None
        self.terminal = False
        self._call_index: dict[int, int] = {}
        self._item_index: dict[str, int] = {}

    def add_call(self, output_index: int, item_id: str | None) -> int:
        """Number a function call by its place among the calls (0, 1, ...)."""
        index = len(self._call_index)
        self._call_index[output_index] = index
        self._item_index[item_id or ""] = index
        return index

    def _index(self, output_index: int, item_id: str | None) -> int:
        if output_index in self._call_index:
            return self._call_index[output_index]
        return self._item_index.get(item_id or "", 0)

    def feed(self, event: Any) -> list[StreamEvent]:
        kind = event.type
        if kind == "response.created":
            self.response_id = event.response.id
            return [RunStarted(model=event.response.model, response_id=event.response.id)]
        if kind == "response.output_text.delta":
            return [TextDelta(event.delta, 0, _logprobs(getattr(event, "logprobs", None)))]
        if kind == "response.refusal.delta":
            return [RefusalDelta(event.delta)]
        if kind == "response.reasoning_summary_text.delta":
            return [ReasoningDelta(event.delta, event.summary_index)]
        if kind == "response.output_item.added" and event.item.type == "function_call":
            index = self.add_call(event.output_index, event.item.id)
            return [ToolCallStarted(index, event.item.call_id, event.item.name, event.item.id)]
        if kind == "response.function_call_arguments.delta":
            return [ToolCallDelta(self._index(event.output_index, event.item_id), event.delta)]
        if kind == "response.function_call_arguments.done":
            return [ToolCallDone(self._index(event.output_index, event.item_id), event.arguments)]
        if kind in ("response.completed", "response.incomplete", "response.failed"):
            return self._terminal(event.response)
        if kind == "error":
            self.terminal = True
            return [
                Failed(
                    Failure(
                        FailureKind.STREAM_ERROR,
                        event.message or "Stream error",
                        code=event.code,
                        param=event.param,
                    )
                )
            ]
        return []

    def _terminal(self, response: Any) -> list[StreamEvent]:
        self.terminal = True
        out: list[StreamEvent] = []
        if response.usage is not None:
            out.append(responses_usage(response.usage))
        if response.status == "failed":
            err = response.error
            out.append(
                Failed(
                    Failure(
                        FailureKind.RESPONSE_FAILED,
                        err.message if err else "The response failed.",
                        code=err.code if err else None,
                    )
                )
            )
        elif response.status == "incomplete":
            reason = getattr(response.incomplete_details, "reason", None) or "unknown"
            out.append(
                Failed(
                    Failure(
                        FailureKind.INCOMPLETE,
                        f"The response stopped early ({reason}).",
                        code=reason,
                    )
                )
            )
        else:
            reason = "tool_calls" if self._call_index else "stop"
            out.append(Finished(reason, response.id, {0: reason}))
        return out

    def finish(self) -> list[StreamEvent]:
        if self.terminal:
            return []
        return [
            Failed(
                Failure(
                    FailureKind.INVALID_RESPONSE,
                    "The stream ended before the response was complete.",
                )
            )
        ]


def chat_completion_events(completion: Any) -> list[StreamEvent]:
    """Normalized events for a non-streaming chat.completion."""
    out: list[StreamEvent] = [RunStarted(model=completion.model, response_id=completion.id)]
    reasons: dict[int, str] = {}
    for choice in completion.choices:
        msg = choice.message
        lp = _logprobs(choice.logprobs.content) if choice.logprobs else ()
        if msg.content:
            out.append(TextDelta(msg.content, choice.index, lp))
        if msg.refusal:
            out.append(RefusalDelta(msg.refusal, choice.index))
        for i, call in enumerate(msg.tool_calls or ()):
            fn = getattr(call, "function", None)
            if fn is None:
                continue
            out.append(ToolCallStarted(i, call.id, fn.name, choice=choice.index))
            out.append(ToolCallDone(i, fn.arguments, choice.index))
        reasons[choice.index] = choice.finish_reason
    if completion.usage:
        out.append(chat_usage(completion.usage))
    out.append(Finished(reasons.get(0, "stop"), completion.id, reasons))
    return out


def response_events(response: Any) -> list[StreamEvent]:
    """Normalized events for a non-streaming Response."""
    consumer = ResponsesStreamConsumer()
    out: list[StreamEvent] = [RunStarted(model=response.model, response_id=response.id)]
    for position, item in enumerate(response.output):
        if item.type == "reasoning":
            for i, part in enumerate(item.summary or ()):
                out.append(ReasoningDelta(part.text, i))
        elif item.type == "function_call":
            index = consumer.add_call(position, item.id)
            out.append(ToolCallStarted(index, item.call_id, item.name, item.id))
            out.append(ToolCallDone(index, item.arguments))
        elif item.type == "message":
            for part in item.content:
                if part.type == "output_text":
                    out.append(TextDelta(part.text, 0, _logprobs(getattr(part, "logprobs", None))))
                elif part.type == "refusal":
                    out.append(RefusalDelta(part.refusal))
    return out + consumer._terminal(response)
