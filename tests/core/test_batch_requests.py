"""Batch lines: each validates against BatchRequestInput with the spec's request body, the
body is the one request builder's, and a custom_id maps back to its cell."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from playground.core import request
from playground.core.batch_requests import (
    MAX_CUSTOM_ID,
    BatchLine,
    CellError,
    CellIds,
    cell_id,
    jsonl,
    lines_for,
    parse_cell_id,
)
from playground.core.evaluation_spec import TestRow
from playground.core.workspace import Message, Parameters, Variant, Workspace
from tests.conftest import REFERENCE
from tests.services.test_spec_matrix import _rewrite

SPEC = "urn:spec#/components/schemas/"

# BatchRequestInput, the per-line object of the batch input file (API reference, "The request
# input object", checked 2026-12-01: custom_id, method "POST", url, body). The spec shipped in
# tests/data (f85dbe22) no longer has the component, so it is written here; the url and the
# body are checked against the spec's own components.
BATCH_REQUEST_INPUT = {
    "type": "object",
    "required": ["custom_id", "method", "url", "body"],
    "additionalProperties": False,
    "properties": {
        "custom_id": {"type": "string", "minLength": 1, "maxLength": MAX_CUSTOM_ID},
        "method": {"const": "POST"},
        "url": {"$ref": SPEC + "CreateBatchRequest/properties/endpoint"},
        "body": {"type": "object"},
    },
    "if": {"properties": {"url": {"const": "/v1/chat/completions"}}},
    "then": {"properties": {"body": {"$ref": SPEC + "CreateChatCompletionRequest"}}},
    "else": {"properties": {"body": {"$ref": SPEC + "CreateResponse"}}},
}


@cache
def _registry() -> Registry:
    spec = _rewrite(json.loads((REFERENCE / "openapi.json").read_text()))
    return Registry().with_resource("urn:spec", Resource(spec, specification=DRAFT202012))


@cache
def line_validator() -> Draft202012Validator:
    return Draft202012Validator(BATCH_REQUEST_INPUT, registry=_registry())


@cache
def spec_validator(component: str) -> Draft202012Validator:
    """A validator of the spec's components.schemas.COMPONENT."""
    return Draft202012Validator({"$ref": SPEC + component}, registry=_registry())


def errors_of(text: str) -> list[str]:
    return [e.message for e in line_validator().iter_errors(json.loads(text))]


def workspace(api: str) -> Workspace:
    return Workspace(
        api=api,  # type: ignore[arg-type]
        model="gpt-4o-mini",
        instructions="Answer in one word.",
        messages=[Message(role="user", content="What colour is {{thing}}?")],
        params=Parameters(temperature=0.2),
        test_set={"columns": ["thing"], "rows": []},  # type: ignore[arg-type]
    )


ROWS = [TestRow(id=f"row-{i}", values={"thing": t}) for i, t in enumerate(["sky", "grass", "é"])]
VARIANTS = [
    Variant(key="mini"),
    Variant(key="o3", overrides={"model": "o3", "params.reasoning_effort": "low"}),
    Variant(key="4.1", overrides={"model": "gpt-4.1"}),
]


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_every_line_validates_against_batch_request_input(api: str) -> None:
    lines = lines_for(workspace(api), VARIANTS, ROWS, "e-0a1b2c3d4e")
    assert len(lines) == 9
    text = jsonl(lines).decode()
    assert text.endswith("\n") and text.count("\n") == 9
    for raw in text.splitlines():
        assert errors_of(raw) == [], raw


def test_the_check_catches_a_bad_line() -> None:
    good = lines_for(workspace("chat"), [], ROWS[:1], "e-x")[0].as_json()
    assert errors_of(good) == []
    for change in ({"method": "GET"}, {"url": "/v1/files"}, {"custom_id": ""}, {"extra": 1}):
        assert errors_of(json.dumps({**json.loads(good), **change}))
    no_messages = json.loads(good)
    del no_messages["body"]["messages"]
    assert errors_of(json.dumps(no_messages))


def test_the_body_is_the_request_builders_not_streamed() -> None:
    ws = workspace("responses")
    line = lines_for(ws, [], ROWS[:1], "e-x")[0]
    filled = ws.model_copy(update={"variables": {"thing": "sky"}, "stream": False})
    assert line.body == request.build(filled).body
    assert "stream" not in line.body
    assert "sky" in json.dumps(line.body)
    assert line.url == "/v1/responses"


def test_a_row_without_a_value_names_the_cell() -> None:
    with pytest.raises(CellError, match=r"variant mini, row r9: .*\{\{thing\}\}"):
        lines_for(workspace("chat"), VARIANTS[:1], [TestRow(id="r9", values={})], "e-x")


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


@given(evaluation=st.from_regex(r"e-[0-9a-f]{10}", fullmatch=True), variant=_TEXT, row=_TEXT)
def test_a_custom_id_maps_back_to_its_cell(evaluation: str, variant: str, row: str) -> None:
    cid = cell_id(evaluation, variant, row)
    assert 0 < len(cid) <= MAX_CUSTOM_ID
    ids = CellIds(evaluation, [(variant, row), (variant + "x", row), (variant, row + "|")])
    assert ids.cell_of(cid) == (variant, row)
    assert ids.id_of(variant, row) == cid
    parsed = parse_cell_id(cid)
    if parsed is not None:  # the plain form reads back without the table
        assert parsed == (evaluation, variant, row)
    else:
        assert "#" in cid


def test_plain_ids_read_well_and_long_ones_are_hashed() -> None:
    assert cell_id("e-0a1b2c3d4e", "gpt-6", "row-0001") == "e-0a1b2c3d4e|gpt-6|row-0001"
    assert cell_id("e-1", "a|b", "50%") == "e-1|a%7Cb|50%25"
    long = cell_id("e-0a1b2c3d4e", "v" * 40, "row-" + "9" * 40)
    assert long.startswith("e-0a1b2c3d4e|#") and len(long) <= MAX_CUSTOM_ID
    assert CellIds("e-0a1b2c3d4e", []).cell_of(long) is None


def test_a_line_reads_as_the_guide_shows() -> None:
    line = BatchLine("c1", "/v1/chat/completions", {"model": "gpt-4o", "messages": []})
    parsed: dict[str, Any] = json.loads(line.as_json())
    assert list(parsed) == ["custom_id", "method", "url", "body"]
    assert line.size == len(line.as_json().encode()) + 1


@pytest.mark.parametrize("api", ["chat", "responses"])
@given(tier=st.sampled_from(["flex", "priority", "default", "auto"]))
def test_a_batch_line_leaves_service_tier_out_and_the_check_notes_it(api: str, tier: str) -> None:
    from playground.core.batch_check import check

    ws = workspace(api).model_copy(update={"params": Parameters(service_tier=tier)})
    filled = ws.model_copy(update={"variables": {"thing": "sky"}, "stream": False})
    assert request.build(filled).body["service_tier"] == tier  # interactive runs send it
    lines = lines_for(ws, VARIANTS, ROWS, "e-0a1b2c3d4e")
    assert all("service_tier" not in line.body for line in lines)
    assert all(errors_of(line.as_json()) == [] for line in lines)
    notes = [p for p in check(lines) if p.code == "service_tier_left_out"]
    assert [(p.severity, p.message) for p in notes] == [
        ("note", f"service_tier {tier} is left out: a batch is billed at the batch price")
    ]
    plain = lines_for(workspace(api), VARIANTS, ROWS, "e-0a1b2c3d4e")
    assert not [p for p in check(plain) if p.code == "service_tier_left_out"]
