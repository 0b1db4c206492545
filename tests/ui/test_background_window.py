"""Background runs in the window: a stream the simulator cuts resumes and the whole answer
lands, the card shows the status and the resume, Stop says Cancel and cancels on the server,
store off is a finding before Run, and screenshots of the status card in both themes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel

from playground.core.validation import BACKGROUND_NEEDS_STORE
from playground.core.workspace import FilePart, Message, Parameters, TextPart, Workspace
from playground.services.keystore import KeyStore
from playground.services.simulator import Scenario
from playground.ui import theme
from playground.ui.app import Playground
from playground.ui.widgets.tool_step import ErrorCard
from tests.services.sim_client import tiny_pdf
from tests.services.test_keystore import MemoryKeyring
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
    assert w.window_runs.actions is not None
    toggle = w.window_runs.actions.toggle
    toggle.trigger()
    assert w.current_view.doc.workspace.params.background is True
    assert w.current_view.doc.undo_label == "Run in background"
    toggle.trigger()
    assert w.current_view.doc.workspace.params.background is None


def _playground(simulator: Any, tmp_path: Path) -> Playground:
    return Playground(
        tmp_path / "settings.json",
        keys=KeyStore(MemoryKeyring()),
        env={},
        simulator_speed=None,
        strict=True,
        simulator=simulator,
        data_dir=tmp_path / "data",
    )


def going(qtbot: Any, simulator: Any, tmp_path: Path) -> tuple[Playground, Any, Any]:
    """A Playground whose window has a background run going, held after 10 events by the
    returned gate: (the Playground, its window, the gate)."""
    pg = _playground(simulator, tmp_path)
    window = pg.open_window(background_ws())
    qtbot.addWidget(window)
    window.show()
    gate = new_gate()
    simulator.enqueue(Scenario(text=WORDS, gate_after=10, gate=gate))
    window.run()
    return pg, window, gate


def _close(qtbot: Any, pg: Playground) -> None:
    assert pg.window is not None
    pg.window.close()
    closing = asyncio.ensure_future(pg.aclose())
    qtbot.waitUntil(closing.done, timeout=5000)
    closing.result()


def test_a_run_left_going_is_picked_up_after_a_restart(
    qtbot: Any, qloop: Any, simulator: Any, tmp_path: Path
) -> None:
    first, window, gate = going(qtbot, simulator, tmp_path)
    store = tmp_path / "data" / "pending_runs.json"
    qtbot.waitUntil(
        lambda: store.exists() and bool(json.loads(store.read_text())["runs"]), timeout=5000
    )
    tab = window.current_view.tab.id
    assert first.documents is not None
    first.documents.autosave()
    _close(qtbot, first)  # the app quits while the job goes on
    (left,) = json.loads(store.read_text())["runs"]
    assert left["tab"] == tab and left["profile"] == "Offline simulator"
    gate.set()

    second = _playground(simulator, tmp_path)  # the app starts again on the same data
    again = second.open_window()
    qtbot.addWidget(again)
    again.show()
    try:
        assert again.current_view.tab.id == tab
        qtbot.waitUntil(lambda: second.runs.busy or not json.loads(store.read_text())["runs"])
        qtbot.waitUntil(lambda: not second.runs.busy, timeout=10_000)
        card = again.conversation.cards[-1]
        assert card.message().role == "assistant" and card.message().text == ANSWER
        assert again.current_view.doc.workspace.messages[-1].text == ANSWER
        assert json.loads(store.read_text())["runs"] == []
        assert len(simulator.bodies("/responses")) == 1  # picked up, not sent again
        gets = [r for r in simulator.requests if r.method == "GET"]
        assert gets and gets[-1].query.get("starting_after") == "-1"
    finally:
        _close(qtbot, second)


def test_a_file_marked_for_upload_is_uploaded_at_run_once(app: App, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(tiny_pdf("Revenue grew nine percent"))
    w = app.window
    part = FilePart(filename="report.pdf", path=str(pdf), upload=True)
    msg = Message(role="user", content=[TextPart(text="Summarise the report."), part])
    w.load(Workspace(profile="Offline simulator", api="responses", model="gpt-4o-mini",
                     messages=[msg]))  # fmt: skip
    app.run()
    assert len(app.sim.bodies("/files")) == 1
    sent = app.last_body()["input"][0]["content"][1]
    doc = w.current_view.doc
    kept = doc.workspace.messages[0].files[0]
    assert kept.file_id is not None and kept.file_id.startswith("file-")
    assert sent["type"] == "input_file" and sent["file_id"] == kept.file_id
    assert "file_data" not in sent  # sent by id
    assert "Revenue grew nine percent" in w.conversation.cards[-1].message().text
    assert "Upload files" in [s.label for s in doc._undo]
    app.run()  # again: the id is sent, nothing is uploaded
    assert len(app.sim.bodies("/files")) == 1
    assert app.last_body()["input"][0]["content"][1]["file_id"] == kept.file_id


def test_a_missing_file_blocks_run_with_a_finding_naming_it(app: App, tmp_path: Path) -> None:
    w = app.window
    part = FilePart(filename="gone.pdf", path=str(tmp_path / "gone.pdf"), upload=True)
    msg = Message(role="user", content=[TextPart(text="Summarise"), part])
    w.load(Workspace(profile="Offline simulator", api="responses", model="gpt-4o-mini",
                     messages=[msg]))  # fmt: skip
    app.qtbot.waitUntil(lambda: not w.run_button.isEnabled(), timeout=3000)
    said = [f.message for f in w.findings if f.severity == "error"]
    assert any("gone.pdf is not there (missing from disk)" in m for m in said)
    w.run()
    app.qtbot.wait(100)
    assert not app.sim.requests  # nothing was sent, nothing uploaded
    (tmp_path / "gone.pdf").write_bytes(tiny_pdf())  # put back on disk: Run unblocks by itself
    app.qtbot.waitUntil(w.run_button.isEnabled, timeout=6000)


def test_an_upload_that_fails_shows_a_typed_failure_card(app: App, tmp_path: Path) -> None:
    w = app.window
    folder = tmp_path / "notes.pdf"
    folder.mkdir()  # there, so no finding; reading it to upload fails
    part = FilePart(filename="notes.pdf", path=str(folder), upload=True)
    msg = Message(role="user", content=[TextPart(text="Summarise"), part])
    w.load(Workspace(profile="Offline simulator", api="responses", model="gpt-4o-mini",
                     messages=[msg]))  # fmt: skip
    app.run()
    assert not app.sim.requests  # nothing was sent
    cards = w.conversation.findChildren(ErrorCard)
    assert cards
    shown = " ".join(label.text() for label in cards[-1].findChildren(QLabel))
    assert "File not uploaded" in shown and "notes.pdf could not be read" in shown
    assert "inline/upload list" in shown and "untick" not in shown


def test_an_id_from_an_earlier_start_is_not_sent_the_file_goes_again(
    app: App, tmp_path: Path
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(tiny_pdf("Revenue grew nine percent"))
    where = {"uploaded_to": "Offline simulator", "upload_server": "in-process:earlier"}
    stale = FilePart(path=str(pdf), filename="report.pdf", upload=True, file_id="file-old", **where)
    msg = Message(role="user", content=[TextPart(text="Summarise"), stale])
    w = app.window
    w.load(Workspace(profile="Offline simulator", api="responses", model="gpt-4o-mini",
                     messages=[msg]))  # fmt: skip
    app.qtbot.waitUntil(lambda: any(f.code == "file_sent_inline" for f in w.findings), timeout=3000)
    notes = [f.message for f in w.findings if f.code == "file_sent_inline"]
    assert any("file-old" in m and "Run uploads it again" in m for m in notes), notes
    app.run()
    assert len(app.sim.bodies("/files")) == 1  # uploaded again, to this start's simulator
    sent = app.last_body()["input"][0]["content"][1]["file_id"]
    assert (
        sent != "file-old"
        and "Revenue grew nine percent" in w.conversation.cards[-1].message().text
    )
    kept = w.ws.messages[0].files[0]
    assert kept.file_id == sent and kept.uploaded_to == "Offline simulator"
    app.qtbot.waitUntil(lambda: any(f.code == "file_id_stored" for f in w.findings), timeout=3000)
    stored = [f.message for f in w.findings if f.code == "file_id_stored"]
    assert stored == [f"sent by file id {sent} uploaded to 'Offline simulator'"]


def test_a_run_replaced_in_its_tab_is_not_picked_up_at_the_next_start(app: App) -> None:
    from playground.services.pending_runs import PendingRun

    w = app.window
    w.load(background_ws())
    tab = w.current_view.tab.id
    assert w.window_runs.background is not None
    store = w.window_runs.background.pending
    # a run this tab stopped without a cancel (a regenerate), and one of another tab
    store.add(PendingRun("resp_replaced", "Offline simulator", tab))
    store.add(PendingRun("resp_elsewhere", "Offline simulator", "another-tab"))
    app.sim.enqueue(Scenario(text=["Fresh answer."]))
    w.run()
    app.wait_idle()
    assert [e["response_id"] for e in pending(app)] == ["resp_elsewhere"]
    assert w.conversation.cards[-1].message().text == "Fresh answer."
