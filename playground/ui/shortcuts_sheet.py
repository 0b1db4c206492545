"""Help > Keyboard shortcuts: every action of the menus (and the window's other actions with
keys), then the keys that work in one part of the window only (QShortcuts made by
actions.make_shortcut: find next and previous in the conversation, the test set's rows),
with their shortcuts in the platform's notation, filtered as you type. Built from the
actions and shortcuts themselves, so it cannot drift from what the keys do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDialog, QHeaderView, QLineEdit, QTableView, QVBoxLayout

from playground.ui.actions import PLACE, walk

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

COLUMNS = ("Action", "Keys", "Menu")


def keys_text(action: QAction) -> str:
    """The action's shortcuts as the platform writes them (⌘ on macOS), leaving out the
    dedicated keys of some keyboards (Copy, Save, Zoom In, Help..., with a modifier or not)
    that the standard keys add: "Shift+Save" is no key a user can press."""
    return sequences_text(action.shortcuts())


def sequences_text(sequences: list[QKeySequence]) -> str:
    """`sequences` as the platform writes them, the dedicated keys left out (see keys_text)."""
    native = QKeySequence.SequenceFormat.NativeText
    return ", ".join(s.toString(native) for s in sequences if not _dedicated(s))


def _dedicated(sequence: QKeySequence) -> bool:
    combos = [sequence[i] for i in range(sequence.count())]  # type: ignore[index]
    return any(c.key().value >= Qt.Key.Key_Help.value for c in combos)


def entries(window: MainWindow) -> list[tuple[str, str, str]]:
    """(action, keys, menu) for every menu action, then the window's other actions with keys,
    then each named QShortcut in the window (its place as the menu) that adds a key: one of
    every tab's conversation is listed once, and one whose keys an action has is left out."""
    seen: set[int] = set()
    rows: list[tuple[str, str, str]] = []
    for path, action in walk(window.menuBar()):
        seen.add(id(action))
        rows.append((_label(action), keys_text(action), path))
    for action in window.actions():
        if id(action) not in seen and action.shortcuts():
            rows.append((_label(action), keys_text(action), "Window"))
    listed = {key for row in rows for key in row[1].split(", ")}
    for shortcut in window.findChildren(QShortcut):
        keys = sequences_text(shortcut.keys())
        place = shortcut.property(PLACE)
        if not shortcut.whatsThis() or not isinstance(place, str):
            continue
        row = (shortcut.whatsThis(), keys, place)
        if row not in rows and not set(keys.split(", ")) <= listed:
            rows.append(row)
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
        # every column as wide as its longest text over all rows (refresh), kept while
        # filtering: sized to the filtered rows, a filter that matched nothing shrank them
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        """Read the actions again (their names and keys may have changed)."""
        self.model.removeRows(0, self.model.rowCount())
        for row in entries(self.window_):
            self.model.appendRow([QStandardItem(text) for text in row])
        self.table.resizeColumnsToContents()
        self._fit_width()

    def _fit_width(self) -> None:
        """Wide enough that every column shows its longest text, up to the screen's width."""
        table = self.table
        columns = sum(table.sizeHintForColumn(c) for c in range(len(COLUMNS)))
        bar = table.verticalScrollBar().sizeHint().width()
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else None
        sides = margins.left() + margins.right() if margins is not None else 0
        needed = columns + bar + 2 * table.frameWidth() + sides + 8
        screen = self.screen().availableGeometry().width()
        self.resize(min(max(needed, self.width()), screen - 40), self.height())

    def rows(self) -> list[tuple[str, str, str]]:
        """The rows shown now, in their order."""
        proxy = self.proxy
        return [
            tuple(proxy.index(r, c).data() for c in range(len(COLUMNS)))  # type: ignore[misc]
            for r in range(proxy.rowCount())
        ]
