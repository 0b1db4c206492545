"""Evaluate mode's charts in the window (issue 17, item 5), driven as a user would on the
simulator over HTTP: the Charts tab beside the summary, bars that follow the cells as they
finish, nothing drawn while the tab is hidden, the theme switch, and the fit at the window
sizes the app supports."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from playground.core.evaluation_results import VariantSummary
from playground.services.simulator import Scenario
from playground.ui import theme
from playground.ui.views.evaluate_view import EvaluateView
from playground.ui.widgets.chart_draw import SERIES_DARK, SERIES_LIGHT
from playground.ui.widgets.eval_charts import CHART_HEIGHT
from tests.ui.conftest import App, new_gate
from tests.ui.test_accessible_names import unnamed
from tests.ui.test_evaluate_mode import enter, wait_status, workspace

TWO_THIRDS = pytest.approx(200 / 3)


def heights(ev: EvaluateView, chart: int, series: str) -> list[float]:
    return [float(h) for h in ev.charts.boxes[chart].bars[series].opts["height"]]


def ev_summary(app: App) -> list[VariantSummary]:
    view = app.window.current_view
    assert view is not None
    evaluation = app.window.window_runs.evaluate.controllers[view.tab.id].evaluation
    assert evaluation is not None
    return evaluation.summary()


def show_charts(app: App, ev: EvaluateView) -> None:
    ev.results.setCurrentWidget(ev.charts)
    app.qtbot.waitUntil(lambda: bool(ev.charts.boxes) and ev.charts.redraws > 0, timeout=5000)


def test_the_charts_follow_the_cells_as_they_finish(app: App) -> None:
    ev = enter(app, workspace(concurrency=1))  # one at a time: a's rows first
    show_charts(app, ev)
    assert ev.charts.empty.isVisible()  # nothing run yet: no empty axes, a sentence
    held = new_gate()
    app.sim.enqueue(Scenario(), Scenario(text=["Plain ", "answer."], gate_after=1, gate=held))
    ev.run_button.click()
    # the first cell passed: mini's overall and "says it" bars stand at 100%, warm has none
    app.qtbot.waitUntil(lambda: ev.progress.value() == 1, timeout=10_000)
    app.qtbot.waitUntil(lambda: heights(ev, 0, "Overall") == [100.0], timeout=5000)
    assert ev.charts.area.isVisible() and not ev.charts.empty.isVisible()
    assert heights(ev, 0, "says it") == [100.0]
    assert list(ev.charts.boxes[0].bars["Overall"].opts["x"]) == [pytest.approx(-0.2)]
    assert ev.charts.boxes[0].category_names() == ["mini", "warm"]
    held.set()
    wait_status(app, ev, "done")
    app.qtbot.waitUntil(lambda: len(heights(ev, 0, "Overall")) == 2, timeout=5000)
    app.qtbot.wait(400)  # the last coalesced redraw
    summaries = {s.variant: s for s in ev_summary(app)}
    # mini: apple passed, pear answered "Plain answer.", plum is no banana; warm: 2 of 3
    assert heights(ev, 0, "Overall") == [pytest.approx(100 / 3), TWO_THIRDS]
    assert heights(ev, 0, "says it") == [pytest.approx(100 / 3), TWO_THIRDS]
    latency = ev.charts.boxes[1]
    assert heights(ev, 1, "Median") == [summaries["a"].median_ms, summaries["b"].median_ms]
    assert heights(ev, 1, "p95") == [summaries["a"].p95_ms, summaries["b"].p95_ms]
    assert latency.category_names() == ["mini", "warm"]
    assert heights(ev, 2, "Output") == [summaries["a"].output_tokens, summaries["b"].output_tokens]
    assert heights(ev, 3, "Cost") == [
        pytest.approx(summaries["a"].cost_usd),
        pytest.approx(summaries["b"].cost_usd),
    ]
    read = "mini: Overall 33%, says it 33%\nwarm: Overall 67%, says it 67%"
    assert ev.charts.boxes[0].plot_widget.accessibleDescription() == read  # a screen reader


def test_hidden_charts_do_not_redraw_while_the_evaluation_runs(app: App) -> None:
    ev = enter(app, workspace())
    assert ev.results.currentWidget() is ev.summary  # the table first, as before
    ev.run_button.click()
    wait_status(app, ev, "done")
    assert ev.charts.redraws == 0 and not ev.charts.boxes  # not even pyqtgraph was needed
    show_charts(app, ev)
    assert ev.charts.redraws == 1
    assert heights(ev, 0, "Overall") == [TWO_THIRDS, TWO_THIRDS]


def test_the_charts_tab_takes_half_the_pane_and_gives_it_back(app: App) -> None:
    ev = enter(app, workspace())
    app.window.resize(1366, 768)
    app.qtbot.wait(50)
    split = ev.results.parentWidget()
    before = split.sizes()  # type: ignore[union-attr]
    show_charts(app, ev)
    matrix, charts = split.sizes()  # type: ignore[union-attr]
    assert charts >= matrix and charts > before[1]
    ev.results.setCurrentWidget(ev.summary)
    assert split.sizes() == before  # type: ignore[union-attr]


def test_the_charts_recolor_when_the_theme_switches(app: App, qapp: QApplication) -> None:
    ev = enter(app, workspace())
    ev.run_button.click()
    wait_status(app, ev, "done")
    show_charts(app, ev)
    box = ev.charts.boxes[1]

    def looks() -> tuple[str, str, str]:
        background = box.plot_widget.backgroundBrush().color().name()
        text = box.plot.getAxis("left").textPen().color().name()
        return background, text, box.bars["Median"].opts["brush"].color().name()

    light = looks()
    assert light == (
        theme.light_palette().color(QPalette.ColorRole.Base).name(),
        theme.light_palette().color(QPalette.ColorRole.Text).name(),
        SERIES_LIGHT[0],
    )
    try:
        theme.apply_choice(qapp, "dark")
        app.qtbot.waitUntil(lambda: looks() != light, timeout=5000)
        assert looks() == (
            theme.dark_palette().color(QPalette.ColorRole.Base).name(),
            theme.dark_palette().color(QPalette.ColorRole.Text).name(),
            SERIES_DARK[0],
        )
    finally:
        theme.apply_choice(qapp, "light")
    app.qtbot.waitUntil(lambda: looks() == light, timeout=5000)


@pytest.mark.parametrize("size", [(1000, 700), (1366, 768), (1920, 1080)])
def test_the_charts_fit(app: App, size: tuple[int, int]) -> None:
    ev = enter(app, workspace())
    app.window.resize(*size)
    ev.run_button.click()
    wait_status(app, ev, "done")
    show_charts(app, ev)
    app.qtbot.wait(50)
    assert ev.matrix.height() > 100  # the matrix stays in view above the charts
    viewport = ev.charts.area.viewport()
    for box in ev.charts.boxes:
        assert box.height() >= CHART_HEIGHT and box.width() >= 200
        assert box.plot_widget.width() > 150  # bars, not a sliver
    first = ev.charts.boxes[0]
    assert viewport.rect().contains(first.geometry().topLeft())  # a chart is in view at once
    app.shot(app.window, f"evaluate-charts-{size[0]}x{size[1]}")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_evaluate_charts_screenshots(app: App, qapp: QApplication, dark: bool) -> None:
    """Evaluate mode's charts at 1366x768 after 2 variants x 3 rows, for a person to look at."""
    theme.apply(qapp, dark=dark)
    app.window.resize(1366, 768)
    ev = enter(app, workspace())
    ev.run_button.click()
    wait_status(app, ev, "done")
    show_charts(app, ev)
    app.qtbot.wait(100)
    app.shot(app.window, f"evaluate-charts-{'dark' if dark else 'light'}")
    assert len(ev.charts.boxes) == 4
    assert unnamed(app.window) == {}  # the Charts tab and the charts are named for a reader
