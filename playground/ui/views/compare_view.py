"""A tab's Compare mode: its variants side by side, one column each (2 to 6), scrolling sideways
when the window is narrow, with a word diff of any two columns below.

The view draws the tab's Document (`Workspace.variants`) and writes every edit of a variant
back into it (`doc.set("variants", ...)`), so variants are undoable, saved and autosaved. It
shows the Runs it is handed (`show_run`, by the run's variant key) and marks the best figures
across the columns (core.compare). What to run is raised as signals; the window's CompareMode
starts the runs."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from playground.core import compare
from playground.core.document import Document, PathError
from playground.core.variants import Variant, apply
from playground.core.workspace import MAX_VARIANTS
from playground.ui.theme import accent
from playground.ui.views.compare_column import CompareColumn
from playground.ui.views.compare_diff import DiffPane
from playground.ui.views.compare_figures import largest

if TYPE_CHECKING:
    from playground.services.runs import Run

MIN_VARIANTS = 2
FIGURES_MS = 250
"""While a column streams, the figures and best marks change at most four times a second."""


class CompareView(QWidget):
    """See the module docstring."""

    run_one_requested = Signal(str)
    """Run one variant alone (its key)."""
    stop_one_requested = Signal(str)
    use_requested = Signal(str)
    continue_requested = Signal(str, object)
    """(key, workspace): continue that column's conversation (tool outputs added)."""
    loop_requested = Signal(str, object, int)
    """(key, workspace, limit): that column answers its calls on mocks."""
    action_requested = Signal(str)
    raw_requested = Signal(str)
    """Show that column's run in the tab's Raw pane (its key)."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.columns: list[CompareColumn] = []
        self.profiles: list[str] = []
        self._timer = QTimer(self, interval=FIGURES_MS)
        self._timer.timeout.connect(self.update_figures)
        self._setup_ui()
        doc.changed.connect(self._on_doc_changed)

    # -- public ------------------------------------------------------------------------------

    def column(self, key: str) -> CompareColumn | None:
        return next((c for c in self.columns if c.variant.key == key), None)

    def set_profiles(self, names: list[str]) -> None:
        """The provider profiles a variant may choose."""
        self.profiles = list(names)
        self.sync()

    def sync(self) -> None:
        """Draw the Document's variants: a column per variant, in order, each on the base."""
        ws = self.doc.workspace
        if ws.mode != "compare" and not self.columns:
            return  # drawn the first time the tab enters Compare
        keys = [v.key for v in ws.variants]
        for col in [c for c in self.columns if c.variant.key not in keys]:
            self.columns.remove(col)
            col.unbind()
            col.deleteLater()
        for i, variant in enumerate(ws.variants):
            found = self.column(variant.key)
            col = found if found is not None else self._new_column(variant)
            if found is None:
                self.columns.insert(i, col)
            if self.row.indexOf(col) != i:
                self.row.removeWidget(col)
                self.row.insertWidget(i, col)
            col.load(variant, ws, self.profiles)
            col.set_removable(len(ws.variants) > MIN_VARIANTS)
        count = len(ws.variants)
        self.add_button.setEnabled(count < MAX_VARIANTS)
        self.heading.setText(
            f"<b>Compare</b> — {count} variant{'s' * (count != 1)} of this tab's request. "
            "Run (Ctrl+Enter) runs them all at once; the setup pane edits the base."
        )
        note = compare.state_note(ws)
        self.state_note.setText(note)
        self.state_note.setVisible(bool(note))
        self.diff.fill([self._name(c) for c in self.columns])
        self.update_figures()

    def show_run(self, run: Run, looping: bool = False, continued: bool = False) -> bool:
        """Show `run` in its variant's column (see CompareColumn.bind); False when no column
        has that key."""
        col = self.column(run.variant or "")
        if col is None:
            return False
        col.bind(run, looping, continued)
        if not self._timer.isActive():
            self._timer.start()
        return True

    def update_figures(self) -> None:
        """Each column's figures, the best of each figure marked across the columns."""
        rows = [c.row() for c in self.columns]
        table, top = compare.table(rows), largest(rows)
        for i, (col, row) in enumerate(zip(self.columns, rows, strict=True)):
            best: set[str] = {f for f in compare.FIGURES if table.is_best(i, f)}
            col.show_figures(row, best if col.run is not None else set(), top)
        if not any(c.live for c in self.columns):
            self._timer.stop()

    def flush(self) -> None:
        """Take what is being typed into a column now."""
        for col in self.columns:
            col.overrides.flush()

    def add_variant(self) -> None:
        ws = self.doc.workspace
        if len(ws.variants) >= MAX_VARIANTS:
            return
        used = {v.key for v in ws.variants}
        key = next(k for k in string.ascii_lowercase if k not in used)
        variant = Variant(key=key, name=f"Variant {key.upper()}")
        self.doc.set("variants", [*ws.variants, variant], "Add a variant")

    def remove_variant(self, key: str) -> None:
        ws = self.doc.workspace
        if len(ws.variants) <= MIN_VARIANTS:
            return
        gone = next((v for v in ws.variants if v.key == key), None)
        if gone is None:
            return
        col = self.column(key)
        if col is not None and col.run is not None:
            col.run.cancel()
        left = [v for v in ws.variants if v.key != key]
        self.doc.set("variants", left, f"Remove variant {gone.name or key}")

    def show_diff(self, left: int = 0, right: int = 1) -> None:
        """Open the word diff of two columns (by position)."""
        self.diff.fill([self._name(c) for c in self.columns])
        if not self.diff.isVisible():
            self.diff.show()
            total = sum(self.split.sizes()) or self.height()
            self.split.setSizes([total * 3 // 5, total - total * 3 // 5])  # the answers first
        self.diff.choose(left, right)

    def detach(self) -> None:
        """The tab closed: stop listening to its Document and its runs."""
        self._timer.stop()
        self.doc.changed.disconnect(self._on_doc_changed)
        for col in self.columns:
            col.unbind()

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        bar.addWidget(self.heading, 1)
        self.add_button = QPushButton("Add variant")
        self.add_button.setToolTip(f"Another column (at most {MAX_VARIANTS})")
        self.add_button.clicked.connect(self.add_variant)
        bar.addWidget(self.add_button)
        self.diff_button = QPushButton("Word diff")
        self.diff_button.setToolTip("The words that differ between two columns' answers")
        self.diff_button.clicked.connect(lambda: self.show_diff())
        bar.addWidget(self.diff_button)
        layout.addLayout(bar)
        self.state_note = QLabel()  # the tab's state mode is Run's, not Compare's
        self.state_note.setWordWrap(True)
        self.state_note.setStyleSheet(f"color: {accent('muted').name()};")
        self.state_note.setAccessibleName("Conversation state in Compare")
        self.state_note.hide()
        layout.addWidget(self.state_note)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {accent('error').name()};")
        self.error.hide()
        layout.addWidget(self.error)
        self.split = split = QSplitter(Qt.Orientation.Vertical)
        self.columns_scroll = QScrollArea()
        self.columns_scroll.setWidgetResizable(True)
        self.columns_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self.row = QHBoxLayout(holder)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(6)
        self.columns_scroll.setWidget(holder)
        split.addWidget(self.columns_scroll)
        self.diff = DiffPane(lambda: [(self._name(c), c.text()) for c in self.columns])
        self.diff.close_requested.connect(self.diff.hide)
        self.diff.hide()
        split.addWidget(self.diff)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)

    def _new_column(self, variant: Variant) -> CompareColumn:
        col = CompareColumn(variant)
        col.run_requested.connect(self.run_one_requested)
        col.stop_requested.connect(self.stop_one_requested)
        col.use_requested.connect(self.use_requested)
        col.remove_requested.connect(self.remove_variant)
        col.variant_edited.connect(self._on_variant_edited)
        col.continue_requested.connect(self.continue_requested)
        col.loop_requested.connect(self.loop_requested)
        col.action_requested.connect(self.action_requested)
        col.raw_requested.connect(self.raw_requested)
        col.figures_changed.connect(self.update_figures)
        return col

    @staticmethod
    def _name(col: CompareColumn) -> str:
        return col.variant.name or f"Variant {col.variant.key}"

    def _on_variant_edited(self, edited: Variant, label: str, typing: bool) -> None:
        variants = [edited if v.key == edited.key else v for v in self.doc.workspace.variants]
        try:
            apply(self.doc.workspace, edited)  # an override that does not fit is refused here
            self.doc.set("variants", variants, label, coalesce=typing)
        except PathError as exc:  # an override that does not fit its field
            self.show_error(str(exc))
            self.sync()
            return
        self.show_error(None)

    def _on_doc_changed(self, path: str) -> None:
        if self.doc.workspace.mode == "compare" or self.columns:
            self.sync()

    def show_error(self, text: str | None) -> None:
        """Say under the header why the comparison cannot go on (None: nothing is wrong)."""
        if text is None:
            self.error.hide()
            return
        self.error.setText(f"✗ {text}")
        self.error.show()
