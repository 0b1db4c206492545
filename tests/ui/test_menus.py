"""The menu bar: File, Edit, View, Run, Help with their standard keys; Quit asks about unsaved
tabs; the Run menu follows the tab; Edit acts on the focused field; the tabs' context menu."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from playground.core.workspace import FunctionTool, Message, Parameters, Workspace
from playground.services.files import load_workspace
from playground.services.simulator import Scenario, ScriptedCall
from playground.ui.actions import walk
from playground.ui.views.workspace_view import WorkspaceView
from tests.ui.conftest import App, new_gate

std = QKeySequence.StandardKey


class UrlCatcher(QObject):
    """Takes the URLs QDesktopServices would open (no browser or file manager in tests)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def catch(self, url: QUrl) -> None:
        self.urls.append(url)


def menu(app: App, title: str) -> QMenu:
    for action in app.window.menuBar().actions():
        if action.text().replace("&", "") == title:
            found = action.menu()
            assert isinstance(found, QMenu)
            return found
    raise AssertionError(f"no {title} menu")


def entry(app: App, title: str, text: str):  # type: ignore[no-untyped-def]
    """The action of menu `title` whose text starts with `text` (& and keys ignored)."""
    for _path, action in walk(menu(app, title)):
        if action.text().replace("&", "").startswith(text):
            return action
    raise AssertionError(f"no {text} in {title}")


def first_key(action) -> str:  # type: ignore[no-untyped-def]
    return action.shortcut().toString()


def standard(key: QKeySequence.StandardKey) -> str:
    return QKeySequence.keyBindings(key)[0].toString()


