"""Property: whatever the user does in the test-set table, each action is one undo step, undo
brings back every earlier test set exactly, redo the later ones, and the table always shows
the Document's test set."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from playground.core.document import Document
from playground.core.evaluation_spec import TestRow, TestSet
from playground.core.workspace import Message, Workspace
from playground.ui.views.test_set_tab import TestSetTab

ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["add", "delete", "duplicate", "up", "down", "edit", "paste"]),
        st.integers(0, 20),
        st.integers(0, 2),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8),
    ),
    max_size=12,
)


def _shown(tab: TestSetTab) -> list[list[str]]:
    m = tab.view.rows
    return [
        [m.index(r, c).data(Qt.ItemDataRole.EditRole) for c in range(m.columnCount())]
        for r in range(m.rowCount())
    ]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS)
def test_every_table_action_is_one_undo_step(
    qtbot: Any, actions: list[tuple[str, int, int, str]]
) -> None:
    rows = [TestRow(id=f"r{i}", values={"city": f"c{i}"}, expected={"a": str(i)}) for i in range(3)]
    ws = Workspace(
        messages=[Message(content="{{city}} {{day}}")],
        test_set=TestSet(columns=["city"], expected=["a"], rows=rows),
    )
    doc = Document(ws)
    tab = TestSetTab(doc)
    qtbot.addWidget(tab.view)
    view = tab.view
    history = [doc.workspace.test_set]
    for action, row, column, text in actions:
        n = view.rows.rowCount()
        if n:
            view.table.selectRow(row % n)
            if column:  # a few rows at once: still one step
                chosen = view.table.selectionModel()
                last = view.rows.index(min(n - 1, row % n + column), 0)
                chosen.select(last, chosen.SelectionFlag.Select | chosen.SelectionFlag.Rows)
        else:
            view.table.clearSelection()
        before = doc.workspace.test_set
        if action == "edit":
            if not n:
                continue
            view.rows.setData(view.rows.index(row % n, column), text)
        elif action == "paste":
            view.paste_text(f"{text}\tx\n".replace("\r", ""))
        else:
            view.buttons[action].click()
            if view.table.state() == view.table.State.EditingState:
                view.table.closePersistentEditor(view.table.currentIndex())
        if doc.workspace.test_set != before:
            history.append(doc.workspace.test_set)
        assert view.test_set().rows == doc.workspace.test_set.rows
        assert _shown(tab) == _cells(doc.workspace.test_set, view)
    for expected in reversed(history[:-1]):
        assert doc.undo()
        assert doc.workspace.test_set == expected
        assert _shown(tab) == _cells(expected, view)
    for expected in history[1:]:
        assert doc.redo()
        assert doc.workspace.test_set == expected
    tab.close()


def _cells(ts: TestSet, view: Any) -> list[list[str]]:
    """What the table should show for `ts`: the prompt's variables first, then its own."""
    columns = ["city", "day"] + [c for c in ts.columns if c not in ("city", "day")]
    return [
        [r.values.get(c, "") for c in columns]
        + [r.expected.get(e, "") for e in ts.expected]
        + [r.note]
        for r in ts.rows
    ]
