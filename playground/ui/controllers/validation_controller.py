"""Checks the current tab's request a moment after each change: the findings, the editor
problems that block Run, and Run's state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from playground.core import validation, variables
from playground.core.file_inputs import FILE_CODES
from playground.core.findings import Finding
from playground.core.profiles import profile_problem
from playground.ui.widgets.provider_box import missing_text

if TYPE_CHECKING:
    from datetime import date

    from playground.core.profiles import ProviderProfile
    from playground.ui.controllers.run_controller import RunController
    from playground.ui.controllers.token_controller import TokenCountController
    from playground.ui.schema_checker import SchemaChecker
    from playground.ui.views.request_toolbar import RequestToolbar
    from playground.ui.views.workspace_view import WorkspaceView
    from playground.ui.widgets.request_meter import RequestMeter

CHECK_MS = 120


FILE_RECHECK_MS = 2000
"""While a file the request names is missing or too large, the tab is checked again this
often (a stat per file), so putting the file back unblocks Run without an edit."""


class Validation(QObject):
    """See the module docstring."""

    checked = Signal()
    """The current tab was checked (its findings and Run's state are up to date)."""

    def __init__(
        self,
        toolbar: RequestToolbar,
        runs: RunController,
        view: Callable[[], WorkspaceView | None],
        profile: Callable[[], ProviderProfile],
        today: Callable[[], date | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._toolbar, self._runs, self._view, self._profile, self._today = (
            toolbar,
            runs,
            view,
            profile,
            today,
        )
        self.schema_checker: SchemaChecker | None = None
        self.meter: RequestMeter | None = None
        self._checked: WorkspaceView | None = None  # the tab the meter's figures are of
        self.token_counter: TokenCountController | None = None
        self.timer = QTimer(self, singleShot=True, interval=CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.file_timer = QTimer(self, singleShot=True, interval=FILE_RECHECK_MS)
        self.file_timer.timeout.connect(self.check)

    def use_schema_checker(self, checker: SchemaChecker) -> None:
        """Check large schemas in a worker process; look again when one is done."""
        from playground.ui.widgets.schema_editor import SchemaEditor

        self.schema_checker = checker
        checker.checked.connect(self.soon)
        SchemaEditor.checker = checker

    def use_token_counter(self, counter: TokenCountController) -> RequestMeter:
        """Count the request's input tokens (a count over the model's maximum input is a
        finding); the meter that shows the count, for the status bar."""
        from playground.ui.widgets.request_meter import RequestMeter

        self.token_counter = counter
        self.meter = meter = RequestMeter()
        counter.counting.connect(meter.show_counting)
        counter.counted.connect(meter.show_reading)
        counter.counted.connect(self.soon)  # its finding joins the others
        self.soon()
        return meter

    def soon(self) -> None:
        self.timer.start()

    def check(self, fully: bool = False) -> list[Finding]:
        """Check the current tab now (`fully`: the large schemas too, as Run needs)."""
        self.timer.stop()
        view = self._view()
        if view is None:
            return []
        view.binder.flush()
        if view is not self._checked and self.meter is not None:
            self.meter.clear()  # a new tab (or another) starts empty until its own count
        self._checked = view
        ws = view.doc.workspace
        missing = self._toolbar.provider.missing()
        problems = ([missing_text(missing)] if missing else []) + view.blocking_problems()
        if not missing and (bad := profile_problem(self._profile())):
            problems.insert(0, f"The profile {self._profile().name} cannot be used: {bad}.")
        checker = None if fully else self.schema_checker
        target = self._runs.target(self._profile(), ws)
        findings = validation.validate(
            ws, defer_large=checker is not None, target=replace(target, today=self._today())
        )
        if self.token_counter is not None:  # a tab whose profile is gone counts locally
            findings += self.token_counter.findings(ws, None if missing else self._profile())
        if checker is not None:
            checker.request(validation.pending_schemas(ws))
        errors = [f for f in findings if f.severity == "error"]
        if self._runs.busy_for(view.tab.id):
            errors = [f for f in errors if f.code != validation.UNANSWERED_TOOL_CALL]
        if ws.mode == "evaluate":  # each test case gives the variables their values
            errors = [f for f in errors if f.code != variables.MISSING]
        view.show_findings(findings, problems)
        self._toolbar.show_blockers([f.message for f in errors] + problems)
        if any(f.code in FILE_CODES for f in errors):
            self.file_timer.start()  # a file put back (or shrunk) on disk unblocks Run by itself
        self.checked.emit()
        return findings
