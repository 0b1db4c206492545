"""Scripted behaviour for tests: what the next requests get instead of the default answer."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

Endpoint = Literal["chat", "responses"]
MidStreamForm = Literal["chat", "flat", "nested", "failed", "incomplete"]


@dataclass
class ScriptedCall:
    """A function call streamed in the given argument fragments."""

    name: str
    fragments: list[str] = field(default_factory=lambda: ["{}"])
    call_id: str | None = None


@dataclass
class HttpError:
    """An HTTP error. `attempts`: fail only the first N attempts (x-stainless-retry-count)."""

    status: int
    message: str = ""
    type: str | None = None
    code: str | None = None
    param: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    attempts: int | None = None
    raw_body: str | None = None


@dataclass
class RateLimit:
    """A server's request limit: at most `requests` model requests in each window of
    `window_s` seconds; the next ones get a 429 with `retry-after-ms` (the rest of the window)
    and the `x-ratelimit-limit-requests`, `-remaining-requests` and `-reset-requests` headers
    OpenAI sends (platform.openai.com/docs/guides/rate-limits, checked 2026-12-01)."""

    requests: int
    window_s: float


@dataclass
class FlexShortage:
    """Flex capacity is short: the next `requests` model requests sent with service_tier
    "flex" (every attempt counts, the SDK's retries too) get a 429 Resource Unavailable (the
    flex guide, developers.openai.com/api/docs/guides/flex-processing, checked 2026-12-01),
    with `retry-after-ms` when `retry_after_ms` is set. The guide gives no error body: the
    simulator's is type "service_unavailable", code "resource_unavailable" (not a rate or quota
    limit's code). Requests at other tiers are served."""

    requests: int = 1_000_000
    retry_after_ms: int | None = None


FLEX_SHORT_MESSAGE = (
    "Resource Unavailable: there is not enough capacity to serve this request with the flex "
    "service tier right now. Please try again later, or send it with the default tier."
)


@dataclass
class Scenario:
    """One scripted answer. Unset fields fall back to the simulated model's own answer.

    Stream faults count events (SSE frames) from the start of the stream:
    `error_after` sends a mid-stream error in `error_form`, `truncate_after` cuts the
    connection, `stall_after` stops sending for `stall_seconds`, `gate_after` waits for
    `gate` to be set (a test holds the stream to look at an intermediate state).
    For a background response (simulator/background.py) the job keeps its own pace:
    `truncate_after` drops the client's connection after that many events while the job
    goes on (the client resumes with starting_after), and `gate_after` holds the job.
    """

    endpoint: Endpoint | None = None
    text: list[str] | None = None
    refusal: list[str] | None = None
    reasoning: list[str] | None = None
    tool_calls: list[ScriptedCall] | None = None
    finish_reason: str | None = None
    usage: tuple[int, int, int] | None = None  # input, cached, output
    http_error: HttpError | None = None
    error_after: int | None = None
    error_form: MidStreamForm = "chat"
    error_message: str = "The server had an error while processing your request."
    truncate_after: int | None = None
    stall_after: int | None = None
    stall_seconds: float = 30.0
    gate_after: int | None = None
    gate: threading.Event | None = None
    raw_sse: bytes | None = None
    delay: float | None = None
    malformed_after: int | None = None

    def has_faults(self) -> bool:
        """Whether the stream must be watched frame by frame."""
        faults = (self.truncate_after, self.stall_after, self.gate_after, self.malformed_after)
        return any(n is not None for n in faults)

    def matches(self, endpoint: Endpoint) -> bool:
        return self.endpoint is None or self.endpoint == endpoint
