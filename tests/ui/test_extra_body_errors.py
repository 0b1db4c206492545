"""extra_body that does not parse says why, as the schema editor does, and is outlined in red."""

from __future__ import annotations

from playground.core.schema_rules import parse_schema_text
from tests.ui.conftest import App

BROKEN = '{"seed_note": 1,\n "x" 2}'


def test_a_broken_extra_body_says_why_and_is_outlined(app: App) -> None:
    w = app.window
    params = w.params
    params.extra.setPlainText(BROKEN)
    w.collect()
    app.qtbot.wait(20)
    _, problem = params.extra_body()
    reason = parse_schema_text(BROKEN)[1]
    assert reason is not None and ": " in reason.split("column", 1)[1]  # it has a reason
    assert problem == f"extra_body: {reason}"
    assert params.extra.property("invalid") is True
    assert not params.extra_status.isHidden() and reason in params.extra_status.text()
    w.revalidate_soon()
    app.qtbot.waitUntil(lambda: any(reason in t for t in w.current_view.problems), timeout=3000)
    params.highlight(None)  # a server's complaint cleared: the syntax error stays outlined
    assert params.extra.property("invalid") is True
    params.extra.setPlainText('{"seed_note": 1}')
    assert params.extra.property("invalid") is False
    assert params.extra_status.isHidden()
    params.extra.setPlainText("[1]")
    assert params.extra_body()[1] == "extra_body must be a JSON object"
    assert params.extra.property("invalid") is True


def test_a_restored_broken_extra_body_is_outlined(app: App) -> None:
    params = app.window.params
    params.show_drafts({"extra_body": BROKEN})
    assert params.extra.property("invalid") is True and not params.extra_status.isHidden()
