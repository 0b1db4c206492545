"""What each conversation state mode sends (core/state_modes.py through the request builder),
how reasoning items are shown (never their encrypted content), and the import/export round
trips of state."""

from __future__ import annotations

import json
from typing import Any

from playground.core import reasoning_items, request, state_modes
from playground.core.export import export
from playground.core.importer import from_body
from playground.core.parameters import Parameters
from playground.core.workspace import Message, ToolCall, Workspace

TOKEN = "gAAAAB" + "x" * 90
REASONING = {
    "id": "rs_1",
    "type": "reasoning",
    "summary": [{"type": "summary_text", "text": "**Checking the city**\n\nParis it is."}],
    "encrypted_content": TOKEN,
}
CALL = ToolCall(id="call_1", name="get_weather", arguments='{"city": "Paris"}')


def _loop(**kw: Any) -> Workspace:
    """A reasoning model's tool loop so far: question, reasoning, call (resp_1), output."""
    fields: dict[str, Any] = {
        "model": "gpt-6-luna",
        "messages": [
            Message(content="Weather in Paris?"),
            Message(role="assistant", item=dict(REASONING)),
            Message(role="assistant", tool_calls=[CALL], response_id="resp_1"),
            Message(role="tool", tool_call_id="call_1", content='{"temp_c": 18}'),
        ],
    }
    return Workspace(**{**fields, **kw})


def _codes(built: request.BuiltRequest) -> set[str]:
    return {f.code for f in built.findings if f.code}


def test_everything_sends_reasoning_back_and_asks_for_encrypted_content_without_store() -> None:
    built = request.build(_loop(params=Parameters(store=False)))
    kinds = [i.get("type", "message") for i in built.body["input"]]
    assert kinds == ["message", "reasoning", "function_call", "function_call_output"]
    assert built.body["input"][1] == REASONING  # exactly as the server gave it
    assert built.body["include"] == ["reasoning.encrypted_content"]
    assert "previous_response_id" not in built.body


def test_everything_asks_for_nothing_more_when_stored_or_when_the_model_does_not_reason() -> None:
    assert "include" not in request.build(_loop()).body
    assert (
        "include" not in request.build(_loop(model="gpt-4.1", params=Parameters(store=False))).body
    )


def test_a_reasoning_item_without_encrypted_content_is_left_out_when_store_is_off() -> None:
    bare = {k: v for k, v in REASONING.items() if k != "encrypted_content"}
    ws = _loop(params=Parameters(store=False))
    ws.messages[1] = Message(role="assistant", item=bare)
    built = request.build(ws)
    assert all(i.get("type") != "reasoning" for i in built.body["input"])
    assert any("rs_1 has no encrypted content" in f.message for f in built.findings)
    assert request.build(ws.model_copy(update={"params": Parameters()})).body["input"][1] == bare


def test_a_chain_sends_the_last_response_id_and_only_the_items_after_it() -> None:
    built = request.build(_loop(state="chain"))
    assert built.body["previous_response_id"] == "resp_1"
    assert built.body["input"] == [
        {"type": "function_call_output", "call_id": "call_1", "output": '{"temp_c": 18}'}
    ]
    first = request.build(_loop(state="chain", messages=[Message(content="Hi")]))
    assert "previous_response_id" not in first.body and len(first.body["input"]) == 1


def test_a_chain_needs_stored_responses() -> None:
    built = request.build(_loop(state="chain", params=Parameters(store=False)))
    assert "state.chain_unstored" in _codes(built)


def test_a_chain_continues_from_its_own_answer_not_from_a_typed_id() -> None:
    ws = _loop(state="chain", params=Parameters(previous_response_id="resp_0"))
    built = request.build(ws)
    assert built.body["previous_response_id"] == "resp_1"
    start = ws.model_copy(update={"messages": [Message(content="Hi")]})
    assert request.build(start).body["previous_response_id"] == "resp_0"  # the chain's start


def test_a_custom_tool_output_after_the_chain_point_keeps_its_kind() -> None:
    custom = ToolCall(id="call_c", name="shell", arguments="ls", kind="custom")
    ws = Workspace(
        state="chain",
        messages=[
            Message(content="List"),
            Message(role="assistant", tool_calls=[custom], response_id="resp_9"),
            Message(role="tool", tool_call_id="call_c", content="a.txt"),
        ],
    )
    assert request.build(ws).body["input"][0]["type"] == "custom_tool_call_output"


def test_a_conversation_sends_its_id_and_only_the_new_items() -> None:
    built = request.build(_loop(state="conversation", conversation_id="conv_7"))
    assert built.body["conversation"] == "conv_7" and len(built.body["input"]) == 1
    missing = request.build(_loop(state="conversation"))
    assert "state.no_conversation" in _codes(missing) and "conversation" not in missing.body
    both = _loop(
        state="conversation",
        conversation_id="conv_7",
        params=Parameters(previous_response_id="resp_0"),
    )
    assert "previous_response_id" not in request.build(both).body  # the API refuses both


def test_chat_sends_everything_and_no_reasoning_items() -> None:
    built = request.build(_loop(api="chat", state="chain", model="gpt-4.1"))
    assert "previous_response_id" not in built.body
    assert all(m.get("type") != "reasoning" for m in built.body["messages"])
    assert any(f.path == "state" for f in built.findings)


def test_encrypted_content_is_shown_by_its_length_only() -> None:
    body = request.build(_loop(params=Parameters(store=False))).body
    shown = json.dumps(reasoning_items.masked(body))
    assert TOKEN not in shown and f"<encrypted, {len(TOKEN)} chars>" in shown
    assert body["input"][1]["encrypted_content"] == TOKEN  # what is sent is unchanged
    line = reasoning_items.headline(REASONING)
    assert line == f"Reasoning: Checking the city  ·  encrypted content, {len(TOKEN)} chars"
    assert state_modes.item_line(REASONING) == line
    assert reasoning_items.summary_text(REASONING) == "**Checking the city**\n\nParis it is."


def test_state_survives_import_and_json_export() -> None:
    ws = _loop(state="conversation", conversation_id="conv_7", params=Parameters(store=False))
    body = json.loads(export(ws, "json"))
    back = from_body(body).workspace
    assert back.state == "conversation" and back.conversation_id == "conv_7"
    assert back.extra_body is None and request.build(back).body == body
    everything = _loop(params=Parameters(store=False))
    body = json.loads(export(everything, "json"))
    again = from_body(body).workspace
    assert again.messages[1].item == REASONING  # kept as given, encrypted content and all
    assert request.build(again).body == body


def test_the_chain_and_where_it_is_kept_in_words() -> None:
    ws = _loop(state="chain")
    assert state_modes.chain(ws.messages) == ["resp_1"]
    # its reasoning came with encrypted content: made with store off, so nothing is stored
    assert "nothing of it is on the server" in state_modes.where_stored(ws)
    by_id = {k: v for k, v in REASONING.items() if k != "encrypted_content"}
    stored = [m.model_copy(update={"item": by_id}) if m.item else m for m in ws.messages]
    assert "stored on the server" in state_modes.where_stored(
        ws.model_copy(update={"messages": stored})
    )
    off = ws.model_copy(update={"params": Parameters(store=False)})
    assert "cannot go on" in state_modes.where_stored(off)
