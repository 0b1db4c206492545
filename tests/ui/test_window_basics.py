"""The main window against the simulator, driven as a user would."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from playground.services.simulator import Scenario
from tests.ui.conftest import App


def test_streamed_markdown_arrives_in_pieces(app: App) -> None:
    gate = threading.Event()
    pieces = [
        "# Title\n\n",
        "Some **bold** text.\n\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n",
        "```python\nprint('hi')\n```\n\n",
        "The end.",
    ]
    app.sim.enqueue(Scenario(text=pieces, gate_after=6, gate=gate))
    app.window.run()
    live = app.window.conversation.live
    assert live is not None
    app.qtbot.waitUntil(lambda: "Some" in live.view.toPlainText(), timeout=5000)
    assert "The end." not in live.view.toPlainText()  # an intermediate state
    assert live.badge.text() == "streaming…"
    assert app.window.stop_button.isEnabled()
    gate.set()
    app.wait_idle()
    card = app.window.conversation.cards[-1]
    shown = card.view.toPlainText()
    assert "Title" in shown and "The end." in shown and "**" not in shown  # rendered, not raw
    assert card.message().text == "".join(pieces)
    assert not app.window.stop_button.isEnabled()
    assert "first token" in app.window.status.text() and "req_" in app.window.status.text()


def test_add_message_and_run_sends_it(app: App) -> None:
    app.qtbot.keyClick(app.window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    card = app.window.conversation.cards[-1]
    assert card.role.currentText() == "user"
    app.qtbot.keyClicks(card.editor, "And now in one sentence?")
    app.window._revalidate()
    app.run()
    body = app.last_body()
    assert body["input"][-1] == {"role": "user", "content": "And now in one sentence?"}
    assert body["input"][0]["content"] == "Explain SSE briefly."


def test_switch_api_and_run_again(app: App) -> None:
    app.run()
    assert app.sim.requests[-1].path == "/v1/responses"
    app.window.api_buttons["chat"].click()
    app.run()
    assert app.sim.requests[-1].path == "/v1/chat/completions"
    assert app.last_body()["messages"][-1]["role"] == "assistant"  # the first answer is history
    app.window.api_buttons["responses"].click()
    app.run()
    assert app.sim.requests[-1].path == "/v1/responses"
    assert len(app.window.conversation.cards) == 4


def test_parameters_follow_the_model(app: App) -> None:
    params = app.window.params
    app.window.model.set_model("o3-mini")
    app.window.model.model_chosen.emit("o3-mini")
    assert not params.check("temperature").isEnabled()
    assert params.reason("temperature") == "o3-mini takes temperature only at 1"
    assert params.check("reasoning_effort").isEnabled()
    app.window.model.set_model("gpt-4o")
    app.window.model.model_chosen.emit("gpt-4o")
    assert params.check("temperature").isEnabled()
    params.check("temperature").setChecked(True)
    params.control("temperature").setValue(0.3)
    app.run()
    assert app.last_body()["temperature"] == 0.3
    assert app.last_body()["model"] == "gpt-4o"


def test_stop_keeps_the_partial_answer(app: App) -> None:
    gate = threading.Event()
    app.sim.enqueue(
        Scenario(text=["Partial ", "answer ", "never finished"], gate_after=6, gate=gate)
    )
    app.window.run()
    live = app.window.conversation.live
    assert live is not None
    app.qtbot.waitUntil(lambda: live.view.text == "Partial answer ", timeout=5000)
    app.qtbot.keyClick(app.window, Qt.Key.Key_Escape)
    app.wait_idle()
    gate.set()
    card = app.window.conversation.cards[-1]
    assert card.message().text == "Partial answer "
    assert card.badge.text() == "stopped"
    app.qtbot.waitUntil(lambda: app.sim.disconnects == 1, timeout=5000)
    assert app.window.collect().messages[-1].text == "Partial answer "


def test_inputs_stay_editable_and_the_run_uses_its_snapshot(app: App) -> None:
    gate = threading.Event()
    app.sim.enqueue(Scenario(text=["a ", "b"], gate_after=5, gate=gate))
    app.window.run()
    app.qtbot.waitUntil(lambda: bool(app.sim.requests), timeout=5000)
    first = app.window.conversation.cards[0]
    assert first.editor.isEnabled()
    first.editor.setPlainText("Edited during the run")
    gate.set()
    app.wait_idle()
    assert app.sim.bodies()[-1]["input"][0]["content"] == "Explain SSE briefly."
    app.run()
    assert app.last_body()["input"][0]["content"] == "Edited during the run"
