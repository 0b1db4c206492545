"""SDK exceptions -> typed failures, by exception class (never by message text)."""

from __future__ import annotations

import errno
import json
import logging
import re
import socket
import ssl
from collections.abc import Awaitable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import openai

from playground.core.errors import FailedCall, Failure, FailureKind
from playground.core.missing_state import missing_from_error, words
from playground.core.text import scrub

T = TypeVar("T")

log = logging.getLogger(__name__)

# Most specific first: APITimeoutError is an APIConnectionError, every class is an APIError.
_BY_CLASS: tuple[tuple[type[BaseException], FailureKind], ...] = (
    (openai.AuthenticationError, FailureKind.AUTHENTICATION),
    (openai.PermissionDeniedError, FailureKind.PERMISSION),
    (openai.NotFoundError, FailureKind.NOT_FOUND),
    (openai.BadRequestError, FailureKind.BAD_REQUEST),
    (openai.ConflictError, FailureKind.CONFLICT),
    (openai.UnprocessableEntityError, FailureKind.UNPROCESSABLE),
    (openai.RateLimitError, FailureKind.RATE_LIMIT),
    (openai.InternalServerError, FailureKind.SERVER),
    (openai.APITimeoutError, FailureKind.TIMEOUT),
    (openai.APIConnectionError, FailureKind.CONNECTION),
    (openai.APIResponseValidationError, FailureKind.INVALID_RESPONSE),
    (openai.APIStatusError, FailureKind.UNKNOWN),
    (openai.APIError, FailureKind.STREAM_ERROR),
)


_SAID: dict[FailureKind, str] = {
    FailureKind.AUTHENTICATION: "The server did not accept the API key.",
    FailureKind.PERMISSION: "The key has no access to what the request asked for.",
    FailureKind.NOT_FOUND: "The server does not know the model or the address asked for.",
    FailureKind.BAD_REQUEST: "The server refused the request as sent.",
    FailureKind.CONFLICT: "The server reported a conflict with another request.",
    FailureKind.UNPROCESSABLE: "The server could not process the request as sent.",
    FailureKind.RATE_LIMIT: "The server is limiting requests or tokens for now.",
    FailureKind.FLEX_UNAVAILABLE: "Flex processing has no capacity for this request now "
    "(the server answered 429 Resource Unavailable).",
    FailureKind.SERVER: "The server had an internal error.",
    FailureKind.TIMEOUT: "The server did not answer in time.",
    FailureKind.INVALID_RESPONSE: "The server's answer is not in the shape the API describes.",
    FailureKind.STREAM_ERROR: "The server reported an error in the middle of the answer.",
    FailureKind.UNKNOWN: "Something unexpected went wrong while running the request.",
}


_VALUE_CODES = frozenset(
    {
        "invalid_value",
        "integer_above_max_value",
        "integer_below_min_value",
        "decimal_above_max_value",
        "decimal_below_min_value",
        "invalid_type",
    }
)
"""Error codes of a parameter's value out of range or of the wrong type (the API's error
object, reference/openai-protocol.md section "errors", checked 2026-12-01)."""


def _said(
    kind: FailureKind,
    status: int | None,
    param: str | None,
    code: str | None = None,
    model: str | None = None,
) -> str:
    """What happened, in the app's words (never the SDK's), as precise as the error's code
    (the API's `error.code`) and parameter allow."""
    if code == "context_length_exceeded":
        return "The request is longer than the model's context window allows."
    if code == "insufficient_quota":
        return "The account has no quota left: check its plan and billing."
    if kind is FailureKind.NOT_FOUND and (code == "model_not_found" or param == "model"):
        named = f"the model {model}" if model else "the model"
        return f"The server does not know {named}, or the key has no access to it."
    if kind is FailureKind.NOT_FOUND and model:
        return f"The server does not know the model {model} or the address asked for."
    if kind in (FailureKind.BAD_REQUEST, FailureKind.UNPROCESSABLE) and param:
        if code == "unsupported_parameter":
            return f"The server refused the request: the model does not take {param}."
        if code == "unsupported_value":
            return f"The server refused the request: the model does not take this value of {param}."
        if code in _VALUE_CODES:
            return (
                f"The server refused the request: the value of {param} is out of range or of "
                "the wrong type."
            )
        return f"The server refused the request: it does not accept the parameter {param} as sent."
    if kind is FailureKind.UNKNOWN and status:
        return f"The server answered with status {status}."
    return _SAID.get(kind, _SAID[FailureKind.UNKNOWN])


