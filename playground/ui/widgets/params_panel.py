"""Generation parameters: a control per parameter, each sent only when its box is ticked."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.catalog import ModelInfo
from playground.core.findings import Finding
from playground.core.learned import LearnedRule
from playground.core.params import declarations
from playground.core.schema_rules import syntax_problem
from playground.core.wire_names import workspace_field
from playground.core.workspace import Parameters, Workspace
from playground.ui.theme import accent
from playground.ui.widgets.common import UnsetSpin, outline, tool_button
from playground.ui.widgets.learned_notes import LearnedNotes
from playground.ui.widgets.pane_fit import narrow_form
from playground.ui.widgets.param_checks import CheckList
from playground.ui.widgets.param_controls import (
    control_for,
    default_getter,
    default_setter,
    set_choices,
)


@dataclass
class _Row:
    name: str
    check: QCheckBox
    control: QWidget
    get: Callable[[], Any]
    set: Callable[[Any], None]
    reason: QLabel
    # what the model and API say about this parameter; a finding about it shows instead
    static: str = ""
    finding: str = ""
    severity: str = "warning"  # the finding's: an error is drawn in the error colour


def _sent(row: _Row) -> tuple[bool, Any]:
    """Whether the row's parameter is sent, and its value."""
    return row.check.isChecked(), row.get()


