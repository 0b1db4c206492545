"""The OpenAI backend: runs a workspace on AsyncOpenAI and yields normalized events.

One client per provider profile (and key). Streaming and non-streaming runs yield the same
events; every failure becomes a `Failed` event with a typed failure, after whatever partial
output arrived. Cancelling the consuming task closes the HTTP stream.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from playground.core import request, service_tiers
from playground.core.errors import Failure, FailureKind
from playground.core.events import (
    Failed,
    Finished,
    ReasoningDelta,
    RefusalDelta,
    Retrying,
    RunStarted,
    StreamEvent,
    TextDelta,
    Timing,
    ToolCallDelta,
    Usage,
)
from playground.core.lifecycle import ServerModel
from playground.core.profiles import ProviderProfile
from playground.core.text import scrub
from playground.core.workspace import Workspace
from playground.services import background_stream
from playground.services.consumers import (
    ChatStreamConsumer,
    ResponsesStreamConsumer,
    chat_completion_events,
    response_events,
)

if TYPE_CHECKING:  # the SDK is imported on first use: start-up does not wait for it
    import openai

SIMULATOR_KEY = "sk-offline-simulator"
log = logging.getLogger(__name__)
RetrySink = Callable[[Retrying], None]
# The run whose SDK call is under way reports retries here (hooks run in the caller's task).
_retry_sink: ContextVar[RetrySink | None] = ContextVar("retry_sink", default=None)
_RETRY_STATUS = frozenset({408, 409, 429})


def _retry_delay(headers: Any, attempt: int) -> float:
    """The wait the SDK will use: retry-after-ms, retry-after, else its exponential backoff."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is not None:
            try:
                delay = float(value) * scale
            except ValueError:
                continue
            if 0 < delay <= 120:
                return delay
    return float(min(0.5 * 2 ** (attempt - 1), 8.0))


def _hooks(max_retries: int) -> dict[str, list[Callable[..., Any]]]:
    async def on_request(req: Any) -> None:
        sink = _retry_sink.get()
        tries = int(req.headers.get("x-stainless-retry-count", "0") or 0)
        if sink is not None and tries > 0:
            sink(Retrying(tries + 1, max_retries + 1))

    async def on_response(resp: Any) -> None:
        sink = _retry_sink.get()
        status = resp.status_code
        if sink is None or not (status in _RETRY_STATUS or status >= 500):
            return
        if resp.headers.get("x-should-retry", "").lower() == "false":
            return
        tries = int(resp.request.headers.get("x-stainless-retry-count", "0") or 0)
        if tries < max_retries:
            sink(
                Retrying(tries + 1, max_retries + 1, status, _retry_delay(resp.headers, tries + 1))
            )

    return {"request": [on_request], "response": [on_response]}


async def _send_as_api_key_header(req: Any) -> None:
    """Azure's auth style: the SDK's `Authorization: Bearer KEY` becomes `api-key: KEY`, so
    the key is sent once, in the header Azure OpenAI reads (learn.microsoft.com "Azure OpenAI
    REST API reference", Authentication, checked 2026-11-30). AsyncAzureOpenAI is not used:
    it rewrites every path to /deployments/{model}/ and requires an api-version, which the
    /openai/v1/ endpoints and deployment base URLs do not fit."""
    bearer = req.headers.pop("Authorization", "")
    if bearer.startswith("Bearer ") and bearer[7:]:
        req.headers["api-key"] = bearer[7:]


_CONTENT = frozenset({TextDelta, RefusalDelta, ReasoningDelta, ToolCallDelta})
_TERMINAL = (Finished, Failed)


