"""The model catalog as data, and the pure reducer."""

from __future__ import annotations

from datetime import date

import pytest

from playground.core import catalog
from playground.core.errors import Failure, FailureKind
from playground.core.events import (
    Failed,
    Finished,
    ReasoningDelta,
    RefusalDelta,
    RunStarted,
    TextDelta,
    ToolCallDelta,
    ToolCallDone,
    ToolCallStarted,
    Usage,
)
from playground.core.reducer import append_tool_results, append_turn, pending_calls, reduce
from playground.core.workspace import Message, Workspace

REQUIRED = [
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "o1",
    "o1-pro",
    "o3",
    "o3-mini",
    "o4-mini",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
]


def test_catalog_has_the_required_models() -> None:
    ids = [m.id for m in catalog.models()]
    assert set(REQUIRED) <= set(ids)


@pytest.mark.parametrize(
    ("model", "inp", "out"),
    [
        ("gpt-4o", 2.50, 10.0),
        ("gpt-4o-mini", 0.15, 0.60),
        ("o1", 15.0, 60.0),
        ("o3-mini", 1.10, 4.40),
        ("o1-pro", 150.0, 600.0),
    ],
)
def test_prices_as_of_march_2026(model: str, inp: float, out: float) -> None:
    info = catalog.lookup(model)
    price = info.price_on(date(2026, 3, 15))
    assert price is not None
    assert (price.input, price.output) == (inp, out)
    assert info.checked is not None and info.checked >= "2026-03"


def test_cost_estimate() -> None:
    # 1M uncached input and 1M output tokens of gpt-4o cost $12.50
    assert catalog.cost_usd("gpt-4o", 1_000_000, 0, 1_000_000) == pytest.approx(12.5)
    assert catalog.cost_usd("some-custom-model", 10, 0, 10) is None


def test_reasoning_rules_come_from_data() -> None:
    o3 = catalog.lookup("o3-mini")
    assert o3.reasoning and o3.fixed["temperature"] == 1 and o3.accepts("reasoning_effort")
    g = catalog.lookup("gpt-4o")
    assert g.accepts("temperature") and not g.accepts("reasoning_effort")
    assert catalog.lookup("gpt-5").efforts == ("minimal", "low", "medium", "high")


def test_snapshots_map_to_their_base_and_unknown_ids_are_permissive() -> None:
    snap = catalog.lookup("gpt-4o-2024-08-06")
    assert snap.known and snap.entry_id == "gpt-4o" and snap.id == "gpt-4o-2024-08-06"
    custom = catalog.lookup("qwen2.5:7b")
    assert not custom.known and custom.accepts("temperature") and custom.accepts("verbosity")


def test_reducer_builds_the_turn() -> None:
    events = [
        RunStarted("gpt-4o", "resp_1"),
        ReasoningDelta("Think"),
        ReasoningDelta("ing."),
        TextDelta("Hel"),
        TextDelta("lo"),
        TextDelta("Alt", choice=1),
        ToolCallStarted(0, "call_1", "f", "fc_1"),
        ToolCallDelta(0, '{"a"'),
        ToolCallDelta(0, ": 1}"),
        Usage(10, 2, 5, 1),
        Finished("tool_calls", "resp_1", {0: "tool_calls"}),
    ]
    turn = reduce(events)
    assert turn.text == "Hello"
    assert turn.choices == {0: "Hello", 1: "Alt"}
    assert turn.reasoning_summary == "Thinking."
    assert turn.tool_calls[0].parsed_arguments == {"a": 1}
    assert turn.usage == Usage(10, 2, 5, 1)
    assert turn.finish_reason == "tool_calls" and turn.response_id == "resp_1"
    assert turn.complete


def test_done_arguments_win_over_fragments_and_failure_keeps_partial_text() -> None:
    fail = Failure(FailureKind.STREAM_ERROR, "boom")
    turn = reduce(
        [
            TextDelta("part"),
            ToolCallStarted(0, "c", "f"),
            ToolCallDelta(0, "{"),
            ToolCallDone(0, "{}"),
            RefusalDelta("no"),
            Failed(fail),
        ]
    )
    assert turn.text == "part" and turn.refusal == "no"
    assert turn.tool_calls[0].arguments == "{}"
    assert turn.failure == fail and not turn.complete


def test_turn_and_tool_results_append_to_the_workspace() -> None:
    ws = Workspace(messages=[Message(role="user", content="q")])
    turn = reduce(
        [ToolCallStarted(0, "call_7", "f"), ToolCallDone(0, "{}"), Finished("tool_calls")]
    )
    ws2 = append_turn(ws, turn)
    assert ws2.messages[-1].role == "assistant"
    assert [c.id for c in pending_calls(ws2)] == ["call_7"]
    ws3 = append_tool_results(ws2, {"call_7": "42"})
    assert ws3.messages[-1].tool_call_id == "call_7" and pending_calls(ws3) == []
    assert len(ws.messages) == 1  # the original is untouched
