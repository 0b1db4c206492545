"""Compare mode in the window (issue 15, item 4), driven as a user would, on the simulator over
HTTP: the variants stream side by side, each column its own; the best figures are marked; a
column runs alone, continues its own tool calls on mocks, becomes the tab's request; a word diff
of two columns; the mode and variants survive a restart."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import shiboken6
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from playground.core import compare
from playground.core.workspace import (
    MAX_VARIANTS,
    FunctionTool,
    OutputFormat,
    Variant,
    Workspace,
)
from playground.services.files import load_workspace
from playground.services.simulator import Scenario, ScriptedCall
from playground.ui import theme
from playground.ui.views.compare_column import CompareColumn
from playground.ui.views.compare_mode import first_variants
from playground.ui.views.compare_view import CompareView
from tests.ui.conftest import App, new_gate
from tests.ui.test_documents import reopen


def gate() -> threading.Event:
    return new_gate()


def enter_compare(app: App) -> CompareView:
    app.window.compare.action.trigger()
    view = app.window.current_view
    assert view is not None and view.center.currentWidget() is view.compare
    return view.compare


def columns(compare_view: CompareView) -> tuple[CompareColumn, CompareColumn]:
    a, b = compare_view.column("a"), compare_view.column("b")
    assert a is not None and b is not None
    return a, b


def set_api(column: CompareColumn, api: str) -> None:
    box = column.overrides.api
    box.setCurrentIndex(box.findData(api))


def wait_done(app: App) -> None:
    app.qtbot.waitUntil(lambda: not app.pg.runs.busy, timeout=10_000)
    app.qtbot.wait(30)


def test_two_gated_variants_stream_side_by_side_then_the_best_is_marked(app: App) -> None:
    view = enter_compare(app)
    ws = app.window.ws
    assert ws.mode == "compare" and app.window.compare.action.isChecked()
    assert [v.overrides for v in ws.variants] == [{"model": "gpt-4o-mini"}, {"model": "gpt-6-luna"}]
    a, b = columns(view)
    assert a.name.text() == "gpt-4o-mini" and b.name.text() == "gpt-6-luna"
    set_api(b, "chat")  # each variant on its own endpoint: the scenarios cannot swap
    assert app.window.ws.variants[1].overrides == {"model": "gpt-6-luna", "api": "chat"}
    assert any("api: responses → chat" in t for t in b.overrides.differences_text())
    gate_a, gate_b = gate(), gate()
    app.sim.enqueue(
        Scenario(
            endpoint="responses", text=["Alpha ", "beta ", "gamma."], gate_after=5, gate=gate_a
        ),
        Scenario(endpoint="chat", text=["One ", "two ", "three."], gate_after=2, gate=gate_b),
    )
    app.qtbot.keyClick(app.window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    app.qtbot.keyRelease(app.window, Qt.Key.Key_Control)  # not left held for later tests
    app.qtbot.waitUntil(lambda: a.text() == "Alpha " and b.text() == "One ", timeout=5000)

    # the intermediate state: both columns streaming, each with its own partial text
    assert a.live and b.live and a.run is not None and b.run is not None
    assert a.run.group is not None and a.run.group == b.run.group
    assert (a.run.variant, b.run.variant) == ("a", "b")
    assert a.run.owner == b.run.owner == app.window.current_view.tab.id
    assert a.run_button.text() == b.run_button.text() == "Stop"
    assert app.window.stop_button.isEnabled()
    assert a.figures.outcome.text() == "running" and app.window.conversation.live is None
    assert app.window.status.text() == "Compare: 2 of 2 variants running…"
    gate_a.set()
    app.qtbot.waitUntil(lambda: not a.live, timeout=5000)
    assert a.text() == "Alpha beta gamma." and b.text() == "One " and b.live  # no cross-talk
    gate_b.set()
    wait_done(app)

    # the final state: each answer, its figures, the best of each marked across the columns
    assert a.text() == "Alpha beta gamma." and b.text() == "One two three."
    assert a.figures.outcome.text() == b.figures.outcome.text() == "done"
    assert a.run_button.text() == "Run"
    rows = [a.row(), b.row()]
    assert all(r.ttft_ms and r.output_tokens and r.cost_usd for r in rows)
    table = compare.table(rows)
    for i, col in enumerate((a, b)):
        assert col.best_marks() == {f for f in compare.FIGURES if table.is_best(i, f)}
        assert col.figures.labels["ttft_ms"].text().split()[1] == "ms"
    assert len(a.best_marks() | b.best_marks()) == 3  # ttft, tokens/s, cost: each somewhere
    status = app.window.status.text()
    assert status.startswith("Compare done") and status.endswith("a done, b done")
    sent = {r.path: r.body for r in app.sim.requests}
    assert sent["/v1/responses"]["model"] == "gpt-4o-mini"
    assert sent["/v1/chat/completions"]["model"] == "gpt-6-luna"
    assert app.window.conversation.cards[-1].message().role != "assistant"  # base untouched


def test_one_column_runs_alone_and_stop_stops_only_this_tab(app: App) -> None:
    view = enter_compare(app)
    a, b = columns(view)
    set_api(b, "chat")
    app.sim.enqueue(
        Scenario(endpoint="responses", text=["first a"]),
        Scenario(endpoint="chat", text=["first b"]),
    )
    app.window.run()
    wait_done(app)
    first_a = a.run
    assert (a.text(), b.text()) == ("first a", "first b")
    held = gate()
    app.sim.enqueue(Scenario(text=["again ", "b"], gate_after=2, gate=held))
    b.run_button.click()
    app.qtbot.waitUntil(lambda: b.text() == "again ", timeout=5000)
    assert a.run is first_a and not a.live and a.text() == "first a"  # the other column is left be
    assert len(app.sim.requests) == 3
    app.qtbot.keyClick(app.window, Qt.Key.Key_Escape)  # Stop: this tab's runs
    wait_done(app)
    assert b.run is not None and b.run.outcome == "stopped"
    assert b.figures.outcome.text() == "stopped"
    held.set()


def test_the_status_line_says_which_columns_never_ran(app: App) -> None:
    view = enter_compare(app)
    a, _ = columns(view)
    app.sim.enqueue(Scenario(text=["only a"]))
    a.run_button.click()
    wait_done(app)
    assert app.window.status.text().endswith("a done, b not run")


def test_use_this_variant_makes_it_the_request_and_undo_brings_compare_back(app: App) -> None:
    view = enter_compare(app)
    _, b = columns(view)
    assert b.overrides.add_parameter("temperature=0.2") is None
    assert b.overrides.add_parameter("nonsense=1") is not None  # refused, said why
    b.overrides.param.setText("nonsense=1")
    b.overrides.param.returnPressed.emit()
    assert not b.overrides.param_error.isHidden() and "nonsense" in b.overrides.param_error.text()
    b.overrides.param.clear()
    assert b.overrides.param_error.isHidden()  # cleared with the field
    b.use_button.click()
    ws = app.window.ws
    w = app.window.current_view
    assert "now variant gpt-6-luna" in app.window.status.text()  # not the Compare figures
    assert (ws.model, ws.params.temperature, ws.mode) == ("gpt-6-luna", 0.2, "single")
    assert w.center.currentWidget() is w.conversation and not app.window.compare.action.isChecked()
    assert app.window.undo_action.text() == "&Undo Use variant gpt-6-luna"
    app.window.undo_action.trigger()
    ws = app.window.ws
    assert (ws.model, ws.params.temperature, ws.mode) == ("gpt-4o-mini", None, "compare")
    assert w.center.currentWidget() is w.compare and app.window.compare.action.isChecked()
    app.window.undo_action.trigger()  # the temperature override
    assert "params.temperature" not in app.window.ws.variants[1].overrides
    app.window.undo_action.trigger()  # entering Compare
    assert app.window.ws.mode == "single" and w.center.currentWidget() is w.conversation


def press_compare_shortcut(app: App) -> None:
    """Ctrl+Shift+B, then the modifiers released (Qt keeps the last key event's modifiers as
    the keyboard's: left held, they would change how a later test's clicks select)."""
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    app.qtbot.keyClick(app.window, Qt.Key.Key_B, modifiers)
    app.qtbot.keyRelease(app.window, Qt.Key.Key_Shift, Qt.KeyboardModifier.ControlModifier)
    app.qtbot.keyRelease(app.window, Qt.Key.Key_Control)


def test_add_and_remove_variants_within_two_to_six(app: App) -> None:
    press_compare_shortcut(app)
    w = app.window.current_view
    view = w.compare
    assert app.window.ws.mode == "compare" and w.center.currentWidget() is view
    assert not view.columns[0].remove.isEnabled()  # two is the least
    while view.add_button.isEnabled():
        view.add_button.click()
    assert len(view.columns) == len(app.window.ws.variants) == MAX_VARIANTS
    assert [c.variant.key for c in view.columns] == list("abcdef")
    view.columns[2].remove.click()
    assert [v.key for v in app.window.ws.variants] == list("abdef")
    assert [c.variant.key for c in view.columns] == list("abdef")
    assert app.window.undo_action.text() == "&Undo Remove variant Variant C"
    app.window.undo_action.trigger()
    assert [c.variant.key for c in view.columns] == list("abcdef")
    press_compare_shortcut(app)  # leave: the variants stay
    assert app.window.ws.mode == "single" and w.center.currentWidget() is w.conversation
    assert len(app.window.ws.variants) == MAX_VARIANTS


def test_a_word_diff_of_two_columns_shows_the_changed_words(app: App) -> None:
    view = enter_compare(app)
    _a, b = columns(view)
    set_api(b, "chat")
    app.sim.enqueue(
        Scenario(endpoint="responses", text=["The quick brown fox jumps."]),
        Scenario(endpoint="chat", text=["The quick red fox jumps."]),
    )
    app.window.run()
    wait_done(app)
    view.diff_button.click()
    assert view.diff.isVisible()
    changed = [(s.a, s.b) for s in view.diff.spans if s.op != "equal"]
    assert changed == [("brown", "red")]
    html = view.diff.view.toHtml()
    assert "line-through" in html and "brown" in html and "red" in html
    assert view.diff.view.toPlainText() == "The quick brownred fox jumps."
    view.diff.choose(1, 0)  # the other way round
    assert [(s.a, s.b) for s in view.diff.spans if s.op != "equal"] == [("red", "brown")]


def test_a_long_diff_is_computed_off_the_gui_thread(app: App) -> None:
    view = enter_compare(app)
    a, b = columns(view)
    words = [f"word{i}" for i in range(1500)]
    a.answer.set_markdown(" ".join(words))
    b.answer.set_markdown(" ".join([*words[:700], "CHANGED", *words[701:]]))
    view.show_diff()
    assert view.diff.summary.text() == "Comparing…"  # not done on the spot
    app.qtbot.waitUntil(lambda: view.diff.summary.text().strip() == "1 change", timeout=10_000)
    assert [(s.a, s.b) for s in view.diff.spans if s.op != "equal"] == [("word700", "CHANGED")]


def test_compare_mode_and_variants_survive_a_save_and_a_restart(app: App, tmp_path: Path) -> None:
    view = enter_compare(app)
    view.add_button.click()
    c = view.column("c")
    assert c is not None
    assert c.overrides.add_parameter("max_output_tokens=300") is None
    c.name.setText("short")
    c.name.editingFinished.emit()
    target = tmp_path / "compare.json"
    assert app.pg.documents.save_to(target)
    saved = load_workspace(target)
    assert saved.mode == "compare" and [v.key for v in saved.variants] == ["a", "b", "c"]
    assert saved.variants[2] == Variant(
        key="c", name="short", overrides={"params.max_output_tokens": 300}
    )
    view.add_button.click()  # an unsaved edit: autosaved, back after the restart
    again = reopen(app)
    w = again.current_view
    assert w.doc.workspace.mode == "compare" and again.compare.action.isChecked()
    assert w.center.currentWidget() is w.compare
    assert [col.variant.key for col in w.compare.columns] == ["a", "b", "c", "d"]
    restored = w.compare.column("c")
    assert restored is not None and restored.name.text() == "short"
    assert any("max_output_tokens" in t for t in restored.overrides.differences_text())


def test_tool_calls_in_one_column_are_answered_on_mocks_in_that_column(app: App) -> None:
    weather = FunctionTool(
        name="get_weather",
        parameters={"type": "object", "properties": {"city": {"type": "string"}}},
        mock_output='{"temp_c": 21}',
    )
    app.window.load(app.window.ws.model_copy(update={"tools": [weather]}))
    view = enter_compare(app)
    a, b = columns(view)
    set_api(b, "chat")
    assert b.overrides.add_parameter("model=gpt-4.1-mini") is None  # tools on Chat
    app.sim.enqueue(
        Scenario(
            endpoint="responses",
            tool_calls=[ScriptedCall("get_weather", ['{"city": ', '"Paris"}'], "call_1")],
        ),
        Scenario(endpoint="chat", text=["No tools here."]),
    )
    app.window.run()
    wait_done(app)
    assert a.row().outcome == "tool_calls" and a._step is not None
    assert b._step is None and b.text() == "No tools here."
    run_b = b.run
    app.sim.enqueue(Scenario(endpoint="responses", text=["It is 21 °C in Paris."]))
    a._step.mocks.click()  # answer on mocks, in this column only
    wait_done(app)
    assert a.text() == "It is 21 °C in Paris." and a.row().outcome == "done"
    assert "mock" in a.trail.text() and "get_weather" in a.trail.text()
    assert b.run is run_b and b.text() == "No tools here."
    sent = app.sim.bodies("/responses")[-1]["input"]
    outputs = [i for i in sent if i.get("type") == "function_call_output"]
    assert outputs == [
        {"type": "function_call_output", "call_id": "call_1", "output": '{"temp_c": 21}'}
    ]
    assert a.run is not None and run_b is not None and a.run.variant == "a"
    assert app.window.ws.messages[-1].role == "user"  # the tab's conversation is untouched


def test_a_tool_call_answered_by_hand_continues_that_columns_conversation(app: App) -> None:
    tool = FunctionTool(name="lookup", parameters={"type": "object", "properties": {}})
    app.window.load(app.window.ws.model_copy(update={"tools": [tool]}))
    view = enter_compare(app)
    a, b = columns(view)
    set_api(a, "chat")
    assert a.overrides.add_parameter("model=gpt-4.1-mini") is None
    app.sim.enqueue(
        Scenario(endpoint="chat", tool_calls=[ScriptedCall("lookup", ["{}"], "call_9")]),
        Scenario(endpoint="responses", text=["Plain answer."]),
    )
    app.window.run()
    wait_done(app)
    step = a._step
    assert step is not None and [c.call.name for c in step.cards] == ["lookup"]
    step.cards[0].result.setPlainText("found 3 rows")
    app.sim.enqueue(Scenario(endpoint="chat", text=["There are 3 rows."]))
    step.submit.click()
    wait_done(app)
    assert a.text() == "There are 3 rows." and b.text() == "Plain answer."
    sent = app.sim.bodies("/chat/completions")[-1]["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "tool"]
    assert sent[-1] == {"role": "tool", "tool_call_id": "call_9", "content": "found 3 rows"}
    assert "lookup" in a.trail.text()  # the call stays listed above the answer
    assert "← result: found 3 rows" in a.trail.text()  # and what was answered, as a mock's is


def test_structured_answers_show_their_schema_badge_per_column(app: App) -> None:
    schema = {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    }
    fmt = OutputFormat(type="json_schema", name="place", json_schema=schema)
    app.window.load(app.window.ws.model_copy(update={"output_format": fmt}))
    view = enter_compare(app)
    a, b = columns(view)
    set_api(b, "chat")
    app.sim.enqueue(
        Scenario(endpoint="responses", text=['{"city": ', '"Paris"}']),
        Scenario(endpoint="chat", text=['{"town": "Paris"}']),
    )
    app.window.run()
    wait_done(app)
    assert a.badge.isVisible() and a.badge.text() == "✓ matches schema"
    assert b.badge.isVisible() and b.badge.text().startswith("✗")
    assert '"city": "Paris"' in a.text()  # pretty-printed


def test_the_raw_pane_follows_a_column_and_a_tab_closes_while_its_columns_stream(
    app: App,
) -> None:
    docs = app.pg.documents
    docs.duplicate()  # the compare tab, beside the first
    view = enter_compare(app)
    a, b = columns(view)
    set_api(b, "chat")
    held_a, held_b = gate(), gate()
    app.sim.enqueue(
        Scenario(endpoint="responses", text=["left ", "side"], gate_after=5, gate=held_a),
        Scenario(endpoint="chat", text=["right ", "side"], gate_after=2, gate=held_b),
    )
    app.window.run()
    app.qtbot.waitUntil(lambda: a.text() == "left " and b.text() == "right ", timeout=5000)
    raw = app.window.current_view.raw
    app.qtbot.waitUntil(lambda: '"gpt-4o-mini"' in raw.request.toPlainText(), timeout=3000)
    b.raw_button.click()
    assert '"gpt-6-luna"' in raw.request.toPlainText()  # the column asked for
    held_b.set()
    app.qtbot.waitUntil(lambda: not b.live, timeout=5000)
    assert raw.log.rowCount() == b.run.events_seen > 3  # every event of its run, at its end
    a.raw_button.click()  # the pane follows the column still streaming
    run_a = a.run
    assert run_a is not None
    docs.close_tab(docs.current)
    box = docs.close_box
    app.qtbot.waitUntil(box.isVisible, timeout=3000)
    box.button(QMessageBox.StandardButton.Discard).click()
    assert docs.bar.count() == 1
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # as the app's loop
    assert not shiboken6.isValid(view)  # the closed tab's widgets are gone
    held_a.set()  # closing the tab stopped its run; it ends with no view: nothing breaks
    wait_done(app)
    task = run_a._task  # what the run's end raised, if anything (nothing else retrieves it)
    assert run_a.outcome == "stopped" and task is not None
    assert task.cancelled() or task.exception() is None
    assert app.window.ws.mode == "single"


def test_the_code_tab_exports_the_compare_program(app: App) -> None:
    enter_compare(app)
    exchange = app.window.exchange
    exchange.show_code()
    code = exchange.view.text()
    assert "asyncio.gather" in code and '"gpt-6-luna"' in code and '"gpt-4o-mini"' in code
    assert "variants at once" in exchange.view.hint.text()
    exchange.view.format.setCurrentIndex(exchange.view.format.findData("curl"))
    assert exchange.view.text().startswith("curl") and "gpt-6-luna" not in exchange.view.text()


@given(
    st.sampled_from(["gpt-4o-mini", "gpt-6-luna", "gpt-4.1-mini", "my-model"]),
    st.lists(
        st.builds(
            lambda k, m: Variant(key=k, overrides={"model": m} if m else {}),
            st.sampled_from("abcdefxyz"),
            st.sampled_from(["", "gpt-6-luna", "gpt-4.1-mini", "gpt-4o-mini"]),
        ),
        max_size=MAX_VARIANTS,
        unique_by=lambda v: v.key,
    ),
)
def test_entering_compare_keeps_the_variants_and_fills_up_to_two(
    model: str, variants: list[Variant]
) -> None:
    ws = Workspace(model=model, variants=variants)
    out = first_variants(ws)
    assert out[: len(variants)] == variants  # never drops nor changes the user's
    assert len(out) == max(2, len(variants))
    assert len({v.key for v in out}) == len(out)
    Workspace(model=model, variants=out, mode="compare")  # a valid workspace
    if not variants:
        assert out[0].overrides == {"model": model} and out[1].overrides["model"] != model


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_compare_screenshots(app: App, qapp: QApplication, dark: bool) -> None:
    """Compare mode at 1366x768 after a run of three variants, for a person to look at."""
    theme.apply(qapp, dark=dark)
    app.window.resize(1366, 768)
    view = enter_compare(app)
    view.add_button.click()
    c = view.column("c")
    assert c is not None and c.overrides.add_parameter("temperature=0.2") is None
    app.window.run()
    wait_done(app)
    app.qtbot.waitUntil(lambda: all(col.text() for col in view.columns), timeout=5000)
    app.qtbot.wait(100)
    name = "dark" if dark else "light"
    app.shot(app.window, f"compare-{name}")
    view.show_diff(0, 1)
    app.qtbot.wait(100)
    app.shot(app.window, f"compare-diff-{name}")
    assert all(col.figures.outcome.text() == "done" for col in view.columns)
