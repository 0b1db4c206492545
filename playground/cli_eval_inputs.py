"""What `playground eval` reads and how it fills and grades each cell: rows from the test set
(core/test_sets.py, services/test_set_files.py), the row's values as the request's variables
(core/variables.py: filled once, in the request builder) and the graders (core/graders.py,
model-graded ones through services/grading.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playground.core.evaluation_spec import GraderSpec, TestRow
    from playground.core.graders import Grade
    from playground.core.profiles import ProviderProfile
    from playground.core.reducer import AssistantTurn
    from playground.core.variants import Variant
    from playground.core.workspace import Workspace
    from playground.services.backend import Backend
    from playground.services.runs import Resolver, RunFigures


# -- rows ------------------------------------------------------------------------------------


class RowsError(ValueError):
    """A rows file that cannot be read; the message names the file and the line."""


def read_rows(path: Path) -> list[TestRow]:
    """The rows of a test-set file given with --rows: CSV, TSV or JSON lines, whose columns
    are the variables (services.test_set_files.import_test_set). Raises RowsError."""
    from playground.core.test_sets import TestSetError
    from playground.services.test_set_files import import_test_set

    try:
        return list(import_test_set(path).rows)
    except TestSetError as exc:
        raise RowsError(f"--rows {exc}") from None


def workspace_rows(ws: Workspace, path: Path) -> list[TestRow]:
    """The workspace's own test set: its rows, or those of its sibling rows file. Raises
    services.test_set_files.RowsFileError (a WorkspaceFileError) for a file it cannot read."""
    if ws.test_set.rows_file and not ws.test_set.rows:
        from playground.services.test_set_files import read_rows as read_rows_file
        from playground.services.test_set_files import rows_path

        return read_rows_file(rows_path(path, ws.test_set.rows_file))
    return list(ws.test_set.rows)


# -- filling and grading -----------------------------------------------------------------------


def prepare(ws: Workspace, _variant: Variant | None, row: TestRow) -> Workspace:
    """`ws` with the row's values as its variables (core.batch_requests.cell_workspace).
    Raises ValueError naming the variables the row has no value for: nothing is sent."""
    from playground.core.batch_requests import cell_workspace

    return cell_workspace(ws, row)


def grader(
    specs: list[GraderSpec],
    base: Workspace,
    profile: ProviderProfile,
    backend: Backend,
    resolve: Resolver,
) -> Any:
    """The grade callable services.evaluation.Evaluation takes: every grader of `specs` on a
    cell's answer (core.graders; a model-graded one runs its rubric on `profile`, the
    workspace's own provider, through services.grading)."""
    from playground.core.graders import GradeInput
    from playground.services.grading import grade_all

    async def grade(row: TestRow, turn: AssistantTurn, figures: RunFigures) -> list[Grade]:
        answer = GradeInput(
            turn=turn,
            latency_ms=figures.total_ms,
            cost_usd=figures.cost_usd,
            output_tokens=figures.output_tokens,
            output_format=base.output_format,
        )
        # core Grades: a model-graded one carries its run's cost, counted in the cell's
        return await grade_all(specs, row, answer, base, profile, backend, resolve)

    return grade
