"""The state section's words when the server holds nothing: a tab whose answers were made
with store off, switched to Chain, is not shown a chain to go on from; the note that the
server holds the messages as they were sent (and the edit warnings) appear only where it
does hold them: a stored chain, or a Conversation that exists (edit warnings stay: creating
the Conversation is the remedy they name)."""

from __future__ import annotations

from typing import Any

from playground.core import request, sent_marks, state_modes
from playground.core.parameters import Parameters
from playground.core.reducer import AssistantTurn, append_turn
from playground.core.workspace import Message, Workspace

SEALED = {"type": "reasoning", "id": "rs_2", "summary": [], "encrypted_content": "gAAA"}


def _store_off_loop(**kw: Any) -> Workspace:
    """A store-off tool loop, as the window keeps it: two answered turns, the last one's
    reasoning with encrypted content (asked for only with store off)."""
    messages = [
        Message(content="Weather in Paris?"),
        Message(
            role="assistant",
            content="",
            response_id="resp_05",
            tool_calls=[{"id": "call_1", "name": "get_weather"}],
        ),
        Message(role="tool", content='{"c": 18}', tool_call_id="call_1"),
        Message(role="assistant", item=SEALED),
        Message(role="assistant", content="18 °C.", response_id="resp_09"),
        Message(content="And Rome?"),
    ]
    fields: dict[str, Any] = {"state": "chain", "params": Parameters(store=False)}
    return Workspace(messages=messages, **{**fields, **kw})


def _codes(ws: Workspace) -> set[str]:
    return {f.code for f in request.build(ws).findings}


def test_a_store_off_chain_is_not_shown_as_one_to_go_on_from() -> None:
    ws = _store_off_loop()
    line = state_modes.chain_line(ws)
    assert "cannot go on" in line and "resp_" not in line and "continues from" not in line
    assert "state.chain_unstored" in _codes(ws)
    assert state_modes.SENT_AS_SENT not in _codes(ws)
    assert "cannot go on" in state_modes.where_stored(ws)


def test_store_turned_on_after_a_store_off_answer_still_cannot_chain_from_it() -> None:
    ws = _store_off_loop(params=Parameters(store=True))
    line = state_modes.chain_line(ws)
    assert line.startswith("Chain: the last answer was made with store off")
    assert "resp_09" not in line
    assert "nothing of it is on the server" in state_modes.where_stored(ws)
    codes = _codes(ws)
    assert "state.chain_from_unstored" in codes and state_modes.SENT_AS_SENT not in codes


def test_a_stored_chain_lists_its_responses_and_says_what_the_server_holds() -> None:
    plain = [m for m in _store_off_loop().messages if m.item is None]
    ws = Workspace(state="chain", messages=plain)
    assert state_modes.chain_line(ws) == (
        "Chain: resp_05 → resp_09; the next run continues from resp_09."
    )
    assert state_modes.SENT_AS_SENT in _codes(ws)  # an older file: nothing recorded


def test_conversation_mode_before_a_conversation_exists_says_nothing_of_the_server() -> None:
    ws = Workspace(state="conversation", messages=[Message(content="Hi")])
    ws = append_turn(ws, AssistantTurn(text="Hello.", response_id="resp_1", finish_reason="stop"))
    first = ws.messages[0].model_copy(update={"content": "Hi there"})  # edited after sent
    edited = [first, *ws.messages[1:], Message(content="And?")]
    ws = ws.model_copy(update={"messages": edited})
    codes = _codes(ws)
    assert "state.no_conversation" in codes and state_modes.SENT_AS_SENT not in codes
    assert sent_marks.EDITED in codes  # flagged until a Conversation is made (as it is then)
    untracked = [m.model_copy(update={"sent_digest": None, "sent_prefix": None}) for m in edited]
    older = ws.model_copy(update={"messages": untracked})  # a file that records nothing
    assert state_modes.SENT_AS_SENT not in _codes(older)
    held = _codes(older.model_copy(update={"conversation_id": "conv_1"}))
    assert state_modes.SENT_AS_SENT in held  # the Conversation holds them as they were
