"""Pairing with Responses conversation state: a tool result may answer a call made in the
response that `previous_response_id` names (the workspace cannot see that call)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from playground.core.validation import validate
from playground.core.workspace import Message, Parameters, ToolCall, Workspace

CALL_IDS = st.from_regex(r"call_[A-Za-z0-9]{1,12}", fullmatch=True)


def unanswered_results(ws: Workspace) -> list[str]:
    return [f.path for f in validate(ws) if "answers no earlier tool call" in f.message]


def test_the_documented_continuation_is_valid() -> None:
    ws = Workspace(
        api="responses",
        params=Parameters(previous_response_id="resp_1"),
        messages=[Message(role="tool", tool_call_id="call_1", content='{"temp_c": 18}')],
    )
    assert [f for f in validate(ws) if f.severity == "error"] == []


@given(
    ids=st.lists(CALL_IDS, min_size=1, max_size=4, unique=True),
    then_user=st.booleans(),
    api=st.sampled_from(["responses", "chat"]),
    previous=st.sampled_from([None, "", "resp_abc"]),
)
def test_results_for_unseen_calls_need_a_previous_response(
    ids: list[str], then_user: bool, api: str, previous: str | None
) -> None:
    msgs = [Message(role="tool", tool_call_id=i, content="{}") for i in ids]
    msgs += [Message(content="And tomorrow?")] if then_user else []
    ws = Workspace(api=api, params=Parameters(previous_response_id=previous), messages=msgs)
    carried = api == "responses" and bool(previous)
    expected = [] if carried else [f"messages[{k}].tool_call_id" for k in range(len(ids))]
    assert unanswered_results(ws) == expected
    # calls this workspace makes itself are still checked, state or not
    call = ToolCall(id="call_own", name="f", arguments="{}")
    ws = ws.model_copy(update={"messages": [*msgs, Message(role="assistant", tool_calls=[call])]})
    assert any("call_own has no tool result yet" in f.message for f in validate(ws))


def test_a_result_after_an_item_reference_is_valid() -> None:
    """An imported `item_reference` stands for a stored item (perhaps the call): the result
    that follows it is the server's to check, as with previous_response_id."""
    from playground.core.importer import from_body

    body = {
        "model": "gpt-4o",
        "input": [
            {"type": "item_reference", "id": "fc_1"},
            {"type": "function_call_output", "call_id": "c1", "output": "1"},
        ],
    }
    assert unanswered_results(from_body(body).workspace) == []
    body["input"] = body["input"][1:]  # without the reference the result answers nothing
    assert unanswered_results(from_body(body).workspace) == ["messages[0].tool_call_id"]
