"""A layout that lays its items in a row and wraps them onto the next row when the row is
too narrow: a row of buttons that never sets a minimum width wider than its widest button.

After the Qt for Python "Flow Layout" example (examples/widgets/layouts/flowlayout), which
follows the C++ one; Qt itself has no flow layout for widgets.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Items left to right, wrapped onto as many rows as the width needs."""

    def __init__(
        self, parent: QWidget | None = None, spacing: int = 6, right: bool = False
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.right = right
        """Each row ends at the right edge (a card's buttons), not starts at the left."""
        self.setSpacing(spacing)
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        """All items in one row."""
        width = sum(item.sizeHint().width() for item in self._items)
        width += self.spacing() * max(len(self._items) - 1, 0)
        height = max((item.sizeHint().height() for item in self._items), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        """The widest item: everything else can go onto further rows."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _place(self, rect: QRect, move: bool) -> int:
        """Lay the items out in `rect` (when `move`); the height they take."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        gap = self.spacing()
        rows: list[list[QLayoutItem]] = [[]]
        x = area.x()
        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no room
                continue
            width = item.sizeHint().width()
            if rows[-1] and x + width > area.right() + 1:
                rows.append([])
                x = area.x()
            rows[-1].append(item)
            x += width + gap
        y = area.y()
        for row in rows:
            used = sum(i.sizeHint().width() for i in row) + gap * max(len(row) - 1, 0)
            x = area.x() + (max(area.width() - used, 0) if self.right else 0)
            height = max((i.sizeHint().height() for i in row), default=0)
            for item in row:
                hint = item.sizeHint()
                if move:  # an item wider than the row gets the row
                    size = QSize(min(hint.width(), max(area.width(), 0)), hint.height())
                    item.setGeometry(QRect(QPoint(x, y), size))
                x += hint.width() + gap
            y += height + gap
        return y - gap - rect.y() + m.bottom() if self._items else m.top() + m.bottom()
