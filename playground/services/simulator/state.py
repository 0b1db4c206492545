"""The simulator's shared state and the request helpers every group of endpoints uses.

`SimulatorCore` holds what the endpoint groups share (the recorded requests, the scripted
scenarios, stored responses, the key check); each group is a mixin over it in its own module
(`endpoints.py`: the model endpoints) and `Simulator` (server.py) composes them.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from playground.core import catalog
from playground.services.simulator.background import Job
from playground.services.simulator.batch_jobs import BatchJob, StoredFile
from playground.services.simulator.mcp_servers import McpRegistry
from playground.services.simulator.protocol import (
    SimError,
    bad_key_error,
    missing_key_error,
    new_id,
)
from playground.services.simulator.reasoning_seal import Seal
from playground.services.simulator.saved_state import SavedState
from playground.services.simulator.scenarios import (
    FLEX_SHORT_MESSAGE,
    Endpoint,
    FlexShortage,
    RateLimit,
    Scenario,
)

# The same API under this prefix accepts any model id (see SimulatorCore._known_for).
PERMISSIVE_PREFIX = "/permissive/v1"

COUNT_PATH = "/responses/input_tokens"


@dataclass
class RecordedRequest:
    """One request as the simulator received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int = 0
    query: dict[str, str] = field(default_factory=dict)
    reasoning_carried: bool | None = None
    """For a reasoning model's stateless tool loop (store false, tool outputs in input):
    whether its reasoning item came back with checked encrypted content (None: not such a
    request). See reasoning_seal.py."""

    @property
    def retry_count(self) -> int:
        return int(self.headers.get("x-stainless-retry-count", "0") or 0)


@dataclass
class Stored:
    """A stored response (`store` was not false): the items it saw (its input items first,
    `inputs` of them, then its output items) and the response body; `job` for a
    background response (background.py)."""

    context: list[dict[str, Any]]
    response: dict[str, Any]
    inputs: int = 0
    job: Job | None = None


@dataclass
class Conversation:
    """A conversation (spec ConversationResource) and its items, oldest first."""

    id: str
    created_at: int
    metadata: dict[str, str]
    items: list[dict[str, Any]] = field(default_factory=list)

    def obj(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "conversation",
            "created_at": self.created_at,
            "metadata": dict(self.metadata),
        }


@dataclass
class State:
    """Everything a simulator keeps between requests; `Simulator.reset()` makes a new one."""

    scenarios: list[Scenario] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    counts: list[RecordedRequest] = field(default_factory=list)
    responses: dict[str, Stored] = field(default_factory=dict)
    disconnects: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    """The most model requests (chat, responses) the server was answering at once."""
    limited: int = 0
    """429s sent by the rate limit (Simulator.rate_limit)."""
    flex_short: FlexShortage | None = None
    """Flex capacity is short for the next requests (Simulator.short_of_flex)."""
    flex_refused: int = 0
    """429 Resource Unavailable answers sent to flex requests."""
    window_start: float = 0.0
    window_count: int = 0
    files: dict[str, StoredFile] = field(default_factory=dict)
    """Uploaded and generated files by id, in the order made (simulator/files.py)."""
    batches: dict[str, BatchJob] = field(default_factory=dict)
    """Batches by id, in the order created (simulator/batches.py)."""
    conversations: dict[str, Conversation] = field(default_factory=dict)
    """Conversations by id (simulator/conversations.py)."""
    vector_store: list[dict[str, Any]] | None = None
    """The files every file search reads (Simulator.set_vector_store); None: the canned
    store, hosted_calls.VECTOR_STORE."""


class SimulatorCore:
    """The state and helpers the endpoint mixins share; `Simulator` sets the attributes."""

    api_key: str | None
    auth: str
    speed: float | None
    extra_models: set[str]
    rate_limit: RateLimit | None
    batch_seconds: float
    clock: Callable[[], float]
    mcp_servers: McpRegistry
    seal: Seal
    saved: SavedState | None
    _state: State
    _lock: threading.Lock

    def _keep(self, kind: str, ident: str) -> None:
        """Write one response, conversation or file (kept.py's kinds) to the saved state as
        it is now; nothing without a saved state (a test's simulator stays in memory)."""
        if self.saved is None:
            return
        from playground.services.simulator import kept

        with self._lock:
            found = kept.entry(self._state, kind, ident)
        if found is not None:
            self.saved.put(kind, ident, *found)

    def _forget(self, kind: str, ident: str) -> None:
        """Drop one entry from the saved state (it was deleted)."""
        if self.saved is not None:
            self.saved.drop(kind, ident)

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

    def _admit(self) -> None:
        """Count a model request against `rate_limit`; SimError 429 beyond it."""
        limit = self.rate_limit
        if limit is None:
            return
        now = time.monotonic()
        with self._lock:
            st = self._state
            if now - st.window_start >= limit.window_s:
                st.window_start, st.window_count = now, 0
            if st.window_count < limit.requests:
                st.window_count += 1
                return
            st.limited += 1
            wait_ms = max(1, round((st.window_start + limit.window_s - now) * 1000))
        raise SimError(
            429,
            f"Rate limit reached on requests per {limit.window_s:g}s: Limit {limit.requests}. "
            f"Please try again in {wait_ms}ms.",
            "requests",
            code="rate_limit_exceeded",
            headers={
                "retry-after-ms": str(wait_ms),
                "x-ratelimit-limit-requests": str(limit.requests),
                "x-ratelimit-remaining-requests": "0",
                "x-ratelimit-reset-requests": f"{wait_ms}ms",
            },
        )

    def _admit_flex(self, body: dict[str, Any]) -> None:
        """SimError 429 Resource Unavailable for a flex request while flex capacity is short
        (State.flex_short); other tiers pass."""
        if body.get("service_tier") != "flex":
            return
        with self._lock:
            st = self._state
            short = st.flex_short
            if short is None or short.requests <= 0:
                return
            short.requests -= 1
            st.flex_refused += 1
        wait = {} if short.retry_after_ms is None else {"retry-after-ms": str(short.retry_after_ms)}
        raise SimError(
            429,
            FLEX_SHORT_MESSAGE,
            "service_unavailable",
            code="resource_unavailable",
            headers=wait,
        )

    def _counted(
        self, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """`handler`, counted in `in_flight` while it answers."""

        async def counted(request: web.Request) -> web.StreamResponse:
            with self._lock:
                self._state.in_flight += 1
                self._state.max_in_flight = max(self._state.max_in_flight, self._state.in_flight)
            try:
                return await handler(request)
            finally:
                with self._lock:
                    self._state.in_flight -= 1

        return counted

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
