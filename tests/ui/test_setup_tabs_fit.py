"""The setup pane's six tabs are all in view at 1366x768 and 1000x700 (no scroll arrows: a
click on an arrow scrolled the bar but did not change the tab shown, which confused a
tester); the short titles keep their full names for screen readers and in their tooltips."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QToolButton

from playground.ui import theme
from tests.ui.conftest import App

FULL = ["Parameters", "Tools", "Output format", "Variables", "Test set", "Graders"]


@pytest.mark.parametrize("size", [(1366, 768), (1000, 700)], ids=["1366", "1000"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_all_six_setup_tabs_show_without_scrolling(
    app: App, qapp: QApplication, size: tuple[int, int], dark: bool
) -> None:
    theme.apply(qapp, dark=dark)
    w = app.window
    w.resize(*size)
    app.qtbot.wait(60)
    bar = w.setup_tabs.tabBar()
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    assert not arrows, "the tab bar scrolls"
    for i in range(bar.count()):
        assert bar.rect().contains(bar.tabRect(i)), (bar.tabText(i), bar.tabRect(i), bar.rect())
        if size[0] >= 1366:  # whole titles, not elided ones
            text = bar.fontMetrics().horizontalAdvance(bar.tabText(i))
            assert bar.tabRect(i).width() >= text + 8, bar.tabText(i)
    assert [bar.accessibleTabName(i) for i in range(bar.count())] == FULL
    assert all(FULL[i] in bar.tabToolTip(i) for i in range(bar.count()))
    w.grab().save(f"/tmp/fixwin-window-{size[0]}-{'dark' if dark else 'light'}.png")
    theme.apply(qapp, dark=False)
