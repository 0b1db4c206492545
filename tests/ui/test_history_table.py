"""The History tab as a user meets it: search as you type, the columns, sorting, widths that
stay, rows that come as the list scrolls, and the compare of two runs."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QTextEdit

from playground.core.reducer import AssistantTurn
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.history import RunRecord, record_of
from playground.services.history_query import Query, RunRow
from playground.ui import theme
from playground.ui.history_view import HistoryView
from playground.ui.widgets.history_model import HistoryTableModel
from playground.ui.widgets.history_panel import NO_MATCH, HistoryPanel
from tests.ui.conftest import App


def record(
    prompt: str,
    answer: str = "An answer.",
    *,
    api: str = "responses",
    temperature: float | None = None,
    **figures: Any,
) -> RunRecord:
    ws = Workspace(
        api=api,  # type: ignore[arg-type]
        model="gpt-4o",
        params=Parameters(temperature=temperature),
        messages=[Message(content=prompt)],
    )
    body: dict[str, Any] = {"model": "gpt-4o", "input": prompt}
    if temperature is not None:
        body["temperature"] = temperature
    run = record_of(ws, body, AssistantTurn(text=answer), False, "OpenAI")
    for name, value in figures.items():
        setattr(run, name, value)
    return run


def view(app: App) -> HistoryView:
    assert app.pg.history_view is not None
    return app.pg.history_view


def fill(app: App, runs: list[RunRecord]) -> HistoryPanel:
    """Record `runs` as the app would and wait for the list to show them."""
    for run in runs:
        app.pg.history.record(run)
    app.pg.history_controller.refresh()
    p = view(app).panel
    app.qtbot.waitUntil(lambda: p.listing.total == len(runs), timeout=5000)
    return p


def prompts(p: HistoryPanel) -> list[str]:
    return [r.prompt for r in p.listing.rows]


def row(i: int, cost: float | None = 0.5) -> RunRow:
    return RunRow(i, 1.7e9 + i, f"prompt {i}", "chat", "gpt-4o", "completed", 10, 0, 5, 0, cost,
                  40.0, 900.0, None)  # fmt: skip


def test_the_list_is_a_well_behaved_table_model(qtmodeltester: Any) -> None:
    model = HistoryTableModel()
    qtmodeltester.check(model)
    model.show([row(i) for i in range(5)], 12, complete=False)
    qtmodeltester.check(model)  # it fetches more, as a view would
    model.add([row(i, cost=None) for i in range(5, 12)], 5, complete=True)
    qtmodeltester.check(model)
    assert model.rowCount() == 12 and not model.canFetchMore(model.index(-1, -1))
    assert model.index(11, 6).data() == "" and model.index(0, 6).data() == "$0.5000"


def test_the_list_asks_for_one_page_at_a_time() -> None:
    model = HistoryTableModel()
    asked: list[int] = []
    model.more_requested.connect(asked.append)
    model.show([row(i) for i in range(5)], 12, complete=False)
    assert model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert asked == [5] and not model.canFetchMore(model.index(-1, -1))
    model.add([row(99)], 3, complete=False)  # not the rows that follow: dropped
    assert model.rowCount() == 5
    model.add([row(i) for i in range(5, 10)], 5, complete=False)
    assert model.rowCount() == 10 and model.canFetchMore(model.index(-1, -1))


def test_typing_in_the_search_box_filters_without_enter(app: App) -> None:
    p = fill(
        app,
        [
            record("Where is Paris?", "Paris is in France."),
            record("Explain WebSockets briefly.\nWith an example."),
            record("What is the stock price?"),
        ],
    )
    app.window.side.setCurrentWidget(p)
    p.text.setFocus()
    app.qtbot.keyClicks(p.text, "webs")  # no Enter
    app.qtbot.waitUntil(lambda: prompts(p) == ["Explain WebSockets briefly."], timeout=5000)
    assert p.status.text() == "1 run"
    p.text.clear()
    app.qtbot.keyClicks(p.text, "franc")  # a word of the answer
    app.qtbot.waitUntil(lambda: prompts(p) == ["Where is Paris?"], timeout=5000)
    p.text.clear()
    app.qtbot.keyClicks(p.text, "xylophone")
    app.qtbot.waitUntil(lambda: p.stack.currentWidget() is p.empty, timeout=5000)
    assert p.empty.text() == NO_MATCH and p.status.text() == NO_MATCH
    for hostile in ['"', "AND(", "*", "NEAR/", '"stock', "price OR"]:
        p.text.clear()
        app.qtbot.keyClicks(p.text, hostile)
        app.qtbot.waitUntil(lambda: p.listing.total >= 0 and not p._debounce.isActive())
        app.qtbot.wait(50)
        assert "⚠" not in p.status.text()
    app.qtbot.waitUntil(lambda: prompts(p) == [], timeout=5000)  # "price" and the word "or"
    p.text.clear()
    app.qtbot.waitUntil(lambda: len(prompts(p)) == 3, timeout=5000)


def test_the_columns_show_each_run_and_sort_in_sql(app: App) -> None:
    p = fill(
        app,
        [
            record("cheap and slow", cost=0.0012, total_ms=2500.0, api="chat"),
            record("dear and fast\nsecond line", cost=0.5, total_ms=300.0, input_tokens=1200),
            record("unknown cost", cost=None, total_ms=None),
        ],
    )
    titles = [p.listing.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert titles == ["Time", "Prompt", "API", "Model", "Outcome", "Tokens", "Cost", "Latency"]
    dear = prompts(p).index("dear and fast")
    cells = [p.listing.index(dear, c).data() for c in range(1, 8)]
    assert cells == ["dear and fast", "Responses", "gpt-4o", "completed", "1,200", "$0.5000",
                     "0.30 s"]  # fmt: skip
    cheap = prompts(p).index("cheap and slow")
    assert p.listing.index(cheap, 2).data() == "Chat"
    header = p.table.horizontalHeader()
    app.window.side.setCurrentWidget(p)
    app.qtbot.waitExposed(p.table)

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        app.qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    p.table.scrollTo(p.listing.index(0, 6))
    click(6)  # Cost
    order = [["cheap and slow", "dear and fast", "unknown cost"]]
    order.append(["dear and fast", "cheap and slow", "unknown cost"])
    app.qtbot.waitUntil(lambda: prompts(p) in order, timeout=5000)
    first = prompts(p)
    click(6)  # the other way; an unknown cost stays last
    app.qtbot.waitUntil(lambda: prompts(p) in order and prompts(p) != first, timeout=5000)
    assert app.pg.history_controller.query.sort == "cost"


def test_column_widths_are_remembered(app: App) -> None:
    p = view(app).panel
    p.table.horizontalHeader().resizeSection(1, 333)
    app.qtbot.waitUntil(lambda: not p._save_header.isActive(), timeout=2000)
    again = HistoryPanel()
    app.qtbot.addWidget(again)
    assert again.table.horizontalHeader().sectionSize(1) == 333


def test_more_rows_come_as_the_list_scrolls(app: App) -> None:
    p = fill(app, [record(f"question {i}") for i in range(450)])
    assert p.listing.rowCount() == 200 and p.status.text() == "450 runs"
    app.window.side.setCurrentWidget(p)
    bar = p.table.verticalScrollBar()

    def scrolled_to(n: int) -> bool:
        # as a user keeps scrolling: the bar's range grows only once the view has laid out
        # the rows a page added, which a busy machine may not have done at the first look
        bar.setValue(bar.maximum())
        return p.listing.rowCount() == n

    for expected in (400, 450):
        app.qtbot.waitUntil(lambda n=expected: scrolled_to(n), timeout=5000)
    assert prompts(p)[-1] == "question 0" and len(set(prompts(p))) == 450


def _fragments(edit: QTextEdit) -> list[tuple[str, bool, bool]]:
    """(text, struck out, has a background) of each run of text in the editor."""
    out = []
    block = edit.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fmt = frag.charFormat()
            out.append(
                (
                    frag.text(),
                    fmt.fontStrikeOut(),
                    fmt.background().style() != Qt.BrushStyle.NoBrush,
                )
            )
            it += 1
        block = block.next()
    return out


def compare(app: App, p: HistoryPanel) -> Any:
    p.table.selectAll()
    p._compare()
    hv = view(app)
    app.qtbot.waitUntil(lambda: hv.dialog is not None and hv.dialog.isVisible(), timeout=5000)
    return hv.dialog


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_compare_of_two_runs_shows_what_differs(app: App, qapp: QApplication, dark: bool) -> None:
    theme.apply(qapp, dark=dark)
    tail = "\n".join(f"Line {i} of the answer." for i in range(80))
    p = fill(
        app,
        [
            record("Where is Paris?", f"Paris is in France.\n{tail}", temperature=0.2,
                   cost=0.001, total_ms=800.0),
            record("Where is Paris?", f"Paris lies in northern France.\n{tail}",
                   temperature=0.9, cost=0.002, total_ms=1200.0),
        ],
    )  # fmt: skip
    app.window.resize(1366, 768)
    app.window.side.setCurrentWidget(p)
    name = "dark" if dark else "light"
    app.shot(app.window, f"history-{name}")
    dialog = compare(app, p)
    rows = {
        dialog.parameters.item(r, 0).text(): (
            dialog.parameters.item(r, 1).text(),
            dialog.parameters.item(r, 2).text(),
        )
        for r in range(dialog.parameters.rowCount())
    }
    assert rows == {"temperature": ("0.2", "0.9")}  # the older run on the left
    figures = {
        dialog.figures.item(r, 0).text(): (
            dialog.figures.item(r, 1).text(),
            dialog.figures.item(r, 2).text(),
        )
        for r in range(dialog.figures.rowCount())
    }
    assert figures["Cost"] == ("$0.001000", "$0.002000")
    assert figures["Latency"] == ("800 ms", "1,200 ms")
    left, right = dialog.left_answer, dialog.right_answer
    assert left.toPlainText().startswith("Paris is in France.")
    assert right.toPlainText().startswith("Paris lies in northern France.")
    assert ("is", True, True) in _fragments(left)  # only in the older answer: struck out
    assert ("lies", False, True) in _fragments(right)
    assert any(t.startswith(" in ") and not struck for t, struck, _bg in _fragments(left))
    for edit in (left, right):
        markup = edit.toHtml()
        assert "<a" not in markup and "<table" not in markup and "diff_" not in markup
    assert "2 changes" in dialog.summary.text()
    dialog.resize(1366, 768)
    app.qtbot.wait(50)
    app.shot(dialog, f"history-compare-{name}")
    bar = left.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())  # the other answer follows
    assert right.verticalScrollBar().value() == right.verticalScrollBar().maximum()
    right.verticalScrollBar().setValue(0)
    assert bar.value() == 0
    dialog.close()
    theme.apply(qapp, dark=False)


def test_compare_asks_for_two_runs(app: App) -> None:
    p = fill(app, [record("one"), record("two"), record("three")])
    p.table.selectAll()
    p._compare()
    assert p.status.text() == "Select exactly two runs to compare."
    assert view(app).dialog is None
    assert app.pg.history.rows(Query("two"))[0].prompt == "two"


def test_a_small_cost_keeps_its_digits() -> None:
    # a cheap run cost $0.000068: four decimals showed every run as $0.0000
    model = HistoryTableModel()
    model.show([row(0, cost=0.000068), row(1, cost=0.0213), row(2, cost=0.0)], 3, complete=True)
    assert [model.index(i, 6).data() for i in range(3)] == ["$0.000068", "$0.0213", "$0"]


def test_the_cost_column_shows_a_small_cost_whole(qapp: QApplication) -> None:
    # "$0.000086" read "$0.000…" in a 66-px column
    from PySide6.QtCore import QSettings

    QSettings().remove("history/header")  # no remembered widths: the defaults
    panel = HistoryPanel()
    header = panel.table.horizontalHeader()
    needed = panel.table.fontMetrics().horizontalAdvance("$0.000086") + 12  # cell margins
    assert header.sectionSize(6) >= needed
    panel.deleteLater()
