"""The Graders setup tab in the window: add a grader of a kind, edit its settings (one undo
step per setting typed), remove and move; the editor shows only what the kind reads; graders
are saved with the workspace and come back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from playground.core.evaluation_spec import GraderSpec
from playground.core.graders import LABELS, READS
from playground.services.files import load_workspace
from playground.ui.views.graders_tab import GradersTab
from tests.ui.conftest import App
from tests.ui.test_accessible_names import unnamed
from tests.ui.test_documents import reopen


def tab(app: App) -> GradersTab:
    tabs = app.window.setup_tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Graders"))
    app.qtbot.wait(20)
    return app.window.current_view.graders


def items(t: GradersTab) -> list[str]:
    return [t.list.item(i).text() for i in range(t.list.count())]


def test_add_a_contains_grader_edit_its_value_and_undo(app: App) -> None:
    w, bot = app.window, app.qtbot
    t = tab(app)
    assert t.empty.isVisible() and not t.editor.isVisible()
    action = next(a for a in t.kinds.actions() if a.text() == "contains")
    action.trigger()
    doc = w.current_view.doc
    assert w.ws.graders == [GraderSpec(kind="contains")]
    assert doc.undo_label == "Add a contains grader"
    assert items(t) == ["contains"]  # the name defaults to the kind's label
    assert t.editor.isVisible() and t.editor.name.placeholderText() == "contains"
    bot.keyClicks(t.editor.value, "{{expected}}")
    assert w.ws.graders[0].value == "{{expected}}"
    assert items(t) == ["contains “{{expected}}”"]
    assert doc.undo_label == "Edit the grader contains"
    t.editor.case.click()
    assert w.ws.graders[0].case_sensitive is False
    bot.keyClick(t.editor.value, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.ws.graders[0].case_sensitive is True
    assert t.editor.case.isChecked()  # the box follows the undo
    doc.undo()  # all the typing was one step
    assert w.ws.graders[0].value == ""
    assert t.editor.value.toPlainText() == ""
    doc.undo()
    assert w.ws.graders == [] and items(t) == [] and not t.editor.isVisible()
    doc.redo()
    assert items(t) == ["contains"] and t.editor.isVisible()


def test_the_editor_shows_only_the_settings_the_kind_reads(app: App) -> None:
    t = tab(app)
    for kind in LABELS:
        t.add_grader(kind)
        shown = t.editor.shown_fields()
        assert shown[0] == "name" and sorted(shown[1:]) == sorted(READS[kind]), kind
        for field, widgets in t.editor.rows.items():
            if field not in shown:
                assert not any(x.isVisible() for x in widgets), (kind, field)
    assert len(items(app.window.current_view.graders)) == len(LABELS)


def test_settings_of_each_kind_are_written_and_bad_text_is_not(app: App) -> None:
    w, bot = app.window, app.qtbot
    t = tab(app)
    t.add_grader("tool_called")
    bot.keyClicks(t.editor.tool, "get_weather")
    bot.keyClicks(t.editor.arguments, '{"city": "{{city}}"')  # not closed yet: not kept
    assert w.ws.graders[0].arguments == {}
    assert "Arguments not kept yet" in t.editor.problem.text()
    bot.keyClicks(t.editor.arguments, "}")
    assert w.ws.graders[0].arguments == {"city": "{{city}}"} and not t.editor.problem.text()
    t.editor.count.setValue(2)
    assert w.ws.graders[0].tool == "get_weather" and w.ws.graders[0].count == 2
    t.add_grader("latency")
    assert t.list.currentRow() == 1
    bot.keyClicks(t.editor.limit, "1500")
    assert w.ws.graders[1].limit == 1500
    t.editor.limit.clear()
    bot.keyClicks(t.editor.limit, "fast")
    assert w.ws.graders[1].limit is None and "Limit not kept yet" in t.editor.problem.text()
    t.add_grader("json_schema")
    assert t.editor.own_schema.isChecked() and not t.editor.schema.isVisible()
    t.editor.own_schema.click()
    assert w.ws.graders[2].json_schema == {"type": "object"} and t.editor.schema.isVisible()
    t.add_grader("model_graded")
    bot.keyClicks(t.editor.rubric, 'The answer mentions "Paris".')
    bot.keyClicks(t.editor.model, "gpt-4o")
    bot.keyClicks(t.editor.name, "mentions Paris")
    spec = w.ws.graders[3]
    assert (spec.rubric, spec.model, spec.name) == (
        'The answer mentions "Paris".',
        "gpt-4o",
        "mentions Paris",
    )
    assert items(t)[3] == "mentions Paris  (model-graded)"


def test_remove_and_move_are_undoable(app: App) -> None:
    w = app.window
    t = tab(app)
    for kind in ("exact", "regex", "cost"):
        t.add_grader(kind)
    t.list.setCurrentRow(2)
    t.buttons["up"].click()
    assert [g.kind for g in w.ws.graders] == ["exact", "cost", "regex"]
    assert t.list.currentRow() == 1 and t.editor.shown_fields() == ["name", "limit"]
    t.buttons["remove"].click()
    assert [g.kind for g in w.ws.graders] == ["exact", "regex"]
    doc = w.current_view.doc
    assert doc.undo_label == "Remove the grader cost"
    doc.undo()
    doc.undo()
    assert [g.kind for g in w.ws.graders] == ["exact", "regex", "cost"]
    assert items(t) == ["exact match", "regex", "cost"]  # nothing to look for yet
    t.list.setCurrentRow(0)
    assert not t.buttons["up"].isEnabled() and t.buttons["down"].isEnabled()


def test_graders_and_rows_are_saved_and_come_back(app: App, tmp_path: Path) -> None:
    w = app.window
    t = tab(app)
    t.add_grader("contains")
    app.qtbot.keyClicks(t.editor.value, "Paris")
    view = w.current_view
    view.test_set.view.do("Add a test-set row", lambda: view.test_set.view.rows.insertRows(0, 2))
    target = tmp_path / "graded.json"
    assert app.pg.documents.save_to(target)
    saved = load_workspace(target)
    assert saved.graders == [GraderSpec(kind="contains", value="Paris")]
    assert len(saved.test_set.rows) == 2 and saved.test_set.rows_file is None
    again = reopen(app)
    graders = again.current_view.graders
    assert [graders.list.item(i).text() for i in range(graders.list.count())] == [
        "contains “Paris”"
    ]
    assert again.current_view.test_set.view.rows.rowCount() == 2
    assert not again.current_view.doc.dirty


def test_every_setting_of_every_kind_has_an_accessible_name_and_description(app: App) -> None:
    t = tab(app)
    app.window.current_view.test_set.view.rows.insertRows(0, 1)
    for kind in LABELS:
        t.add_grader(kind)
        if kind == "json_schema":
            t.editor.own_schema.click()  # the schema editor too
        app.qtbot.wait(5)
        assert unnamed(app.window) == {}, kind


def test_unsaved_rows_and_graders_come_back_after_a_restart(app: App) -> None:
    t = tab(app)
    t.add_grader("regex")
    app.qtbot.keyClicks(t.editor.value, r"\d+")
    view = app.window.current_view
    view.test_set.view.paste_text("city\tnote\nOslo\tcold\n")
    again = reopen(app)  # the autosave keeps them
    restored = again.current_view
    assert restored.doc.workspace.graders == [GraderSpec(kind="regex", value=r"\d+")]
    assert restored.test_set.view.rows.index(0, 0).data() == "Oslo"
    assert restored.doc.dirty  # never saved to a file


def test_a_theme_change_shows_no_schema_error_under_a_text_grader(app: App) -> None:
    # the hidden schema editor re-coloured itself on a theme change and the editor took that
    # for typing: "Schema not kept yet: The schema is empty" under a "contains" grader
    t = tab(app)
    t.add_grader("contains")
    app.qtbot.wait(20)
    menu = app.window.menus.view
    try:
        for choice in ("dark", "light"):
            menu.set_theme(choice)
            app.qtbot.wait(20)
            assert t.editor.problem.text() == "", choice
    finally:
        menu.set_theme("system")
