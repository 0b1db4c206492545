"""Help > Keyboard shortcuts lists every key the window answers to: each shortcut of every
action and of every QShortcut in the window (the conversation's F3 and Shift+F3, find next
and previous, were missing: QShortcuts of the conversation rather than actions)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QShortcut

from playground.ui.shortcuts_sheet import ShortcutsSheet, keys_text, sequences_text
from tests.ui.conftest import App


def window_keys(app: App) -> dict[str, str]:
    """Each key (as the sheet writes it) that the window's enabled actions and shortcuts
    answer to, and what has it."""
    found: dict[str, str] = {}
    for action in app.window.findChildren(QAction):
        for key in filter(None, keys_text(action).split(", ")):
            found.setdefault(key, action.text())
    for shortcut in app.window.findChildren(QShortcut):
        if shortcut.isEnabled():
            for key in filter(None, sequences_text(shortcut.keys()).split(", ")):
                found.setdefault(key, f"{shortcut.whatsThis()!r} in {shortcut.parent()}")
    return found


def sheet_rows(app: App) -> list[tuple[str, str, str]]:
    sheet = ShortcutsSheet(app.window)
    app.qtbot.addWidget(sheet)
    return sheet.rows()


def test_the_sheet_lists_every_key_the_window_has(app: App) -> None:
    app.window.window_runs.evaluate.action.trigger()  # the modes' own widgets exist too
    app.window.window_runs.evaluate.action.trigger()
    rows = sheet_rows(app)
    listed = {key for _, keys, _ in rows for key in filter(None, keys.split(", "))}
    missing = {k: v for k, v in window_keys(app).items() if k not in listed}
    assert missing == {}
    names = {name: keys for name, keys, _ in rows}
    assert names["Find next"].startswith("F3") and names["Find previous"].startswith("Shift+F3")
    assert ("Delete the selected rows", "Del", "Test set") in rows


def test_each_tabs_conversation_keys_are_listed_once(app: App) -> None:
    docs = app.pg.documents
    assert docs is not None
    docs.new()
    app.qtbot.waitUntil(lambda: docs.bar.count() == 2, timeout=3000)
    rows = sheet_rows(app)
    assert [r[0] for r in rows].count("Find next") == 1
    assert len(rows) == len(set(rows))
