"""Tools: function tools with a schema editor and mock outputs, custom tools, built-in tools,
tool_choice."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from playground.core.choice_refs import Named, follow_renames, renames
from playground.core.schema_rules import parse_schema_text
from playground.core.workspace import FunctionTool, ToolChoice, Workspace
from playground.ui.widgets.custom_tools_editor import CustomToolsEditor
from playground.ui.widgets.hosted_tools_editor import HostedToolsEditor
from playground.ui.widgets.item_list import item_list
from playground.ui.widgets.mcp_tools_editor import McpToolsEditor
from playground.ui.widgets.pane_fit import scrolling
from playground.ui.widgets.schema_editor import TEMPLATES, SchemaEditor
from playground.ui.widgets.tool_choice_editor import ToolChoiceEditor


class ToolsPanel(QWidget):
    """Edits Workspace.tools, custom_tools, mcp_tools, builtin_tools and tool_choice."""

    changed = Signal()
    """A tool or a tool setting was edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tools: list[FunctionTool] = []
        self._texts: list[str] = []  # the schema text per tool, valid or not
        self._loading = False
        self._named: list[Named] = []  # the tools as the tool choice last saw them
        self._setup_ui()

    # -- public ------------------------------------------------------------------------------

    def load(self, ws: Workspace) -> None:
        self._loading = True
        self._tools = [t.model_copy() for t in ws.tools]

        self._texts = [json.dumps(t.parameters, indent=2) for t in self._tools]
        row = self.list.currentRow()  # a redraw (undo) stays on the tool being edited
        self._refill(row if 0 <= row < len(self._tools) else (0 if self._tools else -1))
        self.hosted.load(ws.builtin_tools)
        self.custom.load(ws.custom_tools)
        self.mcp.load(ws.mcp_tools, ws.mcp_auto_approve)
        self._named = []  # a loaded workspace renamed nothing
        self._refill_choice(ws.tool_choice)
        self._loading = False

    def apply(self, ws: Workspace) -> Workspace:
        builtin = self.hosted.value()
        return ws.model_copy(
            update={
                "tools": [t.model_copy() for t in self._tools],
                "custom_tools": self.custom.tools(),
                "mcp_tools": self.mcp.tools(),
                "mcp_auto_approve": self.mcp.auto_approve.isChecked(),
                "builtin_tools": builtin,
                "tool_choice": self._choice(),
            }
        )

    def schema_texts(self) -> list[str]:
        """The schema text of each tool as typed, valid or not."""
        return list(self._texts)

    def show_drafts(self, drafts: dict[str, str]) -> None:
        """Show the half-typed schemas kept by the Document ("tools[i].parameters")."""
        for i in range(len(self._texts)):
            text = drafts.get(f"tools[{i}].parameters")
            if text is not None:
                self._texts[i] = text
        row = self.list.currentRow()
        if 0 <= row < len(self._tools):
            self._show(row)

    def largest_schema(self) -> int:
        """Characters in the longest schema text (a cue for slow validation)."""
        return max((len(t) for t in self._texts), default=0)

    def problems(self) -> list[str]:
        """Editor problems that must block Run (a schema that is not even valid JSON)."""
        out = []
        for tool, text in zip(self._tools, self._texts, strict=True):
            value, problem = parse_schema_text(text)
            if value is None and tool.enabled:
                out.append(f"tool {tool.name}: {problem}")
        # (a grammar that cannot be read is a finding of its own: core.validation)
        return out + self.hosted.problems()

    def add_tool(self, name: str | None = None) -> None:
        base = name or "new_tool"
        taken = {t.name for t in self._tools}
        n, candidate = 1, base
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        tool = FunctionTool(
            name=candidate, description="", strict=True, parameters=TEMPLATES["Empty object"]
        )
        self._tools.append(tool)

        self._texts.append(json.dumps(tool.parameters, indent=2))
        self._refill(len(self._tools) - 1)
        self.changed.emit()

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        content = QWidget()
        outer.addWidget(scrolling(content, 0))  # a short window scrolls the pane, not the schema
        layout = QVBoxLayout(content)
        made = item_list(
            layout,
            "Functions",
            ("Add function", "Define a new function tool", self.add_tool),
            ("Delete the selected function tool", self._on_remove_clicked),
            ("Tools", "Tick a tool to send it; select it to edit", 110),
            self._on_selected,
            self._on_item_changed,
        )
        self.remove, self.list, self.editor, form = made.remove, made.list, made.editor, made.form
        self.name = QLineEdit()
        self.name.setToolTip("Function name: 1 to 64 letters, digits, _ or -")
        self.name.textEdited.connect(self._on_field_edited)
        form.addRow("Name", self.name)
        self.description = QLineEdit()
        self.description.setToolTip("What the function does; the model reads this")
        self.description.textEdited.connect(self._on_field_edited)
        form.addRow("Description", self.description)
        self.strict = QCheckBox("Strict schema")
        self.strict.setToolTip(
            "strict: true — the model's arguments always match the schema; "
            "needs additionalProperties: false and every property required"
        )
        self.strict.toggled.connect(self._on_field_edited)
        form.addRow("", self.strict)
        self.schema = SchemaEditor()
        self.schema.changed.connect(self._on_field_edited)
        form.addRow("Parameters", self.schema)
        self.mock = QPlainTextEdit()
        self.mock.setPlaceholderText('{"temperature_c": 18}')
        self.mock.setToolTip("Mock output (JSON or text) used when the loop runs on mocks")
        self.mock.setFixedHeight(56)
        self.mock.textChanged.connect(self._on_field_edited)
        form.addRow("Mock output", self.mock)
        layout.addWidget(self.editor, 1)
        self.custom = CustomToolsEditor()
        self.custom.changed.connect(self._on_custom_changed)
        layout.addWidget(self.custom)
        self.mcp = McpToolsEditor()
        self.mcp.changed.connect(self._on_custom_changed)  # the tool choice lists servers
        layout.addWidget(self.mcp)
        self.choice = ToolChoiceEditor()
        self.choice.changed.connect(self._emit)
        layout.addWidget(self.choice)

        self.hosted = HostedToolsEditor()
        self.hosted.changed.connect(self._on_custom_changed)
        layout.addWidget(self.hosted)

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
        if select < 0:
            self._show(None)
        self._refill_choice(self._choice())
        self._loading = was

    def _refill_choice(self, current: ToolChoice | None) -> None:
        """List the tools in the tool choice; a renamed tool takes the choice along."""
        named: list[Named] = [("function", t.name) for t in self._tools]
        named += [("custom", t.name) for t in self.custom.tools()]
        named += [("mcp", t.server_label) for t in self.mcp.tools()]
        if self._named:
            current = follow_renames(current, renames(self._named, named))
        self._named = named
        refs: list[dict[str, Any]] = [
            {"type": kind, "server_label" if kind == "mcp" else "name": name}
            for kind, name in named
        ]
        self.choice.set_tools(refs + self.hosted.hosted_refs(), current)

    def _choice(self) -> ToolChoice | None:
        return self.choice.choice()

    def _on_custom_changed(self) -> None:
        self._refill_choice(self._choice())
        self._emit()

    def _show(self, index: int | None) -> None:
        self._loading, was = True, self._loading
        tool = self._tools[index] if index is not None else None
        self.name.setText(tool.name if tool else "")
        self.description.setText(tool.description or "" if tool else "")
        self.strict.setChecked(bool(tool and tool.strict))
        self.schema.set_strict(bool(tool and tool.strict))
        self.schema.edit.setPlainText(self._texts[index] if index is not None else "")
        self.mock.setPlainText(tool.mock_output or "" if tool else "")
        self._loading = was

    def _on_selected(self, row: int) -> None:
        if 0 <= row < len(self._tools):
            self._show(row)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if self._loading or not 0 <= row < len(self._tools):
            return
        enabled = item.checkState() == Qt.CheckState.Checked
        self._tools[row] = self._tools[row].model_copy(update={"enabled": enabled})
        self.changed.emit()

    def _on_field_edited(self) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self._tools):
            return
        self.schema.set_strict(self.strict.isChecked())
        text = self.schema.edit.toPlainText()
        self._texts[row] = text
        value, _ = parse_schema_text(text)
        old = self._tools[row]
        self._tools[row] = old.model_copy(
            update={
                "name": self.name.text().strip(),
                "description": self.description.text() or None,
                "strict": self.strict.isChecked(),
                "parameters": value if value is not None else old.parameters,
                "mock_output": self.mock.toPlainText() or None,
            }
        )
        item = self.list.item(row)
        if item is not None and item.text() != self._tools[row].name:
            self._loading = True
            item.setText(self._tools[row].name)
            self._loading = False
            self._refill_choice(self._choice())
        self.changed.emit()

    def _on_remove_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._tools):
            del self._tools[row]
            del self._texts[row]
            self._refill(min(row, len(self._tools) - 1))
            self.changed.emit()

    def _emit(self) -> None:
        if not self._loading:
            self.changed.emit()
