"""Tabs of workspaces: New, Open, Save, Save As, Recent, Close; autosave and session restore.

Every change is autosaved (debounced) to the data dir, unsaved edits included, so the tabs come
back exactly as they were after a restart or a crash. A file that fails to load is never
overwritten; its last good copy is offered instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QTabBar

from playground.core.profiles import SIMULATOR
from playground.core.workspace import Workspace
from playground.services.files import (
    WorkspaceFileError,
    last_good_copy,
    load_workspace,
    save_workspace,
)
from playground.services.session import SessionRecord, SessionStore, TabRecord
from playground.ui.tab_notices import Notice, TabNotices

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

AUTOSAVE_MS = 800
MAX_RECENT = 10


@dataclass
class Document:
    tab: TabRecord
    ws: Workspace
    saved_json: str | None = None  # the file's content when it was last opened or saved
    _json: tuple[int, str] | None = None  # (id of ws, its JSON): serialising a big one is slow

    def text(self) -> str:
        """The workspace as file text, serialised once per workspace value."""
        if self._json is None or self._json[0] != id(self.ws):
            self._json = (id(self.ws), self.ws.to_json())
        return self._json[1]

    @property
    def dirty(self) -> bool:
        return self.text() != self.saved_json


class Documents(QObject):
    """Owns the tabs; the window shows the current document."""

    def __init__(self, window: MainWindow, store: SessionStore) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.docs: list[Document] = []
        self.current = -1
        self.record = store.load()
        self.notices = TabNotices(window.conversation.banner)
        window.documents = self
        self._untitled = 0
        self.bar = QTabBar()
        self.bar.setTabsClosable(True)
        self.bar.setMovable(False)
        self.bar.setDocumentMode(True)
        self.bar.setExpanding(False)
        self.bar.setToolTip("Open workspaces (Ctrl+Tab to switch)")
        window.central_layout.insertWidget(0, self.bar)
        self.bar.currentChanged.connect(self._on_tab_changed)
        self.bar.tabCloseRequested.connect(self.close_tab)
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._timer.timeout.connect(self._autosave_in_background)
        # one writer thread keeps the writes in order and the disk (fsync) off the GUI thread
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        window.workspace_changed.connect(self._on_edited)
        # bound methods (not lambdas): Qt drops them when this window goes away
        window.runs.busy_changed.connect(self._on_busy)
        self._build_menu()

    # -- public ------------------------------------------------------------------------------

    def restore(self, fallback: Workspace) -> None:
        """Bring back the tabs of the last session; `fallback` when there were none."""
        for tab in self.record.tabs:
            ws = self.store.read_tab(tab)
            if ws is None:
                continue
            saved = None
            if tab.path:
                try:
                    saved = load_workspace(Path(tab.path)).to_json()
                except WorkspaceFileError:
                    saved = None
            self._add(Document(tab, ws, saved), select=False)
        if not self.docs:
            self.new(fallback)
        else:
            self.select(min(max(self.record.current, 0), len(self.docs) - 1))

    def new(self, ws: Workspace | None = None) -> None:
        self._untitled += 1
        missing = self.window.provider.missing()  # then never OpenAI: the simulator
        name = SIMULATOR if missing else self.window.current_profile().name
        base = ws or Workspace(profile=name)
        doc = Document(TabRecord(title=f"Untitled {self._untitled}"), base, base.to_json())
        self._add(doc)

    def open_path(self, path: Path) -> bool:
        """Open a workspace file in a new tab (or switch to it); say what is wrong if it fails."""
        for i, doc in enumerate(self.docs):
            if doc.tab.path == str(path.resolve()):
                self.select(i)
                return True
        try:
            ws = load_workspace(path)
        except WorkspaceFileError as exc:
            self._offer_last_good(path, str(exc))
            return False
        tab = TabRecord(path=str(path.resolve()), title=path.name)
        self._add(Document(tab, ws, ws.to_json()))
        self._remember(path)
        return True

    def save(self) -> bool:
        doc = self._doc()
        if doc is None:
            return False
        if doc.tab.path is None:
            self.save_as()
            return False
        return self._write(doc, Path(doc.tab.path))

    def save_as(self) -> None:
        doc = self._doc()
        if doc is None:
            return
        dialog = QFileDialog(
            self.window, "Save workspace", doc.tab.title + ".json", "Workspaces (*.json)"
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(lambda p: self.save_to(Path(p)))
        dialog.open()

    def save_to(self, path: Path) -> bool:
        doc = self._doc()
        return doc is not None and self._write(doc, path)

    def select(self, index: int) -> None:
        self.bar.setCurrentIndex(index)
        if index == self.current:
            return
        self._on_tab_changed(index)

    def close_tab(self, index: int) -> None:
        doc = self.docs[index]
        self._sync()
        if doc.dirty and doc.tab.path is not None:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Unsaved changes",
                f"{doc.tab.title} has unsaved changes.",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                self.window,
            )
            box.finished.connect(lambda result: self._on_close_answer(index, result))
            box.open()
            return
        self._drop(index)

    def post_notice(
        self, html: str, action: str | None = None, callback: Callable[[], None] | None = None
    ) -> Document | None:
        """Show a notice that belongs to the current tab (and only to it); its document."""
        doc = self._doc()
        if doc is None:
            self.window.show_banner(html, action, callback)
            return None
        self.notices.post(doc.tab.id, Notice(html, action, callback))
        return doc

    def current_document(self) -> Document | None:
        return self._doc()

    def is_current(self, doc: Document) -> bool:
        return self._doc() is doc

    def autosave(self) -> None:
        """Write every tab and the session now (atomic writes; a crash leaves the last copy)."""
        self._drain()
        self._snapshot()()

    def close(self) -> None:
        """Write everything and stop the writer thread."""
        self.autosave()
        self._writer.shutdown(wait=True)

    def _drain(self) -> None:
        """Wait for the autosaves already queued."""
        self._writer.submit(lambda: None).result()

    def _autosave_in_background(self) -> None:
        self._writer.submit(self._snapshot())

    def _snapshot(self) -> Callable[[], None]:
        """The session as it stands now, as a job that writes it."""
        if shiboken6.isValid(self._timer):  # at shutdown the window may be gone already
            self._timer.stop()
        self._sync()
        tabs = []
        for doc in self.docs:
            doc.tab.dirty = doc.dirty
            tabs.append((doc.tab.id, doc.ws, doc.text()))
        self.record.tabs = [d.tab for d in self.docs]
        self.record.current = max(self.current, 0)
        record = self.record.model_copy(deep=True)
        store = self.store

        def write() -> None:
            try:
                for tab_id, ws, text in tabs:
                    store.write_tab(tab_id, ws, text)
                store.save(record)
            except OSError as exc:  # the next autosave tries again; the log says why
                log.warning("autosave failed: %s", exc)

        return write

    # -- private -----------------------------------------------------------------------------

    def _on_busy(self, busy: bool) -> None:
        self.bar.setEnabled(not busy)

    def _doc(self) -> Document | None:
        return self.docs[self.current] if 0 <= self.current < len(self.docs) else None

    def _add(self, doc: Document, select: bool = True) -> None:
        self._sync()
        self.docs.append(doc)
        self.bar.blockSignals(True)
        self.bar.addTab(doc.tab.title)
        self.bar.blockSignals(False)
        self._retitle(len(self.docs) - 1)
        if select:
            self.select(len(self.docs) - 1)
        self._timer.start()

    def _drop(self, index: int) -> None:
        doc = self.docs.pop(index)
        self.notices.drop(doc.tab.id)
        self._drain()  # a queued autosave must not bring the file back
        self.store.forget_tab(doc.tab.id)
        self.bar.blockSignals(True)
        self.bar.removeTab(index)
        self.bar.blockSignals(False)
        self.current = -1
        if not self.docs:
            self.new()
        else:
            self.select(min(index, len(self.docs) - 1))
        self.autosave()

    def _on_close_answer(self, index: int, result: int) -> None:
        if result == QMessageBox.StandardButton.Cancel:
            return
        if result == QMessageBox.StandardButton.Save and not self._write_index(index):
            return
        self._drop(index)

    def _write_index(self, index: int) -> bool:
        doc = self.docs[index]
        return doc.tab.path is not None and self._write(doc, Path(doc.tab.path))

    def _write(self, doc: Document, path: Path) -> bool:
        self._sync()
        try:
            save_workspace(path, doc.ws, doc.text())
        except OSError as exc:
            self.post_notice(f"⚠ <b>Could not save {path}:</b> {exc.strerror or exc}")
            return False
        doc.tab.path, doc.tab.title, doc.saved_json = (
            str(path.resolve()),
            path.name,
            doc.text(),
        )
        self._retitle(self.docs.index(doc))
        self._remember(path)
        self.autosave()
        return True

    def _sync(self) -> None:
        """Take the window's current state into the current document."""
        doc = self._doc()
        if doc is not None and shiboken6.isValid(self.window):
            doc.ws = self.window.collect()

    def _on_tab_changed(self, index: int) -> None:
        if not 0 <= index < len(self.docs) or index == self.current:
            return
        self._sync()
        self.current = index
        self.window.load(self.docs[index].ws)
        self.notices.switch(self.docs[index].tab.id)
        self.window.setWindowTitle(f"{self.docs[index].tab.title} — Playground")

    def _on_edited(self) -> None:
        doc = self._doc()
        if doc is None:
            return
        doc.ws = self.window.ws
        self._retitle(self.current)
        self._timer.start()

    def _retitle(self, index: int) -> None:
        doc = self.docs[index]
        mark = " •" if doc.dirty else ""
        self.bar.setTabText(index, doc.tab.title + mark)
        self.bar.setTabToolTip(
            index,
            (doc.tab.path or "Not saved to a file yet")
            + (" (unsaved changes)" if doc.dirty else ""),
        )

    def _remember(self, path: Path) -> None:
        text = str(path.resolve())
        self.record.recent = [text] + [p for p in self.record.recent if p != text]
        self.record.recent = self.record.recent[:MAX_RECENT]
        self._fill_recent()

    def _offer_last_good(self, path: Path, problem: str) -> None:
        good = last_good_copy(path)
        html = (
            f"⚠ <b>{path.name} could not be opened</b> (the file was left as it is): "
            + problem.replace("&", "&amp;").replace("<", "&lt;")
        )
        if good is None:
            self.window.show_banner(html)
            return

        def open_copy() -> None:
            self._untitled += 1
            tab = TabRecord(title=f"{path.stem} (last good copy)")
            self._add(Document(tab, good, None))

        self.window.show_banner(
            html + "<br>A last good copy exists.", "Open last good copy", open_copy
        )

    def _build_menu(self) -> None:
        menu = self.window.file_menu
        # File menu: these entries come first, before Import and Paste
        first = menu.actions()[0] if menu.actions() else None
        entries = [
            ("&New", QKeySequence.StandardKey.New, lambda: self.new(), "A new workspace"),
            ("&Open…", QKeySequence.StandardKey.Open, self._on_open, "Open a workspace file"),
            ("&Save", QKeySequence.StandardKey.Save, self.save, "Save the workspace"),
            (
                "Save &As…",
                QKeySequence.StandardKey.SaveAs,
                self.save_as,
                "Save the workspace to a new file",
            ),
            (
                "&Close tab",
                QKeySequence.StandardKey.Close,
                lambda: self.close_tab(self.current),
                "Close this tab",
            ),
        ]
        actions: list[QAction] = []
        for text, keys, slot, tip in entries:
            action = QAction(text, self.window)
            action.setShortcut(QKeySequence(keys))
            action.setToolTip(tip)
            action.triggered.connect(slot)
            actions.append(action)
        self.recent_menu = QMenu("Open &Recent", self.window)
        separator = QAction(self.window)
        separator.setSeparator(True)
        actions.insert(2, self.recent_menu.menuAction())
        actions.append(separator)
        if first is None:
            menu.addActions(actions)
        else:
            menu.insertActions(first, actions)
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for text in self.record.recent:
            action = self.recent_menu.addAction(Path(text).name)
            action.setToolTip(text)
            action.triggered.connect(lambda _=False, p=text: self.open_path(Path(p)))
        self.recent_menu.setEnabled(bool(self.record.recent))

    def _on_open(self) -> None:
        dialog = QFileDialog(self.window, "Open workspace", "", "Workspaces (*.json)")
        dialog.fileSelected.connect(lambda p: self.open_path(Path(p)))
        dialog.open()


__all__ = ["Document", "Documents", "SessionRecord"]
