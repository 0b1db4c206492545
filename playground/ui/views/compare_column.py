"""One column of the Compare view: a variant's header and overrides, its live answer, its
figures (the best of each marked across columns), the schema badge of a structured answer, and
the tool step that continues its own conversation.

A column binds to one Run at a time (`bind`) and hears that run's own signals, so two columns
never show each other's events. It raises what the user asks for as signals; the window's
CompareMode starts the runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from playground.core import compare, file_inputs
from playground.core.answer_checks import structured_badge
from playground.core.events import RefusalDelta, TextDelta, ToolCallStarted
from playground.core.mcp_items import answer_approvals
from playground.core.reducer import AssistantTurn, append_tool_results, append_turn
from playground.core.variants import Variant
from playground.core.workspace import Workspace
from playground.ui.theme import accent
from playground.ui.views.compare_figures import FiguresGrid, row_of_run
from playground.ui.views.compare_overrides import OverridesEditor
from playground.ui.views.compare_steps import pending_step
from playground.ui.widgets.common import tool_button
from playground.ui.widgets.markdown_view import MarkdownView

if TYPE_CHECKING:
    from playground.services.runs import Run

WIDTH = 264
"""A column's least width: narrower windows scroll sideways instead of squeezing."""
FEED_MS = 50
"""A column hands its answer view new text at most this often: several columns stream at once,
and each view update lays out and paints its column (four columns fed every frame stalled the
loop for up to 40 ms, bench_compare)."""


