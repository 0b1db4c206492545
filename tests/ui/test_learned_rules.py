"""A refusal from the server is learned, offered as "Drop it and run again", shown under the
parameter's row with Forget, and still there after a restart."""

from __future__ import annotations

from datetime import date
from typing import Any

from playground.core.learned import LearnedRule
from playground.core.workspace import DEFAULT_MODEL, FunctionTool
from playground.services.learned_rules import all_rules
from playground.services.simulator import HttpError, Scenario
from playground.ui.widgets.tool_step import ErrorCard
from tests.ui.conftest import App

REFUSAL = HttpError(
    400,
    message="Unsupported parameter: 'temperature' is not supported with this model.",
    type="invalid_request_error",
    code="unsupported_parameter",
    param="temperature",
)


def _cards(app: App) -> list[ErrorCard]:
    return [w for w in app.window.conversation.transient if isinstance(w, ErrorCard)]


def _set_temperature(app: App, value: float) -> None:
    params = app.window.params
    params.check("temperature").setChecked(True)
    params.control("temperature").setValue(value)  # type: ignore[attr-defined]


def _choose_model(app: App, model_id: str) -> None:
    """As the picker does when the user picks a model."""
    app.window.model.set_model(model_id)
    app.window.model.model_chosen.emit(model_id)


def test_a_refused_parameter_is_dropped_and_run_again(app: App) -> None:
    w = app.window
    _set_temperature(app, 0.7)
    app.sim.enqueue(Scenario(http_error=REFUSAL))
    app.run()
    card = _cards(app)[0]
    assert card.buttons["drop"].text() == "Drop it and run again"
    assert "Remembered: Offline simulator refuses temperature for gpt-4o-mini" in (
        card.message.text()
    )
    notes = w.params.learned["temperature"]
    today = date.today().isoformat()
    assert notes.isVisibleTo(w) and notes.texts() == [
        f"Learned from Offline simulator on {today}: the server refused temperature "
        "(unsupported_parameter)"
    ]
    w.setup_tabs.setCurrentIndex(0)
    app.shot(w, "learned_rule_card")

    card.buttons["drop"].click()
    app.qtbot.waitUntil(lambda: len(app.sim.requests) == 2, timeout=5000)
    app.wait_idle()
    sent: dict[str, Any] = app.sim.requests[-1].body
    assert "temperature" not in sent
    assert not w.params.check("temperature").isChecked()
    assert w.conversation.cards[-1].role.currentText() == "assistant"
    assert w.conversation.cards[-1].message().text  # the run without it succeeded
    assert not _cards(app)
    assert notes.isVisibleTo(w)  # the rule stays until it is forgotten
    app.shot(w, "learned_rule_after_drop")


def test_forget_removes_the_rule_from_the_panel_and_the_file(app: App) -> None:
    w = app.window
    _set_temperature(app, 0.7)
    app.sim.enqueue(Scenario(http_error=REFUSAL))
    app.run()
    notes = w.params.learned["temperature"]
    assert notes.rules and all_rules(app.pg.learned.path)
    w.setup_tabs.setCurrentIndex(0)
    _choose_model(app, "gpt-4o")  # rules are per model: another model shows none
    app.qtbot.waitUntil(lambda: not notes.isVisibleTo(w), timeout=2000)
    _choose_model(app, "gpt-4o-mini")
    app.qtbot.waitUntil(lambda: notes.isVisibleTo(w), timeout=2000)
    app.qtbot.waitUntil(lambda: any(f.code == "learned" for f in w.findings), timeout=2000)
    notes.forget_buttons[0].click()
    assert not notes.isVisibleTo(w)
    assert all_rules(app.pg.learned.path) == ()
    # the findings stop saying it will not be sent, without another edit
    app.qtbot.waitUntil(lambda: not any(f.code == "learned" for f in w.findings), timeout=2000)
    app.qtbot.wait(50)
    app.shot(w, "learned_rule_forgotten")


def test_a_refusal_of_tools_shows_at_the_top_and_drops_the_tools(app: App) -> None:
    w = app.window
    ws = w.collect().model_copy(update={"tools": [FunctionTool(name="get_weather")]})
    w.load(ws)
    app.sim.enqueue(
        Scenario(
            http_error=HttpError(
                400,
                "tools is not supported with this model.",
                code="unsupported_parameter",
                param="tools",
            )
        )
    )
    app.run()
    top = w.params.learned[""]
    assert top.isVisibleTo(w) and top.texts()[0].endswith("refused tools (unsupported_parameter)")
    _cards(app)[0].buttons["drop"].click()
    app.qtbot.waitUntil(lambda: len(app.sim.requests) == 2, timeout=5000)
    app.wait_idle()
    assert "tools" not in app.sim.requests[-1].body
    assert [t.enabled for t in w.collect().tools] == [False]


def test_other_failures_offer_no_drop(app: App) -> None:
    _set_temperature(app, 0.7)
    invalid = HttpError(
        400, "Invalid type for 'temperature'.", code="invalid_type", param="temperature"
    )
    app.sim.enqueue(Scenario(http_error=invalid))
    app.run()
    assert "drop" not in _cards(app)[0].buttons
    assert not app.window.params.learned["temperature"].rules
    assert all_rules(app.pg.learned.path) == ()


def test_a_refused_token_name_is_switched_not_dropped(app: App) -> None:
    w = app.window
    w.api_buttons["chat"].setChecked(True)
    w.params.check("max_output_tokens").setChecked(True)
    w.load(
        w.collect().model_copy(
            update={
                "params": w.collect().params.model_copy(update={"max_tokens_name": "max_tokens"})
            }
        )
    )
    app.sim.enqueue(
        Scenario(
            http_error=HttpError(
                400,
                "Unsupported parameter: 'max_tokens' is not supported with this model. "
                "Use 'max_completion_tokens' instead.",
                code="unsupported_parameter",
                param="max_tokens",
            )
        )
    )
    app.run()
    card = _cards(app)[0]
    assert card.buttons["drop"].text() == "Send max_completion_tokens and run again"
    card.buttons["drop"].click()
    app.qtbot.waitUntil(lambda: len(app.sim.requests) == 2, timeout=5000)
    app.wait_idle()
    sent = app.sim.requests[-1].body
    assert "max_tokens" not in sent and sent["max_completion_tokens"] == 1024


def test_a_learned_rule_survives_a_restart(app_on: Any) -> None:
    first = app_on({})
    _set_temperature(first, 0.7)
    first.sim.enqueue(Scenario(http_error=REFUSAL))
    first.run()
    assert first.window.params.learned["temperature"].rules
    second = app_on({})
    second.qtbot.waitUntil(lambda: second.window.ws.model == DEFAULT_MODEL, timeout=2000)
    rules = second.window.params.learned["temperature"].rules
    assert [(r.param, r.code) for r in rules] == [("temperature", "unsupported_parameter")]
    assert isinstance(rules[0], LearnedRule)
