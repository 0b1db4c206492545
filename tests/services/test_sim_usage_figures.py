"""The simulator's usage figures add up the way the API's do: reasoning tokens are part of the
output tokens (also when the model calls a tool), images and the text of input files count
as input tokens (and POST /responses/input_tokens says the same number), and the settings a
user tunes are named among the parameters that took effect."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from playground.services.simulator import Simulator
from playground.services.simulator.image_tokens import HIGH_DETAIL_TOKENS, LOW_DETAIL_TOKENS
from tests.conftest import run
from tests.services.sim_client import WEATHER_TOOL, strict_client, tiny_pdf

# a 1x1 PNG
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
    "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
WEATHER = WEATHER_TOOL


@pytest.mark.parametrize("with_tool", [False, True], ids=["answer", "tool call"])
def test_reasoning_tokens_are_part_of_the_output_tokens(
    simulator: Simulator, with_tool: bool
) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            kwargs: dict[str, Any] = {"tools": [WEATHER], "tool_choice": "required"}
            r = await c.responses.create(
                model="gpt-6-luna",
                input="What is the weather in Paris?",
                **(kwargs if with_tool else {}),
            )
            assert r.usage is not None
            reasoning = r.usage.output_tokens_details.reasoning_tokens
            assert reasoning > 0
            assert r.usage.output_tokens > reasoning  # the call or the text costs tokens too
            assert r.usage.total_tokens == r.usage.input_tokens + r.usage.output_tokens
            assert any(i.type == "function_call" for i in r.output) == with_tool

    run(go())


def _ask(*parts: dict[str, Any]) -> list[Any]:
    return [{"role": "user", "content": [{"type": "input_text", "text": "Look."}, *parts]}]


def _input_tokens(simulator: Simulator, inp: list[Any]) -> tuple[int, int]:
    """(usage input tokens, the count endpoint's input tokens) for `inp`."""

    async def go() -> tuple[int, int]:
        async with strict_client(simulator) as c:
            r = await c.responses.create(model="gpt-4o-mini", input=inp)
            counted = await c.responses.input_tokens.count(model="gpt-4o-mini", input=inp)
            assert r.usage is not None
            return r.usage.input_tokens, counted.input_tokens

    return run(go())


def test_images_count_as_input_tokens_by_their_detail(simulator: Simulator) -> None:
    bare, bare_count = _input_tokens(simulator, _ask())
    low, low_count = _input_tokens(
        simulator, _ask({"type": "input_image", "image_url": PIXEL, "detail": "low"})
    )
    high, high_count = _input_tokens(
        simulator, _ask({"type": "input_image", "image_url": PIXEL, "detail": "high"})
    )
    assert (bare, low, high) == (bare_count, low_count, high_count)
    # the text part is the same, so the difference is the image (give or take its "[image]")
    assert low - bare >= LOW_DETAIL_TOKENS and high - low == HIGH_DETAIL_TOKENS - LOW_DETAIL_TOKENS


def test_chat_images_count_as_input_tokens(simulator: Simulator) -> None:
    async def tokens(detail: str | None) -> int:
        image: dict[str, Any] = {"url": PIXEL, **({"detail": detail} if detail else {})}
        async with strict_client(simulator) as c:
            r = await c.chat.completions.create(
                model="gpt-4o-mini",
                messages=[
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "Look."},
                            {"type": "image_url", "image_url": image},
                        ],
                    }
                ],
            )
            assert r.usage is not None
            return r.usage.prompt_tokens

    low, auto = run(tokens("low")), run(tokens(None))
    assert auto - low == HIGH_DETAIL_TOKENS - LOW_DETAIL_TOKENS


def test_the_text_of_an_input_file_counts_as_input_tokens(simulator: Simulator) -> None:
    words = " ".join(f"otter{i}" for i in range(200))
    pdf = tiny_pdf(words[:90], words[90:180])
    data = f"data:application/pdf;base64,{base64.b64encode(pdf).decode()}"
    bare, _ = _input_tokens(simulator, _ask())
    with_file, counted = _input_tokens(
        simulator, _ask({"type": "input_file", "filename": "otters.pdf", "file_data": data})
    )
    assert with_file == counted
    assert with_file - bare >= 10  # the PDF's two lines of text, not nothing


def test_the_tuned_settings_are_named_in_the_answer(simulator: Simulator) -> None:
    async def go() -> str:
        async with strict_client(simulator) as c:
            r = await c.responses.create(
                model="gpt-4o-mini",
                input="Hello",
                prompt_cache_key="team-faq",
                safety_identifier="user-42",
                max_tool_calls=3,
            )
            return r.output_text

    text = run(go())
    for shown in ('`prompt_cache_key`: "team-faq"', '`safety_identifier`: "user-42"'):
        assert shown in text
    assert "`max_tool_calls`: 3" in text
