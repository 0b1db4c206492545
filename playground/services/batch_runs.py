"""Running an evaluation on the Batch API: submit, track, cancel, resume and collect.

- submit: the evaluation's lines (core.batch_requests.lines_for: the one request builder's
  bodies), split and checked as the API checks a file (core.batch_check), each file uploaded
  (`files.create(purpose="batch")`) and made a batch (`batches.create(completion_window="24h",
  metadata={evaluation, part "k of n", workspace, app})`); the evaluation is recorded in the
  evaluation store ("running") and each batch in its `batches` table (services/batch_store.py).
- track: `batches.retrieve` with backoff (POLL_FIRST_S doubling to POLL_MAX_S between looks
  at batches still open), each look saved and announced (`changed`).
- resume: the store's open batches are what there is to poll; a new BatchRuns on the same
  store picks them up, so tracking survives quitting.
- collect: services/batch_collect.py, once every batch of the evaluation is finished.

Qt-free: progress is psygnal signals emitted on the loop that runs the coroutines; every
coroutine is cancellable (a task cancelled while polling just stops polling). One instance
talks to one provider (`client`, an AsyncOpenAI); the profile's name is kept with each batch.
Errors: the SDK's (openai.APIError) from the server, EvaluationStoreUnavailable from the store,
BatchRefused before anything is sent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psygnal import Signal

from playground.core import request
from playground.core.batch_check import MAX_FILE_BYTES, MAX_REQUESTS, BatchProblem, check, split
from playground.core.batch_requests import BASE_KEY, BatchLine, CellIds, jsonl, lines_for
from playground.core.evaluation_results import Cell
from playground.core.evaluation_spec import TestRow
from playground.core.variants import Variant
from playground.core.workspace import Workspace
from playground.services import batch_collect
from playground.services.batch_store import BatchState, BatchStore, metadata
from playground.services.evaluation import new_evaluation_id
from playground.services.evaluation_store import EvaluationStore

POLL_FIRST_S = 2.0
"""Seconds before the second look at an open batch; each wait after doubles it."""
POLL_MAX_S = 60.0
"""The longest wait between two looks (a batch may take up to 24 hours)."""
WINDOW = "24h"
"""The only completion window the API takes (spec CreateBatchRequest.completion_window)."""

Sleep = Callable[[float], Awaitable[Any]]


class BatchRefused(ValueError):
    """The lines cannot make batch files the API would take (a model without the Batch API,
    a duplicate custom_id, a request bigger than a file); `problems` say which. Nothing was
    sent."""

    def __init__(self, problems: Sequence[BatchProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)


class UnknownId(KeyError):
    """No evaluation or batch of that id in the store."""


@dataclass(frozen=True)
class Submitted:
    """What `submit` made: the evaluation's id and its batches (by part), and the notes the
    check had (a model the catalog does not know)."""

    evaluation_id: str
    batches: list[BatchState]
    notes: list[str]


class BatchRuns:
    """The Batch API flow for one provider. `data_dir`: where the output and error files are
    kept (batches/<id>-output.jsonl, owner-only). `sleep`: the wait between looks (a test
    passes one that moves a clock). `max_requests` / `max_bytes`: the per-file limits
    (the API's by default; a test passes small ones to see a split)."""

    changed = Signal(object)
    """A batch was submitted, looked at or cancelled: its BatchState."""
    cell_collected = Signal(object, str)
    """A cell was collected from a batch's results and saved: the Cell, its evaluation's id."""

    def __init__(
        self,
        store: EvaluationStore,
        client: Any,
        data_dir: Path,
        *,
        profile: str,
        sleep: Sleep = asyncio.sleep,
        max_requests: int = MAX_REQUESTS,
        max_bytes: int = MAX_FILE_BYTES,
    ) -> None:
        self.store, self.batches = store, BatchStore(store)
        self.client, self.data_dir, self.profile = client, data_dir, profile
        self._sleep = sleep
        self._limits = (max_requests, max_bytes)

    # -- submit ------------------------------------------------------------------------------

    async def submit(
        self,
        ws: Workspace,
        variants: Sequence[Variant],
        rows: Sequence[TestRow],
        *,
        workspace_name: str,
        target: request.Target | None = None,
        source: str | None = None,
    ) -> Submitted:
        """Submit every variant on every row as one or more batches (one endpoint and model
        per file, each within the limits). Raises BatchRefused (nothing sent), core.batch_
        requests.CellError (a row without a variable's value), core.document.PathError, the
        SDK's errors (the batches created before one failed are saved and can be tracked;
        when none was, the evaluation is not kept). `source`: the workspace the evaluation
        is recorded as run from (services.evaluation_store.EvaluationRecord.source)."""
        evaluation_id = new_evaluation_id()
        files, notes = self.plan(ws, variants, rows, evaluation_id, target)
        columns = [v.key for v in variants] or [BASE_KEY]
        await asyncio.to_thread(
            self.store.begin, evaluation_id, ws, variants, rows, columns, source
        )
        made: list[BatchState] = []
        try:
            await self._create(evaluation_id, files, workspace_name, made)
        except BaseException:
            if not made:  # nothing went out: no evaluation to track
                await asyncio.to_thread(self.store.delete, evaluation_id)
            raise
        return Submitted(evaluation_id, made, notes)

    def plan(
        self,
        ws: Workspace,
        variants: Sequence[Variant],
        rows: Sequence[TestRow],
        evaluation_id: str = "e-plan",
        target: request.Target | None = None,
    ) -> tuple[list[list[BatchLine]], list[str]]:
        """The files `submit` would send (split and checked, nothing sent) and the check's
        notes. Raises BatchRefused, core.batch_requests.CellError, core.document.PathError."""
        lines = lines_for(ws, variants, rows, evaluation_id, target)
        try:
            files = split(lines, *self._limits)
        except ValueError as exc:
            raise BatchRefused(getattr(exc, "problems", [])) from None
        problems = [p for f in files for p in check(f, *self._limits)]
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise BatchRefused(errors)
        return files, list(dict.fromkeys(p.message for p in problems))

    async def _create(
        self,
        evaluation_id: str,
        files: list[list[BatchLine]],
        workspace_name: str,
        made: list[BatchState],
    ) -> None:
        """Upload each file and create its batch, saving each as it is made (into `made`)."""
        for part, lines_in in enumerate(files, 1):
            name = f"{evaluation_id}-{part}.jsonl"
            data = await asyncio.to_thread(jsonl, lines_in)
            uploaded = await self.client.files.create(file=(name, data), purpose="batch")
            try:
                batch = await self.client.batches.create(
                    input_file_id=uploaded.id,
                    endpoint=lines_in[0].url,
                    completion_window=WINDOW,
                    metadata=metadata(evaluation_id, part, len(files), workspace_name),
                )
            except BaseException:
                with suppress(Exception):  # leave no orphan upload in the account's storage
                    await self.client.files.delete(uploaded.id)
                raise
            now = time.time()
            state = BatchState(
                batch.id, evaluation_id, part, len(files), self.profile, lines_in[0].url,
                lines_in[0].model, uploaded.id, str(batch.status), total=len(lines_in),
                submitted_at=now, updated_at=now,
            )  # fmt: skip
            state = state.seen(batch)
            await asyncio.to_thread(self.batches.save, state)
            made.append(state)
            self.changed.emit(state)

    # -- track -------------------------------------------------------------------------------

    def evaluation_of(self, some_id: str) -> str:
        """The evaluation id of an evaluation id or a batch id; UnknownId otherwise."""
        if self.batches.of_evaluation(some_id):
            return some_id
        found = self.batches.get(some_id)
        if found is None:
            raise UnknownId(some_id)
        return found.evaluation_id

    async def refresh(self, state: BatchState) -> BatchState:
        """One look at a batch (`batches.retrieve`), saved and announced; a finished batch
        is not looked at again."""
        if state.finished:
            return state
        seen = state.seen(await self.client.batches.retrieve(state.id))
        await asyncio.to_thread(self.batches.save, seen)
        self.changed.emit(seen)
        return seen

    async def status(self, evaluation_id: str) -> list[BatchState]:
        """One look at each of the evaluation's batches; their states by part."""
        return [await self.refresh(b) for b in self.batches.of_evaluation(evaluation_id)]

    async def wait(self, evaluation_id: str) -> list[BatchState]:
        """Look at the evaluation's open batches until every one is finished, waiting
        POLL_FIRST_S doubling to POLL_MAX_S between looks; the final states. Cancel the
        task to stop waiting (the batches go on; `wait` again later resumes)."""
        delay = POLL_FIRST_S
        states = await self.status(evaluation_id)
        while not all(s.finished for s in states):
            await self._sleep(delay)
            delay = min(delay * 2, POLL_MAX_S)
            states = await self.status(evaluation_id)
        return states

    async def cancel(self, some_id: str) -> list[BatchState]:
        """Cancel a batch, or every open batch of an evaluation (`batches.cancel`: it goes
        cancelling, then cancelled; the requests done are kept and can be collected)."""
        evaluation_id = self.evaluation_of(some_id)
        out = []
        for state in self.batches.of_evaluation(evaluation_id):
            if not state.finished and some_id in (state.id, evaluation_id):
                state = state.seen(await self.client.batches.cancel(state.id))
                await asyncio.to_thread(self.batches.save, state)
                self.changed.emit(state)
            out.append(state)
        return out

    def open_evaluations(self) -> list[str]:
        """Evaluations of this provider with a batch to poll or to collect (oldest first):
        what an app resumes on start."""
        found = [b.evaluation_id for b in self.batches.open_batches() if b.profile == self.profile]
        return list(dict.fromkeys(found))

    async def resume(self, grade: batch_collect.Grade) -> dict[str, list[Cell]]:
        """Wait for and collect every open evaluation of this provider, all at once (one
        that finishes early is collected without waiting for the others); the cells
        collected per evaluation."""
        open_ids = self.open_evaluations()
        found = await asyncio.gather(*(self.finish(e, grade) for e in open_ids))
        return dict(zip(open_ids, found, strict=True))

    async def finish(self, evaluation_id: str, grade: batch_collect.Grade) -> list[Cell]:
        """`wait`, then `collect`."""
        await self.wait(evaluation_id)
        return await self.collect(evaluation_id, grade)

    # -- collect -----------------------------------------------------------------------------

    async def collect(self, evaluation_id: str, grade: batch_collect.Grade) -> list[Cell]:
        """Collect each finished batch of the evaluation not collected yet: files kept in
        the data folder, cells graded and saved (one commit per batch), the batch marked
        collected. When every batch is collected the evaluation's status is "done" (or
        "stopped" when a batch was cancelled or expired). The cells collected now."""
        record = await asyncio.to_thread(self.store.get, evaluation_id)
        if record is None:
            raise UnknownId(evaluation_id)
        rows = {r.id: r for r in record.rows}
        keys = [(c, r.id) for c in record.columns for r in record.rows]
        ids = CellIds(evaluation_id, keys)
        collected: list[Cell] = []
        states = self.batches.of_evaluation(evaluation_id)
        for state in states:
            if state.collected or not state.finished:
                continue
            if state.status == "failed" and not state.output_file_id:
                mine = await batch_collect.cells_sent(state, ids, self._content)
                cells = batch_collect.failed_whole(state, mine)
            else:
                lines = await batch_collect.download(state, self.data_dir, self._content)
                cells = await batch_collect.cells_of(state, lines, ids, rows, grade)
            await asyncio.to_thread(self.store.add_cells, evaluation_id, cells)
            await asyncio.to_thread(self.batches.save, _collected(state))
            for cell in cells:
                self.cell_collected.emit(cell, evaluation_id)
            collected += cells
        states = self.batches.of_evaluation(evaluation_id)
        if all(s.collected for s in states):
            whole = all(s.status == "completed" for s in states)
            await asyncio.to_thread(
                self.store.set_status, evaluation_id, "done" if whole else "stopped"
            )
        return collected

    async def _content(self, file_id: str) -> bytes:
        response = await self.client.files.content(file_id)
        return bytes(response.content)


def _collected(state: BatchState) -> BatchState:
    from dataclasses import replace

    return replace(state, collected=True, updated_at=time.time())
