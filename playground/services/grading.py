"""Running graders: the pure ones in core, the model-graded one as a run of its own.

`grade_with_model` sends core.model_grading's request through services.runs.execute, the same
code that runs the window's and `playground compare`'s requests, so a grading run is bounded
by the same Limiter, retried and priced the same way.
"""

from __future__ import annotations

from playground.core import request
from playground.core.evaluation_spec import GraderSpec, TestRow
from playground.core.graders import Grade, GradeInput, grade, label
from playground.core.model_grading import grading_workspace, read_verdict
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn
from playground.core.workspace import Workspace
from playground.services.backend import Backend
from playground.services.runs import Limiter, Resolver, Run, execute

GRADING_OWNER = "grader"
"""The `owner` of grading runs (a Run's owner is the tab that started it, or this)."""


def grade_input(run: Run) -> GradeInput:
    """What graders see of an ended `run`: its last turn (an empty one when it was stopped
    before sending), its figures (total_ms as the latency) and its output format."""
    figures = run.figures()
    return GradeInput(
        turn=run.turn or AssistantTurn(),
        latency_ms=figures.total_ms,
        cost_usd=figures.cost_usd,
        output_tokens=figures.output_tokens,
        output_format=run.workspace.output_format,
    )


async def grade_with_model(
    spec: GraderSpec,
    row: TestRow,
    answer: GradeInput,
    base: Workspace,
    profile: ProviderProfile,
    backend: Backend,
    resolve: Resolver,
    *,
    limiter: Limiter | None = None,
    target: request.Target | None = None,
) -> Grade:
    """The model-graded verdict on `answer` to `row`: the rubric (spec.rubric) run on
    spec.model (or `base`'s model) with `profile`, answering `{pass, reason}`.

    Returns a Grade whose `cost_usd` is what the grading run cost (US dollars; None when the
    model has no price or the server reported no usage). Never raises for a failed grading
    run (the Grade fails and says why); cancelling the task cancels the grading run.
    """
    ws = grading_workspace(spec, row, answer.turn.text, base)
    if isinstance(ws, Grade):
        return ws
    run = Run(ws, profile, owner=GRADING_OWNER)
    turn = await execute(run, backend, resolve, limiter=limiter, target=target)
    if turn is None:
        return Grade(False, "the grading run was stopped before it was sent", label(spec))
    return read_verdict(spec, turn, run.figures().cost_usd)


async def grade_all(
    specs: list[GraderSpec],
    row: TestRow,
    answer: GradeInput,
    base: Workspace,
    profile: ProviderProfile,
    backend: Backend,
    resolve: Resolver,
    *,
    limiter: Limiter | None = None,
    target: request.Target | None = None,
) -> list[Grade]:
    """Every grader's Grade on `answer`, in the order of `specs`: the pure ones at once, the
    model-graded ones one after another through `grade_with_model`."""
    out = []
    for spec in specs:
        if spec.kind == "model_graded":
            out.append(
                await grade_with_model(
                    spec,
                    row,
                    answer,
                    base,
                    profile,
                    backend,
                    resolve,
                    limiter=limiter,
                    target=target,
                )
            )
        else:
            out.append(grade(spec, row, answer))
    return out
