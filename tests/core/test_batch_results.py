"""Reading a batch's output and error lines back (core/batch_results.py) and the batch price:
any bytes read without raising, every well-formed line kept whatever surrounds it, each
kind of line (answered, refused, never run) read as such, and half the Standard price."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core.batch_requests import cell_id
from playground.core.batch_results import BATCH_FACTOR, batch_cost, read_lines
from playground.core.catalog import lookup
from playground.core.cost import cost
from playground.core.events import Usage


def answered(cid: str) -> dict[str, object]:
    body = {"id": "chatcmpl-1", "object": "chat.completion", "choices": []}
    return {
        "id": "r",
        "custom_id": cid,
        "response": {"status_code": 200, "body": body},
        "error": None,
    }


def refused(cid: str) -> dict[str, object]:
    error = {"message": "no such model", "type": "invalid_request_error", "param": "model",
             "code": "model_not_found"}  # fmt: skip
    return {"id": "r", "custom_id": cid, "response": {"status_code": 404, "body": {"error": error}},
            "error": None}  # fmt: skip


def not_run(cid: str) -> dict[str, object]:
    error = {"code": "batch_cancelled", "message": "cancelled before it ran"}
    return {"id": "r", "custom_id": cid, "response": None, "error": error}


def test_each_kind_of_line_is_read_as_such() -> None:
    data = "\n".join(json.dumps(f(c)) for f, c in ((answered, "a"), (refused, "b"), (not_run, "c")))
    (a, b, c), problems = read_lines(data.encode())
    assert problems == []
    assert a.ok and a.ran and a.status == 200 and a.body is not None
    assert not b.ok and b.ran and (b.status, b.code, b.param) == (404, "model_not_found", "model")
    assert b.message == "no such model"
    assert not c.ok and not c.ran and c.code == "batch_cancelled"


@given(st.binary(max_size=400))
def test_any_bytes_are_read_without_raising(data: bytes) -> None:
    lines, problems = read_lines(data)
    assert all(isinstance(p, str) and p.startswith("line ") for p in problems)
    assert all(isinstance(line.custom_id, str) for line in lines)


@given(
    st.lists(st.sampled_from([answered, refused, not_run]), min_size=1, max_size=30),
    st.lists(st.sampled_from(["", "{not json", "[1, 2]", '{"id": "x"}', "null"]), max_size=10),
    st.randoms(use_true_random=False),
)
def test_every_good_line_is_kept_among_damaged_ones(
    kinds: list, junk: list[str], rnd: random.Random
) -> None:
    ids = [cell_id("e-0123456789", f"v{i % 3}", f"row-{i}") for i in range(len(kinds))]
    good = [json.dumps(kind(cid)) for kind, cid in zip(kinds, ids, strict=True)]
    mixed = good + junk
    rnd.shuffle(mixed)
    lines, problems = read_lines("\n".join(mixed).encode())
    assert sorted(line.custom_id for line in lines) == sorted(ids)
    assert len(problems) == sum(1 for j in junk if j.strip())
    by_id = {line.custom_id: line for line in lines}
    for kind, cid in zip(kinds, ids, strict=True):
        assert by_id[cid].ok == (kind is answered)
        assert by_id[cid].ran == (kind is not not_run)


@pytest.mark.parametrize("model", ["gpt-4o-mini", "gpt-4.1", "gpt-5-codex"])
def test_the_batch_price_is_half_of_standard(model: str) -> None:
    # gpt-5-codex: a price, no batch factor in the catalog -> the Batch guide's 50%
    usage = Usage(input_tokens=1200, output_tokens=345)
    standard = cost(lookup(model), usage)
    assert standard is not None
    assert batch_cost(model, usage) == pytest.approx(standard.total * BATCH_FACTOR)


def test_a_model_without_a_price_has_no_batch_cost() -> None:
    assert batch_cost("no-such-model-x", Usage(input_tokens=10, output_tokens=10)) is None
