"""Before Run: the window shows the input tokens, a cost range and a context meter, counted
in the background after edits; a request over the model's maximum input blocks Run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.core import catalog
from playground.core.workspace import Message, Workspace
from tests.ui.conftest import App


def counts(app: App) -> int:
    return len(app.sim.count_requests)


def settled(app: App) -> None:
    """The count of the request as it is now has arrived."""
    counter = app.window.token_counter
    assert counter is not None
    timer = app.window.validation.timer
    app.window.collect()  # the edit being typed is taken in (and checked)
    app.qtbot.waitUntil(lambda: not timer.isActive(), timeout=5000)  # revalidated
    app.qtbot.waitUntil(
        lambda: counter.reading is not None and counter.reading.key == counter._key, timeout=5000
    )
    app.qtbot.wait(10)
    app.qtbot.waitUntil(lambda: not timer.isActive(), timeout=5000)  # the check that follows


def test_the_meter_shows_the_servers_count_and_a_cost_range(app: App) -> None:
    settled(app)
    meter = app.window.meter
    reading = app.window.token_counter.reading  # type: ignore[union-attr]
    assert reading is not None and reading.count.method == "server"
    assert meter.tokens.text() == f"{reading.count.tokens:,} input tokens"
    low, high = meter.cost.text().split("–")
    assert low.startswith("$") and high.startswith("$") and low != high
    assert meter.context.isVisible() and "of 128K" in meter.context.text()
    # the count before sending is the usage after
    app.run()
    assert app.last_body()["input"][0]["content"] == "Explain SSE briefly."
    assert f"in {reading.count.tokens} (cached" in app.window.status.text()


def test_counts_are_debounced_and_stale_ones_dropped(app: App) -> None:
    settled(app)
    before = counts(app)
    editor = app.window.conversation.cards[0].editor
    for text in ("Explain", "Explain S", "Explain SSE in detail please"):
        editor.setPlainText(text)
        app.qtbot.wait(60)  # typing: faster than the debounce
    meter = app.window.meter
    app.qtbot.waitUntil(lambda: not meter.tokens.isEnabled(), timeout=3000)  # of the old text
    assert counts(app) == before  # not counted while typing
    settled(app)
    assert counts(app) == before + 1  # one count, of the last text
    last = app.sim.count_requests[-1].body
    assert last["input"][0]["content"] == "Explain SSE in detail please"
    assert app.window.meter.tokens.isEnabled()


def test_the_chat_api_shows_an_estimate(app: App) -> None:
    settled(app)
    app.window.api_buttons["chat"].setChecked(True)
    settled(app)
    assert app.window.meter.tokens.text().endswith("input tokens (estimate)")
    assert app.window.meter.tokens.text().startswith("~")


@pytest.fixture
def tiny_model(tmp_path: Path) -> Iterator[str]:
    """A model that takes 40 input tokens at most, added by a user override file."""
    path = tmp_path / "models.json"
    path.write_text(
        json.dumps(
            {
                "models": [
                    {
                        "id": "tiny-context",
                        "family": "test",
                        "context_window": 60,
                        "max_input": 40,
                        "max_output": 20,
                        "prices": [
                            {
                                "since": "2025-01-01",
                                "input": 1.0,
                                "cached_input": None,
                                "cache_write": None,
                                "output": 2.0,
                            }
                        ],
                    }
                ]
            }
        )
    )
    catalog.load_override(path)
    yield "tiny-context"
    catalog.load_override(None)


def test_over_the_maximum_input_is_a_finding_that_blocks_run(app: App, tiny_model: str) -> None:
    ws = Workspace(
        profile="Offline simulator",
        model=tiny_model,
        messages=[Message(role="user", content="word " * 100)],
    )
    app.window.load(ws)
    settled(app)
    window = app.window
    assert not window.run_button.isEnabled()
    shown = [window.findings_list.item(i).text() for i in range(window.findings_list.count())]
    assert any("takes at most 40 input tokens" in s and s.startswith("error") for s in shown)
    assert "takes at most 40" in window.blocker.toolTip()
    assert window.meter.context.value() == 1000 and "of 40" in window.meter.context.text()
    app.shot(window, "request-meter-over-limit")
    sent = len(app.sim.requests)  # runs' requests (counts are kept apart)
    window.run()
    assert len(app.sim.requests) == sent  # Run sent nothing
    # shortened under the limit: the finding goes and Run is back
    window.conversation.cards[0].editor.setPlainText("short")
    settled(app)
    assert window.run_button.isEnabled()


def test_a_tab_whose_profile_is_gone_is_estimated_locally(app: App) -> None:
    settled(app)
    before = len(app.sim.count_requests)
    app.window.load(
        Workspace(profile="A provider I deleted", messages=[Message(content="Private words.")])
    )
    assert app.window.provider.missing()
    settled(app)
    assert app.window.meter.tokens.text().endswith("(estimate)")
    assert len(app.sim.count_requests) == before  # nothing went to any other provider


def test_a_new_tab_does_not_show_the_previous_tabs_figures(app: App) -> None:
    settled(app)
    meter = app.window.meter
    before = meter.tokens.text()
    assert before.endswith("input tokens")
    app.pg.documents.new()
    app.window.validation.check()  # the new tab is checked: its meter starts empty
    assert meter.tokens.text() == "" and meter.cost.text() == ""
    assert not meter.context.isVisible()
    settled(app)  # then shows the new tab's own count
    reading = app.window.token_counter.reading  # type: ignore[union-attr]
    assert reading is not None and meter.tokens.text() == reading.count.label
    assert meter.tokens.isEnabled()
