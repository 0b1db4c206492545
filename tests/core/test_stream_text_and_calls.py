"""core/text.py (surrogate halves joined) and core/calls.py (the rule for tool-call fragments)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from playground.core.calls import ChatCallAssembler
from playground.core.events import TextDelta
from playground.core.reducer import reduce
from playground.core.text import SurrogateJoiner, scrub

code_units = st.lists(
    st.one_of(st.characters(max_codepoint=0xFFFF), st.sampled_from(["\ud83d", "\ude00", "\udbff"])),
    max_size=30,
)


def halves(text: str) -> list[str]:
    out: list[str] = []
    for ch in text:
        c = ord(ch)
        out += (
            [ch]
            if c <= 0xFFFF
            else [chr(0xD800 + ((c - 0x10000) >> 10)), chr(0xDC00 + (c & 0x3FF))]
        )
    return out


@given(st.text(), st.lists(st.integers(0, 60), max_size=6))
def test_text_cut_at_any_code_unit_joins_back(text: str, cuts: list[int]) -> None:
    units = halves(text)
    bounds = sorted({0, len(units), *(c for c in cuts if c < len(units))})
    joiner = SurrogateJoiner()
    shown = [joiner.feed("".join(units[a:b])) for a, b in itertools.pairwise(bounds)]
    assert "".join(shown) + joiner.flush() == text
    assert (
        reduce([TextDelta("".join(units[a:b])) for a, b in itertools.pairwise(bounds)]).text == text
    )


@given(st.lists(code_units, max_size=5))
def test_any_code_units_give_text_that_encodes(pieces: list[list[str]]) -> None:
    joiner = SurrogateJoiner()
    out = "".join(joiner.feed("".join(p)) for p in pieces) + joiner.flush()
    out.encode("utf-8")  # never raises: lone halves became U+FFFD
    assert scrub(out) == out


def test_a_lone_half_at_the_end_is_a_replacement_character() -> None:
    joiner = SurrogateJoiner()
    assert joiner.feed("ok \ud83d") == "ok "
    assert joiner.flush() == "\ufffd"
    assert scrub("\ude00a\ud83d\ude00") == "\ufffda😀"


def calls_of(
    fragments: list[tuple[int | None, str | None, str | None, object]],
) -> list[tuple[str, str, str]]:
    asm = ChatCallAssembler()
    events = [e for f in fragments for e in asm.fragment(*f)] + asm.finish()
    return [(c.call_id, c.name, c.arguments) for c in reduce(events).tool_calls]


def test_the_fragment_rule() -> None:
    # Ollama: whole calls, no index
    assert calls_of([(None, "a", "f", '{"x":1}'), (None, "b", "g", "{}")]) == [
        ("a", "f", '{"x":1}'),
        ("b", "g", "{}"),
    ]
    # no ids: a new name, or the same name with arguments after complete ones, is a new call
    assert calls_of(
        [(None, None, "f", "{}"), (None, None, "f", '{"y":2}'), (None, None, "g", None)]
    ) == [
        ("call_0", "f", "{}"),
        ("call_1", "f", '{"y":2}'),
        ("call_2", "g", ""),
    ]
    # a late id for a call still being written is that call's id
    assert calls_of([(None, None, "f", '{"a"'), (None, "late", None, ":1}")]) == [
        ("late", "f", '{"a":1}')
    ]
    # blank and repeated fields on later fragments change nothing; arguments as an object
    assert calls_of(
        [(0, "c", "f", ""), (0, "", "", '{"q":'), (0, "c", "f", '"v"}'), (1, None, "g", {"k": 1})]
    ) == [
        ("c", "f", '{"q":"v"}'),
        ("call_1", "g", '{"k": 1}'),
    ]
    # a server that numbers every call 0, with ids
    assert calls_of([(0, "a", "f", "{}"), (0, "b", "f", "{}")]) == [
        ("a", "f", "{}"),
        ("b", "f", "{}"),
    ]
