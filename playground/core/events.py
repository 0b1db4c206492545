"""Normalized stream events: one small union for both APIs.

The backend turns Chat Completions chunks and Responses events into these; the reducer
turns them into an assistant turn. Both the streaming and the non-streaming paths emit them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playground.core.errors import Failure


@dataclass(frozen=True, slots=True)
class RunStarted:
    """The server accepted the request. A stream may send it again when a later chunk tells an
    id or model the first did not (an empty preamble chunk); the reducer keeps the first
    non-empty value of each field."""

    model: str
    response_id: str | None = None
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class TokenLogprob:
    token: str
    logprob: float
    top: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class TextDelta:
    """A piece of answer text for one choice (n > 1 in Chat Completions gives several)."""

    text: str
    choice: int = 0
    logprobs: tuple[TokenLogprob, ...] = ()


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    """A piece of the reasoning summary."""

    text: str
    summary_index: int = 0


@dataclass(frozen=True, slots=True)
class RefusalDelta:
    text: str
    choice: int = 0


@dataclass(frozen=True, slots=True)
class ToolCallStarted:
    index: int
    call_id: str
    name: str
    item_id: str | None = None
    choice: int = 0
    # "custom": a custom tool's call (Responses custom_tool_call, Chat type "custom"), whose
    # "arguments" (deltas and done) are its free-form input text
    kind: str = "function"


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    index: int
    arguments: str
    choice: int = 0


@dataclass(frozen=True, slots=True)
class ToolCallDone:
    """A call is complete: its whole arguments, and its id and name when the stream told them
    late (None: keep what ToolCallStarted said)."""

    index: int
    arguments: str
    choice: int = 0
    call_id: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int = 0
    cached_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    # Input tokens written to the prompt cache (Responses usage.input_tokens_details.
    # cache_write_tokens, spec ResponseUsage); billed at the cache-write rate from GPT-5.6 on.
    cache_write_tokens: int = 0
    # The service tier the response reported (`service_tier` of the Chat completion or chunk,
    # of the Response; spec ServiceTier): what the usage was billed at. None: not reported.
    service_tier: str | None = None

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True, slots=True)
class Timing:
    """How long the run took: time to first token, total, and output tokens per second."""

    ttft_ms: float | None
    total_ms: float
    tokens_per_s: float | None


@dataclass(frozen=True, slots=True)
class Retrying:
    """The SDK is retrying the request: after a retryable status (with the delay it will wait)
    or, with `status` None, sending attempt `attempt` now."""

    attempt: int
    max_attempts: int
    status: int | None = None
    delay_s: float | None = None


@dataclass(frozen=True, slots=True)
class Finished:
    """The answer is complete. `reason` is choice 0's finish reason: "stop", "tool_calls",
    "content_filter", or "length" when the model stopped at the output-token limit (Chat
    `finish_reason: "length"`, and a Responses `incomplete` response whose reason is
    `max_output_tokens`: one outcome, the partial answer is the turn)."""

    reason: str
    response_id: str | None = None
    choice_reasons: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Failed:
    """The run failed; what arrived before stays in the turn."""

    failure: Failure


@dataclass(frozen=True, slots=True)
class OutputItem:
    """A Responses output item the app keeps exactly as the server gave it (a JSON object): a
    hosted tool's call (web_search_call, file_search_call, code_interpreter_call,
    image_generation_call), a remote MCP listing, approval request or call
    (core.mcp_items.KEPT_ITEMS), or a message whose text carries annotations (url_citation
    ...). It goes back into the conversation as an item sent as given. `index`: its
    output_index (the turn keeps its items in that order)."""

    item: dict[str, Any]
    index: int = 0


@dataclass(frozen=True, slots=True)
class HostedProgress:
    """A hosted tool's progress event, for the Raw pane: `kind` is the server's event type
    (`response.web_search_call.searching`, `response.code_interpreter_call_code.delta`,
    `response.image_generation_call.partial_image`, `response.output_text.annotation.added`
    ...), `item_id` the item it is about; `detail` a short text (a code delta, an image index)."""

    kind: str
    item_id: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True)
class BackgroundStatus:
    """A background response's progress (Responses `background: true`; the background guide,
    developers.openai.com/api/docs/guides/background, checked 2026-12-01): `status` as the
    server last gave it (queued, in_progress, completed, failed, incomplete, cancelled),
    `response_id`, `sequence` the number of the last stream event seen (-1: none, or not
    streamed), and `resumed`: the connection dropped and the stream was opened again from
    the event after `sequence`."""

    status: str
    response_id: str = ""
    sequence: int = -1
    resumed: bool = False


StreamEvent = (
    RunStarted
    | TextDelta
    | ReasoningDelta
    | RefusalDelta
    | ToolCallStarted
    | ToolCallDelta
    | ToolCallDone
    | Usage
    | Timing
    | Finished
    | Failed
    | OutputItem
    | HostedProgress
    | BackgroundStatus
)
