"""Tabs, files, autosave and session restore in the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from playground.core.workspace import Message, Workspace
from playground.services.files import backup_path, load_workspace, save_workspace
from playground.ui import theme
from tests.ui.conftest import App


def reopen(app: App):  # type: ignore[no-untyped-def]
    """Close the window as the app does on quit, and open a new one on the same data."""
    app.pg.documents.autosave()
    app.window.close()
    window = app.pg.open_window()
    app.qtbot.addWidget(window)
    app.window = window  # the fixture closes this one
    return window


def test_unsaved_edits_come_back_after_a_restart(app: App) -> None:
    w = app.window
    w.conversation.cards[0].editor.setPlainText("An edit I never saved")
    w.conversation.add_message("developer", "Second message", focus=False)
    app.qtbot.waitUntil(lambda: app.pg.documents.store.file.exists(), timeout=3000)
    again = reopen(app)
    texts = [c.message().text for c in again.conversation.cards]
    assert texts == ["An edit I never saved", "Second message"]


def test_new_tabs_open_save_and_recent(app: App, tmp_path: Path) -> None:
    docs = app.pg.documents
    docs.new()
    assert docs.bar.count() == 2 and docs.bar.tabText(1) == "Untitled 2"
    app.window.conversation.add_message("user", "Tab two", focus=False)
    app.window._revalidate()
    assert docs.bar.tabText(1).endswith("•")
    target = tmp_path / "two.json"
    assert docs.save_to(target)
    assert docs.bar.tabText(1) == "two.json"
    assert load_workspace(target).messages[-1].text == "Tab two"
    app.window.conversation.add_message("user", "more", focus=False)
    assert docs.save()
    assert load_workspace(backup_path(target)).messages[-1].text == "Tab two"
    assert docs.record.recent[0] == str(target.resolve())
    docs.select(0)
    assert app.window.conversation.cards[0].message().text == "Explain SSE briefly."
    docs.select(1)
    assert app.window.conversation.cards[-1].message().text == "more"
    app.qtbot.wait(50)
    app.shot(app.window, "tabs")
    again = reopen(app)
    assert app.pg.documents.bar.count() == 2
    assert app.pg.documents.bar.tabText(1) == "two.json"
    assert again.conversation.cards[-1].message().text == "more"


def test_open_a_file_and_refuse_a_broken_one(app: App, tmp_path: Path) -> None:
    docs = app.pg.documents
    good = tmp_path / "good.json"
    save_workspace(good, Workspace(messages=[Message(content="from file")]))
    assert docs.open_path(good)
    assert app.window.conversation.cards[0].message().text == "from file"
    save_workspace(good, Workspace(messages=[Message(content="newer")]))
    good.write_text('{"messages": [oops]}')
    assert not docs.open_path(tmp_path / "missing.json")
    before = good.read_text()
    assert docs.open_path(good)  # already open: switches to its tab
    docs.close_tab(docs.current)
    assert not docs.open_path(good)
    banner = app.window.banner
    assert "good.json could not be opened" in banner.text.text()
    assert "1:15" in banner.text.text() or "line" in banner.text.text()
    assert good.read_text() == before  # the broken file is left as it is
    assert banner.action.isVisible() and banner.action.text() == "Open last good copy"
    banner.action.click()
    assert app.window.conversation.cards[0].message().text == "from file"
    assert docs.bar.tabText(docs.current).startswith("good (last good copy)")


def test_a_run_is_autosaved_with_its_answer(app: App) -> None:
    app.run()
    app.qtbot.waitUntil(lambda: app.pg.documents.store.file.exists(), timeout=3000)
    app.pg.documents.autosave()
    tab = app.pg.documents.docs[0].tab
    saved = app.pg.documents.store.read_tab(tab)
    assert saved is not None and saved.messages[-1].role == "assistant"
    assert "Simulated answer" in saved.messages[-1].text


def reddish_share(widget: QWidget) -> float:
    """The share of `widget`'s pixels that are a strong red or orange."""
    image = widget.grab().toImage()
    red = 0
    for x in range(image.width()):
        for y in range(image.height()):
            c = image.pixelColor(x, y)
            red += c.red() > 170 and c.green() < 140 and c.blue() < 120
    return red / max(1, image.width() * image.height())


def test_the_current_tabs_close_button_is_a_plain_close_icon(app: App, qapp: QApplication) -> None:
    # Fusion drew the current tab's close button as a filled orange-red square: an error look
    docs = app.pg.documents
    docs.new()
    for dark in (False, True):
        theme.apply_choice(qapp, "dark" if dark else "light")
        app.qtbot.wait(30)
        for index in range(docs.bar.count()):
            close = docs.bar.close_button(index)
            assert close is not None and close.isVisible()
            assert reddish_share(close) < 0.02, (dark, index)
            assert close.accessibleName() == f"Close {docs.docs[index].tab.title}"
        closing = docs.bar.count()
        docs.bar.close_button(closing - 1).click()  # type: ignore[union-attr]
        assert docs.bar.count() == closing - 1
        docs.new()
    theme.apply_choice(qapp, "light")
