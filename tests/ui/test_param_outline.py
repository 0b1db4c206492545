"""A control the server complained about is outlined in red until the user changes its value
(the previous_response_id field stayed outlined after its value was fixed, until the next
Run); a reload that keeps the value keeps the outline."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit

from playground.core.params import declarations
from playground.core.workspace import Message, Parameters, Workspace
from playground.ui.widgets.params_panel import ParamsPanel
from tests.ui.conftest import App


def outlined(app: App) -> list[str]:
    return app.window.params.highlighted()


def test_the_previous_response_id_outline_goes_when_the_value_is_fixed(app: App) -> None:
    w = app.window
    ws = Workspace(
        api="responses",
        model="gpt-4.1-mini",
        messages=[Message(content="And then?")],
        params=Parameters(previous_response_id="resp_missing"),
    )
    w.load(ws)
    app.run()
    assert outlined(app) == ["previous_response_id"]  # the server: no such stored response
    field = w.params.control("previous_response_id")
    assert isinstance(field, QLineEdit) and field.property("invalid")
    w.load(w.ws)  # the same value again (an undo, a reload): still the one the server refused
    assert outlined(app) == ["previous_response_id"]
    field.setFocus()
    field.selectAll()
    app.qtbot.keyClicks(field, "resp_000000000000000000000001")
    assert outlined(app) == [] and not field.property("invalid")
    view = w.current_view
    assert view is not None
    view.binder.flush()
    assert w.ws.params.previous_response_id == "resp_000000000000000000000001"


PARAMS = list(declarations())


@pytest.mark.parametrize("name", PARAMS)
def test_unticking_the_marked_parameter_clears_its_outline(qtbot: Any, name: str) -> None:
    panel = ParamsPanel()
    qtbot.addWidget(panel)
    other = next(p for p in PARAMS if p != name)
    panel.check(name).setChecked(True)
    panel.check(other).setChecked(True)
    panel.highlight(name)
    assert panel.highlighted() == [name]
    panel.check(other).setChecked(False)  # another row's edit: the mark stays
    assert panel.highlighted() == [name]
    panel.check(name).setChecked(False)  # not sent any more: nothing left to complain about
    assert panel.highlighted() == []
