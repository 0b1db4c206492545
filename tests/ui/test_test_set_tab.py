"""The Test set setup tab in the window: rows added, edited, deleted and moved through the
Document (each one undo step), pasted from the clipboard, imported and exported, columns that
follow the prompt's variables, and a big test set saved in its sibling rows file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from playground.core.evaluation_spec import TestRow, TestSet
from playground.services.files import load_workspace
from playground.ui import theme
from playground.ui.views.test_set_tab import TestSetTab
from tests.ui.conftest import App
from tests.ui.test_documents import reopen


def tab(app: App, title: str = "Test set") -> TestSetTab:
    tabs = app.window.setup_tabs
    bar = tabs.tabBar()
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if bar.accessibleTabName(i) == title))
    app.qtbot.wait(20)
    return app.window.current_view.test_set


def cells(t: TestSetTab) -> list[list[str]]:
    model = t.view.rows
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def headers(t: TestSetTab) -> list[str]:
    m = t.view.rows
    return [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]


def with_rows(app: App, n: int, columns: tuple[str, ...] = ("city",)) -> TestSetTab:
    doc = app.window.current_view.doc
    rows = [TestRow(id=f"r{i}", values={c: f"{c}{i}" for c in columns}) for i in range(n)]
    doc.set("test_set", TestSet(columns=list(columns), expected=["answer"], rows=rows))
    return tab(app)


def test_add_edit_delete_and_move_rows_each_one_undo_step(app: App) -> None:
    w, bot = app.window, app.qtbot
    t = with_rows(app, 2)
    doc = w.current_view.doc
    assert headers(t) == ["city", "expected.answer", "note"]
    t.view.table.selectRow(0)
    t.view.buttons["add"].click()  # after the selected row, its first cell open for typing
    assert doc.undo_label == "Add a test-set row"
    assert [r.values.get("city") for r in w.ws.test_set.rows] == ["city0", None, "city1"]
    editor = t.view.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    bot.keyClicks(editor, "Lyon")
    bot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next loop turn
    bot.waitUntil(lambda: w.ws.test_set.rows[1].values == {"city": "Lyon"}, timeout=3000)
    assert doc.undo_label == "Edit a test-set cell"
    t.view.table.selectRow(1)
    t.view.buttons["up"].click()
    assert [r.values["city"] for r in w.ws.test_set.rows] == ["Lyon", "city0", "city1"]
    t.view.table.selectRow(0)
    t.view.table.selectionModel().select(
        t.view.rows.index(2, 0),
        t.view.table.selectionModel().SelectionFlag.Select
        | t.view.table.selectionModel().SelectionFlag.Rows,
    )
    t.view.buttons["delete"].click()  # two rows: one step
    assert cells(t) == [["city0", "", ""]]
    assert doc.undo_label == "Delete test-set rows"
    bot.keyClick(t.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [row[0] for row in cells(t)] == ["Lyon", "city0", "city1"]
    doc.undo()  # the move
    assert [row[0] for row in cells(t)] == ["city0", "Lyon", "city1"]
    doc.undo()  # the cell
    assert [row[0] for row in cells(t)] == ["city0", "", "city1"]
    doc.undo()  # the row
    assert [row[0] for row in cells(t)] == ["city0", "city1"]
    doc.redo()
    assert t.view.rows.rowCount() == 3


def test_paste_tsv_from_the_clipboard_adds_rows_and_columns(app: App) -> None:
    w = app.window
    t = with_rows(app, 1)
    QGuiApplication.clipboard().setText("city\texpected.answer\tcountry\nOslo\tcold\tNO\n")
    t.view.table.clearSelection()
    t.view.buttons["paste"].click()
    assert "Pasted 1 row" in t.view.status.text()
    assert headers(t) == ["city", "country", "expected.answer", "note"]
    assert cells(t)[-1] == ["Oslo", "NO", "cold", ""]
    assert w.ws.test_set.rows[-1].expected == {"answer": "cold"}
    w.current_view.doc.undo()
    assert headers(t) == ["city", "expected.answer", "note"] and t.view.rows.rowCount() == 1


def test_a_csv_with_a_bad_line_says_which_and_keeps_the_rows(app: App, tmp_path: Path) -> None:
    w = app.window
    t = with_rows(app, 3)
    before = w.ws.test_set
    bad = tmp_path / "cases.csv"
    bad.write_text("city,expected\nParis,France\nRome,Italy,extra\n", encoding="utf-8")
    app.qtbot.waitUntil(t.import_file(bad).done, timeout=5000)
    text = t.view.status.text()
    assert "Nothing imported" in text and "cases.csv:3:" in text and "3 cells" in text
    assert "Traceback" not in text and "Error(" not in text
    assert w.ws.test_set == before and t.view.rows.rowCount() == 3


def test_export_then_import_round_trips(app: App, tmp_path: Path) -> None:
    w = app.window
    t = with_rows(app, 4, ("city", "day"))
    doc = w.current_view.doc
    doc.set("test_set.rows[1].note", 'a, "quoted"\nnote')
    for i in range(4):  # an empty cell comes back as an empty value: give each one
        doc.set(f"test_set.rows[{i}].expected", {"answer": f"é{i}"})
    kept = w.ws.test_set
    for name in ("cases.csv", "cases.jsonl"):
        target = tmp_path / name
        app.qtbot.waitUntil(t.export_file(target).done, timeout=5000)
        assert "Exported 4 rows" in t.view.status.text()
        doc.set("test_set", TestSet())
        assert t.view.rows.rowCount() == 0
        app.qtbot.waitUntil(t.import_file(target).done, timeout=5000)
        assert w.ws.test_set == kept, name
        assert doc.undo_label == f"Import {name}"
        assert cells(t)[1][-1] == 'a, "quoted" ⏎ note'


def test_columns_follow_a_variable_typed_in_a_message(app: App) -> None:
    w, bot = app.window, app.qtbot
    t = tab(app)
    assert headers(t) == ["note"]
    editor = w.conversation.cards[0].editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    bot.keyClicks(editor, " In {{city}} on {{day}}?")
    bot.waitUntil(lambda: headers(t) == ["city", "day", "note"], timeout=3000)
    assert w.ws.test_set.columns == []  # shown, not stored, until a row holds a value
    t.view.buttons["add"].click()
    assert w.ws.test_set.columns == ["city", "day"]
    t.view.rows.setData(t.view.rows.index(0, 0), "Paris")
    assert w.ws.test_set.rows[0].values == {"city": "Paris"}
    menu = t.view.columns
    menu.fill(0)  # a prompt variable: renamed in the prompt, not here
    assert [a.isEnabled() for a in menu.actions() if a.text().startswith(("Rename", "Remove"))] == [
        False,
        False,
    ]


def test_expected_columns_are_added_renamed_and_removed_each_undoable(app: App) -> None:
    w = app.window
    t = with_rows(app, 2)
    doc = w.current_view.doc
    menu = t.view.columns
    menu.fill(-1)
    next(a for a in menu.actions() if a.text().startswith("Add an expected")).trigger()
    assert menu.dialog is not None
    menu.dialog.setTextValue("note")
    menu.dialog.accept()
    assert "No column changed" in t.view.status.text() and "kept for" in t.view.status.text()
    menu.fill(-1)
    next(a for a in menu.actions() if a.text().startswith("Add an expected")).trigger()
    menu.dialog.setTextValue("unit")
    menu.dialog.accept()
    assert headers(t) == ["city", "expected.answer", "expected.unit", "note"]
    assert doc.undo_label == "Add the column expected.unit"
    t.view.rows.setData(t.view.rows.index(0, 1), "Paris")
    menu.fill(1)
    next(a for a in menu.actions() if a.text().startswith("Rename")).trigger()
    menu.dialog.setTextValue("capital")
    menu.dialog.accept()
    assert w.ws.test_set.expected == ["capital", "unit"]
    assert w.ws.test_set.rows[0].expected == {"capital": "Paris"}
    menu.fill(1)
    next(a for a in menu.actions() if a.text().startswith("Remove")).trigger()
    assert w.ws.test_set.expected == ["unit"] and w.ws.test_set.rows[0].expected == {}
    doc.undo()
    assert w.ws.test_set.rows[0].expected == {"capital": "Paris"}
    doc.undo()
    assert w.ws.test_set.rows[0].expected == {"answer": "Paris"}
    header = t.view.table.horizontalHeader()  # a right-click on a header: the same menu
    x = header.sectionViewportPosition(1) + 5
    header.customContextMenuRequested.emit(QPoint(x, 5))
    assert menu.isVisible()
    assert "Rename “expected.answer”…" in [a.text() for a in menu.actions()]
    menu.close()


def test_ten_thousand_rows_are_one_model_not_widgets(app: App) -> None:
    t = with_rows(app, 10_000)
    assert t.view.rows.rowCount() == 10_000
    assert len(t.view.findChildren(QWidget)) < 100  # no widget per row
    t.view.rows.setData(t.view.rows.index(9_999, 0), "last")
    assert app.window.ws.test_set.rows[-1].values["city"] == "last"


def test_a_big_test_set_is_saved_beside_the_workspace_and_comes_back(
    app: App, tmp_path: Path
) -> None:
    w = app.window
    t = with_rows(app, 600)
    docs = app.pg.documents
    target = tmp_path / "big.json"
    assert docs.save_to(target)
    assert (tmp_path / "big.rows.jsonl").exists()
    assert w.ws.test_set.rows_file == "big.rows.jsonl"  # the tab took what was saved
    assert not w.current_view.doc.dirty
    assert load_workspace(target).test_set.rows == w.ws.test_set.rows
    t.view.rows.setData(t.view.rows.index(0, 0), "edited")
    w.current_view.doc.undo()
    assert w.ws.test_set.rows_file == "big.rows.jsonl"  # an undo keeps where the rows live
    again = reopen(app)
    view = again.current_view
    assert view.test_set.view.rows.rowCount() == 600
    assert not view.doc.dirty, "the restored tab looks unsaved"
    assert view.doc.workspace.test_set.rows_file == "big.rows.jsonl"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_screenshots_of_both_tabs(app: App, qapp: QApplication, dark: bool) -> None:
    """Both tabs at 1366x768 with a test set and graders, for a person to look at."""
    theme.apply(qapp, dark=dark)
    w = app.window
    w.resize(1366, 768)
    w.conversation.cards[0].editor.setPlainText("What is the weather in {{city}} on {{day}}?")
    t = with_rows(app, 40, ("city", "day"))
    view = w.current_view
    view.doc.set("test_set.rows[0].expected", {"answer": "sunny"})
    view.doc.set("test_set.rows[1].note", "a note\non two lines")
    app.qtbot.waitUntil(lambda: headers(t)[:2] == ["city", "day"], timeout=3000)
    name = "dark" if dark else "light"
    app.shot(w, f"test-set-tab-{name}")
    graders = view.graders
    graders.add_grader("contains")
    app.qtbot.keyClicks(graders.editor.value, "{{expected}}")
    graders.add_grader("model_graded")
    app.qtbot.keyClicks(graders.editor.rubric, 'The answer mentions "{{city}}".')
    tab(app, "Graders")
    app.qtbot.wait(50)
    app.shot(w, f"graders-tab-{name}")
    assert graders.editor.isVisible()


def test_import_and_export_dialogs_share_the_test_set_folder(app: App, tmp_path: Path) -> None:
    w = app.window
    t = with_rows(app, 2)
    t.view.buttons["export"].click()
    dialog = t.view.file_dialog
    assert dialog.isVisible() and dialog.directory().absolutePath() == str(Path.home())
    dialog.fileSelected.emit(str(tmp_path / "cases.jsonl"))
    dialog.close()
    app.qtbot.waitUntil(lambda: "Exported 2 rows" in t.view.status.text(), timeout=5000)
    assert app.pg.settings.folders["test-set"] == str(tmp_path)
    w.current_view.doc.set("test_set", TestSet())
    t.view.buttons["import"].click()
    dialog = t.view.file_dialog
    assert dialog.directory().absolutePath() == str(tmp_path)
    dialog.fileSelected.emit(str(tmp_path / "cases.jsonl"))
    dialog.close()
    app.qtbot.waitUntil(lambda: t.view.rows.rowCount() == 2, timeout=5000)
    assert "Imported 2 rows from cases.jsonl" in t.view.status.text()
