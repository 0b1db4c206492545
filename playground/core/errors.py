"""Typed failures: every way a run can go wrong, as data the UI and CLI can show.

A failure speaks in two voices. `message` (with `title` and `hint`) is the app's own words:
what happened and what to do, for a card, a banner, a status line or a terminal. `detail` is
what the server itself said (its error message, verbatim); it and the status, code and
request id are technical detail, shown only in a card's "Details" expander and in the log.
No SDK message, Python repr or traceback belongs in either.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FailureKind(StrEnum):
    AUTHENTICATION = "authentication"
    PERMISSION = "permission"
    NOT_FOUND = "not_found"
    BAD_REQUEST = "bad_request"
    CONFLICT = "conflict"
    UNPROCESSABLE = "unprocessable"
    RATE_LIMIT = "rate_limit"
    FLEX_UNAVAILABLE = "flex_unavailable"
    """A 429 to a flex request that is not a rate or quota limit: flex capacity is short."""
    SERVER = "server"
    CONNECTION = "connection"
    TIMEOUT = "timeout"
    STREAM_ERROR = "stream_error"
    RESPONSE_FAILED = "response_failed"
    INCOMPLETE = "incomplete"
    INVALID_RESPONSE = "invalid_response"
    UNREADABLE_STREAM = "unreadable_stream"
    MISSING_KEY = "missing_key"
    CANCELLED = "cancelled"
    BACKGROUND_GONE = "background_gone"
    """A background response the app picks up again is not on the server any more."""
    UPLOAD = "upload"
    """A file marked for upload could not be read or is over the size limit."""
    FILE = "file"
    """A file the request names is missing, unreadable or over the limits: nothing was sent."""
    UNKNOWN = "unknown"


_TITLES = {
    FailureKind.AUTHENTICATION: "Authentication failed",
    FailureKind.PERMISSION: "Permission denied",
    FailureKind.NOT_FOUND: "Not found",
    FailureKind.BAD_REQUEST: "Bad request",
    FailureKind.CONFLICT: "Conflict",
    FailureKind.UNPROCESSABLE: "Request could not be processed",
    FailureKind.RATE_LIMIT: "Rate limited",
    FailureKind.FLEX_UNAVAILABLE: "Flex capacity is short",
    FailureKind.SERVER: "Server error",
    FailureKind.CONNECTION: "Connection failed",
    FailureKind.TIMEOUT: "Timed out",
    FailureKind.STREAM_ERROR: "Error during the stream",
    FailureKind.RESPONSE_FAILED: "The response failed",
    FailureKind.INCOMPLETE: "The response is incomplete",
    FailureKind.INVALID_RESPONSE: "Unexpected response from the server",
    FailureKind.UNREADABLE_STREAM: "The server's stream could not be read",
    FailureKind.MISSING_KEY: "No API key",
    FailureKind.CANCELLED: "Stopped",
    FailureKind.UPLOAD: "File not uploaded",
    FailureKind.FILE: "File not sent",
    FailureKind.BACKGROUND_GONE: "Background run not found",
    FailureKind.UNKNOWN: "Unexpected error",
}

_HINTS = {
    FailureKind.AUTHENTICATION: "Check the API key of this profile in Providers.",
    FailureKind.PERMISSION: "Use a key with access to this model, or pick another model.",
    FailureKind.NOT_FOUND: "Check the model id and the base URL.",
    FailureKind.RATE_LIMIT: "Wait a moment and run again, or lower the request rate.",
    FailureKind.FLEX_UNAVAILABLE: "Run again later on flex, or now on the default tier "
    "(Standard price).",
    FailureKind.SERVER: "Running again usually works.",
    FailureKind.CONNECTION: "Check the base URL and that the server is running.",
    FailureKind.TIMEOUT: "Run again, or raise the profile's timeout in Providers.",
    FailureKind.INCOMPLETE: "Raise the output token limit, or continue the answer.",
    FailureKind.UNREADABLE_STREAM: "Run again, or turn streaming off for this server.",
    FailureKind.MISSING_KEY: "Store this profile's key under Providers (Set API key).",
    FailureKind.BAD_REQUEST: "Change what the server's reason names, and run again.",
    FailureKind.UNPROCESSABLE: "Change what the server's reason names, and run again.",
    FailureKind.CONFLICT: "Run again in a moment.",
    FailureKind.STREAM_ERROR: "Run again; the answer so far is kept.",
    FailureKind.RESPONSE_FAILED: "Run again; the answer so far is kept.",
    FailureKind.INVALID_RESPONSE: "Run again; if it keeps happening, the server is not fully "
    "OpenAI-compatible.",
    FailureKind.UPLOAD: "Attach the file again, or pick inline in the file's inline/upload "
    "list to send it in the request instead.",
    FailureKind.BACKGROUND_GONE: "Run again sends the request as a new one.",
    FailureKind.FILE: "Attach the file again, remove it, or make the files smaller.",
    FailureKind.UNKNOWN: "Run again; the log has the details.",
}


@dataclass(frozen=True, slots=True)
class Failure:
    """A typed, readable failure. `param` names the offending request field when known;
    `detail` is the server's own message (technical detail, see the module docstring)."""

    kind: FailureKind
    message: str
    status: int | None = None
    code: str | None = None
    param: str | None = None
    request_id: str | None = None
    attempts: int = 1
    detail: str | None = None
    retry_after_s: float | None = None
    """How long the server asked to wait before another request, in seconds (its
    `retry-after-ms`, `retry-after`, or the `x-ratelimit-reset-*` of an exhausted limit);
    None when it did not say. Evaluations hold a rate-limited provider back this long."""
    advice: str | None = None
    """What to do, when the failure knows better than its kind's hint (a reasoning item the
    server no longer holds, core/missing_state.py); None: the kind's hint."""

    @property
    def title(self) -> str:
        return _TITLES[self.kind]

    @property
    def hint(self) -> str:
        return self.advice or _HINTS.get(self.kind, "")

    def describe(self) -> str:
        """One or two sentences for a person: what happened, and what to do."""
        head = f"{self.title}"
        if self.status:
            head += f" ({self.status})"
        text = f"{head}: {self.message}"
        if self.hint:
            text += f" {self.hint}"
        return text

    def details(self) -> str:
        """The technical detail, one fact a line ("" when there is none): the server's own
        message, the HTTP status, the error code, the parameter and the request id."""
        lines = []
        if self.detail:
            lines.append(f"The server said: {self.detail}")
        if self.status:
            lines.append(f"HTTP status: {self.status}")
        if self.code:
            lines.append(f"Code: {self.code}")
        if self.param:
            lines.append(f"Parameter: {self.param}")
        if self.request_id:
            lines.append(f"Request id: {self.request_id}")
        if self.attempts > 1:
            lines.append(f"Attempts: {self.attempts}")
        return "\n".join(lines)


class FailedCall(Exception):
    """A call to a server failed; `failure` says how, in the app's words (its message is the
    exception's text). The services' own kinds (a worker's request, a background run, a
    conversation call) subclass it."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure
