"""Compare mode's small bars (issue 17, item 5: "Compare mode shows the same figures as small
bars"): under each figure of a column, a bar as long as the figure against the largest of the
columns, in the theme's colours, on the simulator over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from playground.core import compare
from playground.ui import theme
from playground.ui.views.compare_figures import FIGURES, FiguresGrid, largest
from playground.ui.widgets.figure_bar import FigureBar
from tests.ui.conftest import App
from tests.ui.test_compare_view import enter_compare, wait_done


def test_the_bars_follow_the_figures_of_the_columns(app: App) -> None:
    view = enter_compare(app)
    for col in view.columns:
        assert all(bar.share is None for bar in col.figures.bars.values())  # not run yet
    app.window.run()
    wait_done(app)
    app.qtbot.waitUntil(lambda: all(c.text() for c in view.columns), timeout=5000)
    view.update_figures()
    rows = [c.row() for c in view.columns]
    for name, _text in FIGURES:
        values = [r.value(name) for r in rows]  # type: ignore[arg-type]
        assert all(v is not None for v in values), name
        top = max(v for v in values if v is not None)
        shares = [c.figures.bars[name].share for c in view.columns]
        assert shares == [pytest.approx(v / top) for v in values if v is not None], name
        assert max(s for s in shares if s is not None) == pytest.approx(1.0)
        for col in view.columns:  # the best (starred) one is drawn in the "ok" colour
            assert col.figures.bars[name].best == (name in col.best_marks())
    app.shot(app.window, "compare-bars")


def painted(bar: FigureBar) -> int:
    """How many pixels of the bar's middle line are in its fill colour."""
    image = bar.grab().toImage()
    fill = bar.fill_color().name()
    y = image.height() // 2
    return sum(image.pixelColor(x, y).name() == fill for x in range(image.width()))


def test_a_bar_is_as_long_as_its_share_and_follows_the_theme(
    qtbot: Any, qapp: QApplication
) -> None:
    bar = FigureBar()
    qtbot.addWidget(bar)
    bar.resize(200, 5)
    bar.show()
    bar.set_share(0.5)
    assert painted(bar) == pytest.approx(100, abs=4)
    bar.set_share(1.0)
    assert painted(bar) == pytest.approx(200, abs=4)
    bar.set_share(None)
    assert painted(bar) == 0 and bar.toolTip() == ""
    bar.set_share(0.25)
    assert bar.toolTip() == "25% of the largest of the columns"
    light = bar.fill_color().name()
    assert light == theme.light_palette().color(QPalette.ColorRole.Highlight).name()
    try:
        theme.apply_choice(qapp, "dark")
        dark = bar.fill_color().name()
        assert dark == theme.dark_palette().color(QPalette.ColorRole.Highlight).name() != light
        assert painted(bar) == pytest.approx(50, abs=4)  # painted in the dark colour
    finally:
        theme.apply_choice(qapp, "light")


FIGURE = st.none() | st.floats(0, 1e6)


@given(st.lists(st.tuples(FIGURE, FIGURE, FIGURE, FIGURE), min_size=1, max_size=6))
def test_any_figures_give_bars_within_the_track(
    qapp: QApplication, figures: list[tuple[float | None, ...]]
) -> None:
    rows = [
        compare.Row(key=str(i), ttft_ms=a, tokens_per_s=b, output_tokens=None, cost_usd=d)
        for i, (a, b, _c, d) in enumerate(figures)
    ]
    top = largest(rows)
    grid = FiguresGrid()
    for row in rows:
        grid.paint(row, set(), "done", top)
        for name, _text in FIGURES:
            share = grid.bars[name].share
            value = row.value(name)  # type: ignore[arg-type]
            assert share is None or 0 <= share <= 1
            assert (share is None) == (value is None or name not in top)
    grid.deleteLater()
