"""Picking a background run up after a restart, as a user meets it: the whole answer replaces
the partial one kept at quit, a response that is gone says so once and is forgotten, a pickup
without a key offers to pick up again (not a new request) and keeps the partial answer, the
status line says a pickup failed or was picked up (no replay speed), a run on the app's own
simulator is not recorded, quitting mid-run records it in the history and the quit question
speaks of the job, and the status line says a stream was resumed (not that it is retrying)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel, QMessageBox

from playground.core.events import BackgroundStatus, Retrying, TextDelta
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message
from playground.services.keystore import KeyStore
from playground.services.pending_runs import PendingRun
from playground.services.simulator import Scenario
from playground.ui.app import Playground
from playground.ui.widgets.tool_step import ErrorCard
from tests.services.test_keystore import MemoryKeyring
from tests.ui.conftest import App, new_gate
from tests.ui.test_background_window import (
    ANSWER,
    WORDS,
    _close,
    _playground,
    background_ws,
    going,
    pending,
)


def _card_text(card: ErrorCard) -> str:
    return " ".join(label.text() for label in card.findChildren(QLabel))


def _pick_up(app: App, entry: PendingRun) -> None:
    background = app.window.window_runs.background
    assert background is not None
    background.pending.add(entry)
    app.window.window_runs.pick_up(background.left_over({app.window.current_view.tab.id}))
    app.wait_idle()


def test_the_whole_answer_replaces_the_partial_one_kept_at_quit(
    qtbot: Any, qloop: Any, simulator: Any, tmp_path: Path
) -> None:
    first, window, gate = going(qtbot, simulator, tmp_path)
    live = window.conversation.live
    qtbot.waitUntil(lambda: "word3" in live.view.toPlainText(), timeout=5000)
    store = tmp_path / "data" / "pending_runs.json"
    (entry,) = json.loads(store.read_text())["runs"]
    assert entry["answers"] == 1  # the run answers the tab's one message
    _close(qtbot, first)  # Quit without saving: the partial answer is kept in the session
    gate.set()

    second = _playground(simulator, tmp_path)
    again = second.open_window()
    qtbot.addWidget(again)
    again.show()
    try:
        qtbot.waitUntil(lambda: not second.runs.busy, timeout=10_000)
        messages = again.current_view.doc.workspace.messages
        assert [m.role for m in messages] == ["user", "assistant"]  # one answer, not two
        assert messages[-1].text == ANSWER
        assert [c.message().text for c in again.conversation.cards][-1] == ANSWER
        assert json.loads(store.read_text())["runs"] == []
        status = again.current_view.runner.status  # a replay's speed is not the model's
        assert status.startswith("Picked up") and "tok/s" not in status and "/s" not in status
    finally:
        _close(qtbot, second)


def test_a_pickup_of_a_response_gone_says_so_once_and_is_forgotten(app: App) -> None:
    w = app.window
    partial = Message(role="assistant", content="word0 word1 ")
    ws = background_ws()
    w.load(ws.model_copy(update={"messages": [*ws.messages, partial]}))
    tab = w.current_view.tab.id
    _pick_up(app, PendingRun("resp_gone", "Offline simulator", tab, answers=1))
    (card,) = w.conversation.findChildren(ErrorCard)
    shown = _card_text(card)
    assert "Background run not found" in shown
    assert "could not be found on the server" in shown and "ten minutes" in shown
    assert "model" not in shown.split("The server said")[0]  # not "does not know the model"
    assert "retry" in card.buttons and "pick_up" not in card.buttons
    assert pending(app) == []  # the next start does not try again
    messages = w.current_view.doc.workspace.messages
    assert [m.text for m in messages][-1] == "word0 word1 "  # the partial answer is back
    assert not app.sim.bodies("/responses")  # nothing was sent


def test_a_pickup_without_a_key_offers_to_pick_up_again(app: App) -> None:
    w = app.window
    profile = ProviderProfile(name="Keyless", base_url=app.sim.base_url, max_retries=0)
    w.set_profiles([*w.profiles, profile])
    w.load(background_ws().model_copy(update={"profile": "Keyless"}))
    tab = w.current_view.tab.id
    _pick_up(app, PendingRun("resp_later", "Keyless", tab, answers=1))
    (card,) = w.conversation.findChildren(ErrorCard)
    shown = _card_text(card)
    assert "API key" in shown and "Set API key" in card.buttons["set_key"].text()
    assert "Offline simulator" not in shown
    assert "pick_up" in card.buttons and "retry" not in card.buttons
    assert card.buttons["pick_up"].text() == "Pick up again"
    assert [e["response_id"] for e in pending(app)] == ["resp_later"]  # kept for a retry
    app.pg.keys.set("Keyless", "sk-test")
    card.buttons["pick_up"].click()
    app.wait_idle()
    gets = [r for r in app.sim.requests if r.method == "GET"]
    assert gets and gets[-1].path.endswith("/responses/resp_later")  # the same response
    assert not app.sim.bodies("/responses")  # no new request
    (gone,) = w.conversation.findChildren(ErrorCard)  # the simulator does not know it
    assert "Background run not found" in _card_text(gone)
    assert pending(app) == []


def test_a_failed_pickup_keeps_the_partial_answer_and_says_it_failed(app: App) -> None:
    w = app.window
    profile = ProviderProfile(name="Keyless", base_url=app.sim.base_url, max_retries=0)
    w.set_profiles([*w.profiles, profile])
    partial = Message(role="assistant", content="word0 word1 ")
    ws = background_ws().model_copy(update={"profile": "Keyless"})
    w.load(ws.model_copy(update={"messages": [*ws.messages, partial]}))
    _pick_up(app, PendingRun("resp_later", "Keyless", w.current_view.tab.id, answers=1))
    (card,) = w.conversation.findChildren(ErrorCard)
    assert "API key" in _card_text(card)
    assert [m.text for m in w.current_view.doc.workspace.messages][-1] == "word0 word1 "
    shown = [c.message().text for c in w.conversation.cards]
    assert shown[-1] == "word0 word1 "  # the partial answer is still there, above the card
    status = w.current_view.runner.status
    assert status.startswith("Picking up the background run failed") and "Done" not in status


def test_quitting_mid_run_records_it_in_the_history(
    qtbot: Any, qloop: Any, qapp: Any, simulator: Any, tmp_path: Path
) -> None:
    pg, window, gate = going(qtbot, simulator, tmp_path)
    live = window.conversation.live
    qtbot.waitUntil(lambda: "word3" in live.view.toPlainText(), timeout=5000)
    # the window's own reads (the history's first page, the request's token count) are done:
    # only the run is left going, as the quit below is about it (on a loaded machine they
    # were still running when the loop stopped, and failed without it)
    qtbot.waitUntil(
        lambda: not pg.history_controller._tasks and not pg.token_counter._tasks, timeout=10_000
    )
    window.validation.timer.stop()  # and no new check starts a count while the loop is away
    # what run_composed does at quit: the window closes, the loop stops, and qasync runs the
    # Qt events left once more with no running loop (the stopped run's end among them)
    window.close()
    asyncio.events._set_running_loop(None)
    try:
        for _ in range(40):
            qapp.processEvents()
            time.sleep(0.005)
    finally:
        asyncio.events._set_running_loop(qloop)
    gate.set()
    waiting = asyncio.ensure_future(pg.runs.wait())
    qtbot.waitUntil(waiting.done, timeout=5000)
    waiting.result()
    try:
        (row,) = pg.history.search()
        record = pg.history.get(row.id)
        assert record is not None and record.outcome == "stopped"
    finally:
        closing = asyncio.ensure_future(pg.aclose())
        qtbot.waitUntil(closing.done, timeout=5000)


def test_a_run_on_the_apps_own_simulator_is_not_recorded(
    qtbot: Any, qloop: Any, tmp_path: Path
) -> None:
    pg = Playground(
        tmp_path / "settings.json",
        keys=KeyStore(MemoryKeyring()),
        env={},
        simulator_speed=None,
        strict=True,
        data_dir=tmp_path / "data",
    )  # no simulator handed in: the app starts its own, which stops with it
    window = pg.open_window(background_ws())
    qtbot.addWidget(window)
    window.show()
    resolving = asyncio.ensure_future(pg.connections.resolve(window.current_profile()))
    qtbot.waitUntil(resolving.done, timeout=10_000)
    own = pg.connections.simulator
    assert own is not None
    gate = new_gate()
    own.enqueue(Scenario(text=WORDS, gate_after=10, gate=gate))
    try:
        window.run()
        live = window.conversation.live
        qtbot.waitUntil(lambda: "word3" in live.view.toPlainText(), timeout=5000)
        assert not (tmp_path / "data" / "pending_runs.json").exists()
        assert window.menus is not None
        assert not window.menus.may_close()  # the quit question says the run ends
        box = window.menus.quit_box
        assert box is not None
        assert "ends with it" in box.informativeText()
        assert "picks it up" not in box.informativeText()
        box.button(QMessageBox.StandardButton.Cancel).click()
        window.menus.quit_box = None
        box.deleteLater()
        qtbot.wait(10)
    finally:
        gate.set()
        _close(qtbot, pg)


def test_the_quit_question_says_a_background_job_goes_on(app: App) -> None:
    w = app.window
    w.load(background_ws())
    w.current_view.doc.mark_saved()
    gate = new_gate()
    app.sim.enqueue(Scenario(text=WORDS, gate_after=10, gate=gate))
    w.run()
    app.qtbot.waitUntil(lambda: bool(pending(app)), timeout=5000)
    assert w.menus is not None
    assert not w.menus.may_close()  # no unsaved tab, but a job goes on: ask
    box = w.menus.quit_box
    assert box is not None
    said = box.text() + " " + box.informativeText()
    assert "goes on there" in said and "picks it up the next time" in said
    assert box.button(QMessageBox.StandardButton.Discard).text() == "Quit"
    box.button(QMessageBox.StandardButton.Cancel).click()
    gate.set()
    app.wait_idle()
    w.current_view.doc.mark_saved()
    assert w.menus.may_close()  # nothing going and nothing unsaved: no question


def test_the_status_line_says_a_stream_was_resumed_not_retrying(app: App) -> None:
    runner = app.window.current_view.runner
    app.window.conversation.begin_live()
    runner.started(object())
    runner.events([(BackgroundStatus("in_progress", "resp_1", 3), 10.0)])
    runner.retrying(Retrying(2, 3))  # the SDK retried the reopen
    assert runner.status.startswith("Retrying now")
    runner.events([(BackgroundStatus("in_progress", "resp_1", 7, True), 900.0)])
    runner.events([(TextDelta("more words "), 1200.0)])
    assert "Retrying" not in runner.status
    assert runner.status.startswith("Background run · resumed from event 8 · Streaming")
    runner.retrying(Retrying(2, 3))  # the reopen after the resume was retried: it flows
    runner.events([(TextDelta("and more "), 1600.0)])
    assert "Retrying" not in runner.status
    assert runner.status.startswith("Background run · resumed from event 8 · Streaming")
