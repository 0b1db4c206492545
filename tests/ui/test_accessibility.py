"""The keyboard alone: focus is visible on every kind of control in both themes, and a request
is written and run with no mouse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from playground.ui import theme
from tests.ui.conftest import App


def _pixels_changed(before: QImage, after: QImage) -> int:
    return sum(
        before.pixel(x, y) != after.pixel(x, y)
        for x in range(min(before.width(), after.width()))
        for y in range(min(before.height(), after.height()))
    )


@pytest.mark.parametrize("dark", [False, True])
def test_keyboard_focus_is_visible_on_every_kind_of_control(
    app: App, qapp: QApplication, dark: bool
) -> None:
    theme.apply(qapp, dark=dark)
    try:
        w = app.window
        controls = [
            w.toolbar.run_button,  # a push button
            w.params.check("temperature"),  # a check box
            w.toolbar.run_menu_button,  # a tool button
            w.provider,  # a combo box
            w.setup_tabs.tabBar(),  # a tab bar
        ]
        for control in controls:
            w.activateWindow()
            w.conversation.cards[0].editor.setFocus()
            app.qtbot.wait(10)
            before = control.grab().toImage()
            control.setFocus(Qt.FocusReason.TabFocusReason)
            app.qtbot.waitUntil(control.hasFocus, timeout=2000)
            app.qtbot.wait(10)
            after = control.grab().toImage()
            assert _pixels_changed(before, after) > 20, type(control).__name__
    finally:
        theme.apply(qapp, dark=False)


def test_a_request_can_be_written_and_run_by_keyboard_alone(app: App) -> None:
    """New tab (Ctrl+N), a user message (Ctrl+M), type, run (Ctrl+Enter), Tab around, undo."""
    w = app.window
    bot = app.qtbot
    bot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File > New
    bot.waitUntil(lambda: app.pg.documents.bar.count() == 2, timeout=2000)
    bot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    bot.waitUntil(lambda: len(w.conversation.cards) == 1, timeout=2000)  # a user message
    editor = w.conversation.cards[0].editor
    bot.waitUntil(editor.hasFocus, timeout=2000)  # ready to type in
    bot.keyClicks(editor, "What is SSE?")
    bot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Run
    bot.waitUntil(lambda: len(app.sim.requests) == 1, timeout=5000)
    app.wait_idle()
    kept = [(m.role, (m.item or {}).get("type")) for m in w.collect().messages]
    # the default model reasons: its reasoning item is kept before the answer
    assert kept == [("user", None), ("assistant", "reasoning"), ("assistant", None)]
    assert app.last_body()["input"][0]["content"] == "What is SSE?"
    focus = QApplication.focusWidget()
    assert focus is not None and w.isAncestorOf(focus)  # the focus stayed in the window
    for _ in range(6):  # Tab moves through the controls and never gets stuck
        before = QApplication.focusWidget()
        bot.keyClick(before, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is not before
    bot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [m.role for m in w.collect().messages] == ["user"]  # the answer undone
