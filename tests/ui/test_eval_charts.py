"""Evaluate mode's charts on their own (issue 17, item 5): the bars are the summaries'
figures, names fit under them, many updates make one redraw, any summaries draw, the report's
PNGs are the charts in the light theme, and the app starts without importing pyqtgraph."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication

from playground.core.evaluation_results import VariantSummary
from playground.ui import theme
from playground.ui.widgets.chart_specs import CHARTS, chart_specs, tick_text
from playground.ui.widgets.eval_charts import EvalCharts, chart_images, columns_for


def summary(key: str, **figures: Any) -> VariantSummary:
    base: dict[str, Any] = {
        "variant": key,
        "cells": 4,
        "finished": 4,
        "passed": 3,
        "failed": 1,
        "errors": 0,
        "pass_rate": 0.75,
        "mean_ms": 900.0,
        "p95_ms": 1500.0,
        "input_tokens": 40,
        "output_tokens": 200,
        "cost_usd": 0.00042,
        "per_grader": {"says it": 0.75, "is json": 1.0},
        "median_ms": 800.0,
    }
    return VariantSummary(**{**base, **figures})


SUMMARIES = [
    summary("a"),
    summary(
        "b",
        pass_rate=0.5,
        median_ms=300.0,
        p95_ms=450.0,
        input_tokens=41,
        output_tokens=90,
        cost_usd=0.0001,
        per_grader={"says it": 0.5},
    ),
]
TITLES = {"a": "gpt-4o-mini", "b": "warm"}


def drawn(qtbot: Any, summaries: list[VariantSummary], titles: dict[str, str]) -> EvalCharts:
    charts = EvalCharts()
    qtbot.addWidget(charts)
    charts.resize(900, 600)
    charts.show()
    charts.show_summaries(summaries, titles)
    charts.flush()
    return charts


def heights(charts: EvalCharts, chart: int, series: str) -> list[float]:
    return [float(h) for h in charts.boxes[chart].bars[series].opts["height"]]


def test_the_bars_are_the_summaries_figures(qtbot: Any) -> None:
    charts = drawn(qtbot, SUMMARIES, TITLES)
    pass_rate, latency, tokens, cost = charts.boxes
    assert heights(charts, 0, "Overall") == [75.0, 50.0]
    assert heights(charts, 0, "says it") == [75.0, 50.0]
    assert heights(charts, 0, "is json") == [100.0]  # b has no such grader: no bar, not 0
    third_of_three = -0.4 + 0.8 / 3 * 2.5  # a's group is centred on 0
    assert list(pass_rate.bars["is json"].opts["x"]) == [pytest.approx(third_of_three)]
    assert heights(charts, 1, "Median") == [800.0, 300.0]
    assert heights(charts, 1, "p95") == [1500.0, 450.0]
    assert heights(charts, 2, "Input") == [40.0, 41.0]
    assert heights(charts, 2, "Output") == [200.0, 90.0]
    assert heights(charts, 3, "Cost") == [0.00042, 0.0001]
    for box in charts.boxes:
        assert box.category_names() == ["gpt-4o-mini", "warm"]  # the titles, not the keys
    assert pass_rate.plot.getAxis("left").labelText == "Passed (%)"
    assert "Median" in latency.heading.text() and "p95" in latency.heading.text()  # legend
    assert cost.plot.getAxis("left").labelText == "Cost (US$)"
    assert tokens.accessibleDescription() == (
        "gpt-4o-mini: Input 40, Output 200\nwarm: Input 41, Output 90"
    )
    assert cost.left.tickStrings([0.0001, 0.0002], 1.0, 0.0001) == ["$0.0001", "$0.0002"]


def test_long_names_are_elided_to_the_room_under_their_bars(qtbot: Any) -> None:
    long = "a variant with a very long descriptive name indeed"
    charts = drawn(qtbot, [summary(k) for k in "abcdefgh"], {"a": long})
    names = charts.boxes[0].category_names()
    assert len(names) == 8 and names[0].endswith("…") and long.startswith(names[0][:-1])
    assert names[1:] == list("bcdefgh")
    assert long in charts.boxes[0].toolTip()  # the whole name is in the tooltip


def test_many_summaries_at_once_make_one_redraw(qtbot: Any) -> None:
    charts = EvalCharts()
    qtbot.addWidget(charts)
    charts.show()
    qtbot.waitUntil(lambda: charts.redraws == 1)  # the first show draws the empty state
    for done in range(1, 101):  # a cell finishing after another, faster than a frame
        charts.show_summaries([summary("a", finished=done, pass_rate=done / 100)], {})
    qtbot.waitUntil(lambda: charts.redraws == 2, timeout=2000)
    qtbot.wait(2 * 250)
    assert charts.redraws == 2 and heights(charts, 0, "Overall") == [100.0]


def test_nothing_run_yet_shows_a_sentence_not_empty_axes(qtbot: Any) -> None:
    charts = drawn(qtbot, [], {})
    assert charts.empty.isVisible() and not charts.area.isVisible()
    charts = drawn(qtbot, [summary("a", finished=0, pass_rate=None, median_ms=None)], {})
    assert charts.area.isVisible() and heights(charts, 0, "Overall") == []
    assert heights(charts, 2, "Input") == []  # no bar of 0 tokens before a cell finished


def test_the_charts_go_into_fewer_columns_when_narrow() -> None:
    assert [columns_for(w) for w in (300, 660, 900, 1200, 1400)] == [1, 2, 2, 2, 4]


def test_ticks_read_as_money_time_and_tokens() -> None:
    assert tick_text("US$", 0.00012, 0.00002) == "$0.00012"
    assert tick_text("US$", 0, 0.00002) == "$0"
    assert tick_text("US$", 1.5, 0.5) == "$1.50"
    assert tick_text("ms", 1200, 200) == "1,200"
    assert tick_text("%", 25, 25) == "25"
    assert tick_text("", 0.5, 0.1) == "0.5"


def test_the_report_images_are_the_charts_in_the_light_theme(qapp: QApplication) -> None:
    theme.apply(qapp, dark=True)  # the window is dark: the report's charts are not
    try:
        images = chart_images(SUMMARIES, TITLES, width=500, height=260)
    finally:
        theme.apply(qapp, dark=False)
    assert [title for title, _ in images] == ["Pass rate", "Latency", "Tokens", "Cost"]
    white = theme.light_palette().color(QPalette.ColorRole.Base)
    for _title, png in images:
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        image = QImage.fromData(png, "PNG")
        assert not image.isNull() and (image.width(), image.height()) == (500, 260)
        assert image.pixelColor(2, image.height() - 2) == white
        colors = {
            image.pixelColor(x, y).name()
            for x in range(0, image.width(), 7)
            for y in range(0, image.height(), 7)
        }
        assert len(colors) > 4  # bars, axes and text, not a blank page
        assert "#0072b2" in colors  # the first series' light-theme blue


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.builds(
            summary,
            st.text(min_size=1, max_size=40),
            finished=st.integers(0, 5),
            pass_rate=st.none() | st.floats(0, 1),
            median_ms=st.none() | st.floats(0, 1e6),
            p95_ms=st.none() | st.floats(0, 1e6),
            input_tokens=st.integers(0, 10**9),
            output_tokens=st.integers(0, 10**9),
            cost_usd=st.none() | st.floats(0, 1e4),
            per_grader=st.dictionaries(st.text(max_size=60), st.floats(0, 1), max_size=4),
        ),
        max_size=8,
        unique_by=lambda s: s.variant,
    ),
    st.integers(1, 200),
)
def test_any_summaries_draw(qapp: QApplication, summaries: list[VariantSummary], n: int) -> None:
    titles = {s.variant: s.variant * n for s in summaries}  # names up to 8,000 characters
    charts = EvalCharts()
    charts.resize(600, 400)
    charts.show()
    charts.show_summaries(summaries, titles)
    charts.flush()
    specs = chart_specs(summaries, titles)
    assert [s.key for s in specs] == list(CHARTS)
    for box, spec in zip(charts.boxes, specs, strict=True):
        assert len(box.category_names()) == len(summaries)
        for series in spec.series:
            shown = [v for v in series.values if v is not None]
            assert [float(h) for h in box.bars[series.name].opts["height"]] == shown
    charts.close()
    charts.deleteLater()


def test_the_app_starts_without_importing_pyqtgraph() -> None:
    """pyqtgraph and numpy cost about 0.2 s of import: they load with the first chart."""
    code = (
        "import sys, playground.ui.app, playground.ui.views.evaluate_view; "
        "print('pyqtgraph' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split() == ["False", "False"]
