"""The Batch API's input: one JSONL line per request, and the ids that map lines to cells.

A line is `{"custom_id", "method": "POST", "url", "body"}`, the per-line object of the batch
input file (BatchRequestInput). The spec this project ships (tests/data/openapi.json,
openai/openai-openapi f85dbe22) no longer carries the BatchRequestInput component; its shape
is the one in the API reference's "The request input object" and the Batch guide
(platform.openai.com/docs/api-reference/batch/request-input, docs/guides/batch; checked
2026-12-01). The body is the one request builder's (core.request.build), so a batch line
sends exactly what an interactive run of the same cell would.

An evaluation's cell is (evaluation id, variant key, row id); `cell_id` turns it into a
custom_id and `CellIds` maps a custom_id back (see `cell_id` for the format).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from playground.core import file_inputs, request, variables
from playground.core.compare import independent
from playground.core.evaluation_spec import TestRow
from playground.core.variants import apply
from playground.core.workspace import Variant, Workspace

URLS = {"responses": "/v1/responses", "chat": "/v1/chat/completions"}
"""The batch `url` (and the batch's `endpoint`) of each API the builder writes (spec
CreateBatchRequest.endpoint enum; checked 2026-12-01)."""

MAX_CUSTOM_ID = 64
"""This project's own cap on a custom_id's length, in characters. The spec states no limit
(checked 2026-12-01); a short id keeps output lines small and reads well in a table."""

BASE_KEY = "base"
"""The variant key of a workspace run without variants (as services.evaluation.BASE)."""

_SEP = "|"


@dataclass(frozen=True)
class BatchLine:
    """One request of a batch file. `url`: one of URLS' values; `body`: the JSON body."""

    custom_id: str
    url: str
    body: dict[str, Any]
    left_out: tuple[tuple[str, Any], ...] = ()
    """What the request builder set that a batch line leaves out, (field, value) each:
    `service_tier` (a batch is billed at the batch price; the Batch guide documents no tier
    in a line's body). core.batch_check notes it."""

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))

    def as_json(self) -> str:
        """The line as the file holds it: compact JSON, UTF-8 text, no newline."""
        line = {"custom_id": self.custom_id, "method": "POST", "url": self.url, "body": self.body}
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))

    @property
    def size(self) -> int:
        """Bytes this line takes in the file, its newline included."""
        return len(self.as_json().encode()) + 1


def jsonl(lines: Iterable[BatchLine]) -> bytes:
    """The file's bytes: one line each, each ended by a newline."""
    return "".join(line.as_json() + "\n" for line in lines).encode()


# -- custom ids ------------------------------------------------------------------------------


def _part(text: str) -> str:
    return quote(text, safe="-_.~:@!$&'()*+,;=")


def cell_id(evaluation_id: str, variant_key: str, row_id: str) -> str:
    """The custom_id of a cell: "EVAL|VARIANT|ROW", each part %-quoted so that "|" and "%"
    cannot be confused ("e-1a2b3c4d5e|gpt-6|row-0001"). When that is longer than
    MAX_CUSTOM_ID, "EVAL|#HASH", HASH the first 24 hex digits of SHA-256 over the variant key
    and row id: `CellIds` maps it back from the evaluation's own variants and rows."""
    plain = _SEP.join((_part(evaluation_id), _part(variant_key), _part(row_id)))
    if len(plain) <= MAX_CUSTOM_ID:
        return plain
    digest = hashlib.sha256(f"{variant_key}\0{row_id}".encode()).hexdigest()[:24]
    short = f"{_part(evaluation_id)}{_SEP}#{digest}"
    if len(short) > MAX_CUSTOM_ID:
        raise ValueError(f"the evaluation id {evaluation_id!r} is too long for a custom_id")
    return short


