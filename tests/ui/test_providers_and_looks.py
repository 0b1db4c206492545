"""The providers dialog with the keyring, first start, themes, and the screenshots."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from playground.ui import theme
from tests.ui.conftest import App


def test_providers_dialog_stores_the_key_in_the_keyring(app: App) -> None:
    w = app.window
    w.open_providers()
    dialog = w._dialog
    assert dialog is not None and dialog.isVisible()
    dialog.select("OpenAI")
    app.qtbot.waitUntil(lambda: dialog.key_status.text() == "No key stored.", timeout=3000)
    assert dialog.key.echoMode() == QLineEdit.EchoMode.Password
    app.qtbot.keyClicks(dialog.key, "sk-marker-dialog-123")
    dialog.show_key.click()
    assert dialog.key.echoMode() == QLineEdit.EchoMode.Normal
    dialog.show_key.click()
    app.shot(dialog, "providers_dialog")
    dialog._on_save_key()
    app.qtbot.waitUntil(
        lambda: dialog.key_status.text().startswith("A key is stored"), timeout=3000
    )
    assert app.keyring.items[("playground-openai", "OpenAI")] == "sk-marker-dialog-123"
    assert dialog.key.text() == ""  # the field does not keep the key
    dialog._on_delete_key()
    app.qtbot.waitUntil(lambda: dialog.key_status.text() == "No key stored.", timeout=3000)
    assert app.keyring.items == {}
    dialog.close()


def test_test_connection_lists_the_models(app: App) -> None:
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog.select("Offline simulator")
    dialog.test.click()
    app.qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Connected"), timeout=5000)
    assert "gpt-4o" in dialog.test_result.text()
    dialog.close()


def test_custom_profile_is_added_and_saved(app: App) -> None:
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog._on_add_clicked()
    dialog.base_url.setText(app.sim.base_url)
    dialog.close()
    names = [p.name for p in w.profiles]
    assert "Custom 1" in names
    saved = app.pg.settings.profile("Custom 1")
    assert saved is not None and saved.base_url == app.sim.base_url
    assert "sk-" not in app.pg.settings_path.read_text()


def test_first_start_opens_on_the_simulator_with_a_banner(app: App) -> None:
    import asyncio

    task = asyncio.ensure_future(app.pg.first_start_check())
    app.qtbot.waitUntil(task.done, timeout=3000)
    banner = app.window.banner
    assert banner.isVisible() and "Offline simulator" in banner.text.text()
    assert app.window.provider.currentText() == "Offline simulator"
    app.shot(app.window, "main_window_light")
    banner._on_close()
    assert not banner.isVisible() and app.pg.settings.banner_dismissed


def test_dark_theme_screenshot(app: App, qapp) -> None:  # type: ignore[no-untyped-def]
    theme.apply(qapp, dark=True)
    try:
        app.run()
        assert theme.is_dark()
        app.shot(app.window, "main_window_dark")
    finally:
        theme.apply(qapp, dark=False)


def test_every_control_has_a_tooltip(app: App) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit

    missing = []
    for widget in (
        app.window.findChildren(QAbstractButton)
        + app.window.findChildren(QComboBox)
        + app.window.findChildren(QLineEdit)
        + app.window.findChildren(QPlainTextEdit)
    ):
        if not widget.isVisibleTo(app.window) or widget.parent() is None:
            continue
        if type(widget).__name__ in ("QTabBar", "QScrollBar") or widget.objectName().startswith(
            "qt_"
        ):
            continue
        owner = widget.parent()
        if not (widget.toolTip() or (owner is not None and owner.toolTip())):
            missing.append(f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()}")
    assert missing == []


@pytest.mark.parametrize("how", ["Escape", "Close", "title bar"])
def test_every_way_of_closing_providers_keeps_the_edits(app: App, how: str) -> None:
    """The dialog applies its edits however it is closed: Escape, the Close button and the
    window's own close button do the same (keys are stored at once, profiles on closing)."""
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog._on_add_clicked()
    dialog.base_url.setText(app.sim.base_url)
    if how == "Escape":
        app.qtbot.keyClick(dialog.base_url, Qt.Key.Key_Escape)
    elif how == "Close":
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close).click()
    else:
        dialog.close()
    app.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    saved = app.pg.settings.profile("Custom 1")
    assert saved is not None and saved.base_url == app.sim.base_url


def test_a_bad_base_url_is_named_as_it_is_typed(app: App) -> None:
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog._on_add_clicked()
    problem = dialog.base_url_problem
    dialog.base_url.selectAll()
    app.qtbot.keyClicks(dialog.base_url, "http://localhost:99999/v1")
    assert problem.isVisibleTo(dialog) and "port" in problem.text()
    assert problem.text()[0].isupper()
    dialog.base_url.setText("localhost:8000/v1")
    assert "http://" in problem.text()
    dialog.base_url.setText(app.sim.base_url)
    assert not problem.isVisibleTo(dialog)
    dialog.base_url.setText("ftp://x")
    dialog.list.setCurrentRow(0)  # the simulator: it sends nothing, so nothing to say
    assert not problem.isVisibleTo(dialog)
    dialog.close()
