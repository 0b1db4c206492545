"""The simulator's Responses endpoints: create (foreground or background), retrieve (and
resume a background stream), delete, cancel, and a stored response's input items.

The state a run reads: `previous_response_id` (the stored chain) or `conversation` (its
items; conversations.py), then the input. A stored response (`store` not false) keeps its
input and output items in stored form (items.py); `store: false` keeps nothing, so such a
response cannot be retrieved. Spec paths /responses, /responses/{response_id},
/responses/{response_id}/cancel, /responses/{response_id}/input_items (checked 2026-12-01).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from aiohttp import web

from playground.services.simulator import (
    answer_notes,
    background,
    brain,
    checks,
    emit_responses,
    file_inputs,
    hosted_checks,
    items,
    mcp_play,
    reasoning_seal,
    state_checks,
)
from playground.services.simulator.conversations import ConversationEndpoints
from playground.services.simulator.endpoints import ModelEndpoints, _input_items, _RawError
from playground.services.simulator.files import _json
from playground.services.simulator.hosted_calls import with_hosted
from playground.services.simulator.protocol import SimError
from playground.services.simulator.scenarios import Scenario
from playground.services.simulator.state import Stored
from playground.services.simulator.streaming import apply_scenario


def _limit_tool_calls(plan: brain.Plan, limit: Any) -> brain.Plan:
    """At most `limit` built-in tool calls in the response (spec ResponseProperties.
    max_tool_calls: built-in tools only; further calls are ignored)."""
    if not isinstance(limit, int) or isinstance(limit, bool):
        return plan
    kept, calls = [], 0
    for item in plan.mcp_items:
        if item.get("type") == "mcp_call":
            calls += 1
            if calls > limit:
                continue
        kept.append(item)
    plan.mcp_items = kept
    if limit < 1:
        plan.hosted = None
    return plan


class ResponsesEndpoints(ModelEndpoints, ConversationEndpoints):
    """/v1/responses and its sub-paths (over the model and conversation endpoints)."""

    def _routes_responses(self, app: web.Application, prefix: str) -> None:
        app.router.add_post(f"{prefix}/responses", self._counted(self._responses))
        app.router.add_get(f"{prefix}/responses/{{id}}", self._handled(self._get_response))
        app.router.add_delete(f"{prefix}/responses/{{id}}", self._handled(self._delete_response))
        app.router.add_post(
            f"{prefix}/responses/{{id}}/cancel", self._handled(self._cancel_response)
        )
        app.router.add_get(
            f"{prefix}/responses/{{id}}/input_items", self._handled(self._input_items_of)
        )

    # -- create ------------------------------------------------------------------------------

    def _is_stored_item(self, item_id: str) -> bool:
        with self._lock:
            stores = [s.context for s in self._state.responses.values()]
            stores += [c.items for c in self._state.conversations.values()]
        return any(i.get("id") == item_id for found in stores for i in found)

    async def _responses(self, request: web.Request) -> web.StreamResponse:
        try:
            self._auth(request)
            rec, body = await self._read(request)
            self._admit()
            self._admit_flex(body)
            sc = self._next_scenario("responses", rec.retry_count)
            self._scripted_error(sc, rec, str(body.get("model")))
            if sc and sc.raw_sse is not None:
                return await self._stream(request, rec, iter([sc.raw_sse]), sc)
            info = checks.check_responses(body, self._known_for(request))
            state_checks.check(body)
            hosted_checks.check(body.get("tools"))
            conv_id = state_checks.conversation_id(body)
            if conv_id is None:
                history = self._history(body)
            else:
                history = list(self.conversation(conv_id, "conversation").items)
            inp = _input_items(body.get("input"))
            files = file_inputs.read(inp, self._file_bytes)
            store = body.get("store", True) is not False
            carried = reasoning_seal.check_input(inp, store, self.seal, self._is_stored_item)
            context = history + inp
            checks.check_responses_pairing(context)
            conv = brain.read_responses(body, history)
            plan = apply_scenario(
                mcp_play.after_hosted(
                    with_hosted(
                        brain.plan(conv, info, "responses"), conv, body, self._state.vector_store
                    ),
                    body,
                    context,
                    self.mcp_servers,
                ),
                sc,
            )
            plan = _limit_tool_calls(plan, body.get("max_tool_calls"))
            plan.input_tokens += file_inputs.text_tokens(files)
            reasoning = info.reasoning and info.known
            mark = None
            if reasoning and not store and carried.tool_loop:
                mark = reasoning_seal.marker(carried)
                rec.reasoning_carried = carried.carried
            plan = answer_notes.prepend(plan, [mark, file_inputs.note(files)], body)
        except _RawError as raw:
            return web.Response(status=raw.status, text=raw.body, headers=raw.headers)
        except SimError as err:
            return self._error_response(err)
        shape = emit_responses.ResponseShape(plan, body, reasoning, self.seal.seal, conv_id)
        inputs = history + [items.stored(i) for i in inp]
        if body.get("background"):
            return await self._start_background(request, body, shape, inputs, len(inp), sc)
        final = shape.final()
        if store:
            with self._lock:
                self._state.responses[shape.id] = Stored(inputs + shape.items, final, len(inputs))
            self._keep("response", shape.id)
        if conv_id is not None:
            self.append_to_conversation(conv_id, inputs[len(history) :] + shape.items)
        if not body.get("stream"):
            return _json(final)
        return await self._stream(request, rec, _frames(shape, sc), sc)

    async def _start_background(
        self,
        request: web.Request,
        body: dict[str, Any],
        shape: emit_responses.ResponseShape,
        inputs: list[dict[str, Any]],
        fresh: int,
        sc: Scenario | None,
    ) -> web.StreamResponse:
        """Start a background job; answer with its queued snapshot, or follow its stream."""
        conv_id = shape.conversation
        delay = sc.delay if sc and sc.delay is not None else (1 / self.speed if self.speed else 0)
        job = background.Job(
            shape,
            background.planned_events(shape),
            delay=delay,
            gate_after=sc.gate_after if sc else None,
            gate=sc.gate if sc else None,
        )
        stored = Stored(list(inputs), job.snapshot(), len(inputs), job)

        def on_end(ended: background.Job) -> None:
            with self._lock:
                stored.response = ended.snapshot()
                if ended.status in ("completed", "incomplete"):
                    stored.context = list(inputs) + shape.items
            if conv_id is not None and ended.status in ("completed", "incomplete"):
                self.append_to_conversation(conv_id, inputs[len(inputs) - fresh :] + shape.items)
            if body.get("store", True) is not False:
                self._keep("response", shape.id)

        with self._lock:
            self._state.responses[shape.id] = stored
        job.task = asyncio.get_running_loop().create_task(background.run(job, on_end))
        if not body.get("stream"):
            return _json(job.snapshot())
        resp, dropped = await background.follow(request, job, -1, sc.truncate_after if sc else None)
        if dropped:
            self._state.disconnects += 1
        return resp

    # -- the stored responses ----------------------------------------------------------------

    def _stored(self, response_id: str) -> Stored:
        with self._lock:
            found = self._state.responses.get(response_id)
        if found is None:
            raise SimError(404, f"Response with id '{response_id}' not found.", param="id")
        return found

    def _now(self, stored: Stored) -> dict[str, Any]:
        with self._lock:
            return stored.job.snapshot() if stored.job is not None else stored.response

    async def _get_response(self, request: web.Request) -> web.StreamResponse:
        rec = self._record(request, None)
        stored = self._stored(request.match_info["id"])
        if request.query.get("stream", "false").lower() != "true":
            found = dict(self._now(stored))
            include = items.include_of(request.query)
            found["output"] = [items.listed(i, include) for i in found.get("output") or []]
            return _json(found)
        if stored.job is None:
            raise SimError(
                400,
                "This response cannot be streamed: only responses created with "
                "'background': true can be streamed again.",
                param="stream",
                code="invalid_value",
            )
        raw = request.query.get("starting_after", "-1")
        try:
            after = int(raw)
        except ValueError:
            raise SimError(
                400,
                f"Invalid type for 'starting_after': expected an integer, but got '{raw}'.",
                param="starting_after",
                code="invalid_type",
            ) from None
        rec.status = 200
        resp, dropped = await background.follow(request, stored.job, after)
        if dropped:
            self._state.disconnects += 1
        return resp

    async def _delete_response(self, request: web.Request) -> web.Response:
        self._record(request, None)
        rid = request.match_info["id"]
        with self._lock:
            found = self._state.responses.pop(rid, None)
        if found is None:
            raise SimError(404, f"Response with id '{rid}' not found.", param="id")
        self._forget("response", rid)
        if found.job is not None:
            found.job.cancel()
        return _json({"id": rid, "object": "response", "deleted": True})

    async def _cancel_response(self, request: web.Request) -> web.Response:
        self._record(request, None)
        stored = self._stored(request.match_info["id"])
        if stored.job is None:
            raise SimError(
                400,
                "Only responses created with 'background': true can be cancelled.",
                param="response_id",
                code="invalid_value",
            )
        with self._lock:
            stored.job.cancel()  # a response that has ended is returned as it is
            stored.response = stored.job.snapshot()
        return _json(self._now(stored))

    async def _input_items_of(self, request: web.Request) -> web.Response:
        self._record(request, None)
        stored = self._stored(request.match_info["id"])
        with self._lock:
            found = list(stored.context[: stored.inputs])
        return _json(items.page(found, request.query, items.include_of(request.query)))


def _frames(shape: emit_responses.ResponseShape, sc: Scenario | None) -> Iterator[bytes]:
    form = sc.error_form if sc and sc.error_after is not None else None
    return emit_responses.events(
        shape, form, sc.error_after if sc else None, sc.error_message if sc else ""
    )
