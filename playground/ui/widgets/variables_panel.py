"""The Variables setup tab: each `{{name}}` the request uses, with its value for interactive
runs. A variable without a value is marked (and blocks Run: its finding says where it is
used); a value kept for a name no text uses any more can be forgotten."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.ui.theme import accent
from playground.ui.widgets.growing_text_edit import GrowingTextEdit
from playground.ui.widgets.pane_fit import scrolling
from playground.ui.widgets.schema_editor import mono_font

HINT = (
    "Write {{name}} in the instructions, a message, a tool's description or its mock "
    "output; its value below is filled in when the request is sent. Write \\{{ for a "
    "literal {{."
)


class _Row:
    """The widgets of one variable: its name, its value and its state."""

    def __init__(self, panel: VariablesPanel, name: str) -> None:
        self.name = QLabel(f"{{{{{name}}}}}")
        self.name.setFont(mono_font())
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value = GrowingTextEdit(max_lines=6)
        self.value.setAccessibleName(f"Value of {name}")
        self.value.setAccessibleDescription(
            f"What {{{{{name}}}}} is replaced with when the request is sent; "
            "left empty, the variable has no value and Run is blocked"
        )
        self.value.setPlaceholderText("no value")
        self.value.textChanged.connect(lambda: panel._on_value_edited(name, self.value))
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.forget = QPushButton("Forget")
        self.forget.setToolTip(f"Forget the value of {name}: no text uses it")
        self.forget.setAccessibleDescription(f"Forget the value of {name}: no text uses it")
        self.forget.clicked.connect(lambda: panel.forget_requested.emit(name))

        self.box = QWidget()
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(0, 0, 0, 6)
        head = QHBoxLayout()
        head.addWidget(self.name, 1)
        head.addWidget(self.forget)
        layout.addLayout(head)
        layout.addWidget(self.value)
        layout.addWidget(self.state)


class VariablesPanel(QWidget):
    """Shows `names` and `values`; says by signal what the user typed (the view writes it
    through the Document)."""

    value_edited = Signal(str, object)
    """(name, its new value, or None when the field was emptied: no value)."""
    forget_requested = Signal(str)
    """Forget the stored value of this name (no text uses it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[str, _Row] = {}
        self._order: list[tuple[str, bool]] = []
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        content = QWidget()
        outer.addWidget(scrolling(content, 0))
        layout = QVBoxLayout(content)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.hint)
        self.empty = QLabel("No variables yet.")
        layout.addWidget(self.empty)
        self.rows_box = QWidget()
        self.rows = QVBoxLayout(self.rows_box)
        self.rows.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rows_box)

    def show_variables(self, names: list[str], values: dict[str, str]) -> None:
        """Rows for `names` (the variables the texts use, in order) and then for the values
        no text uses; each field shows its value, unless it already does."""
        order = [(n, True) for n in names] + [(n, False) for n in values if n not in names]
        self._loading = True
        try:
            if order != self._order:
                self._rebuild(order)
            for name, used in order:
                row = self._rows[name]
                value = values.get(name)
                if row.value.toPlainText() != (value or ""):
                    row.value.setPlainText(value or "")
                self._show_state(row, used, value is not None)
        finally:
            self._loading = False

    def row_names(self) -> list[str]:
        """The names shown, in order."""
        return [n for n, _ in self._order]

    def value_field(self, name: str) -> GrowingTextEdit:
        return self._rows[name].value

    def state_text(self, name: str) -> str:
        return self._rows[name].state.text()

    # -- private -----------------------------------------------------------------------------

    def _rebuild(self, order: list[tuple[str, bool]]) -> None:
        keep = {n for n, _ in order}
        for name in [n for n in self._rows if n not in keep]:
            box = self._rows.pop(name).box
            self.rows.removeWidget(box)
            box.deleteLater()
        for i, (name, _) in enumerate(order):
            row = self._rows.get(name) or _Row(self, name)
            self._rows[name] = row
            self.rows.insertWidget(i, row.box)  # moves a row that is already there
        self._order = order
        self.empty.setVisible(not order)
        self.rows_box.setVisible(bool(order))

    def _show_state(self, row: _Row, used: bool, has_value: bool) -> None:
        if not used:
            text, color = "Not used by any text: kept, not sent.", "muted"
        elif not has_value:
            text, color = "No value: Run is blocked until it has one.", "error"
        else:
            text, color = "", "muted"
        row.state.setText(text)
        row.state.setVisible(bool(text))
        row.state.setStyleSheet(f"color: {accent(color).name()};")
        row.state.setAccessibleName(text)
        row.forget.setVisible(not used)

    def _on_value_edited(self, name: str, field: GrowingTextEdit) -> None:
        if self._loading:
            return
        text = field.toPlainText()
        self.value_edited.emit(name, text or None)
