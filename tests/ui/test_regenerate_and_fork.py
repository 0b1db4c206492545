"""Regenerate, Edit and run from here, Fork from here: in the window, on the simulator."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from playground.core.workspace import Message, Workspace
from tests.ui.conftest import App

OLD = "An old answer that regenerate replaces"


def _conversation(*texts: str) -> Workspace:
    roles = ("user", "assistant")
    return Workspace(
        profile="Offline simulator",
        model="gpt-4o-mini",
        instructions="Answer in one line.",
        messages=[Message(role=roles[i % 2], content=t) for i, t in enumerate(texts)],
    )


def _roles(app: App) -> list[str]:
    return [m.role for m in app.window.collect().messages]


def _wait_run(app: App, requests: int) -> None:
    app.qtbot.waitUntil(lambda: len(app.sim.requests) >= requests, timeout=5000)
    app.wait_idle()


def _offered(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if a.isVisible()]


def _sent(app: App) -> str:
    """The last request's body, as JSON text (search it with `_json`)."""
    return json.dumps(app.last_body())


def _json(text: str) -> str:
    return json.dumps(text)[1:-1]


def test_regenerate_replaces_the_last_answer_and_undo_brings_it_back(app: App) -> None:
    w = app.window
    w.load(_conversation("Explain SSE briefly.", OLD))
    before = w.collect()
    card = w.conversation.cards[-1]
    app.qtbot.waitUntil(card.run_actions.regenerate_button.isVisible, timeout=3000)
    assert not w.conversation.cards[0].run_actions.regenerate_button.isVisible()
    card.run_actions.regenerate_button.click()
    _wait_run(app, 1)
    after = w.collect().messages
    assert [m.role for m in after] == ["user", "assistant"]  # replaced, not appended
    assert after[1].text and after[1].text != OLD
    assert OLD not in _sent(app) and "Explain SSE briefly." in _sent(app)
    app.shot(w, "regenerated")
    w.undo_action.trigger()  # the new answer
    assert w.undo_action.text() == "&Undo Regenerate"
    w.undo_action.trigger()
    assert w.collect() == before  # the old answer is back
    assert w.conversation.cards[-1].text() == OLD
    question = w.conversation.cards[0].editor
    question.setFocus()
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    app.qtbot.keyClick(question, Qt.Key.Key_Return, keys)  # even while typing a message
    _wait_run(app, 2)
    assert _roles(app) == ["user", "assistant"] and w.collect().messages[1].text != OLD
    assert w.collect().messages[0].text == "Explain SSE briefly."  # no newline typed


def test_regenerate_from_the_run_menu_with_nothing_to_replace_is_a_plain_run(app: App) -> None:
    w = app.window
    actions = [a for a in w.toolbar.run_menu.actions() if not a.isSeparator()]
    assert [a.text().split("\t")[0] for a in actions] == [
        "Regenerate last answer",
        "Run and append",
        "Cache &answers",  # the tab's response-cache opt-in (ui/cache_actions.py)
        "Run in &background",  # the tab's background parameter (ui/background_actions.py)
    ]
    regenerate = actions[0]
    assert regenerate.shortcut().toString() == "Ctrl+Shift+Return"
    regenerate.trigger()  # only a question so far
    _wait_run(app, 1)
    assert _roles(app) == ["user", "assistant"]
    first = w.collect().messages[1].text
    actions[1].trigger()  # Run and append: a second answer after the first
    _wait_run(app, 2)
    assert _roles(app) == ["user", "assistant", "assistant"]
    assert _json(first) in _sent(app)  # the first answer went with the request
    regenerate.trigger()  # replaces both answers after the question
    _wait_run(app, 3)
    assert _roles(app) == ["user", "assistant"]
    assert _json(first) not in _sent(app)


def test_edit_and_run_from_here_drops_what_follows_and_runs(app: App) -> None:
    w = app.window
    w.load(_conversation("First question", "First answer", "Second question", "Second answer"))
    card = w.conversation.cards[0]
    card.editor.setPlainText("First question, edited")
    card.run_actions.refresh()
    assert card.run_actions.run_from.isVisible()
    assert not w.conversation.cards[1].run_actions.run_from.isVisible()  # an answer: no
    card.run_actions.run_from.trigger()
    _wait_run(app, 1)
    messages = w.collect().messages
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[0].text == "First question, edited" and messages[1].text != "First answer"
    sent = _sent(app)
    assert "First question, edited" in sent
    assert "Second question" not in sent and "First answer" not in sent
    w.undo_action.trigger()  # the new answer
    assert w.undo_action.text() == "&Undo Run from message 1"
    w.undo_action.trigger()
    assert [m.text for m in w.collect().messages] == [
        "First question, edited",
        "First answer",
        "Second question",
        "Second answer",
    ]


