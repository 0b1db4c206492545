"""Every item model of the window passes Qt's model tester (pytest-qt's qtmodeltester), empty,
filled, overflowing and cleared."""

from __future__ import annotations

from typing import Any

from playground.core.events import RunStarted, TextDelta, Usage
from playground.ui.widgets import raw_panel
from playground.ui.widgets.raw_panel import EventLog


def test_the_raw_event_log_is_a_well_behaved_table(qtmodeltester: Any) -> None:
    log = EventLog()
    qtmodeltester.check(log)
    started = RunStarted(model="gpt-6-luna", request_id="req_1")
    log.extend([(started, 1.0), (TextDelta(text="Hi"), 2.5)])
    qtmodeltester.check(log)
    assert log.rowCount() == 2 and log.columnCount() == 3
    assert log.data(log.index(1, 0)) == "TextDelta" and log.data(log.index(1, 1)) == "2"
    log.extend([(TextDelta(text=str(i)), float(i)) for i in range(raw_panel.MAX_EVENTS)])
    qtmodeltester.check(log)
    assert log.rowCount() == raw_panel.MAX_EVENTS and log.dropped == 2
    log.extend([(Usage(input_tokens=3, output_tokens=4), 9.0)])
    qtmodeltester.check(log)
    log.clear()
    qtmodeltester.check(log)
    assert log.rowCount() == 0 and log.dropped == 0
