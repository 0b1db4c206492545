"""Regenerate, run from a message, fork: the conversation edits and their undo in a Document."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core.conversation_edits import (
    drop_last_answer,
    fork,
    keep_through,
    last_answer_start,
)
from playground.core.document import Document
from playground.core.workspace import ROLES, Message, Parameters, ToolCall, Workspace
from tests.core.strategies import text, workspaces

messages = st.lists(
    st.builds(Message, role=st.sampled_from(ROLES), content=text), min_size=0, max_size=8
)


@st.composite
def conversations(draw: st.DrawFn) -> Workspace:
    """A workspace (tools, parameters, format...) with any sequence of roles in it."""
    ws = draw(workspaces())
    return ws.model_copy(update={"messages": draw(st.one_of(messages, st.just(ws.messages)))})


def _ws(*roles: str) -> Workspace:
    return Workspace(
        instructions="Be brief",
        params=Parameters(temperature=0.2),
        messages=[Message(role=r, content=f"{r} {i}") for i, r in enumerate(roles)],  # type: ignore[arg-type]
    )


def _roles(ws: Workspace) -> list[str]:
    return [m.role for m in ws.messages]


def test_regenerate_drops_the_answer_after_the_last_question() -> None:
    ws = _ws("system", "user", "assistant", "user", "assistant")
    assert _roles(drop_last_answer(ws)) == ["system", "user", "assistant", "user"]
    assert drop_last_answer(ws).instructions == "Be brief"
    assert drop_last_answer(ws).params.temperature == 0.2


def test_regenerate_after_a_tool_result_drops_only_the_final_answer() -> None:
    call = ToolCall(id="call_1", name="f")
    ws = Workspace(
        messages=[
            Message(role="user", content="q"),
            Message(role="assistant", tool_calls=[call]),
            Message(role="tool", tool_call_id="call_1", content="42"),
            Message(role="assistant", content="It is 42."),
        ]
    )
    assert _roles(drop_last_answer(ws)) == ["user", "assistant", "tool"]


def test_regenerate_drops_everything_after_the_last_question() -> None:
    ws = _ws("user", "assistant", "developer", "assistant")
    assert _roles(drop_last_answer(ws)) == ["user"]


def test_nothing_to_replace_leaves_the_workspace_as_it_is() -> None:
    for ws in (_ws(), _ws("user"), _ws("assistant"), _ws("user", "developer")):
        assert drop_last_answer(ws) is ws
        assert last_answer_start(_roles(ws)) is None


def test_keep_through_and_fork() -> None:
    ws = _ws("user", "assistant", "user", "assistant")
    assert _roles(keep_through(ws, 1)) == ["user", "assistant"]
    forked = fork(ws, 2)
    assert forked.messages == ws.messages[:3] and forked.instructions == ws.instructions
    assert forked.messages[0] is not ws.messages[0]  # nothing shared with the original tab
    for bad in (-1, 4):
        with pytest.raises(IndexError):
            keep_through(ws, bad)


@given(conversations())
def test_regenerate_never_leaves_an_answer_last(ws: Workspace) -> None:
    out = drop_last_answer(ws)
    asked = any(m.role in ("user", "tool") for m in ws.messages)
    if asked:
        assert not out.messages or out.messages[-1].role != "assistant"
        assert out.messages[-1].role in ("user", "tool") or out is ws
    else:
        assert out is ws
    assert out.messages == ws.messages[: len(out.messages)]  # only a tail is dropped
    assert out.model_copy(update={"messages": ws.messages}) == ws  # and nothing else changed


@given(conversations(), st.data())
def test_fork_keeps_exactly_the_messages_up_to_there(ws: Workspace, data: st.DataObject) -> None:
    if not ws.messages:
        with pytest.raises(IndexError):
            fork(ws, 0)
        return
    i = data.draw(st.integers(0, len(ws.messages) - 1))
    out = fork(ws, i)
    assert out.messages == ws.messages[: i + 1]
    assert out.model_copy(update={"messages": ws.messages}) == ws


@given(conversations(), st.data())
def test_each_edit_is_one_step_that_undo_takes_back(ws: Workspace, data: st.DataObject) -> None:
    edits = [("Regenerate", drop_last_answer(ws))]
    if ws.messages:
        i = data.draw(st.integers(0, len(ws.messages) - 1))
        edits.append((f"Run from message {i + 1}", keep_through(ws, i)))
    for label, edited in edits:
        doc = Document(ws)
        changed = doc.commit(edited, label)
        assert changed == (edited != ws)
        if changed:
            assert doc.workspace == edited and doc.undo_label == label
            assert doc.undo()
        assert doc.workspace == ws and not doc.dirty and not doc.undo()