def test_fork_from_here_opens_a_tab_with_the_conversation_up_to_there(app: App) -> None:
    w, docs = app.window, app.pg.documents
    assert docs is not None
    w.load(_conversation("First question", "First answer", "Second question", "Second answer"))
    before = w.collect()
    question = w.conversation.cards[2].run_actions
    question.menu.popup(question.more.mapToGlobal(question.more.rect().bottomLeft()))
    app.qtbot.waitUntil(question.menu.isVisible, timeout=3000)
    assert _offered(question.menu) == ["Edit and run from here", "Fork from here"]
    app.shot(question.menu, "card-menu")
    question.menu.hide()
    card = w.conversation.cards[1]
    card.run_actions.refresh()
    assert _offered(card.run_actions.menu) == ["Fork from here"]  # an answer, not the last
    last = w.conversation.cards[3].run_actions
    last.refresh()
    assert _offered(last.menu) == ["Regenerate this answer", "Fork from here"]
    card.run_actions.fork.trigger()
    assert docs.bar.count() == 2 and docs.current == 1
    forked = w.collect()
    assert forked.messages == before.messages[:2]
    assert forked.instructions == before.instructions and forked.model == before.model
    assert "(fork at 2)" in docs.bar.tabText(1)
    assert docs.current_document().dirty  # never saved: closing it asks
    app.qtbot.wait(50)  # the cards in view are built
    app.shot(w, "forked")
    docs.select(0)
    assert w.collect() == before  # the original tab is untouched
    assert not app.sim.requests  # a fork does not run


def test_regenerate_while_run_is_blocked_drops_nothing(app: App) -> None:
    w = app.window
    w.load(_conversation("Explain SSE briefly.", OLD))
    before = w.collect()
    w.params.extra.setPlainText('{"metadata": ')  # does not parse: Run is blocked
    w.collect()
    w.toolbar.run_menu.actions()[0].trigger()
    app.qtbot.wait(50)
    assert not app.sim.requests
    assert w.collect().messages == before.messages  # the answer is still there
    assert "extra_body" in w.blocker.toolTip()


def test_regenerate_during_a_run_cancels_it_and_replaces_its_answer(app: App) -> None:
    import threading

    from playground.services.simulator import Scenario

    w = app.window
    w.load(_conversation("Tell me a long story.").model_copy(update={"api": "chat"}))
    gate = threading.Event()
    app.sim.enqueue(Scenario(text=["Once ", "upon ", "a time"], gate_after=2, gate=gate))
    try:
        w.run()
        live = w.conversation.live
        assert live is not None
        app.qtbot.waitUntil(lambda: live.text() == "Once ", timeout=5000)
        w.window_runs.conversation_runs.regenerate()
        _wait_run(app, 2)
    finally:
        gate.set()
    app.qtbot.waitUntil(lambda: not app.pg.runs.busy, timeout=5000)
    app.wait_idle()
    messages = w.collect().messages
    assert [m.role for m in messages] == ["user", "assistant"]  # one answer, the new one
    assert messages[1].text != "Once " and "Once " not in _sent(app)


def test_an_answer_is_its_own_undo_step_and_deleting_it_is_another(app: App) -> None:
    w = app.window
    w.load(_conversation("Explain SSE briefly."))
    w.run()
    _wait_run(app, 1)
    assert _roles(app) == ["user", "assistant"]
    assert w.undo_action.text() == "&Undo Answer"
    w.conversation.cards[-1].delete_requested.emit()
    app.qtbot.waitUntil(lambda: _roles(app) == ["user"], timeout=3000)
    w.undo_action.trigger()  # the delete, not the answer with it
    assert _roles(app) == ["user", "assistant"]
    w.undo_action.trigger()  # the answer
    assert _roles(app) == ["user"]
