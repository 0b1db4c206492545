"""Custom tools: a list to tick and pick, and an editor for the selected one (name,
description, input format, grammar checked as it is typed, mock output)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from playground.core.grammar import GrammarProblem, check
from playground.core.workspace import CustomFormat, CustomTool
from playground.ui.theme import accent
from playground.ui.widgets.common import outline, show_problem
from playground.ui.widgets.item_list import item_list
from playground.ui.widgets.schema_editor import mono_font

# (label, format): None sends no format (the API's default, free-form text)
FORMATS: list[tuple[str, str | None]] = [
    ("Free-form text", None),
    ("Free-form text (format: text)", "text"),
    ("Lark grammar", "lark"),
    ("Regular expression", "regex"),
]
EXAMPLES = {
    "lark": 'start: expr\nexpr: NUMBER (("+" | "-") NUMBER)*\nNUMBER: /[0-9]+/\n',
    "regex": r"\d{4}-\d{2}-\d{2}",
}


class CustomToolsEditor(QWidget):
    """Edits Workspace.custom_tools."""

    changed = Signal()
    """A custom tool was added, removed or edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tools: list[CustomTool] = []
        self._loading = False
        self._check_timer = QTimer(self, singleShot=True, interval=150)
        self._check_timer.timeout.connect(self._check)
        self._setup_ui()

    # -- public ------------------------------------------------------------------------------

    def load(self, tools: list[CustomTool]) -> None:
        self._tools = [t.model_copy() for t in tools]
        row = self.list.currentRow()
        self._refill(row if 0 <= row < len(self._tools) else (0 if self._tools else -1))

    def tools(self) -> list[CustomTool]:
        return [t.model_copy() for t in self._tools]

    def add_tool(self, name: str | None = None) -> None:
        base = name or "new_custom_tool"
        taken = {t.name for t in self._tools}
        n, candidate = 1, base
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        self._tools.append(CustomTool(name=candidate, description=""))
        self._refill(len(self._tools) - 1)
        self.changed.emit()

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        made = item_list(
            layout,
            "Custom tools",
            (
                "Add custom tool",
                "Define a tool the model calls with free-form text or text in a grammar",
                self.add_tool,
            ),
            ("Delete the selected custom tool", self._on_remove_clicked),
            ("Custom tools", "Tick a custom tool to send it; select it to edit", 80),
            self._on_selected,
            self._on_item_changed,
        )
        self.remove, self.list, self.editor, form = made.remove, made.list, made.editor, made.form
        self._form = form
        self.remove.setAccessibleName("Remove custom tool")
        self.name = QLineEdit()
        self.name.setAccessibleName("Custom tool name")
        self.name.setToolTip("Custom tool name: 1 to 64 letters, digits, _ or -")
        self.name.textEdited.connect(self._on_field_edited)
        form.addRow("Name", self.name)
        self.description = QLineEdit()
        self.description.setAccessibleName("Custom tool description")
        self.description.setToolTip(
            "What the tool does and what input it takes; the model reads this"
        )
        self.description.textEdited.connect(self._on_field_edited)
        form.addRow("Description", self.description)
        self.format = QComboBox()
        self.format.setAccessibleName("Input format")
        self.format.setToolTip(
            "Free-form text, or input that must follow a Lark grammar or a regular expression"
        )
        for label, key in FORMATS:
            self.format.addItem(label, key)
        self.format.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.format.setMinimumContentsLength(12)
        self.format.currentIndexChanged.connect(self._on_format_changed)
        form.addRow("Input format", self.format)
        self.grammar = QPlainTextEdit()
        self.grammar.setAccessibleName("Grammar")
        self.grammar.setFont(mono_font())
        self.grammar.setToolTip("The grammar the model's input must follow; checked as you type")
        self.grammar.setFixedHeight(96)
        self.grammar.textChanged.connect(self._on_field_edited)
        form.addRow("Grammar", self.grammar)
        self.finding = QLabel("")
        self.finding.setWordWrap(True)
        self.finding.setAccessibleName("Grammar check")
        form.addRow("", self.finding)
        self.mock = QPlainTextEdit()
        self.mock.setAccessibleName("Custom tool mock output")
        self.mock.setPlaceholderText("result text")
        self.mock.setToolTip("Mock output used when the loop runs on mocks ({{variables}} work)")
        self.mock.setFixedHeight(48)
        self.mock.textChanged.connect(self._on_field_edited)
        form.addRow("Mock output", self.mock)
        layout.addWidget(self.editor)

    def _refill(self, select: int) -> None:
        self._loading, was = True, self._loading
        self.list.clear()
        for tool in self._tools:
            item = QListWidgetItem(tool.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if tool.enabled else Qt.CheckState.Unchecked)
            item.setToolTip(tool.description or tool.name)
            self.list.addItem(item)
        self.list.setCurrentRow(select)
        self.editor.setEnabled(select >= 0)
        self.remove.setEnabled(select >= 0)
        self._show(select if select >= 0 else None)
        self._loading = was

    def _show(self, index: int | None) -> None:
        self._loading, was = True, self._loading
        tool = self._tools[index] if index is not None else None
        fmt = tool.format if tool else None
        self.name.setText(tool.name if tool else "")
        self.description.setText((tool.description or "") if tool else "")
        key = None if fmt is None else ("text" if fmt.type == "text" else fmt.syntax)
        self.format.setCurrentIndex(max(0, self.format.findData(key)))
        self.grammar.setPlainText(fmt.definition if fmt and fmt.type == "grammar" else "")
        self._form.setRowVisible(self.grammar, key in ("lark", "regex"))  # its label too
        self.mock.setPlainText((tool.mock_output or "") if tool else "")
        self._loading = was
        self._check()

    def _format(self) -> CustomFormat | None:
        key = self.format.currentData()
        if key is None:
            return None
        if key == "text":
            return CustomFormat(type="text")
        return CustomFormat(type="grammar", syntax=key, definition=self.grammar.toPlainText())

    def _check(self) -> None:
        """Show what is wrong with the grammar, under it and at its line."""
        fmt = self._format()
        problem = check(fmt.syntax, fmt.definition) if fmt and fmt.type == "grammar" else None
        grammar = fmt is not None and fmt.type == "grammar"
        self.finding.setVisible(grammar)
        if problem is None:
            what = "Lark grammar" if fmt and fmt.syntax == "lark" else "regular expression"
            outline(self.grammar, False)
            self.finding.setText(f"✓ the {what} can be read")
            self.finding.setStyleSheet(f"color: {accent('ok').name()};")
        else:
            show_problem(self.finding, self.grammar, f"✗ {problem.describe()}")
        self._mark(problem if grammar else None)

    def _mark(self, problem: GrammarProblem | None) -> None:
        """Tint the line the problem names."""
        if problem is None or problem.line <= 0:
            self.grammar.setExtraSelections([])
            return
        block = self.grammar.document().findBlockByLineNumber(problem.line - 1)
        if not block.isValid():
            self.grammar.setExtraSelections([])
            return
        mark = QTextEdit.ExtraSelection()
        tint = QColor(accent("error"))
        tint.setAlpha(60)
        mark.format.setBackground(tint)
        mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        cursor = QTextCursor(block)
        mark.cursor = cursor
        self.grammar.setExtraSelections([mark])

    def _on_selected(self, row: int) -> None:
        if 0 <= row < len(self._tools) and not self._loading:
            self._show(row)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if self._loading or not 0 <= row < len(self._tools):
            return
        enabled = item.checkState() == Qt.CheckState.Checked
        self._tools[row] = self._tools[row].model_copy(update={"enabled": enabled})
        self.changed.emit()

    def _on_format_changed(self) -> None:
        key = self.format.currentData()
        self._form.setRowVisible(self.grammar, key in ("lark", "regex"))  # its label too
        if not self._loading and key in EXAMPLES and not self.grammar.toPlainText().strip():
            self._loading = True
            self.grammar.setPlainText(EXAMPLES[key])
            self._loading = False
        self._on_field_edited()
        self._check()

    def _on_field_edited(self) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self._tools):
            return
        self._tools[row] = self._tools[row].model_copy(
            update={
                "name": self.name.text().strip(),
                "description": self.description.text() or None,
                "format": self._format(),
                "mock_output": self.mock.toPlainText() or None,
            }
        )
        item = self.list.item(row)
        if item is not None and item.text() != self._tools[row].name:
            self._loading = True
            item.setText(self._tools[row].name)
            self._loading = False
        self._check_timer.start()
        self.changed.emit()

    def _on_remove_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._tools):
            del self._tools[row]
            self._refill(min(row, len(self._tools) - 1))
            self.changed.emit()
