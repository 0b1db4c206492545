"""A JSON Schema editor: highlighting, live validation, templates, example arguments."""

from __future__ import annotations

import json
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.schema_rules import (
    LARGE_SCHEMA,
    cached_issues,
    canonical,
    describe_issues,
    example_instance,
    parse_schema_text,
    schema_issues,
)
from playground.ui.highlight import JsonHighlighter

if TYPE_CHECKING:
    from playground.ui.schema_checker import SchemaChecker
from playground.ui.widgets.common import show_problem, tool_button
from playground.ui.widgets.flow_layout import FlowLayout
from playground.ui.widgets.pane_fit import SCHEMA_LINES, lines_high

TEMPLATES: dict[str, dict[str, Any]] = {
    "Empty object": {
        "type": "object",
        "properties": {},
        "required": [],
        "additionalProperties": False,
    },
    "Enum": {
        "type": "object",
        "properties": {
            "unit": {
                "type": "string",
                "enum": ["celsius", "fahrenheit"],
                "description": "Temperature unit",
            }
        },
        "required": ["unit"],
        "additionalProperties": False,
    },
    "Nested object": {
        "type": "object",
        "properties": {
            "location": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "country": {"type": "string"}},
                "required": ["city", "country"],
                "additionalProperties": False,
            }
        },
        "required": ["location"],
        "additionalProperties": False,
    },
    "Array of objects": {
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "quantity": {"type": "integer"}},
                    "required": ["name", "quantity"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["items"],
        "additionalProperties": False,
    },
}


def mono_font() -> QFont:
    from playground.ui.zoom import factor  # View > Zoom: editors made later come zoomed

    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSize(), 10) * factor())
    return font


class SchemaEditor(QWidget):
    """Edits one JSON Schema; says at once what is wrong with it."""

    changed = Signal()
    """The text changed (valid or not)."""
    checker: SchemaChecker | None = None  # set by the app: checks large schemas off-process

    def __init__(self, parent: QWidget | None = None, with_examples: bool = True) -> None:
        super().__init__(parent)
        self._strict = False
        self._waiting = False
        self._setup_ui(with_examples)

    # -- public ------------------------------------------------------------------------------

    def set_schema(self, schema: dict[str, Any]) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText(json.dumps(schema, indent=2))
        self.edit.blockSignals(False)
        self._revalidate()

    def set_strict(self, strict: bool) -> None:
        self._strict = strict
        self._revalidate()

    def schema(self) -> dict[str, Any] | None:
        """The schema when the text is valid JSON (it may still break strict rules)."""
        return parse_schema_text(self.edit.toPlainText())[0]

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self, with_examples: bool) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = FlowLayout()  # wraps in a narrow pane
        templates = tool_button(
            "Templates", "Replace the schema with a starting point", raised=True
        )
        templates.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(templates)
        for name, schema in TEMPLATES.items():
            menu.addAction(name, partial(self._use_template, schema))
        templates.setMenu(menu)
        bar.addWidget(templates)
        fmt = QPushButton("Format")
        fmt.setToolTip("Pretty-print the JSON")
        fmt.clicked.connect(self._on_format_clicked)
        bar.addWidget(fmt)
        if with_examples:
            example = QPushButton("Example arguments")
            example.setToolTip("Show arguments generated from this schema")
            example.clicked.connect(self._on_example_clicked)
            bar.addWidget(example)
        layout.addLayout(bar)
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName("JSON Schema")
        self.edit.setFont(mono_font())
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(lines_high(self.edit, SCHEMA_LINES))
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        policy.setVerticalStretch(1)  # a form with labels above fields gives it the room then
        self.setSizePolicy(policy)
        self.edit.setToolTip("JSON Schema (draft 2020-12); validated as you type")
        self.edit.setPlaceholderText("Type or paste a JSON Schema, or start from Templates")
        self._highlighter = JsonHighlighter(self.edit.document())
        self.edit.textChanged.connect(self._revalidate)
        self.edit.textChanged.connect(self.changed)
        layout.addWidget(self.edit, 1)
        self.status = QLabel()
        self.status.setObjectName("findings")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.example = QLabel()
        self.example.setWordWrap(True)
        self.example.setFont(mono_font())
        self.example.setVisible(False)
        layout.addWidget(self.example)

    def _use_template(self, schema: dict[str, Any]) -> None:
        self.edit.setPlainText(json.dumps(schema, indent=2))

    def _on_format_clicked(self) -> None:
        value = self.schema()
        if value is not None:
            self.edit.setPlainText(json.dumps(value, indent=2))

    def _on_example_clicked(self) -> None:
        value = self.schema()
        if value is None:
            return
        self.example.setText("Example: " + json.dumps(example_instance(value)))
        self.example.setVisible(True)

    def _revalidate(self) -> None:
        text = self.edit.toPlainText()
        if not text.strip():  # nothing typed yet is not an error; the placeholder says what to do
            self._show([])
            return
        value, problem = parse_schema_text(text)
        if value is None:
            self._show([problem or "not a schema"])
            return
        key = canonical(value)
        checker = type(self).checker
        if (
            len(key) > LARGE_SCHEMA
            and cached_issues(key, self._strict) is None
            and checker is not None
            and checker.request([(key, self._strict)])
        ):
            if not self._waiting:
                self._waiting = True
                checker.checked.connect(self._on_checked)
            self.status.setText("Checking this large schema…")
            self.status.setVisible(True)
            return
        self._show(describe_issues(schema_issues(key, self._strict)))

    def _on_checked(self) -> None:
        self._revalidate()

    def _show(self, problems: list[str]) -> None:
        show_problem(self.status, self.edit, "\n".join(problems[:6]))
