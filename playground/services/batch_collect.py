"""Collecting a finished batch: its output and error files downloaded and kept in the data
folder, each line mapped back to its cell, the answer turned into the turn the graders read,
graded, and the cell saved in the evaluation store.

The turn is made by the code that reads a non-streamed answer of an interactive run
(services/consumers.py: chat_completion_events, response_events) folded by core.reducer, so
a cell graded from a batch is graded on exactly what an interactive run would have shown.
A line the server refused becomes the cell's error in the app's words
(services.failures.failure_from_status), the server's own message after it. A request the
batch never ran (expired, cancelled) leaves its cell pending: `playground eval --resume ID`
can run it interactively.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from playground.core.batch_requests import URLS, CellIds
from playground.core.batch_results import LineResult, batch_cost, read_lines
from playground.core.evaluation_results import Cell, CellGrade, GradeLike, outcome_of, preview
from playground.core.evaluation_spec import TestRow
from playground.core.events import Usage
from playground.core.reducer import AssistantTurn, reduce
from playground.services.batch_store import BatchState
from playground.services.failures import failure_from_status
from playground.services.files import atomic_write
from playground.services.runs import RunFigures

Grade = Callable[
    [TestRow, AssistantTurn, RunFigures], Sequence[GradeLike] | Awaitable[Sequence[GradeLike]]
]
"""(row, the answer's turn, its figures) -> a grade per grader: services.evaluation.Grade,
so `playground eval`'s grader (cli_eval_inputs.grader) serves both."""

GRADING_CONCURRENCY = 4
"""Cells graded at once (as an evaluation's default concurrency: model-graded graders send
requests to the provider)."""

Download = Callable[[str], Awaitable[bytes]]
"""file id -> the file's bytes (files.content)."""


def kept_path(data_dir: Path, batch_id: str, kind: str) -> Path:
    """Where a batch's `kind` ("output" or "error") file is kept:
    <data>/batches/<batch id>-<kind>.jsonl."""
    return data_dir / "batches" / f"{batch_id}-{kind}.jsonl"


def turn_of(url: str, body: dict[str, Any]) -> tuple[AssistantTurn, Usage | None]:
    """The turn and usage of a 2xx response body of `url` (a value of core.batch_requests.URLS),
    read as the interactive run reads a non-streamed answer."""
    from openai.types.chat import ChatCompletion
    from openai.types.responses import Response

    from playground.services.consumers import chat_completion_events, response_events

    if url == URLS["chat"]:
        events = chat_completion_events(ChatCompletion.construct(**body))
    else:
        events = response_events(Response.construct(**body))
    usage = next((e for e in events if isinstance(e, Usage)), None)
    return reduce(events), usage


async def download(batch: BatchState, data_dir: Path, fetch: Download) -> list[LineResult]:
    """The batch's output and error files, fetched, kept (owner-only, 0600) and read; the
    lines of both, output first. Raises what `fetch` raises (the SDK's errors) and OSError."""
    found: list[LineResult] = []
    for kind, file_id in (("output", batch.output_file_id), ("error", batch.error_file_id)):
        if not file_id:
            continue
        data = await fetch(file_id)
        path = kept_path(data_dir, batch.id, kind)
        await asyncio.to_thread(atomic_write, path, data.decode("utf-8", "replace"), private=True)
        lines, _problems = read_lines(data)  # a line that is not one leaves its cell unanswered
        found += lines
    return found


async def cells_of(
    batch: BatchState,
    lines: Sequence[LineResult],
    ids: CellIds,
    rows: dict[str, TestRow],
    grade: Grade,
    concurrency: int = GRADING_CONCURRENCY,
) -> list[Cell]:
    """A finished cell per line that ran (mapped by custom_id; lines of other evaluations
    skipped), in the lines' order: an answer graded (at most `concurrency` gradings at once:
    a model-graded grader sends a request), a refused request its error."""
    slots = asyncio.Semaphore(concurrency)

    async def answered(key: tuple[str, str], body: dict[str, Any]) -> Cell:
        async with slots:
            return await _answered(key, body, batch, rows[key[1]], grade)

    out: list[Cell | asyncio.Task[Cell]] = []
    for line in lines:
        cell = ids.cell_of(line.custom_id)
        if cell is None or cell[1] not in rows or not line.ran:
            continue
        if line.body is not None:
            out.append(asyncio.ensure_future(answered(cell, line.body)))
            continue
        failure = failure_from_status(line.status, line.code, line.message, line.param, batch.model)
        said = failure.message
        if failure.detail:
            said += f" The server said: {failure.detail}"
        out.append(
            Cell(*cell, "error", error_kind=failure.kind.value, error_message=said, attempts=1)
        )
    pending = [t for t in out if isinstance(t, asyncio.Task)]
    try:
        await asyncio.gather(*pending)
    finally:
        for task in pending:
            task.cancel()  # cancelling the collect cancels the gradings still running
    return [t.result() if isinstance(t, asyncio.Task) else t for t in out]


async def cells_sent(batch: BatchState, ids: CellIds, fetch: Download) -> list[tuple[str, str]]:
    """The cells a batch's input file holds (its custom_ids mapped back), read from the
    uploaded file itself (files.content of input_file_id)."""
    import json

    data = await fetch(batch.input_file_id)
    out = []
    for text in data.decode("utf-8", "replace").splitlines():
        try:
            custom_id = json.loads(text).get("custom_id")
        except (ValueError, AttributeError):
            continue
        cell = ids.cell_of(custom_id) if isinstance(custom_id, str) else None
        if cell is not None:
            out.append(cell)
    return out


def failed_whole(batch: BatchState, keys: Sequence[tuple[str, str]]) -> list[Cell]:
    """Error cells for a batch the API refused whole (status failed: its file did not
    validate): nothing of it ran, and the API's reasons are each cell's message."""
    said = "The Batch API refused the batch's file" + (f": {batch.errors}" if batch.errors else ".")
    return [Cell(*key, "error", error_kind="batch_failed", error_message=said) for key in keys]


async def _answered(
    key: tuple[str, str], body: dict[str, Any], batch: BatchState, row: TestRow, grade: Grade
) -> Cell:
    turn, usage = turn_of(batch.endpoint, body)
    model = str(body.get("model") or batch.model)
    cost = batch_cost(model, usage) if usage is not None else None
    figures = RunFigures(
        output_tokens=usage.output_tokens if usage else None,
        input_tokens=usage.input_tokens if usage else None,
        cost_usd=cost,
    )
    found: Any = grade(row, turn, figures)
    if inspect.isawaitable(found):
        found = await found
    grades = tuple(CellGrade.of(g) for g in found)
    shown = turn.text or turn.refusal
    if not shown and turn.tool_calls:
        shown = "calls " + ", ".join(c.name for c in turn.tool_calls)
    failure = turn.failure
    return Cell(
        *key,
        outcome="error" if failure is not None else outcome_of(grades),
        preview=preview(shown),
        grades=grades if failure is None else (),
        input_tokens=figures.input_tokens,
        output_tokens=figures.output_tokens,
        cost_usd=cost,
        error_kind=failure.kind.value if failure else None,
        error_message=failure.message if failure else None,
        attempts=1,
    )
