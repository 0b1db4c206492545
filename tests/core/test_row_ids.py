"""Rows given without an id get one from their content (core/test_sets.py new_row_id), so
the same rows file gives the same ids on every read: JUnit test names and comparisons of
two evaluations follow a row. Duplicate rows are numbered in order ("-2", "-3"); an id the
file gives is kept and never taken by a derived one."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.evaluation_spec import TestSet
from playground.core.test_sets import (
    content_row_id,
    merged,
    read_csv,
    read_jsonl,
    read_paste,
)

CSV = "word,expected\napple,apple\npear,pear\napple,apple\n"


def test_the_same_csv_without_ids_gives_the_same_ids_every_read() -> None:
    first, second = read_csv(CSV), read_csv(CSV)
    ids = [r.id for r in first.rows]
    assert ids == [r.id for r in second.rows]
    apple = content_row_id({"word": "apple"}, {"expected": "apple"})
    assert ids == [apple, content_row_id({"word": "pear"}, {"expected": "pear"}), f"{apple}-2"]
    assert apple.startswith("row-") and len(apple) == len("row-") + 8


def test_flat_jsonl_rows_without_an_id_get_the_same_ids_as_the_csv() -> None:
    # (a TestRow-shaped line, as export writes, must carry its id: it is refused without)
    lines = [
        json.dumps({"word": "apple", "expected": "apple"}),
        json.dumps({"word": "pear", "expected": "pear"}),
        json.dumps({"id": "", "word": "apple", "expected": "apple"}),
    ]
    assert [r.id for r in read_jsonl("\n".join(lines)).rows] == [r.id for r in read_csv(CSV).rows]


def test_a_given_id_is_kept_and_a_derived_one_steps_around_it() -> None:
    apple = content_row_id({"word": "apple"}, {})
    ts = read_csv(f"word,id\napple,\napple,{apple}\n")
    assert [r.id for r in ts.rows] == [f"{apple}-2", apple]


def test_a_paste_and_a_merge_number_a_repeated_row() -> None:
    table = read_paste("word\tnote\nkiwi\tfirst\n", TestSet())
    again = merged(table, read_paste("word\tnote\nkiwi\tsecond\n", TestSet()))
    base = content_row_id({"word": "kiwi"}, {})
    assert [r.id for r in again.rows] == [base, f"{base}-2"]


cell = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
rows = st.lists(st.tuples(cell, cell), max_size=12)


def as_csv(pairs: list[tuple[str, str]]) -> str:
    """The rows as CSV without an id column (so every id is derived)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["word", "expected.unit"])
    writer.writerows(pairs)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(rows)
def test_the_same_rows_give_the_same_unique_ids(pairs: list[tuple[str, str]]) -> None:
    text = as_csv(pairs)
    first, second = read_csv(text), read_csv(text)
    ids = [r.id for r in first.rows]
    assert ids == [r.id for r in second.rows]  # stable
    assert len(set(ids)) == len(ids)  # unique within the set
    for row in first.rows:  # derived from the row's own content
        assert row.id.startswith(content_row_id(row.values, row.expected))
