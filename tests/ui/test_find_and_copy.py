"""Find in the conversation (Ctrl+F) over a long conversation, and the copy buttons."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit, QWidget

from playground.core.workspace import Message, ToolCall, Workspace
from playground.services.files import save_workspace
from playground.services.simulator import Scenario
from playground.ui import theme
from playground.ui.views.workspace_view import WorkspaceView
from playground.ui.widgets.card_list import Pending
from playground.ui.widgets.conversation import ConversationView
from playground.ui.widgets.conversation_find import match_formats
from playground.ui.widgets.copy_buttons import COPIED_MS
from playground.ui.widgets.message_card import MessageCard
from tests.ui.conftest import App, new_gate
from tests.ui.test_long_conversation import long_workspace

NEEDLES = {  # message index: (message, matches of "needle" in it)
    40: (Message(role="user", content="Question 20, with a needle"), 1),
    1001: (
        Message(
            role="assistant",
            content="An answer with a **Needle** inside:\n\n```python\nneedle = 1\n```\n",
        ),
        2,
    ),
    1500: (
        Message(
            role="assistant",
            tool_calls=[ToolCall(id="call_n", name="find_needle", arguments='{"in": "hay"}')],
        ),
        1,
    ),
    1501: (Message(role="tool", tool_call_id="call_n", content='{"needle": "found"}'), 1),
    1998: (Message(role="developer", content="A needle near the end"), 1),
}


def haystack() -> Workspace:
    """2,000 messages, "needle" in the instructions and in the messages of NEEDLES."""
    ws = long_workspace(2000)
    messages = list(ws.messages)
    for index, (message, _count) in NEEDLES.items():
        messages[index] = message
    return ws.model_copy(update={"messages": messages, "instructions": "Look for the needle."})


def open_haystack(app: App, tmp_path: Path) -> WorkspaceView:
    path = tmp_path / "haystack.json"
    save_workspace(path, haystack())
    app.pg.documents.open_path(path)
    view = app.window.current_view
    app.qtbot.waitUntil(lambda: view.conversation.built() > 0, timeout=5000)
    return view


def in_view(conv: ConversationView, widget: QWidget) -> bool:
    """The widget shows, at least in part, in the conversation's viewport."""
    port = conv.scroller.viewport()
    top = widget.mapTo(port, QPoint(0, 0)).y()
    return widget.isVisible() and top < port.height() and top + widget.height() > 0


def marks(editor: QPlainTextEdit | QTextEdit) -> list[tuple[str, bool]]:
    """The highlighted text of each match shown in `editor`, and whether it is the current."""
    strong = match_formats()[1].background()
    return [
        (s.cursor.selectedText(), s.format.background() == strong) for s in editor.extraSelections()
    ]


def count(view: WorkspaceView) -> str:
    return view.find.bar.count.text()


