"""Background runs in the window: a stream the simulator cuts resumes and the whole answer
lands, the card shows the status and the resume, Stop says Cancel and cancels on the server,
store off is a finding before Run, and screenshots of the status card in both themes."""

from __future__ import annotations

import json
from typing import Any

from playground.core.validation import BACKGROUND_NEEDS_STORE
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.simulator import Scenario
from playground.ui import theme
from tests.ui.conftest import App, new_gate

WORDS = [f"word{i} " for i in range(24)]
ANSWER = "".join(WORDS)


def background_ws(stream: bool = True, **params: Any) -> Workspace:
    return Workspace(
        profile="Offline simulator",
        api="responses",
        model="gpt-4o-mini",
        stream=stream,
        params=Parameters(background=True, **params),
        messages=[Message(role="user", content="Explain resumable streams.")],
    )


def pending(app: App) -> list[dict[str, Any]]:
    path = app.pg.data_dir / "pending_runs.json"
    return json.loads(path.read_text())["runs"] if path.exists() else []


def test_a_cut_stream_resumes_and_the_whole_answer_lands(app: App, qapp: Any) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(background_ws())
    gate = new_gate()
    app.sim.enqueue(Scenario(text=WORDS, truncate_after=8, gate_after=16, gate=gate, delay=0.01))
    w.run()
    live = w.conversation.live
    app.qtbot.waitUntil(lambda: "word10" in live.view.toPlainText(), timeout=5000)
    assert live.badge.text().startswith("resumed from event")
    assert live.badge.toolTip().startswith("Connection dropped; resumed from event")
    assert app.sim.disconnects == 1
    assert w.stop_button.text() == "Cancel" and w.stop_button.isEnabled()
    assert "Background run" in w.status.text()
    (entry,) = pending(app)  # recorded while it goes on
    assert entry["response_id"].startswith("resp") and entry["tab"] == w.current_view.tab.id
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"background_run_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)
    gate.set()
    app.wait_idle()
    card = w.conversation.cards[-1]
    assert card.message().role == "assistant" and card.message().text == ANSWER
    assert "resumed from event" in card.badge.text()
    assert w.stop_button.text() == "Stop"
    assert pending(app) == []  # it ended: nothing to pick up
    (get,) = [r for r in app.sim.requests if r.method == "GET"]
    assert get.query["starting_after"].isdigit()


def test_stop_cancels_a_background_run_on_the_server(app: App) -> None:
    w = app.window
    w.load(background_ws())
    gate = new_gate()
    app.sim.enqueue(Scenario(text=WORDS, gate_after=6, gate=gate))
    w.run()
    app.qtbot.waitUntil(lambda: bool(pending(app)), timeout=5000)
    assert w.stop_button.text() == "Cancel"
    assert w.menus.stop.text() == "&Cancel background run"
    w.stop()
    app.wait_idle()
    cancels = [r for r in app.sim.requests if r.path.endswith("/cancel")]
    assert len(cancels) == 1 and cancels[0].method == "POST"
    assert "Background run cancelled on the server" in w.status.text()
    assert pending(app) == []


def test_background_with_store_off_is_a_finding_before_run(app: App) -> None:
    w = app.window
    w.load(background_ws(store=False))
    w.validation.check()
    codes = [f.code for f in w.current_view.findings]
    assert BACKGROUND_NEEDS_STORE in codes
    assert not w.run_button.isEnabled()
    assert not app.sim.requests


def test_the_run_menu_toggle_sets_the_parameter(app: App) -> None:
    w = app.window
    w.load(background_ws().model_copy(update={"params": Parameters()}))
    toggle = w.background_actions.toggle
    toggle.trigger()
    assert w.current_view.doc.workspace.params.background is True
    assert w.current_view.doc.undo_label == "Run in background"
    toggle.trigger()
    assert w.current_view.doc.workspace.params.background is None
