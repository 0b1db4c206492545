"""Find in the conversation (core.find) and the code a code block's Copy button copies
(core.code_blocks)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from playground.core.code_blocks import fenced_code
from playground.core.find import Match, fields, find_in_conversation, find_in_text, fold
from playground.core.workspace import Message, TextPart, ToolCall
from tests.core.strategies import workspaces

CONVERSATION = [
    Message(role="system", content="Answer about the Weather."),
    Message(role="user", content="What is the weather in Paris? weather!"),
    Message(
        role="assistant",
        content="Let me look.",
        tool_calls=[ToolCall(id="call_1", name="get_weather", arguments='{"city": "Paris"}')],
    ),
    Message(role="tool", tool_call_id="call_1", content='{"weather": "sunny"}'),
    Message(role="developer", content=[TextPart(text="No WEATHER "), TextPart(text="jokes")]),
]


def test_every_kind_of_message_and_tool_call_is_searched() -> None:
    found = find_in_conversation("Report the weather.", CONVERSATION, "weather")
    assert found == [
        Match(None, "instructions", 11, 7),
        Match(0, "text", 17, 7),
        Match(1, "text", 12, 7),
        Match(1, "text", 30, 7),
        Match(2, "tool_calls[0].name", 4, 7),
        Match(3, "text", 2, 7),  # the tool's result
        Match(4, "text", 3, 7),  # parts joined
    ]


def test_matches_come_in_the_order_the_conversation_shows() -> None:
    found = find_in_conversation("a", CONVERSATION, "a")
    assert found == sorted(found, key=lambda m: m.place)
    # in one message: its text, then each call's name, then its arguments
    found = [m for m in find_in_conversation("", CONVERSATION, "t") if m.message == 2]
    assert [m.field for m in found] == ["text"] + ["tool_calls[0].name"] * 2 + [
        "tool_calls[0].arguments"
    ]
    places = [m.place for m in found]
    assert places == sorted(places) and len(set(places)) == len(places)


def test_match_case_finds_only_the_same_case() -> None:
    found = find_in_conversation("", CONVERSATION, "WEATHER", match_case=True)
    assert found == [Match(4, "text", 3, 7)]
    paris = find_in_conversation("", CONVERSATION, "paris", match_case=True)
    assert paris == []
    assert [(m.message, m.field) for m in find_in_conversation("", CONVERSATION, "paris")] == [
        (1, "text"),
        (2, "tool_calls[0].arguments"),
    ]


def test_an_empty_query_finds_nothing() -> None:
    assert find_in_conversation("text", CONVERSATION, "") == []
    assert find_in_text("abc", "") == []


def test_matches_do_not_overlap() -> None:
    assert find_in_text("aaaaa", "aa") == [(0, 2), (2, 2)]
    assert find_in_text("abABab", "ab") == [(0, 2), (2, 2), (4, 2)]


def test_a_character_whose_lowercase_is_two_keeps_the_places_right() -> None:
    # "İ".lower() is two characters: the places after it must still be the original's
    assert find_in_text("İstanbul Straße", "STRASSE") == []
    assert find_in_text("İstanbul Straße", "strasse") == []
    assert find_in_text("İstanbul Straße", "STRAßE") == [(9, 6)]
    assert find_in_text("İİ ab", "AB") == [(3, 2)]


def _same(a: str, b: str) -> bool:
    """Equal under the search's case-insensitivity, character by character."""
    return len(a) == len(b) and all(
        x == y or (len(x.lower()) == 1 and x.lower() == y.lower())
        for x, y in zip(a, b, strict=True)
    )


alphabet = st.sampled_from("aAbB İıß\u212a k")  # the Kelvin sign lowercases to "k"
small_text = st.text(alphabet, max_size=30)


@given(small_text, st.text(alphabet, min_size=1, max_size=3), st.booleans())
def test_every_match_is_the_query_and_none_is_missed(
    text: str, query: str, match_case: bool
) -> None:
    found = find_in_text(text, query, match_case)
    same = (lambda a, b: a == b) if match_case else _same
    for start, length in found:  # every match found is the query at that place
        assert length == len(query)
        assert same(text[start : start + length], query)
    starts = [s for s, _ in found]
    assert starts == sorted(starts)
    assert all(a + len(query) <= b for a, b in itertools.pairwise(starts))  # no overlap
    # an occurrence that is not a match overlaps one: none is missed
    for i in range(len(text) - len(query) + 1):
        if same(text[i : i + len(query)], query):
            assert any(s <= i < s + len(query) or i <= s < i + len(query) for s in starts)


@given(workspaces(), st.data())
def test_matches_in_drawn_workspaces_point_at_the_query(ws, data: st.DataObject) -> None:
    texts = [ws.instructions] + [msg.text for msg in ws.messages]
    source = data.draw(st.sampled_from(texts).filter(bool) | st.just("x"))
    start = data.draw(st.integers(0, len(source) - 1))
    query = source[start : start + data.draw(st.integers(1, 4))]  # a query that occurs
    found = find_in_conversation(ws.instructions, ws.messages, query)
    for m in found:
        if m.message is None:
            shown = ws.instructions
        else:
            shown = dict(fields(ws.messages[m.message]))[m.field]
        assert fold(shown[m.start : m.start + m.length]) == fold(query)
    if any(fold(query) in fold(t) for t in texts):
        assert found  # the text the query was drawn from is searched


def test_fenced_code_is_the_code_without_its_fences() -> None:
    text = (
        "Intro\n\n```python\nprint('a')\n\nx = 1\n```\n\nText\n~~~\nplain\n~~~~\n"
        "A paragraph then\n```js\nlet b\n```\n```\nnext to it\n```"
    )
    assert fenced_code(text) == ["print('a')\n\nx = 1", "plain", "let b", "next to it"]


def test_fenced_code_of_a_block_still_streaming() -> None:
    assert fenced_code("See:\n\n```py\ndef f():\n    return 1\n\n") == ["def f():\n    return 1"]
    assert fenced_code("no code, ```inline``` only") == []
    assert fenced_code("````\n```\ninner fence\n```\n````") == ["```\ninner fence\n```"]
