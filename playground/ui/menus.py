"""The menu bar: File, Edit, View, Run and Help, following the platform's conventions (standard
keys, so macOS gets ⌘; Quit, Preferences and About in the places each platform expects them).

The tabs' entries (New, Open, Save...) come from DocumentMenus, Import and Paste from
RequestExchange, Undo and Redo from EditActions, Compare from CompareMode: this module adds the
rest, puts them in order, and keeps the Run menu's entries enabled as the current tab allows.
Quit (and closing the window from its title bar) asks first when a tab has unsaved changes or
a background run is going (the question says what becomes of the run: it goes on on the server
and is picked up at the next start, or, on the app's own simulator, ends with the app).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from playground.ui.actions import give_tips, make_action, walk
from playground.ui.diagnostics import Facts
from playground.ui.examples_menu import fill_examples
from playground.ui.help_menu import HelpMenu
from playground.ui.view_menu import ViewMenu

if TYPE_CHECKING:
    from playground.services.settings import Settings
    from playground.ui.documents import Documents
    from playground.ui.main_window import MainWindow

std = QKeySequence.StandardKey
MOCK_LIMIT = 10
"""Run with mocks: the most model turns the loop takes (the tool step's limit box default)."""


class WindowMenus(QObject):
    """See the module docstring."""

    def __init__(
        self,
        window: MainWindow,
        documents: Documents,
        settings: Settings,
        save_preference: Callable[[str, object], None],
        facts: Facts,
    ) -> None:
        super().__init__(window)
        self.window, self.documents = window, documents
        self._confirmed = False  # the user answered the unsaved-changes question: close
        self.quit_box: QMessageBox | None = None
        self._file_menu()
        self._edit_menu()
        self.view = ViewMenu(window, settings.theme, settings.zoom_percent, save_preference)
        self._run_menu()
        self.help = HelpMenu(window, facts)
        for _path, action in walk(window.menuBar()):
            give_tips(action, "")
        window.workspace_changed.connect(self.update)
        window.runs.busy_changed.connect(lambda _busy: self.update())
        window.runs.run_ended.connect(lambda _run: self.update())
        window.window_runs.evaluate.busy_changed.connect(self.update)  # an evaluation's Stop
        window.view_added.connect(lambda view: view.edited.connect(self.update))
        for view in (d.view for d in documents.docs):
            view.edited.connect(self.update)
        self.update()

    # -- File --------------------------------------------------------------------------------

    def _file_menu(self) -> None:
        w, menus = self.window, self.documents.menus
        menu = w.file_menu
        self.examples = QMenu("New from e&xample", w)
        self.examples.setToolTipsVisible(True)
        fill_examples(self.examples, w)
        self.examples.setEnabled(bool(self.examples.actions()))
        give_tips(self.examples.menuAction(), "A new tab on a ready-made example workspace")
        menu.insertMenu(menus.actions["Open…"], self.examples)
        give_tips(menus.recent_menu.menuAction(), "Open a workspace file opened before")
        self.export = make_action(
            w,
            "&Export…",
            "Save the request as code (Python, curl or JSON: the Code tab's choice)",
            self.export_code,
            ["Ctrl+E"],
        )
        entries = menu.actions()
        after_import = next(
            (
                entries[i + 1]
                for i, a in enumerate(entries[:-1])
                if a.text().replace("&", "").startswith("Import")
            ),
            None,
        )
        menu.insertAction(after_import, self.export)  # type: ignore[arg-type]
        menu.addSeparator()
        self.quit = make_action(
            w, "&Quit", "Quit Playground (asks first about unsaved tabs)", self.quit_app,
            [std.Quit, "Ctrl+Q"],
        )  # fmt: skip
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        menu.addAction(self.quit)

    def export_code(self) -> None:
        """Show the Code tab and ask where to save its code."""
        self.window.exchange.show_code()
        self.window.exchange.view.save_as()

    def quit_app(self) -> None:
        if self.may_close():
            self.window.close()

    def may_close(self) -> bool:
        """True when the window may close now. Otherwise (a tab has unsaved changes, or a
        background run is going) ask Save, Quit without saving (or Quit) or Cancel, and close
        once answered."""
        docs = self.documents.docs
        for doc in docs:
            doc.view.binder.flush()
        dirty = [d for d in docs if d.dirty]
        going = self._background_note()
        if self._confirmed or not (dirty or going):
            return True
        if dirty:
            names = ", ".join(d.tab.title for d in dirty[:5]) + (", …" if len(dirty) > 5 else "")
            count = "1 tab has" if len(dirty) == 1 else f"{len(dirty)} tabs have"
            title, text = (
                "Unsaved changes",
                f"{count} unsaved changes: {names}. Save them before quitting?",
            )
            buttons = QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            info = (
                "Save writes the tabs that have a file. Nothing is lost either way: unsaved "
                "tabs come back as they are the next time Playground starts."
            )
        else:
            title, text = "Background run going", "Quit while a background run goes on?"
            buttons = QMessageBox.StandardButton.Discard
            info = ""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            buttons | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setInformativeText("\n\n".join(t for t in (info, going) if t))
        discard = box.button(QMessageBox.StandardButton.Discard)
        discard.setText("Quit without saving" if dirty else "Quit")
        box.setDefaultButton(
            QMessageBox.StandardButton.Save if dirty else QMessageBox.StandardButton.Cancel
        )
        box.finished.connect(lambda result: self._on_quit_answer(result, dirty))
        box.open()
        self.quit_box = box
        return False

    def _background_note(self) -> str:
        """What quitting does to the background runs going on ("" when there is none)."""
        background = self.window.window_runs.background
        if background is None:
            return ""
        kept, lost = background.going()
        notes = []
        if kept:
            notes.append(
                f"{_runs(kept)} on the server: the job goes on there, and its tab picks it up "
                "the next time Playground starts (the server keeps it about ten minutes "
                "after it ends)."
            )
        if lost:
            names = ", ".join(sorted({r.profile.name for r in lost}))
            notes.append(
                f"{_runs(lost)} on the {names}: that simulator runs inside Playground, so the "
                "run ends with it and its answer so far is kept."
            )
        return " ".join(notes)

    def _on_quit_answer(self, result: int, dirty: list) -> None:
        if result == QMessageBox.StandardButton.Cancel:
            return
        if result == QMessageBox.StandardButton.Save:
            for doc in dirty:
                saved = doc in self.documents.docs and doc.tab.path is not None
                if saved and not self.documents.write(doc, Path(doc.tab.path)):
                    return  # its notice says why; the window stays
        self._confirmed = True
        self.window.close()

    # -- Edit --------------------------------------------------------------------------------

    def _edit_menu(self) -> None:
        w = self.window
        menu = w.edit_menu
        give_tips(w.undo_action, "Undo the last change to this tab (the menu names it)")
        give_tips(w.redo_action, "Redo the change undone last")
        # Compare is a way of viewing the tab: it moves to View (with the separator before it)
        entries = menu.actions()
        at = entries.index(w.compare.action) if w.compare.action in entries else -1
        for action in entries[max(at - 1, 0) :] if at >= 0 else []:
            if action is w.compare.action or action.isSeparator():
                menu.removeAction(action)
        menu.addSeparator()
        self.clipboard = {
            verb: make_action(w, text, tip, partial(self._on_focused, verb), [key])
            for verb, text, tip, key in (
                ("cut", "Cu&t", "Cut the selected text to the clipboard", std.Cut),
                ("copy", "&Copy", "Copy the selected text to the clipboard", std.Copy),
                ("paste", "&Paste", "Paste the clipboard's text here", std.Paste),
            )
        }
        menu.addActions(list(self.clipboard.values()))
        menu.aboutToShow.connect(self._update_clipboard)
        menu.addSeparator()
        self.find = make_action(
            w, "&Find…", "Find text in this tab's conversation", self.show_find, [std.Find]
        )
        self.add_message = make_action(
            w,
            "New &user message",
            "Add a user message at the end of the conversation",
            lambda: w.conversation.add_message("user"),
            ["Ctrl+M"],
        )
        self.preferences = make_action(
            w, "&Preferences…", "Providers, API keys and connection settings", w.open_providers,
            [std.Preferences, "Ctrl+,"],
        )  # fmt: skip
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
        menu.addActions([self.find, self.add_message])
        menu.addSeparator()
        menu.addAction(self.preferences)

    def show_find(self) -> None:
        """The current tab's find bar (WorkspaceView.show_find, when there is one)."""
        view = self.window.current_view
        show = getattr(view, "show_find", None)
        if callable(show):
            show()

    def _on_focused(self, verb: str) -> None:
        """Cut, copy or paste in the focused widget (a text field, an editor, a combo box's
        text), as its own keys would."""
        widget = QApplication.focusWidget()
        line_edit = getattr(widget, "lineEdit", None)
        if callable(line_edit) and line_edit() is not None:
            widget = line_edit()
        method = getattr(widget, verb, None)
        if callable(method):
            method()

    def _update_clipboard(self) -> None:
        widget = QApplication.focusWidget()
        line_edit = getattr(widget, "lineEdit", None)
        if callable(line_edit) and line_edit() is not None:
            widget = line_edit()
        read_only = bool(getattr(widget, "isReadOnly", lambda: False)())
        for verb, action in self.clipboard.items():
            able = callable(getattr(widget, verb, None))
            action.setEnabled(able and (verb == "copy" or not read_only))

    # -- Run ---------------------------------------------------------------------------------

    def _run_menu(self) -> None:
        w = self.window
        self.run_menu = w.menuBar().addMenu("&Run")
        self.run_menu.setToolTipsVisible(True)
        self.run = make_action(
            w, "&Run", "Send this tab's request; the answer is added after the last one",
            w.run, ["Ctrl+Return", "Ctrl+Enter"],
        )  # fmt: skip
        self.stop = make_action(
            w, "&Stop", "Stop this tab's runs, keeping their partial answers", w.stop, ["Escape"]
        )
        self.regenerate = w.window_runs.conversation_runs.regenerate_action
        self.with_mocks = make_action(
            w,
            "Run with &mocks",
            f"Run, answering every tool call with its mock output (and MCP approval requests, "
            f"when Mocks approve MCP is on), until the model answers (at most {MOCK_LIMIT} turns)",
            self.run_with_mocks,
            ["Ctrl+Alt+Return"],
        )
        self.continue_ = make_action(
            w,
            "&Continue",
            "Run on from an answer that stopped at the output-token limit",
            self.continue_answer,
        )
        self.run_menu.addActions([self.run, self.stop, self.regenerate])
        self.run_menu.addSeparator()
        self.run_menu.addActions([self.with_mocks, self.continue_])

    def run_with_mocks(self) -> None:
        view = self.window.current_view
        if view is not None:
            view.runner.mock_loop_requested.emit(MOCK_LIMIT)

    def continue_answer(self) -> None:
        view = self.window.current_view
        if view is not None and self.continue_.isEnabled():
            view.conversation.continue_requested.emit()

    def update(self) -> None:
        """Enable the Run menu's entries as the current tab allows."""
        w = self.window
        view = w.current_view
        if view is None:
            for action in (self.run, self.stop, self.with_mocks, self.continue_, self.find):
                action.setEnabled(False)
            return
        busy = w.runs.busy_for(view.tab.id) or w.window_runs.evaluate.busy(view)
        ws = view.doc.workspace
        last = ws.messages[-1] if ws.messages else None
        self.run.setEnabled(not busy)
        self.stop.setEnabled(busy)
        answers = ws.enabled_tools() or ws.enabled_custom_tools() or ws.enabled_mcp_tools()
        self.with_mocks.setEnabled(not busy and bool(answers))
        self.continue_.setEnabled(
            not busy and last is not None and last.role == "assistant" and last.finish == "length"
        )
        self.find.setEnabled(callable(getattr(view, "show_find", None)))


def _runs(runs: list) -> str:
    return (
        "A background run is going" if len(runs) == 1 else f"{len(runs)} background runs are going"
    )
