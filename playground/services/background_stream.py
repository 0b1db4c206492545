"""A run's events from a background response: one created now (`background: true` in the
request) or one picked up again after the app restarted (`BuiltRequest.resume`).

Streamed, the response is followed across dropped connections (background.Follower, which
reopens it with starting_after = the last sequence number seen); not streamed, it is polled
(GET /responses/{id}) every `POLL_S` seconds until it ends. Either way the events are the
app's normalized ones plus a `BackgroundStatus` each time the status changes or the stream is
resumed, and the last one is Finished or Failed (a response cancelled on the server is a
CANCELLED failure). OpenAIBackend (services/backend.py) sends a request here; the API's
facts are in services/background.py's docstring.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from playground.core.errors import Failure, FailureKind
from playground.core.events import BackgroundStatus, Failed, RunStarted, StreamEvent
from playground.services.background import BackgroundError, Follower, Status, poll, start

if TYPE_CHECKING:
    import openai

POLL_S = 1.0
"""Seconds between two looks at a background response that is not streamed."""
CANCELLED = "The background response was cancelled on the server; the answer so far is kept."
GONE = (
    "The background run left going could not be found on the server (it may have ended more "
    "than about ten minutes ago, or the server was restarted)."
)


def wanted(api: str, kwargs: dict[str, Any], resume: tuple[str, int] | None) -> bool:
    """Whether this request is a background one (created or picked up again)."""
    return api == "responses" and (resume is not None or bool(kwargs.get("background")))


async def events(
    client: openai.AsyncOpenAI, kwargs: dict[str, Any], resume: tuple[str, int] | None = None
) -> AsyncIterator[StreamEvent]:
    """The run's events (see the module docstring); `resume`: (response id, the last
    sequence number seen, -1 to read the stream from its start). A response picked up again
    that the server does not know (404) fails as BACKGROUND_GONE."""
    async for event in _events(client, kwargs, resume):
        if resume is not None and isinstance(event, Failed):
            event = _gone(event)
        yield event


async def _events(
    client: openai.AsyncOpenAI, kwargs: dict[str, Any], resume: tuple[str, int] | None
) -> AsyncIterator[StreamEvent]:
    if kwargs.get("stream"):
        follower = Follower(client)
        source = follower.resume(*resume) if resume else follower.start(kwargs)
        async for event in source:
            if isinstance(event, Failed) and follower.response_id is not None:
                event = await _why_it_ended(client, follower.response_id, event)
            yield event
        return
    try:
        found = await (poll(client, resume[0]) if resume else start(client, kwargs))
        yield RunStarted(str(kwargs.get("model") or ""), found.response_id)
        async for event in _polled(client, found):
            yield event
    except BackgroundError as exc:
        yield Failed(exc.failure)


def _gone(failed: Failed) -> Failed:
    """A pickup's 404: the response is gone (expired, or the server restarted); the
    server's words stay in the details."""
    f = failed.failure
    if f.kind is not FailureKind.NOT_FOUND:
        return failed
    return Failed(replace(f, kind=FailureKind.BACKGROUND_GONE, message=GONE, advice=None))


async def _why_it_ended(client: openai.AsyncOpenAI, response_id: str, failed: Failed) -> Failed:
    """A stream that failed may be a job cancelled elsewhere (its stream just ends): ask."""
    try:
        found = await poll(client, response_id)
    except BackgroundError:
        return failed
    return (
        Failed(Failure(FailureKind.CANCELLED, CANCELLED)) if found.status == "cancelled" else failed
    )


async def _polled(client: openai.AsyncOpenAI, found: Status) -> AsyncIterator[StreamEvent]:
    said = ""
    while True:
        if found.status != said:
            said = found.status
            yield BackgroundStatus(found.status, found.response_id)
        if not found.active:
            break
        await asyncio.sleep(POLL_S)
        found = await poll(client, found.response_id)
    if found.status == "cancelled":
        yield Failed(Failure(FailureKind.CANCELLED, CANCELLED))
        return
    for event in found.events:
        yield event
