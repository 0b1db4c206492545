"""The state section's words: a Conversation not yet created holds nothing (no claim of
storage, no "nothing new to send"); a 404 id holds nothing either; counts agree in number;
the Create note's sentences start with a capital."""

from __future__ import annotations

from typing import Any

from playground.core import conversation_seed, request, state_modes
from playground.core.workspace import Message, Workspace


def _reasoning(n: int) -> dict[str, Any]:
    return {"id": f"rs_{n}", "type": "reasoning", "summary": []}  # no encrypted content


def _answered(turns: int, **kw: Any) -> Workspace:
    messages: list[Message] = []
    for n in range(1, turns + 1):
        messages += [
            Message(content=f"Question {n}"),
            Message(role="assistant", item=_reasoning(n)),
            Message(role="assistant", content=f"Answer {n}", response_id=f"resp_{n}"),
        ]
    return Workspace(messages=messages, **kw)


def _codes(ws: Workspace) -> set[str]:
    return {f.code for f in request.build(ws).findings}


def test_no_conversation_yet_stores_nothing_and_has_no_nothing_new() -> None:
    ws = _answered(2, state="conversation")
    where = state_modes.where_stored(ws)
    assert where.startswith("Nothing is stored on the server until a Conversation is created")
    assert "stored on the server, in the Conversation" not in where
    codes = _codes(ws)
    assert "state.no_conversation" in codes
    assert state_modes.NOTHING_NEW not in codes
    line = state_modes.chain_line(ws)
    assert line == "2 runs in this tab; a Conversation created now starts with their turns."


def test_once_a_conversation_exists_nothing_new_is_said_again() -> None:
    ws = _answered(1, state="conversation", conversation_id="conv_1")
    assert state_modes.NOTHING_NEW in _codes(ws)
    assert state_modes.where_stored(ws).startswith("The conversation's items are stored")
    line = state_modes.chain_line(ws)
    assert line.startswith("1 run in this tab;"), line


def test_a_conversation_the_server_has_not_is_not_said_to_store() -> None:
    ws = _answered(1, state="conversation", conversation_id="conv_madeup123")
    where = state_modes.where_stored(ws, missing=True)
    assert where == "Nothing is stored on the server: it has no Conversation conv_madeup123."


def test_the_create_note_reads_as_sentences() -> None:
    seed = conversation_seed.seed(_answered(3))
    note = conversation_seed.created_note("conv_9", seed)
    assert note.startswith("Created conv_9: it starts with the ")
    assert "of the 3 answered turns shown here; runs in this tab go into it. The Conversation" in (
        note
    )
    assert "reasoning of turns 1, 2, 3" in note and note.endswith(".")
    assert ". the" not in note and ".." not in note
    empty = conversation_seed.created_note("conv_0", conversation_seed.Seed())
    assert empty == "Created conv_0: runs in this tab go into it."
