"""Property tests: streams drawn as real servers send them reduce to the turn they carry.

Each drawn stream is JSON text as a server writes it (lone surrogate halves as `\\ud83d`
escapes), parsed by json and built into the SDK's own types the way the lenient client does
(`construct_type`, which the SDK calls on every event), then folded by the real consumers and
the reducer. Drawn: text cut at any UTF-16 code unit (inside surrogate pairs and combining
sequences), tool calls with index, id, name and arguments randomly left out or blank, empty
preamble chunks, usage-only and annotation-only chunks; for Responses, events without item ids
or output indexes, calls never announced, text sent only whole.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openai._models import construct_type
from openai.types.chat import ChatCompletionChunk
from openai.types.responses import ResponseStreamEvent

from playground.core.reducer import AssistantTurn, reduce
from playground.services.consumers import ChatStreamConsumer, ResponsesStreamConsumer
from tests.services.sse_builders import USAGE, azure_preamble, chat_chunk, delta, response_obj

MARKS = ["\u0301", "\u0308", "\u094d", "\u200d", "\ufe0f", "\U0001f3fd"]  # combining, ZWJ, tone
ASTRAL = ["😀", "𝄞", "👍", "\U0001f1eb", "\U0001f1f7", "𠜎"]  # and regional indicators
chars = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(MARKS + ASTRAL + ["e", "क", " ", "\n"]),
)
texts = st.text(chars, max_size=40)
names = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
values = st.one_of(st.integers(-5, 5), texts, st.booleans())
arguments = st.dictionaries(names, values, max_size=3)


def units(text: str) -> list[str]:
    """The text as UTF-16 code units (an astral character is two surrogate halves)."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if code > 0xFFFF:
            code -= 0x10000
            out += [chr(0xD800 + (code >> 10)), chr(0xDC00 + (code & 0x3FF))]
        else:
            out.append(ch)
    return out


@st.composite
def cut(draw: st.DrawFn, text: str, min_pieces: int = 1) -> list[str]:
    """`text` in pieces cut at any code unit, possibly inside a surrogate pair."""
    u = units(text)
    points = sorted(draw(st.sets(st.integers(1, max(len(u) - 1, 1)), max_size=5)))
    points = [p for p in points if p < len(u)]
    bounds = [0, *points, len(u)]
    pieces = ["".join(u[a:b]) for a, b in itertools.pairwise(bounds)]
    return pieces if len(pieces) >= min_pieces else [*pieces, ""]


def as_server_sends(obj: dict[str, Any]) -> Any:
    return json.loads(json.dumps(obj))  # ensure_ascii: surrogate halves become escapes


@dataclass
class Call:
    call_id: str | None
    name: str
    args: dict[str, Any]


calls_drawn = st.lists(
    st.builds(
        Call,
        st.one_of(st.none(), st.from_regex(r"call_[A-Za-z0-9]{6}", fullmatch=True)),
        names,
        arguments,
    ),
    max_size=3,
    unique_by=lambda c: c.call_id or id(c),
)


def blank(draw: st.DrawFn, value: str) -> str | None:
    """What a later fragment carries for a field: nothing, "", or the same value again."""
    return draw(st.sampled_from([None, "", value]))


@st.composite
def chat_streams(draw: st.DrawFn) -> tuple[list[dict[str, Any]], str, list[Call], bool]:
    text = draw(texts)
    calls = draw(calls_drawn)
    indexed = draw(st.booleans())
    chunks: list[dict[str, Any]] = []
    if draw(st.booleans()):
        chunks.append(azure_preamble())
    chunks.append(chat_chunk([delta(role="assistant", content="")]))
    for piece in draw(cut(text)):
        if piece:
            chunks.append(chat_chunk([delta(content=piece)]))
        if draw(st.integers(0, 5)) == 0:  # an annotation or empty delta in between
            chunks.append(chat_chunk([delta()], annotations=[]))
    for i, c in enumerate(calls):
        body = json.dumps(c.args, ensure_ascii=False)
        pieces = draw(cut(body))
        for n, piece in enumerate(pieces):
            frag: dict[str, Any] = {"type": "function", "function": {}}
            if indexed:
                frag["index"] = i
            first = n == 0
            cid = (c.call_id if first else blank(draw, c.call_id or "")) or None
            if cid is not None or (c.call_id and first):
                frag["id"] = cid if cid is not None else c.call_id
            elif not first and draw(st.booleans()):
                frag["id"] = ""
            name = c.name if first else blank(draw, c.name)
            if name is not None:
                frag["function"]["name"] = name
            if piece or draw(st.booleans()):
                frag["function"]["arguments"] = piece
            chunks.append(chat_chunk([delta(tool_calls=[frag])]))
    reason = "tool_calls" if calls else "stop"
    chunks.append(chat_chunk([delta(reason)]))
    usage = draw(st.booleans())
    if usage:
        chunks.append(chat_chunk([], id="", model="", usage=USAGE))
    return chunks, text, calls, usage


def fold_chat(chunks: list[dict[str, Any]]) -> AssistantTurn:
    consumer = ChatStreamConsumer()
    events = []
    for chunk in chunks:
        events += consumer.feed(
            construct_type(type_=ChatCompletionChunk, value=as_server_sends(chunk))
        )
    return reduce(events + consumer.finish())