def _what_is_missing(
    status: int | None, code: str | None, param: str | None, text: str | None, said: str
) -> tuple[str, str | None]:
    """(message, advice): the words of what the server no longer holds when its error says
    so (core/missing_state.py: by code, param, then the id its text names), else `said` and
    no advice (the kind's hint)."""
    missing = missing_from_error(status, code, param, text)
    return words(missing) if missing is not None else (said, None)


def _server_text(exc: BaseException) -> str | None:
    """What the server itself said: the API error object's message, else a plain-text body
    (a proxy's page), shortened; None when it said nothing."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"]) or None
    if isinstance(exc, openai.APIStatusError) and isinstance(body, str):
        # the SDK's str() prefixes "Error code: N - ", which is not for people
        text = " ".join(body.split())
        return (text if len(text) <= 300 else text[:299] + "…") or None
    return None


LIMIT_CODES = frozenset({"rate_limit_exceeded", "insufficient_quota"})
"""The error codes of a 429 that is the account's own limit (a rate or a quota), not short
capacity (reference/openai-protocol.md "errors"; platform.openai.com/docs/guides/error-codes,
checked 2026-12-01)."""


def is_flex_unavailable(status: int | None, code: str | None, tier: str | None) -> bool:
    """Whether an error is flex's "429 Resource Unavailable": a 429 to a request sent with
    service_tier "flex" whose code is not a rate or quota limit (LIMIT_CODES). By status,
    code and the tier sent, never by the message's text (the flex guide,
    developers.openai.com/api/docs/guides/flex-processing, checked 2026-12-01)."""
    return status == 429 and tier == "flex" and code not in LIMIT_CODES


def failure_from_exception(
    exc: BaseException, attempts: int = 1, model: str | None = None, tier: object = None
) -> Failure:
    """The typed failure for any exception raised while running a request.

    The message is the app's words for the kind; what the server said goes to `detail`. An
    exception that is not the server's answer (the SDK refusing to send, a bug) is logged with
    its traceback and shown only as "something unexpected": its text is the SDK's or Python's.
    `model`: the model the request named, for a message that names it; `tier`: the
    service_tier it sent (a 429 to a flex request is FLEX_UNAVAILABLE: is_flex_unavailable).
    """
    kind = next((k for cls, k in _BY_CLASS if isinstance(exc, cls)), None)
    if kind is None:
        invalid = isinstance(exc, ValueError)
        kind = FailureKind.INVALID_RESPONSE if invalid else FailureKind.UNKNOWN
    status = getattr(exc, "status_code", None)
    status = status if isinstance(status, int) else None
    param = _str_or_none(getattr(exc, "param", None))
    code = _str_or_none(getattr(exc, "code", None))
    if kind is FailureKind.RATE_LIMIT and is_flex_unavailable(
        status, code, tier if isinstance(tier, str) else None
    ):
        kind = FailureKind.FLEX_UNAVAILABLE
    message = _said(kind, status, param, code, model)
    if isinstance(exc, openai.APIConnectionError) and not isinstance(exc, openai.APITimeoutError):
        request = getattr(exc, "request", None)
        url = str(getattr(request, "url", "") or "")
        server = server_name(url) if url else "the server"
        reason = _connection_reason(exc)
        message = f"Could not connect to {server}" + (f": {reason}." if reason else ".")
    detail = _server_text(exc)
    if detail is None and not isinstance(exc, openai.APIError):
        log.warning("a run failed on an unexpected exception", exc_info=exc)
    message, advice = _what_is_missing(status, code, param, detail, message)
    return Failure(
        kind=kind,
        message=message,
        advice=advice,
        status=status,
        code=code,
        param=param,
        request_id=_str_or_none(getattr(exc, "request_id", None)),
        attempts=attempts,
        detail=scrub(detail) if detail else None,  # it may carry lone surrogate halves
        retry_after_s=retry_after(getattr(getattr(exc, "response", None), "headers", None)),
    )


_BY_STATUS = {
    400: FailureKind.BAD_REQUEST,
    401: FailureKind.AUTHENTICATION,
    403: FailureKind.PERMISSION,
    404: FailureKind.NOT_FOUND,
    409: FailureKind.CONFLICT,
    422: FailureKind.UNPROCESSABLE,
    429: FailureKind.RATE_LIMIT,
}
"""The SDK's status -> exception class mapping (openai-python `_client._make_status_error`),
as kinds: what an answer that never became an exception (a batch's error line) maps to."""


def failure_from_status(
    status: int | None,
    code: str | None,
    message: str | None,
    param: str | None = None,
    model: str | None = None,
) -> Failure:
    """The typed failure of an error the server reported without an exception (a line of a
    batch's error file): the kind from the HTTP status as the SDK would class it (5xx a
    server error), the app's words from the error's code and param (as for a live request),
    the server's own message as `detail`."""
    if status is None:
        kind = FailureKind.UNKNOWN
    elif status >= 500:
        kind = FailureKind.SERVER
    else:
        kind = _BY_STATUS.get(status, FailureKind.UNKNOWN)
    said, advice = _what_is_missing(
        status, code, param, message, _said(kind, status, param, code, model)
    )
    return Failure(
        kind=kind,
        message=said,
        advice=advice,
        status=status,
        code=code,
        param=param,
        detail=scrub(message) if message else None,
    )


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def retry_after(headers: Any) -> float | None:
    """Seconds the server asked to wait: `retry-after-ms`, `retry-after` (seconds), else the
    reset time of an `x-ratelimit-*` limit whose remaining count is 0 (OpenAI's form "1s",
    "6m0s", "20ms"; platform.openai.com/docs/guides/rate-limits, "Rate limits in headers",
    checked 2026-12-01). None when the headers say nothing usable (or are not there)."""
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is not None:
            try:
                delay = float(value) * scale
            except ValueError:
                continue
            if 0 <= delay <= 3600:
                return delay
    waits = []
    for kind in ("requests", "tokens"):
        if str(headers.get(f"x-ratelimit-remaining-{kind}", "")).strip() == "0":
            reset = str(headers.get(f"x-ratelimit-reset-{kind}", ""))
            parts = _DURATION.findall(reset)
            if parts and "".join(n + u for n, u in parts) == reset.strip():
                waits.append(sum(float(n) * _UNIT_S[u] for n, u in parts))
    return max(waits) if waits else None


_ERRNO_REASONS = {
    errno.ECONNREFUSED: "the connection was refused (is the server running on that port?)",
    errno.ECONNRESET: "the connection was reset",
    errno.EHOSTUNREACH: "the host cannot be reached",
    errno.ENETUNREACH: "the network cannot be reached",
    errno.ETIMEDOUT: "the connection timed out",
}


def _connection_reason(exc: BaseException) -> str:
    """Why a connection failed, in words, from the exception's chain of causes (the transport
    wraps the OS error); "" when nothing in the chain says."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, socket.gaierror):
            return "the host name could not be resolved"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return "its TLS certificate could not be verified"
        if isinstance(cause, ssl.SSLError):
            return "the TLS handshake failed"
        if isinstance(cause, OSError) and cause.errno in _ERRNO_REASONS:
            return _ERRNO_REASONS[cause.errno]
        cause = cause.__cause__ or cause.__context__
    return ""


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def server_name(base_url: str) -> str:
    """The server a base URL names, as a person knows it: host and port, no user info."""
    netloc = urlsplit(base_url).netloc.rpartition("@")[2]
    return netloc or base_url


def unreadable(base_url: str, exc: ValueError, streamed: bool = True) -> Failure:
    """The failure for an answer the SDK could not parse (it raised `exc`, a ValueError).

    openai-python's SSE decoder (openai/_streaming.py, 3.57, checked 2026-11-30) keeps the last
    `id:` across events, so a comment line (`: keep-alive`) after an `id:` line closes an event
    with empty data, which it cannot read as JSON; bytes that are not UTF-8 fail the same way.
    The partial answer stays in the turn (the backend yields it before this failure).
    """
    if isinstance(exc, json.JSONDecodeError) and not exc.doc.strip():
        what = "an event had no data (a comment or keep-alive line after an id: line)"
    elif isinstance(exc, json.JSONDecodeError):
        what = "an event's data is not JSON"
    elif isinstance(exc, UnicodeDecodeError):
        what = "it is not UTF-8 text"
    else:
        what = "the OpenAI SDK could not parse it"
    server = server_name(base_url)
    if not streamed:
        return Failure(
            FailureKind.INVALID_RESPONSE, f"The answer from {server} could not be read: {what}."
        )
    return Failure(
        FailureKind.UNREADABLE_STREAM,
        f"The stream from {server} could not be read: {what}. The answer so far is kept.",
    )


async def raising(coro: Awaitable[T], error: type[FailedCall]) -> T:
    """`await coro`, an SDK error raised as `error` (a core.errors.FailedCall) carrying the
    typed failure (failure_from_exception)."""
    try:
        return await coro
    except openai.OpenAIError as exc:
        raise error(failure_from_exception(exc)) from exc
