"""The simulator's model endpoints: chat completions, input token counts and the model
list, with the stream writer they share with the Responses endpoints (responses_api.py).

A group of endpoints is a mixin over `SimulatorCore` with a `_routes_...` method that
`Simulator._serve` calls for each API prefix.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from aiohttp import web

from playground.core import catalog
from playground.services.simulator import (
    brain,
    checks,
    emit_chat,
    file_inputs,
    input_tokens,
)
from playground.services.simulator.files import missing_file
from playground.services.simulator.protocol import (
    RATE_LIMIT_MESSAGE,
    SERVER_ERROR_MESSAGE,
    SimError,
    event_stream,
    new_id,
)
from playground.services.simulator.scenarios import HttpError, Scenario
from playground.services.simulator.state import COUNT_PATH, RecordedRequest, SimulatorCore
from playground.services.simulator.streaming import apply_scenario, fault, stream_fast

_DEFAULT_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "invalid_request_error",
    404: "invalid_request_error",
    429: "requests",
    500: "server_error",
    503: "server_error",
}


class ModelEndpoints(SimulatorCore):
    """The model endpoints, under one API prefix (/v1, or the permissive one)."""

    def _routes_models(self, app: web.Application, prefix: str) -> None:
        app.router.add_get(f"{prefix}/models", self._models)
        app.router.add_post(f"{prefix}/chat/completions", self._counted(self._chat))
        app.router.add_post(prefix + COUNT_PATH, self._input_tokens)

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
            self._admit()
            self._admit_flex(body)
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

    async def _input_tokens(self, request: web.Request) -> web.Response:
        """POST /v1/responses/input_tokens (see simulator/input_tokens.py)."""
        try:
            self._auth(request)
            _rec, body = await self._read(request)
            input_tokens.check(body, self.known_model)
            files = file_inputs.read(_input_items(body.get("input")), self._file_bytes)
            found = input_tokens.count(body, self._history(body), file_inputs.text_tokens(files))
        except SimError as err:
            return self._error_response(err)
        return web.json_response(found, headers={"x-request-id": new_id("req")})

    def _file_bytes(self, file_id: str) -> tuple[str, bytes]:
        """(file name, content) of an uploaded file; SimError 404 when there is none."""
        with self._lock:
            found = self._state.files.get(file_id)
        if found is None:
            raise missing_file(file_id)
        return found.filename, found.data

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
        resp = await event_stream(request)
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
