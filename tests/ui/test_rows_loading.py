"""A workspace whose test set lives in a sibling `NAME.rows.jsonl` (issue 17, item 2): opening
it reads that file off the GUI thread (the Test set tab says "Loading rows…" and the window
goes on), a file that cannot be read is said in words at the Test set tab and in Evaluate mode,
and saving the workspace then never overwrites it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from playground.core.evaluation_spec import TestRow, TestSet
from playground.services.files import load_workspace, save_workspace
from playground.ui.views import test_set_tab
from playground.ui.views.test_set_tab import TestSetTab
from tests.ui.conftest import App, new_gate
from tests.ui.test_documents import reopen
from tests.ui.test_evaluate_mode import workspace

ROWS = 600


def saved(tmp_path: Path) -> Path:
    """big.json in Evaluate mode, its 600 rows in big.rows.jsonl beside it."""
    ws = workspace()
    rows = [TestRow(id=f"r{i}", values={"word": f"w{i}"}) for i in range(ROWS)]
    ts = TestSet(columns=["word"], rows=rows, rows_file="big.rows.jsonl")
    path = tmp_path / "big.json"
    save_workspace(path, ws.model_copy(update={"test_set": ts, "mode": "evaluate"}))
    assert load_workspace(path, rows=False).test_set.rows == []
    return path


def current_tab(app: App) -> TestSetTab:
    view = app.window.current_view
    assert view is not None
    return view.test_set


def open_file(app: App, path: Path) -> TestSetTab:
    docs = app.pg.documents
    assert docs is not None and docs.open_path(path)
    return current_tab(app)


def test_rows_load_off_the_gui_thread_and_the_window_goes_on(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved(tmp_path)
    gate, reading = new_gate(), threading.Event()
    real = test_set_tab.read_rows

    def held(where: Path) -> Any:  # the read waits for the test: a slow disk, no timing
        reading.set()
        gate.wait(10)
        return real(where)

    monkeypatch.setattr(test_set_tab, "read_rows", held)
    t = open_file(app, path)  # returns while the read is held
    app.qtbot.waitUntil(reading.is_set, timeout=5000)
    assert t.view.rows.rowCount() == 0 and t.view.empty.text() == "Loading rows…"
    assert not t.view.table.isEnabled() and not t.view.buttons["add"].isEnabled()
    view = app.window.current_view
    assert view is not None
    assert view.evaluate.error.text() == "Cannot run: The test set's rows are still loading"
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    app.qtbot.waitUntil(lambda: bool(ticks), timeout=2000)  # events are processed meanwhile
    view.doc.set("instructions", "Typed while the rows load")
    assert app.window.ws.instructions == "Typed while the rows load"
    tabs = app.window.setup_tabs
    bar = tabs.tabBar()
    tabs.setCurrentIndex(
        next(i for i in range(tabs.count()) if bar.accessibleTabName(i) == "Test set")
    )
    app.window.resize(1366, 768)
    app.qtbot.wait(50)
    app.shot(app.window, "test-set-loading-rows")  # for a person to look at

    gate.set()
    app.qtbot.waitUntil(lambda: t.view.rows.rowCount() == ROWS, timeout=5000)
    assert t.view.table.isEnabled() and t.view.buttons["add"].isEnabled()
    assert t.view.status.text() == f"{ROWS} rows read from big.rows.jsonl."
    assert app.window.ws.test_set.rows[0].values == {"word": "w0"}
    assert app.window.ws.instructions == "Typed while the rows load"  # kept
    assert view.doc.undo()  # the edit; the read is no undo step and no unsaved change
    assert view.doc.undo_label is None and not view.doc.dirty
    assert len(app.window.ws.test_set.rows) == ROWS and app.window.ws.instructions == ""
    assert not view.evaluate.error.isVisible()
    assert view.evaluate.matrix_model.rowCount() == ROWS


@pytest.mark.parametrize("fault", ["damaged", "missing"])
def test_rows_that_cannot_be_read_are_said_at_the_tab_and_never_overwritten(
    app: App, tmp_path: Path, fault: str
) -> None:
    path = saved(tmp_path)
    rows_file = tmp_path / "big.rows.jsonl"
    if fault == "damaged":
        lines = rows_file.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[2] = '{"id": "r2", "values": {"word": 3\n'  # cut short
        rows_file.write_text("".join(lines), encoding="utf-8")
        before = rows_file.read_bytes()
    else:
        rows_file.unlink()
    t = open_file(app, path)  # the workspace opens; its rows do not
    app.qtbot.waitUntil(lambda: t.view.status.text().startswith("⚠"), timeout=5000)
    said = t.view.status.text()
    assert said.startswith(f"⚠ The test set's rows could not be read: {rows_file}")
    if fault == "damaged":
        assert f"{rows_file}:3: not a test row" in said
    else:
        assert "cannot read the test set's rows: No such file or directory" in said
    assert said.endswith("saving the workspace does not overwrite it.")
    assert "Traceback" not in said and "Error(" not in said
    assert t.view.table.isEnabled()
    view = app.window.current_view
    assert view is not None
    assert view.evaluate.error.text().startswith("Cannot run: The test set's rows could not")

    view.doc.set("instructions", "An edit after the failed read")
    docs = app.pg.documents
    assert docs is not None and docs.save()
    on_disk = load_workspace(path, rows=False)
    assert on_disk.instructions == "An edit after the failed read"
    assert on_disk.test_set.rows_file == "big.rows.jsonl" and on_disk.test_set.rows == []
    if fault == "damaged":
        assert rows_file.read_bytes() == before  # left exactly as it was
        t.view.buttons["add"].click()  # a row typed now: saving it would overwrite the file
        assert len(app.window.ws.test_set.rows) == 1
        assert not docs.save()
        assert rows_file.read_bytes() == before
        assert "it is not overwritten" in app.window.banner.texts()[0]
    else:
        assert not rows_file.exists()  # nothing written in its place


def test_a_restored_tab_reads_its_rows_again(app: App, tmp_path: Path) -> None:
    path = saved(tmp_path)
    rows_file = tmp_path / "big.rows.jsonl"
    good = rows_file.read_bytes()
    rows_file.write_text("not json\n", encoding="utf-8")
    t = open_file(app, path)
    app.qtbot.waitUntil(lambda: t.view.status.text().startswith("⚠"), timeout=5000)
    rows_file.write_bytes(good)  # the user fixed the file, and restarts
    reopen(app)
    t = current_tab(app)
    app.qtbot.waitUntil(lambda: t.view.rows.rowCount() == ROWS, timeout=5000)
    view = app.window.current_view
    assert view is not None and not view.doc.dirty
