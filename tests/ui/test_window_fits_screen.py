"""The window opens inside the screen: on a first start on a 1366x768 laptop (the status line
and the Test set buttons were below the screen's edge), and where the settings restore a size
or place from a bigger screen. Its minimum size fits such a screen too."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QRect, QSettings

from playground.ui import window_fit
from playground.ui.main_window import MainWindow
from playground.ui.window_fit import first_start, fitted
from tests.ui.conftest import App

LAPTOP = QRect(0, 0, 1366, 768)
SMALL_SCREENS = [LAPTOP, QRect(0, 0, 1280, 720), QRect(0, 27, 1366, 741), QRect(1920, 0, 1024, 700)]


def on_screen(monkeypatch: pytest.MonkeyPatch, area: QRect) -> None:
    def available(_window: Any) -> QRect:
        return QRect(area)

    monkeypatch.setattr(window_fit, "available_area", available)


@pytest.mark.parametrize("area", SMALL_SCREENS, ids=lambda r: f"{r.width()}x{r.height()}")
def test_first_start_fits_the_screen(
    qapp: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, area: QRect
) -> None:
    on_screen(monkeypatch, area)
    window = MainWindow()
    qtbot.addWidget(window)
    assert area.contains(window.geometry()), (window.geometry(), area)


def test_restored_geometry_from_a_bigger_screen_fits(
    qapp: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = MainWindow()
    qtbot.addWidget(big)
    big.setGeometry(300, 200, 1800, 1000)
    QSettings().setValue("window/geometry", big.saveGeometry())
    try:
        on_screen(monkeypatch, LAPTOP)
        window = MainWindow()
        qtbot.addWidget(window)
        window.restore_layout()
        assert LAPTOP.contains(window.geometry()), window.geometry()
    finally:
        QSettings().remove("window/geometry")


def test_the_full_window_fits_a_laptop_screen(app: App) -> None:
    """The composed window (every pane, toolbar and status line) can be as small as the
    laptop's available area, with the setup pane on each of its tabs."""
    w = app.window
    for i in range(w.setup_tabs.count()):
        w.setup_tabs.setCurrentIndex(i)
        hint = w.minimumSizeHint()
        assert hint.width() <= LAPTOP.width() and hint.height() <= LAPTOP.height(), (
            w.setup_tabs.tabText(i),
            hint,
        )
    from tests.ui.test_evaluate_mode import enter, workspace

    enter(app, workspace())  # Evaluate mode's matrix, summary and charts fit too
    hint = w.minimumSizeHint()
    assert hint.width() <= LAPTOP.width() and hint.height() <= LAPTOP.height(), hint
    w.setGeometry(first_start(LAPTOP))
    app.qtbot.wait(30)
    assert w.height() <= LAPTOP.height()
    assert w.statusBar().isVisible() and w.statusBar().geometry().bottom() < w.height()


rects = st.builds(
    QRect,
    st.integers(-3000, 3000),
    st.integers(-3000, 3000),
    st.integers(1, 4000),
    st.integers(1, 3000),
)
screens = st.builds(
    QRect,
    st.integers(-2000, 2000),
    st.integers(-100, 100),
    st.integers(640, 4000),
    st.integers(480, 2500),
)


@given(rects, screens)
def test_any_restored_geometry_ends_inside_the_screen(geometry: QRect, screen: QRect) -> None:
    placed = fitted(geometry, screen)
    assert screen.contains(placed)
    assert placed.width() == min(geometry.width(), screen.width())
    assert placed.height() == min(geometry.height(), screen.height())


@given(screens)
def test_any_first_start_lies_inside_the_screen(screen: QRect) -> None:
    placed = first_start(screen)
    assert screen.contains(placed)
    assert placed.width() > screen.width() * 0.9 or placed.width() == 1360
