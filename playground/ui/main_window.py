"""The main window: a shell of panels around one workspace, wired to the controllers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.ui.theme import accent
from playground.ui.widgets.common import tool_button
from playground.ui.widgets.provider_box import ProviderBox, missing_text

# This module paints the window's first frame with PySide6 alone; the rest of the app (core,
# panels, controllers) is imported by `setup()`, after that frame (see `show_first_frame`).
if TYPE_CHECKING:
    from playground.core.events import Retrying, StreamEvent
    from playground.core.profiles import ProviderProfile
    from playground.core.reducer import AssistantTurn
    from playground.core.workspace import Workspace
    from playground.ui.controllers.providers_controller import ProvidersController
    from playground.ui.controllers.run_controller import RunController
    from playground.ui.controllers.token_controller import TokenCountController
    from playground.ui.documents import Documents
    from playground.ui.learned_view import LearnedRulesView
    from playground.ui.schema_checker import SchemaChecker
    from playground.ui.widgets.conversation import ConversationView
    from playground.ui.widgets.model_picker import ModelPicker
    from playground.ui.widgets.output_panel import OutputPanel
    from playground.ui.widgets.params_panel import ParamsPanel
    from playground.ui.widgets.raw_panel import RawPanel
    from playground.ui.widgets.tools_panel import ToolsPanel

PROGRESS_MS = 250
"""The status line's streaming figures change at most four times a second."""