class _Clock:
    """Time to first token, total time and output tokens per second of one run.

    Tokens per second is a streaming figure: output tokens (the usage's, else the number of
    deltas) over the time from the first delta to the end. A non-streamed answer arrives all
    at once, so it has no rate (None, shown as n/a), nor has a stream with a single delta.
    """

    def __init__(self, streamed: bool = True) -> None:
        self.start = time.perf_counter()
        self.streamed = streamed
        self.first: float | None = None
        self.output_tokens = 0
        self.deltas = 0

    def saw(self, event: StreamEvent) -> None:
        if type(event) in _CONTENT:  # per delta: a set lookup, not four isinstance calls
            self.deltas += 1
            if self.first is None:
                self.first = time.perf_counter()
        elif isinstance(event, Usage):
            self.output_tokens = event.output_tokens

    def timing(self) -> Timing:
        end = time.perf_counter()
        ttft = (self.first - self.start) * 1000 if self.first is not None else None
        tokens = self.output_tokens or self.deltas
        span = end - self.first if self.first is not None else 0.0
        streamed = self.streamed and self.deltas > 1
        rate = tokens / span if streamed and tokens and span > 0 else None
        return Timing(ttft, (end - self.start) * 1000, rate)


class Backend(ABC):
    """What the app's controllers use: OpenAIBackend here, or WorkerBackend, the same backend
    run in the request process (services/worker.py)."""

    def run(
        self,
        ws: Workspace,
        profile: ProviderProfile,
        api_key: str | None,
        built: request.BuiltRequest | None = None,
        on_retry: RetrySink | None = None,
    ) -> AsyncIterator[StreamEvent]:
        """Run `ws` and yield its events; the last one is Finished or Failed. Cancelling the
        consumer closes the HTTP stream.

        `on_retry` hears about every retry the SDK makes, while it waits and re-sends.
        """
        if built is None:
            built = request.build(ws, target=request.Target.for_profile(profile))
        return self.stream(built, profile, api_key, on_retry)

    @abstractmethod
    def stream(
        self,
        built: request.BuiltRequest,
        profile: ProviderProfile,
        api_key: str | None,
        on_retry: RetrySink | None = None,
    ) -> AsyncIterator[StreamEvent]:
        """Send a built request and yield its events (see `run`)."""

    @abstractmethod
    def client(self, profile: ProviderProfile, api_key: str | None) -> openai.AsyncOpenAI:
        """A client in this process for small calls beside a run (uploading its files,
        cancelling a background response)."""

    @abstractmethod
    async def list_models(self, profile: ProviderProfile, api_key: str | None) -> list[ServerModel]:
        """The models the server lists (GET /models), with their shutdown dates."""

    @abstractmethod
    async def aclose(self) -> None:
        """Close what the backend holds open."""


