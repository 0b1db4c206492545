"""`playground export WS --format batch`: the Batch API's JSONL for every variant and row, the
file the simulator's Batch API runs, split and named when it must be, refused when the API
would refuse it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openai
import pytest

from playground import cli
from playground.core.batch_requests import CellIds
from playground.services.simulator import Simulator
from tests.conftest import run
from tests.core.test_batch_requests import errors_of

BASE: dict[str, Any] = {
    "schema_version": 3,
    "api": "chat",
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Say {{word}}"}],
    "test_set": {
        "columns": ["word"],
        "rows": [{"id": f"r{i}", "values": {"word": f"w{i}"}} for i in range(4)],
    },
}


def write(tmp_path: Path, **extra: Any) -> Path:
    path = tmp_path / "ws.json"
    path.write_text(json.dumps({**BASE, **extra}))
    return path


def export(*args: str) -> int:
    return cli.main(["export", *args, "--format", "batch"])


def test_stdout_has_a_line_per_variant_and_row_that_the_simulator_runs(
    simulator: Simulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = write(tmp_path)
    code = export(
        str(ws), "--variant", "temperature=0.1", "--variant", "temperature=0.9",
        "--evaluation-id", "e-00000000ab",
    )  # fmt: skip
    out, errors = capsys.readouterr()
    assert code == 0, errors
    assert "custom_id = e-00000000ab|VARIANT|ROW" in errors
    lines = out.splitlines()
    assert len(lines) == 8
    assert all(errors_of(line) == [] for line in lines)
    ids = CellIds("e-00000000ab", [(v, f"r{i}") for v in ("v1", "v2") for i in range(4)])
    by_cell = {ids.cell_of(json.loads(line)["custom_id"]): json.loads(line) for line in lines}
    assert by_cell[("v2", "r3")]["body"]["temperature"] == 0.9
    assert by_cell[("v2", "r3")]["body"]["messages"][0]["content"] == "Say w3"

    async def go() -> None:
        async with openai.AsyncOpenAI(
            base_url=simulator.base_url, api_key="sk", _strict_response_validation=True
        ) as c:
            f = await c.files.create(file=("b.jsonl", out.encode()), purpose="batch")
            b = await c.batches.create(
                input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h"
            )
            b = await c.batches.retrieve(b.id)
            assert b.status == "completed"
            assert b.request_counts is not None and b.request_counts.completed == 8

    run(go())


def test_a_split_needs_o_and_writes_numbered_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = write(tmp_path)
    models = ("--variant", "model=gpt-4.1", "--variant", "model=gpt-4o-mini")
    assert export(str(ws), *models) == 2  # a file per model: two
    assert "give -o FILE" in capsys.readouterr().err
    target = tmp_path / "cells.jsonl"
    assert export(str(ws), *models, "-o", str(target)) == 0
    errors = capsys.readouterr().err
    first, second = tmp_path / "cells-1.jsonl", tmp_path / "cells-2.jsonl"
    assert f"wrote {first}: 4 requests, /v1/chat/completions, gpt-4.1" in errors
    assert {json.loads(x)["body"]["model"] for x in second.read_text().splitlines()} == {
        "gpt-4o-mini"
    }
    assert len(second.read_text().splitlines()) == 4
    assert not target.exists()


def test_what_the_api_would_refuse_is_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = write(tmp_path, model="gpt-daybreak-blue-latest", api="responses")
    assert export(str(ws)) == 2
    captured = capsys.readouterr()
    assert "does not offer the Batch API" in captured.err
    assert captured.out == ""
    missing = write(tmp_path, test_set={"columns": ["word"], "rows": [{"id": "r0"}]})
    assert export(str(missing)) == 2
    assert "row r0: the row has no value for {{word}}" in capsys.readouterr().err
    rows = tmp_path / "none.jsonl"
    rows.write_text("")
    assert export(str(write(tmp_path)), "--rows", str(rows)) == 2
    assert "no rows to export" in capsys.readouterr().err


def test_a_workspace_without_a_test_set_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = write(tmp_path, messages=[{"role": "user", "content": "Hi"}], test_set={"rows": []})
    out_file = tmp_path / "one.jsonl"
    code = export(str(ws), "--evaluation-id", "e-00000000ab", "-o", str(out_file))
    errors = capsys.readouterr().err
    assert code == 0, errors
    (line,) = out_file.read_text().splitlines()
    assert errors_of(line) == []
    assert json.loads(line)["custom_id"] == "e-00000000ab|base|r0"
    assert json.loads(line)["body"]["messages"][0]["content"] == "Hi"
    assert "1 request," in errors and "1 requests" not in errors  # the count's grammar


def test_a_flex_workspace_is_exported_without_service_tier_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = write(tmp_path, model="gpt-5.5", params={"service_tier": "flex"})
    assert export(str(ws)) == 0
    out, errors = capsys.readouterr()
    assert all("service_tier" not in json.loads(line)["body"] for line in out.splitlines())
    assert "note: service_tier flex is left out: a batch is billed at the batch price" in errors
