"""The test-set table's Qt model (ui/widgets/test_set_model.py): a well-behaved editable table
over a TestSet, with insert, remove, move, duplicate and paste, and 10,000 rows without a
widget per row."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt

from playground.core.evaluation_spec import TestRow, TestSet
from playground.core.test_sets import TestSetError
from playground.ui.widgets.test_set_model import ID_ROLE, TestSetModel


def table(n: int = 3) -> TestSet:
    rows = [
        TestRow(id=f"r{i}", values={"city": f"City {i}"}, expected={"answer": f"A{i}"}, note="")
        for i in range(n)
    ]
    return TestSet(columns=["city"], expected=["answer"], rows=rows)


def cells(model: TestSetModel, column: int = 0) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def ids(model: TestSetModel) -> list[str]:
    return [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]


def test_it_is_a_well_behaved_editable_table(qtmodeltester: Any) -> None:
    model = TestSetModel(table())
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "city",
        "expected.answer",
        "note",
    ]
    assert model.headerData(2, Qt.Orientation.Vertical) == "3"
    changed: list[int] = []
    model.test_set_changed.connect(lambda: changed.append(1))
    assert model.setData(model.index(1, 1), "Rome\nItaly")
    assert model.index(1, 1).data() == "Rome ⏎ Italy"  # one line in the table
    assert model.index(1, 1).data(Qt.ItemDataRole.EditRole) == "Rome\nItaly"
    assert model.setData(model.index(0, 2), "check the accent")
    assert model.test_set().rows[1].expected == {"answer": "Rome\nItaly"}
    assert model.test_set().rows[0].note == "check the accent" and len(changed) == 2
    qtmodeltester.check(model)


def test_rows_are_inserted_removed_moved_and_duplicated(qtmodeltester: Any) -> None:
    model = TestSetModel(table(4))
    assert model.insertRows(1, 2)
    assert cells(model)[:4] == ["City 0", "", "", "City 1"]
    assert len(set(ids(model))) == 6  # fresh ids
    assert model.removeRows(1, 2) and ids(model) == ["r0", "r1", "r2", "r3"]
    assert model.move_row(0, 2) and ids(model) == ["r1", "r2", "r0", "r3"]
    assert model.move_row(3, 0) and ids(model) == ["r3", "r1", "r2", "r0"]
    assert not model.move_row(0, 0) and not model.move_row(0, 9)
    placed = model.duplicate_rows([1, 3])
    assert placed == [2, 5] and cells(model) == [
        "City 3",
        "City 1",
        "City 1",
        "City 2",
        "City 0",
        "City 0",
    ]
    assert len(set(ids(model))) == 6
    qtmodeltester.check(model)


def test_pasting_rows_with_or_without_headers(qtmodeltester: Any) -> None:
    model = TestSetModel(table(1))
    assert model.paste("Oslo\tOslo\tcold\nLima\tLima\n", at=0) == 2
    assert cells(model) == ["Oslo", "Lima", "City 0"] and cells(model, 2)[0] == "cold"
    assert model.paste("city\tlang\nBern\tde\n") == 1  # a new column, from the header
    assert model.columnCount() == 4 and model.headerData(1, Qt.Orientation.Horizontal) == "lang"
    assert model.index(3, 1).data() == "de" and model.index(3, 0).data() == "Bern"
    before = model.test_set()
    with pytest.raises(TestSetError) as caught:
        model.paste("a\tb\tc\td\te\n")
    assert "5 cells" in str(caught.value) and model.test_set() == before
    qtmodeltester.check(model)


def test_ten_thousand_rows_are_list_items_not_widgets(qtmodeltester: Any) -> None:
    big = TestSet(
        columns=["q", "lang"],
        expected=["answer"],
        rows=[
            TestRow(
                id=f"r{i}", values={"q": f"question {i}", "lang": "en"}, expected={"answer": str(i)}
            )
            for i in range(10_000)
        ],
    )
    model = TestSetModel(big)
    assert model.rowCount() == 10_000 and model.columnCount() == 4
    assert model.index(9_999, 0).data() == "question 9999"
    assert model.index(5_000, 2).data() == "5000"
    assert model.setData(model.index(9_999, 1), "fr")
    assert model.test_set().rows[-1].values["lang"] == "fr"
    assert model.duplicate_rows([0]) == [1] and model.rowCount() == 10_001
    assert model.removeRows(0, 1, QModelIndex()) and model.rowCount() == 10_000


ops = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.integers(0, 12), st.integers(1, 3)),
        st.tuples(st.just("remove"), st.integers(0, 12), st.integers(1, 3)),
        st.tuples(st.just("move"), st.integers(0, 12), st.integers(0, 12)),
        st.tuples(st.just("duplicate"), st.integers(0, 12), st.integers(0, 12)),
        st.tuples(st.just("edit"), st.integers(0, 12), st.integers(0, 2)),
        st.tuples(st.just("paste"), st.integers(0, 12), st.integers(1, 3)),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_any_sequence_of_edits_keeps_views_and_persistent_indexes_right(
    qapp: Any, steps: list[tuple[str, int, int]]
) -> None:
    """A proxy (what a view sees) and persistent indexes follow every change only when each
    one is announced with the right begin/end calls."""
    model = TestSetModel(table(5))
    proxy = QIdentityProxyModel()
    proxy.setSourceModel(model)
    expect = [r.id for r in model.test_set().rows]
    pinned = {i: QPersistentModelIndex(model.index(i, 0)) for i in range(5)}
    pinned_ids = {i: expect[i] for i in range(5)}
    for kind, a, b in steps:
        n = len(expect)
        if kind == "insert" and a <= n:
            model.insertRows(a, b)
            expect[a:a] = [model.row_id(a + k) for k in range(b)]
        elif kind == "remove" and a + b <= n:
            model.removeRows(a, b)
            del expect[a : a + b]
        elif kind == "move" and a < n and b < n:
            if model.move_row(a, b):
                expect.insert(b, expect.pop(a))
        elif kind == "duplicate" and a < n:
            chosen = sorted({a, b} & set(range(n)))
            placed = model.duplicate_rows(chosen)
            for at in placed:
                expect.insert(at, model.row_id(at))
        elif kind == "edit" and a < n:
            assert model.setData(model.index(a, b), f"edited {a}")
        elif kind == "paste":
            model.paste("\n".join(f"P{k}\tx" for k in range(b)), at=min(a, n))
            at = min(a, n)
            expect[at:at] = [model.row_id(at + k) for k in range(b)]
        assert [model.row_id(r) for r in range(model.rowCount())] == expect
        assert proxy.rowCount() == len(expect)
        assert [proxy.index(r, 0).data(ID_ROLE) for r in range(len(expect))] == expect
        for key, index in pinned.items():
            if pinned_ids[key] in expect:
                assert index.isValid() and index.data(ID_ROLE) == pinned_ids[key]
            else:
                assert not index.isValid()


def test_columns_follow_the_prompts_variables_without_losing_values(qtmodeltester: Any) -> None:
    model = TestSetModel(table(2))
    qtmodeltester.check(model)
    model.set_columns(["lang", "city"], ["answer"])
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "lang",
        "city",
        "expected.answer",
        "note",
    ]
    assert model.index(0, 0).data() == "" and model.index(0, 1).data() == "City 0"
    model.set_columns(["lang"], ["answer"])  # city gone from the prompt: hidden, kept
    assert model.columnCount() == 3
    model.set_columns(["lang", "city"], ["answer"])
    assert model.index(1, 1).data() == "City 1"
    with pytest.raises(ValueError, match="there twice"):
        model.set_columns(["a", "a"], [])
    assert model.columnCount() == 4  # a bad call changes nothing


def test_expected_values_stay_in_column_order_whatever_is_typed_first() -> None:
    from playground.core.evaluation_spec import GraderSpec
    from playground.core.graders import GradeInput, grade
    from playground.core.reducer import AssistantTurn

    model = TestSetModel(TestSet(columns=["q"], expected=["answer", "unit"]))
    model.insertRows(0, 1)
    model.setData(model.index(0, 2), "C")  # the unit first
    model.setData(model.index(0, 1), "Paris")
    row = model.test_set().rows[0]
    assert list(row.expected) == ["answer", "unit"]
    spec = GraderSpec(kind="exact", value="{{expected}}")
    assert grade(spec, row, GradeInput(AssistantTurn(text="Paris"))).passed
