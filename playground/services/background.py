"""Background responses for the app: start one, poll its status, cancel it, and follow its
stream across dropped connections, resuming after the last sequence number seen.

Built on the AsyncOpenAI client the backend makes (`OpenAIBackend.client`); stream events
become the app's normalized events through the one Responses consumer
(services/responses_consumer.py). Every failure is a `Failed` event or a `BackgroundError`
carrying the typed failure (services/failures.py), never the SDK's text.

The API (the background guide, developers.openai.com/api/docs/guides/background; spec paths
/responses/{response_id} GET `stream`, `starting_after`, and /responses/{response_id}/cancel;
checked 2026-12-01): `background: true` returns at once with status "queued"; GET shows
queued, in_progress, then completed, failed, incomplete or cancelled; a streamed background
response's events are numbered (`sequence_number`), and GET ?stream=true&starting_after=N
sends the events after N. Background responses are stored: `store` must not be false.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from playground.core.errors import FailedCall
from playground.core.events import BackgroundStatus, Failed, StreamEvent
from playground.services.failures import failure_from_exception, raising
from playground.services.responses_consumer import ResponsesStreamConsumer, response_events

if TYPE_CHECKING:
    import openai

ACTIVE = ("queued", "in_progress")
"""The statuses of a background response that is still running."""
_STATUS_EVENTS = frozenset({"response.created", "response.queued", "response.in_progress"})


class BackgroundError(FailedCall):
    """A background call failed; `failure` says how, in the app's words."""


@dataclass(frozen=True)
class Status:
    """A background response as a poll found it: `status` (queued, in_progress, completed,
    failed, incomplete, cancelled), and, once it has ended, its normalized `events`."""

    response_id: str
    status: str
    events: tuple[StreamEvent, ...] = ()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


async def _call(coro: Any) -> Any:
    return await raising(coro, BackgroundError)


def _status(response: Any) -> Status:
    status = str(getattr(response, "status", "") or "")
    ended = status not in ACTIVE
    events = tuple(response_events(response)) if ended and status != "cancelled" else ()
    return Status(str(response.id), status, events)


async def start(client: openai.AsyncOpenAI, request: dict[str, Any]) -> Status:
    """Create `request` (the keyword arguments of responses.create) as a background
    response, not streamed; its first status (usually "queued")."""
    body = {**request, "background": True, "stream": False}
    return _status(await _call(client.responses.create(**body)))


async def poll(client: openai.AsyncOpenAI, response_id: str) -> Status:
    """The response's status now (GET /responses/{id})."""
    return _status(await _call(client.responses.retrieve(response_id)))


async def wait(
    client: openai.AsyncOpenAI, response_id: str, every_s: float = 1.0, limit_s: float = 3600
) -> Status:
    """Poll every `every_s` seconds until the response ends (or `limit_s` passes: the last
    status seen, still active)."""
    loop = asyncio.get_running_loop()
    until = loop.time() + limit_s
    found = await poll(client, response_id)
    while found.active and loop.time() < until:
        await asyncio.sleep(every_s)
        found = await poll(client, response_id)
    return found


async def cancel(client: openai.AsyncOpenAI, response_id: str) -> Status:
    """Cancel the response (POST /responses/{id}/cancel); one that has ended is returned as
    it is."""
    return _status(await _call(client.responses.cancel(response_id)))


class Follower:
    """Follows one background response's stream to its end, reconnecting after a dropped
    connection with starting_after = the last sequence number seen (at most `resumes`
    times in a row without a new event, `pause_s` apart).

    `response_id` and `last_sequence` are what to keep to pick the run up again after the
    app restarts (pending_runs.py): `Follower(client).resume(response_id, last_sequence)`."""

    def __init__(self, client: openai.AsyncOpenAI, resumes: int = 5, pause_s: float = 0.2):
        self.client = client
        self.resumes = resumes
        self.pause_s = pause_s
        self.response_id: str | None = None
        self.last_sequence = -1
        self.status = ""
        """The status the stream last announced ("queued", "in_progress"; "" before)."""
        self._consumer = ResponsesStreamConsumer()

    async def start(self, request: dict[str, Any]) -> AsyncIterator[StreamEvent]:
        """Create `request` as a streamed background response and follow it."""
        body = {**request, "background": True, "stream": True}
        async for event in self._follow(lambda: self.client.responses.create(**body)):
            yield event

    async def resume(
        self, response_id: str, starting_after: int = -1
    ) -> AsyncIterator[StreamEvent]:
        """Follow `response_id` from the event after `starting_after` (-1: from the start)."""
        self.response_id, self.last_sequence = response_id, starting_after
        async for event in self._follow(self._reopen):
            yield event

    def _reopen(self) -> Any:
        assert self.response_id is not None
        return self.client.responses.retrieve(
            self.response_id, stream=True, starting_after=self.last_sequence
        )

    async def _follow(self, open_stream: Any) -> AsyncIterator[StreamEvent]:
        import openai

        misses = 0
        while True:
            before = self.last_sequence
            try:
                stream = await open_stream()
                async with stream:
                    async for event in stream:
                        for found in self._take(event):
                            yield found
                if not self._consumer.terminal:
                    for found in self._consumer.finish():
                        yield found
                return
            except openai.APIConnectionError as exc:
                misses = 0 if self.last_sequence > before else misses + 1
                if self.response_id is None or misses > self.resumes:
                    yield Failed(failure_from_exception(exc))
                    return
                open_stream = self._reopen
                await asyncio.sleep(self.pause_s)
                yield BackgroundStatus(
                    self.status or "in_progress", self.response_id, self.last_sequence, True
                )
            except openai.OpenAIError as exc:
                yield Failed(failure_from_exception(exc))
                return

    def _take(self, event: Any) -> list[StreamEvent]:
        seq = getattr(event, "sequence_number", None)
        if isinstance(seq, int):
            if seq <= self.last_sequence:
                return []  # a server that repeats what was seen
            self.last_sequence = seq
        response = getattr(event, "response", None)
        if self.response_id is None and response is not None:
            self.response_id = str(getattr(response, "id", "") or "") or None
        found = self._consumer.feed(event)
        status = str(getattr(response, "status", "") or "")
        if getattr(event, "type", None) in _STATUS_EVENTS and status and status != self.status:
            self.status = status
            found.append(BackgroundStatus(status, self.response_id or "", self.last_sequence))
        return found
