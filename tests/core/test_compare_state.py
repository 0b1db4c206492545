"""Compare's columns send the whole conversation whatever the tab's state mode, in the window
(core.compare.independent) and in the exported compare program; Compare's note says so."""

from __future__ import annotations

from playground.core import compare, request
from playground.core.codegen_compare import compare_python
from playground.core.workspace import Message, Variant, Workspace

TURNS = [
    Message(content="What is SSE?"),
    Message(role="assistant", content="Server-sent events.", response_id="resp_1"),
    Message(content="And WebSockets?"),
]


def _ws(state: str, **kw: object) -> Workspace:
    return Workspace(model="gpt-4o-mini", state=state, messages=TURNS, **kw)  # type: ignore[arg-type]


def test_a_column_of_a_chain_sends_the_whole_conversation() -> None:
    ws = _ws("chain")
    assert request.build(ws).body["previous_response_id"] == "resp_1"  # Run chains
    body = request.build(compare.independent(ws)).body
    assert "previous_response_id" not in body and len(body["input"]) == 3
    conv = _ws("conversation", conversation_id="conv_1")
    assert "conversation" not in request.build(compare.independent(conv)).body


def test_the_exported_compare_program_sends_the_whole_conversation() -> None:
    variants = [Variant(key="a"), Variant(key="b", overrides={"model": "gpt-6-luna"})]
    program = compare_python(_ws("chain"), variants)
    assert "previous_response_id" not in program and "And WebSockets?" in program
    assert "Server-sent events." in program


def test_the_note_is_said_only_when_the_mode_is_not_send_everything() -> None:
    assert compare.state_note(_ws("everything")) == ""
    assert compare.state_note(_ws("chain", api="chat")) == ""  # no state mode there
    note = compare.state_note(_ws("chain"))
    assert "whole conversation in each column" in note and "applies to Run" in note