class MainWindow(QMainWindow):
    """Edits one workspace; sends, shows and steps through runs."""

    workspace_changed = Signal()
    """The panels were edited (debounced) or a workspace was loaded."""

    # built by setup()
    model: ModelPicker
    params: ParamsPanel
    tools: ToolsPanel
    output: OutputPanel
    conversation: ConversationView
    raw: RawPanel
    documents: Documents | None = None  # the tabs, once app.py has made them
    token_counter: TokenCountController | None = None  # the request meter's, once set
    learned_rules: LearnedRulesView | None = None  # learned refusals, once app.py has made them
    settings_read_only = ""  # why the settings file cannot be saved ("" when it can)

    def __init__(self) -> None:
        """The window's chrome: menu, toolbar, empty panes. `setup()` brings it to life."""
        super().__init__()
        self.findings: list = []
        self.schema_checker: SchemaChecker | None = None
        self._request_id: str | None = None
        self._live_deltas = 0
        self._live_tokens = 0
        self._progress_ms = 0.0
        self._dialog: QWidget | None = None
        self._painted = False
        self.setWindowTitle("Playground")
        self.resize(1360, 860)
        self._setup_chrome()

    def setup(
        self,
        runs: RunController,
        providers: ProvidersController,
        profiles: list[ProviderProfile],
        on_profiles_changed: Callable[[list], None],
        workspace: Workspace | None = None,
    ) -> None:
        """Build the panels, wire them to the controllers and show `workspace`."""
        from playground.core.workspace import Workspace
        from playground.ui.exchange import RequestExchange
        from playground.ui.model_lifecycle import ModelLifecycle

        self.runs = runs
        self.providers = providers
        self.profiles = profiles
        self._on_profiles_changed = on_profiles_changed
        self.ws = workspace or Workspace()
        self._setup_panels()
        self._wire()
        self.exchange = RequestExchange(self)
        self.lifecycle = ModelLifecycle(self)
        self.load(self.ws)
        self.status.setText("Ready")

    def show_first_frame(self, limit_s: float = 0.5) -> None:
        """Show the window and paint it now, before the rest of the app is imported and built
        (the event loop is not running yet: this turns it by hand until the frame is out)."""
        self.show()
        deadline = time.monotonic() + limit_s
        while not self._painted and time.monotonic() < deadline:
            QApplication.processEvents()
            if not self._painted:
                time.sleep(0.002)

    # -- public ------------------------------------------------------------------------------

    def load(self, ws: Workspace) -> None:
        self.ws = ws
        self._set_profile_combo(ws.profile)
        self.api_buttons[ws.api].setChecked(True)
        self.model.set_model(ws.model)
        for panel in (self.params, self.tools, self.output, self.conversation):
            panel.load(ws)
        self._on_model_changed()
        self._revalidate()
        self._show_tool_step(ws)  # calls left unanswered (an import, a restart) can be answered

    def collect(self) -> Workspace:
        """The workspace as the panels show it now."""
        ws = self.ws.model_copy(
            update={
                "api": "chat" if self.api_buttons["chat"].isChecked() else "responses",
                "model": self.model.current_model() or self.ws.model,
                "profile": self.provider.currentText() or self.ws.profile,
            }
        )
        for panel in (self.params, self.tools, self.output, self.conversation):
            ws = panel.apply(ws)
        if ws != self.ws:  # unchanged, it stays the same object: its file text is cached
            self.ws = ws
        return self.ws

    def current_profile(self) -> ProviderProfile:
        name = self.provider.currentText()
        return next((p for p in self.profiles if p.name == name), self.profiles[0])

    def blocking_problems(self) -> list[str]:
        extra = self.params.extra_body()[1]
        missing = self.provider.missing()
        return (
            ([missing_text(missing)] if missing else [])
            + self.tools.problems()
            + self.output.problems()
            + ([extra] if extra else [])
        )

    def show_banner(
        self, html: str, action: str | None = None, callback: Callable[[], None] | None = None
    ) -> None:
        self.conversation.banner.show_text(html, action, callback)

    def set_profiles(self, profiles: list[ProviderProfile]) -> None:
        self.profiles = profiles
        self._set_profile_combo(self.provider.currentText() or self.ws.profile)

    def run(self) -> None:
        from playground.core import validation

        ws = self.collect()
        self._revalidate()
        if validation.pending_schemas(ws):
            self._revalidate_fully()
        if not self.run_button.isEnabled():
            self.side.setCurrentWidget(self.findings_list)
            return
        self.params.highlight(None)
        self.conversation.begin_live()
        self.runs.run(ws, self.current_profile())

    def _revalidate_fully(self) -> None:
        """Run needs every check done: finish the pending large-schema checks here."""
        checker, self.schema_checker = self.schema_checker, None
        try:
            self._revalidate()
        finally:
            self.schema_checker = checker

    def set_schema_checker(self, checker: SchemaChecker) -> None:
        """Check large schemas in a worker process; look again when one is done."""
        from playground.ui.widgets.schema_editor import SchemaEditor

        self.schema_checker = checker
        checker.checked.connect(self._timer.start)
        SchemaEditor.checker = checker

    def set_token_counter(self, counter: TokenCountController) -> None:
        """Show the request's input tokens, cost range and context meter in the status bar;
        a count over the model's maximum input is a finding."""
        from playground.ui.widgets.request_meter import RequestMeter

        self.token_counter = counter
        self.meter = RequestMeter()
        self.statusBar().addPermanentWidget(self.meter)
        counter.counting.connect(self.meter.show_counting)
        counter.counted.connect(
            lambda r: self.meter.show_count(r.count, r.info, r.tier, r.max_output_tokens)
        )
        counter.counted.connect(self._timer.start)  # its finding joins the others
        self._timer.start()

    def stop(self) -> None:
        self.runs.stop()

    def open_providers(self) -> None:
        from playground.ui.widgets.providers_dialog import ProvidersDialog

        dialog = ProvidersDialog(
            self.profiles, self.providers.keyring_note, self, read_only=self.settings_read_only
        )
        dialog.key_status_requested.connect(self.providers.request_key_status)
        dialog.key_save_requested.connect(self.providers.save_key)
        dialog.key_delete_requested.connect(self.providers.delete_key)
        dialog.key_rename_requested.connect(self.providers.rename_key)
        dialog.test_requested.connect(self.providers.test)
        dialog.profiles_changed.connect(self._on_dialog_profiles)
        self.providers.key_status.connect(dialog.show_key_status)
        self.providers.test_result.connect(dialog.show_test_result)
        dialog.select(self.provider.currentText())
        self._dialog = dialog
        dialog.open()

    # -- building ----------------------------------------------------------------------------

    def _setup_chrome(self) -> None:
        self.file_menu = self.menuBar().addMenu("&File")
        bar = QToolBar("Request")
        bar.setMovable(False)
        self.addToolBar(bar)
        bar.addWidget(QLabel(" Provider "))
        self.provider = ProviderBox()
        bar.addWidget(self.provider)
        manage = self._manage = tool_button("…", "Providers and API keys (Ctrl+,)", raised=True)
        manage.clicked.connect(self.open_providers)
        bar.addWidget(manage)
        bar.addSeparator()
        self.api_group = QButtonGroup(self)
        self.api_buttons: dict[str, QToolButton] = {}
        for key, label, tip in (
            ("responses", "Responses", "POST /v1/responses"),
            ("chat", "Chat Completions", "POST /v1/chat/completions"),
        ):
            b = tool_button(label, f"Use the {label} API ({tip})", checkable=True)
            self.api_group.addButton(b)
            self.api_buttons[key] = b
            bar.addWidget(b)
        bar.addSeparator()
        bar.addWidget(QLabel(" Model "))
        pending = QComboBox()  # stands where the model picker goes in setup()
        pending.setMinimumWidth(260)
        pending.setSizePolicy(
            pending.sizePolicy().Policy.Expanding, pending.sizePolicy().Policy.Fixed
        )
        self._pending_model = bar.addWidget(pending)
        self._toolbar = bar
        bar.setEnabled(False)  # nothing to act on until setup()
        spacer = QWidget()
        spacer.setSizePolicy(
            spacer.sizePolicy().Policy.Expanding, spacer.sizePolicy().Policy.Preferred
        )
        bar.addWidget(spacer)
        self.blocker = QLabel()
        self.blocker.setStyleSheet(f"color: {accent('error').name()};")
        bar.addWidget(self.blocker)
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("primary")
        self.run_button.setToolTip("Send the request (Ctrl+Enter)")
        bar.addWidget(self.run_button)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the run and keep the partial answer (Esc)")
        self.stop_button.setEnabled(False)
        bar.addWidget(self.stop_button)
        # No Qt namespace here: its first use costs 20 ms, and this runs before the first frame.
        self.splitter = QSplitter()  # horizontal
        for _ in range(3):
            pane = QLabel("Loading…")
            pane.setStyleSheet(
                f"color: {accent('muted').name()}; qproperty-alignment: AlignCenter;"
            )
            self.splitter.addWidget(pane)
        self.splitter.setSizes([380, 640, 340])
        self.splitter.setChildrenCollapsible(False)
        central = QWidget()
        self.central_layout = QVBoxLayout(central)
        self.central_layout.setContentsMargins(0, 0, 0, 0)
        self.central_layout.setSpacing(0)
        self.central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.status = QLabel("Starting…")
        self.status.setToolTip("Figures of the last run")
        # clipped where the window is narrow, never pushing the request meter over it
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.statusBar().addWidget(self.status, 1)
        self._timer = QTimer(self, singleShot=True, interval=120)

    def _setup_panels(self) -> None:
        from PySide6.QtWidgets import QListWidget, QScrollArea, QTabWidget

        from playground.ui.widgets.conversation import ConversationView
        from playground.ui.widgets.model_picker import ModelPicker
        from playground.ui.widgets.output_panel import OutputPanel
        from playground.ui.widgets.params_panel import ParamsPanel
        from playground.ui.widgets.raw_panel import RawPanel
        from playground.ui.widgets.tools_panel import ToolsPanel

        self.model = ModelPicker()
        self._toolbar.insertWidget(self._pending_model, self.model)
        self._toolbar.removeAction(self._pending_model)
        self._toolbar.setEnabled(True)
        # icons come with the panels: drawing SVGs before the first frame would delay it
        from playground.ui.icons import icon

        self.run_button.setIcon(icon("run"))
        self.stop_button.setIcon(icon("stop"))
        self._manage.setIcon(icon("providers"))
        self.setup_tabs = QTabWidget()
        self.params = ParamsPanel()
        params_scroll = QScrollArea()
        params_scroll.setWidgetResizable(True)
        # rows wrap their notes: no sideways scrolling that hides the labels
        params_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        params_scroll.setWidget(self.params)
        self.tools = ToolsPanel()
        self.output = OutputPanel()
        self.setup_tabs.addTab(params_scroll, "Parameters")
        self.setup_tabs.addTab(self.tools, "Tools")
        self.setup_tabs.addTab(self.output, "Output format")
        self.conversation = ConversationView()
        self.side = QTabWidget()
        self.raw = RawPanel()
        self.findings_list = QListWidget()
        self.findings_list.setWordWrap(True)
        self.findings_list.setToolTip("What validation found; errors block Run")
        self.side.addTab(self.raw, "Raw")
        self.side.addTab(self.findings_list, "Findings")
        sizes = self.splitter.sizes()
        for index, pane in enumerate((self.setup_tabs, self.conversation, self.side)):
            placeholder = self.splitter.replaceWidget(index, pane)
            if placeholder is not None:
                placeholder.deleteLater()
        self.splitter.setSizes(sizes)
        self._retry: Retrying | None = None
        self._retry_left = 0.0
        self._retry_timer = QTimer(self, interval=1000)
        self._retry_timer.timeout.connect(self._tick_retry)
        self._timer.timeout.connect(self._revalidate)

    def _wire(self) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut

        for panel in (self.params, self.tools, self.output, self.conversation):
            panel.changed.connect(self._timer.start)
        self.conversation.continue_requested.connect(self.run)
        self.provider.currentTextChanged.connect(self._on_provider_changed)
        self.api_group.buttonToggled.connect(lambda *_: self._on_model_changed())
        self.model.model_chosen.connect(lambda _m: self._on_model_changed())
        self.run_button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.stop)
        self.runs.busy_changed.connect(self._on_busy_changed)
        self.runs.run_started.connect(self._on_run_started)
        self.runs.events_received.connect(self._on_events)
        self.runs.run_finished.connect(self._on_run_finished)
        self.runs.tool_results_added.connect(self._on_tool_results)
        self.runs.loop_limit_reached.connect(self._on_limit)
        self.runs.retrying.connect(self._on_retrying)
        self.providers.models_listed.connect(self._on_models_listed)
        for keys, slot in (
            ("Ctrl+Return", self.run),
            ("Ctrl+Enter", self.run),
            ("Escape", self.stop),
            ("Ctrl+M", lambda: self.conversation.add_message("user")),
            ("Ctrl+,", self.open_providers),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    # -- slots -------------------------------------------------------------------------------

    def _set_profile_combo(self, name: str) -> None:
        self.provider.fill([p.name for p in self.profiles], name)

    def _on_provider_changed(self, _name: str) -> None:
        if not self.provider.missing():  # a missing profile has no server to ask
            self.providers.list_models(self.current_profile())
        self._timer.start()

    def _on_models_listed(self, profile: str, ids: list) -> None:
        if profile == self.provider.currentText():
            self.model.set_remote_models(ids)

    def _on_dialog_profiles(self, profiles: list) -> None:
        self.set_profiles(profiles)
        self._on_profiles_changed(profiles)

    def _on_model_changed(self) -> None:
        from playground.core import catalog

        api = "chat" if self.api_buttons["chat"].isChecked() else "responses"
        info = catalog.lookup(self.model.current_model() or self.ws.model)
        self.params.set_model(info, api)
        self._timer.start()

    def revalidate_soon(self) -> None:
        """Check the workspace again shortly (something it depends on changed: a learned
        rule forgotten, a profile edited)."""
        self._timer.start()

    def _revalidate(self) -> None:
        from PySide6.QtCore import Qt

        from playground.core import validation

        ws = self.collect()
        problems = self.blocking_problems()
        checker = self.schema_checker
        self.findings = validation.validate(
            ws,
            defer_large=checker is not None,
            target=replace(
                self.runs.target(self.current_profile(), ws), today=self.lifecycle.today
            ),
        )
        if self.token_counter is not None:  # a tab whose profile is gone counts locally
            profile = None if self.provider.missing() else self.current_profile()
            self.findings += self.token_counter.findings(ws, profile)
        if checker is not None:
            checker.request(validation.pending_schemas(ws))
        errors = [f.message for f in self.findings if f.severity == "error"] + problems
        if self.runs.busy:
            errors = [e for e in errors if "has no tool result yet" not in e]
        self.params.show_findings(self.findings)
        self.findings_list.clear()
        for text in problems:
            self._add_finding("error", text)
        for f in self.findings:
            self._add_finding(f.severity, f"{f.message}  [{f.path}]")
        self.run_button.setEnabled(not errors)
        self.run_button.setToolTip(
            "Send the request (Ctrl+Enter)"
            if not errors
            else "Cannot run: " + "; ".join(errors[:3])
        )
        first = errors[0] if errors else ""
        first = self.blocker.fontMetrics().elidedText(first, Qt.TextElideMode.ElideRight, 320)
        self.blocker.setText(f"⚠ {first}  " if errors else "")
        self.blocker.setToolTip("\n".join(errors))

        if hasattr(self, "exchange"):
            self.exchange.refresh()
        self.workspace_changed.emit()

    def _add_finding(self, severity: str, text: str) -> None:
        from PySide6.QtWidgets import QListWidgetItem

        item = QListWidgetItem(f"{severity}: {text}")
        item.setForeground(accent({"error": "error", "warning": "warning"}.get(severity, "info")))
        self.findings_list.addItem(item)

    def _on_busy_changed(self, busy: bool) -> None:
        self.stop_button.setEnabled(busy)
        if not busy:
            self._revalidate()

    def _on_run_started(self, built: object) -> None:
        self.raw.set_request(getattr(built, "body", {}))
        self.raw.clear_events()
        self.status.setText("Running…")
        self._request_id = None
        self._live_deltas = 0
        self._live_tokens = 0
        self._progress_ms = -PROGRESS_MS
        if self.conversation.live is None:
            self.conversation.begin_live()

    def _on_events(self, batch: list[tuple[StreamEvent, float]]) -> None:
        """A frame's worth of events: deltas are joined and shown in one go."""
        from playground.core.events import (
            ReasoningDelta,
            RefusalDelta,
            RunStarted,
            TextDelta,
            ToolCallStarted,
            Usage,
        )

        live = self.conversation.live
        text: list[str] = []
        reasoning: list[str] = []
        refusal: list[str] = []
        for event, _ms in batch:
            if isinstance(event, TextDelta):
                if event.choice == 0:
                    text.append(event.text)
            elif isinstance(event, ReasoningDelta):
                reasoning.append(event.text)
            elif isinstance(event, RefusalDelta):
                refusal.append(event.text)
            elif isinstance(event, RunStarted):
                self._request_id = event.request_id
            elif isinstance(event, ToolCallStarted) and live is not None:
                live.set_badge(f"calling {event.name}…", "info")
            elif isinstance(event, Usage):
                self._live_tokens = event.output_tokens
        self._live_deltas += len(text) + len(reasoning) + len(refusal)
        if live is not None:
            if text:
                live.append_text("".join(text))
            if reasoning:
                live.append_reasoning("".join(reasoning))
            if refusal:
                live.append_refusal("".join(refusal))
        self.raw.add_events(batch)
        self._show_progress(batch[-1][1])

    def _show_progress(self, ms: float) -> None:
        """The status line while a run streams: deltas so far and their rate."""
        if self._retry is not None or ms <= 0 or ms - self._progress_ms < PROGRESS_MS:
            return
        self._progress_ms = ms
        count = self._live_tokens or self._live_deltas
        rate = count / (ms / 1000)
        self.status.setText(f"Streaming…  {count} tokens  ·  {ms / 1000:.1f} s  ·  {rate:.0f}/s")

    def _on_retrying(self, event: Retrying) -> None:
        """Show the SDK's retries: a countdown while it waits, the attempt while it sends."""
        self._retry = event
        self._retry_left = event.delay_s or 0.0
        self._tick_retry()
        if event.delay_s:
            self._retry_timer.start()

    def _tick_retry(self) -> None:
        event = self._retry
        if event is None:
            return
        attempt = f"attempt {event.attempt + (event.status is not None)} of {event.max_attempts}"
        if event.status is None or self._retry_left <= 0:
            self._retry_timer.stop()
            self.status.setText(f"Retrying now ({attempt})…")
            return
        reason = "Rate limited" if event.status == 429 else f"Server answered {event.status}"
        self.status.setText(f"{reason}: retrying in {self._retry_left:.0f} s ({attempt})")
        self._retry_left -= 1

    def _on_run_finished(self, turn: AssistantTurn, stopped: bool) -> None:
        from playground.core.workspace import ToolCall
        from playground.ui.presenter import badge_structured, figures

        self._retry_timer.stop()
        self.raw.flush()
        self._retry = None
        live = self.conversation.live
        calls = [
            ToolCall(id=c.call_id, name=c.name, arguments=c.arguments, item_id=c.item_id)
            for c in turn.tool_calls
        ]
        if live is not None:
            live.finish_stream(calls, stopped)
            keep = bool(turn.text or turn.refusal or calls)
            if keep and not stopped and turn.stopped_at_limit:
                live.mark_stopped_at_limit()  # a partial answer: Continue runs with it
            elif keep and not stopped:
                badge_structured(live, self.ws.output_format, turn.text)
            self.conversation.end_live(keep)
        self.status.setText(figures(turn, self._request_id) or "Done")
        ws = self.collect()
        if turn.failure is not None and not stopped:
            self._show_failure(turn)
        elif turn.stopped_at_limit:
            pass  # its calls, if any, were cut off: nothing to answer
        elif calls and not stopped and not self.runs.busy_looping:
            self._show_tool_step(ws)

    def _show_failure(self, turn: AssistantTurn) -> None:
        from playground.ui.presenter import failure_card

        assert turn.failure is not None
        learned = self.learned_rules.take_offer() if self.learned_rules is not None else None
        card = failure_card(turn.failure, learned)
        card.action_requested.connect(self._on_error_action)
        self.conversation.add_transient(card)
        if turn.failure.param:
            self.params.highlight(turn.failure.param)
            self.setup_tabs.setCurrentIndex(0)

    def _on_error_action(self, action: str) -> None:
        if action == "set_key":
            self.open_providers()
        elif action == "drop" and self.learned_rules is not None:
            self.learned_rules.drop_and_run()
        else:
            self.run()

    def _show_tool_step(self, ws: Workspace) -> None:
        from playground.core.reducer import pending_calls
        from playground.ui.widgets.tool_step import ToolStep

        pending = pending_calls(ws)
        if not pending:
            return
        step = ToolStep(pending, {t.name: t for t in ws.tools})
        step.submit_requested.connect(self._on_submit_outputs)
        step.mock_loop_requested.connect(self._on_mock_loop)
        self.conversation.add_transient(step)

    def _on_submit_outputs(self, outputs: dict) -> None:
        self._on_tool_results(outputs)
        self.run()

    def _on_mock_loop(self, limit: int) -> None:
        missing = self.provider.missing()
        if missing:  # Run is blocked; the mock loop runs requests too
            self.status.setText(missing_text(missing))
            return
        ws = self.collect()
        self.conversation.clear_transient()
        self.runs.run_mock_loop(ws, self.current_profile(), limit)

    def _on_tool_results(self, outputs: dict) -> None:
        for call_id, output in outputs.items():
            self.conversation.add_message("tool", output, focus=False, tool_call_id=call_id)
        self.conversation.clear_transient()

    def _on_limit(self, limit: int) -> None:
        from playground.ui.widgets.tool_step import ErrorCard

        card = ErrorCard(
            "Mock loop stopped",
            f"The loop reached its limit of {limit} iterations; the model was still calling tools.",
            "Raise the limit or answer the calls by hand.",
            [("retry", "Run again")],
        )
        card.action_requested.connect(self._on_error_action)
        self.conversation.add_transient(card)

    # -- Qt overrides ------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        self._painted = True

    def closeEvent(self, event) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        self.runs.stop()
        super().closeEvent(event)

    def restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)
