"""Background responses on the simulator: status while polling, cancel, and a stream that
survives a dropped connection by resuming after the last sequence number seen."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import openai
import pytest

from playground.services.simulator import Scenario, Simulator
from tests.conftest import run
from tests.services.sim_client import strict_client


async def _until(c: openai.AsyncOpenAI, rid: str, wanted: str) -> Any:
    for _ in range(500):
        found = await c.responses.retrieve(rid)
        if found.status == wanted:
            return found
        await asyncio.sleep(0.01)
    raise AssertionError(f"{rid} never reached {wanted}: {found.status}")


def test_a_background_run_is_queued_then_polled_to_completion(simulator: Simulator) -> None:
    gate = threading.Event()
    simulator.enqueue(Scenario(gate_after=3, gate=gate))

    async def go() -> None:
        async with strict_client(simulator) as c:
            started = await c.responses.create(
                model="gpt-4o-mini", input="Write a long story", background=True
            )
            assert started.status == "queued" and started.background is True
            assert started.output == []
            held = await c.responses.retrieve(started.id)
            assert held.status == "in_progress"  # the job sent created, queued, in_progress
            gate.set()
            done = await _until(c, started.id, "completed")
            assert "Write a long story" in done.output_text

    run(go())


def test_cancel_stops_a_background_run_and_is_idempotent(simulator: Simulator) -> None:
    gate = threading.Event()
    simulator.enqueue(Scenario(gate_after=5, gate=gate))

    async def go() -> None:
        async with strict_client(simulator) as c:
            started = await c.responses.create(
                model="gpt-4o-mini", input="Write a long story", background=True
            )
            cancelled = await c.responses.cancel(started.id)
            assert cancelled.status == "cancelled"
            gate.set()
            await asyncio.sleep(0.05)
            assert (await c.responses.retrieve(started.id)).status == "cancelled"
            again = await c.responses.cancel(started.id)
            assert again.status == "cancelled"
            foreground = await c.responses.create(model="gpt-4o-mini", input="Hi")
            with pytest.raises(openai.BadRequestError) as info:
                await c.responses.cancel(foreground.id)
            assert "background" in info.value.message
            with pytest.raises(openai.NotFoundError):
                await c.responses.cancel("resp_missing")

    run(go())


def test_background_needs_store(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            with pytest.raises(openai.BadRequestError) as info:
                await c.responses.create(
                    model="gpt-4o-mini", input="Hi", background=True, store=False
                )
            assert info.value.param == "store"

    run(go())


def test_a_dropped_background_stream_resumes_after_the_last_sequence_number(
    simulator: Simulator,
) -> None:
    simulator.enqueue(Scenario(truncate_after=6, delay=0.002))

    async def go() -> None:
        async with strict_client(simulator) as c:
            seen: list[Any] = []
            stream = await c.responses.create(
                model="gpt-4o-mini", input="Explain resumable streams", background=True, stream=True
            )

            async def read_all() -> None:
                async for event in stream:
                    seen.append(event)

            with pytest.raises(openai.APIConnectionError):  # the connection drops
                await read_all()
            await stream.close()
            assert len(seen) == 6 and simulator.disconnects == 1
            rid = seen[0].response.id
            # the job went on without its client
            done = await _until(c, rid, "completed")
            last = seen[-1].sequence_number
            resumed = await c.responses.retrieve(rid, stream=True, starting_after=last)
            rest = [e async for e in resumed]
            numbers = [e.sequence_number for e in seen + rest]
            assert numbers == list(range(len(numbers)))
            assert rest[-1].type == "response.completed"
            text = "".join(e.delta for e in seen + rest if e.type == "response.output_text.delta")
            assert text == done.output_text

    run(go())


def test_the_stream_helper_resumes_a_background_response(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            started = await c.responses.create(
                model="gpt-4o-mini", input="Explain resumable streams", background=True
            )
            async with c.responses.stream(response_id=started.id, starting_after=3) as stream:
                events = [e async for e in stream]
                final = await stream.get_final_response()
            assert events[0].sequence_number == 4
            assert "resumable streams" in final.output_text
            foreground = await c.responses.create(model="gpt-4o-mini", input="Hi")
            with pytest.raises(openai.BadRequestError) as info:
                await c.responses.retrieve(foreground.id, stream=True)
            assert info.value.param == "stream"

    run(go())