class OpenAIBackend(Backend):
    """Runs workspaces against any OpenAI-compatible server through the real SDK."""

    def __init__(self, *, strict: bool = False) -> None:
        self._strict = strict
        self._clients: dict[str, openai.AsyncOpenAI] = {}

    def client(self, profile: ProviderProfile, api_key: str | None) -> openai.AsyncOpenAI:
        """The cached client for this profile and key."""
        import openai

        key = api_key or (SIMULATOR_KEY if not profile.needs_key else "")
        fingerprint = hashlib.sha256((profile.model_dump_json() + "\0" + key).encode()).hexdigest()
        found = self._clients.get(fingerprint)
        if found is None:
            hooks = _hooks(profile.max_retries)
            if profile.auth == "api-key":
                hooks["request"].insert(0, _send_as_api_key_header)
            found = openai.AsyncOpenAI(
                api_key=key,
                base_url=profile.effective_base_url,
                organization=profile.organization,
                project=profile.project,
                default_headers=profile.headers or None,
                default_query=profile.query or None,
                timeout=profile.timeout,
                max_retries=profile.max_retries,
                http_client=openai.DefaultAsyncHttpxClient(event_hooks=hooks),
                _strict_response_validation=self._strict,
            )
            self._clients[fingerprint] = found
        return found

    async def aclose(self) -> None:
        """Close every client, even when closing one of them fails (that failure is raised)."""
        clients, self._clients = list(self._clients.values()), {}
        async with contextlib.AsyncExitStack() as stack:  # runs every close, raises the first
            for client in clients:
                stack.push_async_callback(client.close)

    async def list_models(self, profile: ProviderProfile, api_key: str | None) -> list[ServerModel]:
        """The models the server lists (GET /models), sorted by id, each with the shutdown date
        it announces (spec components.schemas.Model.shutdown_date: YYYY-MM-DD or null)."""
        page = await self.client(profile, api_key).models.list()
        found = []
        for m in page.data:
            if isinstance(m.id, str):
                day = getattr(m, "shutdown_date", None)
                found.append(ServerModel(scrub(m.id), scrub(day) if isinstance(day, str) else None))
        return sorted(found, key=lambda m: m.id)

    async def stream(
        self,
        built: request.BuiltRequest,
        profile: ProviderProfile,
        api_key: str | None,
        on_retry: RetrySink | None = None,
    ) -> AsyncIterator[StreamEvent]:
        import openai

        from playground.services.failures import failure_from_exception, unreadable

        model = built.kwargs.get("model")
        streamed = bool(built.kwargs.get("stream"))
        clock = _Clock(streamed)
        if profile.needs_key and not api_key:
            yield Failed(
                Failure(
                    FailureKind.MISSING_KEY,
                    f"No API key for the profile {profile.name}: add one in Providers.",
                )
            )
            return
        terminal: StreamEvent | None = None
        attempts = [1]

        def retried(event: Retrying) -> None:
            attempts[0] = max(attempts[0], event.attempt + (event.status is not None))
            if on_retry is not None:
                on_retry(event)

        token = _retry_sink.set(retried)
        try:
            async for event in self._events(built, profile, api_key):
                clock.saw(event)
                if isinstance(event, _TERMINAL):
                    terminal = event
                    continue
                yield event
        except openai.OpenAIError as exc:
            named = model if isinstance(model, str) else None
            tier = built.kwargs.get("service_tier")
            terminal = Failed(failure_from_exception(exc, attempts[0], named, tier))
        except ValueError as exc:  # the SDK could not parse what the server sent
            terminal = Failed(unreadable(profile.effective_base_url, exc, streamed))
        finally:
            with contextlib.suppress(ValueError):  # closed from another context (GC)
                _retry_sink.reset(token)
        timing = clock.timing()
        yield timing
        if isinstance(terminal, Failed):
            log.warning(
                "run failed: %s %s via %s: %s [%s]",
                built.api,
                model,
                profile.name,
                terminal.failure.describe(),
                terminal.failure.details().replace("\n", "; "),
            )
        else:
            log.info(
                "run finished: %s %s via %s in %.0f ms",
                built.api,
                model,
                profile.name,
                timing.total_ms,
            )
        if terminal is not None:
            yield terminal

    async def _events(
        self, built: request.BuiltRequest, profile: ProviderProfile, api_key: str | None
    ) -> AsyncIterator[StreamEvent]:
        import openai

        client = self.client(profile, api_key)
        if background_stream.wanted(built.api, built.kwargs, built.resume):
            async for event in background_stream.events(client, built.kwargs, built.resume):
                yield event
            return
        method: Any = (
            client.responses.create if built.api == "responses" else client.chat.completions.create
        )
        # Flex is slower: its requests get the flex guide's longer timeout, per request
        # (core.service_tiers.timeout_for; the profile's own wins when it is longer).
        kwargs = dict(built.kwargs)
        longer = service_tiers.timeout_for(kwargs.get("service_tier"), profile.timeout)
        if longer is not None:
            kwargs["timeout"] = longer
        if not built.kwargs.get("stream"):
            result = await method(**kwargs)
            events = (
                response_events(result)
                if built.api == "responses"
                else chat_completion_events(result)
            )
            for event in _with_request_id(events, getattr(result, "_request_id", None)):
                yield event
            return
        stream = await method(**kwargs)
        request_id = stream.response.headers.get("x-request-id")
        consumer = ResponsesStreamConsumer() if built.api == "responses" else ChatStreamConsumer()
        try:
            async for item in stream:
                for event in consumer.feed(item):
                    if type(event) is RunStarted:
                        event = RunStarted(event.model, event.response_id, request_id)
                    yield event
        except (openai.OpenAIError, ValueError):
            for event in consumer.partial():  # what the consumer still holds is the answer too
                yield event
            raise
        finally:
            await stream.close()
        for event in consumer.finish():
            yield event


def _with_request_id(events: list[StreamEvent], request_id: str | None) -> list[StreamEvent]:
    return [
        RunStarted(e.model, e.response_id, request_id) if isinstance(e, RunStarted) else e
        for e in events
    ]