def test_each_menu_has_its_actions_and_the_platform_keys(app: App) -> None:
    titles = [a.text().replace("&", "") for a in app.window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Run", "Help"]
    file_entries = {
        "New": standard(std.New),
        "Open…": standard(std.Open),
        "Save": standard(std.Save),
        "Save As…": standard(std.SaveAs),
        "Import request…": "Ctrl+I",
        "Export…": "Ctrl+E",
        "Close tab": "Ctrl+W",
        "Quit": "Ctrl+Q",
    }
    for text, keys in file_entries.items():
        assert first_key(entry(app, "File", text)) == keys, text
    file_menu = [a.text().replace("&", "") for a in menu(app, "File").actions()]
    assert "New from example" in file_menu and "Open Recent" in file_menu
    assert file_menu.index("New from example") == file_menu.index("New") + 1
    edit = {"Undo": std.Undo, "Redo": std.Redo, "Cut": std.Cut, "Copy": std.Copy}
    edit |= {"Paste": std.Paste, "Find": std.Find}
    for text, key in edit.items():
        assert first_key(entry(app, "Edit", text)) == standard(key), text
    assert first_key(entry(app, "Edit", "Preferences")) == "Ctrl+,"
    assert first_key(entry(app, "View", "Zoom in")) == standard(std.ZoomIn) == "Ctrl++"
    assert first_key(entry(app, "View", "Zoom out")) == standard(std.ZoomOut)
    assert first_key(entry(app, "View", "Reset zoom")) == "Ctrl+0"
    themes = [a.text().replace("&", "") for _p, a in walk(menu(app, "View")) if _p]
    assert themes == ["System", "Light", "Dark"]
    assert entry(app, "View", "Compare").isCheckable()
    assert "Compare" not in [a.text() for a in menu(app, "Edit").actions()]  # moved to View
    assert first_key(entry(app, "Run", "Run")) == "Ctrl+Return"
    assert first_key(entry(app, "Run", "Stop")) == "Esc"
    assert first_key(entry(app, "Run", "Regenerate")) == "Ctrl+Shift+Return"
    assert entry(app, "Run", "Run with mocks") and entry(app, "Run", "Continue")
    assert first_key(entry(app, "Help", "Keyboard shortcuts")) == standard(std.HelpContents)
    for text in ("Documentation", "Copy diagnostics", "About Playground"):
        assert entry(app, "Help", text)


def test_every_menu_action_has_a_tooltip_and_a_status_tip(app: App, tmp_path: Path) -> None:
    app.pg.documents.save_to(tmp_path / "recent.json")  # Open Recent gets an entry
    actions = list(walk(app.window.menuBar()))
    assert len(actions) > 35
    bare = []
    for path, action in actions:
        text = action.text().replace("&", "").split("\t")[0].strip()
        if not action.statusTip() or action.toolTip().strip() in ("", text):
            bare.append(f"{path} › {text}")
    assert bare == []
    submenus = [a for a in app.window.menuBar().actions()]
    submenus += [a for m in submenus for a in m.menu().actions() if a.menu()]
    assert all(a.statusTip() for a in submenus if a.menu() and a.text() not in _TOP)


_TOP = ("&File", "&Edit", "&View", "&Run", "&Help")


def _dirty_tab(app: App) -> None:
    app.window.conversation.add_message("user", "Not saved yet", focus=False)
    app.window.current_view.binder.flush()
    assert app.pg.documents.current_document().dirty


def test_ctrl_q_with_a_dirty_tab_asks_and_cancel_keeps_the_window(app: App) -> None:
    w = app.window
    _dirty_tab(app)
    app.qtbot.keyClick(w, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    box = w.menus.quit_box
    assert box is not None
    app.qtbot.waitUntil(box.isVisible, timeout=3000)
    title = app.pg.documents.current_document().tab.title
    assert box.text() == f"1 tab has unsaved changes: {title}. Save them before quitting?"
    app.shot(box, "menus_quit_asks")
    box.button(QMessageBox.StandardButton.Cancel).click()
    app.qtbot.wait(50)
    assert w.isVisible()
    w.activateWindow()  # the window manager gives it back after the box
    app.qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    app.qtbot.keyClick(w, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    box = w.menus.quit_box
    app.qtbot.waitUntil(box.isVisible, timeout=3000)
    discard = box.button(QMessageBox.StandardButton.Discard)
    assert discard.text() == "Quit without saving"
    discard.click()
    app.qtbot.waitUntil(lambda: not w.isVisible(), timeout=3000)


def test_quit_with_nothing_unsaved_closes_at_once(app: App) -> None:
    app.pg.documents.current_document().doc.mark_saved()
    app.window.menus.quit.trigger()
    app.qtbot.waitUntil(lambda: not app.window.isVisible(), timeout=3000)


def test_quit_and_save_writes_the_tabs_that_have_a_file(app: App, tmp_path: Path) -> None:
    docs = app.pg.documents
    target = tmp_path / "kept.json"
    assert docs.save_to(target)
    _dirty_tab(app)
    app.window.menus.quit.trigger()
    box = app.window.menus.quit_box
    app.qtbot.waitUntil(box.isVisible, timeout=3000)
    assert "kept.json" in box.text()
    box.button(QMessageBox.StandardButton.Save).click()
    app.qtbot.waitUntil(lambda: not app.window.isVisible(), timeout=3000)
    assert load_workspace(target).messages[-1].text == "Not saved yet"


def test_the_run_menu_follows_the_tab(app: App) -> None:
    w, menus = app.window, app.window.menus
    assert menus.run.isEnabled() and not menus.stop.isEnabled()
    assert not menus.with_mocks.isEnabled()  # no tools to mock
    assert not menus.continue_.isEnabled()
    gate = new_gate()
    app.sim.enqueue(Scenario(text=["Hello ", "there ", "friend."], gate_after=2, gate=gate))
    app.qtbot.keyClick(w, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    app.qtbot.waitUntil(menus.stop.isEnabled, timeout=5000)
    assert not menus.run.isEnabled()
    app.qtbot.keyClick(w, Qt.Key.Key_Escape)  # Run > Stop
    gate.set()
    app.wait_idle()
    assert menus.run.isEnabled() and not menus.stop.isEnabled()
    assert w.conversation.cards[-1].role.currentText() == "assistant"


def test_run_with_mocks_answers_the_calls_with_their_mocks(app: App) -> None:
    w = app.window
    w.load(
        Workspace(
            profile="Offline simulator",
            model="gpt-4o-mini",
            messages=[Message(content="Weather in Paris?")],
            tools=[
                FunctionTool(
                    name="get_weather",
                    parameters={"type": "object", "properties": {"city": {"type": "string"}}},
                    mock_output='{"temp_c": 12}',
                )
            ],
        )
    )
    w._revalidate()
    assert w.menus.with_mocks.isEnabled()
    app.sim.enqueue(Scenario(tool_calls=[ScriptedCall("get_weather", ['{"city": "Paris"}'])]))
    w.menus.with_mocks.trigger()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) >= 2, timeout=8000)
    app.wait_idle()
    outputs = [i for i in app.last_body()["input"] if i.get("type") == "function_call_output"]
    assert outputs and outputs[0]["output"] == '{"temp_c": 12}'


def test_continue_runs_on_from_an_answer_cut_at_the_limit(app: App) -> None:
    w = app.window
    w.load(
        Workspace(
            api="chat",
            profile="Offline simulator",
            model="gpt-4o-mini",
            messages=[Message(content="Explain SSE briefly.")],
            params=Parameters(max_output_tokens=16),
        )
    )
    app.run()
    assert w.menus.continue_.isEnabled()
    partial = w.conversation.cards[-1].text()
    w.menus.continue_.trigger()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) == 2, timeout=5000)
    app.wait_idle()
    assert app.last_body()["messages"][-1]["content"] == partial


