"""Whatever the Batch flow raises (a missing key, the SDK's own client errors, any status the
server answers, a dropped connection) the tab says it in the app's words, never the SDK's."""

from __future__ import annotations

import httpx2
import openai
from hypothesis import given
from hypothesis import strategies as st

from playground.core.profiles import ProviderProfile
from playground.ui.controllers.batch_controller import NoKey, said_of
from tests.services.test_failure_words import _BY_STATUS, server_words
from tests.user_words import problems

PROFILE = ProviderProfile(name="Sim8758", base_url="http://127.0.0.1:8758/v1")
REQUEST = httpx2.Request("GET", "http://127.0.0.1:8758/v1/batches/batch_1")


def test_a_missing_key_reads_as_an_interactive_runs() -> None:
    assert said_of(NoKey(PROFILE), PROFILE) == (
        "No API key for the profile Sim8758: add one in Providers."
    )


def test_the_sdks_missing_credentials_text_is_never_shown() -> None:
    sdk = openai.OpenAIError(
        "Missing credentials. Please pass an `api_key`, or set the `OPENAI_API_KEY` "
        "environment variable."
    )
    said = said_of(sdk, PROFILE)
    assert "Missing credentials" not in said and "api_key" not in said
    assert problems(said) == []


@given(st.sampled_from(sorted(_BY_STATUS)), server_words)
def test_any_refusal_or_dropped_connection_is_in_user_words(status: int, words: str) -> None:
    response = httpx2.Response(status, request=REQUEST)
    body = {"message": words, "code": None, "param": None, "type": "invalid_request_error"}
    refused = _BY_STATUS[status](f"Error code: {status}", response=response, body=body)
    for exc in (refused, openai.APIConnectionError(request=REQUEST)):
        said = said_of(exc, PROFILE)
        assert problems(said) == [], said
        assert "Error code:" not in said
