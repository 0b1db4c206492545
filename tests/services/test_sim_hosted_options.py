"""The simulator refuses the hosted-tool options the API refuses (the ones the editor
already warns about), with the API's 400 shape and the path in `param`."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from playground.core.hosted_options import bad_country, bad_size, transparent_jpeg
from playground.services.simulator import Simulator
from tests.conftest import run
from tests.services.sim_client import strict_client

SEARCH = {"type": "function", "name": "noop", "parameters": {"type": "object"}}


@pytest.mark.parametrize(
    ("tools", "param"),
    [
        (
            [
                SEARCH,
                {
                    "type": "web_search",
                    "user_location": {"type": "approximate", "country": "Germany"},
                },
            ],
            "tools[1].user_location.country",
        ),
        ([{"type": "image_generation", "size": "512 by 512"}], "tools[0].size"),
        (
            [{"type": "image_generation", "background": "transparent", "output_format": "jpeg"}],
            "tools[0].background",
        ),
    ],
    ids=["country", "size", "transparent jpeg"],
)
def test_an_option_the_api_refuses_is_refused(
    simulator: Simulator, tools: list[dict[str, Any]], param: str
) -> None:
    async def go() -> openai.BadRequestError:
        async with strict_client(simulator) as c:
            with pytest.raises(openai.BadRequestError) as info:
                await c.responses.create(model="gpt-4o-mini", input="Draw a cat", tools=tools)  # type: ignore[arg-type]
            return info.value

    err = run(go())
    assert err.status_code == 400
    assert err.param == param and err.code == "invalid_value"
    assert isinstance(err.body, dict) and err.body.get("type") == "invalid_request_error"


def test_options_the_api_takes_pass(simulator: Simulator) -> None:
    tools = [
        {"type": "web_search", "user_location": {"type": "approximate", "country": "DE"}},
        {"type": "image_generation", "size": "1024x1536", "background": "transparent"},
    ]

    async def go() -> str:
        async with strict_client(simulator) as c:
            done = await c.responses.create(model="gpt-4o-mini", input="Hi", tools=tools)  # type: ignore[arg-type]
            return done.status or ""

    assert run(go()) == "completed"


def test_the_rules_are_the_editors() -> None:
    assert bad_country("Germany") and not bad_country("DE") and not bad_country(None)
    assert bad_size("512 by 512") and not bad_size("auto") and not bad_size("1536x864")
    assert transparent_jpeg("transparent", "jpeg") and not transparent_jpeg("transparent", "webp")
