"""The test-set table with its buttons (ui/widgets/test_set_view.py): what a person sees after
adding, deleting, duplicating, moving and pasting rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from playground.core.evaluation_spec import TestRow, TestSet
from playground.ui import theme
from playground.ui.widgets.test_set_model import ID_ROLE
from playground.ui.widgets.test_set_view import TestSetView
from tests.ui.conftest import SHOTS


@pytest.fixture
def view(qtbot: Any, qapp: QApplication) -> Iterator[TestSetView]:
    theme.apply(qapp, dark=False)
    v = TestSetView()
    qtbot.addWidget(v)
    v.resize(900, 500)
    v.show_test_set(
        TestSet(
            columns=["city"],
            expected=["answer"],
            rows=[TestRow(id=f"r{i}", values={"city": f"City {i}"}) for i in range(3)],
        )
    )
    v.show()
    yield v
    theme.apply(qapp, dark=False)


def shown(v: TestSetView) -> list[str]:
    return [v.rows.index(r, 0).data() for r in range(v.rows.rowCount())]


def select(v: TestSetView, *rows: int) -> None:
    chosen = v.table.selectionModel()
    chosen.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        chosen.select(v.rows.index(row, 0), flags)


def test_the_buttons_add_delete_duplicate_and_move_rows(view: TestSetView) -> None:
    changes: list[int] = []
    view.test_set_changed.connect(lambda: changes.append(1))
    select(view, 0)
    view.buttons["add"].click()
    assert shown(view) == ["City 0", "", "City 1", "City 2"]
    QApplication.sendEvent(view.table.focusWidget() or view.table, _escape())
    select(view, 1)
    view.buttons["delete"].click()
    assert shown(view) == ["City 0", "City 1", "City 2"]
    select(view, 2)
    view.buttons["up"].click()
    assert shown(view) == ["City 0", "City 2", "City 1"] and view.selected_rows() == [1]
    view.buttons["down"].click()
    assert shown(view) == ["City 0", "City 1", "City 2"]
    select(view, 0, 2)
    view.buttons["duplicate"].click()
    assert shown(view) == ["City 0", "City 0", "City 1", "City 2", "City 2"]
    ids = [view.rows.index(r, 0).data(ID_ROLE) for r in range(5)]
    assert len(set(ids)) == 5 and view.selected_rows() == [1, 4]
    assert len(changes) == 5
    assert view.test_set().rows[1].values == {"city": "City 0"}


def _escape() -> Any:
    from PySide6.QtGui import QKeyEvent

    return QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)


def test_paste_from_the_clipboard_and_a_bad_paste_says_why(view: TestSetView) -> None:
    select(view, 0)
    QApplication.clipboard().setText("Oslo\tOslo\nLima\tLima\n")
    view.buttons["paste"].click()
    assert shown(view) == ["City 0", "Oslo", "Lima", "City 1", "City 2"]
    assert view.status.text() == "Pasted 2 rows."
    view.paste_text("a\tb\tc\td\n")
    assert view.status.text().startswith("⚠ Nothing pasted: pasted text:1: 4 cells")
    assert view.rows.rowCount() == 5


def test_import_and_export_ask_their_owner(view: TestSetView, qtbot: Any) -> None:
    asked: list[str] = []
    view.import_requested.connect(asked.append)
    view.export_requested.connect(asked.append)
    view.import_requested.emit("/tmp/x.csv")  # what the file dialog's choice sends
    assert asked == ["/tmp/x.csv"]
    view.show_problem("x.csv:3: 4 cells, but the header names 3 columns")
    assert view.status.text().startswith("⚠ x.csv:3")
    view.show_test_set(TestSet())
    assert view.status.text() == "" and "No rows yet" in view.table.toolTip()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_test_set_screenshots(view: TestSetView, qapp: QApplication, dark: bool) -> None:
    """The table at 1366x768 with varied rows, for a person to look at."""
    theme.apply(qapp, dark=dark)
    rows = [
        TestRow(
            id=f"r{i}",
            values={"city": city, "question": f"What is the weather in {city}?"},
            expected={"answer": city, "unit": "°C"},
            note="two lines\nof note" if i == 1 else "",
        )
        for i, city in enumerate(["Paris", "Tokyo", "São Paulo", "Zürich", "Lagos"])
    ]
    view.show_test_set(
        TestSet(columns=["city", "question"], expected=["answer", "unit"], rows=rows)
    )
    view.resize(1366, 768)
    view.show_problem("rows.csv:7: the id “r3” is used on line 4 too")
    QApplication.processEvents()
    SHOTS.mkdir(exist_ok=True)
    assert view.grab().save(str(SHOTS / f"test-set-{'dark' if dark else 'light'}.png"))
    assert view.rows.index(1, 4).data() == "two lines ⏎ of note"
