"""The setup pane's six tabs show whole titles at 1366x768 and 1000x700: all six at 1366; at
1000 those that fit, the current one always among them, and a "»" menu with the others (no
scroll arrows: a click on an arrow scrolled the bar but did not change the tab shown, which
confused a tester; no "P… T… O…" either). The short titles keep their full names for screen
readers and in their tooltips."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QToolButton

from playground.ui import theme
from tests.ui.conftest import App

FULL = ["Parameters", "Tools", "Output format", "Variables", "Test set", "Graders"]
TITLES = ["Params", "Tools", "Output", "Variables", "Tests", "Graders"]


@pytest.mark.parametrize("size", [(1366, 768), (1000, 700)], ids=["1366", "1000"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_setup_tabs_show_whole_titles_and_the_rest_in_a_menu(
    app: App, qapp: QApplication, size: tuple[int, int], dark: bool
) -> None:
    theme.apply(qapp, dark=dark)
    w = app.window
    w.resize(*size)
    app.qtbot.wait(60)
    tabs = w.setup_tabs
    bar = tabs.tabBar()
    more = w.current_view.setup_overflow
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    assert not arrows, "the tab bar scrolls"
    shown = [i for i in range(bar.count()) if bar.isTabVisible(i)]
    for i in shown:  # whole titles, not elided ones, inside the bar
        assert bar.rect().contains(bar.tabRect(i)), (bar.tabText(i), bar.tabRect(i), bar.rect())
        text = bar.fontMetrics().horizontalAdvance(bar.tabText(i))
        assert bar.tabRect(i).width() >= text + 8, bar.tabText(i)
    if size[0] >= 1366:
        assert shown == list(range(6)) and not more.more.isVisible()
    else:
        assert 3 <= len(shown) < 6 and more.more.isVisible()
        assert more.more.geometry().right() <= tabs.width()
        more._fill()
        listed = [a.text() for a in more.menu.actions()]
        assert listed == [TITLES[i] for i in range(6) if i not in shown]
        last = TITLES.index(listed[-1])
        more.menu.actions()[-1].trigger()  # picked from the menu: shown, and in the bar
        app.qtbot.wait(30)
        for i in [i for i in range(bar.count()) if bar.isTabVisible(i)]:
            text = bar.fontMetrics().horizontalAdvance(bar.tabText(i))
            assert bar.tabRect(i).width() >= text + 8, bar.tabText(i)
        assert tabs.currentIndex() == last and bar.isTabVisible(last)
        assert bar.rect().contains(bar.tabRect(last))
        assert TITLES[last] not in [a.text() for a in (more._fill(), more.menu.actions())[1]]
        w.grab().save(f"/tmp/setup-tabs-{size[0]}-{'dark' if dark else 'light'}.png")
        tabs.setCurrentIndex(0)
    assert [bar.accessibleTabName(i) for i in range(bar.count())] == FULL
    assert all(FULL[i] in bar.tabToolTip(i) for i in range(bar.count()))
    app.shot(w, f"setup_tabs_{size[0]}_{'dark' if dark else 'light'}")
    theme.apply(qapp, dark=False)
