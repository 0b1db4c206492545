"""The response cache on the simulator (services/response_cache.py, services/cache_use.py):
a second identical run is answered without a request, with what it saved; anything else
goes to the server; the file holds no key and survives damage untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from playground.core.cache_rules import STATE_FIELDS, cache_key, not_cached_words
from playground.core.events import Finished, RunStarted, TextDelta
from playground.core.parameters import Parameters
from playground.core.profiles import ProviderProfile
from playground.core.request import build
from playground.core.workspace import Message, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.cache_use import CacheNote, CacheUse
from playground.services.response_cache import CachedAnswer, ResponseCache
from playground.services.runs import Run, execute, fixed_key
from playground.services.simulator import Scenario, Simulator
from tests.conftest import run

SECRET_KEY = "sk-secret-cache-test-0123456789"
SECRET_HEADER = "header-value-never-stored-42"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def workspace(question: str = "Tell me about Paris", api: str = "chat", **kw: Any) -> Workspace:
    return Workspace(
        api=api,  # type: ignore[arg-type]
        model="gpt-4o-mini",
        messages=[Message(role="user", content=question)],
        cache=True,
        **kw,
    )


def run_once(ws: Workspace, profile: ProviderProfile, cache: ResponseCache) -> Run:
    r = Run(ws, profile, owner="tab")
    notes: list[CacheNote] = []
    r.cache_noted.connect(notes.append)
    backend = OpenAIBackend(strict=True)

    async def go() -> None:
        try:
            await execute(r, backend, fixed_key(SECRET_KEY), cache=cache)
        finally:
            await backend.aclose()

    run(go())
    assert notes == r.cache_notes
    return r


@pytest.fixture
def cache(tmp_path: Path) -> ResponseCache:
    store = ResponseCache(tmp_path / "data" / "response-cache.sqlite3", clock=Clock())
    yield store
    store.close()


def test_a_second_identical_run_is_answered_from_the_cache(
    simulator: Simulator, profile: ProviderProfile, cache: ResponseCache
) -> None:
    simulator.enqueue(Scenario(text=["Paris ", "is ", "the capital."], usage=(1000, 0, 3000)))
    first = run_once(workspace(), profile, cache)
    second = run_once(workspace(), profile, cache)
    assert len(simulator.requests) == 1  # the second run sent nothing
    assert first.turn is not None and second.turn is not None
    assert second.turn.text == first.turn.text == "Paris is the capital."
    assert second.outcome == "done" and second.turn.finish_reason == "stop"
    assert second.turn.usage == first.turn.usage  # the answer's own tokens
    assert [n.stored for n in first.cache_notes] == [True]
    [note] = second.cache_notes
    was, now = first.figures(), second.figures()
    assert note.hit and now.cached and not was.cached
    assert was.cost_usd is not None and was.cost_usd > 0
    assert now.cost_usd == 0.0  # nothing billed
    assert now.ttft_ms is None and now.tokens_per_s is None  # nothing sent, nothing streamed
    assert now.output_tokens == was.output_tokens == 3000 and now.total_ms is not None
    assert now.saved_usd == pytest.approx(was.cost_usd)
    assert first.turn.timing is not None
    assert now.saved_ms == pytest.approx(first.turn.timing.total_ms)
    assert cache.stats().entries == 1


def test_a_changed_parameter_is_a_miss(
    simulator: Simulator, profile: ProviderProfile, cache: ResponseCache
) -> None:
    run_once(workspace(), profile, cache)
    changed = workspace(params=Parameters(temperature=0.3))
    second = run_once(changed, profile, cache)
    assert len(simulator.requests) == 2
    assert not second.figures().cached and second.cache_notes[0].stored
    assert cache.stats().entries == 2


def test_a_workspace_that_does_not_opt_in_never_uses_it(
    simulator: Simulator, profile: ProviderProfile, cache: ResponseCache
) -> None:
    for _ in range(2):
        r = run_once(workspace().model_copy(update={"cache": False}), profile, cache)
        assert r.cache_notes == []
    assert len(simulator.requests) == 2 and cache.stats().entries == 0


def test_a_request_that_asks_the_server_to_store_goes_to_it_each_time(
    simulator: Simulator, profile: ProviderProfile, cache: ResponseCache
) -> None:
    ws = workspace(api="responses", params=Parameters(store=True))
    runs = [run_once(ws, profile, cache) for _ in range(2)]
    assert len(simulator.requests) == 2 and cache.stats().entries == 0
    for r in runs:
        assert [n.reason for n in r.cache_notes] == [not_cached_words("store")]
        assert r.cache_notes[0].reason == (
            "not cached: the request asks the server to keep state (store)"
        )


def test_responses_with_store_left_out_is_cached(
    simulator: Simulator, profile: ProviderProfile, cache: ResponseCache
) -> None:
    """The decision in core/cache_rules.py: only what the body says counts."""
    run_once(workspace(api="responses"), profile, cache)
    second = run_once(workspace(api="responses"), profile, cache)
    assert len(simulator.requests) == 1 and second.figures().cached


@pytest.mark.parametrize(
    ("field", "ws"),
    [
        ("store", workspace(params=Parameters(store=True))),
        ("previous_response_id", workspace(api="responses", params=Parameters(
            previous_response_id="resp_abc"))),
        ("conversation", workspace(api="responses", extra_body={"conversation": "conv_1"})),
        ("background", workspace(api="responses", extra_body={"background": True})),
    ],
)  # fmt: skip
def test_a_stateful_request_is_never_answered_from_the_cache(
    field: str, ws: Workspace, cache: ResponseCache
) -> None:
    """Even with its answer in the cache under its exact key, it is not looked up."""
    built = build(ws)
    url = "http://127.0.0.1:9/v1"
    answer = CachedAnswer((RunStarted("gpt-4o-mini"), TextDelta("old"), Finished("stop")), "m")
    cache.put(cache_key(url, built.path, built.body), answer)
    use = run(CacheUse.consult(cache, url, built))
    assert not use.hit and use.note == CacheNote(reason=not_cached_words(field))
    assert field in STATE_FIELDS


def test_failed_and_stopped_answers_are_not_kept(
    simulator: Simulator, profile: ProviderProfile, cache: ResponseCache
) -> None:
    simulator.enqueue(Scenario(text=["a", "b", "c"], error_after=2))
    failed = run_once(workspace(), profile, cache)
    assert failed.outcome == "failed" and failed.cache_notes == []
    assert cache.stats().entries == 0
    second = run_once(workspace(), profile, cache)  # so the next one goes to the server
    assert len(simulator.requests) == 2 and second.cache_notes[0].stored


def test_an_answer_older_than_the_ttl_goes_to_the_server_again(
    simulator: Simulator, profile: ProviderProfile, tmp_path: Path
) -> None:
    clock = Clock()
    cache = ResponseCache(tmp_path / "c.sqlite3", ttl_s=3600, clock=clock)
    run_once(workspace(), profile, cache)
    clock.now += 3599
    assert run_once(workspace(), profile, cache).figures().cached
    clock.now += 2  # 3601 s after it was kept
    late = run_once(workspace(), profile, cache)
    assert not late.figures().cached and len(simulator.requests) == 2
    cache.close()


def test_past_the_size_limit_the_least_recently_used_go_first(tmp_path: Path) -> None:
    clock = Clock()
    one = CachedAnswer((RunStarted("m"), TextDelta("x" * 1000), Finished("stop")), "m")
    cache = ResponseCache(tmp_path / "c.sqlite3", limit_bytes=2500, clock=clock)
    for key in ("a", "b"):
        cache.put(key, one)
        clock.now += 1
    assert cache.get("a") is not None  # a is used now: b is the least recently used
    clock.now += 1
    cache.put("c", one)
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None
    stats = cache.stats()
    assert stats.entries == 2 and stats.size_bytes <= stats.limit_bytes == 2500
    assert cache.clear() == 2 and cache.stats().entries == 0
    cache.close()


def test_the_file_never_holds_the_key_or_a_header_value(
    simulator: Simulator, tmp_path: Path
) -> None:
    profile = ProviderProfile(
        name="secret", base_url=simulator.base_url, headers={"X-Trace-Tag": SECRET_HEADER}
    )
    path = tmp_path / "c.sqlite3"
    cache = ResponseCache(path)
    run_once(workspace(), profile, cache)
    assert run_once(workspace(), profile, cache).figures().cached
    cache.close()
    assert simulator.requests[0].headers.get("x-trace-tag") == SECRET_HEADER  # it was sent
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("c."))
    assert b"Paris" in stored  # the scan reads the stored text as it is
    for secret in (SECRET_KEY, SECRET_HEADER, SECRET_KEY[3:]):
        assert secret.encode() not in stored


def test_a_damaged_file_is_reported_and_left_as_it_is(
    simulator: Simulator, profile: ProviderProfile, tmp_path: Path
) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"not a database " * 400)
    cache = ResponseCache(path)
    assert "damaged" in (cache.open() or "")
    for _ in range(2):
        r = run_once(workspace(), profile, cache)
        assert r.outcome == "done" and r.turn is not None and r.turn.text
        [note] = r.cache_notes
        assert note.reason is not None and note.reason.startswith("not cached: ")
        assert "damaged" in note.reason and "Traceback" not in note.reason
    assert len(simulator.requests) == 2
    assert path.read_bytes() == b"not a database " * 400


def test_a_file_from_a_newer_playground_is_not_used_nor_changed(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    before = path.read_bytes()
    cache = ResponseCache(path)
    assert "newer Playground" in (cache.open() or "")
    use = run(CacheUse.consult(cache, "http://x/v1", build(workspace())))
    assert not use.hit and use.note is not None and "newer" in (use.note.reason or "")
    assert path.read_bytes() == before


def test_a_mock_loop_is_cached_turn_by_turn(
    simulator: Simulator, profile: ProviderProfile, cache: ResponseCache
) -> None:
    from playground.core.workspace import FunctionTool

    tool = FunctionTool(
        name="get_weather",
        parameters={"type": "object", "properties": {"city": {"type": "string"}}},
        mock_output='{"temp_c": 18}',
    )
    ws = workspace("Weather in Paris?", tools=[tool])
    backend = OpenAIBackend(strict=True)
    runs = [Run(ws, profile, owner="t") for _ in range(2)]
    sent: list[int] = []

    async def go() -> None:
        try:
            for r in runs:
                await execute(r, backend, fixed_key(SECRET_KEY), mock_loop=4, cache=cache)
                sent.append(len(simulator.requests))
        finally:
            await backend.aclose()

    run(go())
    assert sent[0] == 2 and sent[1] == 2  # the call and the answer, then nothing
    first, second = runs
    assert [n.stored for n in first.cache_notes] == [True, True]
    assert [n.hit for n in second.cache_notes] == [True, True] and second.figures().cached
    assert first.turn is not None and second.turn is not None
    assert second.turn.text == first.turn.text and second.outcome == "done"


def test_a_cache_folder_that_cannot_be_made_is_reported(
    simulator: Simulator, profile: ProviderProfile, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("in the way")
    cache = ResponseCache(tmp_path / "file" / "c.sqlite3")
    r = run_once(workspace(), profile, cache)
    assert r.outcome == "done" and len(simulator.requests) == 1
    [note] = r.cache_notes
    assert note.reason is not None and note.reason.startswith("not cached: The response cache")
