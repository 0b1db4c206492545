"""Tabs of workspaces: New, Open, Save, Save As, Recent, Close, Reopen, Duplicate; autosave and
session restore.

Each tab is a core `Document` (the one owner of its workspace, its drafts and its undo history)
shown by its own `WorkspaceView`. Every change is autosaved (debounced) to the data dir, unsaved
edits and half-typed drafts included, so the tabs come back exactly as they were after a restart
or a crash. A file that fails to load is never overwritten; its last good copy is offered.
Nothing is lost by closing: a tab with unsaved changes asks first, and the last ten closed tabs
can be reopened.
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
from PySide6.QtWidgets import QMessageBox

from playground.core.document import Document
from playground.core.profiles import SIMULATOR
from playground.core.workspace import Workspace
from playground.services.files import WorkspaceFileError, load_workspace, save_workspace
from playground.services.session import SessionRecord, SessionStore, TabRecord
from playground.ui.document_menus import DocumentMenus, offer_last_good
from playground.ui.tab_notices import Notice, TabNotices
from playground.ui.views.workspace_view import WorkspaceView
from playground.ui.widgets.common import html_text
from playground.ui.widgets.tab_bar import DocumentTabBar

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

AUTOSAVE_MS = 800
MAX_RECENT = 10
MAX_CLOSED = 10


@dataclass
class Tab:
    """One open tab: its session record, its Document and the view that shows it."""

    tab: TabRecord
    doc: Document
    view: WorkspaceView
    _json: tuple[Workspace, str] | None = None  # (a workspace, its JSON): big ones are slow

    @property
    def ws(self) -> Workspace:
        return self.doc.workspace

    def text(self) -> str:
        """The workspace as file text, serialised once per workspace value."""
        return self.text_of(self.doc.workspace)

    def text_of(self, ws: Workspace) -> str:
        """`ws` (now or earlier) as file text, the newest cached; safe from the autosave thread."""
        cached = self._json
        if cached is not None and cached[0] is ws:
            return cached[1]
        text = ws.to_json()
        self._json = (ws, text)
        return text

    @property
    def dirty(self) -> bool:
        return self.doc.dirty


class Documents(QObject):
    """Owns the tabs; the window shows the current tab's view."""

    def __init__(self, window: MainWindow, store: SessionStore) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.docs: list[Tab] = []
        self.closed: list[tuple[TabRecord, Document]] = []
        """The last closed tabs, newest last (Reopen closed tab)."""
        self.current = -1
        self.record = store.load()
        self.notices = TabNotices(window.banner)
        window.documents = self
        self._untitled = 0
        self.bar = DocumentTabBar()
        self.bar.setAccessibleDescription("Open workspaces: each tab is one request")
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
        self.menus = DocumentMenus(self)

    # -- public ------------------------------------------------------------------------------

    def restore(self, fallback: Workspace) -> None:
        """Bring back the tabs of the last session; `fallback` when there were none."""
        for tab in self.record.tabs:
            ws = self.store.read_tab(tab)
            if ws is None:
                continue
            dirty = tab.dirty or (tab.path is None and bool(tab.drafts))
            if tab.path:
                try:
                    on_disk = load_workspace(Path(tab.path), rows=bool(ws.test_set.rows))
                    dirty = on_disk.to_json() != ws.to_json()
                except WorkspaceFileError:
                    dirty = True
            doc = Document(ws, Path(tab.path) if tab.path else None, dirty=dirty)
            for path, text in tab.drafts.items():
                doc.set_draft(path, text)
            self.add(tab, doc, select=False).view.test_set.load_rows(doc.path)
        if not self.docs:
            self.new(fallback, dirty=False)  # the start's own tab: nothing the user did yet
        else:
            self.select(min(max(self.record.current, 0), len(self.docs) - 1))

    def new(self, ws: Workspace | None = None, title: str | None = None, dirty: bool = True) -> Tab:
        """A new tab (on `ws`, else an empty workspace on the current provider). One made from
        a workspace (an import, a fork, an example) is unsaved work unless `dirty` is False."""
        taken = {d.tab.title for d in self.docs} | {t.title for t, _ in self.closed}
        self._untitled += 1
        while f"Untitled {self._untitled}" in taken:  # restored tabs keep their names
            self._untitled += 1
        missing = self.window.provider.missing()  # then never OpenAI: the simulator
        name = SIMULATOR if missing else self.window.current_profile().name
        base = ws or Workspace(profile=name)
        tab = TabRecord(title=title or f"Untitled {self._untitled}")
        return self.add(tab, Document(base, dirty=dirty and ws is not None))

    def open_path(self, path: Path) -> bool:
        """Open a workspace file in a new tab (or switch to it); say what is wrong if it fails."""
        for i, doc in enumerate(self.docs):
            if doc.tab.path == str(path.resolve()):
                self.select(i)
                return True
        try:
            ws = load_workspace(path, rows=False)  # its rows file: read off the GUI thread
        except WorkspaceFileError as exc:
            offer_last_good(self, path, str(exc))
            return False
        tab = TabRecord(path=str(path.resolve()), title=path.name)
        self.add(tab, Document(ws, path.resolve())).view.test_set.load_rows(path.resolve())
        self.remember(path)
        return True

    def save(self) -> bool:
        doc = self._doc()
        if doc is None:
            return False
        if doc.tab.path is None:
            self.menus.save_as()
            return False
        return self.write(doc, Path(doc.tab.path))

    def save_to(self, path: Path) -> bool:
        doc = self._doc()
        return doc is not None and self.write(doc, path)

    def select(self, index: int) -> None:
        self.bar.setCurrentIndex(index)
        if index == self.current:
            return
        self._on_tab_changed(index)

    def close_tab(self, index: int) -> None:
        """Close a tab; one with unsaved changes asks first (Save, Discard, Cancel)."""
        doc = self.docs[index]
        doc.view.binder.flush()
        if not doc.dirty:
            self._drop(index)
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved changes",
            f"{doc.tab.title} has unsaved changes. Save them before closing?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.finished.connect(lambda result: self._on_close_answer(doc, result))
        box.open()
        self.close_box = box

    def reopen_closed(self) -> bool:
        """Bring back the tab closed last (its workspace, drafts and file); False if none."""
        if not self.closed:
            return False
        tab, doc = self.closed.pop()
        self.add(tab, doc)
        return True

    def duplicate(self, index: int | None = None) -> Tab:
        """A new, unsaved tab with a copy of a tab's workspace and drafts."""
        source = self.docs[self.current if index is None else index]
        source.view.binder.flush()
        copy = Document(source.ws, dirty=True)
        for path, text in source.doc.drafts.items():
            copy.set_draft(path, text)
        return self.add(TabRecord(title=f"{source.tab.title.removesuffix('.json')} (copy)"), copy)

    def post_notice(
        self, html: str, action: str | None = None, callback: Callable[[], None] | None = None
    ) -> Tab | None:
        """Show a notice that belongs to the current tab (and only to it); its tab."""
        doc = self._doc()
        if doc is None:
            self.window.show_banner(html, action, callback)
            return None
        self.notices.post(doc.tab.id, Notice(html, action, callback))
        return doc

    def current_document(self) -> Tab | None:
        return self._doc()

    def is_current(self, doc: Tab) -> bool:
        return self._doc() is doc

    def is_empty(self, doc: Tab) -> bool:
        """A tab with nothing in it yet: never saved, no messages, no instructions, no tools."""
        ws = doc.ws
        return (
            doc.tab.path is None
            and not ws.messages
            and not ws.instructions
            and not ws.tools
            and not doc.doc.drafts
        )

    def autosave(self) -> None:
        """Write every tab and the session now (atomic writes; a crash leaves the last copy)."""
        self._drain()
        self._snapshot()()

    def close(self) -> None:
        """Write everything and stop the writer thread."""
        self.autosave()
        self._writer.shutdown(wait=True)

    def write(self, doc: Tab, path: Path) -> bool:
        """Save a tab to `path`; a failure is said in the tab's notice."""
        doc.view.binder.flush()
        try:
            doc.doc.adopt(save_workspace(path, doc.ws, doc.text()))  # rows_file set
        except OSError as exc:
            self.post_notice(f"⚠ <b>Could not save {path}:</b> {exc.strerror or exc}")
            return False
        except WorkspaceFileError as exc:  # a newer Playground's file: never overwritten
            self.post_notice(f"⚠ <b>Could not save {path}:</b> {html_text(str(exc))}")
            return False
        doc.tab.path, doc.tab.title = str(path.resolve()), path.name
        doc.doc.mark_saved(path.resolve())
        self.retitle(doc)
        self.remember(path)
        self.autosave()
        return True

    def retitle(self, doc: Tab) -> None:
        index = self.docs.index(doc)
        mark = " •" if doc.dirty else ""
        self.bar.setTabText(index, doc.tab.title + mark)
        self.bar.setTabToolTip(
            index,
            (doc.tab.path or "Not saved to a file yet")
            + (" (unsaved changes)" if doc.dirty else ""),
        )
        close = self.bar.close_button(index)
        if close is not None:  # a screen reader says which tab it closes
            close.setAccessibleName(f"Close {doc.tab.title}")
        if index == self.current:
            self.window.setWindowTitle(f"{doc.tab.title}{mark} — Playground")

    def remember(self, path: Path) -> None:
        text = str(path.resolve())
        self.record.recent = [text] + [p for p in self.record.recent if p != text]
        self.record.recent = self.record.recent[:MAX_RECENT]
        self.menus.fill_recent()

    # -- private -----------------------------------------------------------------------------

    def _drain(self) -> None:
        """Wait for the autosaves already queued."""
        self._writer.submit(lambda: None).result()

    def _autosave_in_background(self) -> None:
        self._writer.submit(self._snapshot())

    def _snapshot(self) -> Callable[[], None]:
        """The session as it stands now, as a job that writes it."""
        if shiboken6.isValid(self._timer):  # at shutdown the window may be gone already
            self._timer.stop()
        tabs = []
        for doc in self.docs:
            if shiboken6.isValid(doc.view):
                doc.view.binder.flush()
            doc.tab.dirty = doc.dirty
            doc.tab.drafts = doc.doc.drafts
            tabs.append(doc)
        self.record.tabs = [d.tab for d in self.docs]
        self.record.current = max(self.current, 0)
        record = self.record.model_copy(deep=True)
        store = self.store
        # Serialising a big workspace takes a tenth of a second per 5 MB: the writer thread does
        # it (a workspace is immutable: every edit makes a new one), the GUI thread goes on.
        items = [(doc, doc.tab.id, doc.ws) for doc in tabs]

        def write() -> None:
            try:
                for doc, tab_id, ws in items:
                    store.write_tab(tab_id, ws, doc.text_of(ws))
                store.save(record)
            except OSError as exc:  # the next autosave tries again; the log says why
                log.warning("autosave failed: %s", exc)

        return write

    def _doc(self) -> Tab | None:
        return self.docs[self.current] if 0 <= self.current < len(self.docs) else None

    def add(self, tab: TabRecord, doc: Document, select: bool = True) -> Tab:
        view = WorkspaceView(doc, tab, self)
        entry = Tab(tab, doc, view)
        self.docs.append(entry)
        self.window.add_view(view)
        view.edited.connect(lambda e=entry: self._on_edited(e))
        doc.dirty_changed.connect(lambda _d, e=entry: self.retitle(e))
        self.bar.blockSignals(True)
        self.bar.addTab(tab.title)
        self.bar.blockSignals(False)
        self.retitle(entry)
        if select:
            self.select(len(self.docs) - 1)
        self._timer.start()
        return entry

    def _drop(self, index: int) -> None:
        doc = self.docs.pop(index)
        self.notices.drop(doc.tab.id)
        self.closed = [*self.closed, (doc.tab, doc.doc)][-MAX_CLOSED:]
        self.window.runs.stop(doc.tab.id)  # its runs have no tab to show them any more
        self._drain()  # a queued autosave must not bring the file back
        self.store.forget_tab(doc.tab.id)
        doc.view.close()
        self.bar.blockSignals(True)
        self.bar.removeTab(index)
        self.bar.blockSignals(False)
        self.current = -1
        if not self.docs:
            self.new()
        else:
            self.select(min(index, len(self.docs) - 1))
        self.autosave()

    def _on_close_answer(self, doc: Tab, result: int) -> None:
        if result == QMessageBox.StandardButton.Cancel or doc not in self.docs:
            return
        if result == QMessageBox.StandardButton.Save:
            if doc.tab.path is None:  # Save As first; the tab closes once it is saved
                self.select(self.docs.index(doc))
                self.menus.save_as(then_close=True)
                return
            if not self.write(doc, Path(doc.tab.path)):
                return
        self._drop(self.docs.index(doc))

    def _on_tab_changed(self, index: int) -> None:
        if not 0 <= index < len(self.docs) or index == self.current:
            return
        old = self._doc()
        if old is not None:
            old.view.binder.flush()
        self.current = index
        doc = self.docs[index]
        self.window.show_view(doc.view)
        self.notices.switch(doc.tab.id)
        self.retitle(doc)
        self.window.workspace_changed.emit()

    def _on_edited(self, doc: Tab) -> None:
        if doc in self.docs:
            self.retitle(doc)
            self._timer.start()


__all__ = ["Documents", "SessionRecord", "Tab"]
