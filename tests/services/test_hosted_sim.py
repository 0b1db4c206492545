"""Hosted tools on the simulator, read by the real SDK in strict mode: each call item and its
events in the spec's order, results and sources only when `include` asks, citations whose
ranges cover their titles, a real PNG."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core import event_text, request
from playground.core.events import HostedProgress
from playground.core.importer import from_body
from playground.core.profiles import ProviderProfile
from playground.core.reducer import append_turn
from playground.core.workspace import Message, ToolChoice, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.simulator import Simulator
from tests.conftest import run
from tests.core.test_hosted_options import FULL
from tests.services.test_backend import turn_of
from tests.services.test_custom_tools_sim import client

KINDS = ("web_search", "file_search", "code_interpreter", "image_generation")
CHOICE = {"web_search": "web_search_preview"}  # spec ToolChoiceTypes names web search so


def body_for(kind: str, include: bool = True, **kw: Any) -> dict[str, Any]:
    """The app's request with only hosted tool `kind` on, forced by tool_choice."""
    b = FULL.model_copy(update={k: k == kind for k in KINDS}, deep=True)
    b.web_options.include_sources = include
    b.file_options.include_results = include
    b.file_options.score_threshold = None
    b.code_options.include_outputs = include
    ws = Workspace(
        model="gpt-4.1-mini",
        builtin_tools=b,
        tool_choice=ToolChoice(mode="hosted", hosted=kind),
        **kw,
    )
    body = request.build(ws).body
    body["input"] = "Please look into refunds"
    if kind == "web_search":  # tool_choice names web search by its preview type
        body["tool_choice"] = {"type": "web_search_preview"}
    return body


