"""Output format: text, JSON object, or a JSON Schema with a name and strict mode."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.schema_rules import parse_schema_text
from playground.core.workspace import OutputFormat, Workspace
from playground.ui.widgets.flow_layout import FlowLayout
from playground.ui.widgets.pane_fit import scrolling
from playground.ui.widgets.schema_editor import SchemaEditor


class OutputPanel(QWidget):
    """Edits Workspace.output_format."""

    changed = Signal()
    """The output format was edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        content = QWidget()
        outer.addWidget(scrolling(content, 0))
        layout = QVBoxLayout(content)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)  # the choices at the top, not mid-pane
        row = FlowLayout()
        self.group = QButtonGroup(self)
        self.radios = {}
        for key, label, tip in (
            ("default", "Default", "Send no format (plain text)"),
            ("text", "Text", "Send format type text"),
            ("json_object", "JSON object", "JSON mode: any JSON object"),
            ("json_schema", "JSON schema", "Structured outputs: JSON that follows your schema"),
        ):
            radio = QRadioButton(label)
            radio.setToolTip(tip)
            self.group.addButton(radio)
            self.radios[key] = radio
            row.addWidget(radio)
            radio.toggled.connect(self._on_edited)
        layout.addLayout(row)
        self.details = QWidget()
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # fields get the width
        self.name = QLineEdit()
        self.name.setToolTip("Schema name: 1 to 64 letters, digits, _ or -")
        self.name.textEdited.connect(self._on_edited)
        form.addRow("Name", self.name)
        self.strict = QCheckBox("Strict")
        self.strict.setToolTip("strict: true — the output always follows the schema")
        self.strict.toggled.connect(self._on_edited)
        form.addRow("", self.strict)
        self.schema = SchemaEditor(with_examples=False)
        self.schema.changed.connect(self._on_edited)
        form.addRow("Schema", self.schema)
        layout.addWidget(self.details, 1)

    def load(self, ws: Workspace) -> None:
        self._loading = True
        fmt = ws.output_format
        self.radios["default" if fmt is None else fmt.type].setChecked(True)
        fmt = fmt or OutputFormat()
        self.name.setText(fmt.name)
        self.strict.setChecked(bool(fmt.strict))
        self.schema.set_strict(bool(fmt.strict))
        self.schema.set_schema(fmt.json_schema)
        self.details.setVisible(self.radios["json_schema"].isChecked())
        self._loading = False

    def apply(self, ws: Workspace) -> Workspace:
        kind = next(k for k, r in self.radios.items() if r.isChecked())
        if kind == "default":
            return ws.model_copy(update={"output_format": None})
        old = ws.output_format or OutputFormat()
        schema = self.schema.schema()
        fmt = OutputFormat(
            type=kind,
            name=self.name.text().strip() or "response",  # type: ignore[arg-type]
            description=old.description,
            json_schema=schema if schema is not None else old.json_schema,
            strict=self.strict.isChecked(),
        )
        return ws.model_copy(update={"output_format": fmt})

    def show_drafts(self, drafts: dict[str, str]) -> None:
        """Show the half-typed schema kept by the Document, in place of its value."""
        text = drafts.get("output_format.json_schema")
        if text is not None:
            self._loading = True
            self.schema.edit.setPlainText(text)
            self._loading = False

    def problems(self) -> list[str]:
        if not self.radios["json_schema"].isChecked():
            return []
        value, problem = parse_schema_text(self.schema.edit.toPlainText())
        return [] if value is not None else [f"output schema: {problem}"]

    def _on_edited(self) -> None:
        self.details.setVisible(self.radios["json_schema"].isChecked())
        self.schema.set_strict(self.strict.isChecked())
        if not self._loading:
            self.changed.emit()