def test_edit_copy_and_paste_act_on_the_focused_field(app: App) -> None:
    w = app.window
    card = w.conversation.cards[0]
    card.editor.setFocus()
    app.qtbot.waitUntil(card.editor.hasFocus, timeout=3000)
    card.editor.selectAll()
    entry(app, "Edit", "Copy").trigger()
    assert QGuiApplication.clipboard().text() == "Explain SSE briefly."
    w.conversation.add_message("user", "", focus=True)
    editor = w.conversation.cards[-1].editor
    app.qtbot.waitUntil(editor.hasFocus, timeout=3000)
    entry(app, "Edit", "Paste").trigger()
    assert editor.toPlainText() == "Explain SSE briefly."


def test_find_calls_the_tabs_find_bar_when_there_is_one(app: App) -> None:
    find = entry(app, "Edit", "Find")
    assert find.isEnabled() == callable(getattr(WorkspaceView, "show_find", None))


def test_preferences_opens_providers(app: App) -> None:
    entry(app, "Edit", "Preferences").trigger()
    app.qtbot.waitUntil(lambda: app.window._dialog is not None, timeout=3000)
    app.qtbot.waitUntil(app.window._dialog.isVisible, timeout=3000)
    app.window._dialog.close()


def test_tab_context_menu_closes_others_duplicates_and_reveals(app: App, tmp_path: Path) -> None:
    docs = app.pg.documents
    docs.new()
    docs.new()
    assert docs.bar.count() == 3
    menu = docs.menus.tab_menu(1)
    texts = {a.text(): a for a in menu.actions()}
    assert set(texts) >= {"Close other tabs", "Duplicate tab", "Reveal in file manager"}
    assert not texts["Reveal in file manager"].isEnabled()  # never saved
    assert all(a.toolTip() and a.statusTip() for a in menu.actions())
    app.shot(menu, "menus_tab_context")
    texts["Duplicate tab"].trigger()
    assert docs.bar.count() == 4 and docs.bar.tabText(3).startswith("Untitled 2 (copy)")
    docs.menus.tab_menu(0).actions()[1].trigger()  # Close other tabs: the copy asks
    box = docs.close_box
    app.qtbot.waitUntil(box.isVisible, timeout=3000)
    box.button(QMessageBox.StandardButton.Discard).click()
    assert docs.bar.count() == 1
    target = tmp_path / "shown.json"
    assert docs.save_to(target)
    opened = UrlCatcher()
    QDesktopServices.setUrlHandler("file", opened, "catch")
    try:
        reveal = next(a for a in docs.menus.tab_menu(0).actions() if a.text().startswith("Rev"))
        assert reveal.isEnabled()
        reveal.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(u.toLocalFile()) for u in opened.urls] == [tmp_path]


class TitleBarClose(QCloseEvent):
    """The close the window system sends when the title bar's ✕ is clicked (a spontaneous
    event; offscreen has no title bar to click)."""

    def spontaneous(self) -> bool:
        return True


def test_the_title_bar_close_asks_as_quit_does(app: App) -> None:
    w = app.window
    _dirty_tab(app)
    event = TitleBarClose()
    w.closeEvent(event)
    assert not event.isAccepted()
    box = w.menus.quit_box
    app.qtbot.waitUntil(box.isVisible, timeout=3000)
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert w.isVisible()
