"""The "Test set" setup tab: the test-set table bound to a tab's Document.

The Document is the truth. Every change made in the table (a cell, rows added, deleted,
moved, duplicated or pasted, a column added, renamed or removed, an import) is committed as
one undo step; the table follows the Document's events (an undo, a redo, a save that gave the
rows a file of their own) with the least redraw.

The table shows a column per variable the prompt uses (core.variables.names), then the test
set's own columns; a prompt variable becomes one of the test set's own columns when a row is
first edited. Files are read and written off the GUI thread (services/test_set_files.py); a
file that cannot be read says which line and why in the tab, and the rows stay as they were.
A workspace's own rows file (TestSet.rows_file) is read the same way when its tab opens
(`load_rows`): "Loading rows…" meanwhile; a file that cannot be read is said here and left as
it is (a test set with no rows in memory never writes its rows file).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from playground.core import variables
from playground.core.document import Document
from playground.core.evaluation_spec import TestSet
from playground.core.test_sets import TestSetError, column_role
from playground.services.test_set_files import (
    RowsFileError,
    export_test_set,
    import_test_set,
    read_rows,
    rows_path,
)
from playground.ui.controllers import tasks
from playground.ui.widgets.test_set_view import TestSetView


def shown_test_set(doc: Document) -> tuple[TestSet, list[str]]:
    """(the test set as the table shows it, the prompt's variables among its columns): the
    prompt's variables first, then the test set's own columns."""
    ws = doc.workspace
    own = ws.test_set
    used = [n for n in variables.names(ws) if column_role(n)[0] == "variable"]
    used = [n for n in used if n not in own.expected]
    columns = used + [c for c in own.columns if c not in used]
    if columns == own.columns:
        return own, used
    return own.model_copy(update={"columns": columns}), used


class TestSetTab(QObject):
    """Binds a TestSetView (`view`) to `doc`; see the module docstring."""

    __test__ = False
    rows_state_changed = Signal()
    """The rows file started or ended loading, or could not be read (`rows_problem`)."""

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.view = TestSetView()
        self.view.document = lambda: str(doc.path) if doc.path else None
        self.view.setAccessibleName("Test set")
        self.view.setAccessibleDescription(
            "The test cases: a column per variable, expected values and a note"
        )
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False
        self.rows_problem: str | None = None
        """Why the test set has no rows yet: they are loading, or their file cannot be read."""
        self.view.test_set_changed.connect(self._on_view_test_set_changed)
        self.view.import_requested.connect(self._on_view_import_requested)
        self.view.export_requested.connect(self._on_view_export_requested)
        doc.changed.connect(self._on_doc_changed)
        self.sync()

    def sync(self) -> None:
        """Show the Document's test set (does nothing when the table shows it already)."""
        shown, used = shown_test_set(self.doc)
        self.view.set_locked_columns(set(used))
        if shown != self.view.test_set():
            self.view.rows.follow(shown)

    def load_rows(self, workspace_path: Path | None) -> asyncio.Task[None] | None:
        """Read the rows of the test set's rows file (beside `workspace_path`) off the GUI
        thread, when the Document has none in memory; the task that does it."""
        ts = self.doc.workspace.test_set
        if workspace_path is None or ts.rows_file is None or ts.rows:
            return None
        self.rows_problem = "The test set's rows are still loading"
        self.view.set_loading("Loading rows…")
        self.rows_state_changed.emit()
        path = rows_path(workspace_path, ts.rows_file)
        return tasks.start(self._load(path), "reading a test set's rows", keep=self._tasks)

    def import_file(self, path: Path) -> asyncio.Task[None]:
        """Replace the rows with those of `path` (CSV, TSV or JSON lines), read off the GUI
        thread; the task that does it."""
        self.view.show_note(f"Reading {path.name}…")
        return tasks.start(self._import(path), "importing a test set", keep=self._tasks)

    def export_file(self, path: Path) -> asyncio.Task[None]:
        """Write the rows shown to `path` (.jsonl: JSON lines, else CSV) off the GUI thread."""
        shown = self.view.test_set()
        return tasks.start(self._export(path, shown), "exporting a test set", keep=self._tasks)

    def close(self) -> None:
        """The tab closed: stop following the Document."""
        self._closed = True
        self.doc.changed.disconnect(self._on_doc_changed)
        for task in list(self._tasks):
            task.cancel()

    # -- private slots -------------------------------------------------------------------------

    def _on_doc_changed(self, _path: str) -> None:
        self.sync()

    def _on_view_test_set_changed(self) -> None:
        ws = self.doc.workspace
        self.doc.commit(ws.model_copy(update={"test_set": self.view.test_set()}), self.view.action)

    def _on_view_import_requested(self, path: str) -> None:
        self.import_file(Path(path))

    def _on_view_export_requested(self, path: str) -> None:
        self.export_file(Path(path))

    # -- private -------------------------------------------------------------------------------

    async def _load(self, path: Path) -> None:
        try:
            rows = await asyncio.to_thread(read_rows, path)
        except RowsFileError as exc:
            if not self._closed:
                self.rows_problem = f"The test set's rows could not be read: {exc}"
                self.view.set_loading(None)
                self.view.show_problem(
                    f"{self.rows_problem}. The file is left as it is, and saving the "
                    "workspace does not overwrite it."
                )
                self.rows_state_changed.emit()
            return
        if self._closed:
            return
        self.rows_problem = None
        self.view.set_loading(None)
        self.rows_state_changed.emit()
        ws = self.doc.workspace
        if not ws.test_set.rows:  # read in: no undo step, nothing unsaved
            ts = ws.test_set.model_copy(update={"rows": rows})
            self.doc.adopt(ws.model_copy(update={"test_set": ts}))
        n = len(rows)
        self.view.show_note(f"{n:,} row{'s' if n != 1 else ''} read from {path.name}.")

    async def _import(self, path: Path) -> None:
        try:
            incoming = await asyncio.to_thread(import_test_set, path)
        except TestSetError as exc:
            if not self._closed:
                self.view.show_problem(f"Nothing imported: {exc}")
            return
        if self._closed:
            return
        ws = self.doc.workspace
        # the rows replace the table's; a test set that has a rows file keeps it
        kept = incoming.model_copy(update={"rows_file": ws.test_set.rows_file})
        self.doc.commit(ws.model_copy(update={"test_set": kept}), f"Import {path.name}")
        n = len(incoming.rows)
        self.view.show_note(f"Imported {n:,} row{'s' if n != 1 else ''} from {path.name}.")

    async def _export(self, path: Path, shown: TestSet) -> None:
        try:
            await asyncio.to_thread(export_test_set, path, shown)
        except OSError as exc:
            if not self._closed:
                self.view.show_problem(f"Could not export to {path}: {exc.strerror or exc}")
            return
        if not self._closed:
            n = len(shown.rows)
            self.view.show_note(f"Exported {n:,} row{'s' if n != 1 else ''} to {path.name}.")
