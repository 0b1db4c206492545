"""The test-set table with its buttons: add, delete, duplicate, move up and down, paste from a
spreadsheet, import and export.

A QTableView over TestSetModel (no widget per row). Files are not read or written here: the
view asks with `import_requested` / `export_requested` (a path), and its owner does the work
(services/test_set_files.py) and shows the result with `show_test_set` or `show_problem`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from playground.core.evaluation_spec import TestSet
from playground.core.test_sets import TestSetError
from playground.ui.actions import make_shortcut
from playground.ui.folders import document_folder, remember
from playground.ui.theme import accent
from playground.ui.widgets.flow_layout import FlowLayout
from playground.ui.widgets.test_set_columns import ColumnsMenu
from playground.ui.widgets.test_set_model import TestSetModel

T = TypeVar("T")
FOLDER_KIND = "test-set"
"""Import and export dialogs open in the last folder chosen for a test set (ui/folders.py)."""
IMPORT_FILTER = "Test sets (*.csv *.tsv *.tab *.jsonl *.ndjson);;All files (*)"
EXPORT_FILTER = "CSV (*.csv);;JSON lines (*.jsonl)"
COLUMNS_TIP = "Add, rename or remove the expected-value and variable columns"
EMPTY_TIP = (
    "No rows yet: add one, paste rows copied from a spreadsheet (a header line names the "
    "columns), or import a CSV or JSON-lines file"
)


class TestSetView(QWidget):
    """The test set of one workspace, as a table; see the module docstring."""

    __test__ = False

    test_set_changed = Signal()
    """The user changed the rows or columns: read `test_set()`."""
    import_requested = Signal(str)
    """Read the test set in this file (CSV, TSV or JSON lines) and show it."""
    export_requested = Signal(str)
    """Write the test set to this file (.jsonl: JSON lines, else CSV)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Callable[[], str | None] = lambda: None
        """The workspace file the test set belongs to (its dialogs start beside it)."""
        self.rows = TestSetModel(parent=self)
        self._batch = self._pending = False
        self.action = "Edit a test-set cell"
        """What the last `test_set_changed` is, in words (an undo step's label)."""
        self._setup_ui()
        self.rows.test_set_changed.connect(self._on_rows_test_set_changed)
        self.rows.modelReset.connect(self._show_count)
        self.rows.rowsInserted.connect(self._show_count)
        self.rows.rowsRemoved.connect(self._show_count)
        self._show_count()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.empty = QLabel(EMPTY_TIP + ".")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.table = QTableView()
        self.table.setModel(self.rows)
        self.table.setAccessibleName("Test set rows")
        self.table.setToolTip("One row per test case; double-click a cell to edit it")
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(160)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        corner = self.table.findChild(QAbstractButton)  # the table's select-all corner
        if corner is not None:
            corner.setAccessibleName("Select all rows")
            corner.setAccessibleDescription("Select every row of the test set")
        buttons = FlowLayout()  # wraps when the pane is narrow
        self.buttons: dict[str, QPushButton] = {}
        for key, label, tip, slot in (
            ("add", "Add row", "Add an empty row after the selected one", self._on_add),
            ("delete", "Delete", "Delete the selected rows", self._on_delete),
            ("duplicate", "Duplicate", "Copy the selected rows (with new ids)", self._on_duplicate),
            ("up", "Move up", "Move the selected row up", lambda: self._move(-1)),
            ("down", "Move down", "Move the selected row down", lambda: self._move(1)),
            ("paste", "Paste", "Paste rows copied from a spreadsheet", self._on_paste),
            (
                "import",
                "Import…",
                "Replace the rows with a CSV or JSON-lines file",
                self._on_import,
            ),
            ("export", "Export…", "Save the rows as CSV or JSON lines", self._on_export),
            ("columns", "Columns…", COLUMNS_TIP, self._on_columns),
        ):
            b = QPushButton(label)
            b.setToolTip(tip)
            b.setStatusTip(tip)
            b.setAccessibleDescription(tip)
            b.clicked.connect(slot)
            buttons.addWidget(b)
            self.buttons[key] = b
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.columns = ColumnsMenu(self)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu)
        only_table = Qt.ShortcutContext.WidgetShortcut
        std = QKeySequence.StandardKey
        make_shortcut(self.table, std.Paste, "Paste rows", "Test set", self._on_paste, only_table)
        make_shortcut(
            self.table, std.Delete, "Delete the selected rows", "Test set", self._on_delete,
            only_table,
        )  # fmt: skip

    # -- public --------------------------------------------------------------------------------

    def test_set(self) -> TestSet:
        return self.rows.test_set()

    def show_test_set(self, test_set: TestSet) -> None:
        """Show `test_set` (an import, or the workspace's); announces no change."""
        self.rows.set_test_set(test_set)
        self.status.clear()

    def show_problem(self, text: str) -> None:
        self.status.setText(f"⚠ {text}")
        self.status.setStyleSheet(f"color: {accent('error').name()};")

    def set_locked_columns(self, names: set[str]) -> None:
        """The variable columns the prompt uses: not renamed or removed here."""
        self.columns.locked = set(names)

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    def paste_text(self, text: str) -> None:
        """Paste spreadsheet text after the selected rows (at the end when none)."""
        chosen = self.selected_rows()
        at = chosen[-1] + 1 if chosen else None
        try:
            n = self.do("Paste test-set rows", lambda: self.rows.paste(text, at))
        except TestSetError as exc:
            self.show_problem(f"Nothing pasted: {exc}")
            return
        self.show_note(f"Pasted {n} row{'s' if n != 1 else ''}." if n else "Nothing to paste.")

    def do(self, action: str, work: Callable[[], T]) -> T:
        """Run `work` (changes to the rows or columns) as one change called `action`: one
        `test_set_changed` at the end, however many steps it took."""
        self._batch, self._pending = True, False
        try:
            result = work()
        finally:
            self._batch = False
        if self._pending:
            self.action = action
            self.test_set_changed.emit()
        return result

    # -- private slots -------------------------------------------------------------------------

    def _on_rows_test_set_changed(self) -> None:
        if self._batch:
            self._pending = True
            return
        self.action = "Edit a test-set cell"
        self.test_set_changed.emit()

    def _on_add(self) -> None:
        chosen = self.selected_rows()
        at = chosen[-1] + 1 if chosen else self.rows.rowCount()
        self.do("Add a test-set row", lambda: self.rows.insertRows(at, 1))
        self._select([at])
        self.table.setCurrentIndex(self.rows.index(at, 0))
        self.table.edit(self.rows.index(at, 0))

    def _on_delete(self) -> None:
        def work() -> None:
            for row in reversed(self.selected_rows()):
                self.rows.removeRows(row, 1)

        self.do("Delete test-set rows", work)

    def _on_duplicate(self) -> None:
        chosen = self.selected_rows()
        self._select(self.do("Duplicate test-set rows", lambda: self.rows.duplicate_rows(chosen)))

    def _move(self, step: int) -> None:
        chosen = self.selected_rows()
        if len(chosen) != 1:
            return
        to = chosen[0] + step
        if self.do("Move a test-set row", lambda: self.rows.move_row(chosen[0], to)):
            self._select([to])

    def _on_paste(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def _on_import(self) -> None:
        start = document_folder(self, FOLDER_KIND, self.document())
        dialog = QFileDialog(self, "Import a test set", start, IMPORT_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self._on_import_chosen)
        self.file_dialog = dialog
        dialog.open()

    def _on_import_chosen(self, path: str) -> None:
        remember(self, FOLDER_KIND, path)
        self.import_requested.emit(path)

    def _on_export_chosen(self, path: str) -> None:
        remember(self, FOLDER_KIND, path)
        self.export_requested.emit(path)

    def _on_columns(self) -> None:
        index = self.table.currentIndex()
        self.columns.show_for(index.column() if index.isValid() else -1, self.buttons["columns"])

    def _on_header_menu(self, pos: QPoint) -> None:
        header = self.table.horizontalHeader()
        self.columns.show_for(header.logicalIndexAt(pos), header, pos)

    def _on_export(self) -> None:
        start = str(Path(document_folder(self, FOLDER_KIND, self.document())) / "test-set.csv")
        dialog = QFileDialog(self, "Export the test set", start, EXPORT_FILTER)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(self._on_export_chosen)
        self.file_dialog = dialog
        dialog.open()

    # -- private -------------------------------------------------------------------------------

    def _select(self, rows: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            selection.select(self.rows.index(row, 0), flags)
        if rows:
            self.table.scrollTo(self.rows.index(rows[-1], 0))

    def set_loading(self, text: str | None) -> None:
        """While the rows are read ("Loading rows…"), the table says so and takes no edits."""
        self.empty.setText(text or EMPTY_TIP + ".")
        self.table.setEnabled(text is None)
        for button in self.buttons.values():
            button.setEnabled(text is None)

    def show_note(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("")

    def _show_count(self, *_args: object) -> None:
        n = self.rows.rowCount()
        self.empty.setVisible(n == 0)
        self.table.setToolTip(
            EMPTY_TIP if n == 0 else f"{n:,} rows; double-click a cell to edit it"
        )
