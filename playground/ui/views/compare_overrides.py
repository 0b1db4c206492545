"""A Compare column's overrides: the editors for what a variant changes (model, provider profile,
API, any parameter as KEY=VALUE, instructions) and the list of how it differs from the base.

The editor keeps no variant of its own: `load` draws one, and every edit is raised as the whole
new overrides dict (`overrides_edited`); the Compare view writes it into the Document."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.document import PathError
from playground.core.variants import Variant, differences, parse
from playground.core.workspace import Workspace
from playground.ui.theme import accent
from playground.ui.widgets.pane_fit import narrow_form

APIS = [("", "(base)"), ("responses", "Responses"), ("chat", "Chat Completions")]
TYPING_MS = 400
"""Instructions typed into a column join the Document this long after the last keystroke."""


def shown(value: Any) -> str:
    """An override's value as the user typed it (text as is, the rest as JSON)."""
    if isinstance(value, str):
        return value if len(value) <= 40 else value[:39] + "…"
    return json.dumps(value)


def model_ids() -> list[str]:
    """The catalog's text models, for the model box (typing any other id works too)."""
    from playground.core import catalog

    return sorted(m.id for m in catalog.models() if "text" in m.output_modalities)


class OverridesEditor(QWidget):
    """See the module docstring."""

    overrides_edited = Signal(dict, str, bool)
    """(the new overrides, the undo label, whether typing joins the previous step)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._overrides: dict[str, Any] = {}
        self._typing = QTimer(self, singleShot=True, interval=TYPING_MS)
        self._typing.timeout.connect(self._on_instructions_typed)
        self._setup_ui()

    def load(self, variant: Variant, base: Workspace, profiles: list[str]) -> None:
        """Draw `variant`'s overrides of `base` (`profiles`: the names to choose from)."""
        self._loading = True
        try:
            self._overrides = dict(variant.overrides)
            over = self._overrides
            self._model_line().setPlaceholderText(f"{base.model} (base)")
            if self.model.currentText() != over.get("model", ""):
                self.model.setCurrentText(str(over.get("model", "")))
            names = ["", *profiles]
            if [self.profile.itemData(i) for i in range(self.profile.count())] != names:
                self.profile.clear()
                for name in names:
                    self.profile.addItem(name or f"(base: {base.profile})", name)
            self.profile.setItemText(0, f"(base: {base.profile})")
            wanted = str(over.get("profile", ""))
            if self.profile.findData(wanted) < 0:
                self.profile.addItem(f"{wanted} (not set up)", wanted)
            self.profile.setCurrentIndex(self.profile.findData(wanted))
            self.api.setCurrentIndex(max(self.api.findData(over.get("api", "")), 0))
            text = str(over.get("instructions", ""))
            if self.instructions.toPlainText() != text and not self._typing.isActive():
                self.instructions.setPlainText(text)
            self.instructions.setPlaceholderText(
                "Instructions for this variant (empty: the base's)"
            )
            self._show_differences(variant, base)
        finally:
            self._loading = False

    def add_parameter(self, text: str) -> str | None:
        """Take a KEY=VALUE override (core.variants.parse); why it cannot be, or None."""
        try:
            path, value = parse(text)
        except PathError as exc:
            return str(exc)
        self._emit({**self._overrides, path: value}, f"Set {path} in a variant")
        return None

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        self.diff_box = QVBoxLayout()  # how it differs from the base: always shown
        self.diff_box.setSpacing(0)
        outer.addLayout(self.diff_box)
        self.toggle = QToolButton()
        self.toggle.setText("Edit overrides")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setToolTip("Model, provider, API, any parameter, instructions")
        self.toggle.toggled.connect(self._on_toggled)
        outer.addWidget(self.toggle)
        self.editors = QWidget()
        self.editors.hide()
        outer.addWidget(self.editors)
        layout = QVBoxLayout(self.editors)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        form = narrow_form(QFormLayout())  # a compare column can be narrow
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.addItems(["", *model_ids()])
        self.model.setToolTip("This variant's model (empty: the base request's)")
        self._model_line().editingFinished.connect(self._on_model_edited)
        self.model.activated.connect(lambda _i: self._on_model_edited())
        form.addRow("Model", self.model)
        self.profile = QComboBox()
        self.profile.setToolTip("The provider profile this variant runs on")
        self.profile.currentIndexChanged.connect(
            lambda _i: self._set("profile", self.profile.currentData(), "provider")
        )
        form.addRow("Provider", self.profile)
        self.api = QComboBox()
        for key, label in APIS:
            self.api.addItem(label, key)
        self.api.setToolTip("The API this variant uses")
        self.api.currentIndexChanged.connect(
            lambda _i: self._set("api", self.api.currentData(), "API")
        )
        form.addRow("API", self.api)
        self.param = QLineEdit()
        self.param.setPlaceholderText("KEY=VALUE, e.g. temperature=0.2")
        self.param.setToolTip(
            "Override any parameter: its name and a value (JSON, or text); Enter adds it"
        )
        self.param.returnPressed.connect(self._on_param_entered)
        self.param.textChanged.connect(self._on_param_typed)
        form.addRow("Parameter", self.param)
        layout.addLayout(form)
        self.param_error = QLabel()
        self.param_error.setWordWrap(True)
        self.param_error.setStyleSheet(f"color: {accent('error').name()};")
        self.param_error.hide()
        layout.addWidget(self.param_error)
        self.instructions = QPlainTextEdit()
        self.instructions.setFixedHeight(52)
        self.instructions.setTabChangesFocus(True)
        self.instructions.setToolTip("Instructions for this variant only")
        self.instructions.textChanged.connect(self._on_instructions_changed)
        layout.addWidget(self.instructions)

    def _on_toggled(self, shown: bool) -> None:
        self.editors.setVisible(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _show_differences(self, variant: Variant, base: Workspace) -> None:
        """One line per override: what it changes from the base, with a button to drop it."""
        while self.diff_box.count():
            item = self.diff_box.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        try:
            changed = {path: (old, new) for path, old, new in differences(base, variant)}
        except PathError as exc:
            note = QLabel(f"✗ {exc}")
            note.setWordWrap(True)
            note.setStyleSheet(f"color: {accent('error').name()};")
            self.diff_box.addWidget(note)
            changed = {}
        if not variant.overrides:
            self.diff_box.addWidget(self._muted("Same as the base request"))
        for path, value in variant.overrides.items():
            name = path.removeprefix("params.")
            if path in changed:
                old, new = changed[path]
                was = shown(old) if old not in (None, "") else "(unset)"
                text = f"{name}: {was} → {shown(new)}"
            else:
                text = f"{name} = {shown(value)} (as the base)"
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel(text) if path in changed else self._muted(text)
            label.setToolTip(f"{path}: {json.dumps(value)}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            line.addWidget(label, 1)
            drop = QToolButton()
            drop.setText("✕")
            drop.setAutoRaise(True)
            drop.setToolTip(f"Drop this override ({name} as the base request has it)")
            drop.clicked.connect(lambda _=False, p=path: self._drop(p))
            line.addWidget(drop)
            self.diff_box.addWidget(row)

    def differences_text(self) -> list[str]:
        """The lines the differences list shows (for tests and screen readers)."""
        out = []
        for i in range(self.diff_box.count()):
            item = self.diff_box.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is None:
                continue
            label = widget if isinstance(widget, QLabel) else widget.findChild(QLabel)
            if label is not None:
                out.append(label.text())
        return out

    def _model_line(self) -> QLineEdit:
        line = self.model.lineEdit()
        assert line is not None  # the box is editable
        return line

    @staticmethod
    def _muted(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {accent('muted').name()};")
        return label

    def _emit(self, overrides: dict[str, Any], label: str, typing: bool = False) -> None:
        if overrides != self._overrides:
            self._overrides = overrides
            self.overrides_edited.emit(overrides, label, typing)

    def _set(self, path: str, value: Any, what: str) -> None:
        if self._loading:
            return
        over = {k: v for k, v in self._overrides.items() if k != path}
        if value not in (None, ""):
            over[path] = value
        self._emit(over, f"Change a variant's {what}")

    def _drop(self, path: str) -> None:
        self._emit({k: v for k, v in self._overrides.items() if k != path}, "Drop an override")

    def _on_model_edited(self) -> None:
        self._set("model", self.model.currentText().strip(), "model")

    def _on_param_entered(self) -> None:
        error = self.add_parameter(self.param.text())
        self.param_error.setText(error or "")
        self.param_error.setVisible(error is not None)
        if error is None:
            self.param.clear()

    def _on_param_typed(self, text: str) -> None:
        if not text.strip():  # what the error was about is gone
            self.param_error.clear()
            self.param_error.hide()

    def _on_instructions_changed(self) -> None:
        if not self._loading:
            self._typing.start()

    def _on_instructions_typed(self) -> None:
        text = self.instructions.toPlainText()
        over = {k: v for k, v in self._overrides.items() if k != "instructions"}
        if text:
            over["instructions"] = text
        self._emit(over, "Edit a variant's instructions", typing=True)

    def flush(self) -> None:
        """Take instructions still being typed in now."""
        if self._typing.isActive():
            self._typing.stop()
            self._on_instructions_typed()


__all__ = ["OverridesEditor", "shown"]
