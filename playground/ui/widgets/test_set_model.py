"""A test set as a Qt table model: a column per variable, then the expected columns, then the
note; one row per TestRow. Editable; rows can be inserted, removed, moved, duplicated and
pasted from a spreadsheet.

The TestSet (core/evaluation_spec.py) is the truth: the model keeps its rows in a list and
announces each change with the matching begin/end call, then `test_set_changed`, so its
owner can store `test_set()`. No widget per row: 10,000 rows are 10,000 list items.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from playground.core.evaluation_spec import VARIABLE_NAME, TestRow, TestSet
from playground.core.test_sets import (
    EXPECTED,
    ID,
    header_of,
    merged,
    new_row_id,
    read_paste,
)

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole
"""data(index, ID_ROLE): the row's id."""
TIP_CHARS = 1000
NOTE = "note"


class TestSetModel(QAbstractTableModel):
    """The rows of one TestSet; see the module docstring."""

    __test__ = False

    test_set_changed = Signal()
    """The rows or columns changed (an edit, insert, remove, move, duplicate or paste)."""

    def __init__(self, test_set: TestSet | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._set = test_set or TestSet()
        self._rows: list[TestRow] = list(self._set.rows)

    # -- public --------------------------------------------------------------------------------

    def test_set(self) -> TestSet:
        """The test set as it is now."""
        return self._set.model_copy(update={"rows": list(self._rows)})

    def set_test_set(self, test_set: TestSet) -> None:
        """Show `test_set` instead (columns and rows); announces no change."""
        self.beginResetModel()
        self._set = test_set
        self._rows = list(test_set.rows)
        self.endResetModel()

    def set_columns(self, columns: list[str], expected: list[str]) -> None:
        """Show these variable and expected columns (e.g. the prompt's variables as they
        change). Rows keep every value they hold, shown or not, so a column that comes back
        brings its values back. Announces a change when the columns differ."""
        if columns == self._set.columns and expected == self._set.expected:
            return
        whole = self.test_set().model_copy(update={"columns": columns, "expected": expected})
        self.set_test_set(TestSet.model_validate(whole.model_dump()))
        self.test_set_changed.emit()

    def follow(self, test_set: TestSet) -> None:
        """Show `test_set` (the Document's, after an undo or another tab's edit) with the least
        redraw: the rows that differ when the columns and row count stay, else everything.
        Announces no change."""
        same = (test_set.columns, test_set.expected) == (self._set.columns, self._set.expected)
        if not same or len(test_set.rows) != len(self._rows):
            self.set_test_set(test_set)
            return
        old, self._set, self._rows = self._rows, test_set, list(test_set.rows)
        moved = [i for i, (a, b) in enumerate(zip(old, self._rows, strict=True)) if a != b]
        if moved:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(moved[0], 0), self.index(moved[-1], last))

    def column_problem(self, name: str, expected: bool) -> str | None:
        """Why `name` cannot be a new variable or `expected` column's name (None: it can):
        a file's header could not tell it from the id, the note or an expected column."""
        if not VARIABLE_NAME.fullmatch(name):
            return f"“{name}” is not a column name: use letters, digits, _, . or -"
        if name in (*self._set.columns, *self._set.expected):
            return f"There is a column “{name}” already"
        if name in (ID, NOTE) or (not expected and name.startswith(EXPECTED)):
            return f"“{name}” is kept for the id, the note or expected values"
        return None

    def add_column(self, expected: bool, name: str) -> None:
        """A new empty variable or expected column at the end of its kind."""
        cols, exp = list(self._set.columns), list(self._set.expected)
        (exp if expected else cols).append(name)
        self.set_columns(cols, exp)

    def rename_column(self, expected: bool, old: str, new: str) -> None:
        """Rename a column; every row's value moves to the new name."""
        cols, exp = list(self._set.columns), list(self._set.expected)
        names = exp if expected else cols
        names[names.index(old)] = new
        field = "expected" if expected else "values"

        def moved(row: TestRow) -> TestRow:
            cells = getattr(row, field)
            if old not in cells:
                return row
            return row.model_copy(
                update={field: {new if k == old else k: v for k, v in cells.items()}}
            )

        rows = [moved(r) for r in self._rows]
        self.set_test_set(
            self._set.model_copy(update={"columns": cols, "expected": exp, "rows": rows})
        )
        self.test_set_changed.emit()

    def remove_column(self, expected: bool, name: str) -> None:
        """Remove a column and every row's value in it."""
        field = "expected" if expected else "values"
        cols = [c for c in self._set.columns if expected or c != name]
        exp = [c for c in self._set.expected if not expected or c != name]

        def without(row: TestRow) -> TestRow:
            cells = getattr(row, field)
            if name not in cells:
                return row
            return row.model_copy(update={field: {k: v for k, v in cells.items() if k != name}})

        rows = [without(r) for r in self._rows]
        self.set_test_set(
            self._set.model_copy(update={"columns": cols, "expected": exp, "rows": rows})
        )
        self.test_set_changed.emit()

    def row_id(self, row: int) -> str:
        return self._rows[row].id

    def column_kind(self, column: int) -> tuple[str, str]:
        """("variable"|"expected", NAME) or ("note", "")."""
        variables, expected = self._set.columns, self._set.expected
        if column < len(variables):
            return "variable", variables[column]
        if column < len(variables) + len(expected):
            return "expected", expected[column - len(variables)]
        return NOTE, ""

    def duplicate_rows(self, rows: list[int]) -> list[int]:
        """A copy (with a new id) of each of `rows` right after it; the copies' rows."""
        taken = {r.id for r in self._rows}
        placed: list[int] = []
        for offset, row in enumerate(sorted(set(rows))):
            at = row + offset + 1
            source = self._rows[at - 1]  # the copy's id: its content's, numbered ("-2")
            copy = source.model_copy(
                update={"id": new_row_id(taken, source.values, source.expected)}
            )
            taken.add(copy.id)
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.insert(at, copy)
            self.endInsertRows()
            placed.append(at)
        if placed:
            self.test_set_changed.emit()
        return placed

    def move_row(self, row: int, to: int) -> bool:
        """Move one row so that it ends up at `to` (both 0-based, in range)."""
        if row == to or not (0 <= row < len(self._rows)) or not (0 <= to < len(self._rows)):
            return False
        return self.moveRows(QModelIndex(), row, 1, QModelIndex(), to + 1 if to > row else to)

    def paste(self, text: str, at: int | None = None) -> int:
        """Rows pasted from a spreadsheet inserted at `at` (the end when None); how many.
        Raises core.test_sets.TestSetError (it names the line) and then changes nothing."""
        incoming = read_paste(text, self.test_set())
        if not incoming.rows:
            return 0
        where = len(self._rows) if at is None else max(0, min(at, len(self._rows)))
        whole = merged(self.test_set(), incoming, where)
        if whole.columns != self._set.columns or whole.expected != self._set.expected:
            self.set_test_set(whole)  # new columns: everything moves
        else:
            last = where + len(incoming.rows) - 1
            self.beginInsertRows(QModelIndex(), where, last)
            self._rows = list(whole.rows)
            self.endInsertRows()
        self.test_set_changed.emit()
        return len(incoming.rows)

    # -- Qt overrides --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._set.columns) + len(self._set.expected) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        text = self._text(row, index.column())
        if role == Qt.ItemDataRole.DisplayRole and "\n" in text:
            return text.replace("\r\n", "\n").replace("\n", " ⏎ ")
        if role == Qt.ItemDataRole.ToolTipRole:
            return (text[:TIP_CHARS] + "…" if len(text) > TIP_CHARS else text) or None
        return text

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not isinstance(value, str):
            return False
        r = index.row()
        row = self._rows[r]
        kind, name = self.column_kind(index.column())
        if kind == "variable":
            cells = _ordered({**row.values, name: value}, self._set.columns)
            row = row.model_copy(update={"values": cells})
        elif kind == "expected":
            cells = _ordered({**row.expected, name: value}, self._set.expected)
            row = row.model_copy(update={"expected": cells})
        else:
            row = row.model_copy(update={"note": value})
        if row == self._rows[r]:
            return True
        self._rows[r] = row
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.test_set_changed.emit()
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= section < self.columnCount():
            return None
        kind, name = self.column_kind(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return NOTE if kind == NOTE else header_of(name, kind == "expected")
        if role == Qt.ItemDataRole.ToolTipRole:
            if kind == "variable":
                return f"The value of {{{{{name}}}}} in this row"
            if kind == "expected":
                return f"An expected value: graders use it as {{{{{header_of(name, True)}}}}}"
            return "A note about this row (not sent)"
        return None

    def insertRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or count < 1 or not 0 <= row <= len(self._rows):
            return False
        taken = {r.id for r in self._rows}
        fresh = []
        for _ in range(count):
            fresh.append(TestRow(id=new_row_id(taken)))
            taken.add(fresh[-1].id)
        self.beginInsertRows(QModelIndex(), row, row + count - 1)
        self._rows[row:row] = fresh
        self.endInsertRows()
        self.test_set_changed.emit()
        return True

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or count < 1 or row < 0 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        self.endRemoveRows()
        self.test_set_changed.emit()
        return True

    def moveRows(self, source: Index, row: int, count: int, destination: Index, child: int) -> bool:
        """Qt's move: rows [row, row+count) go before `child` (indices before the move)."""
        if source.isValid() or destination.isValid() or count < 1:
            return False
        if row < 0 or row + count > len(self._rows) or not 0 <= child <= len(self._rows):
            return False
        if row <= child <= row + count:  # onto itself
            return False
        if not self.beginMoveRows(QModelIndex(), row, row + count - 1, QModelIndex(), child):
            return False
        moving = self._rows[row : row + count]
        del self._rows[row : row + count]
        at = child - count if child > row else child
        self._rows[at:at] = moving
        self.endMoveRows()
        self.test_set_changed.emit()
        return True

    # -- private -------------------------------------------------------------------------------

    def _text(self, row: TestRow, column: int) -> str:
        kind, name = self.column_kind(column)
        if kind == "variable":
            return row.values.get(name, "")
        if kind == "expected":
            return row.expected.get(name, "")
        return row.note


def _ordered(cells: dict[str, str], order: list[str]) -> dict[str, str]:
    """`cells` in the table's column order, then any hidden ones: `{{expected}}` reads the
    first expected value (core/graders.py), which must be the first column's."""
    shown = {n: cells[n] for n in order if n in cells}
    return {**shown, **{n: v for n, v in cells.items() if n not in shown}}
