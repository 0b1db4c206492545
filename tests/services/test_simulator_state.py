"""The simulator checks a continuation's call ids against its response store, as the API does."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.services.simulator import checks
from playground.services.simulator.protocol import SimError

IDS = st.sampled_from(["call_a", "call_b", "call_c", "call_d"])


def items(calls: list[str], outputs: list[str]) -> tuple[list[Any], list[Any]]:
    """(the stored response's context, this request's input)."""
    stored = [{"role": "user", "content": "Weather?"}]
    stored += [
        {"type": "function_call", "call_id": c, "name": "f", "arguments": "{}"} for c in calls
    ]
    new = [{"type": "function_call_output", "call_id": o, "output": "1"} for o in outputs]
    return stored, new


@given(
    calls=st.lists(IDS, min_size=1, max_size=3, unique=True),
    outputs=st.lists(IDS, min_size=0, max_size=3, unique=True),
)
def test_outputs_must_answer_exactly_the_stored_calls(calls: list[str], outputs: list[str]) -> None:
    stored, new = items(calls, outputs)
    stray = [o for o in outputs if o not in calls]
    missing = [c for c in calls if c not in outputs]
    if not stray and not missing:
        checks.check_responses_pairing(stored + new)
        return
    with pytest.raises(SimError) as info:
        checks.check_responses_pairing(stored + new)
    err = info.value.body()["error"]
    assert info.value.status == 400 and err["param"] == "input"
    assert err["type"] == "invalid_request_error"
    if stray:
        assert err["message"] == (
            f"No tool call found for function call output with call_id {stray[0]}."
        )
    else:
        assert err["message"] == f"No tool output found for function call {missing[0]}."
