"""An expected value written `expected.NAME` in a workspace's test set (a row's `expected`,
the set's `expected` columns) is the value NAME, as the CSV import reads the column: both
file forms load to the same rows, and one given both ways is refused in words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from playground.core.evaluation_spec import TestRow, TestSet
from playground.core.workspace import Workspace

name = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)


@given(names=st.lists(name, min_size=1, max_size=4, unique=True), value=st.text(max_size=8))
def test_both_forms_load_to_the_same_row(names: list[str], value: str) -> None:
    plain = TestRow(id="r", expected={n: value for n in names})
    dotted = TestRow.model_validate(
        {"id": "r", "expected": {f"expected.{n}": value for n in names}}
    )
    assert dotted == plain
    assert TestSet(expected=[f"expected.{n}" for n in names]).expected == names


def test_a_workspace_file_with_expected_dot_names_saves_them_plain() -> None:
    ws = Workspace.model_validate(
        {
            "schema_version": 3,
            "test_set": {
                "columns": ["word"],
                "expected": ["expected.cur"],
                "rows": [{"id": "r", "values": {"word": "a"}, "expected": {"expected.cur": "USD"}}],
            },
        }
    )
    assert ws.test_set.expected == ["cur"] and ws.test_set.rows[0].expected == {"cur": "USD"}
    assert '"expected.cur"' not in ws.to_json()
    # "expected" itself (the value {{expected}} reads) is a name, not a prefix
    assert TestRow(id="r", expected={"expected": "x"}).expected == {"expected": "x"}


def test_a_value_given_both_ways_is_refused_in_words() -> None:
    with pytest.raises(ValidationError, match="'cur' is there twice"):
        TestRow.model_validate({"id": "r", "expected": {"cur": "a", "expected.cur": "b"}})
    with pytest.raises(ValidationError, match="'cur' is there twice"):
        TestSet(expected=["cur", "expected.cur"])
