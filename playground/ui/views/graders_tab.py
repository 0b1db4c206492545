"""The "Graders" setup tab: the workspace's graders in order, with add (choose a kind), remove
and move, and an editor for the selected one that shows only the settings its kind reads.

Bound to a tab's Document: every change is one undo step (typing into one setting of one
grader coalesces into one), and the list and editor follow the Document's events (an undo, a
redo, an import).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.document import Document
from playground.core.evaluation_spec import GraderKind, GraderSpec
from playground.core.graders import LABELS, READS, label
from playground.ui.widgets.flow_layout import FlowLayout
from playground.ui.widgets.grader_editor import GraderEditor
from playground.ui.widgets.pane_fit import scrolling

HINT = (
    "Graders judge each answer when a test set is evaluated (Evaluate mode, Ctrl+Shift+E, or "
    "playground eval): pass or fail, with a reason. A value can use the row's "
    "{{expected}}, {{expected.NAME}} and {{NAME}}."
)


class GradersTab(QWidget):
    """The graders of `doc`; see the module docstring."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._showing = False
        self._setup_ui()
        doc.changed.connect(self._on_doc_changed)
        self.sync()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Graders")
        self.setAccessibleDescription("The graders that judge each answer of an evaluation")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        content = QWidget()
        outer.addWidget(scrolling(content, 0))
        layout = QVBoxLayout(content)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(hint)
        self.list = QListWidget()
        self.list.setAccessibleName("Graders")
        self.list.setAccessibleDescription("The graders, in the order their verdicts are shown")
        self.list.setToolTip("The graders; select one to edit it")
        self.list.setMaximumHeight(7 * self.list.fontMetrics().height() + 12)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        layout.addWidget(self.list)
        bar = FlowLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, tip in (
            ("add", "Add grader", "Add a grader of a kind you choose"),
            ("remove", "Remove", "Remove the selected grader"),
            ("up", "Move up", "Move the selected grader up"),
            ("down", "Move down", "Move the selected grader down"),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setAccessibleDescription(tip)
            bar.addWidget(button)
            self.buttons[key] = button
        self.kinds = QMenu(self.buttons["add"])
        self.kinds.setAccessibleName("Grader kinds")
        self.kinds.setAccessibleDescription("The kind of grader to add")
        for kind, text in LABELS.items():
            self.kinds.addAction(text, partial(self.add_grader, kind))
        self.buttons["add"].setMenu(self.kinds)
        self.buttons["remove"].clicked.connect(self._on_remove_clicked)
        self.buttons["up"].clicked.connect(lambda: self.move_grader(-1))
        self.buttons["down"].clicked.connect(lambda: self.move_grader(1))
        layout.addLayout(bar)
        self.empty = QLabel("No graders yet: add one.")
        layout.addWidget(self.empty)
        self.editor = GraderEditor()
        self.editor.edited.connect(self._on_editor_edited)
        layout.addWidget(self.editor, 1)

    # -- public --------------------------------------------------------------------------------

    def add_grader(self, kind: GraderKind) -> None:
        """Add a grader of `kind` after the selected one (at the end when none); select it."""
        ws = self.doc.workspace
        at = self.list.currentRow() + 1 if self.list.currentRow() >= 0 else len(ws.graders)
        graders = list(ws.graders)
        graders.insert(at, GraderSpec(kind=kind))
        self._commit(graders, f"Add a {LABELS[kind]} grader", select=at)

    def remove_grader(self) -> None:
        """Remove the selected grader."""
        at = self.list.currentRow()
        graders = list(self.doc.workspace.graders)
        if not 0 <= at < len(graders):
            return
        gone = graders.pop(at)
        self._commit(graders, f"Remove the grader {label(gone)}", select=min(at, len(graders) - 1))

    def move_grader(self, step: int) -> None:
        """Move the selected grader up (-1) or down (1)."""
        at, graders = self.list.currentRow(), list(self.doc.workspace.graders)
        to = at + step
        if not (0 <= at < len(graders) and 0 <= to < len(graders)):
            return
        graders[at], graders[to] = graders[to], graders[at]
        self._commit(graders, f"Move the grader {label(graders[to])}", select=to)

    def sync(self) -> None:
        """Show the Document's graders; the editor shows the selected one."""
        graders = self.doc.workspace.graders
        self._showing = True
        try:
            texts = [_item_text(g) for g in graders]
            if self.list.count() == len(texts):  # a rename: the selection stays
                for i, text in enumerate(texts):
                    if self.list.item(i).text() != text:
                        self.list.item(i).setText(text)
            else:
                at = self.list.currentRow()
                self.list.clear()
                self.list.addItems(texts)
                self.list.setCurrentRow(min(max(at, 0), len(texts) - 1) if texts else -1)
        finally:
            self._showing = False
        self._show_selected()

    def close_tab(self) -> None:
        """The tab closed: stop following the Document."""
        self.doc.changed.disconnect(self._on_doc_changed)

    # -- private slots -------------------------------------------------------------------------

    def _on_doc_changed(self, path: str) -> None:
        if path in ("", "graders"):
            self.sync()

    def _on_list_current_row_changed(self, _row: int) -> None:
        if not self._showing:
            self._show_selected()

    def _on_remove_clicked(self) -> None:
        self.remove_grader()

    def _on_editor_edited(self, field: str, value: Any) -> None:
        at = self.list.currentRow()
        graders = list(self.doc.workspace.graders)
        if not 0 <= at < len(graders):
            return
        graders[at] = graders[at].model_copy(update={field: value})
        ws = self.doc.workspace
        self.doc.commit(
            ws.model_copy(update={"graders": graders}),
            f"Edit the grader {label(graders[at])}",
            coalesce=f"graders[{at}].{field}",
        )

    # -- private -------------------------------------------------------------------------------

    def _commit(self, graders: list[GraderSpec], what: str, select: int) -> None:
        ws = self.doc.workspace
        self._showing = True  # the list is rebuilt by the Document's event: select after it
        try:
            self.doc.commit(ws.model_copy(update={"graders": graders}), what)
        finally:
            self._showing = False
        self.list.setCurrentRow(select)
        self._show_selected()

    def _show_selected(self) -> None:
        graders = self.doc.workspace.graders
        at = self.list.currentRow()
        has = 0 <= at < len(graders)
        self.editor.setVisible(has)
        self.empty.setVisible(not graders)
        for key in ("remove", "up", "down"):
            self.buttons[key].setEnabled(has)
        self.buttons["up"].setEnabled(has and at > 0)
        self.buttons["down"].setEnabled(has and at < len(graders) - 1)
        if has:
            self.editor.show_spec(graders[at])


def _item_text(spec: GraderSpec) -> str:
    """ "contains “Paris”", "mentions Paris  (model-graded)": its name, or its kind and what
    it looks for."""
    kind, name = LABELS[spec.kind], label(spec)
    if name != kind:
        return f"{name}  ({kind})"
    what = spec.value if "value" in READS[spec.kind] else ""
    what = spec.tool if spec.kind == "tool_called" else what
    if spec.limit is not None and "limit" in READS[spec.kind]:
        what = f"≤ {spec.limit:g}"
        return f"{kind} {what}"
    what = what.replace("\n", " ")
    return f"{kind} “{what[:40]}{'…' if len(what) > 40 else ''}”" if what else kind
