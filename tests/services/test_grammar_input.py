"""A custom tool's simulated input always matches its grammar (property tests), and the
editor's grammar check names the line of a mistake."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Lark

from playground.core.grammar import check
from playground.services.simulator.grammar_input import from_lark, from_regex, grammar_input

_ATOMS = st.sampled_from(
    ["a", "b", "x", r"\d", r"\w", r"\s", ".", "[a-f]", "[^0-9]", "[A-Z0-9_]", r"\.", "-", " "]
)
_QUANT = st.sampled_from(["", "", "?", "*", "+", "{2}", "{1,3}", "{0,2}", "*?", "+?"])


def _regex(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    seq = st.lists(children, min_size=1, max_size=4).map("".join)
    alt = st.lists(children, min_size=2, max_size=3).map(lambda xs: "(" + "|".join(xs) + ")")
    group = st.tuples(seq, _QUANT).map(lambda t: f"(?:{t[0]}){t[1]}")
    return seq | alt | group


REGEXES = st.recursive(st.tuples(_ATOMS, _QUANT).map("".join), _regex, max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(REGEXES, st.integers(0, 2**32))
def test_a_draw_from_a_regex_matches_it(pattern: str, seed: int) -> None:
    text = from_regex(pattern, random.Random(seed))
    assert text is not None
    assert re.fullmatch(pattern, text)


def test_backreferences_anchors_and_lookarounds() -> None:
    rng = random.Random(3)
    for pattern in (r"(ab|cd)-\1", r"^\d+$", r"(?=\d)\w{3}", r"\bword\b", r"(?i)HeLLo"):
        text = from_regex(pattern, rng)
        assert text is not None and re.fullmatch(pattern, text), pattern
    assert from_regex(r"(?=b)a", rng) is None  # no string matches


_TERMINALS = st.sampled_from(['"a"', '"bc"', "NUMBER", "WORD", '"("', '")"', '","'])


@st.composite
def lark_grammars(draw: st.DrawFn) -> str:
    """Small grammars: a start rule and up to three rules over literals, terminals, each
    other (recursion too), with ?, *, + and alternatives."""
    names = ["start"] + [f"r{i}" for i in range(draw(st.integers(0, 3)))]
    lines = []
    for i, name in enumerate(names):
        later = names[i + 1 :]  # a rule always has a way out: only later rules, or recursion
        alts = []
        for _ in range(draw(st.integers(1, 3))):
            items = draw(
                st.lists(_TERMINALS | st.sampled_from(later or ['"z"']), min_size=1, max_size=3)
            )
            ops = draw(st.lists(st.sampled_from(["", "?", "*", "+"]), min_size=len(items)))
            alts.append(
                " ".join(
                    f"{t}{o}" if o and t.startswith('"') else t
                    for t, o in zip(items, ops, strict=False)
                )
            )
        if draw(st.booleans()):
            alts.append(f'"[" {name} "]"')  # recursion
        lines.append(f"{name}: " + " | ".join(alts))
    lines += ["NUMBER: /[0-9]+/", "WORD: /[a-z]+/", '%ignore " "']
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(lark_grammars(), st.integers(0, 2**32))
def test_a_derivation_of_a_lark_grammar_parses(grammar: str, seed: int) -> None:
    text = from_lark(grammar, random.Random(seed))
    assert text is not None, grammar
    Lark(grammar).parse(text)


def test_the_same_request_gets_the_same_input() -> None:
    fmt = {"type": "grammar", "syntax": "regex", "definition": r"[a-z]{5,9}"}
    assert grammar_input(fmt, "q") == grammar_input(fmt, "q")
    assert grammar_input({"type": "text"}, "q") is None
    assert (
        grammar_input({"type": "grammar", "syntax": "lark", "definition": "start: ("}, "q") is None
    )


def test_grammar_problems_name_the_line() -> None:
    problem = check("lark", 'start: item+\nitem: "a" | thing\n')
    assert problem is not None and problem.line == 2
    assert "thing" in problem.describe() and problem.describe().startswith("line 2, column")
    problem = check("lark", 'start: "a" |\n  ( "b"')
    assert problem is not None and (problem.line, problem.column) == (2, 3)
    assert "start" in (check("lark", 'item: "a"') or problem).message
    problem = check("regex", "ab(c")
    assert problem is not None and "cannot be read" in problem.message and problem.column == 3
    assert check("regex", r"\d+") is None
    assert check("lark", 'start: "a"+') is None
    assert check("regex", "  ") is not None
