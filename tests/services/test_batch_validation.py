"""The simulated Batch API's whole-file validation against a plain reading of the rules: a
line that is not JSON, a url that is not the batch's endpoint, a duplicate custom_id, an
empty file; each error names its line as the API's BatchError does."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.services.simulator.batch_jobs import BatchJob
from playground.services.simulator.batch_run import Answer, validate

CHAT, RESPONSES = "/v1/chat/completions", "/v1/responses"

_line = st.one_of(
    st.tuples(st.just("json"), st.sampled_from("abcde"), st.sampled_from([CHAT, RESPONSES])),
    st.tuples(st.just("garbage"), st.sampled_from(["{", "[1, 2]", "nope", '"text"']), st.just("")),
)


def render(kind: str, cid: str, url: str) -> str:
    if kind == "garbage":
        return cid
    return json.dumps({"custom_id": cid, "method": "POST", "url": url, "body": {"model": "m"}})


def reference(lines: list[tuple[str, str, str]], endpoint: str) -> list[tuple[str, int | None]]:
    if not lines:
        return [("empty_file", None)]
    out: list[tuple[str, int | None]] = []
    seen: set[str] = set()
    for n, (kind, cid, url) in enumerate(lines, 1):
        if kind == "garbage":
            out.append(("invalid_json_line", n))
        elif url != endpoint:
            out.append(("url_mismatch", n))
        elif cid in seen:
            out.append(("duplicate_custom_id", n))
        else:
            seen.add(cid)
    return out


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_line, max_size=15), endpoint=st.sampled_from([CHAT, RESPONSES]))
def test_validation_reports_exactly_the_broken_lines(
    lines: list[tuple[str, str, str]], endpoint: str
) -> None:
    data = "".join(render(*line) + "\n" for line in lines).encode()
    parsed = validate(data, endpoint)
    assert [(e["code"], e["line"]) for e in parsed.errors] == reference(lines, endpoint)
    if not parsed.errors:
        assert [cid for cid, _ in parsed.requests] == [cid for _, cid, _ in lines]


def test_a_line_missing_a_field_names_the_field() -> None:
    data = b'{"custom_id": "a", "method": "POST", "url": "/v1/responses"}\n'
    [error] = validate(data, RESPONSES).errors
    assert (error["code"], error["param"], error["line"]) == (
        "missing_required_parameter",
        "body",
        1,
    )


# -- the lifecycle -------------------------------------------------------------------------

ORDER = ["validating", "in_progress", "finalizing", "completed", "expired"]


def _job(seconds: float, n: int) -> BatchJob:
    data = "".join(
        json.dumps({"custom_id": f"c{i}", "method": "POST", "url": CHAT, "body": {}}) + "\n"
        for i in range(n)
    )
    return BatchJob("batch_x", CHAT, "file-x", data.encode(), 0.0, seconds)


def _run_all(requests: list[tuple[str, dict[str, Any]]]) -> list[Answer]:
    return [Answer(i % 3 != 0, {"custom_id": cid}) for i, (cid, _) in enumerate(requests)]


@settings(max_examples=200, deadline=None)
@given(
    seconds=st.sampled_from([0.0, 1.0, 100.0, 3 * 86_400.0]),
    n=st.integers(1, 30),
    looks=st.lists(st.floats(0, 4 * 86_400, allow_nan=False), max_size=8),
    cancel_after=st.none() | st.integers(0, 7),
)
def test_the_lifecycle_only_moves_forward_and_counts_never_shrink(
    seconds: float, n: int, looks: list[float], cancel_after: int | None
) -> None:
    job = _job(seconds, n)
    stored: dict[str, bytes] = {}

    def store(name: str, data: bytes) -> str:
        stored[name] = data
        return name

    before = job.obj()
    times = [*sorted(looks), 5 * 86_400.0, 6 * 86_400.0]
    for i, now in enumerate(times):
        if (
            cancel_after == i
            and i < len(times) - 1
            and job.status in ("validating", "in_progress", "finalizing")
        ):
            job.cancel(now)
        job.advance(now, _run_all, store)
        after = job.obj()
        counts, was = after["request_counts"], before["request_counts"]
        assert counts["completed"] >= was["completed"] and counts["failed"] >= was["failed"]
        assert counts["completed"] + counts["failed"] <= counts["total"] <= n
        if "cancel" not in after["status"] and "cancel" not in before["status"]:
            assert ORDER.index(after["status"]) >= ORDER.index(before["status"])
        before = after
    assert job.status in ("completed", "expired", "cancelled")  # the last look ends it
    written = b"".join(stored.values()).decode().splitlines()
    # every request is in the output or the error file, unless cancelled while validating
    expected = sorted(f"c{i}" for i in range(n)) if job.requests else []
    assert sorted(json.loads(x)["custom_id"] for x in written) == expected
    if seconds > 86_400 and cancel_after is None:
        assert job.status == "expired"
