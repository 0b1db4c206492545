"""View > Zoom and Theme (live, remembered across a restart) and the Help menu: the shortcuts
sheet, Documentation, About and Copy diagnostics."""

from __future__ import annotations

import asyncio
import platform
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QTextBrowser, QWidget

from playground import __version__
from playground.core.profiles import ProviderProfile
from playground.services.keystore import KeyStore
from playground.ui import theme, zoom
from playground.ui.app import Playground
from playground.ui.main_window import MainWindow
from tests.services.test_keystore import MemoryKeyring
from tests.ui.conftest import App
from tests.ui.test_menus import UrlCatcher, entry

KEY = "sk-proj-MARKERdiagnostics0123456789abcdef"


@contextmanager
def restarted(app: App, tmp_path: Path) -> Iterator[MainWindow]:
    """A second start of the app on the same settings file (its own data folder)."""
    pg = Playground(
        tmp_path / "settings.json",
        keys=KeyStore(MemoryKeyring()),
        env={},
        simulator_speed=None,
        strict=True,
        simulator=app.sim,
        data_dir=tmp_path / "data-again",
    )
    window = pg.open_window()
    app.qtbot.addWidget(window)
    window.show()
    try:
        yield window
    finally:
        window.close()
        closing = asyncio.ensure_future(pg.aclose())
        app.qtbot.waitUntil(closing.done, timeout=5000)
        closing.result()


def sizes(window: MainWindow) -> tuple[float, float, float]:
    """(a message's text, the Raw pane's monospace, the toolbar's) font sizes in points."""
    editor = window.conversation.cards[0].editor
    return (
        editor.font().pointSizeF(),
        window.raw.request.font().pointSizeF(),
        window.toolbar.font().pointSizeF(),
    )


def test_zoom_scales_the_conversation_and_editors_and_is_remembered(
    app: App, tmp_path: Path
) -> None:
    w = app.window
    text, mono, chrome = sizes(w)
    app.qtbot.keyClick(w, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)  # Ctrl++
    app.qtbot.keyClick(w, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)  # Ctrl+=
    assert w.menus.view.zoom.percent == 125
    bigger = sizes(w)
    assert bigger[0] == text * 1.25 and abs(bigger[1] - mono * 1.25) < 0.01
    assert bigger[2] == chrome  # the toolbar keeps the system size
    w.conversation.add_message("user", "made after the zoom", focus=False)
    assert w.conversation.cards[-1].editor.font().pointSizeF() == text * 1.25
    app.shot(w, "view_zoom_125")
    with restarted(app, tmp_path) as again:
        assert again.menus.view.zoom.percent == 125
        assert sizes(again)[0] == text * 1.25
    w.activateWindow()
    app.qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    app.qtbot.keyClick(w, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)  # reset
    assert sizes(w) == (text, mono, chrome)
    app.qtbot.keyClick(w, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert sizes(w)[0] == text * 0.9
    w.menus.view.zoom.reset()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["in", "out", "reset"]), max_size=30))
def test_any_zoom_sequence_stays_on_a_step_and_returns_to_size(
    qapp: QApplication, steps: list[str]
) -> None:
    root = QWidget()
    plain, own, label = QPlainTextEdit(root), QTextBrowser(root), QLabel("kept", root)
    own_font = own.font()
    own_font.setPointSizeF(own_font.pointSizeF() + 3)
    own.setFont(own_font)
    start = (plain.font().pointSizeF(), own.font().pointSizeF(), label.font().pointSizeF())
    z = zoom.Zoom(100, lambda _p: None, root)
    for step in steps:
        {"in": z.zoom_in, "out": z.zoom_out, "reset": z.reset}[step]()
        assert z.percent in zoom.STEPS
        factor = z.percent / 100
        assert abs(plain.font().pointSizeF() - start[0] * factor) < 0.01
        assert abs(own.font().pointSizeF() - start[1] * factor) < 0.01
        assert label.font().pointSizeF() == start[2]
    z.reset()
    assert (plain.font().pointSizeF(), own.font().pointSizeF()) == start[:2]
    root.deleteLater()


def _icon_colour(window: MainWindow) -> QColor:
    image = window.run_button.icon().pixmap(16, 16).toImage()
    for x in range(16):
        for y in range(16):
            colour = image.pixelColor(x, y)
            if colour.alpha() == 255:
                return colour
    raise AssertionError("the icon has no opaque pixel")


def test_theme_switches_live_with_icons_and_is_remembered(app: App, tmp_path: Path) -> None:
    w = app.window
    assert not theme.is_dark()
    light_icon = _icon_colour(w)
    entry(app, "View", "Dark").trigger()
    assert theme.is_dark()
    text = QApplication.palette().color(QPalette.ColorRole.WindowText)
    assert _icon_colour(w) != light_icon and _icon_colour(w).name() == text.name()
    assert entry(app, "View", "Dark").isChecked()
    app.qtbot.wait(30)
    app.shot(w, "view_theme_dark")
    with restarted(app, tmp_path) as again:
        assert theme.is_dark()
        assert again.menus.view.themes["dark"].isChecked()
    entry(app, "View", "Light").trigger()
    assert not theme.is_dark() and _icon_colour(w) == light_icon
    entry(app, "View", "System").trigger()  # offscreen's system palette is light
    assert not theme.is_dark()


def test_panes_hide_and_show(app: App) -> None:
    w = app.window
    setup, side = w.splitter.widget(0), w.splitter.widget(2)
    entry(app, "View", "Setup pane").trigger()
    assert not setup.isVisible() and side.isVisible()
    entry(app, "View", "Side pane").trigger()
    assert not side.isVisible()
    entry(app, "View", "Setup pane").trigger()
    entry(app, "View", "Side pane").trigger()
    assert setup.isVisible() and side.isVisible()


