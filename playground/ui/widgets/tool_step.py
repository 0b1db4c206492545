"""The tool step: one card per pending tool call, with a result editor, and the loop buttons."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core.answer_checks import argument_problems
from playground.core.grammar_match import input_problem
from playground.core.tool_loop import mock_result
from playground.core.workspace import CustomTool, FunctionTool, ToolCall, Workspace
from playground.ui.theme import accent
from playground.ui.widgets.details import DetailsExpander
from playground.ui.widgets.schema_editor import mono_font


class ToolCallCard(QFrame):
    """A pending call: name, pretty arguments checked against the schema (a custom tool's
    call: its input, checked against the tool's grammar), a result editor."""

    def __init__(
        self,
        call: ToolCall,
        tool: FunctionTool | CustomTool | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.call = call
        self.tool = tool
        custom = call.kind == "custom"
        layout = QVBoxLayout(self)
        title = QLabel(
            f"{'Custom tool' if custom else 'Tool'} call <b>{call.name}</b> &nbsp; "
            f"<span style='color:{accent('muted').name()}'>{call.id}</span>"
        )
        title.setObjectName("cardTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        args = QLabel(call.arguments if custom else _pretty(call.arguments))
        args.setFont(mono_font())
        args.setWordWrap(True)
        args.setMinimumWidth(1)  # a long unbroken input is clipped, not the card widened
        args.setTextInteractionFlags(args.textInteractionFlags().TextSelectableByMouse)
        args.setToolTip("The input the model sent" if custom else "The arguments the model sent")
        layout.addWidget(args)
        if custom:
            ct = tool if isinstance(tool, CustomTool) else None
            found = input_problem(call.arguments, ct)
            problems = [found] if found else []
            grammar = ct is not None and ct.format is not None and ct.format.type == "grammar"
            good = "✓ input matches the grammar" if grammar else "✓ free-form input"
        else:
            fn = tool if isinstance(tool, FunctionTool) else None
            problems, good = argument_problems(call.arguments, fn), "✓ arguments match the schema"
        self.validity = QLabel(good if not problems else "✗ " + "; ".join(problems))
        self.validity.setWordWrap(True)
        self.validity.setStyleSheet(f"color: {accent('ok' if not problems else 'error').name()};")
        layout.addWidget(self.validity)
        row = QHBoxLayout()
        self.result = QPlainTextEdit()
        self.result.setPlaceholderText("Tool result (JSON or text) to send back to the model")
        self.result.setToolTip("What the tool returned; sent as this call's output")
        self.result.setFixedHeight(64)
        self.result.setTabChangesFocus(True)
        row.addWidget(self.result, 1)
        self.mock_button = QPushButton("Use mock")
        self.mock_button.setToolTip("Fill in this tool's mock output (set in the Tools panel)")
        self.mock_button.setEnabled(tool is not None)
        self.mock_button.clicked.connect(self.use_mock)
        row.addWidget(self.mock_button)
        layout.addLayout(row)

    def use_mock(self) -> None:
        """Fill in what the mock loop would send for this call (one rule: core.tool_loop)."""
        tools = [self.tool] if self.tool is not None else []
        call = self.call
        self.result.setPlainText(mock_result(tools, call.name, call.arguments, call.kind))

    def output(self) -> str:
        return self.result.toPlainText()


def _pretty(arguments: str) -> str:
    try:
        return json.dumps(json.loads(arguments), indent=2)
    except ValueError:
        return arguments


class ToolStep(QFrame):
    """Pending tool calls and the ways to answer them."""

    submit_requested = Signal(dict)
    """Outputs by call id: append them and continue the run."""
    mock_loop_requested = Signal(int)
    """Run the whole loop on mocks, up to this many iterations."""

    def __init__(
        self,
        calls: list[ToolCall],
        tools: dict[str, FunctionTool],
        parent: QWidget | None = None,
        custom: dict[str, CustomTool] | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QLabel(
            f"The model called {len(calls)} tool{'s' if len(calls) > 1 else ''}. "
            "Enter each result, then submit to continue."
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        self.cards = [
            ToolCallCard(c, (custom or {}).get(c.name) if c.kind == "custom" else tools.get(c.name))
            for c in calls
        ]
        for card in self.cards:
            layout.addWidget(card)
        row = QHBoxLayout()
        self.submit = QPushButton("Submit tool outputs")
        self.submit.setObjectName("primary")
        self.submit.setToolTip("Append the results as tool messages and run again")
        self.submit.clicked.connect(self._on_submit)
        row.addWidget(self.submit)
        self.mocks = QPushButton("Run with mocks")
        self.mocks.setToolTip(
            "Answer every call with its mock output and keep going until the "
            "model stops calling tools or the iteration limit is reached"
        )
        self.limit = QSpinBox(minimum=1, maximum=100, value=10)
        self.mocks.clicked.connect(lambda: self.mock_loop_requested.emit(self.limit.value()))
        row.addWidget(self.mocks)
        row.addWidget(QLabel("limit"))
        self.limit.setToolTip("The most model turns the mock loop may take")
        row.addWidget(self.limit)
        row.addStretch(1)
        layout.addLayout(row)

    @classmethod
    def for_workspace(cls, calls: list[ToolCall], ws: Workspace) -> ToolStep:
        """The step for `calls`, their tools (function and custom) looked up in `ws`."""
        return cls(
            calls, {t.name: t for t in ws.tools}, custom={t.name: t for t in ws.custom_tools}
        )

    def outputs(self) -> dict[str, str]:
        return {card.call.id: card.output() for card in self.cards}

    def _on_submit(self) -> None:
        self.submit_requested.emit(self.outputs())


class ErrorCard(QFrame):
    """A failed run, inline: what happened, what to do, and the matching action."""

    action_requested = Signal(str)
    """'set_key' or 'retry'."""

    def __init__(
        self,
        title: str,
        message: str,
        hint: str,
        actions: list[tuple[str, str]],
        parent: QWidget | None = None,
        details: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("errorCard")
        layout = QVBoxLayout(self)
        self.title = title
        head = QLabel(f"⚠ {title}")
        head.setObjectName("cardTitle")
        head.setStyleSheet(f"color: {accent('error').name()};")
        layout.addWidget(head)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(
            self.message.textInteractionFlags().TextSelectableByMouse
        )
        layout.addWidget(self.message)
        if hint:
            tip = QLabel(hint)
            tip.setWordWrap(True)
            tip.setStyleSheet(f"color: {accent('muted').name()};")
            layout.addWidget(tip)
        self.details = DetailsExpander(details)
        self.details.setVisible(bool(details))
        layout.addWidget(self.details)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label in actions:
            b = QPushButton(label)
            b.clicked.connect(lambda _=False, k=key: self.action_requested.emit(k))
            row.addWidget(b)
            self.buttons[key] = b
        row.addStretch(1)
        layout.addLayout(row)
