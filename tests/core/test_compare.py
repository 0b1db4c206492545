"""Compare: the figures table with the best of each figure marked, and the word diff."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from playground.core.compare import (
    BETTER,
    FIGURES,
    Row,
    Span,
    outcome_of,
    row_of,
    table,
    tokens,
    word_diff,
)
from playground.core.events import Timing, Usage
from playground.core.reducer import AssistantTurn, TurnToolCall


def test_best_marks_lowest_ttft_and_cost_highest_rate_and_ties() -> None:
    t = table(
        [
            Row("a", ttft_ms=120.0, tokens_per_s=80.0, output_tokens=50, cost_usd=0.002),
            Row("b", ttft_ms=90.0, tokens_per_s=80.0, output_tokens=70, cost_usd=None),
            Row("c", ttft_ms=None, tokens_per_s=40.0, output_tokens=10, cost_usd=0.002),
        ]
    )
    assert t.best["ttft_ms"] == {1}
    assert t.best["tokens_per_s"] == {0, 1}  # a tie: both marked
    assert t.best["cost_usd"] == {0, 2}  # b's cost is unknown: never best
    assert "output_tokens" not in t.best and not t.is_best(1, "output_tokens")


def test_a_failed_run_and_missing_figures_are_never_best() -> None:
    t = table(
        [
            Row("fast-failure", ttft_ms=5.0, outcome="failed"),
            Row("slow", ttft_ms=500.0),
            Row("nan", ttft_ms=math.nan),
        ]
    )
    assert t.best["ttft_ms"] == {1} and t.best["cost_usd"] == frozenset()


def test_a_run_is_read_into_a_row() -> None:
    turn = AssistantTurn(
        text="hi",
        usage=Usage(input_tokens=1000, output_tokens=500),
        model="gpt-4o-mini",
        timing=Timing(ttft_ms=42.0, total_ms=900.0, tokens_per_s=55.5),
    )
    row = row_of("a", turn, "gpt-4o-mini")
    assert (row.ttft_ms, row.tokens_per_s, row.output_tokens) == (42.0, 55.5, 500)
    # gpt-4o-mini: 0.15 in / 0.60 out USD per 1M tokens (the shipped catalog)
    assert row.cost_usd is not None and math.isclose(row.cost_usd, 0.00015 + 0.0003)
    assert row.outcome == "done"
    assert row_of("x", AssistantTurn(), "no-such-model").cost_usd is None
    assert row_of("a", turn, "gpt-4o-mini", streamed=False).ttft_ms is None
    call = TurnToolCall(call_id="c1", name="f", arguments="{}")
    assert outcome_of(AssistantTurn(tool_calls=(call,))) == "tool_calls"
    assert outcome_of(AssistantTurn(finish_reason="length")) == "length"
    assert outcome_of(AssistantTurn(), stopped=True) == "stopped"


def test_the_word_diff_marks_changed_words() -> None:
    spans = word_diff("The cat sat on the mat.", "The dog sat on the mat!")
    assert spans == [
        Span("equal", "The ", "The "),
        Span("replace", "cat", "dog"),
        Span("equal", " sat on the mat", " sat on the mat"),
        Span("replace", ".", "!"),
    ]
    assert word_diff("", "new words") == [Span("insert", "", "new words")]
    assert word_diff("gone", "") == [Span("delete", "gone", "")]


def test_tokens_are_words_and_single_marks_with_their_whitespace() -> None:
    assert tokens(" Hé, l'été  2026!\n") == [" ", "Hé", ", ", "l", "'", "été  ", "2026", "!\n"]


def test_long_answers_are_diffed_line_by_line_then_word_by_word() -> None:
    a = "\n".join(f"Line {i} says the same thing." for i in range(40))
    b = a.replace("Line 7 says the same", "Line 7 says another").replace("Line 30", "Row 30")
    spans = word_diff(a, b, limit=100)  # far above: the line path
    assert [s for s in spans if s.op != "equal"] == [
        Span("replace", "the same", "another"),
        Span("replace", "Line", "Row"),
    ]
    assert word_diff(a, b) == spans  # the same as word by word at once


TEXT = st.text(
    st.sampled_from(list("ab c.,!\n\té😀_-'")) | st.characters(exclude_categories=("Cs",)),
    max_size=80,
)


@given(TEXT, TEXT, st.sampled_from([0, 3, 50, 4_000_000]))
def test_the_spans_join_back_to_both_texts(a: str, b: str, limit: int) -> None:
    spans = word_diff(a, b, limit)
    assert "".join(s.a for s in spans) == a
    assert "".join(s.b for s in spans) == b
    for s in spans:
        assert (s.op == "equal") == (s.a == s.b)
        assert s.op != "insert" or s.a == ""
        assert s.op != "delete" or s.b == ""
    assert "".join(tokens(a)) == a


FIGURE = st.none() | st.floats(0, 1000) | st.sampled_from([1.0, 2.0, math.nan])
ROWS = st.lists(
    st.builds(
        Row,
        key=st.text(max_size=3),
        ttft_ms=FIGURE,
        tokens_per_s=FIGURE,
        output_tokens=st.none() | st.integers(0, 10),
        cost_usd=FIGURE,
        outcome=st.sampled_from(["done", "failed", "stopped", "length", "tool_calls"]),
    ),
    max_size=6,
)


@given(ROWS)
def test_best_marks_are_exactly_the_best_values(rows: list[Row]) -> None:
    t = table(rows)
    for figure in FIGURES:
        if figure not in BETTER:
            assert not any(t.is_best(i, figure) for i in range(len(rows)))
            continue
        known = [(i, r.value(figure)) for i, r in enumerate(rows) if r.value(figure) is not None]
        eligible = [(i, v) for i, v in known if rows[i].outcome != "failed"]
        for i, row in enumerate(rows):
            v = row.value(figure)
            if not t.is_best(i, figure):
                continue
            assert v is not None and row.outcome != "failed"  # missing is never best
            for _, other in eligible:
                assert (v <= other) if BETTER[figure] == "low" else (v >= other)  # type: ignore[operator]
        # every row holding the best value is marked (ties), and one is when any is known
        if eligible:
            values = [v for _, v in eligible]
            top = min(values) if BETTER[figure] == "low" else max(values)  # type: ignore[type-var]
            assert t.best[figure] == {i for i, v in eligible if v == top}
        else:
            assert t.best[figure] == frozenset()
