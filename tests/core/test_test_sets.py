"""Test sets in and out (core/test_sets.py): CSV, JSON lines and spreadsheet paste, with errors
that name the line, and round trips of any text."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.evaluation_spec import TestRow, TestSet
from playground.core.test_sets import (
    TestSetError,
    merged,
    read_csv,
    read_jsonl,
    read_paste,
    write_csv,
    write_jsonl,
)


def test_csv_columns_are_variables_expected_values_and_a_note() -> None:
    text = (
        "city,expected,expected.unit,expected_tone,note\n"
        'Paris,Paris,C,calm,"a note, with a comma"\n'
        'Rome,"Ro\nme",C,,\n'
    )
    ts = read_csv(text)
    assert ts.columns == ["city"] and ts.expected == ["expected", "unit", "tone"]
    first, second = ts.rows
    assert first.values == {"city": "Paris"} and first.note == "a note, with a comma"
    assert first.expected == {"expected": "Paris", "unit": "C", "tone": "calm"}
    assert second.expected["expected"] == "Ro\nme" and second.expected["tone"] == ""
    assert first.id != second.id and first.id.startswith("row-")  # generated, unique
    assert write_csv(ts).splitlines()[0] == "id,city,expected,expected.unit,expected.tone,note"


def test_ids_in_the_file_are_kept_and_a_bom_is_ignored() -> None:
    ts = read_csv("\ufeffid,q\nr-7,hello\n,bye\n")
    assert ts.rows[0].id == "r-7" and ts.rows[1].id != "r-7" and ts.columns == ["q"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", None, "the file is empty"),
        ("q,q\n", 1, "the column “q” is there twice"),
        ("q,expected_a,expected.a\n", 1, "the column “expected.a” is there twice"),
        ("q,two words\n", 1, "“two words” is not a column name"),
        ("q,\n", 1, "a column has no name"),
        ("q\na\nb,c\n", 3, "2 cells, but the header names 1 columns"),
        ('id,q\nx,"multi\nline"\nx,b\n', 4, "the id “x” is used on line 2 too"),
    ],
)
def test_a_bad_csv_says_which_line_and_why(text: str, line: int | None, words: str) -> None:
    with pytest.raises(TestSetError) as caught:
        read_csv(text, "tests.csv")
    assert caught.value.line == line
    assert words in str(caught.value) and str(caught.value).startswith("tests.csv:")


def test_jsonl_reads_test_rows_and_flat_rows() -> None:
    text = (
        '{"id": "a", "values": {"city": "Paris"}, "expected": {"answer": "Paris"}, "note": "n"}\n'
        "\n"
        '{"city": "Rome", "expected.answer": "Rome", "n": 3, "ok": true, "nil": null}\n'
    )
    ts = read_jsonl(text)
    assert ts.columns == ["city", "n", "ok", "nil"] and ts.expected == ["answer"]
    assert ts.rows[0] == TestRow(
        id="a", values={"city": "Paris"}, expected={"answer": "Paris"}, note="n"
    )
    assert ts.rows[1].values == {"city": "Rome", "n": "3", "ok": "true", "nil": ""}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('{"q": "a"}\n{"q": \n', 2, "not valid JSON at column 7: a value was expected"),
        ('{"q": "a"}\n\n[1]\n', 3, "each line must be a JSON object"),
        ('{"id": "", "values": {}}\n', 1, "id:"),
        ('{"id": "a", "values": {}, "colour": 1}\n', 1, "colour"),
        ('{"id": "a", "q": 1}\n{"id": "a", "q": 2}\n', 2, "used on line 1 too"),
        ('{"bad name": 1}\n', 1, "is not a column name"),
    ],
)
def test_a_bad_jsonl_line_says_which_line_and_why(text: str, line: int, words: str) -> None:
    with pytest.raises(TestSetError) as caught:
        read_jsonl(text, "rows.jsonl")
    assert caught.value.line == line and words in str(caught.value), str(caught.value)


def test_a_paste_with_headers_adds_columns_and_one_without_goes_by_position() -> None:
    table = TestSet(columns=["city"], expected=["answer"])
    by_name = read_paste("note\tcity\nhi\tParis\n", table)
    assert by_name.rows[0].values == {"city": "Paris"} and by_name.rows[0].note == "hi"
    by_place = read_paste('Paris\tParis\tfirst\nRome\t"Ro\tme"\n', table)
    assert [r.values["city"] for r in by_place.rows] == ["Paris", "Rome"]
    assert by_place.rows[1].expected == {"answer": "Ro\tme"} and by_place.rows[0].note == "first"
    fresh = read_paste("q\tlang\nhello\tfr\n", TestSet())
    assert fresh.columns == ["q", "lang"] and fresh.rows[0].values == {"q": "hello", "lang": "fr"}
    with pytest.raises(TestSetError) as caught:
        read_paste("a\tb\nc\td\te\tf\n", table)
    assert caught.value.line == 2 and "4 cells" in str(caught.value)


def test_merged_adds_new_columns_inserts_rows_and_keeps_ids_unique() -> None:
    table = TestSet(columns=["q"], rows=[TestRow(id="a"), TestRow(id="b")])
    incoming = TestSet(columns=["q", "lang"], rows=[TestRow(id="a", values={"lang": "fr"})])
    out = merged(table, incoming, at=1)
    assert out.columns == ["q", "lang"] and [r.id for r in out.rows][::2] == ["a", "b"]
    assert out.rows[1].values == {"lang": "fr"} and out.rows[1].id not in ("a", "b")


names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda n: n not in ("id", "note", "expected") and not n.startswith("expected")
)
cells = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@st.composite
def any_test_set(draw: st.DrawFn) -> TestSet:
    columns = draw(st.lists(names, unique=True, max_size=4))
    expected = draw(st.lists(names, unique=True, max_size=3))
    rows = []
    for i in range(draw(st.integers(0, 6))):
        rows.append(
            TestRow(
                id=f"r{i}",
                values={c: draw(cells) for c in columns},
                expected={e: draw(cells) for e in expected},
                note=draw(cells),
            )
        )
    return TestSet(columns=columns, expected=expected, rows=rows)


@settings(max_examples=200, deadline=None)
@given(any_test_set())
def test_csv_round_trips_any_text(ts: TestSet) -> None:
    back = read_csv(write_csv(ts))
    if ts.rows:  # with no row, a header alone says nothing of expected-only columns' order
        assert back == ts


@settings(max_examples=200, deadline=None)
@given(any_test_set())
def test_jsonl_round_trips_any_text(ts: TestSet) -> None:
    back = read_jsonl(write_jsonl(ts.rows))
    assert back.rows == ts.rows
    lines = write_jsonl(ts.rows).split("\n")  # a file's lines end at line feeds only
    assert lines[-1] == "" and all(json.loads(line) for line in lines[:-1])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_readers_raise_only_their_own_error(text: str) -> None:
    for read in (read_csv, read_jsonl, lambda t: read_paste(t, TestSet(columns=["q"]))):
        try:
            read(text)
        except TestSetError as exc:
            problem: str = str(exc)
            assert problem.startswith(("CSV:", "JSON lines:", "pasted text:")), problem