def parse_cell_id(custom_id: str) -> tuple[str, str, str] | None:
    """(evaluation id, variant key, row id) of a plain cell id; None for a hashed one or an
    id this module did not write."""
    parts = custom_id.split(_SEP)
    if len(parts) != 3:
        return None
    evaluation, variant, row = (unquote(p) for p in parts)
    return evaluation, variant, row


class CellIds:
    """custom_id <-> (variant key, row id) for one evaluation's cells, hashed ids included."""

    def __init__(self, evaluation_id: str, cells: Iterable[tuple[str, str]]) -> None:
        self.evaluation_id = evaluation_id
        self._by_id: dict[str, tuple[str, str]] = {}
        for variant_key, row_id in cells:
            self._by_id[cell_id(evaluation_id, variant_key, row_id)] = (variant_key, row_id)

    def id_of(self, variant_key: str, row_id: str) -> str:
        return cell_id(self.evaluation_id, variant_key, row_id)

    def cell_of(self, custom_id: str) -> tuple[str, str] | None:
        """(variant key, row id), or None for an id that is not one of this evaluation's."""
        return self._by_id.get(custom_id)


# -- cells to lines --------------------------------------------------------------------------


BATCH_LEFT_OUT = ("service_tier",)
"""Body fields a batch line leaves out: the Batch API has its own price (0.5 x Standard) and
its guide documents no `service_tier` in a line (a flex workspace is not sent as flex)."""


class CellError(ValueError):
    """A cell whose request cannot be written: the message names the variant and row."""


def cell_workspace(ws: Workspace, row: TestRow) -> Workspace:
    """`ws` with the row's values as its variables (the request builder fills them, once),
    sending its whole conversation (compare.independent: cells are requests of their own, so
    no cell chains from the tab's last answer or reads another's Conversation): how every
    run of an evaluation's cell starts. Raises CellError naming the variables the row has no
    value for."""
    values = {**ws.variables, **row.values}
    missing = [name for name in variables.names(ws) if name not in values]
    if missing:
        named = ", ".join("{{" + name + "}}" for name in missing)
        raise CellError(f"the row has no value for {named}")
    return independent(ws).model_copy(update={"variables": values})


def lines_for(
    ws: Workspace,
    variants: Sequence[Variant],
    rows: Sequence[TestRow],
    evaluation_id: str,
    target: request.Target | None = None,
) -> list[BatchLine]:
    """A line per (variant, row), variants outer: the body core.request.build makes of the
    variant applied to `ws` and filled with the row, not streamed (a batch has no stream;
    what the builder leaves out is left out here too, its findings dropped). Without
    variants, one column keyed BASE_KEY. Raises CellError (a row without a value a
    variable needs, or a file that is missing or over the limits: never left out
    silently) and core.document.PathError (an override that does not fit)."""
    columns = [(v.key, apply(ws, v)) for v in variants] if variants else [(BASE_KEY, ws)]
    out = []
    for key, applied in columns:
        for row in rows:
            try:
                filled = cell_workspace(applied, row)
            except CellError as exc:
                raise CellError(f"variant {key}, row {row.id}: {exc}") from None
            # a batch answers whole: the body a non-streaming run of the cell sends
            built = request.build(filled.model_copy(update={"stream": False}), target=target)
            for found in built.findings:  # a file cannot be left out of a cell silently
                if found.severity == "error" and found.code in file_inputs.FILE_CODES:
                    raise CellError(f"variant {key}, row {row.id}: {found.message}")
            body = dict(built.body)
            left = tuple((f, body.pop(f)) for f in BATCH_LEFT_OUT if f in body)
            out.append(BatchLine(cell_id(evaluation_id, key, row.id), URLS[built.api], body, left))
    return out


LONE_ROW = "r0"
"""The row id of a workspace without a test set: its one request is one cell."""


def rows_or_lone(rows: Sequence[TestRow]) -> list[TestRow]:
    """`rows`, or, for a workspace without a test set, one row without values (the
    workspace's own variables fill it): a single request is a one-line batch file."""
    return list(rows) or [TestRow(id=LONE_ROW)]
