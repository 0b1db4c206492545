"""The test set's columns menu (the "Columns…" button, and the table header's context menu):
add an expected-value or variable column, rename or remove the one chosen.

The prompt's own variables (`locked`) are columns the table always shows: they are renamed in
the prompt, not here. A name is asked for in a QInputDialog opened with `open()` (never
`exec()`); a name that cannot be a column says why in the view's status line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from playground.core.test_sets import header_of

if TYPE_CHECKING:
    from playground.ui.widgets.test_set_view import TestSetView


class ColumnsMenu(QMenu):
    """See the module docstring; `show_for(column, anchor)` pops it up for a table column."""

    def __init__(self, view: TestSetView) -> None:
        super().__init__(view)
        self.setToolTipsVisible(True)
        self.setAccessibleName("Columns")
        self.setAccessibleDescription("Add, rename or remove the test set's columns")
        self.view = view
        self.locked: set[str] = set()
        """The variables the prompt uses."""
        self.dialog: QInputDialog | None = None
        """The name dialog that is open (tests answer it)."""

    def show_for(self, column: int, anchor: QWidget, pos: QPoint | None = None) -> None:
        """Fill the menu for table column `column` (-1: none) and pop it up under `anchor`
        (at `pos` in it, else below it)."""
        self.fill(column)
        where = pos if pos is not None else anchor.rect().bottomLeft()
        self.popup(anchor.mapToGlobal(where))

    def fill(self, column: int) -> None:
        """The actions for table column `column` (-1: no column chosen)."""
        self.clear()
        add = self.addAction("Add an expected column…")
        add.setToolTip("A column of expected values that graders read as {{expected.NAME}}")
        add.triggered.connect(lambda: self._ask("Add an expected column", "", self._adder(True)))
        var = self.addAction("Add a variable column…")
        var.setToolTip("A column of values for a {{NAME}} variable")
        var.triggered.connect(lambda: self._ask("Add a variable column", "", self._adder(False)))
        rows = self.view.rows
        if not 0 <= column < rows.columnCount():
            return
        kind, name = rows.column_kind(column)
        if kind == "note":
            return
        expected = kind == "expected"
        shown = header_of(name, expected)
        self.addSeparator()
        rename = self.addAction(f"Rename “{shown}”…")
        remove = self.addAction(f"Remove “{shown}”")
        if not expected and name in self.locked:
            why = f"The prompt uses {{{{{name}}}}}: rename or remove it there"
            for action in (rename, remove):
                action.setEnabled(False)
                action.setToolTip(why)
            return
        rename.triggered.connect(
            lambda: self._ask(f"Rename “{shown}”", name, self._renamer(expected, name))
        )
        remove.triggered.connect(
            lambda: self.view.do(
                f"Remove the column {shown}", lambda: rows.remove_column(expected, name)
            )
        )

    # -- private -------------------------------------------------------------------------------

    def _adder(self, expected: bool) -> Callable[[str], None]:
        def add(name: str) -> None:
            if not self._fits(name, expected):
                return
            shown = header_of(name, expected)
            self.view.do(
                f"Add the column {shown}", lambda: self.view.rows.add_column(expected, name)
            )

        return add

    def _renamer(self, expected: bool, old: str) -> Callable[[str], None]:
        def rename(name: str) -> None:
            if name == old or not self._fits(name, expected):
                return
            rows = self.view.rows
            self.view.do(
                f"Rename the column {header_of(old, expected)}",
                lambda: rows.rename_column(expected, old, name),
            )

        return rename

    def _fits(self, name: str, expected: bool) -> bool:
        problem = self.view.rows.column_problem(name, expected)
        if problem:
            self.view.show_problem(f"No column changed: {problem}")
        return problem is None

    def _ask(self, title: str, start: str, then: Callable[[str], None]) -> None:
        dialog = QInputDialog(self.view)
        dialog.setWindowTitle(title)
        dialog.setLabelText("Column name (letters, digits, _, . or -):")
        dialog.setTextValue(start)
        dialog.setAccessibleName(title)
        dialog.setAccessibleDescription("The column's name, as {{NAME}} reads it")
        dialog.textValueSelected.connect(lambda text: then(text.strip()))
        self.dialog = dialog
        dialog.open()
