"""Faults of the conversation state modes a tester found: a Conversation created partway
through holds the turns already answered (core/conversation_seed.py); deleting, running from
or forking at a message moves the reasoning items with their answer
(core/conversation_edits.py); a chain or Conversation with nothing new to send is an error,
and edits before the last answer are said not to reach the model (core/state_modes.py)."""

from __future__ import annotations

from typing import Any

import pytest

from playground.core import conversation_edits, conversation_seed, request, state_modes
from playground.core.parameters import Parameters
from playground.core.workspace import Message, Workspace


def _reasoning(n: int, sealed: bool = True) -> dict[str, Any]:
    item: dict[str, Any] = {"id": f"rs_{n}", "type": "reasoning", "summary": []}
    if sealed:
        item["encrypted_content"] = "gAAAAB" + "x" * 40
    return item


def _three_turns(sealed: bool = True, **kw: Any) -> Workspace:
    """Two answered turns (each with a reasoning item before its answer) and a third
    question, as the tester's tab had them."""
    return Workspace(
        model="gpt-6-luna",
        messages=[
            Message(content="First?"),
            Message(role="assistant", item=_reasoning(1, sealed)),
            Message(role="assistant", content="One.", response_id="resp_1"),
            Message(content="Second?"),
            Message(role="assistant", item=_reasoning(2, sealed)),
            Message(role="assistant", content="Two.", response_id="resp_2"),
            Message(content="Third?"),
        ],
        **kw,
    )


def test_a_conversation_made_partway_starts_with_the_answered_turns() -> None:
    seed = conversation_seed.seed(_three_turns(state="conversation"))
    assert seed.turns == 2
    assert [i.get("role") or i["type"] for i in seed.items] == [
        "user",
        "reasoning",
        "assistant",
        "user",
        "reasoning",
        "assistant",
    ]
    assert seed.items[0]["content"] == "First?" and seed.items[5]["content"] == "Two."
    assert not seed.findings
    assert "6 items of the 2 answered turns" in conversation_seed.summary(seed)
    # the third question is not in it: the run sends it
    assert all(i.get("content") != "Third?" for i in seed.items)


def test_reasoning_without_encrypted_content_is_left_out_of_the_seed_with_a_warning() -> None:
    seed = conversation_seed.seed(_three_turns(sealed=False))
    assert all(i.get("type") != "reasoning" for i in seed.items)
    (warning,) = seed.findings
    assert warning.severity == "warning" and "turns 1, 2" in warning.message


def test_a_fresh_tab_seeds_nothing() -> None:
    ws = Workspace(messages=[Message(content="Hi")])
    assert conversation_seed.seed(ws).items == []
    assert conversation_seed.summary(conversation_seed.seed(ws)) == ""


def test_deleting_an_answer_takes_its_reasoning_items_and_nothing_else() -> None:
    msgs = _three_turns().messages
    assert list(conversation_edits.with_reasoning(msgs, 5)) == [4, 5]
    assert list(conversation_edits.with_reasoning(msgs, 4)) == [4]  # the reasoning alone
    assert list(conversation_edits.with_reasoning(msgs, 3)) == [3]  # a user message
    with pytest.raises(IndexError):
        conversation_edits.with_reasoning(msgs, 9)


def test_after_deleting_an_answer_the_chain_sends_no_orphan_reasoning() -> None:
    ws = _three_turns(state="chain")
    gone = conversation_edits.with_reasoning(ws.messages, 5)
    kept = [m for i, m in enumerate(ws.messages) if i not in gone]
    body = request.build(ws.model_copy(update={"messages": kept})).body
    assert body["previous_response_id"] == "resp_1"
    assert [i.get("type", "message") for i in body["input"]] == ["message", "message"]


def test_run_from_and_fork_at_a_reasoning_item_do_not_end_on_it() -> None:
    ws = _three_turns()
    assert len(conversation_edits.keep_through(ws, 4).messages) == 4  # up to "Second?"
    assert len(conversation_edits.fork(ws, 4).messages) == 4
    assert len(conversation_edits.keep_through(ws, 5).messages) == 6  # the answer keeps it
    assert (
        len(
            conversation_edits.drop_last_answer(
                ws.model_copy(update={"messages": ws.messages[:6]})
            ).messages
        )
        == 4
    )


@pytest.mark.parametrize("state", ["chain", "conversation"])
def test_nothing_new_to_send_is_an_error(state: str) -> None:
    ws = _three_turns(state=state, conversation_id="conv_1")
    answered = ws.model_copy(update={"messages": ws.messages[:6]})
    built = request.build(answered)
    (error,) = [f for f in built.findings if f.code == state_modes.NOTHING_NEW]
    assert error.severity == "error" and "add a message" in error.message
    assert not [f for f in request.build(ws).findings if f.code == state_modes.NOTHING_NEW]


def test_everything_mode_has_no_nothing_new_error_nor_the_sent_note() -> None:
    ws = _three_turns()
    built = request.build(ws.model_copy(update={"messages": ws.messages[:6]}))
    codes = {f.code for f in built.findings}
    assert state_modes.NOTHING_NEW not in codes and state_modes.SENT_AS_SENT not in codes


@pytest.mark.parametrize("state", ["chain", "conversation"])
def test_a_chain_or_conversation_says_edits_before_the_last_answer_do_not_reach_it(
    state: str,
) -> None:
    # stored answers (reasoning by id): a chain goes on from them
    built = request.build(_three_turns(False, state=state, conversation_id="conv_1"))
    (note,) = [f for f in built.findings if f.code == state_modes.SENT_AS_SENT]
    assert "Send everything" in note.message
    fresh = Workspace(state=state, conversation_id="c", messages=[Message(content="Hi")])
    assert state_modes.SENT_AS_SENT not in {f.code for f in request.build(fresh).findings}


def test_chain_after_send_everything_goes_on_from_the_last_answer() -> None:
    """Answers made in Send everything with store on are stored with their whole input, so
    a chain from the last one holds every earlier turn: nothing is lost by switching."""
    ws = _three_turns(state="chain", params=Parameters(store=True))
    body = request.build(ws).body
    assert body["previous_response_id"] == "resp_2"
    assert body["input"] == "Third?" or body["input"][0]["content"] == "Third?"


def test_a_chain_cannot_start_from_an_answer_made_with_store_off() -> None:
    # its reasoning came back sealed: the app asks for that only with store off
    unstored = _three_turns(sealed=True, state="chain")
    codes = [f.code for f in request.build(unstored).findings if f.severity == "error"]
    assert "state.chain_from_unstored" in codes
    stored = _three_turns(sealed=False, state="chain")
    codes = [f.code for f in request.build(stored).findings if f.severity == "error"]
    assert "state.chain_from_unstored" not in codes
    assert request.build(stored).kwargs["previous_response_id"] == "resp_2"
