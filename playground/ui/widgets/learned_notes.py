"""Learned rules under a parameter's row: where each came from, and a Forget button."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from playground.core.learned import LearnedRule
from playground.ui.theme import accent


class LearnedNotes(QWidget):
    """Shows the learned rules of one parameter; hidden when there are none."""

    forget_requested = Signal(object)
    """The user asked to forget this LearnedRule."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 2, 0, 2)
        self._layout.setSpacing(2)
        self.rules: tuple[LearnedRule, ...] = ()
        self.overridden = ""
        self.forget_buttons: list[QPushButton] = []
        self.setVisible(False)

    def set_rules(self, rules: Sequence[LearnedRule], overridden: str = "") -> None:
        """Show `rules`; `overridden` says why they are not applied (the catalog's own
        condition for this model decides), shown after each and in a muted colour."""
        if tuple(rules) == self.rules and overridden == self.overridden:
            return
        self.rules = tuple(rules)
        self.overridden = overridden
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.forget_buttons = []
        for rule in self.rules:
            self._layout.addWidget(self._note(rule))
        self.setVisible(bool(self.rules))

    def texts(self) -> list[str]:
        """What the notes say, one line per rule."""
        return [r.describe() + self._suffix() for r in self.rules]

    def _suffix(self) -> str:
        return f" (not applied: {self.overridden})" if self.overridden else ""

    def _note(self, rule: LearnedRule) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel(rule.describe() + self._suffix())
        label.setWordWrap(True)
        color = accent("muted" if self.overridden else "warning").name()
        label.setStyleSheet(f"color: {color}; font-size: 11px;")
        label.setToolTip(f"The server said: {rule.message}" if rule.message else "")
        row.addWidget(label, 1)
        forget = QPushButton("Forget")
        forget.setToolTip("Forget this rule: the parameter is sent again")
        forget.setFlat(True)
        forget.setStyleSheet(f"color: {accent('info').name()}; text-decoration: underline;")
        forget.clicked.connect(lambda _=False, r=rule: self.forget_requested.emit(r))
        row.addWidget(forget)
        self.forget_buttons.append(forget)
        return box
