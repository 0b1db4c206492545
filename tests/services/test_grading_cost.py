"""A model-graded grader's run is paid for, so it is counted (issue 17: "Its cost is shown
and counted"): on the simulator, an evaluation with one costs more than the same evaluation
without it, by exactly what its grading runs cost, in each cell, the variant's summary and
the progress's cost so far; the store keeps the figure, and a store from before it opens."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from playground.cli_eval_inputs import grader
from playground.core.evaluation_results import Cell, VariantSummary
from playground.core.evaluation_spec import GraderSpec, TestRow
from playground.core.graders import Grade
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn
from playground.core.variants import Variant
from playground.core.workspace import Message, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.evaluation import Evaluation, Progress, columns_of
from playground.services.evaluation_store import MIGRATIONS, EvaluationStore
from playground.services.runs import RunFigures, fixed_key
from playground.services.simulator import Simulator
from playground.services.sqlite_store import migrate
from tests.conftest import run

KEY = fixed_key("sk-test-key")
WS = Workspace(api="chat", model="gpt-4o-mini", messages=[Message(content="Say {{word}}")])
ROWS = [TestRow(id=f"r{i}", values={"word": w}, expected={"w": w}) for i, w in enumerate("abc")]
CONTAINS = GraderSpec(kind="contains", name="says it", value="{{expected.w}}")
JUDGE = GraderSpec(kind="model_graded", name="judge", rubric="It mentions “{{expected.w}}”.")


def fill(ws: Workspace, _variant: Variant | None, row: TestRow) -> Workspace:
    return ws.model_copy(update={"variables": row.values})


def evaluate(
    profile: ProviderProfile, specs: list[GraderSpec]
) -> tuple[Evaluation, list[Progress], dict[str, list[Grade]]]:
    """The evaluation of ROWS with `specs` (the app's own grade callable), its progress
    reports, and each row's Grades as the graders returned them."""
    backend = OpenAIBackend(strict=True)
    real = grader(specs, WS, profile, backend, KEY)
    seen: dict[str, list[Grade]] = {}

    async def grade(row: TestRow, turn: AssistantTurn, figures: RunFigures) -> Sequence[Grade]:
        found: list[Grade] = await real(row, turn, figures)
        seen[row.id] = found
        return found

    cols = columns_of(WS, [], lambda _ws: profile)
    ev = Evaluation(cols, ROWS, backend=backend, resolve=KEY, prepare=fill, grade=grade)
    progress: list[Progress] = []
    ev.progressed.connect(progress.append)

    async def go() -> None:
        try:
            await ev.run()
        finally:
            await backend.aclose()

    run(go())
    assert ev.status == "done"
    return ev, progress, seen


def test_a_model_graded_grader_adds_exactly_its_runs_cost(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    plain, plain_progress, _ = evaluate(profile, [CONTAINS])
    judged, judged_progress, grades = evaluate(profile, [CONTAINS, JUDGE])
    paid = {
        row: [g.cost_usd for g in found if g.cost_usd is not None] for row, found in grades.items()
    }
    assert all(len(costs) == 1 and costs[0] > 0 for costs in paid.values())  # the judge's run
    for key, cell in judged.cells.items():
        before = plain.cells[key]
        assert cell.cost_usd == before.cost_usd and before.grading_cost_usd is None
        assert cell.grading_cost_usd == pytest.approx(sum(paid[cell.row]), rel=1e-12)
        assert cell.total_cost_usd == pytest.approx(cell.cost_usd + sum(paid[cell.row]))
    (without,), (with_judge,) = plain.summary(), judged.summary()
    judging = sum(sum(c) for c in paid.values())
    assert with_judge.cost_usd is not None and without.cost_usd is not None
    assert with_judge.cost_usd - without.cost_usd == pytest.approx(judging, rel=1e-9)
    assert with_judge.grading_cost_usd == pytest.approx(judging, rel=1e-12)
    assert without.grading_cost_usd is None
    # the progress bar's "cost so far" counts the grading runs too
    assert judged_progress[-1].cost_usd == pytest.approx(with_judge.cost_usd, rel=1e-12)
    assert plain_progress[-1].cost_usd == pytest.approx(without.cost_usd, rel=1e-12)
    assert len([b for b in simulator.bodies() if "playground_grade" in str(b)]) == len(ROWS)


def test_a_rerun_takes_back_the_grading_cost_it_counted(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    ev, _, _ = evaluate(profile, [CONTAINS, JUDGE])
    spent = ev.progress().cost_usd
    (summary,) = ev.summary()
    assert summary.cost_usd == pytest.approx(spent)
    assert ev.rerun(("passed", "failed")) == len(ROWS)
    assert ev.progress().cost_usd == pytest.approx(0.0, abs=1e-12)


def _cell(**kw: Any) -> Cell:
    return Cell("base", "r0", "passed", "an answer", (), 1.0, 20.0, 5, 7, 0.001, **kw)


def test_the_store_keeps_the_grading_cost_and_its_exports_show_it(tmp_path: Path) -> None:
    store = EvaluationStore(tmp_path / "e.sqlite3")
    store.begin("e-1", WS, [], ROWS[:1], ["base"])
    store.add_cell("e-1", _cell(grading_cost_usd=0.0005))
    assert store.cells("e-1") == [_cell(grading_cost_usd=0.0005)]
    assert '"grading_cost_usd": 0.0005' in store.export_jsonl("e-1")
    head, row = store.export_csv("e-1").splitlines()
    assert dict(zip(head.split(","), row.split(","), strict=True))["grading_cost_usd"] == "0.0005"
    store.close()


def test_a_store_from_before_the_grading_cost_opens_with_its_cells(tmp_path: Path) -> None:
    path = tmp_path / "e.sqlite3"
    rows = json.dumps([r.model_dump(mode="json") for r in ROWS[:1]])
    with sqlite3.connect(path) as db:  # as version 1 left it: no grading_cost column
        migrate(db, MIGRATIONS[:1])
        db.execute(
            "INSERT INTO evaluations VALUES ('e-1', 1.0, ?, '[]', ?, 1, '[\"base\"]', 'done')",
            (WS.to_json(), rows),
        )
        db.execute(
            "INSERT INTO cells (evaluation_id, variant, row_id, outcome, cost, finished_at) "
            "VALUES ('e-1', 'base', 'r0', 'passed', 0.001, 1.0)"
        )
    store = EvaluationStore(path)
    [cell] = store.cells("e-1")
    assert cell.cost_usd == 0.001 and cell.grading_cost_usd is None
    assert cell.total_cost_usd == 0.001
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 5


def test_the_summary_counts_the_graders_runs_in_the_cost() -> None:
    from playground.core.evaluation_results import summarize

    cells = [
        _cell(),
        Cell("base", "r1", "failed", cost_usd=0.002, grading_cost_usd=0.0001),
        Cell("base", "r2", "error", grading_cost_usd=None),
        Cell("base", "r3"),  # pending: counts nothing
    ]
    (s,) = summarize(cells)
    assert isinstance(s, VariantSummary)
    assert s.cost_usd == pytest.approx(0.0031) and s.grading_cost_usd == pytest.approx(0.0001)


def test_the_cli_report_shows_the_grading_part_of_the_cost(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import xmlschema

    from playground.cli_eval_report import junit_xml, print_summary
    from playground.core.evaluation_results import summarize
    from tests.conftest import REFERENCE

    cells = [_cell(), Cell("base", "r1", "passed", cost_usd=0.002, grading_cost_usd=0.0001)]
    summary = summarize(cells)
    print_summary("e-1", summary, cells, as_json=False)
    table = capsys.readouterr().out
    assert "$0.003100 (grading $0.000100)" in table
    print_summary("e-1", summary, cells, as_json=True)
    data = json.loads(capsys.readouterr().out)
    assert data["summary"][0]["grading_cost_usd"] == pytest.approx(0.0001)
    assert [c["grading_cost_usd"] for c in data["cells"]] == [None, 0.0001]
    rows = {r.id: r for r in ROWS}
    doc = junit_xml("e-1", summary, cells, rows)
    schema = xmlschema.XMLSchema(REFERENCE / "junit.xsd")
    schema.validate(doc.decode())
    (suite,) = schema.to_dict(doc.decode())["testsuite"]
    props = {p["@name"]: p["@value"] for p in suite["properties"][0]["property"]}
    assert props == {"cost_usd": "0.003100", "grading_cost_usd": "0.000100"}
