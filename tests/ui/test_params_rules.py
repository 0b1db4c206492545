"""The params panel says, at the parameter, what the model's rules do to it."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from playground.core import request
from tests.ui.conftest import App


def _choose_model(app: App, model_id: str) -> None:
    app.window.model.set_model(model_id)
    app.window.model.model_chosen.emit(model_id)


def _settle(app: App) -> None:
    app.window.revalidate_soon()
    app.qtbot.wait(300)


def test_a_parameter_the_model_leaves_out_says_so_under_its_row(app: App) -> None:
    w = app.window
    _choose_model(app, "gpt-6-luna")
    p = w.params
    p.check("temperature").setChecked(True)
    p.control("temperature").setValue(0.4)  # type: ignore[attr-defined]
    p.check("reasoning_effort").setChecked(True)
    effort = p.control("reasoning_effort")
    assert isinstance(effort, QComboBox)
    effort.setCurrentText("low")
    _settle(app)
    assert p.reason("temperature") == (
        "gpt-6-luna takes temperature only with reasoning_effort none; it will not be sent"
    )
    effort.setCurrentText("none")
    _settle(app)
    assert p.reason("temperature") == "gpt-6-luna: only with reasoning_effort none"
    assert request.build(w.collect()).body["temperature"] == 0.4


def test_the_chosen_effort_survives_a_model_that_lacks_it(app: App) -> None:
    w = app.window
    _choose_model(app, "gpt-6-luna")
    p = w.params
    p.check("reasoning_effort").setChecked(True)
    effort = p.control("reasoning_effort")
    assert isinstance(effort, QComboBox)
    effort.setCurrentText("none")
    _choose_model(app, "o1")  # low, medium, high only
    assert effort.currentText() == "none"
    _settle(app)
    assert "o1 does not support reasoning effort 'none'" in p.reason("reasoning_effort")
    _choose_model(app, "gpt-5.6-sol")
    assert effort.currentText() == "none"
