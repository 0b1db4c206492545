"""The state section at 1000x700, as a fresh-eyes tester used it: a 404 line goes with the id
it names; Create, Items and Delete stay where they are while lines below them come and go;
with no Conversation yet nothing is said to be stored and "nothing new to send" is not said
(it is again once one is created from the answered turns); warnings are in the warning colour,
errors in the error colour, as in the Findings tab."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from playground.core.workspace import Message, Workspace
from playground.ui import theme
from playground.ui.widgets.state_panel import StatePanel
from tests.ui.conftest import App

PARIS = "What is the weather in Paris?"


def _paste(panel: StatePanel, text: str) -> None:
    QApplication.clipboard().setText(text)
    panel.conversation_id.setFocus()
    panel.conversation_id.selectAll()
    panel.conversation_id.paste()


def _buttons_at(panel: StatePanel) -> int:
    return panel.create_button.mapTo(panel.window(), QPoint(0, 0)).y()


def _note(panel: StatePanel) -> str:
    return panel.note.text() if panel.note.isVisibleTo(panel) else ""


def _answered(app: App) -> None:
    """A tab with one answered turn (Send everything), then switched to A Conversation."""
    w = app.window
    w.resize(1000, 700)
    w.load(
        Workspace(profile="Offline simulator", model="gpt-4.1", messages=[Message(content=PARIS)])
    )
    app.run()
    assert w.ws.messages[-1].response_id
    w.current_view.state.mode.setCurrentIndex(2)  # A Conversation
    app.qtbot.waitUntil(lambda: w.ws.state == "conversation")


def _state_findings(app: App) -> str:
    panel = app.window.current_view.state
    return panel.findings.text() if panel.findings.isVisibleTo(panel) else ""


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_404_line_goes_with_its_id_and_the_buttons_stay(app: App, dark: bool) -> None:
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    theme.apply(qapp, dark=dark)
    try:
        _answered(app)
        w = app.window
        panel = w.current_view.state
        w.conversation.add_message("user", "And in Rome?")
        app.qtbot.waitUntil(lambda: "needs one" in _state_findings(app), timeout=5000)
        at = _buttons_at(panel)
        _paste(panel, "conv_madeup123")
        app.qtbot.waitUntil(lambda: "(404)" in _note(panel), timeout=5000)
        assert "conv_madeup123" in _note(panel)
        assert theme.accent("error").name() in panel.note.styleSheet()
        app.qtbot.waitUntil(lambda: "needs one" not in _state_findings(app), timeout=5000)
        where_after_404 = panel.where.text()
        app.qtbot.wait(100)  # the layout settles before the grab
        app.shot(w, f"fe3-state-404-{'dark' if dark else 'light'}")
        w.grab().save(f"/tmp/fe3/state-404-{'dark' if dark else 'light'}.png")
        at_404 = _buttons_at(panel)
        # the field cleared by hand: the line about conv_madeup123 goes
        panel.conversation_id.setFocus()
        app.qtbot.keyClick(panel.conversation_id, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        app.qtbot.keyClick(panel.conversation_id, Qt.Key.Key_Backspace)
        app.qtbot.waitUntil(lambda: w.ws.conversation_id is None, timeout=5000)
        assert "conv_madeup123" not in _note(panel)
        assert panel.where.text().startswith("Nothing is stored on the server until a Conversation")
        app.qtbot.waitUntil(lambda: "needs one" in _state_findings(app), timeout=5000)
        assert (at_404, _buttons_at(panel)) == (at, at)
        assert where_after_404 == (
            "Nothing is stored on the server: it has no Conversation conv_madeup123."
        )
        # another id typed: no line about the first one ever shows for it
        app.qtbot.keyClicks(panel.conversation_id, "conv_madeup12")
        assert "conv_madeup123" not in _note(panel)
        app.qtbot.keyClicks(panel.conversation_id, "3")
        assert "conv_madeup123" not in _note(panel)  # typing alone does not check
        app.qtbot.keyClick(panel.conversation_id, Qt.Key.Key_Backspace)
        _paste(panel, "conv_other9")
        app.qtbot.waitUntil(lambda: "conv_other9" in _note(panel), timeout=5000)
        assert "conv_madeup123" not in _note(panel)
        app.qtbot.waitUntil(lambda: "(404)" in _note(panel), timeout=5000)
        assert _buttons_at(panel) == at
    finally:
        theme.apply(qapp, dark=False)


def test_no_conversation_yet_claims_nothing_until_one_is_created(app: App) -> None:
    _answered(app)
    w = app.window
    panel = w.current_view.state
    app.qtbot.waitUntil(lambda: "needs one" in _state_findings(app), timeout=5000)
    assert "nothing new to send" not in _state_findings(app).lower()
    assert "nothing new to send" not in " ".join(f.message for f in w.findings).lower()
    assert panel.where.text() == (
        "Nothing is stored on the server until a Conversation is created (Create, or paste its id)."
    )
    assert "stored on the server, in the Conversation" not in panel.where.text()
    assert panel.chain_line.text().startswith("1 run in this tab;")
    panel.create_button.click()
    app.qtbot.waitUntil(lambda: bool(w.ws.conversation_id), timeout=5000)
    app.qtbot.waitUntil(lambda: "nothing new to send" in _state_findings(app).lower(), timeout=5000)
    assert panel.where.text().startswith("The conversation's items are stored on the server")
    assert _note(panel).startswith(f"Created {w.ws.conversation_id}: it starts with the ")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_state_warnings_are_orange_and_errors_red(app: App, dark: bool) -> None:
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    theme.apply(qapp, dark=dark)
    try:
        w = app.window
        w.resize(1000, 700)
        w.load(
            Workspace(
                profile="Offline simulator", model="gpt-4.1", messages=[Message(content=PARIS)]
            )
        )
        panel = w.current_view.state
        panel.mode.setCurrentIndex(1)  # Chain with previous_response_id
        app.run()
        w.conversation.cards[0].editor.setPlainText("What is the weather in Madrid?")
        app.qtbot.waitUntil(lambda: "was edited" in _state_findings(app), timeout=5000)
        text = _state_findings(app)
        assert "Nothing new to send" in text  # an error beside the warning
        warning, error = theme.accent("warning").name(), theme.accent("error").name()
        assert warning != error
        lines: dict[str, Any] = {}
        for line in text.split("<br>"):
            colour = line.split("color:")[1][:7]
            lines[
                "edited" if "was edited" in line else "new" if "Nothing new" in line else line
            ] = colour
        assert lines["edited"] == warning, lines
        assert lines["new"] == error, lines
        app.qtbot.wait(100)  # the layout settles before the grab
        app.shot(w, f"fe3-state-colours-{'dark' if dark else 'light'}")
        w.grab().save(f"/tmp/fe3/state-colours-{'dark' if dark else 'light'}.png")
    finally:
        theme.apply(qapp, dark=False)
