"""Raw: the exact JSON body of the last request and the stream events, as they arrived."""

from __future__ import annotations

import json
from collections import deque
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from playground.core import event_text, reasoning_items
from playground.core.events import StreamEvent
from playground.ui import pacing
from playground.ui.highlight import JsonHighlighter
from playground.ui.widgets.schema_editor import mono_font

MAX_EVENTS = 2000  # the table keeps the newest events; older ones are counted, not kept
REFRESH_MS = 200  # a log is read, not watched frame by frame: five updates a second
BUSY_REFRESH_MS = 1000  # once a second while a stream saturates the event loop
_HEADERS = ("event", "ms", "payload")
_SHOWN_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
_Index = QModelIndex | QPersistentModelIndex


def payload(event: StreamEvent) -> str:
    """The event's payload in words (core.event_text), never its repr."""
    return event_text.summary(event)


class EventLog(QAbstractTableModel):
    """The newest MAX_EVENTS events; a row's text is made only when the view asks for it."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: deque[tuple[StreamEvent, float]] = deque(maxlen=MAX_EVENTS)
        self.dropped = 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _SHOWN_ROLES:
            return None
        event, ms = self._rows[index.row()]
        column = index.column()
        if column == 0:
            return event_text.name(event)
        if column == 1:
            return f"{ms:.0f}"
        return payload(event)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self.dropped = 0
        self.endResetModel()

    def extend(self, batch: list[tuple[StreamEvent, float]]) -> None:
        """Add a batch; the oldest rows go when the log is full (one reset per batch)."""
        self.beginResetModel()
        overflow = len(self._rows) + len(batch) - MAX_EVENTS
        if overflow > 0:
            self.dropped += overflow
        self._rows.extend(batch)
        self.endResetModel()


class RawPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(QLabel("Request body (exactly what is sent)"))
        self.request = QPlainTextEdit(readOnly=True)
        # filled when a run is sent (the Code tab's JSON shows the request before that)
        self.request.setPlaceholderText(
            "The body of the last request sent from this tab appears here when you Run. "
            "Before that, Code > JSON shows the request as it stands."
        )
        self.request.setAccessibleName("Raw request")
        self.request.setAccessibleDescription("The JSON body the last run sent, read-only")
        self.request.setFont(mono_font())
        self.request.setToolTip("The JSON body of the last request")
        self._hl = JsonHighlighter(self.request.document())
        tl.addWidget(self.request)
        split.addWidget(top)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("Stream events")
        self.summary.setWordWrap(True)  # a long text must not widen the side panel
        bl.addWidget(self.summary)
        self.log = EventLog()
        self.events = QTableView()
        self.events.setAccessibleName("Stream events")
        self.events.setAccessibleDescription(
            "The server-sent events of the run: time, type and payload, newest last"
        )
        self.events.setModel(self.log)
        self.events.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.events.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.events.setColumnWidth(0, 120)
        self.events.setColumnWidth(1, 48)
        self.events.setWordWrap(False)
        self.events.verticalHeader().setVisible(False)
        self.events.verticalHeader().setDefaultSectionSize(20)
        self.events.setToolTip(
            "Normalized stream events: type, milliseconds since the run started, payload"
        )
        bl.addWidget(self.events)
        split.addWidget(bottom)
        layout.addWidget(split)
        self._incoming: list[tuple[StreamEvent, float]] = []
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh.timeout.connect(self._show_incoming)

    def set_request(self, body: dict[str, Any]) -> None:
        # reasoning items' encrypted content is shown by its length only (what is sent is not
        # changed: this is a copy)
        shown = reasoning_items.masked(body)
        self.request.setPlainText(json.dumps(shown, indent=2, ensure_ascii=False))

    def clear_events(self) -> None:
        self._incoming = []
        self.log.clear()
        self.summary.setText("Stream events")
        self.summary.setToolTip("")

    def add_events(self, batch: list[tuple[StreamEvent, float]]) -> None:
        """Add (event, ms since the run started) pairs; the table catches up at its next
        refresh (REFRESH_MS, or BUSY_REFRESH_MS while a stream saturates the loop)."""
        self._incoming.extend(batch)
        if len(self._incoming) > MAX_EVENTS:  # older ones would be dropped anyway
            self.log.dropped += len(self._incoming) - MAX_EVENTS
            del self._incoming[:-MAX_EVENTS]
        if not self._refresh.isActive():
            self._refresh.start(BUSY_REFRESH_MS if pacing.is_saturated() else REFRESH_MS)

    def flush(self) -> None:
        """Show every event received so far now."""
        self._refresh.stop()
        self._show_incoming()

    def _show_incoming(self) -> None:
        if not self._incoming:
            return
        if not self.isVisible():  # hidden: nothing to paint; showEvent catches up
            return
        batch, self._incoming = self._incoming, []
        bar = self.events.verticalScrollBar()
        follow = bar.value() >= bar.maximum()
        self.log.extend(batch)
        if follow:
            self.events.scrollToBottom()
        if self.log.dropped:
            self.summary.setText(f"Stream events (the newest {MAX_EVENTS:,})")
            self.summary.setToolTip(
                f"{self.log.dropped:,} older events of this run are not shown: "
                f"the log keeps the newest {MAX_EVENTS:,}."
            )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._show_incoming()
