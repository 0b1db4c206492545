"""The tool choice control: auto, none, required, one function or custom tool, a hosted tool,
or allowed_tools (a mode and a subset of the tools, picked in a list)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.core.workspace import HOSTED_CHOICES, ToolChoice

ALLOWED = "allowed_tools"


class ToolChoiceEditor(QWidget):
    """Edits Workspace.tool_choice; `set_tools` says which tools it can name."""

    changed = Signal()
    """The choice was edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._refs: list[dict[str, Any]] = []  # what allowed_tools can list
        self._allowed: list[dict[str, Any]] = []
        self._setup_ui()

    def set_tools(self, refs: list[dict[str, Any]], choice: ToolChoice | None) -> None:
        """The tools in the request as references (`{"type": "function", "name": ...}`,
        `{"type": "web_search"}`), and the choice to show."""
        self._refs = [dict(r) for r in refs]
        self._allowed = list(choice.allowed) if choice and choice.mode == ALLOWED else []
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("(not sent)", None)
        for mode in ("auto", "none", "required"):
            self.combo.addItem(mode, ToolChoice(mode=mode))  # type: ignore[arg-type]
        for ref in self._refs:
            if ref.get("type") in ("function", "custom") and ref.get("name"):
                self.combo.addItem(
                    f"{ref['type']}: {ref['name']}",
                    ToolChoice(mode=ref["type"], name=ref["name"]),
                )
            if ref.get("type") == "mcp" and ref.get("server_label"):
                label = ref["server_label"]
                self.combo.addItem(f"mcp: {label}", ToolChoice(mode="mcp", server_label=label))
        # a choice naming a tool the list lacks (removed, or half-renamed) stays as it is:
        # Run says what is wrong instead of the choice silently becoming "(not sent)"
        listed = [self.combo.itemData(i) for i in range(self.combo.count())]  # findData: `is`
        if choice and choice.mode in ("function", "custom", "mcp") and choice not in listed:
            named = f"{choice.server_label} {choice.name or ''}" if choice.mode == "mcp" else ""
            text = f"{choice.mode}: {named or choice.name or ''}".strip()
            self.combo.addItem(text, choice)
        for hosted in HOSTED_CHOICES:
            self.combo.addItem(f"hosted: {hosted}", ToolChoice(mode="hosted", hosted=hosted))
        self.combo.addItem("allowed tools…", ALLOWED)
        index = 0
        for i in range(self.combo.count()):
            data = self.combo.itemData(i)
            if data == choice or (data == ALLOWED and choice and choice.mode == ALLOWED):
                index = i
        if choice and choice.mode == ALLOWED:
            self.mode.setCurrentIndex(max(0, self.mode.findText(choice.allowed_mode)))
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)
        self._refill_allowed()

    def choice(self) -> ToolChoice | None:
        data = self.combo.currentData()
        if data == ALLOWED:
            return ToolChoice(
                mode="allowed_tools",
                allowed_mode="required" if self.mode.currentText() == "required" else "auto",
                allowed=[dict(r) for r in self._allowed],
            )
        return data if isinstance(data, ToolChoice) else None

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Tool choice"))
        self.combo = QComboBox()
        self.combo.setAccessibleName("Tool choice")
        self.combo.setToolTip(
            "auto: the model decides; none: no calls; required: at least one call; force one "
            "function, custom tool or hosted tool; or allow only some tools"
        )
        # long entries (hosted: web_search_preview_2025_03_11) must not widen the pane
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(8)
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        row.addWidget(self.combo, 1)
        layout.addLayout(row)
        self.subset = QWidget()
        sub = QVBoxLayout(self.subset)
        sub.setContentsMargins(12, 0, 0, 0)
        mode_row = QHBoxLayout()
        mode_row.addWidget(QLabel("Mode"))
        self.mode = QComboBox()
        self.mode.setAccessibleName("Allowed tools mode")
        self.mode.addItems(["auto", "required"])
        self.mode.setToolTip("auto: the model may call an allowed tool; required: it must")
        self.mode.currentIndexChanged.connect(self._emit)
        mode_row.addWidget(self.mode, 1)
        sub.addLayout(mode_row)
        self.allowed = QListWidget()
        self.allowed.setAccessibleName("Allowed tools")
        self.allowed.setToolTip("Tick the tools the model may call")
        self.allowed.setMaximumHeight(90)
        self.allowed.itemChanged.connect(self._on_allowed_changed)
        sub.addWidget(self.allowed)
        layout.addWidget(self.subset)
        self.subset.setVisible(False)

    def _refill_allowed(self) -> None:
        self.allowed.blockSignals(True)
        self.allowed.clear()
        listed = self._refs + [r for r in self._allowed if r not in self._refs]
        for ref in listed:
            named = ref.get("name") or ref.get("server_label")
            label = f"{ref.get('type')}: {named}" if named else str(ref.get("type"))
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, ref)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = ref in self._allowed
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.allowed.addItem(item)
        self.allowed.blockSignals(False)
        self.subset.setVisible(self.combo.currentData() == ALLOWED)

    def _on_combo_changed(self) -> None:
        self.subset.setVisible(self.combo.currentData() == ALLOWED)
        self._emit()

    def _on_allowed_changed(self) -> None:
        items = [self.allowed.item(i) for i in range(self.allowed.count())]
        self._allowed = [
            it.data(Qt.ItemDataRole.UserRole)
            for it in items
            if it.checkState() == Qt.CheckState.Checked
        ]
        self._emit()

    def _emit(self) -> None:
        if not self.combo.signalsBlocked():
            self.changed.emit()
