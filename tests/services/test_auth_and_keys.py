"""Keys live in the keyring only: profiles cannot hold credential headers, the key is sent in
the profile's auth style, and one resolver decides which key goes where."""

from __future__ import annotations

import asyncio
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.profiles import ProviderProfile, is_credential_header
from playground.core.workspace import Message, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.connection import Connections, resolve_key
from playground.services.keystore import KeyStore
from playground.services.simulator import Simulator
from tests.services.test_keystore import MemoryKeyring

AZURE_KEY = "0123456789abcdef0123456789abcdef"
WS = Workspace(
    profile="Azure",
    model="gpt-4o-mini",
    messages=[Message(role="user", content="Say hi")],
)
CREDENTIAL_NAMES = [
    "Authorization",
    "api-key",
    "x-api-key",
    "Ocp-Apim-Subscription-Key",
    "X-Goog-Api-Key",
    "x-auth-token",
    "X-Client-Secret",
    "Proxy-Authorization",
]


def _text(run: list[object]) -> str:
    return "".join(getattr(e, "text", "") for e in run if type(e).__name__ == "TextDelta")


async def _collect(backend: OpenAIBackend, profile: ProviderProfile, key: str) -> list[object]:
    try:
        return [e async for e in backend.run(WS, profile, key)]
    finally:
        await backend.aclose()


def test_azure_auth_style_sends_the_api_key_header_and_no_authorization(
    simulator: Simulator,
) -> None:
    simulator.api_key = AZURE_KEY
    simulator.auth = "api-key"
    profile = ProviderProfile(
        name="Azure",
        base_url=simulator.base_url,
        auth="api-key",
        query={"api-version": "2024-10-21"},
        max_retries=0,
    )
    events = asyncio.run(_collect(OpenAIBackend(strict=True), profile, AZURE_KEY))
    assert "Simulated answer" in _text(events)
    sent = simulator.requests[-1]
    assert sent.headers["api-key"] == AZURE_KEY
    assert "authorization" not in sent.headers
    assert sent.query == {"api-version": "2024-10-21"}


def test_bearer_style_against_an_api_key_server_is_refused(simulator: Simulator) -> None:
    simulator.api_key = AZURE_KEY
    simulator.auth = "api-key"
    profile = ProviderProfile(name="Azure", base_url=simulator.base_url, max_retries=0)
    events = asyncio.run(_collect(OpenAIBackend(strict=True), profile, AZURE_KEY))
    failed = [e for e in events if type(e).__name__ == "Failed"]
    assert failed and failed[0].failure.status == 401  # type: ignore[attr-defined]


def test_the_known_credential_headers_are_dropped_by_every_way_in() -> None:
    headers = {name: f"secret-{i}-value" for i, name in enumerate(CREDENTIAL_NAMES)}
    headers["X-Trace"] = "1"
    by_kwargs = ProviderProfile(name="p", headers=headers)
    by_dict = ProviderProfile.model_validate({"name": "p", "headers": headers, "api_key": "sk-x"})
    by_json = ProviderProfile.model_validate_json(
        json.dumps({"name": "p", "headers": headers, "api_key": "sk-x"})
    )
    for profile in (by_kwargs, by_dict, by_json):
        assert profile.headers == {"X-Trace": "1"}
        assert "secret-" not in profile.model_dump_json()
        assert "sk-x" not in profile.model_dump_json()


def test_keys_in_query_parameters_and_base_urls_are_dropped() -> None:
    profile = ProviderProfile(
        name="p",
        base_url="https://user:pw-1@host:8443/v1?api-key=sk-in-url&region=eu",
        query={"key": "sk-in-query", "api-version": "2024-10-21"},
    )
    assert profile.base_url == "https://host:8443/v1?region=eu"
    assert profile.query == {"api-version": "2024-10-21"}
    assert "sk-in" not in profile.model_dump_json() and "pw-1" not in profile.model_dump_json()


def test_unknown_fields_that_are_not_secrets_round_trip() -> None:
    profile = ProviderProfile.model_validate({"name": "p", "region": "eu", "api_token": "t-1"})
    dumped = profile.model_dump()
    assert dumped["region"] == "eu" and "api_token" not in dumped


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.one_of(
            st.sampled_from(CREDENTIAL_NAMES).map(
                lambda n: "".join(c.upper() if i % 2 else c for i, c in enumerate(n))
            ),
            st.from_regex(r"\A[A-Za-z][A-Za-z0-9-]{0,12}(key|token|secret|auth)[A-Za-z-]{0,6}\Z"),
            st.from_regex(r"\A[A-Za-z][A-Za-z0-9-]{0,20}\Z"),
        ),
        st.text(min_size=1, max_size=20).map(lambda v: "MARK" + v),
        max_size=6,
    )
)
def test_no_drawn_credential_header_survives_validation(headers: dict[str, str]) -> None:
    profile = ProviderProfile(name="drawn", headers=headers)
    for name in profile.headers:
        assert not is_credential_header(name)
    kept = {k: v for k, v in headers.items() if not is_credential_header(k)}
    assert profile.headers == kept
    again = ProviderProfile.model_validate_json(profile.model_dump_json())
    assert again.headers == kept


def _store(**keys: str) -> KeyStore:
    store = KeyStore(MemoryKeyring())
    for name, key in keys.items():
        store.set(name, key)
    return store


def test_one_resolver_decides_which_key_goes_where() -> None:
    env = {"OPENAI_API_KEY": "sk-openai-env", "MY_AZURE_KEY": AZURE_KEY}
    openai = ProviderProfile(name="OpenAI", kind="openai")
    azure = ProviderProfile(name="Azure", base_url="https://x.openai.azure.com/openai/v1")
    adhoc = ProviderProfile(name="custom endpoint http://127.0.0.1:1/v1")
    empty = _store()
    # OPENAI_API_KEY: the OpenAI profile and an ad-hoc endpoint, never a named third party
    assert resolve_key(openai, empty, env) == "sk-openai-env"
    assert resolve_key(azure, empty, env) is None
    assert resolve_key(adhoc, empty, env, ad_hoc=True) == "sk-openai-env"
    # a named profile uses its own keyring entry, before any variable
    stored = _store(Azure="azure-from-keyring", OpenAI="openai-from-keyring")
    assert resolve_key(azure, stored, env) == "azure-from-keyring"
    assert resolve_key(openai, stored, env) == "openai-from-keyring"
    # an ad-hoc endpoint has no name: no keyring entry applies to it
    assert resolve_key(adhoc, _store(**{adhoc.name: "nope"}), env, ad_hoc=True) == ("sk-openai-env")
    # --api-key-env picks another variable
    assert resolve_key(azure, stored, env, api_key_env="MY_AZURE_KEY") == AZURE_KEY
    assert resolve_key(azure, stored, env, api_key_env="UNSET_VAR") is None


def test_the_window_resolver_never_sends_openai_api_key_to_a_third_party() -> None:
    connections = Connections(_store(), env={"OPENAI_API_KEY": "sk-openai-env"})
    azure = ProviderProfile(name="Azure", base_url="https://x.openai.azure.com/openai/v1")
    openai = ProviderProfile(name="OpenAI", kind="openai")
    assert asyncio.run(connections.resolve(azure))[1] is None
    assert asyncio.run(connections.resolve(openai))[1] == "sk-openai-env"
