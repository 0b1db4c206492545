"""One short streamed request through the real backend to a private simulator.

The SDK builds much of itself on first use (modules imported lazily, pydantic validators built
for the stream's event types), which makes a first run 100 ms and more slower; the request
process (services/worker.py) does this once when it starts. The self-test uses the same request
to check the backend.
"""

from __future__ import annotations

import asyncio

from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn, TurnAccumulator
from playground.core.workspace import DEFAULT_MODEL, Message, Workspace
from playground.services.backend import SIMULATOR_KEY, Backend, OpenAIBackend


async def one_request(
    base_url: str, api: str = "responses", strict: bool = False, backend: Backend | None = None
) -> AssistantTurn:
    """A short streamed question to the OpenAI-compatible server at `base_url` (through
    `backend`, by default an OpenAIBackend of its own)."""
    backend = backend or OpenAIBackend(strict=strict)
    profile = ProviderProfile(name="Warm-up", kind="custom", base_url=base_url)
    ws = Workspace(
        api=api,
        model=DEFAULT_MODEL,
        messages=[Message(role="user", content="Say hello.")],
        stream=True,
    )
    acc = TurnAccumulator()
    try:
        async for event in backend.run(ws, profile, SIMULATOR_KEY):
            acc.apply(event)
    finally:
        await backend.aclose()
    return acc.turn()


def warm_up() -> None:
    """Both APIs once against a simulator of our own (blocking: call it in a thread of its own)."""
    from playground.services.simulator import Simulator

    sim = Simulator(speed=None).start()
    try:

        async def both() -> None:
            for api in ("responses", "chat"):
                await one_request(sim.base_url, api)

        asyncio.run(both())
    finally:
        sim.stop()
