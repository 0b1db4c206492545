"""The progress line of an evaluation's batches: every figure is about all of them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from playground.core.counts import counted
from playground.services.batch_progress import progress_text
from playground.services.batch_store import BatchState

STATUSES = ["validating", "in_progress", "finalizing", "completed", "failed", "cancelled"]


def state(part: int, parts: int, status: str, done: int, collected: bool = False) -> BatchState:
    return BatchState(f"b{part}", "e-1", part, parts, "p", "/v1/chat/completions", "m", "f",
                      status, total=500, completed=done, collected=collected)  # fmt: skip


def test_two_batches_say_how_many_are_at_each_status_not_one_part_beside_all_counts() -> None:
    one, two = state(1, 2, "finalizing", 5), state(2, 2, "completed", 5, True)
    one = BatchState(**{**one.__dict__, "total": 5})
    two = BatchState(**{**two.__dict__, "total": 5})
    text, done, total = progress_text([one, two])
    assert text == "Batches: 1 of 2 finalizing, 1 completed · 10/10 requests"
    assert (done, total) == (10, 10)
    assert "part" not in text


def test_one_batch_and_the_ends() -> None:
    assert progress_text([state(1, 1, "in_progress", 412)])[0] == (
        "Batch: in_progress · 412/500 requests"
    )
    cancelled = [state(1, 2, "completed", 500), state(2, 2, "cancelled", 300)]
    assert progress_text(cancelled)[0] == (
        "Batches: 1 of 2 completed, 1 cancelled · 800/1,000 requests · collecting"
    )
    assert progress_text([]) == ("Batch: submitting…", 0, 0)


@given(st.lists(st.tuples(st.sampled_from(STATUSES), st.integers(0, 500)), min_size=1, max_size=6))
def test_the_counts_are_all_batches_and_the_statuses_add_up(parts: list[tuple[str, int]]) -> None:
    states = [state(k + 1, len(parts), s, d) for k, (s, d) in enumerate(parts)]
    text, done, total = progress_text(states)
    assert (done, total) == (sum(d for _s, d in parts), 500 * len(parts))
    assert f"{done:,}/{total:,} requests" in text
    assert "part" not in text
    if len(parts) > 1:
        head = text.split(" · ")[0].removeprefix("Batches: ")
        numbers = [int(g.split(" ")[0]) for g in head.split(", ")]
        assert sum(numbers) == len(parts) and f" of {len(parts)} " in head


def test_counted_says_one_without_the_plural() -> None:
    assert counted(1, "request") == "1 request"
    assert counted(2, "request") == "2 requests"
    assert counted(1, "batch") == "1 batch" and counted(3, "batch") == "3 batches"
    assert counted(1200, "request") == "1,200 requests"
