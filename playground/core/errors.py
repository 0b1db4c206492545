"""Typed failures: every way a run can go wrong, as data the UI and CLI can show."""

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
    UNKNOWN = "unknown"


_TITLES = {
    FailureKind.AUTHENTICATION: "Authentication failed",
    FailureKind.PERMISSION: "Permission denied",
    FailureKind.NOT_FOUND: "Not found",
    FailureKind.BAD_REQUEST: "Bad request",
    FailureKind.CONFLICT: "Conflict",
    FailureKind.UNPROCESSABLE: "Request could not be processed",
    FailureKind.RATE_LIMIT: "Rate limited",
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
    FailureKind.UNKNOWN: "Unexpected error",
}

_HINTS = {
    FailureKind.AUTHENTICATION: "Check the API key of this provider profile.",
    FailureKind.PERMISSION: "The key has no access to this model or project.",
    FailureKind.NOT_FOUND: "Check the model id and the base URL.",
    FailureKind.RATE_LIMIT: "Wait a moment and run again, or lower the request rate.",
    FailureKind.SERVER: "The server had a problem; running again usually works.",
    FailureKind.CONNECTION: "Check the base URL and that the server is running.",
    FailureKind.TIMEOUT: "The server did not answer in time; raise the timeout or try again.",
    FailureKind.INCOMPLETE: "Raise the output token limit, or continue the answer.",
    FailureKind.UNREADABLE_STREAM: "Run again, or turn streaming off for this server.",
    FailureKind.MISSING_KEY: "Add an API key for this provider, or use the Offline simulator.",
}


@dataclass(frozen=True, slots=True)
class Failure:
    """A typed, readable failure. `param` names the offending request field when known."""

    kind: FailureKind
    message: str
    status: int | None = None
    code: str | None = None
    param: str | None = None
    request_id: str | None = None
    attempts: int = 1

    @property
    def title(self) -> str:
        return _TITLES[self.kind]

    @property
    def hint(self) -> str:
        return _HINTS.get(self.kind, "")

    def describe(self) -> str:
        """One or two sentences for a person: what happened, and what to do."""
        head = f"{self.title}"
        if self.status:
            head += f" ({self.status})"
        text = f"{head}: {self.message}"
        if self.param:
            text += f" [parameter: {self.param}]"
        if self.hint:
            text += f" {self.hint}"
        return text
