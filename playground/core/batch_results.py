"""A batch's output and error files read back, line by line, and the batch price.

A line of either file is the API's request output object (BatchRequestOutput; API reference
platform.openai.com/docs/api-reference/batch/request-output, checked 2026-12-01):
`{"id", "custom_id", "response": {"status_code", "request_id", "body"} | null,
"error": {"code", "message"} | null}`. A request the server answered has a `response` (2xx:
the endpoint's body; 4xx/5xx: its error body `{"error": {...}}`); one that never ran (the
batch expired or was cancelled first) has `error` and no response.

The Batch API costs half the Standard price: the catalog's `tiers.batch` factor per model
(core/catalog.json, from each model's page), else BATCH_FACTOR, the Batch guide's general
rule ("50% cost discount compared to synchronous APIs", platform.openai.com/docs/guides/batch,
checked 2026-12-01).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from playground.core.catalog import lookup
from playground.core.cost import cost
from playground.core.events import Usage

BATCH_FACTOR = 0.5
"""The Batch API's price as a share of Standard when the catalog records none for a model."""
NOT_RUN = frozenset({"batch_expired", "batch_cancelled"})
"""Line error codes of requests the batch never ran (they may run again later)."""


@dataclass(frozen=True, slots=True)
class LineResult:
    """One line of an output or error file.

    `status`: the HTTP status of the request's response (None when it never ran); `body`:
    the endpoint's response body when 2xx, else None. `code`, `message`, `param`: the API's
    error (from the error body, or the line's own `error`), None for a success."""

    custom_id: str
    status: int | None
    body: dict[str, Any] | None
    code: str | None = None
    message: str | None = None
    param: str | None = None

    @property
    def ok(self) -> bool:
        return self.body is not None

    @property
    def ran(self) -> bool:
        """The request was sent to the model (False: expired or cancelled before it ran)."""
        return self.status is not None or self.code not in NOT_RUN


def read_lines(data: bytes) -> tuple[list[LineResult], list[str]]:
    """Every line of a file (UTF-8 JSON lines; blank lines skipped) as a LineResult, and a
    problem per line that is not a request output object ("line 3: not JSON"). Never raises."""
    out: list[LineResult] = []
    problems: list[str] = []
    for n, text in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
        except ValueError:
            problems.append(f"line {n}: not JSON")
            continue
        found = _result(line)
        if found is None:
            problems.append(f"line {n}: not a batch request output (no custom_id)")
        else:
            out.append(found)
    return out, problems


def _result(line: Any) -> LineResult | None:
    if not isinstance(line, dict) or not isinstance(line.get("custom_id"), str):
        return None
    cid = line["custom_id"]
    response = line.get("response") if isinstance(line.get("response"), dict) else None
    error = line.get("error") if isinstance(line.get("error"), dict) else None
    if response is None:
        err = error or {}
        return LineResult(cid, None, None, _text(err.get("code")), _text(err.get("message")))
    status = response.get("status_code")
    status = status if isinstance(status, int) else None
    body = response.get("body") if isinstance(response.get("body"), dict) else None
    if status is not None and 200 <= status < 300 and body is not None:
        return LineResult(cid, status, body)
    said = (body or {}).get("error") if isinstance((body or {}).get("error"), dict) else error
    said = said or {}
    return LineResult(
        cid,
        status,
        None,
        _text(said.get("code")),
        _text(said.get("message")),
        _text(said.get("param")),
    )


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def batch_cost(model: str, usage: Usage, day: date | None = None) -> float | None:
    """US dollars for one request of `model` with `usage` at the batch price on `day`
    (today by default): core.cost with the catalog's batch factor, else Standard x
    BATCH_FACTOR. None when the model has no price."""
    found = cost(lookup(model), usage, "batch", day)
    if found is None:
        return None
    return found.total if found.tier_known else found.total * BATCH_FACTOR
