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


def test_an_evaluation_cell_sends_the_whole_conversation() -> None:
    """Evaluate's cells (and Batch lines) are requests of their own too: a chain or a
    Conversation tab's cells neither chain from its last answer nor share its Conversation,
    in the app (cell_workspace) and in the exported evaluation program."""
    from playground.core.batch_requests import cell_workspace, lines_for
    from playground.core.codegen_eval import eval_python
    from playground.core.evaluation_spec import TestRow

    row = TestRow(id="r1", values={})
    for ws in (_ws("chain"), _ws("conversation", conversation_id="conv_1")):
        body = request.build(cell_workspace(ws, row)).body
        assert "previous_response_id" not in body and "conversation" not in body
        assert len(body["input"]) == 3  # every turn, the answered one too
        (line,) = lines_for(ws, [], [row], "eval_1")
        assert "previous_response_id" not in line.body and "conversation" not in line.body
        program = eval_python(ws, [], [row], [])
        assert "previous_response_id" not in program and "conv_1" not in program
        assert "Server-sent events." in program
