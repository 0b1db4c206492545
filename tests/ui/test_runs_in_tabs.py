"""Runs in the window (issue 15): each tab runs on its own, at the same time as the others;
its live answer, Raw pane and status stay with it; Stop stops only the current tab's run."""

from __future__ import annotations

import threading

from playground.core.workspace import Message, Workspace
from playground.services.simulator import Scenario
from tests.ui.conftest import App, new_gate


def _held(app: App, pieces: list[str]) -> threading.Event:
    """Run the current tab with a stream the simulator holds after its first piece."""
    gate = new_gate()
    app.sim.enqueue(Scenario(text=pieces, gate_after=2, gate=gate))
    app.window.run()
    live = app.window.conversation.live
    assert live is not None
    app.qtbot.waitUntil(lambda: live.text() == pieces[0], timeout=5000)
    return gate


def _tab(question: str) -> Workspace:
    return Workspace(
        profile="Offline simulator",
        api="chat",
        model="gpt-4o-mini",
        messages=[Message(role="user", content=question)],
    )


def test_two_tabs_run_at_once_and_their_answers_never_cross(app: App) -> None:
    w, docs = app.window, app.pg.documents
    w.load(_tab("first tab's question"))
    gate_a = _held(app, ["apple ", "banana ", "cherry"])
    docs.new(_tab("second tab's question"))
    assert docs.bar.isEnabled()  # a run never locks the tabs
    assert w.conversation.live is None and w.status.text() != "Running…"
    assert not w.stop_button.isEnabled()  # nothing of this tab runs
    gate_b = _held(app, ["one ", "two ", "three"])
    assert "second tab's question" in w.raw.request.toPlainText()
    docs.select(0)
    assert w.conversation.live is not None and w.conversation.live.text() == "apple "
    assert "first tab's question" in w.raw.request.toPlainText()
    assert w.stop_button.isEnabled()
    gate_b.set()  # the second tab's run ends while the first tab shows
    app.qtbot.waitUntil(lambda: not app.pg.runs.busy_for(docs.docs[1].tab.id), timeout=5000)
    assert w.conversation.live is not None and w.conversation.live.text() == "apple "
    gate_a.set()
    app.wait_idle()
    assert [m.text for m in w.collect().messages] == ["first tab's question", "apple banana cherry"]
    docs.select(1)
    assert [m.text for m in w.collect().messages] == ["second tab's question", "one two three"]


def test_stop_stops_only_the_current_tabs_run(app: App) -> None:
    w, docs = app.window, app.pg.documents
    w.load(_tab("keeps going"))
    gate_a = _held(app, ["alpha ", "beta"])
    docs.new(_tab("stopped"))
    _held(app, ["stop ", "me"])
    w.stop()
    app.qtbot.waitUntil(lambda: not app.pg.runs.busy_for(docs.docs[1].tab.id), timeout=5000)
    assert app.pg.runs.busy_for(docs.docs[0].tab.id)
    assert w.collect().messages[-1].text == "stop "  # the partial answer is kept
    gate_a.set()
    app.qtbot.waitUntil(lambda: not app.pg.runs.busy, timeout=5000)
    docs.select(0)
    assert w.collect().messages[-1].text == "alpha beta"


def test_run_in_a_tab_that_is_running_says_so_and_starts_nothing(app: App) -> None:
    w = app.window
    w.load(_tab("once"))
    gate = _held(app, ["one ", "run"])
    sent = len(app.sim.requests)
    w.run()
    assert len(app.sim.requests) == sent and "under way" in w.status.text()
    gate.set()
    app.wait_idle()
    assert [m.role for m in w.collect().messages] == ["user", "assistant"]


def test_closing_a_running_tab_stops_its_run(app: App) -> None:
    docs = app.pg.documents
    docs.new(_tab("closing"))
    docs.current_document().doc.mark_saved()
    _held(app, ["bye ", "now"])
    tab_id = docs.current_document().tab.id
    docs.close_tab(docs.current)
    if docs.bar.count() == 2:  # the partial answer made it dirty: discard it
        docs.close_box.button(docs.close_box.StandardButton.Discard).click()
    app.qtbot.waitUntil(lambda: not app.pg.runs.busy_for(tab_id), timeout=5000)
    assert docs.bar.count() == 1
