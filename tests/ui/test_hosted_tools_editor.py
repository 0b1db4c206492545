"""The hosted tools editor: each option typed into its control reaches the request in the
spec's shape, a workspace's options show and come back unchanged, bad filter JSON is named."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from playground.core import request
from playground.core.workspace import Message, Workspace
from playground.ui import theme
from playground.ui.widgets.hosted_tools_editor import HostedToolsEditor
from playground.ui.widgets.tools_panel import ToolsPanel
from tests.core.test_hosted_options import FULL
from tests.ui.conftest import App


def test_options_typed_in_reach_the_request(qtbot: QtBot) -> None:
    ed = HostedToolsEditor()
    qtbot.addWidget(ed)
    edits: list[int] = []
    ed.changed.connect(lambda: edits.append(1))
    ed.web.setChecked(True)
    ed.context.setCurrentText("high")
    ed.location["city"].setText("Oslo")
    ed.location["country"].setText("NO")
    ed.domains.setText("a.org, b.org")
    ed.sources.setChecked(True)
    ed.files.setChecked(True)
    ed.stores.setText("vs_1, vs_2")
    ed.max_results.setValue(7)
    ed.ranker.setCurrentText("auto")
    ed.threshold.setValue(0.3)
    ed.filters.setPlainText('{"type": "eq", "key": "lang"')
    assert "not valid JSON" in ed.filters_problem.text()
    assert ed.problems() and "file search filters: not valid JSON" in ed.problems()[0]  # blocks Run
    ed.files.setChecked(False)
    assert ed.problems() == []  # a switched-off tool sends no filter
    ed.files.setChecked(True)
    ed.filters.setPlainText('{"type": "eq", "key": "lang", "value": "en"}')
    assert ed.filters_problem.text() == "" and ed.problems() == []
    ed.code.setChecked(True)
    ed.file_ids.setText("file-1")
    ed.image.setChecked(True)
    ed.image_size.setCurrentText("1536x1024")
    ed.output_format.setCurrentText("webp")
    assert edits  # every control tells the panel
    body = request.build(Workspace(model="gpt-5.4", builtin_tools=ed.value())).body
    assert body["tools"] == [
        {
            "type": "web_search",
            "search_context_size": "high",
            "user_location": {"type": "approximate", "city": "Oslo", "country": "NO"},
            "filters": {"allowed_domains": ["a.org", "b.org"]},
        },
        {
            "type": "file_search",
            "vector_store_ids": ["vs_1", "vs_2"],
            "max_num_results": 7,
            "ranking_options": {"ranker": "auto", "score_threshold": 0.3},
            "filters": {"type": "eq", "key": "lang", "value": "en"},
        },
        {"type": "code_interpreter", "container": {"type": "auto", "file_ids": ["file-1"]}},
        {"type": "image_generation", "size": "1536x1024", "output_format": "webp"},
    ]
    assert body["include"] == ["web_search_call.action.sources"]
    ed.container.setCurrentIndex(1)
    assert ed.container_id.isEnabled() and not ed.file_ids.isEnabled()
    ed.container_id.setText("cntr_9")
    assert ed.value().code_options.container_id == "cntr_9"
    assert ed.value().code_options.file_ids == []


def test_a_workspaces_options_show_and_come_back_unchanged(qtbot: QtBot) -> None:
    ed = HostedToolsEditor()
    qtbot.addWidget(ed)
    ed.load(FULL)
    assert ed.location["timezone"].text() == "Europe/Paris"
    assert ed.container_id.text() == "cntr_1" and ed.container_id.isEnabled()
    assert ed.value() == FULL
    panel = ToolsPanel()
    qtbot.addWidget(panel)
    panel.load(Workspace(builtin_tools=FULL))
    assert panel.apply(Workspace()).builtin_tools == FULL
    combo = panel.choice.combo
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "hosted: image_generation" in texts


def test_the_tools_panel_shows_the_hosted_options_in_both_themes(app: App, qapp: Any) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(
        Workspace(
            model="gpt-4.1-mini",
            builtin_tools=FULL,
            messages=[Message(content="Search the web for refund rules")],
        )
    )
    w.setup_tabs.setCurrentWidget(w.tools)
    area = w.tools.findChild(QScrollArea)
    area.ensureWidgetVisible(w.tools.hosted.web)
    area.horizontalScrollBar().setValue(0)
    assert w.tools.hosted.location["city"].text() == "Lyon"
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"hosted_tools_options_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)


def test_bad_filter_json_looks_like_every_other_field_error(app: App, qapp: Any) -> None:
    w = app.window
    w.resize(1366, 768)
    w.load(Workspace(model="gpt-4.1-mini", builtin_tools=FULL, messages=[Message(content="hi")]))
    w.setup_tabs.setCurrentWidget(w.tools)
    hosted = w.tools.hosted
    w.tools.add_tool("lookup")  # a function schema that does not parse: the error to match
    w.tools.schema.edit.setPlainText('{"type": ')
    hosted.filters.setPlainText('{"type": "eq", "key": "lang"')
    app.qtbot.wait(50)
    schema_note, filter_note = w.tools.schema.status, hosted.filters_problem
    assert "not valid JSON" in filter_note.text() and filter_note.isVisibleTo(hosted)
    error = theme.accent("error")
    for note in (schema_note, filter_note):
        assert note.palette().color(note.foregroundRole()) == error
    assert hosted.filters.property("invalid") and w.tools.schema.edit.property("invalid")
    area = w.tools.findChild(QScrollArea)
    area.ensureWidgetVisible(hosted.filters_problem)
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            assert filter_note.palette().color(filter_note.foregroundRole()) == theme.accent(
                "error"
            )
            app.shot(w, f"hosted_filter_error_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)
    hosted.filters.setPlainText('{"type": "eq", "key": "lang", "value": "en"}')
    assert not hosted.filters.property("invalid") and not filter_note.isVisibleTo(hosted)


def test_code_interpreter_options_are_off_while_the_tool_is(app: App) -> None:
    w = app.window
    off = FULL.model_copy(update={"code_interpreter": False}, deep=True)
    off.code_options.container_id = None
    w.load(Workspace(model="gpt-4.1-mini", builtin_tools=off, messages=[Message(content="hi")]))
    w.setup_tabs.setCurrentWidget(w.tools)
    hosted = w.tools.hosted
    fields = (hosted.container, hosted.container_id, hosted.file_ids, hosted.outputs)
    assert [f.isEnabled() for f in fields] == [False, False, False, False]
    hosted.code.setChecked(True)
    assert [f.isEnabled() for f in fields] == [True, False, True, True]  # auto: file ids
    hosted.container.setCurrentIndex(1)
    assert [f.isEnabled() for f in fields] == [True, True, False, True]
    hosted.code.setChecked(False)
    assert [f.isEnabled() for f in fields] == [False, False, False, False]
