"""Wires the History tab to the history controller, the run controller and the tabs."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from playground.core.compare import word_diff
from playground.core.workspace import Message, ToolCall
from playground.services.files import WorkspaceFileError, parse_workspace
from playground.services.history import RunRecord
from playground.ui.controllers import tasks
from playground.ui.controllers.history_controller import HistoryController, Page
from playground.ui.folders import remember
from playground.ui.widgets.history_panel import HistoryPanel
from playground.ui.widgets.run_compare import RunCompareDialog, answer_text

if TYPE_CHECKING:
    from playground.ui.documents import Documents
    from playground.ui.main_window import MainWindow


class HistoryView(QObject):
    def __init__(
        self, window: MainWindow, controller: HistoryController, documents: Documents
    ) -> None:
        super().__init__(window)
        self.window, self.controller, self.documents = window, controller, documents
        self.panel = HistoryPanel()
        window.add_side_tab(self.panel, "History", "Past runs: search, open, compare")
        self._tasks: set[asyncio.Task[Any]] = set()
        self.dialog: RunCompareDialog | None = None
        p, c = self.panel, controller
        p.search_requested.connect(c.search)
        p.listing.more_requested.connect(c.more)
        p.delete_requested.connect(c.delete)
        p.export_requested.connect(c.export)
        p.open_requested.connect(lambda i: self._spawn(self._open(i)))
        p.compare_requested.connect(lambda a, b: self._spawn(self._compare(a, b)))
        c.page_ready.connect(self._on_page_ready)
        c.models_listed.connect(p.show_models)
        c.unavailable.connect(p.show_problem)
        # bound methods (not lambdas): Qt drops them when this window goes away
        c.exported.connect(self._on_exported)
        window.runs.recorded.connect(self._on_recorded)
        window.runs.history_failed.connect(self._on_failed)
        c.search(p.query())
        c.refresh_models()

    def _on_exported(self, path: str) -> None:
        remember(self.window, "export-runs", path)
        self.panel.status.setText(f"Exported to {path}")

    def _on_page_ready(self, page: Page) -> None:
        listing = self.panel.listing
        if page.offset == 0:
            listing.show(page.rows, page.total or 0, page.complete, page.at_least)
        else:
            listing.add(page.rows, page.offset, page.complete)

    def _on_recorded(self, _run_id: int) -> None:
        self.controller.refresh()

    def open_run(self, run_id: int) -> None:
        """Open the history's run `run_id` (its request and answer) in a new tab."""
        self._spawn(self._open(run_id))

    def _spawn(self, coro: Any) -> None:
        tasks.start(coro, "opening a run from the history", keep=self._tasks)

    def _on_failed(self, text: str) -> None:
        self.panel.show_problem(text)
        self.window.show_banner(f"⚠ {text}")

    async def _open(self, run_id: int) -> None:
        run = await self.controller.get(run_id)
        if run is None:
            return
        try:
            ws = parse_workspace(run.workspace, f"run {run_id}")
        except WorkspaceFileError as exc:
            self.panel.show_problem(str(exc))
            return
        answer = answer_message(run)
        if answer is not None:
            ws = ws.model_copy(update={"messages": [*ws.messages, answer]})
        tab = self.documents.new(ws, title=f"Run {run_id}")
        tab.view.raw.set_request(run.request)  # the exact body that was sent, as recorded

    async def _compare(self, left_id: int, right_id: int) -> None:
        left, right = await self.controller.get(left_id), await self.controller.get(right_id)
        if left is None or right is None:
            return
        spans = await asyncio.to_thread(word_diff, answer_text(left), answer_text(right))
        self.dialog = RunCompareDialog(left, right, spans, self.window)
        self.dialog.open()


def answer_message(run: RunRecord) -> Message | None:
    """The run's answer as an assistant message, when it produced one."""
    text = run.output_text or run.refusal
    calls = [
        ToolCall(
            id=c["call_id"],
            name=c["name"],
            arguments=c["arguments"],
            kind="custom" if c.get("kind") == "custom" else "function",
        )
        for c in run.tool_calls
    ]
    if not text and not calls:
        return None
    return Message(role="assistant", content=text, tool_calls=calls)
