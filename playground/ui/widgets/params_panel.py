"""Generation parameters: a control per parameter, each sent only when its box is ticked."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core import catalog
from playground.core.catalog import ModelInfo
from playground.core.learned import LearnedRule
from playground.core.wire_names import field_for_wire
from playground.core.workspace import Parameters, Workspace
from playground.ui.theme import accent
from playground.ui.widgets.common import tool_button
from playground.ui.widgets.learned_notes import LearnedNotes


@dataclass
class _Row:
    name: str
    check: QCheckBox
    control: QWidget
    get: Callable[[], Any]
    set: Callable[[Any], None]
    reason: QLabel


def _dspin(low: float, high: float, step: float, value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox(minimum=low, maximum=high, singleStep=step, value=value, decimals=2)
    return box


def _combo(values: list[str]) -> QComboBox:
    box = QComboBox()
    box.addItems(values)
    return box


def _tri() -> QComboBox:
    return _combo(["on", "off"])


class ParamsPanel(QWidget):
    """Edits Workspace.params, stream and extra_body."""

    changed = Signal()
    """A parameter was edited."""
    forget_requested = Signal(object)
    """The user asked to forget a LearnedRule shown under its parameter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[str, _Row] = {}
        self.learned: dict[str, LearnedNotes] = {}
        """The learned-rule notes under each row; "" holds rules no row edits (tools)."""
        self._setup_ui()

    # -- public ------------------------------------------------------------------------------

    def load(self, ws: Workspace) -> None:
        self.blockSignals(True)
        for name, row in self._rows.items():
            value = getattr(ws.params, name)
            row.check.setChecked(value is not None)
            if value is not None:
                row.set(value)
        self.stream.setChecked(ws.stream)
        self.extra.setPlainText(json.dumps(ws.extra_body, indent=2) if ws.extra_body else "")
        self.blockSignals(False)
        self._sync_enabled()

    def apply(self, ws: Workspace) -> Workspace:
        values = {
            name: (row.get() if row.check.isChecked() else None) for name, row in self._rows.items()
        }
        values["max_tokens_name"] = ws.params.max_tokens_name
        params = Parameters(**values)
        extra, _ = self.extra_body()
        return ws.model_copy(
            update={"params": params, "stream": self.stream.isChecked(), "extra_body": extra}
        )

    def extra_body(self) -> tuple[dict[str, Any] | None, str]:
        """(value, problem) of the extra_body editor."""
        text = self.extra.toPlainText().strip()
        if not text:
            return None, ""
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            return None, f"extra_body: JSON syntax error at line {exc.lineno}, column {exc.colno}"
        if not isinstance(value, dict):
            return None, "extra_body must be a JSON object"
        return value, ""

    def set_model(self, info: ModelInfo, api: str) -> None:
        """Disable what this model or API does not take, and say why."""
        for name, row in self._rows.items():
            reason = ""
            only = catalog.API_ONLY.get(name)
            if only is not None and only != api:
                reason = f"only in {'Chat Completions' if only == 'chat' else 'Responses'}"
            elif not info.accepts(name) or (name == "logprobs" and not info.accepts("logprobs")):
                reason = f"{info.id} ignores {name.replace('_', ' ')}"
            row.reason.setText(reason)
            row.reason.setVisible(bool(reason))
            row.check.setEnabled(not reason)
            row.control.setEnabled(not reason and row.check.isChecked())
            row.check.setToolTip(
                row.control.toolTip() + (f"\nNot sent: {reason}" if reason else "")
            )
        effort = self._rows["reasoning_effort"].control
        assert isinstance(effort, QComboBox)
        current = effort.currentText()
        effort.blockSignals(True)
        effort.clear()
        effort.addItems(list(info.efforts) or ["none", "minimal", "low", "medium", "high"])
        effort.setCurrentText(current if current else "medium")
        effort.blockSignals(False)

    def set_learned(self, rules: Sequence[LearnedRule]) -> None:
        """Show each learned rule under its parameter's row (the rest at the top)."""
        for name, notes in self.learned.items():
            notes.set_rules(
                [r for r in rules if (r.param if r.param in self._rows else "") == name]
            )

    def highlight(self, param: str | None) -> None:
        """Mark the control the server complained about (a wire path; None clears)."""
        key = field_for_wire(param)
        for name, row in self._rows.items():
            row.control.setProperty("invalid", name == key)
            row.control.style().unpolish(row.control)
            row.control.style().polish(row.control)
        self.extra.setProperty("invalid", False)

    def highlighted(self) -> list[str]:
        return [n for n, r in self._rows.items() if r.control.property("invalid")]

    def control(self, name: str) -> QWidget:
        return self._rows[name].control

    def check(self, name: str) -> QCheckBox:
        return self._rows[name].check

    def reason(self, name: str) -> str:
        return self._rows[name].reason.text()

    def reset(self) -> None:
        for row in self._rows.values():
            row.check.setChecked(False)
        self.extra.clear()
        self.changed.emit()

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.stream = QCheckBox("Stream")
        self.stream.setToolTip("Stream the answer as it is generated (stream: true)")
        self.stream.toggled.connect(self.changed)
        top.addWidget(self.stream)
        top.addStretch(1)
        reset = QPushButton("Reset to defaults")
        reset.setToolTip("Untick every parameter, so the server defaults apply")
        reset.clicked.connect(self.reset)
        top.addWidget(reset)
        outer.addLayout(top)
        self._learned_notes("", outer)
        form = QFormLayout()
        r = catalog.ranges()
        self._add(
            form,
            "temperature",
            _dspin(0, 2, 0.1, 1.0),
            f"Sampling temperature, {r['temperature'].low:g} to {r['temperature'].high:g}"
            " (default 1). Higher is more random.",
        )
        self._add(form, "top_p", _dspin(0, 1, 0.05, 1.0), "Nucleus sampling, 0 to 1 (default 1).")
        self._add(
            form,
            "max_output_tokens",
            QSpinBox(minimum=1, maximum=1_000_000, value=1024),
            "Most tokens the answer may use (max_output_tokens in Responses; "
            "max_completion_tokens or max_tokens in Chat).",
        )
        self._add(
            form,
            "reasoning_effort",
            _combo(["low", "medium", "high"]),
            "How much the model reasons before answering (reasoning models).",
        )
        self._add(
            form,
            "reasoning_summary",
            _combo(["auto", "concise", "detailed"]),
            "Ask for a summary of the reasoning (Responses, reasoning models).",
        )
        self._add(
            form,
            "verbosity",
            _combo(["low", "medium", "high"]),
            "How long the answer should be (GPT-5 models).",
        )
        self._add(
            form,
            "presence_penalty",
            _dspin(-2, 2, 0.1, 0.0),
            "-2 to 2 (default 0): positive values favour new topics. Chat only.",
        )
        self._add(
            form,
            "frequency_penalty",
            _dspin(-2, 2, 0.1, 0.0),
            "-2 to 2 (default 0): positive values discourage repetition. Chat only.",
        )
        outer.addLayout(form)
        adv = tool_button(
            "Advanced",
            "Stop sequences, seed, logprobs, metadata, service tier, extra_body",
            checkable=True,
        )
        adv.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        adv.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced = adv
        inner = QWidget()
        aform = QFormLayout(inner)
        stop = QLineEdit()
        self._add(
            aform,
            "stop",
            stop,
            "Up to 4 sequences where the model stops, separated by | (Chat only).",
            get=lambda: [s for s in stop.text().split("|") if s],
            put=lambda v: stop.setText("|".join(v)),
        )
        self._add(
            aform,
            "seed",
            QSpinBox(minimum=0, maximum=2**31 - 1, value=0),
            "Best-effort determinism (Chat only).",
        )
        self._add(
            aform,
            "n",
            QSpinBox(minimum=1, maximum=128, value=1),
            "How many answers to generate, 1 to 128 (Chat only).",
        )
        logp = _tri()
        self._add(
            aform,
            "logprobs",
            logp,
            "Return log probabilities of the output tokens.",
            get=lambda: logp.currentText() == "on",
            put=lambda v: logp.setCurrentText("on" if v else "off"),
        )
        self._add(
            aform,
            "top_logprobs",
            QSpinBox(minimum=0, maximum=20, value=3),
            "Most likely alternatives per token, 0 to 20.",
        )
        store = _tri()
        self._add(
            aform,
            "store",
            store,
            "Store the response on the server (default on).",
            get=lambda: store.currentText() == "on",
            put=lambda v: store.setCurrentText("on" if v else "off"),
        )
        prev = QLineEdit()
        prev.setPlaceholderText("resp_…")
        self._add(
            aform, "previous_response_id", prev, "Continue from a stored response (Responses only)."
        )
        self._add(
            aform,
            "service_tier",
            _combo(["auto", "default", "flex", "priority"]),
            "Processing tier.",
        )
        meta = QLineEdit()
        meta.setPlaceholderText("key=value, key=value")
        self._add(
            aform,
            "metadata",
            meta,
            "Up to 16 key=value pairs stored with the request.",
            get=lambda: dict(p.split("=", 1) for p in meta.text().split(",") if "=" in p) or None,
            put=lambda v: meta.setText(", ".join(f"{k}={x}" for k, x in v.items())),
        )
        par = _tri()
        self._add(
            aform,
            "parallel_tool_calls",
            par,
            "Let the model call several tools at once.",
            get=lambda: par.currentText() == "on",
            put=lambda v: par.setCurrentText("on" if v else "off"),
        )
        self.extra = QPlainTextEdit()
        self.extra.setPlaceholderText('{"prompt_cache_key": "…"}')
        self.extra.setToolTip(
            "extra_body: JSON merged into the request body, for parameters "
            "this app does not know yet"
        )
        self.extra.setFixedHeight(70)
        self.extra.textChanged.connect(self.changed)
        aform.addRow("extra_body", self.extra)
        adv.toggled.connect(inner.setVisible)
        adv.toggled.connect(
            lambda on: adv.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        )
        inner.setVisible(False)
        outer.addWidget(adv)
        outer.addWidget(inner)
        outer.addStretch(1)

    def _add(
        self,
        form: QFormLayout,
        name: str,
        control: QWidget,
        tip: str,
        get: Callable[[], Any] | None = None,
        put: Callable[[Any], None] | None = None,
    ) -> None:
        check = QCheckBox(name.replace("_", " "))
        check.setToolTip(f"Send {name}. {tip}")
        control.setToolTip(tip)
        control.setEnabled(False)
        reason = QLabel()
        reason.setStyleSheet(f"color: {accent('muted').name()}; font-size: 11px;")
        reason.setVisible(False)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(control)
        lay.addWidget(reason)
        self._learned_notes(name, lay)
        form.addRow(check, box)
        getter = get or _default_getter(control)
        setter = put or _default_setter(control)
        self._rows[name] = _Row(name, check, control, getter, setter, reason)
        check.toggled.connect(lambda on: control.setEnabled(on))
        check.toggled.connect(self.changed)
        for sig in ("valueChanged", "currentTextChanged", "textEdited"):
            if hasattr(control, sig):
                getattr(control, sig).connect(self.changed)

    def _learned_notes(self, name: str, layout: QVBoxLayout) -> None:
        notes = self.learned[name] = LearnedNotes()
        notes.forget_requested.connect(self.forget_requested)
        layout.addWidget(notes)

    def _sync_enabled(self) -> None:
        for row in self._rows.values():
            row.control.setEnabled(row.check.isChecked() and row.check.isEnabled())


def _default_getter(control: QWidget) -> Callable[[], Any]:
    if isinstance(control, QDoubleSpinBox):
        return lambda: round(control.value(), 4)
    if isinstance(control, QSpinBox):
        return control.value
    if isinstance(control, QComboBox):
        return control.currentText
    if isinstance(control, QLineEdit):
        return lambda: control.text() or None
    raise TypeError(control)


def _default_setter(control: QWidget) -> Callable[[Any], None]:
    if isinstance(control, QDoubleSpinBox | QSpinBox):
        return lambda v: control.setValue(v)
    if isinstance(control, QComboBox):
        return lambda v: control.setCurrentText(str(v))
    if isinstance(control, QLineEdit):
        return lambda v: control.setText(str(v))
    raise TypeError(control)
