"""The batch file checker and the split, against a plain reading of the rules: random ids
(duplicates), endpoints (mixed), counts and sizes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.batch_check import (
    MAX_FILE_BYTES,
    MAX_REQUESTS,
    SplitError,
    batch_support,
    check,
    split,
)
from playground.core.batch_requests import URLS, BatchLine

ENDPOINTS = list(URLS.values())
MODELS = ["gpt-4o-mini", "gpt-4.1"]  # both offer the Batch API (catalog)


@st.composite
def batch_lines(draw: st.DrawFn, max_size: int = 12) -> list[BatchLine]:
    n = draw(st.integers(0, max_size))
    out = []
    for _ in range(n):
        cid = draw(st.sampled_from("abcdefgh"))
        url = draw(st.sampled_from(ENDPOINTS))
        model = draw(st.sampled_from(MODELS))
        pad = "x" * draw(st.integers(0, 60))
        out.append(BatchLine(cid, url, {"model": model, "input": pad}))
    return out


def reference_problems(
    lines: list[BatchLine], max_requests: int, max_bytes: int
) -> set[tuple[str, int | None]]:
    """The rules read plainly: one endpoint (line 1's), unique ids, count and size caps."""
    if not lines:
        return {("empty_file", None)}
    found: set[tuple[str, int | None]] = set()
    if len(lines) > max_requests:
        found.add(("too_many_requests", None))
    text = "".join(line.as_json() + "\n" for line in lines)
    if len(text.encode("utf-8")) > max_bytes:
        found.add(("file_too_large", None))
    for i, line in enumerate(lines):
        if line.url != lines[0].url:
            found.add(("mixed_endpoints", i + 1))
        if any(earlier.custom_id == line.custom_id for earlier in lines[:i]):
            found.add(("duplicate_custom_id", i + 1))
    return found


@settings(max_examples=300, deadline=None)
@given(lines=batch_lines(), max_requests=st.integers(1, 12), max_bytes=st.integers(100, 1500))
def test_check_finds_exactly_what_the_rules_say(
    lines: list[BatchLine], max_requests: int, max_bytes: int
) -> None:
    found = {(p.code, p.line) for p in check(lines, max_requests, max_bytes)}
    assert found == reference_problems(lines, max_requests, max_bytes)


def _unique(lines: list[BatchLine]) -> list[BatchLine]:
    return [BatchLine(f"{i}-{ln.custom_id}", ln.url, ln.body) for i, ln in enumerate(lines)]


@settings(max_examples=300, deadline=None)
@given(lines=batch_lines(40), max_requests=st.integers(1, 12), max_bytes=st.integers(200, 1500))
def test_split_files_each_obey_the_rules_and_keep_every_line(
    lines: list[BatchLine], max_requests: int, max_bytes: int
) -> None:
    lines = _unique(lines)
    files = split(lines, max_requests, max_bytes)
    assert sorted(ln.custom_id for f in files for ln in f) == sorted(ln.custom_id for ln in lines)
    for f in files:
        assert f, "no empty file"
        assert reference_problems(f, max_requests, max_bytes) == set()
        assert len({(ln.url, ln.model) for ln in f}) == 1
        # order within a (url, model) group is kept
        group = [ln for ln in lines if (ln.url, ln.model) == (f[0].url, f[0].model)]
        positions = [group.index(ln) for ln in f]
        assert positions == sorted(positions)
    for f, after in itertools.pairwise(files):
        if (f[0].url, f[0].model) == (after[0].url, after[0].model):  # cut only when full
            size = sum(ln.size for ln in f) + after[0].size
            assert len(f) == max_requests or size > max_bytes


def test_a_set_over_50000_requests_is_split_in_two() -> None:
    lines = [BatchLine(f"c{i}", URLS["chat"], {"model": "gpt-4o-mini"}) for i in range(50_001)]
    files = split(lines)
    assert [len(f) for f in files] == [MAX_REQUESTS, 1]
    assert check(files[0]) == [] and check(files[1]) == []
    assert {p.code for p in check(lines)} == {"too_many_requests"}


def test_a_set_over_the_size_limit_is_split_by_bytes() -> None:
    body = {"model": "gpt-4o-mini", "input": "y" * 1000}
    lines = [BatchLine(f"c{i}", URLS["responses"], body) for i in range(10)]
    half = sum(ln.size for ln in lines[:5])
    files = split(lines, max_bytes=half)
    assert [len(f) for f in files] == [5, 5]
    assert MAX_FILE_BYTES == 200_000_000


def test_what_no_split_can_fix_is_refused_with_the_lines() -> None:
    big = BatchLine("big", URLS["chat"], {"model": "gpt-4o-mini", "input": "z" * 500})
    twice = [BatchLine("same", URLS["chat"], {}), BatchLine("same", URLS["chat"], {})]
    with pytest.raises(SplitError) as big_error:
        split([big], max_bytes=100)
    assert [(p.code, p.line) for p in big_error.value.problems] == [("line_too_large", 1)]
    with pytest.raises(SplitError) as twice_error:
        split(twice)
    assert [(p.code, p.line) for p in twice_error.value.problems] == [("duplicate_custom_id", 2)]


def test_batch_support_comes_from_the_catalog() -> None:
    assert batch_support("gpt-4o-mini") == "yes"
    assert batch_support("gpt-daybreak-blue-latest") == "no"  # its model page: not supported
    assert batch_support("my-local-model") == "unknown"
    no_batch = [BatchLine("a", URLS["responses"], {"model": "gpt-daybreak-blue-latest"})]
    assert [(p.code, p.severity) for p in check(no_batch)] == [("model_without_batch", "error")]
    unknown = [BatchLine("a", URLS["responses"], {"model": "my-local-model"})]
    assert [(p.code, p.severity) for p in check(unknown)] == [("model_unknown", "note")]