def expected_calls(calls: list[Call]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(c.call_id or f"call_{i}", c.name, c.args) for i, c in enumerate(calls)]


def got_calls(turn: AssistantTurn) -> list[tuple[str, str, Any]]:
    return [(c.call_id, c.name, c.parsed_arguments) for c in turn.tool_calls]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chat_streams())
def test_drawn_chat_streams_reduce_to_their_turn(
    drawn: tuple[list[dict[str, Any]], str, list[Call], bool],
) -> None:
    chunks, text, calls, usage = drawn
    turn = fold_chat(chunks)
    assert turn.failure is None
    assert turn.text == text  # exactly, joined, combining marks and all
    assert got_calls(turn) == expected_calls(calls)
    assert turn.model == "gpt-4o" and turn.response_id == "chatcmpl-real"
    assert (turn.usage is not None) == usage
    (turn.text + "".join(c.arguments for c in turn.tool_calls)).encode("utf-8")


@st.composite
def responses_streams(
    draw: st.DrawFn,
) -> tuple[list[dict[str, Any]], tuple[str, str], list[Call], bool]:
    text = draw(texts)
    summary = draw(texts)
    calls = draw(calls_drawn)
    length = draw(st.booleans())
    seq = iter(range(10_000))
    events: list[dict[str, Any]] = []

    def ev(kind: str, **fields: Any) -> None:
        events.append({"type": kind, "sequence_number": next(seq), **fields})

    created = response_obj("in_progress")
    if draw(st.booleans()):
        created.update(id="", model="")  # a server that says who it is only at the end
    ev("response.created", response=created)
    position = 0
    if summary:
        if draw(st.booleans()):
            for piece in draw(cut(summary)):
                ev(
                    "response.reasoning_summary_text.delta",
                    delta=piece,
                    item_id="rs_1",
                    output_index=0,
                    summary_index=0,
                )
        if draw(st.booleans()) or not summary_deltas(events):
            ev(
                "response.reasoning_summary_text.done",
                text=summary,
                item_id="rs_1",
                output_index=0,
                summary_index=0,
            )
        position += 1
    if text:
        if draw(st.booleans()):
            for piece in draw(cut(text)):
                loc: dict[str, Any] = {"content_index": 0}
                if draw(st.booleans()):
                    loc["output_index"] = position
                ev("response.output_text.delta", delta=piece, item_id="msg_1", **loc)
            if draw(st.booleans()):  # OpenAI repeats the whole text in the done event
                ev(
                    "response.output_text.done",
                    text=text,
                    item_id="msg_1",
                    output_index=position,
                    content_index=0,
                )
        else:  # the text only whole
            ev(
                "response.output_text.done",
                text=text,
                item_id="msg_1",
                output_index=position,
                content_index=0,
            )
        position += 1
    for i, c in enumerate(calls):
        cid = c.call_id or f"call_{i}"
        item_id = f"fc_{i}"
        body = json.dumps(c.args, ensure_ascii=False)
        announced = draw(st.booleans())
        closed = not announced or draw(st.booleans())
        if announced:
            item: dict[str, Any] = {
                "type": "function_call",
                "call_id": cid,
                "name": c.name,
                "arguments": "",
            }
            if draw(st.booleans()):
                item["id"] = item_id
            ev("response.output_item.added", output_index=position, item=item)
        for piece in draw(cut(body)):
            loc = {}
            if draw(st.booleans()) or not announced:
                loc["output_index"] = position
            if draw(st.booleans()):
                loc["item_id"] = item_id
            ev("response.function_call_arguments.delta", delta=piece, **loc)
        if draw(st.booleans()):
            ev("response.function_call_arguments.done", arguments=body, output_index=position)
        if closed:
            done = {"type": "function_call", "call_id": cid, "name": c.name, "arguments": body}
            ev("response.output_item.done", output_index=position, item=done)
        position += 1
    if length:
        final = response_obj("incomplete", incomplete_details={"reason": "max_output_tokens"})
    else:
        final = response_obj()
    ev("response.incomplete" if length else "response.completed", response=final)
    return events, (text, summary), calls, length


def summary_deltas(events: list[dict[str, Any]]) -> bool:
    return any(e["type"] == "response.reasoning_summary_text.delta" for e in events)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses_streams())
def test_drawn_responses_streams_reduce_to_their_turn(
    drawn: tuple[list[dict[str, Any]], tuple[str, str], list[Call], bool],
) -> None:
    events, (text, summary), calls, length = drawn
    consumer = ResponsesStreamConsumer()
    out = []
    for event in events:
        out += consumer.feed(
            construct_type(type_=ResponseStreamEvent, value=as_server_sends(event))
        )
    turn = reduce(out + consumer.finish())
    assert turn.failure is None
    assert turn.text == text and turn.reasoning_summary == summary
    assert got_calls(turn) == expected_calls(calls)
    assert turn.model == "gpt-4o" and turn.response_id == "resp_real"
    assert turn.stopped_at_limit == length
