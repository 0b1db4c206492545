"""The line of Evaluate mode about earlier evaluations: "Compare with…" (the earlier
evaluations of this workspace), "Clear comparison", "Export results…", the line counting a
comparison's changes, and the offer to run the rest of an evaluation that stopped.

A dumb widget: it raises intents as signals and shows what it is handed; the count line
follows the matrix model it watches (its `earlier`, see ui/views/evaluate_compare.py).
ui/views/evaluate_history.py does the work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.ui.folders import document_folder, folders_of
from playground.ui.views.evaluate_compare import counts_text
from playground.ui.views.evaluate_model import MatrixModel

EXPORT_FILTERS = {"CSV (*.csv)": "csv", "JSON lines (*.jsonl)": "jsonl"}
"""The export dialog's filters and the format each chooses."""
PROMPT = "Compare with…"
COUNT_DELAY_MS = 150
"""Cells finishing fast are counted once per this many milliseconds, not once each."""


def _named(widget: QWidget, name: str, tip: str) -> None:
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(tip)
    widget.setToolTip(tip)


class EvaluationBar(QWidget):
    """See the module docstring."""

    compare_requested = Signal(str)
    """Compare the matrix with the earlier evaluation of this id."""
    comparison_cleared = Signal()
    export_requested = Signal(str, str)
    """(path, "csv" or "jsonl"): write the current evaluation's cells there."""
    resume_requested = Signal()
    """Run the cells the stopped evaluation has left."""
    discard_requested = Signal()
    """Forget the stopped evaluation (its cells are not run)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Callable[[], str | None] = lambda: None
        """The workspace file of the tab (Export results starts beside it)."""
        self._model: MatrixModel | None = None
        self.earlier = QComboBox()
        _named(
            self.earlier,
            "Compare with an earlier evaluation",
            "Mark each cell that passed then and fails now (a regression), or the other way",
        )
        self.earlier.addItem(PROMPT, None)
        self.earlier.activated.connect(self._on_earlier_activated)
        self.clear_button = QPushButton("Clear comparison")
        _named(self.clear_button, "Clear comparison", "Show the matrix without the comparison")
        self.clear_button.clicked.connect(self.comparison_cleared)
        self.export_button = QPushButton("Export results…")
        _named(
            self.export_button,
            "Export results",
            "Save every finished cell of this evaluation as CSV or JSON lines",
        )
        self.export_button.clicked.connect(self._on_export)
        self.counts = QLabel("")
        self.counts.setAccessibleName("Changes since the earlier evaluation")
        self.counts.setWordWrap(True)
        self.counts.setVisible(False)
        self.offer = QFrame()
        self.offer.setObjectName("banner")  # the look of the window's notices (style.qss)
        self.offer_text = QLabel("")
        self.offer_text.setWordWrap(True)
        self.resume_button = QPushButton("Run the rest")
        _named(self.resume_button, "Run the rest", "Run only the cells this evaluation has left")
        self.discard_button = QPushButton("Discard")
        _named(
            self.discard_button,
            "Discard the stopped evaluation",
            "Forget this evaluation: its cells are not run (the runs stay in the history)",
        )
        self.resume_button.clicked.connect(self.resume_requested)
        self.discard_button.clicked.connect(self.discard_requested)
        offer = QHBoxLayout(self.offer)
        offer.setContentsMargins(8, 4, 4, 4)
        offer.addWidget(self.offer_text, 1)
        offer.addWidget(self.resume_button)
        offer.addWidget(self.discard_button)
        self.offer.setVisible(False)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.earlier, 1)
        row.addWidget(self.clear_button)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.offer)
        layout.addLayout(row)
        layout.addWidget(self.counts)
        self._recount = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._recount.timeout.connect(self._show_counts)
        self.set_earlier([])
        self.set_exportable(False)

    # -- setters -----------------------------------------------------------------------------

    def watch(self, model: MatrixModel) -> None:
        """Count the changes of `model`'s cells (against its `earlier`) as they change."""
        self._model = model
        model.dataChanged.connect(self._recount.start)
        model.modelReset.connect(self._recount.start)

    def set_earlier(self, items: Sequence[tuple[str, str]]) -> None:
        """The earlier evaluations that can be compared with: (id, "1 Dec 05:10 · …")."""
        self.earlier.clear()
        self.earlier.addItem(PROMPT if items else "No earlier evaluation to compare with", None)
        for evaluation_id, text in items:
            self.earlier.addItem(text, evaluation_id)
        self.earlier.setEnabled(bool(items))

    def set_compared(self, evaluation_id: str | None) -> None:
        """Which earlier evaluation the matrix is compared with (None: none)."""
        found = self.earlier.findData(evaluation_id) if evaluation_id else -1
        self.earlier.setCurrentIndex(max(found, 0))
        self.clear_button.setEnabled(evaluation_id is not None)
        self._show_counts()

    def set_exportable(self, on: bool) -> None:
        self.export_button.setEnabled(on)

    def show_offer(self, text: str | None) -> None:
        """The offer to run the rest of a stopped evaluation (None: take it away)."""
        self.offer_text.setText(text or "")
        self.offer.setVisible(bool(text))

    # -- private slots -----------------------------------------------------------------------

    def _show_counts(self) -> None:
        earlier = self._model.earlier if self._model is not None else None
        self.clear_button.setEnabled(earlier is not None)
        if earlier is None or self._model is None:
            self.counts.setVisible(False)
            return
        self.counts.setText(counts_text(earlier, self._model.handed()))
        self.counts.setVisible(True)

    def _on_earlier_activated(self, index: int) -> None:
        evaluation_id = self.earlier.itemData(index)
        if evaluation_id:
            self.compare_requested.emit(evaluation_id)

    def _on_export(self) -> None:
        folder = document_folder(self, "export-runs", self.document())
        start = str(Path(folder) / "evaluation.csv")
        dialog = QFileDialog(self, "Export results", start, ";;".join(EXPORT_FILTERS))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda path: self._on_export_chosen(dialog, path))
        dialog.open()
        self.export_dialog = dialog

    def _on_export_chosen(self, dialog: QFileDialog, path: str) -> None:
        kind = EXPORT_FILTERS.get(dialog.selectedNameFilter(), "csv")
        if not path.lower().endswith(f".{kind}"):
            path = str(Path(path).with_suffix(f".{kind}"))
        folders = folders_of(self)
        if folders is not None:
            folders.remember("export-runs", path)
        self.export_requested.emit(path, kind)
