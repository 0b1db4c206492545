"""The simulator's Files and Batches endpoints, read by the real SDK in strict mode over HTTP:
a 10,000-request round trip mapped back to its cells, a set split in two, partial failures,
whole-file validation failures, the lifecycle on a controlled clock, cancel and paging."""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from openai.types.chat import ChatCompletion
from openai.types.responses import Response

from playground.core.batch_check import split
from playground.core.batch_requests import BatchLine, CellIds, jsonl, lines_for
from playground.core.evaluation_spec import TestRow
from playground.core.workspace import Message, Variant, Workspace
from playground.services.simulator import Simulator
from tests.conftest import run

CHAT = "/v1/chat/completions"


class Clock:
    """A clock a test moves by hand: the simulator's batches advance only when it does."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def client(sim: Simulator) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=sim.base_url,
        api_key="sk-test",
        max_retries=0,
        _strict_response_validation=True,
        timeout=120,
    )


def chat_line(cid: str, model: str = "gpt-4o-mini", **extra: Any) -> BatchLine:
    body = {"model": model, "messages": [{"role": "user", "content": f"Say {cid}"}], **extra}
    return BatchLine(cid, CHAT, body)


async def submit(c: openai.AsyncOpenAI, data: bytes, endpoint: str = CHAT) -> str:
    f = await c.files.create(file=("in.jsonl", data), purpose="batch")
    batch = await c.batches.create(
        input_file_id=f.id,
        endpoint=endpoint,  # type: ignore[arg-type]
        completion_window="24h",
        metadata={"evaluation": "e-test"},
    )
    assert batch.status == "validating"
    assert batch.input_file_id == f.id
    return batch.id


async def lines_of(c: openai.AsyncOpenAI, file_id: str | None) -> list[dict[str, Any]]:
    if file_id is None:
        return []
    content = await c.files.content(file_id)
    return [json.loads(s) for s in content.text.splitlines()]


def test_ten_thousand_cells_round_trip_and_map_back(simulator: Simulator) -> None:
    ws = Workspace(
        api="chat",
        model="gpt-4o-mini",
        messages=[Message(role="user", content="Repeat the word {{word}}")],
    )
    rows = [TestRow(id=f"row-{i:05}", values={"word": f"w{i}x"}) for i in range(10_000)]
    lines = lines_for(ws, [], rows, "e-0123456789")
    files = split(lines)
    assert len(files) == 1

    async def go() -> None:
        async with client(simulator) as c:
            batch_id = await submit(c, jsonl(files[0]))
            batch = await c.batches.retrieve(batch_id)
            assert batch.status == "completed"
            assert batch.request_counts is not None
            assert batch.request_counts.model_dump() == {
                "total": 10_000,
                "completed": 10_000,
                "failed": 0,
            }
            assert batch.usage is not None and batch.usage.output_tokens > 0
            assert batch.error_file_id is None
            out = await lines_of(c, batch.output_file_id)
        ids = CellIds("e-0123456789", [("base", r.id) for r in rows])
        by_row = {}
        for line in out:
            cell = ids.cell_of(line["custom_id"])
            assert cell is not None
            by_row[cell[1]] = line["response"]["body"]["choices"][0]["message"]["content"]
        assert len(by_row) == 10_000
        # each answer is the simulated model's answer to that row's own request
        assert all(f"w{int(r.id[4:])}x" in by_row[r.id] for r in rows[::997])

    run(go())


def test_a_set_over_the_limit_is_split_and_both_batches_come_back(simulator: Simulator) -> None:
    ws = Workspace(
        api="responses", model="gpt-4o-mini", messages=[Message(role="user", content="{{q}}")]
    )
    rows = [TestRow(id=f"r{i}", values={"q": f"question {i}"}) for i in range(120)]
    variants = [Variant(key="mini"), Variant(key="big", overrides={"model": "gpt-4.1"})]
    lines = lines_for(ws, variants, rows, "e-split")
    files = split(lines, max_requests=100)
    assert [len(f) for f in files] == [100, 20, 100, 20]  # per model, then by count

    async def go() -> None:
        async with client(simulator) as c:
            ids = [await submit(c, jsonl(f), "/v1/responses") for f in files]
            seen: list[str] = []
            for batch_id in ids:
                batch = await c.batches.retrieve(batch_id)
                assert batch.status == "completed"
                out = await lines_of(c, batch.output_file_id)
                seen += [line["custom_id"] for line in out]
                for line in out[:5]:  # each body is a Response the SDK's type reads
                    response = Response.model_validate(line["response"]["body"])
                    assert response.output_text
        assert sorted(seen) == sorted(line.custom_id for line in lines)

    run(go())


def test_partial_failures_land_in_the_error_file_under_their_custom_id(
    simulator: Simulator,
) -> None:
    lines = [
        chat_line("ok-1"),
        chat_line("no-such-model", model="gpt-nonexistent-9"),
        chat_line("refused", model="o3", temperature=0.5),
        chat_line("no-batch", model="gpt-daybreak-blue-latest"),
        chat_line("ok-2"),
    ]

    async def go() -> None:
        async with client(simulator) as c:
            batch = await c.batches.retrieve(await submit(c, jsonl(lines)))
            assert batch.status == "completed"
            assert batch.request_counts is not None
            assert (batch.request_counts.completed, batch.request_counts.failed) == (2, 3)
            good = await lines_of(c, batch.output_file_id)
            bad = {line["custom_id"]: line for line in await lines_of(c, batch.error_file_id)}
        assert [line["custom_id"] for line in good] == ["ok-1", "ok-2"]
        completion = ChatCompletion.model_validate(good[1]["response"]["body"])
        assert "ok-2" in (completion.choices[0].message.content or "")
        assert set(bad) == {"no-such-model", "refused", "no-batch"}
        missing = bad["no-such-model"]["response"]
        assert missing["status_code"] == 404
        assert missing["body"]["error"]["code"] == "model_not_found"
        assert bad["refused"]["response"]["status_code"] == 400
        assert bad["refused"]["response"]["body"]["error"]["param"] == "temperature"
        assert bad["no-batch"]["response"]["body"]["error"]["param"] == "model"
        assert all(line["error"] is None for line in bad.values())

    run(go())


@pytest.mark.parametrize(
    ("raw", "code", "line"),
    [
        (
            jsonl([chat_line("a"), chat_line("a")]),
            "duplicate_custom_id",
            2,
        ),
        (
            jsonl(
                [chat_line("a"), BatchLine("b", "/v1/responses", {"model": "gpt-4o", "input": "x"})]
            ),
            "url_mismatch",
            2,
        ),
        (jsonl([chat_line("a")]) + b"{not json\n", "invalid_json_line", 2),
        (b"\n\n", "empty_file", None),
    ],
    ids=["duplicate", "mixed-endpoints", "not-json", "empty"],
)
def test_a_file_that_does_not_validate_fails_the_batch(
    simulator: Simulator, raw: bytes, code: str, line: int | None
) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            batch = await c.batches.retrieve(await submit(c, raw))
        assert batch.status == "failed"
        assert batch.failed_at is not None
        assert batch.output_file_id is None and batch.error_file_id is None
        assert batch.errors is not None and batch.errors.data
        assert [(e.code, e.line) for e in batch.errors.data] == [(code, line)]

    run(go())


def test_the_lifecycle_follows_the_clock(simulator: Simulator) -> None:
    clock = Clock()
    simulator.clock = clock
    simulator.batch_seconds = 100
    lines = [chat_line(f"c{i}") for i in range(40)]

    async def go() -> None:
        async with client(simulator) as c:
            batch_id = await submit(c, jsonl(lines))
            seen = []
            for t in (5, 10, 50, 89, 90, 100):
                clock.now = 1_800_000_000.0 + t
                b = await c.batches.retrieve(batch_id)
                assert b.request_counts is not None
                seen.append((t, b.status, b.request_counts.completed))
            assert b.completed_at == 1_800_000_100
            assert b.in_progress_at == 1_800_000_010
            assert b.finalizing_at == 1_800_000_090
        assert seen == [
            (5, "validating", 0),
            (10, "in_progress", 0),
            (50, "in_progress", 20),
            (89, "in_progress", 39),
            (90, "finalizing", 40),
            (100, "completed", 40),
        ]

    run(go())


def test_a_batch_not_done_in_24_hours_expires_with_what_it_did(simulator: Simulator) -> None:
    clock = Clock()
    simulator.clock = clock
    simulator.batch_seconds = 2 * 86_400  # slower than the completion window
    lines = [chat_line(f"c{i}") for i in range(10)]

    async def go() -> None:
        async with client(simulator) as c:
            batch_id = await submit(c, jsonl(lines))
            clock.now += 86_400
            b = await c.batches.retrieve(batch_id)
            assert b.status == "expired"
            assert b.expired_at == b.expires_at
            done = await lines_of(c, b.output_file_id)
            left = await lines_of(c, b.error_file_id)
        assert 0 < len(done) < 10
        assert {x["error"]["code"] for x in left} == {"batch_expired"}
        assert sorted(x["custom_id"] for x in done + left) == sorted(ln.custom_id for ln in lines)

    run(go())


def test_cancel_keeps_what_was_done_and_says_what_was_not(simulator: Simulator) -> None:
    clock = Clock()
    simulator.clock = clock
    simulator.batch_seconds = 100
    lines = [chat_line(f"c{i}") for i in range(20)]

    async def go() -> None:
        async with client(simulator) as c:
            batch_id = await submit(c, jsonl(lines))
            clock.now += 50
            b = await c.batches.cancel(batch_id)
            assert b.status == "cancelling"
            assert (await c.batches.retrieve(batch_id)).status == "cancelling"
            clock.now += 5
            b = await c.batches.retrieve(batch_id)
            assert b.status == "cancelled"
            assert b.cancelled_at is not None and b.cancelling_at is not None
            assert b.request_counts is not None
            assert (b.request_counts.total, b.request_counts.completed) == (20, 10)
            done = await lines_of(c, b.output_file_id)
            left = await lines_of(c, b.error_file_id)
            with pytest.raises(openai.BadRequestError):
                await c.batches.cancel(batch_id)
        assert [x["custom_id"] for x in done] == [f"c{i}" for i in range(10)]
        assert [x["custom_id"] for x in left] == [f"c{i}" for i in range(10, 20)]
        assert {x["error"]["code"] for x in left} == {"batch_cancelled"}

    run(go())


def test_list_pages_newest_first(simulator: Simulator) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            data = jsonl([chat_line("a")])
            made = [await submit(c, data) for _ in range(25)]
            first = await c.batches.list(limit=10)
            assert [b.id for b in first.data] == made[::-1][:10]
            assert first.has_more is True
            second = await c.batches.list(limit=10, after=first.data[-1].id)
            assert [b.id for b in second.data] == made[::-1][10:20]
            every = [b.id async for b in c.batches.list(limit=7)]
            assert every == made[::-1]
            with pytest.raises(openai.BadRequestError):
                await c.batches.list(limit=101)

    run(go())


def test_files_upload_list_retrieve_content_delete(simulator: Simulator) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            f = await c.files.create(file=("rows.jsonl", b'{"a": 1}\n'), purpose="batch")
            g = await c.files.create(file=("notes.txt", b"hello"), purpose="user_data")
            assert (f.bytes, f.filename, f.purpose) == (9, "rows.jsonl", "batch")
            assert f.expires_at == f.created_at + 30 * 86_400
            assert (await c.files.retrieve(f.id)).id == f.id
            assert (await c.files.content(g.id)).content == b"hello"
            listed = [x.id async for x in c.files.list(purpose="batch")]
            assert listed == [f.id]
            assert (await c.files.delete(f.id)).deleted is True
            with pytest.raises(openai.NotFoundError):
                await c.files.retrieve(f.id)
            with pytest.raises(openai.BadRequestError):
                await c.batches.create(input_file_id=g.id, endpoint=CHAT, completion_window="24h")
            with pytest.raises(openai.BadRequestError):
                await c.files.create(file=("x", b"x"), purpose="nonsense")  # type: ignore[arg-type]

    run(go())


def _no_nulls(node: Any) -> Any:
    """The spec types these fields without null, yet its own examples (and the API) send
    null for a field not set yet: read a null as an absent field."""
    if isinstance(node, dict):
        return {k: _no_nulls(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_no_nulls(v) for v in node]
    return node


def test_every_object_matches_the_spec_schema(simulator: Simulator) -> None:
    from tests.core.test_batch_requests import spec_validator

    clock = Clock()
    simulator.clock = clock
    simulator.batch_seconds = 10

    async def go() -> None:
        async with client(simulator) as c:
            raw = jsonl([chat_line("a"), chat_line("b", model="gpt-nonexistent-9")])
            made = await c.files.with_raw_response.create(file=("in.jsonl", raw), purpose="batch")
            file_obj = made.http_response.json()
            created = await c.batches.with_raw_response.create(
                input_file_id=file_obj["id"], endpoint=CHAT, completion_window="24h"
            )
            seen = [("OpenAIFile", file_obj), ("Batch", created.http_response.json())]
            batch_id = seen[-1][1]["id"]
            for step in (0.5, 5, 9.5, 10):
                clock.now = 1_800_000_000.0 + step
                got = await c.batches.with_raw_response.retrieve(batch_id)
                seen.append(("Batch", got.http_response.json()))
            listed = await c.batches.with_raw_response.list()
            files = await c.files.with_raw_response.list()
            seen += [
                ("ListBatchesResponse", listed.http_response.json()),
                ("ListFilesResponse", files.http_response.json()),
            ]
            gone = await c.files.with_raw_response.delete(file_obj["id"])
            seen.append(("DeleteFileResponse", gone.http_response.json()))
        statuses = [obj["status"] for name, obj in seen if name == "Batch"]
        assert statuses == ["validating", "validating", "in_progress", "finalizing", "completed"]
        for name, obj in seen:
            problems = [e.message for e in spec_validator(name).iter_errors(_no_nulls(obj))]
            assert problems == [], (name, obj)

    run(go())
