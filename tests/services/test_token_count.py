"""Counting a request's input tokens before sending: the simulator's count endpoint, the
fallback when a server does not offer it, and the local estimates (tiktoken absent)."""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import socket
import sys
import types
import urllib.error
import urllib.request
from pathlib import Path

import openai
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core import request, token_estimate
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn, TurnAccumulator
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.connection import Connections
from playground.services.keystore import KeyStore
from playground.services.simulator import Simulator
from playground.services.token_count import (
    ENCODINGS,
    TokenCount,
    TokenCounter,
    cached_encoding,
    local_count,
)
from tests.conftest import run
from tests.services.test_keystore import MemoryKeyring

KEY = "sk-count-test"


def counter() -> TokenCounter:
    store = KeyStore(MemoryKeyring())
    for name in ("test", "elsewhere", "closed"):
        store.set(name, KEY)
    return TokenCounter(Connections(store, env={}), OpenAIBackend(strict=True), env={})


def ws(text: str = "How many tokens is this?", api: str = "responses", **kw: object) -> Workspace:
    return Workspace(
        api=api,  # type: ignore[arg-type]
        model="gpt-4o-mini",
        instructions="Answer in one sentence.",
        messages=[Message(role="user", content=text)],
        **kw,  # type: ignore[arg-type]
    )


def count(tc: TokenCounter, workspace: Workspace, profile: ProviderProfile) -> TokenCount:
    async def go() -> TokenCount:
        try:
            return await tc.count(request.build(workspace), profile)
        finally:
            await tc.aclose()

    return run(go())


def usage_after(workspace: Workspace, profile: ProviderProfile) -> AssistantTurn:
    async def go() -> AssistantTurn:
        backend = OpenAIBackend(strict=True)
        acc = TurnAccumulator()
        try:
            async for event in backend.run(workspace, profile, KEY):
                acc.apply(event)
        finally:
            await backend.aclose()
        return acc.turn()

    return run(go())


def test_the_count_before_sending_equals_the_usage_after(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    workspace = ws()
    before = count(counter(), workspace, profile)
    turn = usage_after(workspace, profile)
    assert before.method == "server" and before.exact
    assert before.label == f"{before.tokens:,} input tokens"
    assert turn.usage is not None and before.tokens == turn.usage.input_tokens
    # the count went to the endpoint with the request's input, and nothing it refuses
    sent = simulator.count_requests[0].body
    assert sent["input"] == request.build(workspace).kwargs["input"]
    assert "stream" not in sent and "store" not in sent


def test_the_count_follows_previous_response_id(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    first = usage_after(ws("Remember the word 'teal'."), profile)
    assert first.response_id
    follow = ws("Which word?", params=Parameters(previous_response_id=first.response_id))
    before = count(counter(), follow, profile)
    turn = usage_after(follow, profile)
    assert turn.usage is not None and before.tokens == turn.usage.input_tokens
    assert before.tokens > count(counter(), ws("Which word?"), profile).tokens


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(["user", "assistant", "developer", "system"]), texts),
        min_size=1,
        max_size=4,
    ),
    texts,
)
def test_count_equals_usage_for_any_conversation(
    simulator: Simulator, profile: ProviderProfile, turns: list[tuple[str, str]], instructions: str
) -> None:
    turns[-1] = ("user", turns[-1][1] or "hi")
    workspace = Workspace(
        model="gpt-4o-mini",
        instructions=instructions,
        messages=[Message(role=r, content=t) for r, t in turns],  # type: ignore[arg-type]
    )
    before = count(counter(), workspace, profile)
    turn = usage_after(workspace, profile)
    assert turn.failure is None, turn.failure
    assert turn.usage is not None and before == TokenCount(turn.usage.input_tokens, True, "server")


def test_a_server_without_the_endpoint_is_remembered_and_estimated(
    simulator: Simulator,
) -> None:
    # a real 404 for the path: the simulator under another prefix answers "Invalid URL"
    elsewhere = ProviderProfile(name="elsewhere", base_url=simulator.base_url + "/compat")
    tc = counter()

    async def twice() -> tuple[TokenCount, TokenCount]:
        try:
            built = request.build(ws())
            return await tc.count(built, elsewhere), await tc.count(built, elsewhere)
        finally:
            await tc.aclose()

    first, second = run(twice())
    assert first == second
    assert not first.exact and first.method == "characters"
    assert first.label.startswith("~") and first.label.endswith("input tokens (estimate)")
    assert not tc.offers(elsewhere)
    moved = elsewhere.model_copy(update={"base_url": simulator.base_url})
    assert tc.offers(moved)  # the profile now points elsewhere: it is asked again
    asked = simulator.count_requests
    assert len(asked) == 1  # remembered: the second count did not ask again


