"""The simulator's HTTP server: aiohttp on 127.0.0.1, in its own thread and event loop."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from playground.core import catalog
from playground.services.simulator import brain, checks, emit_chat, emit_responses, input_tokens
from playground.services.simulator.protocol import (
    RATE_LIMIT_MESSAGE,
    SERVER_ERROR_MESSAGE,
    SimError,
    bad_key_error,
    dumps,
    missing_key_error,
    new_id,
)
from playground.services.simulator.scenarios import Endpoint, HttpError, Scenario
from playground.services.simulator.streaming import apply_scenario, fault, stream_fast

# The same API under this prefix accepts any model id (see Simulator._known_for).
PERMISSIVE_PREFIX = "/permissive/v1"

COUNT_PATH = "/responses/input_tokens"

_DEFAULT_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "invalid_request_error",
    404: "invalid_request_error",
    429: "requests",
    500: "server_error",
    503: "server_error",
}


@dataclass
class RecordedRequest:
    """One request as the simulator received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int = 0
    query: dict[str, str] = field(default_factory=dict)

    @property
    def retry_count(self) -> int:
        return int(self.headers.get("x-stainless-retry-count", "0") or 0)


@dataclass
class _Stored:
    context: list[dict[str, Any]]
    response: dict[str, Any]


@dataclass
class _State:
    scenarios: list[Scenario] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    counts: list[RecordedRequest] = field(default_factory=list)
    responses: dict[str, _Stored] = field(default_factory=dict)
    disconnects: int = 0


