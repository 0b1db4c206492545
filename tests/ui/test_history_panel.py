"""The History tab: runs are recorded, found, opened, compared, deleted and exported."""

from __future__ import annotations

import json
from pathlib import Path

from playground.services.simulator import HttpError, Scenario
from playground.ui.widgets.history_panel import HistoryPanel
from tests.ui.conftest import App


def panel(app: App) -> HistoryPanel:
    return app.pg.history_view.panel  # type: ignore[union-attr]


def test_runs_are_recorded_and_can_be_reopened_and_compared(app: App, tmp_path: Path) -> None:
    app.run()
    app.window.conversation.cards[0].editor.setPlainText("Explain WebSockets briefly.")
    app.sim.enqueue(Scenario(http_error=HttpError(500, headers={"x-should-retry": "false"})))
    app.run()
    p = panel(app)
    app.qtbot.waitUntil(lambda: len(p.listing.rows) == 2, timeout=5000)
    rows = p.listing.rows
    assert [r.outcome for r in rows] == ["failed", "completed"]
    assert rows[1].prompt == "Explain SSE briefly."
    p.text.setText("WebSockets")  # no Enter: the list follows the typing
    app.qtbot.waitUntil(lambda: len(p.listing.rows) == 1, timeout=5000)
    p.text.setText("")
    p.outcome.setCurrentIndex(p.outcome.findData("completed"))
    app.qtbot.waitUntil(lambda: [r.outcome for r in p.listing.rows] == ["completed"], timeout=5000)
    p.outcome.setCurrentIndex(0)
    app.qtbot.waitUntil(lambda: len(p.listing.rows) == 2, timeout=5000)
    app.window.side.setCurrentWidget(p)
    app.shot(app.window, "history")

    p.table.selectRow(1)
    p._on_open()
    docs = app.pg.documents
    app.qtbot.waitUntil(lambda: docs.bar.count() == 2, timeout=5000)
    opened = app.window.collect()
    assert opened.messages[0].text == "Explain SSE briefly."
    assert opened.messages[-1].role == "assistant"
    assert "Simulated answer" in opened.messages[-1].text

    p.table.selectAll()
    p._compare()
    hv = app.pg.history_view
    app.qtbot.waitUntil(lambda: hv.dialog is not None and hv.dialog.isVisible(), timeout=5000)
    assert [d.name for d in hv.dialog.differences] == ["input (item 1 differs)"]
    app.shot(hv.dialog, "history_compare")
    hv.dialog.close()

    out = tmp_path / "runs.jsonl"
    p.export_requested.emit(None, str(out))
    app.qtbot.waitUntil(out.exists, timeout=5000)
    assert len(out.read_text().splitlines()) == 2
    assert json.loads(out.read_text().splitlines()[0])["outcome"] == "failed"

    p.table.selectRow(0)
    p._on_delete()
    app.qtbot.waitUntil(lambda: len(p.listing.rows) == 1, timeout=5000)


def test_a_damaged_history_does_not_stop_the_app(app: App) -> None:
    store = app.pg.history
    store.close()
    store.path.write_bytes(b"garbage" * 500)
    app.run()  # the run itself works
    assert "Simulated answer" in app.window.conversation.cards[-1].message().text
    p = panel(app)
    app.qtbot.waitUntil(lambda: "damaged" in p.status.text(), timeout=5000)
    assert "damaged" in app.window.banner.text.text()
