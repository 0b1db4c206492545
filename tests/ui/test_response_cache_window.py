"""The response cache in the window, on the simulator: Cache answers in the Run menus, the
answer card marked cached with what it saved, the status line saying why a run was not
cached, and Clear response cache."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from playground.ui import theme
from tests.ui.conftest import App


def _regenerate(app: App, requests_before: int) -> None:
    """Run the same request again (Regenerate drops the last answer first)."""
    app.window.window_runs.conversation_runs.regenerate()
    app.qtbot.waitUntil(
        lambda: app.pg.runs.busy or len(app.sim.requests) > requests_before, timeout=5000
    )
    app.wait_idle()


def _answer_badge(app: App) -> str:
    card = app.window.conversation.cards[-1]
    return card.badge.text() if not card.badge.isHidden() else ""


def test_cache_answers_then_the_same_request_is_answered_from_the_cache(app: App) -> None:
    w = app.window
    actions = w.cache_actions
    assert actions is not None
    assert actions.toggle in w.toolbar.run_menu.actions()  # beside Run, too
    assert actions.toggle.isCheckable() and not actions.toggle.isChecked()
    actions.toggle.trigger()
    assert w.current_view.doc.workspace.cache is True
    assert actions.toggle.isChecked()
    assert w.current_view.doc.undo_label == "Cache answers"
    w.current_view.doc.undo()  # the toggle follows the tab's Document
    app.qtbot.waitUntil(lambda: not actions.toggle.isChecked(), timeout=3000)
    w.current_view.doc.redo()
    app.qtbot.waitUntil(actions.toggle.isChecked, timeout=3000)

    app.run()
    assert len(app.sim.requests) == 1
    assert "cached" not in _answer_badge(app)
    first = w.collect().messages[-1].text
    _regenerate(app, 1)
    assert len(app.sim.requests) == 1  # nothing sent
    assert w.collect().messages[-1].text == first
    badge = _answer_badge(app)
    assert badge.startswith("cached · saved $") and " s" in badge
    assert w.status.text().startswith("cached: saved $")
    assert "est. cost" not in w.status.text()  # nothing was billed
    app.shot(w, "response-cache-hit")

    actions.clear.trigger()
    app.qtbot.waitUntil(lambda: "Response cache cleared" in w.status.text(), timeout=5000)
    assert w.status.text() == "Response cache cleared: 1 answer removed"
    assert app.pg.response_cache.stats().entries == 0
    _regenerate(app, 1)
    assert len(app.sim.requests) == 2 and "cached" not in _answer_badge(app)


def test_a_request_that_asks_to_store_says_why_it_was_not_cached(app: App) -> None:
    w = app.window
    assert w.cache_actions is not None
    w.cache_actions.toggle.trigger()
    w.current_view.doc.set("params.store", True, "store")
    app.run()
    _regenerate(app, 1)
    assert len(app.sim.requests) == 2
    assert w.status.text().startswith(
        "not cached: the request asks the server to keep state (store)"
    )
    assert "cached" not in _answer_badge(app)


def test_without_the_opt_in_every_run_goes_to_the_server(app: App) -> None:
    app.run()
    _regenerate(app, 1)
    assert len(app.sim.requests) == 2 and app.pg.response_cache.stats().entries == 0
    status = app.window.status.text()
    assert not status.startswith(("cached", "not cached")) and "est. cost $" in status


@pytest.mark.parametrize("dark", [False, True])
def test_the_cached_answer_looks_right_in_both_themes(app: App, dark: bool) -> None:
    w = app.window
    app_ = QApplication.instance()
    assert isinstance(app_, QApplication)
    theme.apply(app_, dark=dark)
    w.resize(1366, 768)
    assert w.cache_actions is not None
    w.cache_actions.toggle.trigger()
    app.run()
    _regenerate(app, 1)
    card = w.conversation.cards[-1]
    assert card.badge.isVisible() and card.badge.toolTip().startswith(
        "Answered from the response cache"
    )
    assert card.badge.accessibleDescription() == card.badge.toolTip()
    app.shot(w, f"response-cache-{'dark' if dark else 'light'}")
    theme.apply(app_, dark=False)


def test_compare_columns_answered_from_the_cache_say_so(app: App) -> None:
    from tests.ui.test_compare_view import columns, enter_compare, set_api, wait_done

    w = app.window
    assert w.cache_actions is not None
    w.cache_actions.toggle.trigger()
    view = enter_compare(app)
    a, b = columns(view)
    set_api(b, "chat")
    w.run()
    wait_done(app)
    assert len(app.sim.requests) == 2
    assert "cached" not in a.figures.outcome.text()
    first = (a.text(), b.text())
    a.run_button.click()  # the same request of column a again
    wait_done(app)
    assert len(app.sim.requests) == 2 and a.text() == first[0]
    assert a.figures.outcome.text().startswith("done · cached")
    assert a.figures.labels["cost_usd"].text().startswith("$0.000000")
    assert "cached" not in b.figures.outcome.text()


def test_a_damaged_cache_file_is_named_on_the_status_line_and_left_alone(app: App) -> None:
    w = app.window
    path = app.pg.response_cache.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"garbage " * 512)
    assert w.cache_actions is not None
    w.cache_actions.toggle.trigger()
    app.run()
    status = w.status.text()
    assert status.startswith("not cached: The response cache") and "damaged" in status
    assert w.collect().messages[-1].text  # the run went to the server and answered
    assert path.read_bytes() == b"garbage " * 512
    w.cache_actions.clear.trigger()
    app.qtbot.waitUntil(
        lambda: "damaged" in w.status.text() and "not cached" not in w.status.text(), timeout=5000
    )
    assert path.read_bytes() == b"garbage " * 512
