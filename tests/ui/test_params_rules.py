"""The params panel says, at the parameter, what the model's rules do to it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from playground.core import request
from playground.core.params import declarations
from playground.core.workspace import Parameters, Workspace
from playground.ui.widgets.params_panel import ParamsPanel
from tests.ui.conftest import App


def _choose_model(app: App, model_id: str) -> None:
    app.window.model.set_model(model_id)
    app.window.model.model_chosen.emit(model_id)


def _settle(app: App) -> None:
    """The window has checked the workspace again (its check timer fired: not a fixed wait,
    which a loaded machine can outlast)."""
    app.window.revalidate_soon()
    app.qtbot.waitUntil(lambda: not app.window.validation.timer.isActive(), timeout=10_000)
    app.qtbot.wait(30)


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


def test_typing_an_id_that_is_also_a_family_name_picks_the_model(app: App) -> None:
    """gpt-5 and gpt-4o are models and families: Enter picks the model, never the heading."""
    picker = app.window.model
    chosen: list[str] = []
    picker.model_chosen.connect(chosen.append)
    for model_id in ("gpt-5", "gpt-4o"):
        line = picker.lineEdit()
        assert line is not None
        line.setFocus()
        line.selectAll()
        app.qtbot.keyClicks(line, model_id)
        app.qtbot.keyClick(line, Qt.Key.Key_Return)
        assert picker.current_model() == model_id
        assert chosen[-1] == model_id
    assert request.build(app.window.collect()).body["model"] == "gpt-4o"


def test_a_suggestion_picked_leaves_only_the_id_in_the_field(app: App) -> None:
    picker = app.window.model
    completer = picker.completer()
    assert completer is not None
    completer.activated.emit("o1  —  shut down on 2026-10-23 · reasoning")
    line = picker.lineEdit()
    assert line is not None and line.text() == "o1"
    assert picker.current_model() == "o1"


def test_a_learned_rule_the_catalog_overrides_says_it_is_not_applied(app: App) -> None:
    from playground.core.learned import LearnedRule

    rule = LearnedRule(
        "Offline simulator",
        "gpt-6-luna",
        "temperature",
        "temperature",
        None,
        "unsupported_parameter",
        "Unsupported parameter: 'temperature' is not supported with this model.",
        "2026-11-30",
    )
    p = app.window.params
    _choose_model(app, "gpt-6-luna")
    p.set_learned([rule])
    assert p.learned["temperature"].texts() == [
        "Learned from Offline simulator on 2026-11-30: the server refused temperature "
        "(unsupported_parameter) (not applied: the catalog says when gpt-6-luna takes "
        "temperature)"
    ]
    _choose_model(app, "gpt-4o-mini")  # no condition there: the rule applies as learned
    assert p.learned["temperature"].texts()[0].endswith("(unsupported_parameter)")


def test_an_unset_seed_reads_none_not_the_smallest_integer(qtbot) -> None:
    # the Seed box showed "-2147483647" while the seed was not sent
    panel = ParamsPanel()
    qtbot.addWidget(panel)
    seed = panel.control("seed")
    assert seed.text() == "none"  # type: ignore[attr-defined]
    panel.check("seed").setChecked(True)
    assert seed.text() == "0"  # type: ignore[attr-defined]
    seed.setValue(42)  # type: ignore[attr-defined]
    assert panel.apply(Workspace()).params.seed == 42
    panel.check("seed").setChecked(False)
    assert seed.text() == "none"  # type: ignore[attr-defined]
    assert panel.apply(Workspace()).params.seed is None
    panel.load(Workspace(params=Parameters(seed=7)))
    assert seed.text() == "7"  # type: ignore[attr-defined]
    # every spin box starts at its declared default, not at the bottom of its range
    for name, decl in declarations().items():
        control = panel.control(name)
        if decl.control == "spin" and decl.default is not None and name != "seed":
            assert control.value() == decl.default, name  # type: ignore[attr-defined]


def test_an_error_under_a_row_is_drawn_in_the_error_colour(qtbot: object) -> None:
    from playground.core.findings import Finding
    from playground.ui.theme import accent

    panel = ParamsPanel()
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.show_findings(
        [
            Finding("params.safety_identifier", "warning", "a note"),
            Finding("params.safety_identifier", "error", "must be at most 64 characters"),
            Finding("params.temperature", "warning", "it will not be sent"),
        ]
    )
    assert panel.reason("safety_identifier") == "must be at most 64 characters"
    row = panel._rows["safety_identifier"]
    assert accent("error").name() in row.reason.styleSheet()
    assert accent("warning").name() in panel._rows["temperature"].reason.styleSheet()
