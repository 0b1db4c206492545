"""Stream consumers: SDK chunks and events -> normalized events, for each API.

They read the SDK's typed objects, so anything the SDK parses (a live stream, the simulator,
a recorded .sse file served by the simulator) goes through the same code. The app's client
is not strict (`_strict_response_validation` off), so a field a server left out reads as None:
every field is read as optional, and empty values never overwrite what earlier chunks said
(Azure's content-filter preamble has an empty id, model and choices; usage-only chunks have
no choices). Every text goes through core/text.py (surrogate halves joined), every tool call
through core/calls.py (fragments without index, id or name).
"""

from __future__ import annotations

from typing import Any

from playground.core.calls import ChatCallAssembler, arguments_text
from playground.core.errors import Failure, FailureKind
from playground.core.events import (
    Failed,
    Finished,
    ReasoningDelta,
    RefusalDelta,
    RunStarted,
    StreamEvent,
    TextDelta,
    ToolCallDone,
    ToolCallStarted,
)
from playground.core.text import SurrogateJoiner, scrub
from playground.services.responses_consumer import ResponsesStreamConsumer, response_events
from playground.services.stream_fields import (
    chat_usage,
    int_of,
    logprobs_of,
    raw_of,
    responses_usage,
    text_of,
)

__all__ = [
    "ChatStreamConsumer",
    "ResponsesStreamConsumer",
    "chat_completion_events",
    "chat_usage",
    "response_events",
    "responses_usage",
]


class ChatStreamConsumer:
    """Folds ChatCompletionChunk objects into normalized events."""

    def __init__(self) -> None:
        self.started = False
        self.response_id: str | None = None
        self.model = ""
        self.reasons: dict[int, str] = {}
        self._calls: dict[int, ChatCallAssembler] = {}
        self._text: dict[int, SurrogateJoiner] = {}
        self._refusal: dict[int, SurrogateJoiner] = {}
        self._reasoning = SurrogateJoiner()

    def feed(self, chunk: Any) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        if not (self.started and self.response_id and self.model):  # once both are known
            cid = text_of(getattr(chunk, "id", None))
            model = text_of(getattr(chunk, "model", None))
            if not self.started or (cid and not self.response_id) or (model and not self.model):
                self.started = True
                self.response_id = self.response_id or cid or None
                self.model = self.model or model
                out.append(RunStarted(model=self.model, response_id=self.response_id))
        for choice in getattr(chunk, "choices", None) or ():
            out += self._choice(choice)
        usage = getattr(chunk, "usage", None)
        tier = getattr(chunk, "service_tier", None)
        counted = chat_usage(usage, tier) if usage is not None else None
        if counted is not None:
            out.append(counted)
        return out

    def _choice(self, choice: Any) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        k = int_of(getattr(choice, "index", 0))
        delta = getattr(choice, "delta", None)
        if delta is not None:
            content = raw_of(getattr(delta, "content", None))
            if content:
                logprobs = getattr(choice, "logprobs", None)
                lp = logprobs_of(getattr(logprobs, "content", None)) if logprobs else ()
                piece = self._text.setdefault(k, SurrogateJoiner()).feed(content)
                if piece or lp:
                    out.append(TextDelta(piece, k, lp))
            refusal = raw_of(getattr(delta, "refusal", None))
            if refusal:
                piece = self._refusal.setdefault(k, SurrogateJoiner()).feed(refusal)
                if piece:
                    out.append(RefusalDelta(piece, k))
            reasoning = _reasoning_of(delta) if k == 0 else ""
            if reasoning:
                piece = self._reasoning.feed(reasoning)
                if piece:
                    out.append(ReasoningDelta(piece))
            calls = self._calls.setdefault(k, ChatCallAssembler(k))
            for tc in getattr(delta, "tool_calls", None) or ():
                fn = getattr(tc, "function", None)
                index = getattr(tc, "index", None)
                out += calls.fragment(
                    index if isinstance(index, int) else None,
                    getattr(tc, "id", None),
                    getattr(fn, "name", None),
                    getattr(fn, "arguments", None),
                )
        reason = text_of(getattr(choice, "finish_reason", None))
        if reason:
            self.reasons[k] = reason
            out += self._close(k)
        return out

    def _close(self, k: int) -> list[StreamEvent]:
        """What choice k still holds: a lone surrogate half, calls not yet done."""
        out: list[StreamEvent] = []
        tail = self._text[k].flush() if k in self._text else ""
        if tail:
            out.append(TextDelta(tail, k))
        tail = self._refusal[k].flush() if k in self._refusal else ""
        if tail:
            out.append(RefusalDelta(tail, k))
        tail = self._reasoning.flush() if k == 0 else ""
        if tail:
            out.append(ReasoningDelta(tail))
        if k in self._calls:
            out += self._calls[k].finish()
        return out

    def partial(self) -> list[StreamEvent]:
        """Everything still held, for a stream that ends here (normally or not)."""
        out: list[StreamEvent] = []
        for k in sorted({*self._text, *self._refusal, *self._calls}):
            out += self._close(k)
        return out

    def finish(self) -> list[StreamEvent]:
        out = self.partial()
        if 0 not in self.reasons:
            failure = Failure(
                FailureKind.INVALID_RESPONSE, "The stream ended before the answer was finished."
            )
            return [*out, Failed(failure)]
        return [*out, Finished(self.reasons[0], self.response_id, dict(self.reasons))]