def test_find_steps_through_2000_messages_and_builds_the_cards_on_the_way(
    app: App, tmp_path: Path
) -> None:
    view = open_haystack(app, tmp_path)
    conv, bar, bot = view.conversation, view.find.bar, app.qtbot
    assert isinstance(conv._items[1001], Pending)  # far below: not built
    view.show_find()
    assert bar.isVisible()
    bot.waitUntil(lambda: bar.edit.hasFocus(), timeout=2000)
    bot.keyClicks(bar.edit, "needle")
    bot.waitUntil(lambda: count(view) == "1 of 7", timeout=3000)
    assert marks(conv.instructions) == [("needle", True)]

    bot.keyClick(bar.edit, Qt.Key.Key_Return)  # Enter: the next match
    assert count(view) == "2 of 7"
    card = conv._items[40]
    assert isinstance(card, MessageCard)
    assert marks(card.editor) == [("needle", True)]
    assert marks(conv.instructions) == [("needle", False)]  # every match stays marked
    bot.waitUntil(lambda: in_view(conv, card), timeout=2000)

    bot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert count(view) == "3 of 7"
    answer = conv._items[1001]
    assert isinstance(answer, MessageCard)  # built on the way
    assert answer.stack.currentWidget() is answer.view  # rendered Markdown, marked
    assert marks(answer.view) == [("Needle", True), ("needle", False)]
    bot.waitUntil(lambda: in_view(conv, answer), timeout=2000)
    assert conv.built() <= conv.MAX_BUILT + 10

    bot.keyClick(bar.edit, Qt.Key.Key_F3)  # F3: next too
    assert count(view) == "4 of 7"
    assert marks(answer.view) == [("Needle", False), ("needle", True)]

    bot.keyClick(bar.edit, Qt.Key.Key_F3)
    assert count(view) == "5 of 7"  # a tool call's name
    calls = conv._items[1500]
    assert isinstance(calls, MessageCard)
    assert "background:#ff9632" in calls.calls.text().replace(" ", "")
    bot.waitUntil(lambda: in_view(conv, calls.calls), timeout=2000)

    bot.keyClick(bar.edit, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert count(view) == "4 of 7"
    bot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert count(view) == "3 of 7"
    for expected in ("4 of 7", "5 of 7", "6 of 7", "7 of 7", "1 of 7"):  # wraps round
        bar.next.click()
        assert count(view) == expected
    last = conv._items[1998]
    assert isinstance(last, MessageCard)
    assert marks(last.editor) == [("needle", False)]
    app.shot(app.window, "find_in_conversation")

    bot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    built = [item for item in conv._items if isinstance(item, MessageCard)]
    assert all(not c.editor.extraSelections() and not c.view.extraSelections() for c in built)
    assert not conv.instructions.extraSelections()
    assert "background" not in calls.calls.text()
    assert "find_needle" in calls.calls.text()


def test_match_case_and_no_matches(app: App, tmp_path: Path) -> None:
    view = open_haystack(app, tmp_path)
    bar, bot = view.find.bar, app.qtbot
    view.show_find()
    bot.keyClicks(bar.edit, "Needle")
    bot.waitUntil(lambda: count(view) == "1 of 7", timeout=3000)
    bar.case.click()  # Match case: only "**Needle**"
    assert count(view) == "1 of 1"
    answer = view.conversation._items[1001]
    assert isinstance(answer, MessageCard)
    assert marks(answer.view) == [("Needle", True)]
    bar.edit.setText("no such thing")
    bar.flush()
    assert count(view) == "No matches"
    assert not marks(answer.view)
    assert not bar.next.isEnabled()


def test_find_covers_the_last_answer_and_follows_edits(app: App) -> None:
    view = app.window.current_view
    conv, bar, bot = view.conversation, view.find.bar, app.qtbot
    app.run()
    answer = conv.cards[-1]
    word = max(answer.text().split(), key=len).strip(".,:;!?*`")
    occurrences = answer.text().lower().count(word.lower())
    # Ctrl+F from the conversation opens the bar (the window's Edit > Find does the same)
    conv.cards[0].editor.setFocus()
    bot.keyClick(conv.cards[0].editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.isVisible()
    bar.edit.setText(word)
    bar.flush()
    assert count(view).endswith(f" of {occurrences}")
    assert len(marks(answer.view)) >= 1
    # an edit in the conversation: the count follows
    conv.cards[0].editor.setPlainText(f"{word} and {word}")
    bot.waitUntil(lambda: count(view).endswith(f" of {occurrences + 2}"), timeout=3000)
    assert len(marks(conv.cards[0].editor)) == 2


def test_a_conversation_replaced_under_the_find_bar(app: App) -> None:
    view = app.window.current_view
    bar = view.find.bar
    view.show_find()
    bar.edit.setText("SSE")
    bar.flush()
    assert count(view) == "1 of 1"
    app.window.load(Workspace(messages=[Message(content="no match"), Message(content="SSE?")]))
    bar.next.click()  # the matches are found again in what is shown now
    assert count(view) == "1 of 1"
    second = view.conversation.cards[1]
    assert marks(second.editor) == [("SSE", True)]


def test_find_covers_the_answer_while_it_streams(app: App) -> None:
    view = app.window.current_view
    conv, bar, bot = view.conversation, view.find.bar, app.qtbot
    gate = new_gate()
    app.sim.enqueue(
        Scenario(text=["A kettle ", "of fish, ", "a Kettle again."], gate_after=5, gate=gate)
    )
    app.window.run()
    bot.waitUntil(lambda: conv.live is not None and "kettle" in conv.live.text(), timeout=5000)
    view.show_find()
    bar.edit.setText("kettle")
    bar.flush()
    assert count(view) == "1 of 1"  # the answer as far as it came
    gate.set()
    app.wait_idle()
    bot.waitUntil(lambda: count(view).endswith(" of 2"), timeout=3000)
    answer = conv.cards[-1]
    assert [text for text, _now in marks(answer.view)] == ["kettle", "Kettle"]
    answer.raw_toggle.setChecked(True)  # the raw text: marked there too
    bot.waitUntil(lambda: len(marks(answer.editor)) == 2, timeout=2000)


def test_ctrl_f_stays_one_shortcut_beside_the_edit_find_action(app: App) -> None:
    # the window's Edit > Find action has Ctrl+F; the conversation's own Ctrl+F steps aside,
    # or the two would cancel each other out (an ambiguous shortcut does nothing)
    found: list[bool] = []
    app.window.menus.find.triggered.connect(lambda: found.append(True))
    app.pg.documents.new()  # a new tab: its conversation shows in a window with the action
    view = app.window.current_view
    editor = view.conversation.instructions
    editor.setFocus()
    app.qtbot.waitUntil(editor.hasFocus, timeout=2000)
    app.qtbot.keyClick(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert found == [True]
    assert view.find.bar.isVisible()


def test_copy_buttons_put_the_text_on_the_clipboard_and_say_copied(app: App) -> None:
    conv, bot = app.window.conversation, app.qtbot
    text = "Run this:\n\n```python\nprint('hi')\nx = 1\n```\n\nand then\n\n~~~\nsecond\n~~~"
    card = conv.add_message("assistant", text, focus=False)
    code = card.view.copy_buttons
    bot.waitUntil(lambda: len(code.buttons) == 2 and code.buttons[1].isVisible(), timeout=3000)
    clipboard = QApplication.clipboard()
    bot.mouseClick(code.buttons[0], Qt.MouseButton.LeftButton)
    assert clipboard.text() == "print('hi')\nx = 1"
    assert code.buttons[0].text() == "Copied"
    code.buttons[1].click()
    assert clipboard.text() == "second"
    # each button sits on its block, the first above the second, at the right
    first, second = (b.geometry() for b in code.buttons[:2])
    assert first.bottom() < second.top()
    assert first.right() > card.view.width() // 2
    app.shot(card, "copy_buttons")
    bot.waitUntil(lambda: code.buttons[0].text() == "Copy", timeout=COPIED_MS + 2000)

    bot.mouseClick(card.copy, Qt.MouseButton.LeftButton)  # the message's own Copy
    assert clipboard.text() == text
    assert card.copy.text() == "Copied"
    user = conv.cards[0]
    user.copy.click()
    assert clipboard.text() == "Explain SSE briefly."


@pytest.mark.parametrize("size", [(1000, 700), (1366, 768)])
@pytest.mark.parametrize("dark", [False, True])
def test_find_screenshots_light_and_dark(
    app: App, tmp_path: Path, qapp: QApplication, dark: bool, size: tuple[int, int]
) -> None:
    theme.apply(qapp, dark=dark)
    try:
        view = open_haystack(app, tmp_path)
        app.window.resize(*size)
        view.show_find()
        view.find.bar.edit.setText("needle")
        view.find.bar.flush()
        for _ in range(2):
            view.find.bar.next.click()
        conv = view.conversation
        answer = conv._items[1001]
        assert isinstance(answer, MessageCard)
        buttons = answer.view.copy_buttons.buttons
        app.qtbot.waitUntil(lambda: bool(buttons) and buttons[0].isVisible(), timeout=3000)
        assert count(view) == "3 of 7"
        assert in_view(conv, answer)
        # stepping scrolls up or down only: a list wider than its pane keeps the cards' left
        assert conv.scroller.horizontalScrollBar().value() == 0
        app.shot(app.window, f"find_{'dark' if dark else 'light'}_{size[0]}x{size[1]}")
        for _ in range(2):
            view.find.bar.next.click()
        app.qtbot.wait(300)  # the cards around it built, and laid out
        calls = conv._items[1500]
        assert isinstance(calls, MessageCard)
        assert in_view(conv, calls.calls)
        assert conv.scroller.horizontalScrollBar().value() == 0
    finally:
        theme.apply(qapp, dark=False)
