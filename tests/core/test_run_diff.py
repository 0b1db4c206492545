"""The parameter table of two runs' compare: exactly the parameters that differ."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.run_diff import Difference, flatten, parameter_diff


def test_the_parameters_that_differ_and_only_those() -> None:
    left = {
        "model": "gpt-4o",
        "temperature": 0.2,
        "reasoning": {"effort": "low", "summary": "auto"},
        "input": [{"role": "user", "content": "hi"}],
        "store": True,
    }
    right = {
        "model": "gpt-4o",
        "temperature": 0.9,
        "reasoning": {"effort": "high", "summary": "auto"},
        "input": [{"role": "user", "content": "hi"}, {"role": "user", "content": "more"}],
        "top_p": 1,
        "store": 1,
    }
    assert parameter_diff(left, right) == [
        Difference("input (item 2 differs)", "1 item", "2 items; item 2: user: “more”"),
        Difference("reasoning.effort", "low", "high"),
        Difference("store", "true", "1"),
        Difference("temperature", "0.2", "0.9"),
        Difference("top_p", None, "1"),
    ]


def test_a_long_value_is_cut() -> None:
    (row,) = parameter_diff({"instructions": "x" * 500}, {"instructions": "y"})
    assert row.left is not None and len(row.left) == 200 and row.left.endswith("…")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text("ab", max_size=2), inner, max_size=3)
    ),
    max_leaves=8,
)
requests = st.dictionaries(
    st.sampled_from(["model", "temperature", "text", "input", "x"]), json_values, max_size=5
)


@given(left=requests, right=requests)
@settings(max_examples=200)
def test_the_rows_name_exactly_the_paths_that_differ(
    left: dict[str, Any], right: dict[str, Any]
) -> None:
    rows = parameter_diff(left, right)
    a, b = flatten(left), flatten(right)
    differing = {
        k
        for k in a.keys() | b.keys()
        if a.get(k, ...) != b.get(k, ...) or type(a.get(k, ...)) is not type(b.get(k, ...))
    }
    assert {r.name.split(" (item")[0] for r in rows} == differing
    assert parameter_diff(left, left) == []
    swapped = parameter_diff(right, left)
    assert [(r.left, r.right) for r in swapped] == [(r.right, r.left) for r in rows]


def test_the_differing_message_is_shown_not_only_counted() -> None:
    # "input (item 1 differs) | 1 item | 1 item" told nothing of what differed
    rows = parameter_diff(
        {"input": [{"role": "user", "content": [{"type": "input_text", "text": "Where?"}]}]},
        {"input": [{"role": "user", "content": "Why?"}]},
    )
    assert rows == [
        Difference(
            "input (item 1 differs)",
            "1 item; item 1: user: “Where?”",
            "1 item; item 1: user: “Why?”",
        )
    ]
