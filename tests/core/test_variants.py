"""Variants: overrides on a workspace, what they change, and the CLI's KEY=VALUE form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core import request
from playground.core.document import PathError
from playground.core.variants import Variant, apply, differences, parse
from playground.core.workspace import Message, Workspace

BASE = Workspace(model="gpt-6-luna", messages=[Message(content="hi")])


def test_a_variant_overrides_model_and_parameters() -> None:
    v = Variant(
        key="b",
        name="cheaper, warmer",
        overrides={"model": "gpt-4.1-mini", "params.temperature": 0.9},
    )
    ws = apply(BASE, v)
    assert ws.model == "gpt-4.1-mini" and ws.params.temperature == 0.9
    assert BASE.model == "gpt-6-luna" and BASE.params.temperature is None  # untouched
    body = request.build(ws).body
    assert body["model"] == "gpt-4.1-mini" and body["temperature"] == 0.9
    assert differences(BASE, v) == [
        ("model", "gpt-6-luna", "gpt-4.1-mini"),
        ("params.temperature", None, 0.9),
    ]


def test_an_override_that_does_not_fit_is_named() -> None:
    with pytest.raises(PathError) as err:
        apply(BASE, Variant(key="x", overrides={"params.temperature": "warm"}))
    assert err.value.path == "params.temperature"
    with pytest.raises(PathError):
        apply(BASE, Variant(key="x", overrides={"api": "completions"}))


def test_an_override_equal_to_the_base_is_no_difference() -> None:
    assert differences(BASE, Variant(key="a", overrides={"model": "gpt-6-luna"})) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("temperature=0.2", ("params.temperature", 0.2)),
        ("model=gpt-5.4", ("model", "gpt-5.4")),
        ("reasoning_effort=none", ("params.reasoning_effort", "none")),
        ('stop=["END"]', ("params.stop", ["END"])),
        ("instructions=Be brief", ("instructions", "Be brief")),
    ],
)
def test_the_cli_form(text: str, expected: tuple[str, object]) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize("text", ["temperature", "=1", "warmth=2", "messages=[]"])
def test_the_cli_form_refuses_what_it_cannot_take(text: str) -> None:
    with pytest.raises(PathError):
        parse(text)


@given(st.floats(0, 2), st.sampled_from(["gpt-6-luna", "gpt-5.4", "my-model"]))
def test_apply_then_differences_round_trip(temperature: float, model: str) -> None:
    v = Variant(key="k", overrides={"params.temperature": temperature, "model": model})
    ws = apply(BASE, v)
    changed = {p: new for p, _, new in differences(BASE, v)}
    assert changed.get("params.temperature", BASE.params.temperature) == ws.params.temperature
    assert changed.get("model", BASE.model) == ws.model
