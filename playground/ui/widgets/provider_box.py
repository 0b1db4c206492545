"""The toolbar's provider box: the tab's profile, kept by name even when Providers lacks it.

A tab whose profile is not in Providers (removed, renamed elsewhere, or a settings file that
could not be read) keeps that name: the box shows it as "NAME (missing)" and says how to fix
it, and the window blocks Run. Nothing falls back to another provider silently.

PySide6 only: the window builds this box before its first frame.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QComboBox

from playground.ui.theme import accent

NAME_ROLE = Qt.ItemDataRole.UserRole
TIP = "Provider profile: where requests go (Ctrl+, to edit)"
MAX_WIDTH = 280
"""The widest the box insists on (px); a longer name is elided below its full width."""


def missing_text(name: str) -> str:
    """The finding for a tab whose profile `name` is not in Providers."""
    return f"The profile '{name}' is not in Providers: add it, or pick another provider"


class ProviderBox(QComboBox):
    """Profile names; `currentText()` is the chosen profile's name, missing or not."""

    def __init__(self) -> None:
        super().__init__()
        self.setToolTip(TIP)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currentIndexChanged.connect(self._mark)

    def minimumSizeHint(self) -> QSize:
        """Wide enough for the longest name (up to MAX_WIDTH): a narrow toolbar never cuts it."""
        hint = self.sizeHint()
        return QSize(min(hint.width(), MAX_WIDTH), hint.height())

    def fill(self, names: list[str], current: str) -> None:
        """Offer `names` and select `current`; a name not among them is shown as missing."""
        self.blockSignals(True)
        self.clear()
        for name in names:
            self.addItem(name, name)
        if current and current not in names:
            self.addItem(f"{current} (missing)", current)
            index = self.count() - 1
            self.setItemData(index, accent("error"), Qt.ItemDataRole.ForegroundRole)
            self.setItemData(index, missing_text(current), Qt.ItemDataRole.ToolTipRole)
        self.setCurrentIndex(max(self.findData(current), 0))
        self.blockSignals(False)
        self._mark()

    def names(self) -> list[str]:
        """The profiles offered (a missing one is not among them)."""
        return [
            self.itemData(i) for i in range(self.count()) if self.itemText(i) == self.itemData(i)
        ]

    def currentText(self) -> str:
        name = self.currentData(NAME_ROLE)
        return name if isinstance(name, str) else super().currentText()

    def setCurrentText(self, text: str) -> None:
        index = self.findData(text)
        if index >= 0:
            self.setCurrentIndex(index)

    def missing(self) -> str | None:
        """The current profile's name when Providers does not have it."""
        index = self.currentIndex()
        if index < 0 or self.itemText(index) == self.itemData(index):
            return None
        return self.currentText()

    def _mark(self, _index: int = -1) -> None:
        name = self.missing()
        self.setProperty("invalid", name is not None)
        self.setStyleSheet(f"color: {accent('error').name()};" if name else "")
        self.setToolTip(missing_text(name) if name else TIP)
