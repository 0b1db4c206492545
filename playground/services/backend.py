"""The OpenAI backend: runs a workspace on AsyncOpenAI and yields normalized events.

One client per provider profile (and key). Streaming and non-streaming runs yield the same
events; every failure becomes a `Failed` event with a typed failure, after whatever partial
output arrived. Cancelling the consuming task closes the HTTP stream.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator
from typing import Any

import openai

from playground.core import request
from playground.core.errors import Failure, FailureKind
from playground.core.events import (
    Failed,
    Finished,
    ReasoningDelta,
    RefusalDelta,
    RunStarted,
    StreamEvent,
    TextDelta,
    Timing,
    ToolCallDelta,
    Usage,
)
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Workspace
from playground.services.consumers import (
    ChatStreamConsumer,
    ResponsesStreamConsumer,
    chat_completion_events,
    response_events,
)
from playground.services.failures import failure_from_exception

SIMULATOR_KEY = "sk-offline-simulator"
_CONTENT = (TextDelta, RefusalDelta, ReasoningDelta, ToolCallDelta)


class _Clock:
    """Time to first token, total time and output tokens per second of one run."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first: float | None = None
        self.output_tokens = 0
        self.deltas = 0

    def saw(self, event: StreamEvent) -> None:
        if isinstance(event, _CONTENT):
            self.deltas += 1
            if self.first is None:
                self.first = time.perf_counter()
        elif isinstance(event, Usage):
            self.output_tokens = event.output_tokens

    def timing(self) -> Timing:
        end = time.perf_counter()
        ttft = (self.first - self.start) * 1000 if self.first is not None else None
        tokens = self.output_tokens or self.deltas
        span = end - (self.first if self.first is not None else self.start)
        rate = tokens / span if tokens and span > 0 else None
        return Timing(ttft, (end - self.start) * 1000, rate)


class OpenAIBackend:
    """Runs workspaces against any OpenAI-compatible server through the real SDK."""

    def __init__(self, *, strict: bool = False) -> None:
        self._strict = strict
        self._clients: dict[str, openai.AsyncOpenAI] = {}

    def client(self, profile: ProviderProfile, api_key: str | None) -> openai.AsyncOpenAI:
        """The cached client for this profile and key."""
        key = api_key or (SIMULATOR_KEY if not profile.needs_key else "")
        fingerprint = hashlib.sha256((profile.model_dump_json() + "\0" + key).encode()).hexdigest()
        found = self._clients.get(fingerprint)
        if found is None:
            found = openai.AsyncOpenAI(
                api_key=key,
                base_url=profile.effective_base_url,
                organization=profile.organization,
                project=profile.project,
                default_headers=profile.headers or None,
                timeout=profile.timeout,
                max_retries=profile.max_retries,
                _strict_response_validation=self._strict,
            )
            self._clients[fingerprint] = found
        return found

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.close()
        self._clients.clear()

    async def list_models(self, profile: ProviderProfile, api_key: str | None) -> list[str]:
        """Model ids the server lists (GET /models)."""
        page = await self.client(profile, api_key).models.list()
        return sorted(m.id for m in page.data)

    async def run(
        self,
        ws: Workspace,
        profile: ProviderProfile,
        api_key: str | None,
        built: request.BuiltRequest | None = None,
    ) -> AsyncIterator[StreamEvent]:
        """Run `ws` and yield its events; the last one is Finished or Failed."""
        built = built or request.build(ws)
        clock = _Clock()
        if profile.needs_key and not api_key:
            yield Failed(
                Failure(
                    FailureKind.MISSING_KEY, f"No API key is stored for the profile {profile.name}."
                )
            )
            return
        terminal: StreamEvent | None = None
        try:
            async for event in self._events(built, profile, api_key):
                clock.saw(event)
                if isinstance(event, Finished | Failed):
                    terminal = event
                    continue
                yield event
        except openai.OpenAIError as exc:
            terminal = Failed(failure_from_exception(exc))
        except ValueError as exc:  # a malformed SSE line fails to parse as JSON
            terminal = Failed(
                Failure(FailureKind.INVALID_RESPONSE, f"The server sent a malformed stream: {exc}")
            )
        yield clock.timing()
        if terminal is not None:
            yield terminal

    async def _events(
        self, built: request.BuiltRequest, profile: ProviderProfile, api_key: str | None
    ) -> AsyncIterator[StreamEvent]:
        client = self.client(profile, api_key)
        method: Any = (
            client.responses.create if built.api == "responses" else client.chat.completions.create
        )
        if not built.kwargs.get("stream"):
            result = await method(**built.kwargs)
            events = (
                response_events(result)
                if built.api == "responses"
                else chat_completion_events(result)
            )
            for event in _with_request_id(events, getattr(result, "_request_id", None)):
                yield event
            return
        stream = await method(**built.kwargs)
        request_id = stream.response.headers.get("x-request-id")
        consumer = ResponsesStreamConsumer() if built.api == "responses" else ChatStreamConsumer()
        try:
            async for item in stream:
                for event in consumer.feed(item):
                    if isinstance(event, RunStarted):
                        event = RunStarted(event.model, event.response_id, request_id)
                    yield event
        finally:
            await stream.close()
        for event in consumer.finish():
            yield event


def _with_request_id(events: list[StreamEvent], request_id: str | None) -> list[StreamEvent]:
    return [
        RunStarted(e.model, e.response_id, request_id) if isinstance(e, RunStarted) else e
        for e in events
    ]
