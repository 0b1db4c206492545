"""Raw: the exact JSON body of the last request and the stream events, as they arrived."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.ui.highlight import JsonHighlighter
from playground.ui.widgets.schema_editor import mono_font

MAX_EVENTS = 2000  # the table keeps the newest events; older ones are counted, not kept


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
        self.request.setFont(mono_font())
        self.request.setToolTip("The JSON body of the last request")
        self._hl = JsonHighlighter(self.request.document())
        tl.addWidget(self.request)
        split.addWidget(top)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("Stream events")
        bl.addWidget(self.summary)
        self.events = QTableWidget(0, 3)
        self.events.setHorizontalHeaderLabels(["event", "ms", "payload"])
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
        self._dropped = 0

    def set_request(self, body: dict[str, Any]) -> None:
        self.request.setPlainText(json.dumps(body, indent=2, ensure_ascii=False))

    def clear_events(self) -> None:
        self.events.setRowCount(0)
        self._dropped = 0
        self.summary.setText("Stream events")

    def add_event(self, kind: str, ms: float, payload: str) -> None:
        if self.events.rowCount() >= MAX_EVENTS:
            self.events.removeRow(0)
            self._dropped += 1
        row = self.events.rowCount()
        self.events.insertRow(row)
        for col, text in enumerate((kind, f"{ms:.0f}", payload)):
            self.events.setItem(row, col, QTableWidgetItem(text))
        if self._dropped:
            self.summary.setText(f"Stream events ({self._dropped} older events not shown)")