def _show_reason(row: _Row) -> None:
    text = row.finding or row.static
    kind = ("error" if row.severity == "error" else "warning") if row.finding else "muted"
    color = accent(kind).name()
    row.reason.setStyleSheet(f"color: {color}; font-size: 11px;")
    row.reason.setText(text)
    row.reason.setVisible(bool(text))


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
        self._learned_rules: tuple[LearnedRule, ...] = ()
        self._conditional: frozenset[str] = frozenset()
        self._model = ""
        """The learned-rule notes under each row; "" holds rules no row edits (tools)."""
        self._marked: tuple[str, tuple[bool, Any]] | None = None
        """The row the server complained about, and what it sent then (`highlight`)."""
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

    def show_drafts(self, drafts: dict[str, str]) -> None:
        """Show the half-typed extra_body kept by the Document, in place of its value."""
        if "extra_body" in drafts:
            with QSignalBlocker(self.extra):
                self.extra.setPlainText(drafts["extra_body"])
            self._on_extra_changed()

    def extra_body(self) -> tuple[dict[str, Any] | None, str]:
        """(value, problem) of the extra_body editor."""
        text = self.extra.toPlainText().strip()
        if not text:
            return None, ""
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            return None, f"extra_body: {syntax_problem(exc)}"
        if not isinstance(value, dict):
            return None, "extra_body must be a JSON object"
        return value, ""

    def set_model(self, info: ModelInfo, api: str) -> None:
        """Disable what this model or API does not take, and say why; show each conditional
        rule of the model (from the catalog) under the parameter it limits."""
        decls = declarations()
        for name, row in self._rows.items():
            reason = ""
            only = decls[name].only_in()
            if only is not None and only != api:
                reason = f"only in {'Chat Completions' if only == 'chat' else 'Responses'}"
            elif not info.accepts(name):
                reason = f"{info.id} ignores {name.replace('_', ' ')}"
            elif name in info.fixed:
                reason = f"{info.id} takes {name.replace('_', ' ')} only at {info.fixed[name]}"
            rules = [
                r.describe_condition()
                for r in info.rules
                if name in r.params and r.api in (None, api) and r.values is None
            ]
            row.static = reason or "; ".join(f"{info.id}: {c}" for c in rules)
            _show_reason(row)
            row.check.setEnabled(not reason)
            row.control.setEnabled(not reason and row.check.isChecked())
            row.check.setToolTip(
                row.control.toolTip() + (f"\nNot sent: {reason}" if reason else "")
            )
            if decls[name].api_choices:  # fewer values in this API (Chat: no ultrafast)
                assert isinstance(row.control, QComboBox)
                set_choices(row.control, list(decls[name].choices_in(api)), _sent(row)[0])
        self._model = info.id
        self._conditional = frozenset(p for r in info.rules if r.only_when for p in r.params)
        self.set_learned(self._learned_rules)
        effort = self._rows["reasoning_effort"].control
        assert isinstance(effort, QComboBox)
        current = effort.currentText()
        effort.blockSignals(True)
        effort.clear()
        items = list(info.efforts) or list(decls["reasoning_effort"].choices)
        if current and current not in items and self.check("reasoning_effort").isChecked():
            items.append(current)  # kept as chosen: a finding says this model refuses it
        effort.addItems(items)
        default = info.default_effort or "medium"
        effort.setCurrentText(current if current in items else default)
        effort.blockSignals(False)

    def set_learned(self, rules: Sequence[LearnedRule]) -> None:
        """Show each learned rule under its parameter's row (the rest at the top); a rule on
        a parameter the model's catalog entry has a condition for is shown as not applied
        (the request builder lets the catalog decide)."""
        self._learned_rules = tuple(rules)
        for name, notes in self.learned.items():
            why = ""
            if name in self._conditional:
                why = f"the catalog says when {self._model} takes {name.replace('_', ' ')}"
            notes.set_rules(
                [r for r in rules if (r.param if r.param in self._rows else "") == name], why
            )

    def show_findings(self, findings: Sequence[Finding]) -> None:
        """Show each finding about a parameter (left out, learned, out of range) under its
        row, where the value is set, not only in the Findings tab."""
        found: dict[str, Finding] = {}
        for f in sorted(findings, key=lambda f: f.severity != "error"):  # an error first
            name = f.path.removeprefix("params.")
            if f.path.startswith("params.") and name in self._rows and name not in found:
                found[name] = f
        for name, row in self._rows.items():
            shown = found.get(name)
            row.finding = shown.message if shown is not None else ""
            row.severity = shown.severity if shown is not None else "warning"
            _show_reason(row)

    def highlight(self, param: str | None) -> None:
        """Mark the control the server complained about (a wire path; None clears), until
        its value changes: the mark is about the value that was sent."""
        key = (workspace_field(param) or "").removeprefix("params.")
        self._marked = None
        for name, row in self._rows.items():
            outline(row.control, name == key)
            if name == key:
                self._marked = (name, _sent(row))
        self._on_extra_changed()  # a syntax error stays outlined

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
        form = narrow_form(QFormLayout())
        adv = tool_button(
            "Advanced",
            "Stop sequences, seed, include, logprobs, service tier, metadata, cache key, "
            "safety identifier, tool-call limits, truncation, extra_body",
            checkable=True,
        )
        adv.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        adv.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced = adv
        inner = QWidget()
        aform = narrow_form(QFormLayout(inner))
        # one row per declared parameter (core.params), in declaration order
        for name, decl in declarations().items():
            control, get, put = control_for(decl)
            self._add(
                aform if decl.group == "advanced" else form, name, control, decl.help, get, put
            )
        for name, decl in declarations().items():  # a value another row holds (logprobs)
            for value, other in decl.links.items():
                checks, toggle = self._rows[name].control, self._rows[other].control
                assert isinstance(checks, CheckList)
                assert isinstance(toggle, QComboBox)
                checks.link(value, self._rows[other].check, toggle)
        outer.addLayout(form)
        self.extra = QPlainTextEdit()
        self.extra.setPlaceholderText('{"prompt": {"id": "pmpt_…"}}')
        self.extra.setToolTip(
            "extra_body: JSON merged into the request body, for parameters "
            "this app does not know yet"
        )
        self.extra.setFixedHeight(70)
        self.extra.textChanged.connect(self.changed)
        self.extra.textChanged.connect(self._on_extra_changed)
        aform.addRow(QLabel("extra_body"))  # a JSON editor: the pane's whole width, under it
        aform.addRow(self.extra)
        self.extra_status = status = QLabel(wordWrap=True)  # why extra_body does not parse
        status.setObjectName("findings")
        status.setVisible(False)
        status.setAccessibleName("extra_body problem")
        aform.addRow(self.extra_status)
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
        decl = declarations().get(name)
        check = QCheckBox(decl.shown_label() if decl else name.replace("_", " "))
        deprecated = " The API spec marks it deprecated." if decl and decl.deprecated else ""
        check.setToolTip(f"Send {name}. {tip}{deprecated}")
        control.setToolTip(tip)
        control.setAccessibleName(name.replace("_", " "))
        control.setEnabled(False)
        reason = QLabel()
        reason.setWordWrap(True)
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
        getter = get or default_getter(control)
        setter = put or default_setter(control)
        self._rows[name] = _Row(name, check, control, getter, setter, reason)
        check.toggled.connect(lambda on: control.setEnabled(on))
        if isinstance(control, UnsetSpin):
            check.toggled.connect(lambda on: control.set_unset(not on))
            control.set_unset(True)
        check.toggled.connect(self.changed)
        check.toggled.connect(lambda _on: self._on_row_changed(name))
        for sig in ("valueChanged", "currentTextChanged", "textEdited"):
            if hasattr(control, sig):
                getattr(control, sig).connect(self.changed)
                getattr(control, sig).connect(lambda *_: self._on_row_changed(name))

    def _learned_notes(self, name: str, layout: QVBoxLayout) -> None:
        notes = self.learned[name] = LearnedNotes()
        notes.forget_requested.connect(self.forget_requested)
        layout.addWidget(notes)

    def _sync_enabled(self) -> None:
        for row in self._rows.values():
            row.control.setEnabled(row.check.isChecked() and row.check.isEnabled())

    def _on_row_changed(self, name: str) -> None:
        """The marked row's value is no longer the one the server refused: unmark it."""
        marked = self._marked
        if marked is not None and marked[0] == name and _sent(self._rows[name]) != marked[1]:
            self._marked = None
            outline(self._rows[name].control, False)

    def _on_extra_changed(self) -> None:
        problem = self.extra_body()[1]
        self.extra_status.setText(problem.removeprefix("extra_body: "))
        self.extra_status.setVisible(bool(problem))
        self.extra.setProperty("invalid", bool(problem))
        self.extra.style().unpolish(self.extra)
        self.extra.style().polish(self.extra)
