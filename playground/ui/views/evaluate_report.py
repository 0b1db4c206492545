"""Export report… in Evaluate mode: the tab's last evaluation as one self-contained HTML page
(services/eval_report.py), saved where the user chooses.

A save dialog (opened with `open()`, never `exec()`) starts in the last export folder with
"<workspace>-eval-<day>.html"; the page is built and written atomically off the event loop; the
status line names the file, and a failure (disk full, no permission) is said in the user's
words (presenter.write_failure) above the matrix. `chart_images` draws the charts: None leaves
them out, and the page says so (the Evaluate view's charts are wired in app composition).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from playground.core.evaluation_results import VariantSummary
from playground.services.eval_report import build_report, default_name, write_report
from playground.services.evaluation import Evaluation
from playground.services.evaluation_store import EvaluationStore, EvaluationStoreUnavailable
from playground.ui import presenter
from playground.ui.controllers import tasks
from playground.ui.folders import document_folder, remember

if TYPE_CHECKING:
    from playground.ui.views.workspace_view import WorkspaceView

FOLDER_KIND = "export"
ChartImages = Callable[[Sequence[VariantSummary], dict[str, str]], list[tuple[str, bytes]]]
"""(summaries, titles by variant key) -> (title, PNG bytes) per chart."""
NO_CHARTS = "No charts in this report."


class ReportExport(QObject):
    """Export report… for the tabs of one window (EvaluateMode owns it)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chart_images: ChartImages | None = None
        self.dialog: QFileDialog | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    def ask(
        self,
        view: WorkspaceView,
        evaluation: Evaluation | None,
        titles: dict[str, str],
        store: EvaluationStore | None,
    ) -> None:
        """Open the save dialog for `view`'s `evaluation` (nothing finished: say so)."""
        if evaluation is None or not any(c.finished for c in evaluation.cells.values()):
            view.runner.set_status("No finished cell to report yet: run the evaluation first")
            return
        name = default_name(view.tab.title)
        start = str(Path(document_folder(view.evaluate, FOLDER_KIND, view.tab.path)) / name)
        dialog = QFileDialog(view.evaluate, "Export the evaluation report", start, "HTML (*.html)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("html")
        dialog.fileSelected.connect(
            lambda path: self.export(view, evaluation, titles, store, Path(path))
        )
        self.dialog = dialog
        dialog.open()

    def export(
        self,
        view: WorkspaceView,
        evaluation: Evaluation,
        titles: dict[str, str],
        store: EvaluationStore | None,
        path: Path,
    ) -> asyncio.Task[None]:
        """Build and write the report of `evaluation` to `path` (a task; the status line or
        the view's error line says how it went)."""
        remember(view.evaluate, FOLDER_KIND, path)
        if not path.suffix:
            path = path.with_suffix(".html")
        return tasks.start(
            self._write(view, evaluation, titles, store, path),
            "exporting the evaluation report",
            keep=self._tasks,
        )

    async def _write(
        self,
        view: WorkspaceView,
        evaluation: Evaluation,
        titles: dict[str, str],
        store: EvaluationStore | None,
        path: Path,
    ) -> None:
        from playground.cli_eval_inputs import prepare

        summaries = evaluation.summary()
        charts = self.chart_images(summaries, titles) if self.chart_images else []
        started = None
        if store is not None:
            try:
                record = store.get(evaluation.id)
                started = record.started_at if record is not None else None
            except EvaluationStoreUnavailable:
                started = None  # the page says "started" only when it is known

        def build_and_write() -> None:
            page = build_report(
                evaluation.id, view.tab.title, evaluation.columns, titles,
                list(evaluation.rows.values()), list(evaluation.cells.values()), summaries,
                prepare, charts=charts, started_at=started, charts_note=NO_CHARTS,
            )  # fmt: skip
            write_report(path, page)

        try:
            await asyncio.to_thread(build_and_write)
        except OSError as exc:
            if not view.closed:
                view.evaluate.show_error(presenter.write_failure("the report", path, exc))
            return
        if not view.closed:
            view.evaluate.show_error(None)
            view.runner.set_status(f"Report saved: {path}")

    async def wait(self) -> None:
        """Until every export under way has ended."""
        await tasks.settle(self._tasks)
