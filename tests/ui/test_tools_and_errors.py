"""Tools through the editor, the step-through loop, mocks, error cards, structured output."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from playground.core.workspace import FunctionTool, Message, OutputFormat, Workspace
from playground.services.simulator import HttpError, Scenario, ScriptedCall
from playground.ui.widgets.reasoning_view import ReasoningItemView
from playground.ui.widgets.tool_step import ErrorCard, ToolStep
from tests.ui.conftest import App

WEATHER = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}


def transient(app: App, kind: type) -> list:
    return [w for w in app.window.conversation.transient if isinstance(w, kind)]


def test_tool_editor_blocks_run_on_an_invalid_schema(app: App) -> None:
    w = app.window
    w.setup_tabs.setCurrentWidget(w.tools)
    w.tools.add_tool("get_weather")
    w.tools.description.setText("Current weather for a city")
    w.tools.schema.edit.setPlainText('{"type": "object", "properties": {')
    app.qtbot.waitUntil(lambda: not w.run_button.isEnabled(), timeout=2000)
    assert "JSON syntax error at line 1, column 35" in w.tools.schema.status.text()
    assert "tool get_weather" in w.run_button.toolTip()
    app.shot(w, "tool_editor_invalid")
    w.tools.schema.edit.setPlainText(json.dumps(WEATHER, indent=2))
    app.qtbot.waitUntil(w.run_button.isEnabled, timeout=2000)
    assert w.tools.schema.status.text() == ""
    w.tools.strict.setChecked(False)
    w.tools.schema.edit.setPlainText('{"type": "object", "properties": {"x": {"type": 7}}}')
    app.qtbot.waitUntil(lambda: not w.run_button.isEnabled(), timeout=2000)
    assert "not a valid JSON Schema" in w.run_button.toolTip()


def test_strict_findings_show_in_the_editor(app: App) -> None:
    w = app.window
    w.setup_tabs.setCurrentWidget(w.tools)
    w.tools.add_tool("lookup")
    w.tools.strict.setChecked(True)
    w.tools.schema.edit.setPlainText('{"type": "object", "properties": {"q": {"type": "string"}}}')
    app.qtbot.waitUntil(lambda: "strict mode" in w.tools.schema.status.text(), timeout=2000)
    assert "additionalProperties: false" in w.tools.schema.status.text()
    app.qtbot.waitUntil(lambda: not w.run_button.isEnabled(), timeout=2000)
    assert "strict mode needs additionalProperties: false" in w.run_button.toolTip()
    app.shot(w, "tool_editor")


def test_answer_a_tool_call_by_hand_and_continue(app: App) -> None:
    w = app.window
    w.load(
        Workspace(
            profile="Offline simulator",
            messages=[Message(content="Weather in Oslo?")],
            tools=[FunctionTool(name="get_weather", parameters=WEATHER, strict=True)],
        )
    )
    app.run()
    steps = transient(app, ToolStep)
    assert len(steps) == 1
    card = steps[0].cards[0]
    assert card.call.name == "get_weather" and json.loads(card.call.arguments) == {"city": "Oslo"}
    assert card.validity.text() == "✓ arguments match the schema"
    card.result.setPlainText('{"temp_c": 4}')
    steps[0].submit.click()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) == 2, timeout=5000)
    app.wait_idle()
    body = app.last_body()
    assert body["input"][-1] == {
        "type": "function_call_output",
        "call_id": card.call.id,
        "output": '{"temp_c": 4}',
    }
    roles = [c.role.currentText() for c in w.conversation.cards]
    # the default model reasons: each answer's reasoning item is kept before it
    assert roles == ["user", "assistant", "assistant", "tool", "assistant", "assistant"]
    reasoning = [m for m in w.ws.messages if m.item and m.item.get("type") == "reasoning"]
    assert [w.ws.messages.index(m) for m in reasoning] == [1, 4]
    assert '{"temp_c": 4}' in w.conversation.cards[-1].message().text
    assert not transient(app, ToolStep)


def test_invalid_arguments_are_flagged(app: App) -> None:
    w = app.window
    w.load(
        Workspace(
            profile="Offline simulator",
            messages=[Message(content="Weather?")],
            tools=[FunctionTool(name="get_weather", parameters=WEATHER, strict=True)],
        )
    )
    app.sim.enqueue(Scenario(tool_calls=[ScriptedCall("get_weather", ['{"town": 1}'])]))
    app.run()
    card = transient(app, ToolStep)[0].cards[0]
    assert "✗" in card.validity.text() and "'city' is a required property" in card.validity.text()


def test_run_with_mocks_until_the_model_answers(app: App) -> None:
    w = app.window
    tool = FunctionTool(
        name="get_weather", parameters=WEATHER, strict=True, mock_output='{"temp_c": 21}'
    )
    w.load(
        Workspace(
            profile="Offline simulator",
            messages=[Message(content="Weather in Rome?")],
            tools=[tool],
        )
    )
    app.run()
    step = transient(app, ToolStep)[0]
    step.cards[0].mock_button.click()
    assert step.cards[0].output() == '{"temp_c": 21}'
    step.mocks.click()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) >= 2, timeout=5000)
    app.wait_idle()
    roles = [c.role.currentText() for c in w.conversation.cards]
    # the default model reasons: each answer's reasoning item is kept before it
    assert roles == ["user", "assistant", "assistant", "tool", "assistant", "assistant"]
    reasoning = [m for m in w.ws.messages if m.item and m.item.get("type") == "reasoning"]
    assert [w.ws.messages.index(m) for m in reasoning] == [1, 4]
    assert "temp_c" in w.conversation.cards[-1].message().text
    app.shot(w, "tool_loop_finished")


def test_mock_loop_stops_visibly_at_its_limit(app: App) -> None:
    w = app.window
    w.load(
        Workspace(
            profile="Offline simulator",
            messages=[Message(content="Loop forever")],
            tools=[FunctionTool(name="ping", mock_output="pong")],
        )
    )
    for _ in range(4):
        app.sim.enqueue(Scenario(tool_calls=[ScriptedCall("ping", ["{}"])]))
    app.run()
    step = transient(app, ToolStep)[0]
    step.limit.setValue(2)
    step.mocks.click()
    app.qtbot.waitUntil(lambda: bool(transient(app, ErrorCard)), timeout=5000)
    app.wait_idle()
    notice = transient(app, ErrorCard)[0]
    assert "limit of 2 iterations" in notice.message.text()
    assert len(app.sim.bodies()) == 3  # the first run, then two loop iterations


def test_error_cards(app: App) -> None:
    w = app.window
    app.sim.enqueue(Scenario(http_error=HttpError(500, headers={"x-should-retry": "false"})))
    app.run()
    card = transient(app, ErrorCard)[0]
    assert card.findChildren(type(card.message))[0].text().startswith("⚠ Server error (500)")
    assert card.message.text() == "The server had an internal error."
    # the server's own words are technical detail, folded under "Details"
    assert not card.details.text.isVisible()
    card.details.toggle.click()
    assert card.details.text.isVisible()
    assert "The server said: The server had an error" in card.details.text.text()
    app.shot(w, "error_card")

    app.sim.enqueue(Scenario(http_error=HttpError(429, headers={"x-should-retry": "false"})))
    app.run()
    limited = transient(app, ErrorCard)[0]
    assert limited.message.text() == "The server is limiting requests or tokens for now."
    assert "Rate limit reached" in limited.details.text.text()

    app.sim.enqueue(Scenario(text=["Half ", "an ", "answer"], error_after=6, error_form="flat"))
    app.run()
    err = transient(app, ErrorCard)[0]
    assert "Error during the stream" in err.findChildren(type(err.message))[0].text()
    assert w.conversation.cards[-1].message().text == "Half an "  # partial output kept


def test_wrong_key_offers_set_api_key(app: App) -> None:
    w = app.window
    app.sim.api_key = "sk-right"
    profiles = [
        p.model_copy(update={"base_url": app.sim.base_url, "max_retries": 0})
        if p.name == "OpenAI"
        else p
        for p in w.profiles
    ]
    w.set_profiles(profiles)
    w.provider.setCurrentText("OpenAI")
    app.keyring.set_password("playground-openai", "OpenAI", "sk-wrong-key")
    app.run()
    card = transient(app, ErrorCard)[0]
    assert card.message.text() == "The server did not accept the API key."
    assert "Incorrect API key provided" in card.details.text.text()
    assert "set_key" in card.buttons
    card.buttons["set_key"].click()
    app.qtbot.waitUntil(lambda: w._dialog is not None and w._dialog.isVisible(), timeout=2000)
    w._dialog.close()


def test_bad_parameter_highlights_its_control(app: App) -> None:
    w = app.window
    w.params.advanced.setChecked(True)
    w.params.extra.setPlainText('{"temperature": "warm"}')
    app.run()
    assert w.params.highlighted() == ["temperature"]
    card = transient(app, ErrorCard)[0]
    assert "the value of temperature is out of range or of the wrong type" in card.message.text()
    assert "Parameter: temperature" in card.details.text.text()


def test_structured_output_badge(app: App) -> None:
    w = app.window
    fmt = OutputFormat(
        type="json_schema",
        name="City",
        json_schema={
            "type": "object",
            "properties": {"name": {"type": "string"}, "population": {"type": "integer"}},
            "required": ["name", "population"],
            "additionalProperties": False,
        },
    )
    w.load(
        Workspace(
            profile="Offline simulator", messages=[Message(content="A city")], output_format=fmt
        )
    )
    app.run()
    card = w.conversation.cards[-1]
    assert card.badge.text() == "✓ matches schema"
    assert json.loads(card.message().text).keys() == {"name", "population"}
    app.sim.enqueue(Scenario(text=['{"name": "Oslo"}']))
    app.run()
    assert w.conversation.cards[-1].badge.text().startswith("✗ 'population' is a required")


def test_reasoning_summary_and_refusal(app: App) -> None:
    w = app.window
    w.model.set_model("o4-mini")
    w.model.model_chosen.emit("o4-mini")
    w.params.check("reasoning_summary").setChecked(True)
    app.run()
    card = w.conversation.cards[-1]
    # the summary lives on the reasoning item's card, collapsed, above the answer
    assert not card.reasoning_toggle.isVisible()
    item = w.conversation.cards[-2].findChildren(ReasoningItemView)[0]
    assert item.toggle.text().startswith("Reasoning: Reading the request")
    assert not item.summary.isVisible()
    item.toggle.click()
    assert item.summary.isVisible() and "Reading the request" in item.summary.text()
    app.sim.enqueue(Scenario(refusal=["I can't ", "help with that."]))
    app.run()
    assert w.conversation.cards[-1].refusal.text() == "I can't help with that."


def test_keyboard_run(app: App) -> None:
    app.qtbot.keyClick(app.window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    app.qtbot.waitUntil(lambda: bool(app.sim.requests), timeout=5000)
    app.wait_idle()
    assert app.window.conversation.cards[-1].role.currentText() == "assistant"


def test_rate_limit_countdown_then_success(app: App) -> None:
    app.sim.enqueue(Scenario(http_error=HttpError(429, headers={"retry-after": "2"}, attempts=1)))
    app.window.run()
    app.qtbot.waitUntil(lambda: "retrying in" in app.window.status.text(), timeout=5000)
    assert app.window.status.text() == "Rate limited: retrying in 2 s (attempt 2 of 3)"
    app.qtbot.waitUntil(lambda: "retrying in 1 s" in app.window.status.text(), timeout=3000)
    app.wait_idle(10_000)
    assert "first token" in app.window.status.text()
    assert app.window.conversation.cards[-1].role.currentText() == "assistant"


def test_rate_limit_give_up_says_how_often_it_tried(app: App) -> None:
    app.sim.enqueue(
        Scenario(http_error=HttpError(429, headers={"retry-after-ms": "10"}, attempts=9))
    )
    app.run()
    card = transient(app, ErrorCard)[0]
    assert "Gave up after 3 attempts." in card.message.text()


def test_incomplete_answer_offers_continue_and_keeps_the_text(app: App) -> None:
    w = app.window
    w.params.check("max_output_tokens").setChecked(True)
    w.params.control("max_output_tokens").setValue(16)
    app.run()
    assert not transient(app, ErrorCard)  # the token limit is an outcome, not a failure
    answer = w.conversation.cards[-1]
    assert answer.limit_note.text() == "stopped at the output-token limit"
    partial = answer.message()
    assert partial.role == "assistant" and partial.text  # the partial answer stays
    answer.continue_button.click()
    app.wait_idle()
    assert app.last_body()["input"][-1]["content"] == partial.text  # sent as history


def test_a_large_schema_is_checked_in_the_background(app: App) -> None:
    w = app.window
    props = {f"field_{i}": {"type": "string", "description": "d" * 40} for i in range(2500)}
    props["broken"] = {"type": 7}
    text = json.dumps({"type": "object", "properties": props}, indent=2)
    w.tools.add_tool("big")
    w.tools.strict.setChecked(False)
    w.tools.schema.edit.setPlainText(text)
    assert w.tools.schema.status.text() == "Checking this large schema…"  # not blocking
    app.qtbot.waitUntil(lambda: "7 is not valid" in w.tools.schema.status.text(), timeout=30_000)
    app.qtbot.waitUntil(
        lambda: not w.run_button.isEnabled() and "7 is not valid" in w.run_button.toolTip(),
        timeout=10_000,
    )


def test_calls_left_unanswered_in_a_loaded_workspace_can_be_answered(app: App) -> None:
    """An imported conversation that ends in tool calls (arguments "", no results yet) offers
    the same tool step as a run: Use mock fills the one default, Run with mocks goes on."""
    from playground.core.importer import from_body
    from playground.core.tool_loop import DEFAULT_MOCK_OUTPUT

    body = {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "user", "content": "Weather?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_x",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": ""},
                    }
                ],
            },
        ],
        "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}],
    }
    ws = from_body(body).workspace.model_copy(update={"profile": "Offline simulator"})
    app.window.load(ws)
    steps = transient(app, ToolStep)
    assert len(steps) == 1 and steps[0].cards[0].call.id == "call_x"
    steps[0].cards[0].mock_button.click()
    assert steps[0].cards[0].result.toPlainText() == DEFAULT_MOCK_OUTPUT
    app.wait_idle()
    app.shot(app.window, "imported_pending_call")
