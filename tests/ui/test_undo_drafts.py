"""Ctrl+Z takes back typing that leaves a JSON field unparseable (a draft) in the field the
user typed in: the tool's schema, the output format's schema and extra_body."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from playground.core.document import Document
from playground.core.workspace import Workspace
from tests.ui.conftest import App


def _settle(app: App) -> None:
    app.window.collect()
    app.qtbot.wait(20)


def _tool_schema(app: App) -> QPlainTextEdit:
    app.window.tools.add_tool("get_weather")
    return app.window.tools.schema.edit


def _output_schema(app: App) -> QPlainTextEdit:
    app.window.output.radios["json_schema"].setChecked(True)
    return app.window.output.schema.edit


def _extra_body(app: App) -> QPlainTextEdit:
    editor = app.window.params.extra
    editor.setPlainText('{"seed_note": 1}')
    return editor


@pytest.mark.parametrize(
    ("make", "draft"),
    [
        (_tool_schema, "tools[0].parameters"),
        (_output_schema, "output_format.json_schema"),
        (_extra_body, "extra_body"),
    ],
    ids=["tool schema", "output schema", "extra_body"],
)
def test_ctrl_z_takes_back_typing_that_does_not_parse(
    app: App, make: Callable[[App], QPlainTextEdit], draft: str
) -> None:
    w = app.window
    editor = make(app)
    _settle(app)
    w.params.check("temperature").setChecked(True)  # an earlier step of another panel
    _settle(app)
    before = editor.toPlainText()
    doc = w.current_view.doc
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    app.qtbot.keyClicks(editor, " oops")
    _settle(app)
    assert draft in doc.drafts
    app.qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert json.loads(editor.toPlainText()) == json.loads(before)  # the typing is taken back
    assert draft not in doc.drafts
    assert w.params.check("temperature").isChecked()  # not another step
    assert not w.findings or all("oops" not in f.message for f in w.findings)
    app.qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # redo
    assert editor.toPlainText().endswith(" oops")
    assert doc.drafts.get(draft) is not None


def test_a_draft_is_an_undo_step_of_the_document() -> None:
    doc = Document(Workspace())
    doc.commit(doc.workspace, "Edit parameters", "params", (("extra_body",), {"extra_body": "{"}))
    doc.commit(doc.workspace, "Edit parameters", "params", (("extra_body",), {"extra_body": "{x"}))
    assert doc.undo_label == "Edit parameters" and doc.drafts == {"extra_body": "{x"}
    assert doc.undo() and doc.drafts == {} and not doc.dirty  # typing coalesced: one step
    assert doc.redo() and doc.drafts == {"extra_body": "{x"}


def test_undo_in_the_second_tools_schema_stays_on_that_tool(app: App) -> None:
    w = app.window
    w.tools.add_tool("first")
    w.tools.add_tool("second")
    _settle(app)
    w.tools.list.setCurrentRow(1)
    editor = w.tools.schema.edit
    before = editor.toPlainText()
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    app.qtbot.keyClicks(editor, " oops")
    _settle(app)
    app.qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.tools.list.currentRow() == 1
    assert json.loads(editor.toPlainText()) == json.loads(before)
    assert "tools[1].parameters" not in w.current_view.doc.drafts
