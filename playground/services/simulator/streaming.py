"""How the simulator writes a stream: fast in big writes, or frame by frame with a scenario's
faults (gates, stalls, malformed data, a cut connection); and a scenario's scripted content
laid over the simulated model's plan."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from aiohttp import web

from playground.services.simulator import brain
from playground.services.simulator.protocol import new_id, tokens
from playground.services.simulator.scenarios import Scenario


async def stream_fast(resp: web.StreamResponse, frames: Iterator[bytes]) -> None:
    """Unlimited speed: frames go out in writes of about 64 KB, as a fast server sends."""
    buffer: list[bytes] = []
    size = 0
    for frame in frames:
        buffer.append(frame)
        size += len(frame)
        if size >= 65536:
            await resp.write(b"".join(buffer))
            buffer, size = [], 0
    if buffer:
        await resp.write(b"".join(buffer))
    await resp.write_eof()


async def fault(request: web.Request, resp: web.StreamResponse, sc: Scenario, n: int) -> bool:
    """Apply the scenario's stream faults before frame n; True when the stream must end."""
    if sc.gate_after == n and sc.gate is not None:
        while not sc.gate.is_set():  # noqa: ASYNC110 - a threading.Event set by a test
            await asyncio.sleep(0.01)
    if sc.stall_after == n:
        await asyncio.sleep(sc.stall_seconds)
    if sc.malformed_after == n:
        await resp.write(b'data: {"id": "chatcmpl-broken", "choices": [\n\n')
        await resp.write_eof()
        return True
    if sc.truncate_after == n:
        transport = request.transport
        if transport is not None:
            transport.close()  # FIN after the data already written: a cut chunked body
        return True
    return False


def apply_scenario(plan: brain.Plan, sc: Scenario | None) -> brain.Plan:
    """Overlay a scenario's scripted content on the simulated model's plan."""
    if sc is None:
        return plan
    if sc.text is not None:
        plan.choices = [list(sc.text)]
        plan.calls, plan.refusal = [], []
        plan.finish = "stop"
    if sc.refusal is not None:
        plan.refusal, plan.calls, plan.finish = list(sc.refusal), [], "stop"
    if sc.reasoning is not None:
        plan.reasoning = list(sc.reasoning)
    if sc.tool_calls is not None:
        plan.calls = [
            brain.PlannedCall(c.name, list(c.fragments), c.call_id or new_id("call"))
            for c in sc.tool_calls
        ]
        plan.choices, plan.refusal, plan.finish = [[]], [], "tool_calls"
    if sc.finish_reason is not None:
        plan.finish = sc.finish_reason
    if sc.usage is not None:
        plan.input_tokens, plan.cached_tokens, plan.output_tokens = sc.usage
    elif sc.text is not None:
        plan.output_tokens = sum(len(tokens(t)) for t in sc.text)
    return plan
