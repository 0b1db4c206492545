"""Work is never lost in the window: drafts, imports, closing tabs, per-tab panes, undo."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QTextCursor
from PySide6.QtWidgets import QMessageBox

from playground.core.workspace import FunctionTool, Workspace
from playground.ui.widgets.schema_editor import parse_schema_text
from tests.ui.conftest import App
from tests.ui.test_documents import reopen

HALF_TYPED = '{"metadata": {"team": '
CURL = (
    "curl https://api.openai.com/v1/responses -H 'Content-Type: application/json' "
    """-d '{"model": "gpt-5.4", "input": "Imported question"}'"""
)


def _settle(app: App) -> None:
    app.window.collect()
    app.qtbot.wait(20)


def test_a_half_typed_extra_body_survives_a_tab_switch_and_a_restart(app: App) -> None:
    w, docs = app.window, app.pg.documents
    w.params.extra.setPlainText(HALF_TYPED)
    _settle(app)
    docs.new()
    docs.select(0)
    assert w.params.extra.toPlainText() == HALF_TYPED
    assert docs.current_document().dirty  # a draft is unsaved work
    again = reopen(app)
    assert again.params.extra.toPlainText() == HALF_TYPED
    assert not again.run_button.isEnabled()  # it does not parse: Run says so
    assert "extra_body" in again.blocker.toolTip()


def test_a_half_edited_tool_schema_is_kept_not_reverted(app: App) -> None:
    w = app.window
    w.load(w.collect().model_copy(update={"tools": [FunctionTool(name="lookup")]}))
    w.setup_tabs.setCurrentWidget(w.tools)
    w.tools.list.setCurrentRow(0)
    w.tools.schema.edit.setPlainText('{"type": "object", "properties": {')
    _settle(app)
    app.pg.documents.new()
    app.pg.documents.select(0)
    assert w.tools.schema.edit.toPlainText() == '{"type": "object", "properties": {'
    again = reopen(app)
    again.tools.list.setCurrentRow(0)
    assert again.tools.schema.edit.toPlainText() == '{"type": "object", "properties": {'
    assert again.collect().tools[0].parameters == FunctionTool(name="lookup").parameters


def test_paste_into_a_tab_with_work_opens_a_new_tab(app: App) -> None:
    w, docs = app.window, app.pg.documents
    before = w.collect()
    QGuiApplication.clipboard().setText(CURL)
    w.exchange.paste()
    assert docs.bar.count() == 2 and docs.current == 1
    assert w.collect().messages[-1].text == "Imported question"
    docs.select(0)
    assert w.collect() == before  # the work in the first tab is untouched


def test_import_into_an_empty_tab_is_one_undo_step(app: App) -> None:
    w, docs = app.window, app.pg.documents
    docs.new()
    w.exchange.import_from(CURL, "the clipboard")
    assert docs.bar.count() == 2  # into the empty tab, not a third one
    assert w.collect().model == "gpt-5.4"
    w.undo_action.trigger()
    assert w.collect().messages == [] and w.collect().model != "gpt-5.4"
    w.redo_action.trigger()
    assert w.collect().model == "gpt-5.4"


def _answer(app: App, button: QMessageBox.StandardButton) -> None:
    box = app.pg.documents.close_box
    app.qtbot.waitUntil(box.isVisible, timeout=3000)
    box.button(button).click()


def test_closing_a_never_saved_tab_asks_and_can_be_reopened(app: App) -> None:
    w, docs = app.window, app.pg.documents
    docs.new()
    w.conversation.add_message("user", "Work I have not saved", focus=False)
    _settle(app)
    tab_id = docs.current_document().tab.id
    docs.menus.actions["Close tab"].trigger()  # Ctrl+W
    _answer(app, QMessageBox.StandardButton.Cancel)
    assert docs.bar.count() == 2  # still open, nothing deleted
    docs.autosave()
    assert docs.store.autosave_path(tab_id).exists()
    docs.close_tab(1)
    _answer(app, QMessageBox.StandardButton.Discard)
    assert docs.bar.count() == 1
    assert docs.menus.actions["Reopen closed tab"].shortcut().toString() == "Ctrl+Shift+T"
    docs.menus.actions["Reopen closed tab"].trigger()
    assert docs.bar.count() == 2
    assert w.collect().messages[-1].text == "Work I have not saved"


def test_only_the_last_ten_closed_tabs_are_kept(app: App) -> None:
    docs = app.pg.documents
    for i in range(12):
        docs.new(Workspace(instructions=f"tab {i}"))
        docs.current_document().doc.mark_saved()  # nothing unsaved: closes without asking
        docs.close_tab(docs.current)
    reopened = []
    while docs.reopen_closed():
        reopened.append(app.window.collect().instructions)
    assert reopened == [f"tab {i}" for i in range(11, 1, -1)]


def test_duplicate_tab_copies_the_work_into_an_unsaved_tab(app: App) -> None:
    w, docs = app.window, app.pg.documents
    w.params.extra.setPlainText(HALF_TYPED)
    _settle(app)
    copy = docs.duplicate()
    assert docs.bar.count() == 2 and docs.current == 1
    assert copy.ws == docs.docs[0].ws and copy.tab.path is None and copy.dirty
    assert w.params.extra.toPlainText() == HALF_TYPED


def test_the_raw_pane_and_status_line_belong_to_their_tab(app: App) -> None:
    w, docs = app.window, app.pg.documents
    app.run()
    ran = w.raw.request.toPlainText()
    assert "Explain SSE briefly." in ran
    status = w.status.text()
    docs.new()
    assert "Explain SSE briefly." not in w.raw.request.toPlainText()
    assert w.status.text() != status
    docs.select(0)
    assert w.raw.request.toPlainText() == ran and w.status.text() == status


def test_undo_covers_parameters_messages_and_moves(app: App) -> None:
    w = app.window
    w.conversation.add_message("assistant", "An answer", focus=False)
    w.conversation.add_message("user", "A follow-up", focus=False)
    _settle(app)
    w.params.check("temperature").setChecked(True)
    _settle(app)
    assert w.collect().params.temperature is not None
    cards = w.conversation.cards
    cards[2].move_requested.emit(-1)  # the follow-up above the answer
    _settle(app)
    assert [m.text for m in w.collect().messages][1:] == ["A follow-up", "An answer"]
    cards = w.conversation.cards
    cards[1].delete_requested.emit()
    _settle(app)
    assert len(w.collect().messages) == 2
    texts = lambda: [m.text for m in w.collect().messages]  # noqa: E731
    w.undo_action.trigger()  # the delete
    assert texts()[1:] == ["A follow-up", "An answer"]
    assert [c.message().text for c in w.conversation.cards][1:] == ["A follow-up", "An answer"]
    w.undo_action.trigger()  # the move
    assert texts()[1:] == ["An answer", "A follow-up"]
    w.undo_action.trigger()  # the parameter
    assert w.collect().params.temperature is None
    assert not w.params.check("temperature").isChecked()
    w.redo_action.trigger()
    assert w.params.check("temperature").isChecked()


def test_ctrl_z_in_a_text_field_undoes_through_the_document(app: App) -> None:
    w = app.window
    card = w.conversation.cards[0]
    card.editor.setFocus()
    card.editor.moveCursor(QTextCursor.MoveOperation.End)
    app.qtbot.keyClicks(card.editor, " More.")
    _settle(app)
    assert w.collect().messages[0].text == "Explain SSE briefly. More."
    w.conversation.add_message("user", "Another", focus=False)
    _settle(app)
    app.qtbot.keyClick(card.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(w.collect().messages) == 1  # the last edit, not the field's own typing
    app.qtbot.keyClick(card.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.collect().messages[0].text == "Explain SSE briefly."  # typing was one step
    assert w.conversation.cards[0].message().text == "Explain SSE briefly."


def test_saving_over_a_newer_playgrounds_file_is_refused(app: App, tmp_path: Path) -> None:
    target = tmp_path / "from-the-future.json"
    target.write_text(json.dumps({"schema_version": 99, "model": "gpt-9"}))
    before = target.read_text()
    assert not app.pg.documents.save_to(target)
    assert target.read_text() == before  # never overwritten
    assert "Could not save" in app.window.banner.text.text()
    assert app.pg.documents.current_document().tab.path is None


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    extra=st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30),
    schema=st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30),
)
@example(extra="\xa0", schema="\xa0")
@example(extra="null", schema="{}")
def test_whatever_is_typed_is_kept_across_a_tab_switch(app: App, extra: str, schema: str) -> None:
    w, docs = app.window, app.pg.documents
    docs.select(0)
    if not w.collect().tools:
        w.load(w.collect().model_copy(update={"tools": [FunctionTool(name="lookup")]}))
    w.tools.list.setCurrentRow(0)
    w.params.extra.setPlainText(extra)
    w.tools.schema.edit.setPlainText(schema)
    # what the editors hold (Qt's plain text turns a no-break space into a space)
    extra, schema = w.params.extra.toPlainText(), w.tools.schema.edit.toPlainText()
    _settle(app)
    if docs.bar.count() < 2:
        docs.new()
    docs.select(1)
    docs.select(0)
    w.tools.list.setCurrentRow(0)
    assert w.params.extra.toPlainText() == extra
    assert w.tools.schema.edit.toPlainText() == schema
    doc = docs.current_document().doc
    # kept either as the committed value or as a draft, never lost
    value, _ = parse_schema_text(schema)
    if value is None:
        assert doc.drafts["tools[0].parameters"] == schema
    else:
        assert doc.workspace.tools[0].parameters == value
    try:
        parsed = json.loads(extra) if extra.strip() else None
    except ValueError:
        parsed = ...
    if not extra.strip():  # empty: no extra_body
        assert doc.workspace.extra_body is None and "extra_body" not in doc.drafts
    elif isinstance(parsed, dict):
        assert doc.workspace.extra_body == parsed and "extra_body" not in doc.drafts
    else:  # not a JSON object ("null", "[1]", half-typed): kept as a draft
        assert doc.drafts["extra_body"] == extra


def test_redo_keys_each_redo_once_whatever_the_platform_binds(app: App) -> None:
    """Ctrl+Shift+Z was given to Redo twice (once by the platform): an ambiguous shortcut."""
    w = app.window
    keys = [k.toString() for k in w.redo_action.shortcuts()]
    assert len(keys) == len(set(keys)) and {"Ctrl+Shift+Z", "Ctrl+Y"} <= set(keys)
    for combo in ("Ctrl+Shift+Z", "Ctrl+Y"):
        w.params.check("temperature").setChecked(True)
        _settle(app)
        w.undo_action.trigger()
        assert not w.params.check("temperature").isChecked()
        w.params.check("temperature").setFocus()
        key = QKeySequence(combo)[0]
        app.qtbot.keyClick(w.params.check("temperature"), key.key(), key.keyboardModifiers())
        assert w.params.check("temperature").isChecked(), combo


def test_a_tab_opened_by_a_paste_is_unsaved_work(app: App) -> None:
    w, docs = app.window, app.pg.documents
    QGuiApplication.clipboard().setText(CURL)
    w.exchange.paste()  # the first tab has work: a new tab
    assert docs.current == 1 and docs.current_document().dirty
    assert "•" in docs.bar.tabText(1) or "*" in docs.bar.tabText(1)
    docs.menus.actions["Close tab"].trigger()
    _answer(app, QMessageBox.StandardButton.Cancel)
    assert docs.bar.count() == 2  # it asked; nothing closed


def test_the_parameters_follow_a_paste_and_its_undo(app: App) -> None:
    """The panel said what the previous model takes after an import, and the import's model
    after its undo."""
    w, docs = app.window, app.pg.documents
    docs.new()
    before = w.collect().model
    w.exchange.import_from(CURL, "the clipboard")
    assert w.collect().model == "gpt-5.4"
    for name in ("temperature", "top_p", "presence_penalty"):
        assert before not in w.params.reason(name)
    w.undo_action.trigger()
    assert w.collect().model == before
    for name in ("temperature", "top_p", "presence_penalty"):
        assert "gpt-5.4 " not in w.params.reason(name)


def test_new_tabs_never_take_the_name_of_a_restored_one(app: App) -> None:
    docs = app.pg.documents
    docs.new()
    docs.new()
    again = reopen(app)
    del again
    new_docs = app.pg.documents
    new_docs.new()
    titles = [new_docs.bar.tabText(i).rstrip(" •*") for i in range(new_docs.bar.count())]
    assert len(titles) == len(set(titles)), titles
