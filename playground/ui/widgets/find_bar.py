"""The find bar above the conversation: the query, Match case, "3 of 17", previous, next, close.

The bar only raises intents; ui/widgets/conversation_find.py searches and highlights.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from playground.ui.theme import accent
from playground.ui.widgets.common import tool_button


class FindBar(QWidget):
    """Type to search; Enter / F3 steps to the next match, Shift+Enter / Shift+F3 back,
    Escape closes the bar."""

    query_changed = Signal(str, bool)
    """The query or Match case changed (the query, match case): search again."""
    step_requested = Signal(int)
    """+1: the next match, -1: the previous one."""
    closed = Signal()
    """The bar was closed: the highlights go."""

    DEBOUNCE_MS = 120  # typing in a 2,000-message conversation searches once per pause

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._setup_ui()
        self._timer = QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit_query)

    # -- public ------------------------------------------------------------------------------

    def open(self) -> None:
        """Show the bar with its query selected, ready to type over."""
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
        if self.edit.text():
            self._emit_query()

    def close_bar(self) -> None:
        self._timer.stop()
        self.hide()
        self.closed.emit()

    def query(self) -> str:
        return self.edit.text()

    def match_case(self) -> bool:
        return self.case.isChecked()

    def show_count(self, current: int | None, total: int) -> None:
        """ "3 of 17" (`current` counts from 0), "17 matches", or "No matches"."""
        if not self.edit.text():
            text = ""
        elif total == 0:
            text = "No matches"
        elif current is None:
            text = f"{total} match{'es' if total > 1 else ''}"
        else:
            text = f"{current + 1} of {total}"
        self.count.setText(text)
        missing = bool(self.edit.text()) and total == 0
        self.count.setStyleSheet(f"color: {accent('error').name()};" if missing else "")
        self.previous.setEnabled(total > 0)
        self.next.setEnabled(total > 0)

    def flush(self) -> None:
        """Search now for what was typed (the pause after typing is skipped)."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit_query()

    # -- Qt ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            key, shift = event.key(), event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            ours = key == Qt.Key.Key_Escape or (
                watched is self.edit and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            )
            if ours and kind == QEvent.Type.ShortcutOverride:
                event.accept()  # the bar's key, not the window's (Escape there stops a run)
                return True
            if ours:
                if key == Qt.Key.Key_Escape:
                    self.close_bar()
                else:
                    self._step(-1 if shift else 1)
                return True
        return super().eventFilter(watched, event)

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        row.setSpacing(4)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find in the conversation")
        self.edit.setClearButtonEnabled(True)
        self.edit.setToolTip(
            "Searches the instructions, the messages, the answers and the tool calls; "
            "Enter: next, Shift+Enter: previous, Escape: close"
        )
        self.edit.setAccessibleName("Find in the conversation")
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.edit.installEventFilter(self)
        row.addWidget(self.edit, 1)
        self.case = tool_button("Aa", "Match case", checkable=True)
        self.case.setAccessibleName("Match case")
        self.case.toggled.connect(self._emit_query)
        row.addWidget(self.case)
        self.count = QLabel()
        self.count.setMinimumWidth(90)
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count.setAccessibleName("Matches")
        row.addWidget(self.count)
        self.previous = tool_button("↑", "Previous match (Shift+F3, Shift+Enter)", icon="up")
        self.previous.setAccessibleName("Previous match")
        self.previous.clicked.connect(lambda: self._step(-1))
        row.addWidget(self.previous)
        self.next = tool_button("↓", "Next match (F3, Enter)", icon="down")
        self.next.setAccessibleName("Next match")
        self.next.clicked.connect(lambda: self._step(1))
        row.addWidget(self.next)
        close = tool_button("✕", "Close the find bar (Escape)", icon="delete")
        close.setAccessibleName("Close find")
        close.clicked.connect(self.close_bar)
        row.addWidget(close)
        for widget in (self.case, self.previous, self.next, close):
            widget.installEventFilter(self)  # Escape closes from any of them
        self.show_count(None, 0)

    def _step(self, step: int) -> None:
        self.flush()
        self.step_requested.emit(step)

    def _emit_query(self) -> None:
        self.query_changed.emit(self.edit.text(), self.case.isChecked())
