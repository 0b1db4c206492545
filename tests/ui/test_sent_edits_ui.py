"""An edit the server will not see, in the window (core/sent_marks.py): a question answered in a
chain, then edited, is flagged on its card and under the state mode; a chained run still does
not send it (and the flag stays); Send everything clears the flag and sends it as it is."""

from __future__ import annotations

from typing import Any

from playground.core import sent_marks
from playground.core.workspace import Message, Workspace
from playground.ui import theme
from playground.ui.widgets.card_notes import note_of
from tests.ui.conftest import App

PARIS = "What is the weather in Paris?"
MADRID = "What is the weather in Madrid?"


def _edited(app: App) -> list[Any]:
    return [f for f in app.window.findings if f.code == sent_marks.EDITED]


def _note_text(app: App, index: int) -> str:
    note = note_of(app.window.conversation.cards[index])
    return note.text() if note is not None and note.isVisibleTo(note.parentWidget()) else ""


def test_an_edited_question_is_flagged_where_it_is_until_everything_is_sent(
    app: App, qapp: Any
) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(
        Workspace(profile="Offline simulator", model="gpt-4.1", messages=[Message(content=PARIS)])
    )
    view = w.current_view
    panel = view.state
    panel.mode.setCurrentIndex(1)  # Chain with previous_response_id
    app.run()
    assert w.ws.messages[-1].response_id and w.ws.messages[-1].sent_prefix
    assert w.ws.messages[0].sent_digest == sent_marks.digest(w.ws.messages[0])
    w.conversation.add_message("user", "And in Rome?")
    w.conversation.cards[0].editor.setPlainText(MADRID)  # the user edits the first question
    app.qtbot.waitUntil(lambda: w.ws.messages[0].text == MADRID and bool(_edited(app)))
    (warning,) = _edited(app)
    assert warning.path == "messages[0]" and warning.severity == "warning"
    shown = _note_text(app, 0)
    assert shown.startswith("Message 1 (user) was edited after it was sent")
    assert "switch to Send everything" in shown
    assert not _note_text(app, 1) and not _note_text(app, 2)
    assert panel.findings.isVisibleTo(panel) and "was edited after it was sent" in (
        panel.findings.text()
    )
    listed = [view.findings_list.item(i).text() for i in range(view.findings_list.count())]
    assert any("was edited after it was sent" in x and "[messages[0]]" in x for x in listed)
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"edited_after_sent_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)
    # a chained run does not send the edit, and the server still holds the original: flagged
    app.run()
    assert app.last_body()["input"] == [{"role": "user", "content": "And in Rome?"}]
    w.conversation.add_message("user", "And in Oslo?")
    app.qtbot.waitUntil(lambda: len(w.ws.messages) == 5 and bool(_edited(app)))
    assert _note_text(app, 0).startswith("Message 1 (user) was edited")
    # Send everything: no warning, and the run sends the question as it is now
    panel.mode.setCurrentIndex(0)
    app.qtbot.waitUntil(lambda: not _edited(app) and not _note_text(app, 0))
    assert not panel.findings.isVisibleTo(panel)
    app.run()
    assert app.last_body()["input"][0] == {"role": "user", "content": MADRID}
    # back to the chain: what the server holds is what the tab shows
    panel.mode.setCurrentIndex(1)
    w.conversation.add_message("user", "And in Lima?")
    app.qtbot.waitUntil(lambda: len(w.ws.messages) == 7)
    w.validation.check()
    assert not _edited(app) and not _note_text(app, 0)
    assert app.last_body()["input"][0]["content"] == MADRID


def test_a_new_conversation_holds_the_edited_question_as_it_is(app: App) -> None:
    w = app.window
    w.load(
        Workspace(
            profile="Offline simulator",
            model="gpt-4.1",
            state="chain",
            messages=[Message(content=PARIS)],
        )
    )
    panel = w.current_view.state
    app.run()
    w.conversation.add_message("user", "And in Rome?")
    w.conversation.cards[0].editor.setPlainText(MADRID)
    app.qtbot.waitUntil(lambda: bool(_edited(app)))
    panel.mode.setCurrentIndex(2)  # A Conversation: still flagged until one is made
    app.qtbot.waitUntil(lambda: w.ws.state == "conversation")
    w.validation.check()
    assert "Create a new Conversation" in _edited(app)[0].message
    panel.create_button.click()
    app.qtbot.waitUntil(lambda: bool(w.ws.conversation_id), timeout=5000)
    w.validation.check()
    assert not _edited(app) and not _note_text(app, 0)
    app.run()
    assert app.last_body()["input"] == [{"role": "user", "content": "And in Rome?"}]
    # the Conversation was made with the question as it is now
    made = [q for q in app.sim.requests if q.method == "POST" and q.path.endswith("/conversations")]
    assert made[-1].body["items"][0] == {"role": "user", "content": MADRID}
