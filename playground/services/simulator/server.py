"""The simulator's HTTP server: aiohttp on 127.0.0.1, in its own thread and event loop.

The endpoints live in mixins over `SimulatorCore` (state.py), one module per group
(endpoints.py: the model endpoints); `Simulator` composes them and runs the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from playground.services.simulator import kept
from playground.services.simulator.batches import BatchEndpoints
from playground.services.simulator.mcp_servers import McpRegistry
from playground.services.simulator.protocol import SimError, dumps, ids_past
from playground.services.simulator.reasoning_seal import Seal
from playground.services.simulator.responses_api import ResponsesEndpoints
from playground.services.simulator.saved_state import SavedState
from playground.services.simulator.scenarios import FlexShortage, RateLimit, Scenario
from playground.services.simulator.state import PERMISSIVE_PREFIX, RecordedRequest, State


class Simulator(ResponsesEndpoints, BatchEndpoints):
    """An OpenAI-compatible server. Use as a context manager, or start() / stop().

    `batch_seconds`: how long a batch takes on `clock` (0: done at the first look after
    it was created; see simulator/batch_jobs.py). `clock`: seconds since the epoch, by
    default the wall clock; a test sets its own to move batches on without waiting.
    `state_dir`: a folder to keep stored responses, Conversations, files and the seal key
    in across restarts (saved_state.py; the app's own simulator); None: memory only."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        speed: float | None = None,
        extra_models: tuple[str, ...] = (),
        auth: str = "bearer",
        batch_seconds: float = 0.0,
        state_dir: Path | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.api_key = api_key
        # "bearer": `Authorization: Bearer KEY` (OpenAI); "api-key": the `api-key` header (Azure)
        self.auth = auth
        self.speed = speed
        self.extra_models = set(extra_models)
        self.rate_limit: RateLimit | None = None
        """A requests-per-window limit answered with 429s (None: no limit)."""
        self.batch_seconds = self._batch_seconds = batch_seconds
        self.clock: Callable[[], float] = time.time
        self.mcp_servers = McpRegistry()
        """The fake remote MCP servers (simulator/mcp_servers.py); tests add their own."""
        self.seal = Seal()
        """The key of the reasoning items' encrypted content (reasoning_seal.py)."""
        self._state = State()
        self.state_dir = state_dir
        self.saved: SavedState | None = None
        """The saved state while running with a `state_dir` (opened at start)."""
        self._lock = threading.Lock()
        self._batch_lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def start(self) -> Simulator:
        if self.state_dir is not None and self.saved is None:
            self._load(SavedState(self.state_dir))
        self._thread = threading.Thread(target=self._run, name="simulator", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is None or self._thread is None:
            return
        fut = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
        with contextlib.suppress(Exception):
            fut.result(10)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(5)
        self._loop = None
        if self.saved is not None:
            self.saved.close()
            self.saved = None

    def _load(self, saved: SavedState) -> None:
        """Read the saved state into memory and keep writing to it."""
        loaded = saved.load()
        # a random step past the saved ids: another process on the same folder (the CLI
        # beside the window) never hands out the ids this one does
        ids_past(loaded.highest_id + secrets.randbits(40))
        self.seal = Seal(loaded.key)
        with self._lock:
            kept.restore(self._state, loaded, self.clock())
        self.saved = saved

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # noqa: BLE001 - start() re-raises it in the caller
            self._error = exc
            if self._runner is not None:
                loop.run_until_complete(self._runner.cleanup())
            loop.close()
            self._ready.set()
            return
        self._ready.set()
        loop.run_forever()
        loop.close()

    async def _shutdown(self) -> None:
        """Close the server, then end handlers still running (stalled or gated streams)."""
        if self._runner is not None:
            await self._runner.cleanup()
        current = asyncio.current_task()
        pending = [t for t in asyncio.all_tasks() if t is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _serve(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        # /permissive/v1 is the same API accepting any model id (a permissive simulator
        # profile, for trying custom model names offline).
        for prefix in ("/v1", PERMISSIVE_PREFIX):
            self._routes_models(app, prefix)
            self._routes_responses(app, prefix)
            self._routes_conversations(app, prefix)
            self._routes_batches(app, prefix)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = getattr(site._server, "sockets", None)
        if sockets:
            self.port = int(sockets[0].getsockname()[1])

    # -- scripting (thread-safe) -------------------------------------------------------------

    def enqueue(self, *scenarios: Scenario) -> None:
        """Queue scripted answers; each is used by the next matching request."""
        with self._lock:
            self._state.scenarios.extend(scenarios)

    def set_vector_store(self, files: list[dict[str, Any]] | None) -> None:
        """What file search finds until `reset`: entries `{"file_id", "filename", "text",
        "attributes"}` (spec FileSearchToolCall results without `score`); None restores the
        canned store (hosted_calls.VECTOR_STORE)."""
        with self._lock:
            self._state.vector_store = [dict(f) for f in files] if files is not None else None

    def short_of_flex(self, shortage: FlexShortage | None = None) -> None:
        """Make flex capacity short: the next flex requests get 429 Resource Unavailable
        (scenarios.FlexShortage; by default every one until `reset`)."""
        with self._lock:
            self._state.flex_short = shortage or FlexShortage()

    @property
    def flex_refused(self) -> int:
        """429 Resource Unavailable answers sent to flex requests since the last reset."""
        return self._state.flex_refused

    def reset(self) -> None:
        with self._lock:
            self._state = State()
        self.auth = "bearer"
        self.rate_limit = None
        self.batch_seconds = self._batch_seconds
        self.clock = time.time
        self.mcp_servers = McpRegistry()

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._state.requests)

    @property
    def count_requests(self) -> list[RecordedRequest]:
        """POST /v1/responses/input_tokens requests, kept apart from `requests`: the window
        counts tokens while its user edits, and those are not runs."""
        with self._lock:
            return list(self._state.counts)

    def bodies(self, path_suffix: str = "") -> list[Any]:
        return [
            r.body for r in self.requests if r.path.endswith(path_suffix) and r.method == "POST"
        ]

    def responses_output(self) -> list[dict[str, Any]]:
        """The `output` of the newest stored Responses answer, as sent ([] when none)."""
        with self._lock:
            stored = list(self._state.responses.values())
        return list(stored[-1].response["output"]) if stored else []

    @property
    def max_in_flight(self) -> int:
        """The most model requests answered at once since the last reset."""
        return self._state.max_in_flight

    @property
    def limited(self) -> int:
        """How many 429s the rate limit sent since the last reset."""
        return self._state.limited

    @property
    def disconnects(self) -> int:
        """Streams the client closed before the end (the app's Stop button)."""
        return self._state.disconnects

    # -- handlers ----------------------------------------------------------------------------

    async def _not_found(self, request: web.Request) -> web.Response:
        self._record(request, None)
        return self._error_response(SimError(404, f"Invalid URL ({request.method} {request.path})"))


__all__ = ["PERMISSIVE_PREFIX", "RecordedRequest", "Simulator", "dumps"]
