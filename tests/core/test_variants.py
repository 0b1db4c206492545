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


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


@given(
    st.sampled_from(
        [
            "api",
            "stream",
            "extra_body",
            "params.temperature",
            "params.max_output_tokens",
            "params.stop",
            "params.metadata",
            "params.reasoning_effort",
            "params.top_p",
        ]
    ),
    JSONISH,
)
def test_an_override_that_does_not_fit_says_why_in_words(path: str, value: object) -> None:
    """The reason is the user's, not the validation library's title line or its links."""
    try:
        apply(BASE, Variant(key="x", overrides={path: value}))
    except PathError as exc:
        text = str(exc)
        assert text.startswith(f"{path}: ") and len(text) > len(path) + 4
        for internal in ("validation error", "nullable[", "[type=", "pydantic", "input_value"):
            assert internal not in text, text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("temperature=abc", "params.temperature: Input should be a valid number"),
        ("stream=maybe", "stream: Input should be true or false"),
        ("api=fax", "api: Input should be 'responses' or 'chat'"),
        ("stop=[1,2]", "params.stop: item 0: Input should be a valid string"),
        ("metadata=5", "params.metadata: Input should be a JSON object"),
    ],
)
def test_the_reasons_the_cli_and_the_column_show(text: str, reason: str) -> None:
    key, value = parse(text)
    with pytest.raises(PathError) as err:
        apply(BASE, Variant(key="x", overrides={key: value}))
    assert str(err.value).startswith(reason)
