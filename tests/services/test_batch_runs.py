"""The Batch flow (services/batch_runs.py) on the simulator over real HTTP with the strict
SDK client: submit -> poll -> collect -> graded cells in the evaluation store; a split set,
per-line failures on their cells, a batch refused whole, cancel, and a restart mid-poll."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from playground.core.evaluation_results import CellGrade
from playground.core.evaluation_spec import GraderSpec, TestRow
from playground.core.graders import GradeInput, grade
from playground.core.reducer import AssistantTurn
from playground.core.workspace import Message, Variant, Workspace
from playground.services.batch_collect import kept_path
from playground.services.batch_runs import BatchRefused, BatchRuns
from playground.services.evaluation_store import EvaluationStore
from playground.services.runs import RunFigures
from playground.services.simulator import Simulator
from tests.conftest import run

KEY = "sk-batch-test-0123456789abcdef"
GRADERS = [GraderSpec(kind="contains", value="{{word}}")]
WS = Workspace(
    api="chat",
    model="gpt-4o-mini",
    messages=[Message(role="user", content="Repeat the word {{word}}")],
    graders=GRADERS,
)


class Clock:
    """The simulator's clock, moved only by the service's sleeps: no wall-time waits."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def grader(row: TestRow, turn: AssistantTurn, figures: RunFigures) -> list[CellGrade]:
    answer = GradeInput(turn=turn, cost_usd=figures.cost_usd, output_tokens=figures.output_tokens)
    return [CellGrade.of(grade(spec, row, answer)) for spec in GRADERS]


def rows(n: int) -> list[TestRow]:
    return [TestRow(id=f"row-{i:05}", values={"word": f"w{i}x"}) for i in range(n)]


def client(sim: Simulator) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=sim.base_url, api_key=KEY, max_retries=0, _strict_response_validation=True
    )


def service(
    c: openai.AsyncOpenAI, store: EvaluationStore, data: Path, clock: Clock, **limits: int
) -> BatchRuns:
    return BatchRuns(store, c, data, profile="sim", sleep=clock.sleep, **limits)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EvaluationStore]:
    s = EvaluationStore(tmp_path / "evaluations.sqlite3")
    yield s
    s.close()


def test_ten_thousand_cells_go_round_and_land_graded_in_the_store(
    simulator: Simulator, store: EvaluationStore, tmp_path: Path
) -> None:
    clock = Clock()
    simulator.clock = clock
    simulator.batch_seconds = 600
    seen: list[str] = []

    async def go() -> None:
        async with client(simulator) as c:
            runs = service(c, store, tmp_path, clock)
            runs.changed.connect(lambda s: seen.append(f"{s.status} {s.counts}"))
            done = await runs.submit(WS, [], rows(10_000), workspace_name="words.json")
            assert len(done.batches) == 1 and done.batches[0].status == "validating"
            states = await runs.wait(done.evaluation_id)
            assert [s.status for s in states] == ["completed"]
            cells = await runs.collect(done.evaluation_id, grader)
            assert len(cells) == 10_000
            stored = store.cells(done.evaluation_id)
            batch = await c.batches.retrieve(done.batches[0].id)
            assert batch.metadata == {
                "evaluation": done.evaluation_id,
                "part": "1 of 1",
                "workspace": "words.json",
                "app": "playground",
            }
        assert len(stored) == 10_000
        assert all(cell.outcome == "passed" for cell in stored)
        assert all(cell.input_tokens and cell.output_tokens for cell in stored)
        # the poll backed off: 2 s doubling, capped at 60 s
        assert clock.sleeps[:6] == [2, 4, 8, 16, 32, 60]
        assert set(clock.sleeps[5:]) == {60}
        assert any(s.startswith("in_progress") and s != "in_progress 0/10000" for s in seen)
        record = store.get(done.evaluation_id)
        assert record is not None and record.status == "done" and record.cells_left == 0

    run(go())


def test_the_cost_is_the_batch_price(
    simulator: Simulator, store: EvaluationStore, tmp_path: Path
) -> None:
    from playground.core.catalog import lookup
    from playground.core.cost import cost
    from playground.core.events import Usage

    clock = Clock()
    simulator.clock = clock

    async def go() -> None:
        async with client(simulator) as c:
            runs = service(c, store, tmp_path, clock)
            done = await runs.submit(WS, [], rows(3), workspace_name="w")
            await runs.finish(done.evaluation_id, grader)
        for cell in store.cells(done.evaluation_id):
            assert cell.input_tokens is not None and cell.output_tokens is not None
            usage = Usage(input_tokens=cell.input_tokens, output_tokens=cell.output_tokens)
            standard = cost(lookup("gpt-4o-mini"), usage)
            assert standard is not None and cell.cost_usd is not None
            assert cell.cost_usd == pytest.approx(standard.total / 2)

    run(go())