class CompareColumn(QFrame):
    """See the module docstring."""

    run_requested = Signal(str)
    """Run this variant alone (its key)."""
    stop_requested = Signal(str)
    use_requested = Signal(str)
    """Make this variant the tab's request."""
    remove_requested = Signal(str)
    variant_edited = Signal(object, str, bool)
    """(the edited Variant, the undo label, whether typing joins the previous step)."""
    continue_requested = Signal(str, object)
    """(key, the column's conversation with the tool outputs added): run it in this column."""
    loop_requested = Signal(str, object, int)
    """(key, the column's conversation, limit): answer its calls on mocks, in this column."""
    action_requested = Signal(str)
    """A failure card's action other than retry ("set_key", "drop")."""
    raw_requested = Signal(str)
    """Show this column's run in the tab's Raw pane (its key)."""
    figures_changed = Signal()

    def __init__(self, variant: Variant, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.variant = variant
        self.run: Run | None = None
        self.conversation: Workspace | None = None
        """The column's own conversation: what its run sent, plus the answers and tool outputs."""
        self._looping = False
        self._step: QWidget | None = None
        self._fresh: list[str] = []  # streamed text not yet handed to the answer view
        self._feed = QTimer(self, singleShot=True, interval=FEED_MS)
        self._feed.timeout.connect(self._feed_answer)
        self._failure: QWidget | None = None
        self._setup_ui()

    # -- the variant -------------------------------------------------------------------------

    def load(self, variant: Variant, base: Workspace, profiles: list[str]) -> None:
        self.variant = variant
        if not self.name.hasFocus() and self.name.text() != variant.name:
            self.name.setText(variant.name)
        self.name.setPlaceholderText(f"Variant {variant.key}")
        self.key_label.setText(variant.key)
        self.overrides.load(variant, base, profiles)

    def set_removable(self, removable: bool) -> None:
        self.remove.setEnabled(removable)

    # -- its run -----------------------------------------------------------------------------

    def bind(self, run: Run, looping: bool = False, continued: bool = False) -> None:
        """Show `run` from here on (the column's previous run is let go, not stopped);
        `continued`: it goes on with this column's conversation (its tool calls stay listed)."""
        self.unbind()
        self.run = run
        self._looping = looping
        self.conversation = run.workspace
        self._clear_answer()
        if not continued:
            self.trail.clear()
            self.trail.hide()
        partial = run.partial()
        if partial is not None and partial.text:
            self.answer.append(partial.text)
        run.started.connect(self._on_started)
        run.events_received.connect(self._on_events)
        run.finished.connect(self._on_finished)
        run.tool_results_added.connect(self._on_tool_results)
        run.loop_limit_reached.connect(self._on_loop_limit)
        run.ended.connect(self._on_ended)
        self._show_running()
        self.figures_changed.emit()

    def unbind(self) -> None:
        run = self.run
        if run is None:
            return
        for signal, slot in (
            (run.started, self._on_started),
            (run.events_received, self._on_events),
            (run.finished, self._on_finished),
            (run.tool_results_added, self._on_tool_results),
            (run.loop_limit_reached, self._on_loop_limit),
            (run.ended, self._on_ended),
        ):
            signal.disconnect(slot)
        self.run = None

    @property
    def live(self) -> bool:
        return self.run is not None and self.run.live

    def text(self) -> str:
        """The answer as it stands (streamed so far, while streaming)."""
        return self.answer.text + "".join(self._fresh)

    def row(self) -> compare.Row:
        """This column's figures for the table (core/compare.py)."""
        return row_of_run(self.variant.key, self.run)

    def show_figures(self, row: compare.Row, best: set[str], top: dict | None = None) -> None:
        """Paint the figures; those in `best` are the best of all columns (`top`: bars)."""
        waiting = self.run is not None and self.run.waiting
        outcome = "waiting for a slot" if waiting else row.outcome.replace("_", " ")
        if self.run is not None and not self.run.live and self.run.figures().cached:
            outcome += " · cached (from the response cache: nothing billed)"
        self.figures.paint(row, best, outcome if self.run is not None else "not run yet", top)

    def best_marks(self) -> set[str]:
        """The figures this column shows as the best."""
        return self.figures.best_marks()

    # -- private: building -------------------------------------------------------------------

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        head = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Variant name")
        self.name.setObjectName("cardTitle")
        self.name.setToolTip("This variant's name")
        self.name.setFrame(False)
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.name.editingFinished.connect(self._on_renamed)
        head.addWidget(self.name, 1)
        self.key_label = QLabel()
        self.key_label.setStyleSheet(f"color: {accent('muted').name()};")
        self.key_label.setToolTip("The variant's key (in history and the compare program)")
        head.addWidget(self.key_label)
        self.raw_button = tool_button(
            "{ }", "Show this column's request and events in the Raw pane"
        )
        self.raw_button.clicked.connect(lambda: self.raw_requested.emit(self.variant.key))
        head.addWidget(self.raw_button)
        self.remove = tool_button("✕", "Remove this variant (Compare keeps 2 to 6)")
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self.variant.key))
        head.addWidget(self.remove)
        layout.addLayout(head)
        self.overrides = OverridesEditor()
        self.overrides.overrides_edited.connect(self._on_overrides_edited)
        layout.addWidget(self.overrides)
        row = QHBoxLayout()
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Run this variant alone (the others keep their answers)")
        self.run_button.clicked.connect(self._on_run_clicked)
        row.addWidget(self.run_button)
        self.use_button = QPushButton("Use this variant")
        self.use_button.setToolTip(
            "Make this variant the tab's request and leave Compare (undoable)"
        )
        self.use_button.clicked.connect(lambda: self.use_requested.emit(self.variant.key))
        row.addWidget(self.use_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.figures = FiguresGrid()
        layout.addWidget(self.figures)
        self.badge = QLabel()
        self.badge.setWordWrap(True)
        self.badge.hide()
        layout.addWidget(self.badge)
        self.answer_scroll = QScrollArea()
        self.answer_scroll.setWidgetResizable(True)
        self.answer_scroll.setFrameShape(QFrame.Shape.NoFrame)
        # a tool step wider than the column scrolls rather than being cut off
        self.answer_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(f"color: {accent('warning').name()};")
        self.refusal.hide()
        self.body.addWidget(self.refusal)
        self.answer = MarkdownView()
        self.answer.setAccessibleName("Variant answer")
        self.answer.setAccessibleDescription("This variant's answer as rendered Markdown")
        self.answer.setStyleSheet("background: transparent;")  # the card's colour throughout
        self.answer.setPlaceholderText("The answer streams here")
        self.body.addWidget(self.answer)
        self.trail = QLabel()
        self.trail.setWordWrap(True)
        self.trail.setStyleSheet(f"color: {accent('muted').name()};")
        self.trail.hide()
        self.body.addWidget(self.trail)
        self.body.addStretch(1)
        self.answer_scroll.setWidget(body)
        self.answer_scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.answer_scroll.setMinimumWidth(WIDTH)  # the column is at least this wide
        layout.addWidget(self.answer_scroll, 1)

    def _clear_answer(self) -> None:
        self._feed.stop()
        self._fresh.clear()
        self.answer.reset()
        self.refusal.clear()
        self.refusal.hide()
        self.badge.hide()
        for widget in (self._step, self._failure):
            if widget is not None:
                widget.deleteLater()
        self._step = self._failure = None

    def _add_trail(self, line: str) -> None:
        text = self.trail.text()
        self.trail.setText(f"{text}\n{line}" if text else line)
        self.trail.show()

    def _place(self, widget: QWidget) -> None:
        """A tool step or a failure card, below the answer."""
        self.body.insertWidget(self.body.count() - 1, widget)

    def _show_running(self) -> None:
        live = self.live
        self.run_button.setText("Stop" if live else "Run")
        self.run_button.setToolTip(
            "Stop this column's run" if live else "Run this variant alone (the others keep theirs)"
        )

    # -- private: its run's signals ----------------------------------------------------------

    def _on_started(self, _built: Any) -> None:
        self._feed_answer()
        if self.answer.text:  # a later turn of a mock loop: its own answer
            self.answer.reset()
        self.figures_changed.emit()  # no longer waiting for a slot

    def _on_events(self, batch: list[tuple[Any, float]]) -> None:
        text: list[str] = []
        for event, _ms in batch:
            kind = type(event)
            if kind is TextDelta:
                if event.choice == 0:
                    text.append(event.text)
            elif kind is RefusalDelta:
                self.refusal.setText(self.refusal.text() + event.text)
                self.refusal.show()
            elif kind is ToolCallStarted:
                self._add_trail(f"→ calling {event.name}…")
        if text:
            self._fresh.extend(text)
            if not self._feed.isActive():
                self._feed.start()

    def _feed_answer(self) -> None:
        """Hand the text streamed since the last feed to the answer view (see FEED_MS)."""
        self._feed.stop()
        if self._fresh:
            self.answer.append("".join(self._fresh))
            self._fresh.clear()

    def _on_finished(self, turn: AssistantTurn, stopped: bool) -> None:
        self._feed_answer()
        self.answer.finish()
        if self.conversation is not None:
            origin = file_inputs.origin_of(self.run.profile) if self.run is not None else None
            self.conversation = append_turn(self.conversation, turn, origin)
        for call in turn.tool_calls:
            self._add_trail(f"→ {call.name}({call.arguments})")
        if turn.failure is not None and not stopped:
            from playground.ui.presenter import failure_card

            card = failure_card(turn.failure)
            card.action_requested.connect(self._on_failure_action)
            self._failure = card
            self._place(card)
            return
        badge = (
            None
            if stopped or self.run is None
            else structured_badge(self.run.workspace.output_format, turn.text)
        )
        if badge is not None:
            if badge.pretty is not None:
                self.answer.set_markdown("```json\n" + badge.pretty + "\n```")
            self.badge.setText(badge.text)
            self.badge.setStyleSheet(f"color: {accent(badge.tone).name()};")
            self.badge.show()

    def _on_tool_results(self, outputs: dict[str, str]) -> None:
        if self.conversation is not None:
            self.conversation = append_tool_results(self.conversation, outputs)
        self._trail_results(outputs, "mock")

    def _trail_results(self, outputs: dict[str, str], source: str) -> None:
        for output in outputs.values():
            self._add_trail(f"← {source}: {output if len(output) < 80 else output[:79] + '…'}")

    def _on_loop_limit(self, limit: int) -> None:
        self._add_trail(f"The mock loop stopped at its limit of {limit} turns.")

    def _on_ended(self, run: Run) -> None:
        self._show_running()
        self.figures_changed.emit()
        stopped = run.outcome == "stopped"
        if self.conversation is None or stopped or run.outcome == "failed" or self._looping:
            return
        if run.turn is not None and run.turn.stopped_at_limit:
            return
        self._step = pending_step(
            self.conversation, self._on_outputs_submitted, self._on_mock_loop, self._on_approvals
        )
        if self._step is not None:
            self._place(self._step)

    # -- private: the user's intents ---------------------------------------------------------

    def _on_run_clicked(self) -> None:
        if self.live:
            self.stop_requested.emit(self.variant.key)
        else:
            self.run_requested.emit(self.variant.key)

    def _on_renamed(self) -> None:
        name = self.name.text().strip()
        if name != self.variant.name:
            edited = self.variant.model_copy(update={"name": name})
            self.variant_edited.emit(edited, "Rename a variant", False)

    def _on_overrides_edited(self, overrides: dict, label: str, typing: bool) -> None:
        edited = self.variant.model_copy(update={"overrides": overrides})
        self.variant_edited.emit(edited, label, typing)

    def _on_outputs_submitted(self, outputs: dict[str, str]) -> None:
        assert self.conversation is not None
        self._trail_results(outputs, "result")
        self.continue_requested.emit(
            self.variant.key, append_tool_results(self.conversation, outputs)
        )

    def _on_approvals(self, decisions: dict[str, bool]) -> None:
        assert self.conversation is not None
        for rid, approve in decisions.items():
            self._add_trail(f"{'✓ approved' if approve else '✗ denied'} MCP call {rid}")
        answered = answer_approvals(self.conversation, decisions)
        self.continue_requested.emit(self.variant.key, answered)

    def _on_mock_loop(self, limit: int) -> None:
        self.loop_requested.emit(self.variant.key, self.conversation, limit)

    def _on_failure_action(self, action: str) -> None:
        if action == "retry":
            self.run_requested.emit(self.variant.key)
        else:
            self.action_requested.emit(action)
