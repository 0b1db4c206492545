"""A run opened from the history (History's Open, a cell of Evaluate mode's matrix) shows the
exact body that was sent in its tab's Raw pane, not an empty one."""

from __future__ import annotations

import json

from playground.ui.widgets.history_panel import HistoryPanel
from tests.ui.conftest import App
from tests.ui.test_evaluate_mode import enter, wait_status, workspace


def raw_request(app: App) -> dict:  # type: ignore[type-arg]
    view = app.window.current_view
    assert view is not None
    text = view.raw.request.toPlainText()
    assert text, "the Raw pane is empty"
    return json.loads(text)


def test_history_open_shows_the_sent_body(app: App) -> None:
    app.run()
    sent = app.last_body()
    panel = next(
        app.window.side.widget(i)
        for i in range(app.window.side.count())
        if isinstance(app.window.side.widget(i), HistoryPanel)
    )
    app.qtbot.waitUntil(lambda: len(panel.listing.rows) == 1, timeout=5000)
    panel.table.selectRow(0)
    panel._on_open()
    docs = app.pg.documents
    assert docs is not None
    app.qtbot.waitUntil(lambda: docs.bar.count() == 2, timeout=5000)
    body = raw_request(app)
    assert body == sent


def test_a_matrix_cell_opens_with_the_body_it_sent(app: App) -> None:
    ev = enter(app, workspace())
    ev.run_button.click()
    wait_status(app, ev, "done")
    ev.cell_opened.emit("b", "r1")  # (warm, pear), as a double-click asks
    docs = app.pg.documents
    assert docs is not None
    app.qtbot.waitUntil(lambda: docs.bar.count() == 2, timeout=5000)
    body = raw_request(app)
    assert body["messages"][-1]["content"] == "Say pear" and body["temperature"] == 0.2
    app.window.resize(1366, 768)
    app.shot(app.window, "evaluate-cell-opened-raw")
    assert body in app.sim.bodies()