def test_an_unreachable_server_is_remembered() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    closed = ProviderProfile(name="closed", base_url=f"http://127.0.0.1:{port}/v1", timeout=2)
    tc = counter()
    found = count(tc, ws(), closed)
    assert found.method == "characters" and not tc.offers(closed)


def test_an_unknown_model_is_not_taken_for_a_missing_endpoint(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    tc = counter()
    found = count(tc, ws().model_copy(update={"model": "gpt-nobody-knows"}), profile)
    assert found.method == "characters"
    assert tc.offers(profile)  # a 404 model_not_found: the endpoint is there


def test_chat_is_estimated_without_asking_the_server(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    found = count(counter(), ws(api="chat"), profile)
    assert found.method == "characters" and not found.exact
    assert simulator.requests == [] and simulator.count_requests == []


def test_without_tiktoken_the_estimate_is_by_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tiktoken", None)  # not installed (import fails)
    built = request.build(ws("x" * 400))
    found = local_count(built, env={})
    assert found == TokenCount(
        token_estimate.estimate("responses", built.kwargs), False, "characters"
    )
    # 400 characters of input, the instructions and the two messages' overhead
    assert found.tokens == 100 + token_estimate.characters("Answer in one sentence.") + 2 * 3
    assert found.label == f"~{found.tokens:,} input tokens (estimate)"


def test_tiktoken_without_its_cached_encoding_never_downloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed tiktoken whose encoding is not in its cache: get_encoding would download
    it, so it is never called (a stand-in module records calls), and a cached file with the
    wrong hash (tiktoken would download again) is not used either."""
    called: list[str] = []
    fake = types.ModuleType("tiktoken")
    fake.__spec__ = importlib.machinery.ModuleSpec("tiktoken", None)
    fake.encoding_name_for_model = lambda model: "o200k_base"  # type: ignore[attr-defined]
    fake.get_encoding = lambda name: called.append(name)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tiktoken", fake)
    env = {"TIKTOKEN_CACHE_DIR": str(tmp_path)}
    built = request.build(ws())
    assert local_count(built, env).method == "characters"
    url, _sha = ENCODINGS["o200k_base"]
    (tmp_path / hashlib.sha1(url.encode()).hexdigest()).write_bytes(b"not the encoding")
    assert cached_encoding("o200k_base", env) is None
    assert local_count(built, env).method == "characters"
    assert local_count(built, {"TIKTOKEN_CACHE_DIR": ""}).method == "characters"  # cache off
    assert called == []


def test_the_endpoint_answers_bad_bodies_as_the_api(simulator: Simulator) -> None:
    async def go() -> None:
        client = openai.AsyncOpenAI(
            api_key=KEY,
            base_url=simulator.base_url,
            max_retries=0,
            _strict_response_validation=True,
        )
        try:
            ok = await client.responses.input_tokens.count(model="gpt-4o-mini", input="Hi there")
            assert ok.object == "response.input_tokens" and ok.input_tokens >= 2
            with pytest.raises(openai.NotFoundError) as missing:
                await client.responses.input_tokens.count(model="gpt-nobody", input="Hi")
            assert missing.value.code == "model_not_found"
            with pytest.raises(openai.BadRequestError) as unknown:
                await client.responses.input_tokens.count(
                    model="gpt-4o-mini", input="Hi", extra_body={"stream": True}
                )
            assert (unknown.value.code, unknown.value.param) == ("unknown_parameter", "stream")
            with pytest.raises(openai.BadRequestError) as typed:
                await client.responses.input_tokens.count(
                    model="gpt-4o-mini", extra_body={"input": 42}
                )
            assert (typed.value.code, typed.value.param) == ("invalid_type", "input")
            with pytest.raises(openai.BadRequestError) as prev:
                await client.responses.input_tokens.count(previous_response_id="resp_nope")
            assert prev.value.code == "previous_response_not_found"
        finally:
            await client.close()

    run(go())
    req = urllib.request.Request(
        simulator.base_url + "/responses/input_tokens",
        data=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as raw:
        urllib.request.urlopen(req, timeout=5)
    assert raw.value.code == 400
    assert "could not parse the JSON body" in json.loads(raw.value.read())["error"]["message"]
