"""The simulated Batch API's whole-file validation against a plain reading of the rules: a
line that is not JSON, a url that is not the batch's endpoint, a duplicate custom_id, an
empty file; each error names its line as the API's BatchError does."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.services.simulator.batch_run import validate

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