def decode_png(data: bytes) -> tuple[int, int]:
    """(width, height) of an 8-bit RGB PNG whose chunks' CRCs hold and whose pixel data
    inflates to exactly its rows; AssertionError otherwise."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        (crc,) = struct.unpack(">I", data[pos + 8 + n : pos + 12 + n])
        assert zlib.crc32(kind + body) == crc
        chunks[kind] = chunks.get(kind, b"") + body
        pos += 12 + n
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and colour == 2 and b"IEND" in chunks
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + 3 * width)
    return width, height


def stream(sim: Simulator, body: dict[str, Any]) -> list[Any]:
    async def go() -> list[Any]:
        async with client(sim) as c:
            s = await c.responses.create(**{**body, "stream": True})
            return [e async for e in s]

    return run(go())


def create(sim: Simulator, body: dict[str, Any]) -> Any:
    async def go() -> Any:
        async with client(sim) as c:
            return await c.responses.create(**{**body, "stream": False})

    return run(go())


ORDER = {
    "web_search": [
        "response.output_item.added",
        "response.web_search_call.in_progress",
        "response.web_search_call.searching",
        "response.web_search_call.completed",
        "response.output_item.done",
    ],
    "file_search": [
        "response.output_item.added",
        "response.file_search_call.in_progress",
        "response.file_search_call.searching",
        "response.file_search_call.completed",
        "response.output_item.done",
    ],
    "code_interpreter": [
        "response.output_item.added",
        "response.code_interpreter_call.in_progress",
        "response.code_interpreter_call_code.delta",
        "response.code_interpreter_call_code.done",
        "response.code_interpreter_call.interpreting",
        "response.code_interpreter_call.completed",
        "response.output_item.done",
    ],
    "image_generation": [
        "response.output_item.added",
        "response.image_generation_call.in_progress",
        "response.image_generation_call.generating",
        "response.image_generation_call.completed",
        "response.output_item.done",
    ],
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_forced_hosted_tool_streams_its_events_in_order(simulator: Simulator, kind: str) -> None:
    events = stream(simulator, body_for(kind))
    types = [e.type for e in events]
    call = [t for t in types[2 : types.index("response.output_item.done") + 1]]
    squeezed = [t for i, t in enumerate(call) if i == 0 or t != call[i - 1]]
    assert squeezed == ORDER[kind]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    final = events[-1].response
    assert final.output[0].type == f"{kind}_call" and final.output[1].type == "message"
    done = [e.item for e in events if e.type == "response.output_item.done"]
    assert [i.model_dump() for i in done] == [i.model_dump() for i in final.output]
    if kind == "code_interpreter":
        code = "".join(e.delta for e in events if e.type.endswith("_code.delta"))
        assert code == final.output[0].code and "print(" in code


def test_web_search_cites_its_sources_with_ranges_over_the_titles(simulator: Simulator) -> None:
    events = stream(simulator, body_for("web_search"))
    final = events[-1].response
    call, message = final.output
    assert call.action.query == "Please look into refunds"
    urls = [s.url for s in call.action.sources]
    assert all(u.startswith("https://example.org/") for u in urls)  # the allowed domain
    part = message.content[0]
    assert [a.url for a in part.annotations] == urls
    for a in part.annotations:
        assert part.text[a.start_index : a.end_index] == a.title
    added = [e for e in events if e.type == "response.output_text.annotation.added"]
    assert [e.annotation_index for e in added] == [0, 1]
    text_done = next(i for i, e in enumerate(events) if e.type == "response.output_text.done")
    assert all(events.index(e) < text_done for e in added)


def test_results_and_sources_come_only_when_include_asks(simulator: Simulator) -> None:
    web = create(simulator, body_for("web_search", include=False)).output[0]
    assert web.action.sources is None
    files = create(simulator, body_for("file_search", include=False)).output[0]
    assert files.results is None and files.queries == ["Please look into refunds"]
    code = create(simulator, body_for("code_interpreter", include=False)).output[0]
    assert code.outputs is None and code.container_id == "cntr_1"


def test_file_search_returns_scored_hits_from_the_canned_store(simulator: Simulator) -> None:
    out = create(simulator, body_for("file_search")).output
    hits = out[0].results
    assert 1 <= len(hits) <= 3 and hits[0].filename == "handbook.md"  # it names refunds
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    note = out[1].content[0].annotations[0]
    assert note.type == "file_citation" and note.file_id == hits[0].file_id


def test_code_outputs_and_the_generated_image_are_real_pngs(simulator: Simulator) -> None:
    code = create(simulator, body_for("code_interpreter")).output[0]
    logs, image = code.outputs
    assert logs.logs.strip().isdigit() and image.url.startswith("data:image/png;base64,")
    shot = create(simulator, body_for("image_generation")).output[0]
    assert decode_png(base64.b64decode(shot.result)) == (96, 96)
    assert decode_png(base64.b64decode(image.url.split(",", 1)[1])) == (32, 32)
    again = create(simulator, body_for("image_generation")).output[0]
    assert again.result == shot.result  # the same question draws the same image


def test_partial_images_stream_when_the_tool_asks(simulator: Simulator) -> None:
    body = body_for("image_generation")
    body["tools"] = [{"type": "image_generation", "partial_images": 2}]
    events = stream(simulator, body)
    partial = [e for e in events if e.type == "response.image_generation_call.partial_image"]
    assert [e.partial_image_index for e in partial] == [0, 1]


def test_auto_calls_a_hosted_tool_the_question_names_and_none_calls_nothing(
    simulator: Simulator,
) -> None:
    tools = [{"type": "web_search"}, {"type": "code_interpreter", "container": {"type": "auto"}}]
    base = {"model": "gpt-4.1-mini", "tools": tools}
    out = create(simulator, {**base, "input": "Write python for this"}).output
    assert out[0].type == "code_interpreter_call"
    out = create(simulator, {**base, "input": "Hello", "tool_choice": "required"}).output
    assert out[0].type == "web_search_call"
    out = create(simulator, {**base, "input": "search the web", "tool_choice": "none"}).output
    assert [o.type for o in out] == ["message"]


@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize("kind", KINDS)
def test_the_app_keeps_the_items_as_given_and_sends_them_back(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator, stream: bool, kind: str
) -> None:
    b = FULL.model_copy(update={k: k == kind for k in KINDS}, deep=True)
    ws = Workspace(
        model="gpt-4.1-mini",
        stream=stream,
        builtin_tools=b,
        tool_choice=ToolChoice(mode="hosted", hosted=CHOICE.get(kind, kind)),
        messages=[Message(content="Please look into refunds")],
    )
    turn, _ = turn_of(backend, ws, profile)
    wire = simulator.responses_output()
    after = append_turn(ws, turn)
    call, answer = after.messages[1:]
    assert call.item == wire[0]  # kept exactly as the server sent it
    if kind in ("web_search", "file_search"):
        assert answer.item == wire[1] and answer.text == wire[1]["content"][0]["text"]
    else:
        assert answer.item is None and answer.text == turn.text
    # the next turn sends them back as input items, and the server takes them
    follow = after.model_copy(
        update={"messages": [*after.messages, Message(content="Thanks")], "tool_choice": None}
    )
    body = request.build(follow).body
    assert body["input"][1] == wire[0]
    second, _ = turn_of(backend, follow, profile)
    assert second.complete and not second.items
    back = from_body(body).workspace
    # import gives the items back unchanged; the response id a turn ends with and what was
    # sent of each message are the app's own records (never sent), so the body cannot carry them
    assert after.messages[-1].response_id == turn.response_id
    own = {"response_id": None, "sent_digest": None, "sent_prefix": None}
    kept = [m.model_copy(update=own) for m in follow.messages]
    assert back.messages == kept


def test_each_hosted_event_reaches_the_raw_pane_as_progress(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    ws = Workspace(
        model="gpt-4.1-mini",
        builtin_tools=FULL.model_copy(update={k: k == "code_interpreter" for k in KINDS}),
        tool_choice=ToolChoice(mode="hosted", hosted="code_interpreter"),
        messages=[Message(content="Please look into refunds")],
    )
    _, events = turn_of(backend, ws, profile)
    shown = [e for e in events if isinstance(e, HostedProgress)]
    kinds = [e.kind for e in shown]
    assert kinds[0] == "response.code_interpreter_call.in_progress"
    assert kinds[-2:] == [
        "response.code_interpreter_call.interpreting",
        "response.code_interpreter_call.completed",
    ]
    code = "".join(e.detail for e in shown if e.kind.endswith("_code.delta"))
    assert "print(sum(values))" in code
    assert all(e.item_id.startswith("ci_") for e in shown)
    assert "code_interpreter_call.completed ci_" in event_text.summary(shown[-1])


def test_file_search_reads_the_vector_store_the_test_gives(simulator: Simulator) -> None:
    simulator.set_vector_store(
        [{"file_id": "file-x", "filename": "x.md", "text": "refunds in euros", "attributes": {}}]
    )
    out = create(simulator, body_for("file_search")).output
    assert [h.filename for h in out[0].results] == ["x.md"]
    simulator.reset()
    out = create(simulator, body_for("file_search")).output
    assert out[0].results[0].filename == "handbook.md"


@given(st.lists(st.text(alphabet="abcdefghij ", min_size=1, max_size=30), max_size=12))
def test_a_search_query_is_never_cut_inside_a_word(words: list[str]) -> None:
    from playground.services.simulator.hosted_calls import _query

    question = " ".join(words)
    query = _query(question)
    assert len(query) <= 80
    asked = question.split()
    said = query.split()
    if not asked:
        assert query == "query"
    elif " " in query:
        assert said == asked[: len(said)]
    else:  # one word: whole, or an over-long first word cut at the limit
        assert query == asked[0] or (len(asked[0]) > 80 and asked[0].startswith(query))
