"""The local token estimate: what it reads of a built request, and that it only grows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from playground.core import request
from playground.core.token_estimate import PER_IMAGE, PER_MESSAGE, characters, estimate
from playground.core.workspace import Parameters, Workspace
from tests.core.strategies import workspaces


def test_it_reads_instructions_messages_calls_outputs_tools_and_images() -> None:
    kwargs = {
        "instructions": "abcd" * 5,
        "input": [
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "abcd" * 10},
                    {"type": "input_image", "image_url": "data:..."},
                ],
            },
            {"type": "function_call", "call_id": "c", "name": "abcd", "arguments": "abcdabcd"},
            {"type": "function_call_output", "call_id": "c", "output": "abcd" * 3},
        ],
        "tools": [{"type": "function", "name": "f"}],
    }
    tools = characters('[{"type":"function","name":"f"}]')
    assert estimate("responses", kwargs) == 5 + 10 + PER_IMAGE + 1 + 2 + 3 + tools + 4 * PER_MESSAGE
    chat = {
        "messages": [
            {"role": "system", "content": "abcd" * 5},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "c",
                        "type": "function",
                        "function": {"name": "abcd", "arguments": "abcdabcd"},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "c", "content": "abcd" * 3},
        ]
    }
    assert estimate("chat", chat) == 5 + 1 + 2 + 3 + 3 * PER_MESSAGE


@given(workspaces(), st.text(st.characters(categories=["L"]), min_size=4, max_size=50))
def test_more_text_never_estimates_fewer_tokens(ws: Workspace, more: str) -> None:
    ws = ws.model_copy(update={"params": Parameters()})  # text is what this is about
    before = estimate(ws.api, request.build(ws).kwargs)
    messages = [*ws.messages]
    if messages:
        last = messages[-1]
        messages[-1] = last.model_copy(update={"content": (last.content or "") + more})
    grown = ws.model_copy(update={"messages": messages, "instructions": ws.instructions + more})
    after = estimate(grown.api, request.build(grown).kwargs)
    assert after > before >= 0