class Simulator:
    """An OpenAI-compatible server. Use as a context manager, or start() / stop()."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        speed: float | None = None,
        extra_models: tuple[str, ...] = (),
        auth: str = "bearer",
    ) -> None:
        self.host, self.port = host, port
        self.api_key = api_key
        # "bearer": `Authorization: Bearer KEY` (OpenAI); "api-key": the `api-key` header (Azure)
        self.auth = auth
        self.speed = speed
        self.extra_models = set(extra_models)
        self._state = _State()
        self._lock = threading.Lock()
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
            app.router.add_get(f"{prefix}/models", self._models)
            app.router.add_post(f"{prefix}/chat/completions", self._chat)
            app.router.add_post(f"{prefix}/responses", self._responses)
            app.router.add_post(prefix + COUNT_PATH, self._input_tokens)
            app.router.add_get(f"{prefix}/responses/{{id}}", self._get_response)
            app.router.add_delete(f"{prefix}/responses/{{id}}", self._delete_response)
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

    def reset(self) -> None:
        with self._lock:
            self._state = _State()
        self.auth = "bearer"

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

    @property
    def disconnects(self) -> int:
        """Streams the client closed before the end (the app's Stop button)."""
        return self._state.disconnects

    def known_model(self, model: str) -> bool:
        return catalog.lookup(model).known or model in self.extra_models

    def _known_for(self, request: web.Request) -> Callable[[str], bool]:
        """Which ids this request may name: the catalog's (404 model_not_found otherwise, as
        the API answers), or any id under the permissive prefix."""
        if request.path.startswith(PERMISSIVE_PREFIX + "/"):
            return lambda _model: True
        return self.known_model

    def _next_scenario(self, endpoint: Endpoint, retry_count: int) -> Scenario | None:
        with self._lock:
            for i, sc in enumerate(self._state.scenarios):
                if sc.matches(endpoint):
                    err = sc.http_error
                    keep = (
                        err is not None and err.attempts is not None and retry_count < err.attempts
                    )
                    if not keep:
                        del self._state.scenarios[i]
                    return sc
        return None

    # -- handlers ----------------------------------------------------------------------------

    def _record(self, request: web.Request, body: Any) -> RecordedRequest:
        rec = RecordedRequest(
            request.method,
            request.path,
            {k.lower(): v for k, v in request.headers.items()},
            body,
            query=dict(request.query),
        )
        with self._lock:
            if request.path.endswith(COUNT_PATH):
                self._state.counts.append(rec)
            else:
                self._state.requests.append(rec)
        return rec

    def _auth(self, request: web.Request) -> None:
        if self.api_key is None:
            return
        if self.auth == "api-key":
            given = request.headers.get("api-key", "").strip()
        else:
            header = request.headers.get("Authorization", "")
            given = header[7:].strip() if header.startswith("Bearer ") else ""
        if not given:
            raise missing_key_error()
        if given != self.api_key:
            raise bad_key_error(given)

    @staticmethod
    def _error_response(err: SimError) -> web.Response:
        headers = {"x-request-id": new_id("req"), **(err.headers or {})}
        return web.json_response(err.body(), status=err.status, headers=headers)

    async def _models(self, request: web.Request) -> web.Response:
        self._record(request, None)
        try:
            self._auth(request)
        except SimError as err:
            return self._error_response(err)
        # Each catalog model with the shutdown date its lifecycle names (spec
        # components.schemas.Model.shutdown_date: YYYY-MM-DD, or null when none is announced).
        dates = {m.id: m.lifecycle.shutdown for m in catalog.models()}
        ids = list(dates) + sorted(self.extra_models)
        data = [
            {
                "id": i,
                "object": "model",
                "created": 1700000000,
                "owned_by": "simulator",
                "shutdown_date": dates.get(i),
            }
            for i in ids
        ]
        return web.json_response(
            {"object": "list", "data": data}, headers={"x-request-id": new_id("req")}
        )

    async def _not_found(self, request: web.Request) -> web.Response:
        self._record(request, None)
        return self._error_response(SimError(404, f"Invalid URL ({request.method} {request.path})"))

    async def _get_response(self, request: web.Request) -> web.Response:
        self._record(request, None)
        stored = self._state.responses.get(request.match_info["id"])
        if stored is None:
            return self._error_response(
                SimError(
                    404, f"Response with id '{request.match_info['id']}' not found.", param="id"
                )
            )
        return web.json_response(stored.response, headers={"x-request-id": new_id("req")})

    async def _delete_response(self, request: web.Request) -> web.Response:
        self._record(request, None)
        rid = request.match_info["id"]
        with self._lock:
            found = self._state.responses.pop(rid, None)
        if found is None:
            return self._error_response(
                SimError(404, f"Response with id '{rid}' not found.", param="id")
            )
        return web.json_response({"id": rid, "object": "response", "deleted": True})

    async def _read(self, request: web.Request) -> tuple[RecordedRequest, dict[str, Any]]:
        raw = await request.text()
        try:
            body = json.loads(raw)
        except ValueError:
            self._record(request, raw)
            raise SimError(
                400,
                "We could not parse the JSON body of your request. (HINT: This "
                "likely means you aren't using your HTTP library correctly. The "
                "OpenAI API expects a JSON payload, but what was sent was not "
                "valid JSON.)",
            ) from None
        rec = self._record(request, body)
        if not isinstance(body, dict):
            raise SimError(400, "Invalid request body: expected a JSON object.")
        return rec, body

    def _scripted_error(self, sc: Scenario | None, rec: RecordedRequest, model: str) -> None:
        err: HttpError | None = sc.http_error if sc else None
        if err is None:
            return
        if err.attempts is not None and rec.retry_count >= err.attempts:
            return
        if err.raw_body is not None:
            raise _RawError(err.status, err.raw_body, err.headers)
        message = err.message or (
            RATE_LIMIT_MESSAGE.format(model=model) if err.status == 429 else SERVER_ERROR_MESSAGE
        )
        raise SimError(
            err.status,
            message,
            err.type or _DEFAULT_TYPES.get(err.status, "error"),
            err.param,
            err.code,
            dict(err.headers),
        )

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        try:
            self._auth(request)
            rec, body = await self._read(request)
            sc = self._next_scenario("chat", rec.retry_count)
            self._scripted_error(sc, rec, str(body.get("model")))
            if sc and sc.raw_sse is not None:
                return await self._stream(request, rec, iter([sc.raw_sse]), sc)
            info = checks.check_chat(body, self._known_for(request))
            plan = apply_scenario(brain.plan(brain.read_chat(body), info, "chat"), sc)
        except _RawError as raw:
            return web.Response(status=raw.status, text=raw.body, headers=raw.headers)
        except SimError as err:
            return self._error_response(err)
        if not body.get("stream"):
            return web.json_response(
                emit_chat.completion(plan), headers={"x-request-id": new_id("req")}
            )
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        error = None
        if sc and sc.error_after is not None:
            error = {
                "message": sc.error_message,
                "type": "server_error",
                "param": None,
                "code": "server_error",
            }
        frames = emit_chat.chunks(plan, include_usage, error, sc.error_after if sc else None)
        return await self._stream(request, rec, frames, sc)

    async def _responses(self, request: web.Request) -> web.StreamResponse:
        try:
            self._auth(request)
            rec, body = await self._read(request)
            sc = self._next_scenario("responses", rec.retry_count)
            self._scripted_error(sc, rec, str(body.get("model")))
            if sc and sc.raw_sse is not None:
                return await self._stream(request, rec, iter([sc.raw_sse]), sc)
            info = checks.check_responses(body, self._known_for(request))
            history = self._history(body)
            context = history + _input_items(body.get("input"))
            checks.check_responses_pairing(context)
            plan = apply_scenario(
                brain.plan(brain.read_responses(body, history), info, "responses"), sc
            )
        except _RawError as raw:
            return web.Response(status=raw.status, text=raw.body, headers=raw.headers)
        except SimError as err:
            return self._error_response(err)
        shape = emit_responses.ResponseShape(plan, body, info.reasoning and info.known)
        final = shape.final()
        if body.get("store", True) is not False:
            with self._lock:
                self._state.responses[shape.id] = _Stored(context + shape.items, final)
        if not body.get("stream"):
            return web.json_response(final, headers={"x-request-id": new_id("req")})
        form = sc.error_form if sc and sc.error_after is not None else None
        frames = emit_responses.events(
            shape, form, sc.error_after if sc else None, sc.error_message if sc else ""
        )
        return await self._stream(request, rec, frames, sc)

    async def _input_tokens(self, request: web.Request) -> web.Response:
        """POST /v1/responses/input_tokens (see simulator/input_tokens.py)."""
        try:
            self._auth(request)
            _rec, body = await self._read(request)
            input_tokens.check(body, self.known_model)
            found = input_tokens.count(body, self._history(body))
        except SimError as err:
            return self._error_response(err)
        return web.json_response(found, headers={"x-request-id": new_id("req")})

    def _history(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        prev = body.get("previous_response_id")
        if not prev:
            return []
        stored = self._state.responses.get(prev)
        if stored is None:
            raise SimError(
                400,
                f"Previous response with id '{prev}' not found.",
                param="previous_response_id",
                code="previous_response_not_found",
            )
        return list(stored.context)

    async def _stream(
        self,
        request: web.Request,
        rec: RecordedRequest,
        frames: Iterator[bytes],
        sc: Scenario | None,
    ) -> web.StreamResponse:
        resp = web.StreamResponse(
            status=200,
            headers={
                "Content-Type": "text/event-stream; charset=utf-8",
                "x-request-id": new_id("req"),
            },
        )
        await resp.prepare(request)
        rec.status = 200
        delay = sc.delay if sc and sc.delay is not None else (1 / self.speed if self.speed else 0)
        try:
            if not delay and (sc is None or not sc.has_faults()):
                await stream_fast(resp, frames)
                return resp
            for n, frame in enumerate(frames):
                if sc is not None and await fault(request, resp, sc, n):
                    return resp
                await resp.write(frame)
                if delay:
                    await asyncio.sleep(delay)
                elif n % 64 == 63:
                    await asyncio.sleep(0)
            await resp.write_eof()
        except (ConnectionResetError, ConnectionError, asyncio.CancelledError):
            self._state.disconnects += 1
        return resp


class _RawError(Exception):
    def __init__(self, status: int, body: str, headers: dict[str, str]) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers


def _input_items(inp: Any) -> list[dict[str, Any]]:
    if isinstance(inp, str):
        return [{"type": "message", "role": "user", "content": inp}]
    return [i for i in inp or [] if isinstance(i, dict)]


__all__ = ["RecordedRequest", "Simulator", "dumps"]
