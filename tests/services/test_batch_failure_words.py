"""A request refused inside a batch reads as the same request refused interactively: for any
status and error body, failure_from_status (a line of a batch's error file) gives the kind,
the message and the detail failure_from_exception gives for the SDK's exception."""

from __future__ import annotations

import httpx2
from hypothesis import given
from hypothesis import strategies as st

from playground.services.failures import failure_from_exception, failure_from_status
from tests.services.test_failure_words import _BY_STATUS, server_words
from tests.user_words import problems

codes = st.sampled_from(
    ["model_not_found", "unsupported_parameter", "unsupported_value", "invalid_type",
     "context_length_exceeded", "insufficient_quota", "rate_limit_exceeded", None]
)  # fmt: skip


@given(
    st.sampled_from(sorted(_BY_STATUS)),
    codes,
    st.sampled_from(["temperature", "model", None]),
    server_words,
    st.sampled_from(["gpt-4o-mini", None]),
)
def test_a_refused_line_reads_as_the_same_refusal_interactively(
    status: int, code: str | None, param: str | None, message: str, model: str | None
) -> None:
    body = {"message": message, "code": code, "param": param, "type": "invalid_request_error"}
    response = httpx2.Response(status, request=httpx2.Request("POST", "http://127.0.0.1:9/v1"))
    exc = _BY_STATUS[status](f"Error code: {status}", response=response, body=body)
    live = failure_from_exception(exc, model=model)
    line = failure_from_status(status, code, message, param, model)
    assert (line.kind, line.message, line.status, line.detail) == (
        live.kind,
        live.message,
        live.status,
        live.detail,
    )
    assert message not in line.message and not problems(line.message)
