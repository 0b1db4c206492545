"""The small settings the API validates, refused by the simulator with the param named,
and echoed in the response when accepted."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from playground.services.simulator import Simulator
from tests.conftest import run
from tests.services.sim_client import strict_client

BAD = [
    ({"safety_identifier": "u" * 65}, "safety_identifier", "string_above_max_length"),
    ({"safety_identifier": 7}, "safety_identifier", "invalid_type"),
    ({"prompt_cache_key": ["k"]}, "prompt_cache_key", "invalid_type"),
    ({"max_tool_calls": "3"}, "max_tool_calls", "invalid_type"),
    ({"truncation": "middle"}, "truncation", "invalid_value"),
    ({"parallel_tool_calls": "yes"}, "parallel_tool_calls", "invalid_type"),
    ({"service_tier": "turbo"}, "service_tier", "invalid_value"),
    ({"include": ["message.everything"]}, "include[0]", "invalid_value"),
    ({"conversation": 12}, "conversation", "invalid_type"),
]


@pytest.mark.parametrize(("extra", "param", "code"), BAD)
def test_out_of_range_settings_are_refused_with_the_param_named(
    simulator: Simulator, extra: dict[str, Any], param: str, code: str
) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            with pytest.raises(openai.BadRequestError) as info:
                await c.responses.create(model="gpt-4o-mini", input="Hi", extra_body=extra)
            assert info.value.param == param
            assert info.value.code == code

    run(go())


def test_accepted_settings_are_echoed(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            answer = await c.responses.create(
                model="gpt-4o-mini",
                input="Hi",
                safety_identifier="u" * 64,
                prompt_cache_key="tenant-7",
                max_tool_calls=2,
                truncation="auto",
                service_tier="flex",
                include=["message.output_text.logprobs"],
            )
            assert answer.safety_identifier == "u" * 64
            assert answer.prompt_cache_key == "tenant-7"
            assert answer.max_tool_calls == 2
            assert answer.truncation == "auto"
            assert answer.service_tier == "flex"

    run(go())
