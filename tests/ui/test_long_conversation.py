"""A long conversation: only the cards near the viewport are built, and nothing is lost."""

from __future__ import annotations

from pathlib import Path

from playground.core.workspace import Message, Workspace
from playground.services.files import load_workspace, save_workspace
from playground.ui.widgets.conversation import ConversationView
from playground.ui.widgets.message_card import MessageCard
from tests.ui.conftest import App

ANSWER = "A paragraph of the answer.\n\n```python\nprint('code')\n```\n\n- one\n- two\n"


def long_workspace(n: int = 300) -> Workspace:
    messages = []
    for i in range(n // 2):
        messages.append(Message(role="user", content=f"Question {i}"))
        messages.append(Message(role="assistant", content=f"Answer {i}\n\n{ANSWER}"))
    return Workspace(profile="Offline simulator", model="gpt-4o", messages=messages)


def open_long(app: App, tmp_path: Path, n: int = 300) -> ConversationView:
    path = tmp_path / "long.json"
    save_workspace(path, long_workspace(n))
    app.pg.documents.open_path(path)
    view = app.window.conversation
    app.qtbot.waitUntil(lambda: view.built() > 0, timeout=3000)
    return view


def visible_texts(view: ConversationView) -> list[str]:
    """The text of the cards a user can see in the list's viewport now."""
    port = view.scroller.viewport()
    seen = []
    for item in view._items:
        if isinstance(item, MessageCard) and item.isVisible():
            top_left = item.mapTo(port, item.rect().topLeft())
            if top_left.y() < port.height() and top_left.y() + item.height() > 0:
                seen.append(item.text())
    return seen


def test_a_long_conversation_builds_only_what_is_in_view(app: App, tmp_path: Path) -> None:
    view = open_long(app, tmp_path)
    assert len(view.cards) == 300
    assert 0 < view.built() <= 12
    assert visible_texts(view)[0] == "Question 0"
    bar = view.scroller.verticalScrollBar()
    bar.setValue(bar.maximum())
    app.qtbot.waitUntil(lambda: "Question 149" in visible_texts(view), timeout=3000)
    assert visible_texts(view)[-1].startswith("Answer 149")
    bar.setValue(bar.maximum() // 2)
    app.qtbot.waitUntil(lambda: len(visible_texts(view)) > 0, timeout=3000)
    middle = visible_texts(view)[0]
    number = int(middle.split()[1])
    assert 40 < number < 110, middle  # about the middle, not the start or the end
    app.shot(app.window, "long_conversation")


def test_scrolling_through_everything_keeps_the_built_cards_bounded(
    app: App, tmp_path: Path
) -> None:
    view = open_long(app, tmp_path, n=400)
    bar = view.scroller.verticalScrollBar()
    step = view.scroller.viewport().height()
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + step)
        app.qtbot.wait(5)
    app.qtbot.waitUntil(lambda: "Question 199" in visible_texts(view), timeout=3000)
    assert view.built() <= 100  # of 400: the cards far from view went back to spacers
    assert [m.text for m in app.window.collect().messages] == [
        m.text for m in long_workspace(400).messages
    ]


def test_an_edit_survives_its_card_being_released(app: App, tmp_path: Path) -> None:
    view = open_long(app, tmp_path, n=400)
    view.cards[0].editor.setPlainText("Question 0, edited")
    app.window.setFocus()  # the edited card no longer has the focus: it may be released
    view.cards[1].raw_toggle.setChecked(True)  # the raw text of an answer, edited
    view.cards[1].editor.setPlainText("Answer 0, edited by hand")
    app.window.setFocus()
    bar = view.scroller.verticalScrollBar()
    step = view.scroller.viewport().height()
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + step)
        app.qtbot.wait(5)
    app.qtbot.waitUntil(lambda: not isinstance(view._items[0], MessageCard), timeout=3000)
    messages = app.window.collect().messages
    assert messages[0].text == "Question 0, edited"
    assert messages[1].text == "Answer 0, edited by hand"
    assert app.pg.documents.save()
    saved = load_workspace(tmp_path / "long.json").messages
    assert [saved[0].text, saved[1].text] == ["Question 0, edited", "Answer 0, edited by hand"]
    bar.setValue(0)
    app.qtbot.waitUntil(lambda: "Question 0, edited" in visible_texts(view), timeout=3000)


def test_moving_a_card_past_one_not_built_yet(app: App, tmp_path: Path) -> None:
    view = open_long(app, tmp_path)
    last_built = max(i for i, item in enumerate(view._items) if isinstance(item, MessageCard))
    card = view._items[last_built]
    assert isinstance(card, MessageCard)
    assert not isinstance(view._items[last_built + 1], MessageCard)
    card.move_requested.emit(1)
    texts = [m.text for m in app.window.collect().messages]
    original = [m.text for m in long_workspace().messages]
    assert texts[last_built] == original[last_built + 1]
    assert texts[last_built + 1] == original[last_built]
    assert sorted(texts) == sorted(original)


def test_a_run_at_the_end_of_a_long_conversation(app: App, tmp_path: Path) -> None:
    view = open_long(app, tmp_path)
    view.add_message("user", "One more question", focus=False)
    app.run()
    app.wait_idle()
    assert len(view.cards) == 302
    assert view.cards[-1].message().role == "assistant"
    assert "Simulated answer" in view.cards[-1].text()
    assert "Simulated answer" in visible_texts(view)[-1]  # followed to the end
    sent = app.last_body()["input"]
    assert len(sent) == 301 and sent[0]["content"] == "Question 0"