def test_a_set_over_the_limit_goes_as_two_batches(
    simulator: Simulator, store: EvaluationStore, tmp_path: Path
) -> None:
    clock = Clock()
    simulator.clock = clock

    async def go() -> None:
        async with client(simulator) as c:
            runs = service(c, store, tmp_path, clock, max_requests=100)
            done = await runs.submit(WS, [], rows(150), workspace_name="w")
            assert [b.total for b in done.batches] == [100, 50]
            assert [(b.part, b.parts) for b in done.batches] == [(1, 2), (2, 2)]
            await runs.finish(done.evaluation_id, grader)
        stored = store.cells(done.evaluation_id)
        assert sorted(c.row for c in stored) == [r.id for r in rows(150)]
        assert all(c.outcome == "passed" for c in stored)

    run(go())


def test_an_unknown_model_fails_its_cells_only_in_user_words(
    simulator: Simulator, store: EvaluationStore, tmp_path: Path
) -> None:
    clock = Clock()
    simulator.clock = clock
    variants = [Variant(key="good"), Variant(key="nope", overrides={"model": "gpt-nonexistent-9"})]

    async def go() -> None:
        async with client(simulator) as c:
            runs = service(c, store, tmp_path, clock)
            done = await runs.submit(WS, variants, rows(5), workspace_name="w")
            assert any("does not know gpt-nonexistent-9" in n for n in done.notes)
            await runs.finish(done.evaluation_id, grader)
        cells = {c.key: c for c in store.cells(done.evaluation_id)}
        assert len(cells) == 10
        for r in rows(5):
            assert cells[("good", r.id)].outcome == "passed"
            bad = cells[("nope", r.id)]
            assert bad.outcome == "error" and bad.error_kind == "not_found"
            assert bad.error_message is not None
            # the app's words for the API's code (model_not_found), then the API's message
            head = "The server does not know the model gpt-nonexistent-9, or the key has no "
            assert bad.error_message.startswith(head + "access to it. The server said: ")
            assert "gpt-nonexistent-9" in bad.error_message.split("The server said: ")[1]
            assert "Error code" not in bad.error_message  # never the SDK's text

    run(go())


def test_a_model_without_the_batch_api_is_refused_before_sending(
    simulator: Simulator, store: EvaluationStore, tmp_path: Path
) -> None:
    ws = WS.model_copy(update={"model": "gpt-daybreak-blue-latest"})

    async def go() -> None:
        async with client(simulator) as c:
            runs = service(c, store, tmp_path, Clock())
            with pytest.raises(BatchRefused, match="does not offer the Batch API"):
                await runs.submit(ws, [], rows(2), workspace_name="w")
        assert simulator.requests == []
        assert store.evaluations() == []

    run(go())


def test_cancel_keeps_what_ran_and_leaves_the_rest_pending(
    simulator: Simulator, store: EvaluationStore, tmp_path: Path
) -> None:
    clock = Clock()
    simulator.clock = clock
    simulator.batch_seconds = 100

    async def go() -> None:
        async with client(simulator) as c:
            runs = service(c, store, tmp_path, clock)
            done = await runs.submit(WS, [], rows(20), workspace_name="w")
            clock.now += 50  # half way
            states = await runs.cancel(done.batches[0].id)
            assert states[0].status == "cancelling"
            states = await runs.wait(done.evaluation_id)
            assert states[0].status == "cancelled"
            await runs.collect(done.evaluation_id, grader)
        stored = store.cells(done.evaluation_id)
        record = store.get(done.evaluation_id)
        assert 0 < len(stored) < 20 and all(c.outcome == "passed" for c in stored)
        assert record is not None and record.status == "stopped"
        assert record.cells_left == 20 - len(stored)  # `eval --resume` can run the rest

    run(go())


