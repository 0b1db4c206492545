"""Widgets paint what core decides: argument checks, the answer badge, the marked control."""

from __future__ import annotations

from typing import Any

import pytest

from playground.core.answer_checks import argument_problems
from playground.core.workspace import FunctionTool, Message, OutputFormat, ToolCall
from playground.ui.presenter import badge_structured
from playground.ui.widgets.message_card import MessageCard
from playground.ui.widgets.params_panel import ParamsPanel
from playground.ui.widgets.tool_step import ToolCallCard

WEATHER = FunctionTool(
    name="weather",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
        "required": ["city"],
    },
    mock_output='{"temp": 3}',
)


def test_the_tool_card_shows_the_core_verdict(qtbot: Any) -> None:
    call = ToolCall(id="c1", name="weather", arguments='{"days": "3"}')
    card = ToolCallCard(call, WEATHER)
    qtbot.addWidget(card)
    assert card.validity.text() == "✗ " + "; ".join(argument_problems(call.arguments, WEATHER))
    assert "city" in card.validity.text() and "days" in card.validity.text()
    card.use_mock()
    assert card.output() == '{"error": "the arguments do not fit weather"}'
    good = ToolCallCard(ToolCall(id="c2", name="weather", arguments='{"city": "Oslo"}'), WEATHER)
    qtbot.addWidget(good)
    assert good.validity.text() == "✓ arguments match the schema"
    good.use_mock()
    assert good.output() == '{"temp": 3}'


def test_the_answer_card_paints_the_badge(qtbot: Any) -> None:
    card = MessageCard(Message(role="assistant", content='{"city": 1}'))
    qtbot.addWidget(card)
    fmt = OutputFormat(
        type="json_schema",
        json_schema={"type": "object", "properties": {"city": {"type": "string"}}},
    )
    badge_structured(card, fmt, '{"city": 1}')
    assert card.badge.text() == "✗ 1 is not of type 'string'"


@pytest.mark.parametrize(
    ("param", "marked"),
    [
        ("reasoning.effort", ["reasoning_effort"]),
        ("reasoning_effort", ["reasoning_effort"]),
        ("max_completion_tokens", ["max_output_tokens"]),
        ("text.format", []),
        (None, []),
    ],
)
def test_a_server_param_marks_its_control(qtbot: Any, param: str | None, marked: list) -> None:
    panel = ParamsPanel()
    qtbot.addWidget(panel)
    panel.highlight(param)
    assert panel.highlighted() == marked
