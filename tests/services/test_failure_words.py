"""The failure mapper speaks in the app's words: whatever the SDK raises, with whatever the
server said, a failure's title, message and hint never carry the server's text, the SDK's
message, a class name or a repr; the server's own text is kept as detail."""

from __future__ import annotations

import httpx2
import openai
from hypothesis import given
from hypothesis import strategies as st

from playground.core.errors import FailureKind
from playground.services.failures import failure_from_exception
from tests.user_words import problems

URL = "http://127.0.0.1:9/v1/chat/completions"
_BY_STATUS = {
    400: openai.BadRequestError,
    401: openai.AuthenticationError,
    403: openai.PermissionDeniedError,
    404: openai.NotFoundError,
    409: openai.ConflictError,
    422: openai.UnprocessableEntityError,
    429: openai.RateLimitError,
    500: openai.InternalServerError,
    503: openai.InternalServerError,
    418: openai.APIStatusError,
}
# what a server says: distinctive, so finding it in the app's words is no coincidence
said = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)
server_words = st.builds(lambda s: f"SRV<{s}>", said)
bodies = st.one_of(
    st.none(),
    server_words,  # a proxy's plain text
    st.fixed_dictionaries(
        {"message": server_words},
        optional={
            "code": st.sampled_from(
                [
                    "invalid_api_key",
                    "rate_limit_exceeded",
                    "previous_response_not_found",
                    "model_not_found",
                    "unsupported_parameter",
                    "unsupported_value",
                    "integer_above_max_value",
                    "context_length_exceeded",
                    "insufficient_quota",
                    None,
                ]
            ),
            "param": st.sampled_from(["temperature", "model", None]),
            "type": st.sampled_from(["invalid_request_error", "server_error"]),
        },
    ),
)


@st.composite
def sdk_errors(draw: st.DrawFn) -> tuple[BaseException, str | None]:
    """An exception as the SDK raises it, and the server's own text in it (None: none)."""
    request = httpx2.Request("POST", URL)
    form = draw(st.sampled_from(["status", "connection", "timeout", "validation", "other"]))
    if form == "status":
        status = draw(st.sampled_from(sorted(_BY_STATUS)))
        body = draw(bodies)
        response = httpx2.Response(status, request=request)
        message = f"Error code: {status} - {body!r}"
        exc: BaseException = _BY_STATUS[status](message, response=response, body=body)
        text = body["message"] if isinstance(body, dict) else body
        return exc, text
    if form == "connection":
        return openai.APIConnectionError(message=draw(server_words), request=request), None
    if form == "timeout":
        return openai.APITimeoutError(request=request), None
    if form == "validation":
        response = httpx2.Response(200, request=request)
        return openai.APIResponseValidationError(response, draw(bodies)), None
    cls = draw(st.sampled_from([openai.OpenAIError, RuntimeError, KeyError, ValueError]))
    words = ["Missing credentials. Please pass an `api_key`", "SDK<said this>"]
    return cls(draw(st.sampled_from(words))), None


@given(sdk_errors())
def test_a_failure_speaks_in_the_apps_words(case: tuple[BaseException, str | None]) -> None:
    exc, server_text = case
    f = failure_from_exception(exc)
    shown = "\n".join([f.title, f.message, f.hint, f.describe()])
    assert problems(shown) == [], shown
    assert "SRV<" not in shown  # the server's words are detail, never the card's text
    assert "SDK<" not in shown and "Missing credentials" not in shown
    assert f.message and f.message.endswith(".")
    if server_text is not None:
        assert f.detail is not None and f.detail.startswith("SRV<")
        assert f.details().startswith("The server said: SRV<")
    assert problems(f.details().replace(f.detail or "", "")) == []


def test_a_missing_credentials_error_is_not_shown_in_the_sdks_words() -> None:
    """The SDK refuses to make a client without a key: "Missing credentials. Please pass an
    `api_key`..." (the providers dialog showed it)."""
    f = failure_from_exception(openai.OpenAIError("Missing credentials. Please pass an `api_key`"))
    assert f.kind is FailureKind.UNKNOWN
    assert f.describe() == (
        "Unexpected error: Something unexpected went wrong while running the request. "
        "Run again; the log has the details."
    )
    assert f.detail is None


def _status_error(status: int, code: str | None, param: str | None) -> BaseException:
    request = httpx2.Request("POST", URL)
    body = {"message": "SRV<reason>", "code": code, "param": param}
    response = httpx2.Response(status, request=request)
    return _BY_STATUS[status]("Error code", response=response, body=body)


def test_a_missing_previous_response_is_named_not_called_a_parameter() -> None:
    failure = failure_from_exception(
        _status_error(400, "previous_response_not_found", "previous_response_id")
    )
    assert "no longer holds the previous response" in failure.message
    assert "Send everything" in failure.hint  # what to do: send the whole conversation
    assert "does not accept the parameter" not in failure.message
    assert failure.detail == "SRV<reason>"


def test_an_unknown_model_is_named() -> None:
    failure = failure_from_exception(_status_error(404, "model_not_found", None), model="gpt-9")
    assert (
        failure.message
        == "The server does not know the model gpt-9, or the key has no access to it."
    )


def test_a_value_out_of_range_says_so() -> None:
    failure = failure_from_exception(_status_error(400, "integer_above_max_value", "temperature"))
    assert "the value of temperature is out of range" in failure.message
    failure = failure_from_exception(_status_error(400, "unsupported_parameter", "top_p"))
    assert "the model does not take top_p" in failure.message
