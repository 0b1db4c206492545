"""The model-graded grader's request and verdict: a rubric run on a chosen model, which answers
with structured output `{"pass": bool, "reason": str}`.

`grading_workspace` builds the request (a Workspace, so it is sent, shown and exported like any
other); `read_verdict` turns the grading model's turn into a Grade. services/grading.py runs it.

The request: instructions are GRADER_PREAMBLE then the rubric, filled with the row's variables
and `{{answer}}` (core.graders.row_values); the user message is ANSWER_HEADER then the answer
being graded; the output format is the strict JSON Schema VERDICT_SCHEMA, named
GRADE_FORMAT_NAME (the simulator recognises that name: services/simulator/grading.py).
"""

from __future__ import annotations

import json
from typing import Any

from playground.core.evaluation_spec import GraderSpec, TestRow
from playground.core.graders import Grade, fill_row, label, quoted
from playground.core.reducer import AssistantTurn
from playground.core.workspace import Message, OutputFormat, Workspace

GRADE_FORMAT_NAME = "playground_grade"
ANSWER_HEADER = "The answer to grade:"
GRADER_PREAMBLE = (
    "You grade an answer against a rubric. Read the rubric, then the answer in the user "
    "message. Reply with pass true only when the answer meets the rubric, and a one-sentence "
    "reason.\n\nRubric:\n"
)
VERDICT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "pass": {"type": "boolean", "description": "whether the answer meets the rubric"},
        "reason": {"type": "string", "description": "one sentence: why"},
    },
    "required": ["pass", "reason"],
    "additionalProperties": False,
}


def grading_workspace(
    spec: GraderSpec, row: TestRow, answer: str, base: Workspace
) -> Workspace | Grade:
    """The grading request for `answer` to `row`: the same API and provider profile as `base`
    (the graded workspace), the model `spec.model` or else `base.model`, no tools, no
    parameters. A failed Grade instead when it cannot be built (an empty rubric, or a
    variable the row has no value for)."""
    name = label(spec)
    if not spec.rubric.strip():
        return Grade(False, "the rubric is empty: write what a passing answer does", name)
    rubric, missing = fill_row(spec.rubric, row, answer)
    if missing:
        names = ", ".join("{{" + n + "}}" for n in dict.fromkeys(missing))
        return Grade(False, f"the rubric uses {names}, which this row has no value for", name)
    return Workspace(
        api=base.api,
        model=spec.model.strip() or base.model,
        profile=base.profile,
        instructions=GRADER_PREAMBLE + rubric,
        messages=[Message(role="user", content=f"{ANSWER_HEADER}\n\n{answer}")],
        output_format=OutputFormat(
            type="json_schema",
            name=GRADE_FORMAT_NAME,
            description="a grade: pass or fail, and why",
            json_schema=VERDICT_SCHEMA,
            strict=True,
        ),
        stream=base.stream,
    )


def read_verdict(spec: GraderSpec, turn: AssistantTurn, cost_usd: float | None) -> Grade:
    """The Grade the grading model's `turn` gives; a failed one (saying why) when the run
    failed, the model refused, or its answer is not a `{pass, reason}` object. `cost_usd`:
    what the grading run cost (US dollars), carried on the Grade."""
    name = label(spec)

    def failed(reason: str) -> Grade:
        return Grade(False, reason, name, cost_usd)

    if turn.failure is not None:
        return failed(f"the grading run failed: {turn.failure.message}")
    if turn.refusal.strip():
        return failed(f"the grading model refused: {quoted(turn.refusal.strip())}")
    try:
        verdict = json.loads(turn.text)
    except (ValueError, RecursionError):
        return failed(f"the grading model's answer is not a verdict: {quoted(turn.text)}")
    if (
        not isinstance(verdict, dict)
        or not isinstance(verdict.get("pass"), bool)
        or not isinstance(verdict.get("reason", ""), str)
    ):
        return failed(f"the grading model's answer is not a verdict: {quoted(turn.text)}")
    reason = str(verdict.get("reason", "")).strip() or (
        "the grading model passed it" if verdict["pass"] else "the grading model failed it"
    )
    return Grade(verdict["pass"], reason, name, cost_usd)