def test_quitting_mid_poll_and_starting_again_resumes_and_finishes(
    simulator: Simulator, tmp_path: Path
) -> None:
    import asyncio

    clock = Clock()
    simulator.clock = clock
    simulator.batch_seconds = 3600
    path = tmp_path / "evaluations.sqlite3"

    async def first() -> str:
        store = EvaluationStore(path)
        async with client(simulator) as c:
            runs = service(c, store, tmp_path, clock)
            done = await runs.submit(WS, [], rows(30), workspace_name="w")
            polling = asyncio.create_task(runs.finish(done.evaluation_id, grader))
            while len(clock.sleeps) < 3:
                await asyncio.sleep(0)
            polling.cancel()  # the app quits mid-poll
            with pytest.raises(asyncio.CancelledError):
                await polling
        # its cells are paid for and on their way: nothing offers to run them again
        assert [e.id for e in store.unfinished()] == []
        store.close()
        return done.evaluation_id

    async def second(evaluation_id: str) -> None:
        store = EvaluationStore(path)
        clock.now += 7200  # the batch finished while the app was closed
        async with client(simulator) as c:
            runs = service(c, store, tmp_path, clock)
            assert runs.open_evaluations() == [evaluation_id]
            found = await runs.resume(grader)
            assert list(found) == [evaluation_id] and len(found[evaluation_id]) == 30
            assert runs.open_evaluations() == []
        assert len(store.cells(evaluation_id)) == 30
        store.close()

    evaluation_id = run(first())
    assert EvaluationStore(path).cells(evaluation_id) == []
    run(second(evaluation_id))


def test_kept_files_are_owner_only_and_hold_no_key(
    simulator: Simulator, store: EvaluationStore, tmp_path: Path
) -> None:
    clock = Clock()
    simulator.clock = clock
    variants = [Variant(key="good"), Variant(key="nope", overrides={"model": "gpt-nonexistent-9"})]

    async def go() -> str:
        async with client(simulator) as c:
            runs = service(c, store, tmp_path, clock)
            done = await runs.submit(WS, variants, rows(3), workspace_name="w")
            await runs.finish(done.evaluation_id, grader)
            return done.batches[1].id

    batch_id = run(go())
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    kept = kept_path(tmp_path, batch_id, "error")
    assert kept in written
    for p in written:
        assert KEY.encode() not in p.read_bytes(), p
        if p.parent.name == "batches":
            assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, p


def test_a_batch_refused_whole_fails_each_of_its_cells_with_the_apis_reason(
    simulator: Simulator, store: EvaluationStore, tmp_path: Path
) -> None:
    # a file the API refuses (here: a custom_id twice, which submit itself never writes)
    from playground.core.batch_requests import jsonl, lines_for
    from playground.services.batch_store import BatchState, BatchStore

    clock = Clock()
    simulator.clock = clock
    some = rows(3)
    store.begin("e-refused000", WS, [], some, ["base"])
    lines = lines_for(WS, [], some, "e-refused000")

    async def go() -> None:
        async with client(simulator) as c:
            f = await c.files.create(file=("x.jsonl", jsonl([*lines, lines[0]])), purpose="batch")
            b = await c.batches.create(
                input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h"
            )
            state = BatchState(b.id, "e-refused000", 1, 1, "sim", lines[0].url, "gpt-4o-mini",
                               f.id, b.status, total=4)  # fmt: skip
            BatchStore(store).save(state)
            runs = service(c, store, tmp_path, clock)
            await runs.finish("e-refused000", grader)

    run(go())
    cells = store.cells("e-refused000")
    assert sorted(c.row for c in cells) == [r.id for r in some]
    for cell in cells:
        assert cell.outcome == "error" and cell.error_kind == "batch_failed"
        assert cell.error_message is not None
        assert cell.error_message.startswith("The Batch API refused the batch's file: line 4:")


def test_cells_are_graded_a_few_at_once(
    simulator: Simulator, store: EvaluationStore, tmp_path: Path
) -> None:
    import asyncio

    clock = Clock()
    simulator.clock = clock
    live, most = 0, 0

    async def slow_grader(row: TestRow, turn: AssistantTurn, figures: RunFigures) -> list:
        nonlocal live, most
        live += 1
        most = max(most, live)
        for _ in range(3):  # a model-graded grader awaits its request
            await asyncio.sleep(0)
        live -= 1
        return grader(row, turn, figures)

    async def go() -> None:
        async with client(simulator) as c:
            runs = service(c, store, tmp_path, clock)
            done = await runs.submit(WS, [], rows(12), workspace_name="w")
            cells = await runs.finish(done.evaluation_id, slow_grader)
        assert [c.row for c in cells] == [r.id for r in rows(12)]  # in the lines' order
        assert all(c.outcome == "passed" for c in cells)

    run(go())
    assert most == 4


def test_a_refused_key_keeps_no_evaluation(
    simulator: Simulator, store: EvaluationStore, tmp_path: Path
) -> None:
    simulator.api_key = "sk-the-right-one"

    async def go() -> None:
        async with client(simulator) as c:
            runs = service(c, store, tmp_path, Clock())
            with pytest.raises(openai.AuthenticationError):
                await runs.submit(WS, [], rows(2), workspace_name="w")

    run(go())
    assert store.evaluations() == []
