"""Runs without Qt (services/runs.py): many at once on the simulator, each with its own events,
figures, cancel and outcome, bounded per provider profile."""

from __future__ import annotations

import asyncio
import re
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core import cost
from playground.core.events import TextDelta, Timing, Usage
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn
from playground.core.workspace import FunctionTool, Message, Workspace
from playground.services.backend import Backend, OpenAIBackend
from playground.services.runs import KEPT_EVENTS, Limiter, Run, execute, fixed_key
from playground.services.simulator import Scenario, ScriptedCall, Simulator
from tests.conftest import run

KEY = fixed_key("sk-test-key")


def workspace(question: str = "Hello", api: str = "chat", **kw: Any) -> Workspace:
    return Workspace(
        api=api,  # type: ignore[arg-type]
        model="gpt-4o-mini",
        messages=[Message(role="user", content=question)],
        **kw,
    )


async def until(condition: Any, within_s: float = 5.0) -> None:
    for _ in range(int(within_s / 0.005)):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition not met in time")


def texts(run_: Run) -> str:
    return "".join(e.text for e, _ in run_.events if isinstance(e, TextDelta))


def test_a_run_streams_its_answer_with_its_own_figures(
    backend: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    pieces = [f"word{i} " for i in range(40)]
    simulator.enqueue(Scenario(text=pieces, usage=(120, 0, 40)))
    r = Run(workspace(), profile, owner="tab-1")
    batches: list[list[Any]] = []
    r.events_received.connect(batches.append)

    async def go() -> AssistantTurn | None:
        try:
            return await execute(r, backend, KEY)
        finally:
            await backend.aclose()

    turn = run(go())
    assert turn is not None and turn.text == "".join(pieces)
    assert r.outcome == "done" and r.turn == turn and not r.live
    assert re.fullmatch(r"r-[0-9a-f]{8}", r.id) and r.owner == "tab-1"
    assert r.body is not None and r.body["messages"][0]["content"] == "Hello"
    assert r.request_id is not None and r.request_id.startswith("req_")
    assert [e for batch in batches for e in batch] == list(r.events)  # each, in order, once
    assert r.events_seen == len(r.events) and r.partial() == turn
    stamps = [ms for _, ms in r.events]
    assert stamps == sorted(stamps)
    f = r.figures()
    assert f.output_tokens == 40 and f.input_tokens == 120  # the usage, not the delta count
    assert f.ttft_ms is not None and f.total_ms is not None and 0 < f.ttft_ms <= f.total_ms
    assert f.tokens_per_s is not None and f.tokens_per_s > 0
    billed = cost.of_run(turn.model or "gpt-4o-mini", Usage(input_tokens=120, output_tokens=40))
    assert billed is not None and f.cost_usd == pytest.approx(billed.total)


def test_time_to_first_token_does_not_count_the_wait_before_sending(
    backend: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    """A slow key lookup (a locked keyring, the request process starting) is not the model's
    time to first token: the figure shown is the backend's own measure once it is known."""
    simulator.enqueue(Scenario(text=["Hi", " there"], usage=(10, 0, 2)))
    r = Run(workspace(), profile, owner="tab-1")

    async def slow_key(p: ProviderProfile) -> Any:
        await asyncio.sleep(0.6)
        return await KEY(p)

    async def go() -> None:
        try:
            await execute(r, backend, slow_key)
        finally:
            await backend.aclose()

    run(go())
    timing = [e for e, _ in r.events if isinstance(e, Timing)]
    f = r.figures()
    assert timing and f.ttft_ms == timing[0].ttft_ms
    assert f.ttft_ms is not None and f.ttft_ms < 500  # the 600 ms wait is not in it
    assert f.total_ms is not None and f.total_ms >= 600  # the run's wall time still is


def test_a_long_run_keeps_its_newest_events_and_its_whole_text(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    backend = OpenAIBackend(strict=True)
    pieces = [f"{i % 10}" for i in range(KEPT_EVENTS + 500)]
    gate = threading.Event()
    simulator.enqueue(Scenario(text=pieces, gate_after=KEPT_EVENTS + 100, gate=gate))
    r = Run(workspace(), profile, owner="tab")
    seen: list[Any] = []
    r.events_received.connect(seen.extend)

    async def go() -> None:
        task = asyncio.ensure_future(execute(r, backend, KEY))
        await until(lambda: r.events_seen > KEPT_EVENTS + 50)
        held = r.partial()  # what a view binding now starts from
        assert held is not None and held.text == "".join(pieces)[: len(held.text)]
        assert len(held.text) > KEPT_EVENTS and r.turn is None
        gate.set()
        await task
        await backend.aclose()

    run(go())
    assert r.turn is not None and r.turn.text == "".join(pieces)
    assert len(r.events) == KEPT_EVENTS and r.events_seen == len(seen) > len(pieces)
    assert list(r.events) == seen[-KEPT_EVENTS:]  # the newest, in order


def test_two_runs_at_once_one_stopped_one_finished(
    backend: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    gates = [threading.Event(), threading.Event()]
    answers = [["alpha ", "beta ", "gamma"], ["one ", "two ", "three"]]
    runs = [Run(workspace(f"question {i}"), profile, owner=f"tab-{i}") for i in range(2)]
    limiter = Limiter()

    async def go() -> None:
        tasks = []
        for i, r in enumerate(runs):  # one at a time, so that run i gets scenario i
            simulator.enqueue(Scenario(text=answers[i], gate_after=2, gate=gates[i]))
            tasks.append(asyncio.ensure_future(execute(r, backend, KEY, limiter=limiter)))
            r.attach(tasks[-1])
            await until(lambda i=i: texts(runs[i]) == answers[i][0])
        assert [r.outcome for r in runs] == ["running", "running"]  # both held open at once
        runs[0].cancel()
        with pytest.raises(asyncio.CancelledError):
            await tasks[0]
        gates[1].set()
        await tasks[1]
        gates[0].set()
        await backend.aclose()

    run(go())
    assert [r.outcome for r in runs] == ["stopped", "done"]
    assert texts(runs[0]) == "alpha " and runs[0].turn is not None
    assert runs[0].turn.text == "alpha "
    assert runs[1].turn is not None and runs[1].turn.text == "one two three"
    assert texts(runs[1]) == "one two three"  # nothing of the other run's stream
    first, second = runs[0].figures(), runs[1].figures()
    assert first.output_tokens == 1 and second.output_tokens is not None
    assert second.output_tokens > 1 and first.total_ms != second.total_ms
    assert runs[0].id != runs[1].id


def test_runs_beyond_the_provider_limit_wait_then_run(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    backend = OpenAIBackend(strict=True)
    gate = threading.Event()
    limiter = Limiter(per_provider=2)
    runs = [Run(workspace(f"q{i}"), profile, owner="tab") for i in range(3)]
    other = Run(workspace("elsewhere"), profile.model_copy(update={"name": "other"}), owner="tab")

    async def go() -> None:
        for _ in range(2):
            simulator.enqueue(Scenario(text=["held ", "then done"], gate_after=2, gate=gate))
        tasks = [asyncio.ensure_future(execute(r, backend, KEY, limiter=limiter)) for r in runs]
        await until(lambda: len(simulator.requests) == 2)
        await asyncio.sleep(0.1)
        assert len(simulator.requests) == 2  # the third waits for a slot
        assert runs[2].waiting and runs[2].outcome == "running" and not runs[2].events
        assert runs[2].figures().total_ms is None
        simulator.enqueue(Scenario(text=["other provider"]))
        await execute(other, backend, KEY, limiter=limiter)  # another provider's slots are free
        simulator.enqueue(Scenario(text=["held ", "then done"]))  # for the third, once it sends
        gate.set()
        await asyncio.gather(*tasks)
        await backend.aclose()

    run(go())
    assert [r.outcome for r in runs] == ["done"] * 3 and other.outcome == "done"
    assert all(r.turn is not None and r.turn.text == "held then done" for r in runs)


def test_a_run_stopped_while_it_waits_sends_nothing(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    backend = OpenAIBackend(strict=True)
    gate = threading.Event()
    limiter = Limiter(per_provider=1)
    first, second = Run(workspace(), profile, owner="a"), Run(workspace(), profile, owner="b")
    ended: list[Run] = []
    second.ended.connect(ended.append)

    async def go() -> None:
        simulator.enqueue(Scenario(text=["x ", "y"], gate_after=2, gate=gate))
        one = asyncio.ensure_future(execute(first, backend, KEY, limiter=limiter))
        two = asyncio.ensure_future(execute(second, backend, KEY, limiter=limiter))
        second.attach(two)
        await until(lambda: texts(first) == "x ")
        second.cancel()
        with pytest.raises(asyncio.CancelledError):
            await two
        gate.set()
        await one
        await backend.aclose()

    run(go())
    assert second.outcome == "stopped" and second.body is None and second.turn is None
    assert ended == [second] and first.outcome == "done"
    assert len(simulator.requests) == 1


def test_the_mock_loop_answers_tool_calls_within_one_run(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    backend = OpenAIBackend(strict=True)
    tool = FunctionTool(name="get_weather")
    ws = workspace("Weather?", tools=[tool])
    simulator.enqueue(
        Scenario(tool_calls=[ScriptedCall("get_weather", ["{}"])], usage=(10, 0, 5)),
        Scenario(text=["Sunny."], usage=(30, 0, 3)),
    )
    r = Run(ws, profile, owner="tab")
    answered: list[dict[str, str]] = []
    starts: list[Any] = []
    r.tool_results_added.connect(answered.append)
    r.started.connect(starts.append)

    async def go() -> None:
        await execute(r, backend, KEY, mock_loop=3)
        await backend.aclose()

    run(go())
    assert r.outcome == "done" and r.turn is not None and r.turn.text == "Sunny."
    assert len(answered) == 1 and len(starts) == 2
    assert r.body is not None and r.body["messages"][-1]["role"] == "tool"  # the second request
    f = r.figures()
    assert f.output_tokens == 8 and f.input_tokens == 40  # both turns' usage


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(
            st.text(st.characters(codec="utf-8"), min_size=1, max_size=12), min_size=2, max_size=8
        ),
        min_size=2,
        max_size=5,
    )
)
def test_concurrent_runs_each_get_their_own_text(
    profile: ProviderProfile, simulator: Simulator, scripts: list[list[str]]
) -> None:
    """N runs held open at once, released together: each one's text is its own scenario's."""
    simulator.reset()
    backend = OpenAIBackend(strict=True)
    gate = threading.Event()
    runs = [Run(workspace(f"q{i}"), profile, owner=f"tab-{i}") for i in range(len(scripts))]

    async def go() -> None:
        tasks = []
        for i, r in enumerate(runs):
            simulator.enqueue(Scenario(text=scripts[i], gate_after=2, gate=gate))
            tasks.append(asyncio.ensure_future(execute(r, backend, KEY)))
            await until(lambda i=i: texts(runs[i]) == scripts[i][0])
        gate.set()
        await asyncio.gather(*tasks)
        await backend.aclose()

    run(go())
    for r, script in zip(runs, scripts, strict=True):
        assert r.outcome == "done" and r.turn is not None
        assert r.turn.text == "".join(script) == texts(r)
