"""SDK exceptions -> typed failures, by exception class (never by message text)."""

from __future__ import annotations

import openai

from playground.core.errors import Failure, FailureKind

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


def _message(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    if isinstance(exc, openai.APITimeoutError):
        return "The request timed out."
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__
        detail = f" ({type(cause).__name__})" if cause else ""
        return f"Could not connect to the server{detail}."
    return str(getattr(exc, "message", None) or exc) or type(exc).__name__


def failure_from_exception(exc: BaseException, attempts: int = 1) -> Failure:
    """The typed failure for any exception raised while running a request."""
    kind = next((k for cls, k in _BY_CLASS if isinstance(exc, cls)), None)
    if kind is None:
        invalid = isinstance(exc, ValueError)
        kind = FailureKind.INVALID_RESPONSE if invalid else FailureKind.UNKNOWN
    status = getattr(exc, "status_code", None)
    return Failure(
        kind=kind,
        message=_message(exc),
        status=status if isinstance(status, int) else None,
        code=_str_or_none(getattr(exc, "code", None)),
        param=_str_or_none(getattr(exc, "param", None)),
        request_id=_str_or_none(getattr(exc, "request_id", None)),
        attempts=attempts,
    )


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