def _reasoning_of(delta: Any) -> str:
    """The reasoning text some compatible servers add to Chat deltas and messages (not in the
    OpenAI spec): `reasoning_content` (vLLM, DeepSeek) or `reasoning` (OpenRouter, Ollama).
    Sources: docs.vllm.ai "Reasoning Outputs", openrouter.ai/docs "Reasoning Tokens", both
    checked 2026-11-30."""
    # Fields outside the SDK's types are the model's extras: read them there, since a getattr
    # that misses costs a pydantic AttributeError on every delta of the stream.
    extra = getattr(delta, "model_extra", None)
    if not extra:
        return ""
    for name in ("reasoning_content", "reasoning"):
        value = raw_of(extra.get(name))
        if value:
            return value
    return ""


def chat_completion_events(completion: Any) -> list[StreamEvent]:
    """Normalized events for a non-streaming chat.completion."""
    cid = text_of(getattr(completion, "id", None)) or None
    out: list[StreamEvent] = [
        RunStarted(model=text_of(getattr(completion, "model", None)), response_id=cid)
    ]
    reasons: dict[int, str] = {}
    for position, choice in enumerate(getattr(completion, "choices", None) or ()):
        k = int_of(getattr(choice, "index", position))
        msg = getattr(choice, "message", None)
        logprobs = getattr(choice, "logprobs", None)
        lp = logprobs_of(getattr(logprobs, "content", None)) if logprobs else ()
        content = text_of(getattr(msg, "content", None))
        if content:
            out.append(TextDelta(content, k, lp))
        refusal = text_of(getattr(msg, "refusal", None))
        if refusal:
            out.append(RefusalDelta(refusal, k))
        reasoning = scrub(_reasoning_of(msg)) if k == 0 and msg is not None else ""
        if reasoning:
            out.append(ReasoningDelta(reasoning))
        for i, call in enumerate(getattr(msg, "tool_calls", None) or ()):
            custom = getattr(call, "type", None) == "custom"
            fn = getattr(call, "custom" if custom else "function", None)
            if fn is None:
                continue
            call_id = text_of(getattr(call, "id", None)) or f"call_{i}"
            name = text_of(getattr(fn, "name", None))
            kind = "custom" if custom else "function"
            out.append(ToolCallStarted(i, call_id, name, choice=k, kind=kind))
            args = scrub(arguments_text(getattr(fn, "input" if custom else "arguments", None)))
            out.append(ToolCallDone(i, args, k))
        reasons[k] = text_of(getattr(choice, "finish_reason", None)) or "stop"
    usage = getattr(completion, "usage", None)
    tier = getattr(completion, "service_tier", None)
    counted = chat_usage(usage, tier) if usage is not None else None
    if counted is not None:
        out.append(counted)
    out.append(Finished(reasons.get(0, "stop"), cid, reasons))
    return out
