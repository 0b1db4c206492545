"""The editor of one grader: its name, and only the settings its kind reads
(core/graders.py READS): value, case option, path, JSON schema, tool name, arguments subset,
count, limit, rubric and model.

Dumb: `show_spec` shows a GraderSpec, `edited` says which setting the user changed and to
what. Text that does not parse yet (a half-typed JSON object, a limit that is no number) is
not sent: the field says what is wrong, and the committed value stays.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core.evaluation_spec import GraderSpec
from playground.core.graders import LABELS, READS
from playground.ui.theme import accent
from playground.ui.widgets.growing_text_edit import GrowingTextEdit
from playground.ui.widgets.schema_editor import SchemaEditor, mono_font, parse_schema_text

UNITS = {"latency": "milliseconds", "cost": "US dollars", "output_tokens": "tokens"}
VALUE_TIPS = {
    "regex": "The pattern to find (Python syntax); may use {{expected}} and {{NAME}}",
    "starts_with": "The text the answer starts with; may use {{expected}} and {{NAME}}",
    "json_field": "The value the field must equal (text, or JSON such as 3 or true)",
}
"""What `value` is for a kind, when it is not "the text to look for"."""


class GraderEditor(QWidget):
    """See the module docstring."""

    edited = Signal(str, object)
    """(a GraderSpec field, its new value) typed by the user."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._kind = ""
        self._setup_ui()

    def _setup_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        outer.addLayout(self.form)
        self.name = self._line("name", "Name", "Shown in the results; the kind's label if empty")
        self.value = GrowingTextEdit(max_lines=6)
        self.value.textChanged.connect(lambda: self._send("value", self.value.toPlainText()))
        self._name_it(self.value, "Value", "The text to look for")
        self.case = QCheckBox("Match case")
        self._name_it(self.case, "Match case", "Off: upper and lower case count as the same")
        self.case.toggled.connect(lambda on: self._send("case_sensitive", on))
        self.path = self._line("path", "JSON path", "A dotted path into the answer: a.b.0.c")
        self.own_schema = QCheckBox("Use the output format's schema")
        self._name_it(
            self.own_schema,
            "Use the output format's schema",
            "On: the answer must match the request's own json_schema output format",
        )
        self.own_schema.toggled.connect(self._on_own_schema_toggled)
        self.schema = SchemaEditor(with_examples=False)
        self.schema.edit.setAccessibleDescription("The JSON Schema the answer must match")
        self.schema.changed.connect(self._on_schema_changed)
        self.tool = self._line("tool", "Tool name", "The function called; empty: any tool")
        self.tool.setPlaceholderText("any tool")
        self.arguments = GrowingTextEdit(max_lines=8)
        self.arguments.setFont(mono_font())
        self.arguments.setPlaceholderText('{"city": "{{city}}"}')
        self._name_it(
            self.arguments, "Arguments", "A JSON object the call's arguments must contain"
        )
        self.arguments.textChanged.connect(self._on_arguments_changed)
        self.count = QSpinBox()
        self.count.setRange(0, 1000)
        self.count.setSpecialValueText("at least once")
        self._name_it(self.count, "Count", "How many calls exactly; 0: at least once")
        self.count.valueChanged.connect(lambda n: self._send("count", n or None))
        self.limit = self._line("limit", "Limit", "The most allowed")
        self.rubric = GrowingTextEdit(max_lines=12)
        self._name_it(
            self.rubric,
            "Rubric",
            "What the grading model checks; may use {{answer}}, {{expected}} and {{NAME}}",
        )
        self.rubric.textChanged.connect(lambda: self._send("rubric", self.rubric.toPlainText()))
        self.model = self._line("model", "Model", "The grading model; empty: the workspace's")
        self.model.setPlaceholderText("the workspace's model")
        self._schema_text: str | None = None  # the schema text last taken in
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {accent('error').name()};")
        self.rows: dict[str, tuple[QWidget, ...]] = {}
        for field, label, widgets in (
            ("name", "Name", (self.name,)),
            ("value", "Value", (self.value,)),
            ("case_sensitive", "", (self.case,)),
            ("path", "JSON path", (self.path,)),
            ("json_schema", "Schema", (self.own_schema, self.schema)),
            ("tool", "Tool name", (self.tool,)),
            ("arguments", "Arguments contain", (self.arguments,)),
            ("count", "Calls", (self.count,)),
            ("limit", "Limit", (self.limit,)),
            ("rubric", "Rubric", (self.rubric,)),
            ("model", "Grading model", (self.model,)),
        ):
            for i, widget in enumerate(widgets):
                self.form.addRow(label if i == 0 else "", widget)
            self.rows[field] = widgets
        outer.addWidget(self.problem)
        outer.addStretch(1)

    # -- public --------------------------------------------------------------------------------

    def show_spec(self, spec: GraderSpec) -> None:
        """Show `spec`: its name and the settings its kind reads; a field the user is typing in
        keeps its text (and cursor) when it already shows the value."""
        self._loading = True
        try:
            self._kind = spec.kind
            shown = {"name", *READS[spec.kind]}
            for field, widgets in self.rows.items():
                for widget in widgets:
                    self.form.setRowVisible(widget, field in shown)
            self.name.setPlaceholderText(LABELS[spec.kind])
            _set_text(self.name, spec.name)
            _set_text(self.value, spec.value)
            self.value.setAccessibleDescription(VALUE_TIPS.get(spec.kind, "The text to look for"))
            self.value.setToolTip(self.value.accessibleDescription())
            self.case.setChecked(spec.case_sensitive)
            _set_text(self.path, spec.path)
            self.own_schema.setChecked(spec.json_schema is None)
            self.schema.setVisible("json_schema" in shown and spec.json_schema is not None)
            if spec.json_schema is not None and self.schema.schema() != spec.json_schema:
                self.schema.set_schema(spec.json_schema)
            _set_text(self.tool, spec.tool)
            if _json_or_none(self.arguments.toPlainText()) != spec.arguments:
                text = json.dumps(spec.arguments, indent=2) if spec.arguments else ""
                self.arguments.setPlainText(text)
            self.count.setValue(spec.count or 0)
            unit = UNITS.get(spec.kind, "")
            self.limit.setPlaceholderText(f"the most allowed, in {unit}" if unit else "")
            self.limit.setAccessibleDescription(f"The most allowed, in {unit}")
            if _number_or_none(self.limit.text()) != spec.limit:
                self.limit.setText("" if spec.limit is None else f"{spec.limit:g}")
            _set_text(self.rubric, spec.rubric)
            _set_text(self.model, spec.model)
            self.problem.clear()
        finally:
            self._loading = False

    def shown_fields(self) -> list[str]:
        """The settings shown, in order (the name first)."""
        return [f for f, widgets in self.rows.items() if self.form.isRowVisible(widgets[0])]

    # -- private -------------------------------------------------------------------------------

    def _line(self, field: str, name: str, about: str) -> QLineEdit:
        edit = QLineEdit()
        self._name_it(edit, name, about)
        if field == "limit":
            edit.textChanged.connect(self._on_limit_changed)
        else:
            edit.textChanged.connect(lambda text: self._send(field, text))
        return edit

    def _name_it(self, widget: QWidget, name: str, about: str) -> None:
        widget.setAccessibleName(name)
        widget.setAccessibleDescription(about)
        widget.setToolTip(about)

    def _send(self, field: str, value: Any) -> None:
        if not self._loading:
            self.problem.clear()
            self.edited.emit(field, value)

    def _on_own_schema_toggled(self, own: bool) -> None:
        if self._loading:
            return
        self.schema.setVisible(not own)
        self._send("json_schema", None if own else (self.schema.schema() or {"type": "object"}))

    def _on_schema_changed(self) -> None:
        # a theme change re-colours the editor and says "changed" with the same text; a kind
        # that reads no schema keeps its hidden editor's text out of the way
        text = self.schema.edit.toPlainText()
        if text == self._schema_text or not self.schema.isVisibleTo(self):
            return
        self._schema_text = text
        value, problem = parse_schema_text(text)
        if value is not None:
            self._send("json_schema", value)
        elif not self._loading:
            self.problem.setText(f"Schema not kept yet: {problem}")

    def _on_arguments_changed(self) -> None:
        text = self.arguments.toPlainText()
        value = _json_or_none(text)
        if value is None:
            if not self._loading:
                self.problem.setText("Arguments not kept yet: write a JSON object, {…}")
            return
        self._send("arguments", value)

    def _on_limit_changed(self, text: str) -> None:
        if not text.strip():
            self._send("limit", None)
            return
        value = _number_or_none(text)
        if value is None or value < 0:
            if not self._loading:
                self.problem.setText("Limit not kept yet: write a number, 0 or more")
            return
        self._send("limit", value)


def _set_text(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    if isinstance(widget, QLineEdit):
        if widget.text() != text:
            widget.setText(text)
    elif widget.toPlainText() != text:
        widget.setPlainText(text)


def _json_or_none(text: str) -> dict[str, Any] | None:
    """The JSON object `text` holds ({} when blank), else None."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _number_or_none(text: str) -> float | None:
    try:
        value = float(text.replace(",", "").replace("$", "").strip())
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None
