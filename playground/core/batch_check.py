"""The Batch API's rules for an input file, checked before upload, and the split of a large
set of lines into files that each obey them.

The rules, and where they are stated (checked 2026-12-01):
- at most MAX_REQUESTS requests and MAX_FILE_BYTES bytes per file: the spec,
  CreateBatchRequest.input_file_id ("The file can contain up to 50,000 requests, and can be
  up to 200 MB in size"), and the Batch guide (platform.openai.com/docs/guides/batch,
  "Rate limits");
- one endpoint per file, the batch's `endpoint` (spec CreateBatchRequest.endpoint: "The
  endpoint to be used for all requests in the batch");
- a custom_id unique in the file (the request input object: "Must be unique for each
  request in a batch");
- a model that offers the Batch API: the catalog's `apis` (core/catalog.json, with its
  sources); a model the catalog does not know is not refused, only noted.

200 MB is read as 200,000,000 bytes, the smaller of the two readings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from playground.core import catalog
from playground.core.batch_requests import BatchLine

MAX_REQUESTS = 50_000
MAX_FILE_BYTES = 200_000_000

Code = Literal[
    "empty_file",
    "duplicate_custom_id",
    "mixed_endpoints",
    "too_many_requests",
    "file_too_large",
    "line_too_large",
    "model_without_batch",
    "model_unknown",
    "service_tier_left_out",
]
Support = Literal["yes", "no", "unknown"]


@dataclass(frozen=True)
class BatchProblem:
    """A rule a batch file breaks. `line`: 1-based line in the file, or None for the whole
    file; `severity` "error" (the API would refuse it) or "note" (it may)."""

    code: Code
    message: str
    line: int | None = None
    severity: Literal["error", "note"] = "error"

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.message}"


def batch_support(model: str) -> Support:
    """Whether `model` offers the Batch API: "yes"/"no" from the catalog's `apis` for a model
    it knows, "unknown" for one it does not."""
    info = catalog.lookup(model)
    if not info.known:
        return "unknown"
    return "yes" if "batch" in info.apis else "no"


def check(
    lines: Sequence[BatchLine],
    max_requests: int = MAX_REQUESTS,
    max_bytes: int = MAX_FILE_BYTES,
) -> list[BatchProblem]:
    """Every rule one file of `lines` breaks, file-wide problems first, then by line."""
    if not lines:
        return [BatchProblem("empty_file", "the file has no requests")]
    out: list[BatchProblem] = []
    if len(lines) > max_requests:
        out.append(
            BatchProblem(
                "too_many_requests",
                f"{len(lines):,} requests; a batch file takes at most {max_requests:,}",
            )
        )
    size = sum(line.size for line in lines)
    if size > max_bytes:
        out.append(
            BatchProblem(
                "file_too_large", f"{size:,} bytes; a batch file takes at most {max_bytes:,}"
            )
        )
    endpoint = lines[0].url
    seen: dict[str, int] = {}
    models: dict[str, int] = {}
    for n, line in enumerate(lines, 1):
        if line.url != endpoint:
            out.append(
                BatchProblem(
                    "mixed_endpoints",
                    f"the url {line.url} is not the file's endpoint {endpoint} (line 1); "
                    "a batch has one endpoint",
                    n,
                )
            )
        first = seen.setdefault(line.custom_id, n)
        if first != n:
            out.append(
                BatchProblem(
                    "duplicate_custom_id",
                    f"the custom_id {line.custom_id!r} is used on line {first} too",
                    n,
                )
            )
        models.setdefault(line.model, n)
    for model, n in models.items():
        out.extend(_model_problem(model, n))
    tiers = sorted({str(v) for line in lines for f, v in line.left_out if f == "service_tier"})
    if tiers:
        out.append(
            BatchProblem(
                "service_tier_left_out",
                f"service_tier {', '.join(tiers)} is left out: a batch is billed at the batch "
                "price",
                severity="note",
            )
        )
    return out


def _model_problem(model: str, line: int) -> list[BatchProblem]:
    support = batch_support(model)
    if support == "no":
        return [
            BatchProblem(
                "model_without_batch",
                f"the model {model} does not offer the Batch API (model catalog)",
                line,
            )
        ]
    if support == "unknown":
        return [
            BatchProblem(
                "model_unknown",
                f"the model catalog does not know {model}: whether it offers the Batch API "
                "is unknown",
                line,
                "note",
            )
        ]
    return []


class SplitError(ValueError):
    """Lines that no split can make valid: a single line over the size limit, or a
    duplicate custom_id. `problems` says which."""

    def __init__(self, problems: list[BatchProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def split(
    lines: Sequence[BatchLine],
    max_requests: int = MAX_REQUESTS,
    max_bytes: int = MAX_FILE_BYTES,
) -> list[list[BatchLine]]:
    """`lines` as files that each obey the count, size and endpoint rules: grouped by
    (endpoint, model) in the order first seen (one model per file keeps a batch's `model`
    meaningful), each group cut in order into files as full as the limits allow. Raises
    SplitError for a duplicate custom_id (anywhere: ids must map back to one cell) or a line
    bigger than `max_bytes` alone."""
    problems = []
    seen: dict[str, int] = {}
    for n, line in enumerate(lines, 1):
        first = seen.setdefault(line.custom_id, n)
        if first != n:
            problems.append(
                BatchProblem(
                    "duplicate_custom_id",
                    f"the custom_id {line.custom_id!r} is used on line {first} too",
                    n,
                )
            )
        if line.size > max_bytes:
            problems.append(
                BatchProblem(
                    "line_too_large",
                    f"{line.size:,} bytes in one request; a batch file takes at most {max_bytes:,}",
                    n,
                )
            )
    if problems:
        raise SplitError(problems)
    groups: dict[tuple[str, str], list[BatchLine]] = {}
    for line in lines:
        groups.setdefault((line.url, line.model), []).append(line)
    files: list[list[BatchLine]] = []
    for group in groups.values():
        current: list[BatchLine] = []
        size = 0
        for line in group:
            if current and (len(current) >= max_requests or size + line.size > max_bytes):
                files.append(current)
                current, size = [], 0
            current.append(line)
            size += line.size
        files.append(current)
    return files
