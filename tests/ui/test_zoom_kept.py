"""View > Zoom is in force wherever text is drawn: at start-up (the saved percent), after a
theme change (Qt forgets per-class fonts when the style changes), and in tabs made later."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from playground.core.workspace import Message, Workspace
from playground.ui import zoom
from playground.ui.main_window import MainWindow
from tests.ui.conftest import App
from tests.ui.test_menus import entry


def base() -> tuple[float, float]:
    """(plain text, monospace) point sizes at 100 %."""
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    return QApplication.font().pointSizeF(), float(max(fixed.pointSize(), 10))


def drawn(window: MainWindow) -> tuple[float, float, float]:
    """The point sizes the current tab draws: a message's editor, its rendered view, and the
    Raw pane's monospace request."""
    card = window.conversation.cards[0]
    return (
        card.editor.font().pointSizeF(),
        card.view.font().pointSizeF(),
        window.raw.request.font().pointSizeF(),
    )


def expected(percent: int) -> tuple[float, float, float]:
    text, mono = base()
    f = percent / 100
    return (text * f, text * f, mono * f)


def close(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(abs(x - y) < 0.01 for x, y in zip(a, b, strict=True))


def test_a_restart_draws_text_at_the_saved_zoom_in_any_theme(
    app_on: Callable[[Any], App],
) -> None:
    assert zoom.factor() == 1.0  # as a new process starts
    first = app_on({"zoom_percent": 125, "theme": "light"})
    try:
        assert first.window.menus.view.zoom.percent == 125
        first.qtbot.wait(20)
        assert close(drawn(first.window), expected(125)), drawn(first.window)
        again = app_on({"zoom_percent": 150, "theme": "dark"})
        again.qtbot.wait(20)
        assert close(drawn(again.window), expected(150)), drawn(again.window)
    finally:
        zoom.Zoom(100, lambda _p: None, QApplication.instance())


def test_a_theme_change_keeps_the_zoom(app: App) -> None:
    w = app.window
    view = w.menus.view
    try:
        view.zoom.set_percent(150)
        for choice in ("Light", "Dark", "System", "Light"):
            entry(app, "View", choice).trigger()
            app.qtbot.wait(10)
            assert close(drawn(w), expected(150)), (choice, drawn(w))
        view.zoom.zoom_in()
        assert view.zoom.percent == 175
        assert close(drawn(w), expected(175))
    finally:
        view.zoom.reset()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.sampled_from(["in", "out", "reset", "light", "dark", "system", "tab"]), max_size=8)
)
def test_any_sequence_of_zoom_theme_and_new_tabs_draws_base_times_percent(
    app: App, steps: list[str]
) -> None:
    w = app.window
    view = w.menus.view
    try:
        for step in steps:
            if step in ("in", "out", "reset"):
                {"in": view.zoom.zoom_in, "out": view.zoom.zoom_out, "reset": view.zoom.reset}[
                    step
                ]()
            elif step == "tab":
                app.pg.documents.new(Workspace(messages=[Message(role="user", content="new tab")]))  # type: ignore[union-attr]
            else:
                view.set_theme(step)
            app.qtbot.wait(5)
            assert close(drawn(w), expected(view.zoom.percent)), (steps, step, drawn(w))
    finally:
        view.zoom.reset()
        view.set_theme("light")


def test_a_system_font_change_keeps_the_zoom(app: App) -> None:
    w = app.window
    view = w.menus.view
    original = QFont(QApplication.font())
    try:
        view.zoom.set_percent(125)
        bigger = QFont(original)
        bigger.setPointSizeF(original.pointSizeF() + 2)
        QApplication.setFont(bigger)  # as the platform does when the system font changes
        app.qtbot.wait(10)
        editor = w.conversation.cards[0].editor
        assert abs(editor.font().pointSizeF() - bigger.pointSizeF() * 1.25) < 0.01
    finally:
        QApplication.setFont(original)
        view.zoom.reset()
