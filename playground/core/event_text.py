"""A stream event's payload in a line a person reads (the Raw pane's events table).

Text is quoted as JSON strings (a newline shows as \\n), numbers carry their unit, a failure
is its title and status: never a dataclass repr.
"""

from __future__ import annotations

import json

from playground.core.events import (
    BackgroundStatus,
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
from playground.core.mcp_items import summary as summary_of_item
from playground.core.reasoning_items import encrypted_length

LIMIT = 300
"""Characters of a payload shown; the rest is cut with an ellipsis."""


def quoted(text: str) -> str:
    """`text` as a JSON string: quotes, and escapes for newlines and control characters."""
    return json.dumps(text, ensure_ascii=False)


def _choice(choice: int) -> str:
    return f"  (choice {choice})" if choice else ""


def _usage(u: Usage) -> str:
    parts = [f"{u.input_tokens} in", f"{u.output_tokens} out"]
    if u.cached_tokens:
        parts.append(f"{u.cached_tokens} cached")
    if u.cache_write_tokens:
        parts.append(f"{u.cache_write_tokens} written to the cache")
    if u.reasoning_tokens:
        parts.append(f"{u.reasoning_tokens} reasoning")
    if u.service_tier:
        parts.append(f"tier {u.service_tier}")
    return ", ".join(parts)


def _timing(t: Timing) -> str:
    first = f"first token {t.ttft_ms:.0f} ms" if t.ttft_ms is not None else "no first token"
    rate = f", {t.tokens_per_s:.0f} tokens/s" if t.tokens_per_s else ""
    return f"{first}, total {t.total_ms / 1000:.2f} s{rate}"


def _started(e: RunStarted) -> str:
    parts = [f"model {e.model}" if e.model else "model not named"]
    if e.response_id:
        parts.append(f"response {e.response_id}")
    if e.request_id:
        parts.append(f"request {e.request_id}")
    return ", ".join(parts)


def _failed(e: Failed) -> str:
    f = e.failure
    return f.title[:1].lower() + f.title[1:] + (f" ({f.status})" if f.status else "")


def summary(event: StreamEvent) -> str:
    """The payload of `event`, e.g. '"Hello"', '27 in, 9 out', 'rate limited (429)'."""
    text = _summary(event)
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def _summary(event: StreamEvent) -> str:
    if isinstance(event, TextDelta):
        more = f"  ({len(event.logprobs)} logprobs)" if event.logprobs else ""
        return quoted(event.text) + _choice(event.choice) + more
    if isinstance(event, ReasoningDelta):
        part = f"  (part {event.summary_index + 1})" if event.summary_index else ""
        return quoted(event.text) + part
    if isinstance(event, RefusalDelta):
        return quoted(event.text) + _choice(event.choice)
    if isinstance(event, ToolCallStarted):
        return f"#{event.index} {event.name} ({event.call_id})" + _choice(event.choice)
    if isinstance(event, ToolCallDelta):
        return f"#{event.index} " + quoted(event.arguments) + _choice(event.choice)
    if isinstance(event, ToolCallDone):
        return f"#{event.index} arguments {event.arguments}" + _choice(event.choice)
    if isinstance(event, Usage):
        return _usage(event)
    if isinstance(event, Timing):
        return _timing(event)
    if isinstance(event, RunStarted):
        return _started(event)
    if isinstance(event, Finished):
        said = f"finished: {event.reason}"
        return said + (f", response {event.response_id}" if event.response_id else "")
    if isinstance(event, Failed):
        return _failed(event)
    if isinstance(event, HostedProgress):
        said = event.kind.removeprefix("response.") + (f" {event.item_id}" if event.item_id else "")
        return said + (f"  {quoted(event.detail)}" if event.detail else "")
    if isinstance(event, BackgroundStatus):
        return background_step(event)
    if isinstance(event, OutputItem):
        kind = str(event.item.get("type", "item"))
        if kind.startswith("mcp_"):
            return f"#{event.index} {summary_of_item(event.item)}"
        if kind == "reasoning":
            size = encrypted_length(event.item)
            carried = f" (encrypted content, {size} chars)" if size else ""
            return f"reasoning {event.item.get('id', '')}{carried}"
        return f"{kind} {event.item.get('id', '')}".strip()
    return ""


def background_step(event: BackgroundStatus) -> str:
    """A background response's state in a few words: "background: queued", "connection
    dropped; resumed from event 7"."""
    if event.resumed:
        return f"connection dropped; resumed from event {event.sequence + 1}"
    return "background: " + event.status.replace("_", " ")


def hosted_step(event: HostedProgress) -> str:
    """A hosted tool's progress in a few words: "web search: searching", "code interpreter:
    writing code", "image generation: partial image"."""
    parts = event.kind.removeprefix("response.").split(".")
    tool = parts[0].removesuffix("_code").removesuffix("_call").replace("_", " ")
    step = {"delta": "writing code", "added": "citing"}.get(parts[-1], parts[-1])
    return f"{tool}: {step.replace('_', ' ')}"


def name(event: StreamEvent) -> str:
    """The event's kind as the table's first column shows it ("Failure" for a failed run)."""
    return "Failure" if isinstance(event, Failed) else type(event).__name__
