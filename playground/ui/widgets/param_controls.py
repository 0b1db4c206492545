"""The control that edits one declared parameter (core/params.py), with its getter and setter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from playground.core.params import Param
from playground.ui.widgets.common import UnsetSpin
from playground.ui.widgets.param_checks import CheckList

_INT32 = 2**31 - 1
Getter = Callable[[], Any]
Setter = Callable[[Any], None]


def control_for(decl: Param) -> tuple[QWidget, Getter | None, Setter | None]:
    """The widget that edits a declared parameter, with its getter and setter when the
    widget's own value is not the parameter's value."""
    if decl.control == "dspin":
        low = -1e9 if decl.low is None else decl.low
        high = 1e9 if decl.high is None else decl.high
        box = QDoubleSpinBox(minimum=low, maximum=high, singleStep=decl.step, decimals=2)
        box.setValue(float(decl.default or 0))
        return box, None, None
    if decl.control == "spin":
        # QSpinBox holds 32-bit integers: wider declared ranges are clamped to that
        low = 0 if decl.low is None else max(int(min([decl.low, *decl.lows.values()])), -_INT32)
        high = 10_000_000 if decl.high is None else min(int(decl.high), _INT32)
        # a seed has no server default to show: the box reads "none" while it is not sent
        spin = UnsetSpin() if decl.name == "seed" else QSpinBox()
        spin.setRange(low, high)
        spin.setValue(low if decl.default is None else min(max(int(decl.default), low), high))
        return spin, None, None
    if decl.control == "combo":
        combo = QComboBox()
        combo.addItems(list(decl.choices))
        if decl.default is not None:
            combo.setCurrentText(str(decl.default))
        return combo, None, None
    if decl.control == "checks":
        checks = CheckList(decl)
        return checks, checks.value, checks.set_value
    if decl.control == "toggle":
        toggle = QComboBox()
        toggle.addItems(["on", "off"])
        return (
            toggle,
            lambda: toggle.currentText() == "on",
            lambda v: toggle.setCurrentText("on" if v else "off"),
        )
    line = QLineEdit()
    line.setMinimumWidth(140)  # in a narrow pane: under its label, not a few letters wide
    if decl.control == "list":
        line.setPlaceholderText("first|second")
        return (
            line,
            lambda: [s for s in line.text().split("|") if s],
            lambda v: line.setText("|".join(v)),
        )
    if decl.control == "pairs":
        line.setPlaceholderText("key=value, key=value")
        return (
            line,
            lambda: dict(p.split("=", 1) for p in line.text().split(",") if "=" in p) or None,
            lambda v: line.setText(", ".join(f"{k}={x}" for k, x in v.items())),
        )
    if decl.name == "previous_response_id":
        line.setPlaceholderText("resp_…")
    return line, None, None


def set_choices(combo: QComboBox, items: list[str], keep: bool) -> None:
    """Offer `items` in `combo` without a change signal; the current value stays chosen when
    it is one of them, or (with `keep`: the parameter is sent) as an extra item, so the
    finding that the API does not take it is shown rather than the value changed silently."""
    current = combo.currentText()
    if current and current not in items and keep:
        items = [*items, current]
    combo.blockSignals(True)
    combo.clear()
    combo.addItems(items)
    if current in items:
        combo.setCurrentText(current)
    combo.blockSignals(False)


def default_getter(control: QWidget) -> Callable[[], Any]:
    if isinstance(control, QDoubleSpinBox):
        return lambda: round(control.value(), 4)
    if isinstance(control, QSpinBox):
        return control.value
    if isinstance(control, QComboBox):
        return control.currentText
    if isinstance(control, QLineEdit):
        return lambda: control.text() or None
    raise TypeError(control)


def default_setter(control: QWidget) -> Callable[[Any], None]:
    if isinstance(control, QDoubleSpinBox | QSpinBox):
        return lambda v: control.setValue(v)
    if isinstance(control, QComboBox):
        return lambda v: control.setCurrentText(str(v))
    if isinstance(control, QLineEdit):
        return lambda v: control.setText(str(v))
    raise TypeError(control)
