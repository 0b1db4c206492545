"""Help > Keyboard shortcuts: every action of the menus (and the window's other actions with
keys) with its shortcuts in the platform's notation, filtered as you type. Built from the
actions themselves, so it cannot drift from what the keys do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDialog, QHeaderView, QLineEdit, QTableView, QVBoxLayout

from playground.ui.actions import walk

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

COLUMNS = ("Action", "Keys", "Menu")


def keys_text(action: QAction) -> str:
    """The action's shortcuts as the platform writes them (⌘ on macOS), leaving out the
    dedicated keys of some keyboards (Copy, Zoom In, Help...) that the standard keys add."""
    native = QKeySequence.SequenceFormat.NativeText
    return ", ".join(s.toString(native) for s in action.shortcuts() if not _dedicated(s))


def _dedicated(sequence: QKeySequence) -> bool:
    combo = sequence[0]  # type: ignore[index]
    return combo.keyboardModifiers() == Qt.KeyboardModifier.NoModifier and (
        combo.key().value >= Qt.Key.Key_Help.value
    )


def entries(window: MainWindow) -> list[tuple[str, str, str]]:
    """(action, keys, menu) for every menu action, then the window's other actions with keys."""
    seen: set[int] = set()
    rows: list[tuple[str, str, str]] = []
    for path, action in walk(window.menuBar()):
        seen.add(id(action))
        rows.append((_label(action), keys_text(action), path))
    for action in window.actions():
        if id(action) not in seen and action.shortcuts():
            rows.append((_label(action), keys_text(action), "Window"))
    return rows


def _label(action: QAction) -> str:
    return action.text().replace("&", "").split("\t")[0].strip()


class ShortcutsSheet(QDialog):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to filter: an action, a key or a menu")
        self.filter.setClearButtonEnabled(True)
        self.filter.setToolTip("Shows the rows that contain the text, in any column")
        self.filter.setAccessibleName("Filter shortcuts")
        layout.addWidget(self.filter)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        """Read the actions again (their names and keys may have changed)."""
        self.model.removeRows(0, self.model.rowCount())
        for row in entries(self.window_):
            self.model.appendRow([QStandardItem(text) for text in row])

    def rows(self) -> list[tuple[str, str, str]]:
        """The rows shown now, in their order."""
        proxy = self.proxy
        return [
            tuple(proxy.index(r, c).data() for c in range(len(COLUMNS)))  # type: ignore[misc]
            for r in range(proxy.rowCount())
        ]
