"""The Providers dialog's list of profile names: a long name is elided in the middle, never
scrolled sideways, and its tooltip has the whole name."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QListWidget, QStyledItemDelegate, QStyleOptionViewItem, QWidget


class ProfileList(QListWidget):
    """Profile names, one row each."""

    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip("Provider profiles")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setItemDelegate(_FitDelegate(self))
        for name in names:
            self.add_name(name)

    def add_name(self, name: str) -> None:
        self.addItem(name)
        self.set_name(self.count() - 1, name)

    def set_name(self, row: int, name: str) -> None:
        item = self.item(row)
        if item is not None:
            item.setText(name)
            item.setToolTip(name)


class _FitDelegate(QStyledItemDelegate):
    """Items no wider than the list: a long name is elided (the list's elide mode)."""

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(min(hint.width(), self._view.viewport().width()), hint.height())
