"""The "checks" control: one checkbox per value a "flags" parameter lists (include).

A value another parameter holds (`Param.links`: include's message.output_text.logprobs is
the logprobs setting) gets a checkbox that mirrors and sets that parameter's row, so the
value has one source: the linked parameter. The list's own value leaves it out.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QVBoxLayout, QWidget

from playground.core.params import Param

SHORT = {
    "file_search_call.results": "file search results",
    "web_search_call.results": "web search results",
    "web_search_call.action.sources": "web search sources",
    "message.input_image.image_url": "input image URLs",
    "computer_call_output.output.image_url": "computer call screenshots",
    "code_interpreter_call.outputs": "code interpreter outputs",
    "reasoning.encrypted_content": "encrypted reasoning",
    "message.output_text.logprobs": "output logprobs",
}
"""Short labels for include's values (the wire value is each box's tooltip): the long dotted
names would make the Parameters pane wider than a 1000-pixel window leaves it."""


class CheckList(QWidget):
    """Checkboxes for `decl.choices`; `value()` is the ticked ones that are not linked, in
    the declared order."""

    valueChanged = Signal(list)  # the name the panel connects, as on Qt's own controls
    """The ticked values changed."""

    def __init__(self, decl: Param, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._decl = decl
        self.boxes: dict[str, QCheckBox] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        for value in decl.choices:
            box = QCheckBox(SHORT.get(value, value))
            box.setAccessibleName(f"{decl.name} {SHORT.get(value, value)}")
            box.setAccessibleDescription(value)
            box.setToolTip(value)
            linked = decl.links.get(value)
            if linked:
                box.setToolTip(f"{value}: the same as the {linked.replace('_', ' ')} setting")
            else:
                box.toggled.connect(lambda _on: self.valueChanged.emit(self.value()))
            lay.addWidget(box)
            self.boxes[value] = box

    def value(self) -> list[str]:
        return [v for v, box in self.boxes.items() if box.isChecked() and v not in self._decl.links]

    def set_value(self, values: list[str]) -> None:
        for v, box in self.boxes.items():
            if v not in self._decl.links:
                box.blockSignals(True)
                box.setChecked(v in values)
                box.blockSignals(False)
        self.valueChanged.emit(self.value())

    def link(self, value: str, check: QCheckBox, toggle: QComboBox) -> None:
        """Make the box of `value` mirror a bool row (its send checkbox and on/off toggle)
        and set it when clicked."""
        box = self.boxes[value]

        def mirror() -> None:
            box.blockSignals(True)
            box.setChecked(check.isChecked() and toggle.currentText() == "on")
            box.blockSignals(False)

        def clicked(on: bool) -> None:
            if on:
                toggle.setCurrentText("on")
            check.setChecked(on)

        check.toggled.connect(lambda _on: mirror())
        toggle.currentTextChanged.connect(lambda _t: mirror())
        box.toggled.connect(clicked)
        mirror()
