"""A Conversation id pasted or entered under State is checked on the server: not found (an
error line, the id kept), found (its item count), and empty behind answered turns (a warning
that the model will not see them)."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, Workspace
from playground.ui import theme
from playground.ui.controllers.conversation_controller import ConversationController
from playground.ui.widgets.state_panel import StatePanel
from tests.ui.conftest import App
from tests.user_words import problems


def _ws(**kw: Any) -> Workspace:
    fields: dict[str, Any] = {
        "profile": "Offline simulator",
        "model": "gpt-6-luna",
        "messages": [Message(content="What is the weather in Paris?")],
    }
    return Workspace(**{**fields, **kw})


def _paste(panel: StatePanel, text: str) -> None:
    QApplication.clipboard().setText(text)
    panel.conversation_id.setFocus()
    panel.conversation_id.selectAll()
    panel.conversation_id.paste()


def _gets(app: App, conv: str) -> list[Any]:
    return [q for q in app.sim.requests if q.method == "GET" and q.path.endswith(conv)]


def _error_colour(panel: StatePanel) -> bool:
    return theme.accent("error").name() in panel.note.styleSheet()


def test_a_pasted_id_is_checked_found_or_not(app: App) -> None:
    w = app.window
    w.load(_ws(state="conversation"))
    panel = w.current_view.state
    panel.create_button.click()
    app.qtbot.waitUntil(lambda: bool(w.ws.conversation_id), timeout=5000)
    conv = w.ws.conversation_id
    assert conv is not None
    app.run()  # the conversation now holds the turn
    held = len(app.sim.conversation(conv).items)
    assert held >= 2
    # another id pasted: the server has none
    _paste(panel, "conv_nosuchthing")
    app.qtbot.waitUntil(lambda: "conv_nosuchthing" in panel.note.text(), timeout=5000)
    app.qtbot.waitUntil(lambda: "Run will fail" in panel.note.text(), timeout=5000)
    assert _error_colour(panel) and len(_gets(app, "conv_nosuchthing")) == 1
    assert panel.conversation_id.text() == "conv_nosuchthing"  # the typed id is kept
    assert w.ws.conversation_id == "conv_nosuchthing"
    app.shot(w, "state_conversation_not_found")
    # leaving the field does not ask again
    panel.conversation_id.editingFinished.emit()
    app.qtbot.wait(100)
    assert len(_gets(app, "conv_nosuchthing")) == 1
    # the real id typed and Enter pressed: found, with its item count
    panel.conversation_id.clear()
    app.qtbot.keyClicks(panel.conversation_id, conv)
    assert not _gets(app, conv)  # typing alone does not check
    app.qtbot.keyClick(panel.conversation_id, Qt.Key.Key_Return)
    app.qtbot.waitUntil(lambda: f"{conv} found" in panel.note.text(), timeout=5000)
    assert f"{held} items" in panel.note.text() and not _error_colour(panel)
    assert len(_gets(app, conv)) == 1 and w.ws.conversation_id == conv


def test_an_empty_conversation_behind_answered_turns_is_a_warning(app: App) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(_ws())
    app.run()  # one turn answered in Send everything
    view = w.current_view
    made: list[str] = []
    controller = view.state_view.controller  # the window's ConversationController
    controller.created.connect(lambda owner, cid: made.append(cid) if owner == "x" else None)
    controller.create("x", w.current_profile())  # an empty one, made elsewhere
    app.qtbot.waitUntil(lambda: bool(made), timeout=5000)
    panel = view.state
    panel.mode.setCurrentIndex(2)
    _paste(panel, made[0])
    app.qtbot.waitUntil(lambda: "holds no items" in panel.note.text(), timeout=5000)
    note = panel.note.text()
    assert made[0] in note and "1 earlier turn" in note and "will not see" in note
    assert theme.accent("warning").name() in panel.note.styleSheet()
    w.setup_tabs.setCurrentIndex(0)
    app.shot(w, "state_conversation_holds_none")


def test_a_check_that_cannot_connect_says_so_in_plain_words(qloop: Any, qtbot: Any) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = ProviderProfile(name="Dead", base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)

    async def resolve(profile: ProviderProfile) -> tuple[ProviderProfile, str | None]:
        return profile, "sk-test-not-a-key"

    controller = ConversationController(resolve, strict=True)
    said: list[tuple[str, str]] = []
    checked: list[Any] = []
    controller.failed.connect(lambda owner, text: said.append((owner, text)))
    controller.checked.connect(lambda *args: checked.append(args))
    controller.check("tab", dead, "conv_abc")
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    closing = asyncio.ensure_future(controller.wait())
    qtbot.waitUntil(closing.done, timeout=5000)
    owner, text = said[0]
    assert owner == "tab" and not checked
    assert text.startswith("Could not check conv_abc: Could not connect to 127.0.0.1")
    assert problems(text) == []  # no SDK message, class name or repr
