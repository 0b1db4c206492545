"""Edits the server will not see (core/sent_marks.py): in a chain or a Conversation, a message
edited, inserted, deleted or moved before the last answer is a warning, where the message is;
Send everything (or a new Conversation) sends it all again and the warning goes. What was sent
is recorded on the messages and never sent itself."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core import request, sent_marks, state_modes
from playground.core.export import export
from playground.core.reducer import AssistantTurn, append_turn
from playground.core.workspace import FilePart, Message, TextPart, Workspace
from tests.core.strategies import workspaces


def _answered(state: str = "chain", **kw: Any) -> Workspace:
    """A first question answered (resp_1) by a run in `state`, and a second question."""
    ws = Workspace(
        model="gpt-6-luna",
        state=state,  # type: ignore[arg-type]
        conversation_id="conv_1" if state == "conversation" else None,
        messages=[
            Message(role="developer", content="Answer in one word."),
            Message(content="Capital of France?"),
        ],
        **kw,
    )
    after = append_turn(ws, AssistantTurn(text="Paris.", response_id="resp_1"))
    return _with(after, Message(content="And of Italy?"))


def _with(ws: Workspace, *more: Message) -> Workspace:
    return ws.model_copy(update={"messages": [*ws.messages, *more]})


def _edit(ws: Workspace, i: int, text: str) -> Workspace:
    messages = list(ws.messages)
    messages[i] = messages[i].model_copy(update={"content": text})
    return ws.model_copy(update={"messages": messages})


def _warnings(ws: Workspace) -> list[tuple[str, str]]:
    found = request.build(ws).findings
    return [(f.path, f.code) for f in found if f.code in (sent_marks.EDITED, sent_marks.RESHAPED)]


@pytest.mark.parametrize("state", ["chain", "conversation"])
def test_an_answer_records_what_was_sent_and_nothing_is_said_while_nothing_changed(
    state: str,
) -> None:
    ws = _answered(state)
    assert all(m.sent_digest for m in ws.messages[:3]) and ws.messages[3].sent_digest is None
    assert ws.messages[2].sent_prefix == sent_marks.prefix(ws.messages, 2)
    codes = {f.code for f in request.build(ws).findings}
    assert not codes & {sent_marks.EDITED, sent_marks.RESHAPED, state_modes.SENT_AS_SENT}


@pytest.mark.parametrize(
    ("state", "remedy"),
    [("chain", "Send everything"), ("conversation", "Create a new Conversation")],
)
def test_an_edited_message_before_the_last_answer_is_a_warning_at_that_message(
    state: str, remedy: str
) -> None:
    ws = _edit(_answered(state), 1, "Capital of Spain?")
    (warning,) = [f for f in request.build(ws).findings if f.code == sent_marks.EDITED]
    assert warning.path == "messages[1]" and warning.severity == "warning"
    assert "message 2 (user) was edited after it was sent" in warning.message
    assert "will not see the edit" in warning.message and remedy in warning.message
    # the run still sends only the new question: the edit does not reach the model
    assert [i["content"] for i in request.build(ws).body["input"]] == ["And of Italy?"]


def test_an_edited_answer_and_an_edit_undone_are_told_apart() -> None:
    ws = _answered()
    assert _warnings(_edit(ws, 2, "Rome.")) == [("messages[2]", sent_marks.EDITED)]
    assert _warnings(_edit(_edit(ws, 1, "x"), 1, "Capital of France?")) == []
    # the message after the last answer is sent as it is: editing it is not a warning
    assert _warnings(_edit(ws, 3, "And of Spain?")) == []


def test_inserted_deleted_and_moved_messages_are_one_warning_at_the_state() -> None:
    ws = _answered()
    inserted = ws.model_copy(update={"messages": [Message(content="Hi"), *ws.messages]})
    deleted = ws.model_copy(update={"messages": ws.messages[1:]})
    m = ws.messages
    moved = ws.model_copy(update={"messages": [m[1], m[0], *m[2:]]})
    for changed in (inserted, deleted, moved):
        assert _warnings(changed) == [("state", sent_marks.RESHAPED)]
    (note,) = [f for f in request.build(moved).findings if f.code == sent_marks.RESHAPED]
    assert "inserted, deleted or moved" in note.message and "Send everything" in note.message


def test_a_chained_run_keeps_the_warnings_and_send_everything_clears_them() -> None:
    edited = _edit(_answered(), 1, "Capital of Spain?")
    on = append_turn(edited, AssistantTurn(text="Rome.", response_id="resp_2"))
    assert _warnings(_with(on, Message(content="?"))) == [("messages[1]", sent_marks.EDITED)]
    # an inserted message is never on the server: the chain stays reshaped after a run
    inserted = _answered().model_copy(
        update={"messages": [Message(content="Hi"), *_answered().messages]}
    )
    on = append_turn(inserted, AssistantTurn(text="Rome.", response_id="resp_2"))
    assert on.messages[-1].sent_prefix == sent_marks.DIVERGED
    assert _warnings(_with(on, Message(content="?"))) == [("state", sent_marks.RESHAPED)]
    # Send everything sends them all as they are now
    for changed in (edited, inserted):
        everything = changed.model_copy(update={"state": "everything"})
        after = append_turn(everything, AssistantTurn(text="Madrid.", response_id="resp_3"))
        chained = _with(after, Message(content="?")).model_copy(update={"state": "chain"})
        assert _warnings(chained) == []
        assert request.build(chained).body["previous_response_id"] == "resp_3"


def test_a_new_conversation_seeded_with_the_turns_holds_them_as_they_are() -> None:
    edited = _edit(_answered("conversation"), 1, "Capital of Spain?")
    assert _warnings(edited) == [("messages[1]", sent_marks.EDITED)]
    assert _warnings(sent_marks.seeded(edited, edited)) == []


def test_a_variable_changed_in_a_sent_message_is_an_edit() -> None:
    ws = Workspace(
        state="chain",
        variables={"country": "France"},
        messages=[Message(content="Capital of {{country}}?")],
    )
    after = _with(
        append_turn(ws, AssistantTurn(text="Paris.", response_id="resp_1")), Message(content="?")
    )
    assert _warnings(after) == []
    spain = after.model_copy(update={"variables": {"country": "Spain"}})
    assert _warnings(spain) == [("messages[0]", sent_marks.EDITED)]


def test_uploading_a_file_that_was_sent_is_not_an_edit() -> None:
    part = FilePart(path="/tmp/report.pdf", upload=True)
    ws = Workspace(state="chain", messages=[Message(content=[TextPart(text="Sum up"), part])])
    after = append_turn(ws, AssistantTurn(text="It says…", response_id="resp_1"))
    sent = part.model_copy(
        update={"file_id": "file_1", "filename": "report.pdf", "uploaded_to": "OpenAI"}
    )
    uploaded = after.model_copy(
        update={
            "messages": [
                after.messages[0].model_copy(update={"content": [TextPart(text="Sum up"), sent]}),
                after.messages[1],
                Message(content="?"),
            ]
        }
    )
    assert _warnings(uploaded) == []


def test_an_older_file_without_records_is_not_reported_and_keeps_the_general_note() -> None:
    ws = Workspace.model_validate(
        {
            "schema_version": 9,
            "state": "chain",
            "messages": [
                {"role": "user", "content": "Capital of Spain?"},
                {"role": "assistant", "content": "Paris.", "response_id": "resp_1"},
                {"role": "user", "content": "?"},
            ],
        }
    )
    codes = {f.code for f in request.build(ws).findings}
    assert state_modes.SENT_AS_SENT in codes and sent_marks.EDITED not in codes
    # a chained run from it records what it sends from then on, and nothing is reported
    after = append_turn(ws, AssistantTurn(text="Rome.", response_id="resp_2"))
    assert after.messages[0].sent_digest is None and after.messages[2].sent_digest
    assert _warnings(_with(after, Message(content="??"))) == []


@pytest.mark.parametrize("api", ["responses", "chat"])
@pytest.mark.parametrize("state", ["everything", "chain", "conversation"])
def test_the_records_are_never_sent_nor_exported(api: str, state: str) -> None:
    ws = _answered(state).model_copy(update={"api": api})
    marks = {m.sent_digest for m in ws.messages if m.sent_digest}
    marks |= {m.sent_prefix for m in ws.messages if m.sent_prefix}
    assert len(marks) == 4
    said = json.dumps(request.build(ws).body)
    said += "".join(export(ws, fmt) for fmt in ("json", "curl", "python", "python-sync"))
    assert "sent_digest" not in said and "sent_prefix" not in said
    assert not [m for m in marks if m in said]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces(), st.data())
def test_one_edit_after_stamping_is_exactly_one_warning_at_that_message(
    ws: Workspace, data: st.DataObject
) -> None:
    ws = ws.model_copy(update={"api": "responses", "state": "chain"})
    answered = append_turn(ws, AssistantTurn(text="Done.", response_id="resp_1"))
    ready = _with(answered, Message(content="Next?"))
    assert _warnings(ready) == []
    at = len(answered.messages) - 1
    i = data.draw(st.integers(0, at), label="edited message")
    edited = _edit(ready, i, ready.messages[i].text + " (edited)")
    assert _warnings(edited) == [(f"messages[{i}]", sent_marks.EDITED)]
