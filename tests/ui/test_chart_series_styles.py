"""Every series of a chart can be told from every other, in the bars and in the legend: the
pass-rate chart has "Overall" and one series per grader, 9 and more where the palette has 7
colours ("Overall" and the 8th grader were both sky blue). Past the colours, a series is
hatched, and its legend swatch shows the hatch."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from playground.ui import theme
from playground.ui.widgets.chart_draw import ChartColors
from playground.ui.widgets.eval_charts import EvalCharts
from tests.ui.test_eval_charts import summary

GRADERS = [
    "contains",
    "matches",
    "is json",
    "json schema",
    "does not refuse",
    "length",
    "model-graded",
    "equals",
]


def styles(box: Any) -> list[tuple[str, Qt.BrushStyle]]:
    out = []
    for item in box.bars.values():
        brush = item.opts["brush"]
        out.append((brush.color().name(), brush.style()))
    return out


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_nine_series_of_the_pass_rate_chart_all_differ(
    qtbot: Any, qapp: QApplication, dark: bool
) -> None:
    theme.apply(qapp, dark=dark)
    try:
        charts = EvalCharts()
        qtbot.addWidget(charts)
        charts.resize(1366, 700)
        charts.show()
        rates = {g: 0.1 * (i + 1) for i, g in enumerate(GRADERS)}
        charts.show_summaries([summary("a", per_grader=rates), summary("b", per_grader=rates)], {})
        charts.flush()
        box = charts.boxes[0]
        assert list(box.bars) == ["Overall", *GRADERS]
        drawn = styles(box)
        assert len(set(drawn)) == len(drawn), drawn
        assert drawn[0][1] == Qt.BrushStyle.SolidPattern  # "Overall" is a solid bar
        # the legend shows one swatch per series, and the swatches differ
        heading = box.heading.text()
        assert heading.count("<img") == len(GRADERS) + 1
        qtbot.wait(100)
        box.grab().save(f"/tmp/fixwin-chart-{'dark' if dark else 'light'}.png")
    finally:
        theme.apply(qapp, dark=False)


def pixels(image: QImage) -> tuple[str, ...]:
    return tuple(
        image.pixelColor(x, y).name() for y in range(image.height()) for x in range(image.width())
    )


@given(st.integers(1, 20), st.booleans())
def test_any_number_of_series_differ_in_colour_or_hatch(n: int, dark: bool) -> None:
    palette = theme.dark_palette() if dark else theme.light_palette()
    colors = ChartColors.of(palette)
    drawn = [colors.style_of(j) for j in range(n)]
    keys = [(c.name(), s) for c, s in drawn]
    assert len(set(keys)) == n
    swatches = [pixels(colors.swatch(j)) for j in range(n)]
    assert len(set(swatches)) == n  # the legend squares differ too, not only the bars
