"""The simulator's Batches endpoints: create, retrieve, list, cancel.

Spec paths /batches (POST CreateBatchRequest; GET with `after` and `limit` 1..100, default
20, newest first), /batches/{batch_id}, /batches/{batch_id}/cancel; the object is
components.schemas.Batch (checked 2026-12-01). The lifecycle and its pace are in
batch_jobs.py; each line is answered by the simulated model (batch_run.py). The work of a
batch is done when a look at it (retrieve, list, cancel) finds the clock past it, in a
worker thread, so a 10,000-line batch does not stall the other endpoints.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from aiohttp import web

from playground.services.simulator import batch_run
from playground.services.simulator.batch_jobs import TERMINAL, BatchJob
from playground.services.simulator.batch_run import ENDPOINTS, Answer
from playground.services.simulator.files import FileEndpoints, _int_param, _json, page
from playground.services.simulator.protocol import SimError, new_id


class BatchEndpoints(FileEndpoints):
    """/v1/batches and its sub-paths (over the Files endpoints they read and write)."""

    _batch_lock: threading.Lock
    _history: batch_run.History
    """The stored conversation a body's previous_response_id names (ModelEndpoints)."""

    def _routes_batches(self, app: web.Application, prefix: str) -> None:
        self._routes_files(app, prefix)
        app.router.add_post(f"{prefix}/batches", self._handled(self._create_batch))
        app.router.add_get(f"{prefix}/batches", self._handled(self._list_batches))
        app.router.add_get(f"{prefix}/batches/{{id}}", self._handled(self._get_batch))
        app.router.add_post(f"{prefix}/batches/{{id}}/cancel", self._handled(self._cancel_batch))

    # -- the work --------------------------------------------------------------------------

    def _run_all(self, requests: list[tuple[str, dict[str, Any]]], endpoint: str) -> list[Answer]:
        return [
            batch_run.answer(cid, body, endpoint, self.known_model, self._history)
            for cid, body in requests
        ]

    def _store_output(self, name: str, data: bytes) -> str:
        return self.store_file(name, "batch_output", data, None)

    def _advance(self, job: BatchJob) -> None:
        job.advance(
            self.clock(),
            lambda requests: self._run_all(requests, job.endpoint),
            self._store_output,
        )

    async def _look(self, jobs: list[BatchJob]) -> None:
        """Bring `jobs` up to the clock, in a worker thread (answering can take seconds)."""
        live = [j for j in jobs if j.status not in TERMINAL]
        if live:
            await asyncio.to_thread(self._advance_all, live)

    def _advance_all(self, jobs: list[BatchJob]) -> None:
        with self._batch_lock:  # one look at a time does a batch's work
            for job in jobs:
                self._advance(job)

    def _job(self, batch_id: str) -> BatchJob:
        with self._lock:
            job = self._state.batches.get(batch_id)
        if job is None:
            raise SimError(404, f"No batch found with id '{batch_id}'.", param="batch_id")
        return job

    # -- handlers --------------------------------------------------------------------------

    async def _create_batch(self, request: web.Request) -> web.Response:
        _rec, body = await self._read(request)
        file_id = body.get("input_file_id")
        if not isinstance(file_id, str) or not file_id:
            raise SimError(
                400, "Missing required parameter: 'input_file_id'.", param="input_file_id"
            )
        endpoint = body.get("endpoint")
        if endpoint not in ENDPOINTS:
            raise SimError(
                400,
                f"Invalid value for 'endpoint': '{endpoint}'. The simulator runs batches on "
                + " and ".join(ENDPOINTS)
                + ".",
                param="endpoint",
            )
        if body.get("completion_window") != "24h":
            raise SimError(
                400,
                "Invalid value for 'completion_window': only '24h' is supported.",
                param="completion_window",
            )
        found = self.file(file_id)
        if found.purpose != "batch":
            raise SimError(
                400,
                f"The file {file_id} has purpose '{found.purpose}'; a batch's input file "
                "must be uploaded with purpose 'batch'.",
                param="input_file_id",
            )
        metadata = body.get("metadata")
        if metadata is not None and not (
            isinstance(metadata, dict) and all(isinstance(v, str) for v in metadata.values())
        ):
            raise SimError(400, "metadata must be an object of strings.", param="metadata")
        job = BatchJob(
            new_id("batch"),
            str(endpoint),
            file_id,
            found.data,
            self.clock(),
            self.batch_seconds,
            metadata,
        )
        with self._lock:
            self._state.batches[job.id] = job
        return _json(job.obj())

    async def _get_batch(self, request: web.Request) -> web.Response:
        self._record(request, None)
        job = self._job(request.match_info["id"])
        await self._look([job])
        return _json(job.obj())

    async def _list_batches(self, request: web.Request) -> web.Response:
        self._record(request, None)
        limit = _int_param(request.query.get("limit"), "limit", 20, 1, 100)
        with self._lock:
            jobs = list(reversed(self._state.batches.values()))
        found = page([{"id": j.id} for j in jobs], request.query.get("after"), limit)
        shown = [self._job(i["id"]) for i in found["data"]]
        await self._look(shown)
        found["data"] = [j.obj() for j in shown]
        return _json(found)

    async def _cancel_batch(self, request: web.Request) -> web.Response:
        self._record(request, None)
        job = self._job(request.match_info["id"])
        await self._look([job])
        if job.status in TERMINAL or job.status == "cancelling":
            raise SimError(
                409 if job.status == "cancelling" else 400,
                f"Cannot cancel a batch with status '{job.status}'.",
                param="batch_id",
            )
        job.cancel(self.clock())
        return _json(job.obj())
