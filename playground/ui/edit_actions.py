"""Edit > Undo and Redo: one history per tab, the tab's Document's.

The undo and redo keys go to the Document even while a text field has the focus (the field's
own history is bypassed), so one history covers every edit: typing, parameters, deleting or
moving a message, an import, a variant applied. The menu names the step ("Undo Edit
parameters")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget

if TYPE_CHECKING:
    from playground.ui.views.workspace_view import WorkspaceView


_REDO_KEYS = (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"))
"""Redo's keys on every platform theme, beside the theme's own (which may hold one of them:
an action given the same key twice makes it an ambiguous shortcut that does nothing)."""


def redo_keys() -> list[QKeySequence]:
    """The platform's Redo keys, then Ctrl+Shift+Z and Ctrl+Y, each once."""
    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
    keys += [k for k in _REDO_KEYS if k not in keys]
    return keys


class EditActions(QObject):
    """Undo and Redo for the current tab (see the module docstring)."""

    def __init__(
        self, window: QWidget, menu: QMenu, current: Callable[[], WorkspaceView | None]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._current = current
        self.undo = QAction("&Undo", window)
        self.undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.undo.triggered.connect(lambda: self._step(redo=False))
        self.redo = QAction("&Redo", window)
        self.redo.setShortcuts(redo_keys())
        self.redo.triggered.connect(lambda: self._step(redo=True))
        menu.addActions([self.undo, self.redo])
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.update()

    def update(self) -> None:
        """Name the steps Undo and Redo would take now (disabled when there is none)."""
        view = self._current()
        doc = view.doc if view is not None else None
        for action, verb, label in (
            (self.undo, "&Undo", doc.undo_label if doc else None),
            (self.redo, "&Redo", doc.redo_label if doc else None),
        ):
            action.setEnabled(label is not None)
            action.setText(f"{verb} {label}" if label else verb)

    def _step(self, redo: bool) -> None:
        view = self._current()
        if view is None:
            return
        view.binder.flush()  # what is being typed is a step of its own first
        if redo:
            view.doc.redo()
        else:
            view.doc.undo()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A text field in the window does not take the undo and redo keys for itself."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and isinstance(watched, QWidget)
            and self._window.isAncestorOf(watched)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
                or QKeySequence(event.keyCombination()) in _REDO_KEYS
            )
        ):
            return True
        return super().eventFilter(watched, event)
