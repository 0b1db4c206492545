"""Model-graded graders on the simulator through the real client (services/grading.py): a
deterministic pass and fail, the verdict's reason, and the grading run's cost."""

from __future__ import annotations

import pytest

from playground.core.evaluation_spec import GraderSpec, TestRow
from playground.core.graders import Grade, GradeInput
from playground.core.model_grading import GRADE_FORMAT_NAME, grading_workspace
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn
from playground.core.workspace import Workspace
from playground.services.backend import Backend
from playground.services.grading import grade_all, grade_with_model
from playground.services.runs import fixed_key
from playground.services.simulator import Simulator
from tests.conftest import run

ROW = TestRow(id="r1", values={"city": "Paris"}, expected={"answer": "Paris"})
RUBRIC = 'The answer must name the capital, "{{expected}}", and say it is in France.'


def answer(text: str) -> GradeInput:
    return GradeInput(AssistantTurn(text=text))


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_the_simulated_grader_passes_and_fails_deterministically(
    backend: Backend, profile: ProviderProfile, simulator: Simulator, api: str
) -> None:
    base = Workspace(api=api, model="gpt-4o-mini")  # type: ignore[arg-type]
    spec = GraderSpec(kind="model_graded", name="names the capital", rubric=RUBRIC)

    async def go() -> list[Grade]:
        try:
            good = await grade_with_model(
                spec, ROW, answer("It is Paris."), base, profile, backend, fixed_key("k")
            )
            bad = await grade_with_model(
                spec, ROW, answer("It is Lyon."), base, profile, backend, fixed_key("k")
            )
            return [good, bad]
        finally:
            await backend.aclose()

    good, bad = run(go())
    assert good.passed and good.reason == "The answer mentions “Paris”."
    assert not bad.passed and bad.reason == "The answer does not mention “Paris”."
    assert good.grader == "names the capital"
    for grade in (good, bad):
        assert grade.cost_usd is not None and grade.cost_usd > 0
    sent = simulator.bodies()[-1]
    fmt = sent["text"]["format"] if api == "responses" else sent["response_format"]["json_schema"]
    assert fmt["name"] == GRADE_FORMAT_NAME and fmt["strict"] is True


def test_grade_all_mixes_pure_and_model_graded_in_order(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    from playground.services.backend import OpenAIBackend

    backend = OpenAIBackend(strict=True)
    specs = [
        GraderSpec(kind="contains", value="{{city}}"),
        GraderSpec(kind="model_graded", rubric="Say “Lyon”."),
        GraderSpec(kind="model_graded", rubric="Anything goes: {{answer}}"),
    ]
    base = Workspace(model="gpt-4o-mini")

    async def go() -> list[Grade]:
        try:
            return list(
                await grade_all(specs, ROW, answer("Paris"), base, profile, backend, fixed_key("k"))
            )
        finally:
            await backend.aclose()

    grades = run(go())
    assert [g.passed for g in grades] == [True, False, True]
    assert grades[0].cost_usd is None  # a pure grader costs nothing
    assert "quotes nothing" in grades[2].reason


def test_a_rubric_that_cannot_be_built_fails_without_a_run() -> None:
    base = Workspace()
    empty = grading_workspace(GraderSpec(kind="model_graded"), ROW, "x", base)
    assert not isinstance(empty, Workspace) and "the rubric is empty" in empty.reason
    lost = grading_workspace(GraderSpec(kind="model_graded", rubric="{{nope}}"), ROW, "x", base)
    assert not isinstance(lost, Workspace) and "{{nope}}" in lost.reason
    ws = grading_workspace(
        GraderSpec(kind="model_graded", rubric="Is {{answer}} {{city}}?", model="gpt-5.4"),
        ROW,
        "Lyon",
        base,
    )
    assert isinstance(ws, Workspace)
    assert ws.model == "gpt-5.4" and ws.instructions.endswith("Is Lyon Paris?")
    assert ws.output_format is not None and ws.output_format.strict


def test_a_real_runs_answer_and_figures_are_what_graders_see(
    backend: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    from playground.core.graders import grade
    from playground.core.workspace import Message
    from playground.services.grading import grade_input
    from playground.services.runs import Run, execute
    from playground.services.simulator import Scenario

    simulator.enqueue(Scenario(text=["It is ", "Paris."], usage=(50, 0, 12)))
    ws = Workspace(api="chat", model="gpt-4o-mini", messages=[Message(content="Capital?")])
    r = Run(ws, profile, owner="t")

    async def go() -> None:
        try:
            await execute(r, backend, fixed_key("k"))
        finally:
            await backend.aclose()

    run(go())
    seen = grade_input(r)
    assert seen.turn.text == "It is Paris." and seen.output_tokens == 12
    assert seen.latency_ms is not None and seen.cost_usd is not None
    specs = [
        GraderSpec(kind="contains", value="{{expected}}"),
        GraderSpec(kind="output_tokens", limit=10),
        GraderSpec(kind="latency", limit=60_000),
        GraderSpec(kind="cost", limit=1.0),
    ]
    grades = [grade(s, ROW, seen) for s in specs]
    assert [g.passed for g in grades] == [True, False, True, True]
    assert grades[1].reason == "the output was 12 tokens, over the limit of 10 tokens"


@pytest.mark.parametrize(
    ("rubric", "answer", "passes"),
    [
        ('Mentions "Paris" and “France”.', "Paris is in FRANCE.", True),
        ('Mentions "Paris" and “France”.', "Paris.", False),
        ("Is it polite?", "Yes.", True),  # nothing quoted: any non-blank answer
        ("Is it polite?", "  ", False),
        ("Grade: {{answer}}", 'He said "hello"', True),  # the answer's own quotes do not count
    ],
)
def test_the_simulated_grading_rule(rubric: str, answer: str, passes: bool) -> None:
    from playground.core.model_grading import ANSWER_HEADER, GRADER_PREAMBLE
    from playground.services.simulator.grading import verdict

    filled = rubric.replace("{{answer}}", answer)
    out = verdict(GRADER_PREAMBLE + filled, f"{ANSWER_HEADER}\n\n{answer}")
    assert out["pass"] is passes and isinstance(out["reason"], str) and out["reason"]
