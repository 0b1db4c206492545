"""Regenerate, Edit and run from here, Fork from here.

Run's menu (the ▾ beside Run) offers "Regenerate last answer" (Ctrl+Shift+Enter) and "Run and
append" (Ctrl+Enter, what Run does); the last answer's card has a Regenerate button, and every
card's "⋯" menu has Fork from here (and, on a user message, Edit and run from here).

Regenerate and Run from here change the tab's Document as one undo step ("Regenerate", "Run
from message N"), then run it as Run does; the answer they drop stays in the run history
(every run is recorded when it ends). Fork from here opens a new tab; the original is left as
it is. The conversation edits themselves are core.conversation_edits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence

from playground.core.conversation_edits import drop_last_answer, fork, keep_through
from playground.core.document import Document
from playground.services.session import TabRecord

if TYPE_CHECKING:
    from playground.core.workspace import Workspace
    from playground.ui.main_window import MainWindow
    from playground.ui.views.workspace_view import WorkspaceView
    from playground.ui.window_runs import WindowRuns

REGENERATE_KEYS = ("Ctrl+Shift+Return", "Ctrl+Shift+Enter")


class ConversationRuns(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow, runs: WindowRuns) -> None:
        super().__init__(window)
        self.window = window
        self.runs = runs
        self.regenerate_action = QAction("Regenerate last answer", window)
        self.regenerate_action.setShortcuts([QKeySequence(k) for k in REGENERATE_KEYS])
        self.regenerate_action.setToolTip("Run again and replace the last answer (undoable)")
        self.regenerate_action.triggered.connect(lambda: self.regenerate())
        # Ctrl+Enter is the window's Run shortcut already: the menu only names it
        self.append_action = QAction("Run and append\tCtrl+Enter", window)
        self.append_action.setToolTip("Send the request; the answer is added after the last one")
        self.append_action.triggered.connect(runs.run)
        menu = window.toolbar.run_menu
        menu.setToolTipsVisible(True)
        menu.addActions([self.regenerate_action, self.append_action])
        window.addAction(self.regenerate_action)  # the keys work with the menu closed
        window.view_added.connect(self.bind)

    def bind(self, view: WorkspaceView) -> None:
        """Act on what `view`'s conversation asks for."""
        conversation = view.conversation
        conversation.regenerate_requested.connect(lambda v=view: self.regenerate(v))
        conversation.run_from_requested.connect(lambda i, v=view: self.run_from(v, i))
        conversation.fork_requested.connect(lambda i, v=view: self.fork(v, i))

    def regenerate(self, view: WorkspaceView | None = None) -> None:
        """Drop the last answer (one undo step "Regenerate") and run; a plain run when
        there is no answer to replace."""
        view = view or self.window.current_view
        runs = self.window.runs
        if view is not None and view is self.window.current_view and runs.busy_for(view.tab.id):
            self._after_stop(view)  # regenerate cancels the run it replaces
            return
        if not self._ready(view):
            return
        assert view is not None
        self._edit_and_run(view, drop_last_answer(view.doc.workspace), "Regenerate")

    def _after_stop(self, view: WorkspaceView) -> None:
        """Stop the tab's run; once it has ended (its partial answer kept), regenerate."""
        runs = self.window.runs

        def ended(run: object) -> None:
            if getattr(run, "owner", None) == view.tab.id and not runs.busy_for(view.tab.id):
                runs.run_ended.disconnect(ended)
                if not view.closed:
                    QTimer.singleShot(0, self, lambda: self.regenerate(view))

        runs.run_ended.connect(ended)
        runs.stop(view.tab.id)

    def run_from(self, view: WorkspaceView, index: int) -> None:
        """Drop the messages after message `index` (one undo step) and run."""
        if not self._ready(view) or index >= len(view.doc.workspace.messages):
            return
        edited = keep_through(view.doc.workspace, index)
        self._edit_and_run(view, edited, f"Run from message {index + 1}")

    def fork(self, view: WorkspaceView, index: int) -> None:
        """A new tab with the conversation up to and including message `index`, the rest of
        the workspace (and its drafts) the same; not saved yet, so closing it asks."""
        documents = self.window.documents
        if documents is None:
            return
        view.binder.flush()
        if index >= len(view.doc.workspace.messages):
            return
        doc = Document(fork(view.doc.workspace, index), dirty=True)
        for path, text in view.doc.drafts.items():
            if not path.startswith("messages"):
                doc.set_draft(path, text)
        title = view.tab.title.removesuffix(".json")
        documents.add(TabRecord(title=f"{title} (fork at {index + 1})"), doc)

    def _edit_and_run(self, view: WorkspaceView, edited: Workspace, label: str) -> None:
        """Take `edited` into the Document as one undo step and run it; when Run is blocked
        (the findings say why), the step is taken back: nothing is dropped without a run."""
        changed = view.doc.commit(edited, label)
        self.runs.run()
        if changed and not self.window.run_button.isEnabled():
            view.doc.undo()

    def _ready(self, view: WorkspaceView | None) -> bool:
        """`view` is the current tab's, its edits are in its Document, and it is not running
        (the answer a run streams is not in the conversation yet: stop it first)."""
        if view is None or view is not self.window.current_view:
            return False
        if self.window.runs.busy_for(view.tab.id):
            view.runner.set_status("A run is under way in this tab: stop it first (Esc)")
            return False
        view.binder.flush()
        return True
