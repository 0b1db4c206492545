"""Background responses (`background: true`): a job that goes on on the server whatever
its client does, with its status, its cancel and its resumable event stream.

The live API's behaviour (the background guide, developers.openai.com/api/docs/guides/
background; spec paths /responses/{response_id} GET with `stream` and `starting_after`,
/responses/{response_id}/cancel; checked 2026-12-01): the create call returns at once with
status "queued"; polling GET /responses/{id} sees queued, in_progress, then a terminal
status; a streamed background response's events carry sequence numbers, and GET
/responses/{id}?stream=true&starting_after=N streams the events after N, so a client whose
connection dropped picks up where it was. Only background responses can be cancelled; a
cancelled one has status "cancelled"; cancelling one that has ended returns it as it is.

Pace: one event each `delay` seconds (the scenario's, else 1/speed, else none); a
scenario's `gate_after` holds the job before that event until its gate is set. The stream
a cancelled job was sending ends after its last event (the API's stream for this case is
not documented; polling shows "cancelled").
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from playground.services.simulator.emit_responses import ResponseShape, event_dicts
from playground.services.simulator.protocol import event_stream, sse_event

TERMINAL = ("completed", "failed", "cancelled", "incomplete")


@dataclass
class Job:
    """One background response: its events so far, its status and what it waits for."""

    shape: ResponseShape | None
    """None for a job restored from the saved state (saved_state.py): it has ended, and
    `kept` is its response."""
    planned: list[dict[str, Any]]
    events: list[dict[str, Any]] = field(default_factory=list)
    status: str = "queued"
    delay: float = 0.0
    gate_after: int | None = None
    gate: threading.Event | None = None
    finished: bool = False
    """The job's task has ended: no event or status change comes after this."""
    _tick: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    kept: dict[str, Any] | None = None

    @property
    def ended(self) -> bool:
        return self.status in TERMINAL

    def snapshot(self) -> dict[str, Any]:
        """The response as GET /responses/{id} shows it now."""
        if self.kept is not None or self.shape is None:
            return dict(self.kept or {})
        if self.status == "completed" or self.status == "incomplete":
            return self.shape.final()
        return self.shape.response(self.status)

    def _changed(self) -> None:
        tick, self._tick = self._tick, asyncio.Event()
        tick.set()

    async def changed(self) -> None:
        """Wait for the next event or status change."""
        await self._tick.wait()

    def cancel(self) -> None:
        if self.ended:
            return
        self.status = "cancelled"
        self._changed()


def planned_events(shape: ResponseShape) -> list[dict[str, Any]]:
    """A background response's events: created and queued with status queued, then the
    events of a run, numbered from 0."""
    ran = list(event_dicts(shape))
    queued = shape.response("queued")
    out = [
        {"type": "response.created", "response": queued},
        {"type": "response.queued", "response": queued},
        *ran[1:],
    ]
    return [{**e, "sequence_number": n} for n, e in enumerate(out)]


async def run(job: Job, on_end: Callable[[Job], None]) -> None:
    """Send the job's events one by one at its pace; `on_end` when it ends (done or
    cancelled)."""
    try:
        for n, event in enumerate(job.planned):
            if job.gate_after == n and job.gate is not None:
                while not job.gate.is_set() and not job.ended:  # noqa: ASYNC110 - a test's threading.Event
                    await asyncio.sleep(0.01)
            if job.ended:
                break
            if event["type"] == "response.in_progress":
                job.status = "in_progress"
            job.events.append(event)
            if event["type"] in ("response.completed", "response.incomplete"):
                job.status = event["response"]["status"]
            job._changed()
            if job.delay:
                await asyncio.sleep(job.delay)
            elif n % 64 == 63:
                await asyncio.sleep(0)
    finally:
        on_end(job)
        job.finished = True
        job._changed()


async def follow(
    request: web.Request, job: Job, after: int, cut_after: int | None = None
) -> tuple[web.StreamResponse, bool]:
    """Stream the job's events with sequence numbers above `after`, as they come, until it
    ends; `cut_after`: drop the connection after that many events (a scenario's
    truncate_after). Returns the response and whether the client went away first."""
    resp = await event_stream(request)
    index = next((i for i, e in enumerate(job.events) if e["sequence_number"] > after), None)
    index = len(job.events) if index is None else index
    sent = 0
    try:
        while True:
            while index < len(job.events):
                if cut_after is not None and sent == cut_after:
                    if request.transport is not None:
                        request.transport.close()  # the connection drops mid-stream
                    return resp, True
                await resp.write(sse_event(job.events[index]))
                index += 1
                sent += 1
            if job.finished:
                break
            await job.changed()
        await resp.write_eof()
    except (ConnectionResetError, ConnectionError):
        return resp, True
    return resp, False