def test_shortcuts_sheet_lists_every_action_and_filters_as_you_type(app: App) -> None:
    w = app.window
    app.qtbot.keyClick(w, Qt.Key.Key_F1)
    sheet = w.menus.help.sheet
    assert sheet is not None
    app.qtbot.waitUntil(sheet.isVisible, timeout=3000)
    rows = sheet.rows()
    assert ("Quit", "Ctrl+Q", "File") in rows
    assert ("Zoom in", "Ctrl++, Ctrl+=", "View") in rows
    assert ("Dark", "", "View › Theme") in rows
    assert ("Run", "Ctrl+Return, Ctrl+Enter", "Run") in rows
    assert len(rows) > 35
    app.shot(sheet, "help_shortcuts_sheet")
    app.qtbot.keyClicks(sheet.filter, "zoom")
    shown = sheet.rows()
    assert [r[0] for r in shown] == ["Zoom in", "Zoom out", "Reset zoom (100 %)"]
    sheet.filter.clear()
    app.qtbot.keyClicks(sheet.filter, "ctrl+shift+t")
    assert [r[0] for r in sheet.rows()] == ["Reopen closed tab"]
    app.shot(sheet, "help_shortcuts_sheet_filtered")
    sheet.close()


def test_about_shows_the_versions(app: App) -> None:
    entry(app, "Help", "About").trigger()
    box = app.window.menus.help.about_box
    assert box is not None
    app.qtbot.waitUntil(box.isVisible, timeout=3000)
    text = box.text()
    for version in (
        __version__,
        qVersion(),
        pyside_version,
        metadata.version("openai"),
        platform.python_version(),
    ):
        assert version in text
    for name in ("Playground", "Qt", "PySide6", "openai SDK", "Python"):
        assert name in text
    app.shot(box, "help_about")
    box.close()


def test_copy_diagnostics_has_the_report_and_never_a_key(app: App) -> None:
    w = app.window
    done = asyncio.ensure_future(asyncio.to_thread(app.pg.keys.set, "OpenAI", KEY))
    app.qtbot.waitUntil(done.done, timeout=5000)
    assert app.pg.keys.get("OpenAI") == KEY
    own = ProviderProfile(
        name="Gateway", kind="custom", base_url=f"https://user:{KEY}@gw.example.com/v1"
    )
    w.profiles_edited([*w.profiles, own])
    QGuiApplication.clipboard().setText("")
    entry(app, "Help", "Copy diagnostics").trigger()
    report = QGuiApplication.clipboard().text()
    assert KEY not in report and "MARKER" not in report
    assert f"Playground {__version__} diagnostics" in report
    assert f"PySide6: {pyside_version}" in report and f"Qt: {qVersion()}" in report
    assert "[ok  ] catalog" in report and "keyring" in report
    assert "Gateway (custom): https://gw.example.com/v1" in report
    assert w.statusBar().currentMessage().startswith("Copied")


def test_documentation_opens_the_readme(app: App) -> None:
    opened = UrlCatcher()
    QDesktopServices.setUrlHandler("file", opened, "catch")
    try:
        entry(app, "Help", "Documentation").trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert len(opened.urls) == 1
    readme = Path(opened.urls[0].toLocalFile())
    assert readme.name == "README.md" and readme.is_file()


def test_menu_screenshots(app: App) -> None:
    """Each menu, open, for a look."""
    for action in app.window.menuBar().actions():
        menu = action.menu()
        menu.popup(app.window.mapToGlobal(app.window.rect().center()))
        app.qtbot.waitUntil(menu.isVisible, timeout=3000)
        app.shot(menu, f"menu_{action.text().replace('&', '').lower()}")
        menu.hide()


def test_the_shortcuts_sheet_shows_real_keys_and_whole_names(app: App) -> None:
    # "Save As… Ctrl+Shift+S, Shift+Save": a keyboard's dedicated Save key written as text;
    # and the example names were cut at the sheet's default width
    w = app.window
    app.qtbot.keyClick(w, Qt.Key.Key_F1)
    sheet = w.menus.help.sheet
    assert sheet is not None
    app.qtbot.waitUntil(sheet.isVisible, timeout=3000)
    app.qtbot.wait(30)
    native = QKeySequence.SequenceFormat.NativeText
    for name, keys, _menu in sheet.rows():
        for part in filter(None, keys.split(", ")):
            sequence = QKeySequence.fromString(part, native)
            assert sequence.toString(native) == part, (name, part)
            combos = [sequence[i] for i in range(sequence.count())]  # type: ignore[index]
            assert all(c.key().value < Qt.Key.Key_Help.value for c in combos), (name, part)
    assert ("Save As…", "Ctrl+Shift+S", "File") in sheet.rows()
    table = sheet.table
    for column in range(table.model().columnCount()):
        assert table.columnWidth(column) >= table.sizeHintForColumn(column), column
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    app.shot(sheet, "help_shortcuts_sheet_whole")
    # a filter that matches nothing, then one that does: the names were cut to "New…"
    widths = [table.columnWidth(c) for c in range(table.model().columnCount())]
    sheet.filter.setText("F3 nothing matches this")
    app.qtbot.wait(20)
    sheet.filter.setText("message")
    app.qtbot.wait(20)
    assert table.model().rowCount() > 0
    assert [table.columnWidth(c) for c in range(table.model().columnCount())][:-1] == widths[:-1]
    sheet.close()
