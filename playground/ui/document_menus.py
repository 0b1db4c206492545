"""The tabs' menu entries and dialogs: New, Open, Open Recent, Save, Save As, Close tab, Reopen
closed tab, Duplicate tab, the tab bar's context menu, and the offer of a last good copy."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QProcess, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from playground.core.document import Document
from playground.services.files import last_good_copy
from playground.services.session import TabRecord
from playground.ui.actions import Keys, key_sequences
from playground.ui.folders import dialog_folder, remember

if TYPE_CHECKING:
    from playground.ui.documents import Documents


class DocumentMenus:
    """Builds the File menu's tab entries and the tab bar's context menu for `documents`."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents
        window = documents.window
        menu = window.file_menu
        # these entries come first, before Import and Paste
        first = menu.actions()[0] if menu.actions() else None
        d = documents
        std = QKeySequence.StandardKey
        entries: list[tuple[str, tuple[Keys, ...], Callable[[], object], str]] = [
            ("&New", (std.New,), lambda: d.new(), "A new workspace"),
            ("&Open…", (std.Open,), self.open, "Open a workspace file"),
            ("&Save", (std.Save,), d.save, "Save the workspace"),
            ("Save &As…", (std.SaveAs,), self.save_as, "Save the workspace to a new file"),
            # every binding of the standard key too: Ctrl+W and Ctrl+F4 both close a tab
            ("&Close tab", ("Ctrl+W", std.Close), lambda: d.close_tab(d.current), "Close this tab"),
            (
                "Reopen closed &tab",
                ("Ctrl+Shift+T",),
                d.reopen_closed,
                "Bring back the last tab closed",
            ),
            ("&Duplicate tab", (), lambda: d.duplicate(), "A copy of this tab, not saved yet"),
        ]
        actions: list[QAction] = []
        for text, keys, slot, tip in entries:
            action = QAction(text, window)
            action.setShortcuts(key_sequences(keys))
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(slot)
            actions.append(action)
        self.actions = {a.text().replace("&", ""): a for a in actions}
        self.recent_menu = QMenu("Open &Recent", window)
        separator = QAction(window)
        separator.setSeparator(True)
        actions.insert(2, self.recent_menu.menuAction())
        actions.append(separator)
        if first is None:
            menu.addActions(actions)
        else:
            menu.insertActions(first, actions)
        bar = documents.bar
        bar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        bar.customContextMenuRequested.connect(self._tab_menu)
        self.fill_recent()

    def fill_recent(self) -> None:
        self.recent_menu.clear()
        for text in self.documents.record.recent:
            action = self.recent_menu.addAction(Path(text).name)
            action.setToolTip(text)
            action.setStatusTip(text)
            action.triggered.connect(lambda _=False, p=text: self.documents.open_path(Path(p)))
        self.recent_menu.setEnabled(bool(self.documents.record.recent))

    def open(self) -> None:
        window = self.documents.window
        start = dialog_folder(window, "open")
        dialog = QFileDialog(window, "Open workspace", start, "Workspaces (*.json)")
        dialog.fileSelected.connect(lambda p: remember(window, "open", p))
        dialog.fileSelected.connect(lambda p: self.documents.open_path(Path(p)))
        dialog.open()
        self.dialog = dialog

    def save_as(self, then_close: bool = False) -> None:
        """Ask where to save the current tab; `then_close`: close it once it is saved."""
        d = self.documents
        doc = d.current_document()
        if doc is None:
            return
        start = str(Path(dialog_folder(d.window, "save")) / (doc.tab.title + ".json"))
        dialog = QFileDialog(d.window, "Save workspace", start, "Workspaces (*.json)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")

        def chosen(path: str) -> None:
            remember(d.window, "save", path)
            if d.write(doc, Path(path)) and then_close and doc in d.docs:
                d.close_tab(d.docs.index(doc))

        dialog.fileSelected.connect(chosen)
        dialog.open()
        self.dialog = dialog

    def _tab_menu(self, pos: QPoint) -> None:
        index = self.documents.bar.tabAt(pos)
        if index >= 0:
            self.menu = self.tab_menu(index)
            self.menu.popup(self.documents.bar.mapToGlobal(pos))

    def tab_menu(self, index: int) -> QMenu:
        """The context menu of the tab at `index`."""
        d = self.documents
        path = d.docs[index].tab.path
        menu = QMenu(d.bar)
        menu.setToolTipsVisible(True)
        for text, tip, slot, enabled in (
            ("Close tab", "Close this tab (asks when it has unsaved changes)",
             lambda: d.close_tab(index), True),
            ("Close other tabs", "Close every other tab (each with unsaved changes asks)",
             lambda: self.close_others(index), len(d.docs) > 1),
            ("Duplicate tab", "A copy of this tab, not saved yet",
             lambda: d.duplicate(index), True),
            ("Reveal in file manager",
             "Show this tab's file in the file manager" if path
             else "This tab has not been saved to a file yet",
             lambda: reveal(Path(path)) if path else None, path is not None),
            ("Reopen closed tab", "Bring back the last tab closed", d.reopen_closed,
             bool(d.closed)),
        ):  # fmt: skip
            action = menu.addAction(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
        return menu

    def close_others(self, index: int) -> None:
        """Close every tab but the one at `index`; tabs with unsaved changes ask first."""
        d = self.documents
        keep = d.docs[index]
        for doc in [doc for doc in d.docs if doc is not keep]:
            if doc in d.docs:
                d.close_tab(d.docs.index(doc))


def reveal(path: Path) -> None:
    """Show `path` in the system's file manager: selected on macOS and Windows, its folder
    opened elsewhere (freedesktop file managers differ in how they select a file)."""
    if sys.platform == "darwin":
        QProcess.startDetached("open", ["-R", str(path)])
    elif sys.platform == "win32":
        QProcess.startDetached("explorer", ["/select,", str(path)])
    else:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def offer_last_good(documents: Documents, path: Path, problem: str) -> None:
    """Say that `path` could not be opened (it is left as it is) and offer its last good copy
    in a new tab when there is one."""
    window = documents.window
    good = last_good_copy(path)
    html = (
        f"⚠ <b>{path.name} could not be opened</b> (the file was left as it is): "
        + problem.replace("&", "&amp;").replace("<", "&lt;")
    )
    if good is None:
        window.show_banner(html)
        return

    def open_copy() -> None:
        tab = TabRecord(title=f"{path.stem} (last good copy)")
        documents.add(tab, Document(good, dirty=True))

    window.show_banner(html + "<br>A last good copy exists.", "Open last good copy", open_copy)
