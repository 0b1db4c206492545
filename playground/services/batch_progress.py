"""One evaluation's batches in a line for the progress bar: every figure is about all of them.

"Batch: in_progress · 412/1000 requests" for one batch; for several, how many batches are at
each status, in the order their parts go: "Batches: 1 of 2 finalizing, 1 completed ·
10/10 requests" (never one batch's part label beside all batches' counts)."""

from __future__ import annotations

from playground.core.counts import counted
from playground.services.batch_store import BatchState


def progress_text(states: list[BatchState]) -> tuple[str, int, int]:
    """The line, the requests done (completed + failed) and all of them, over `states`."""
    if not states:
        return "Batch: submitting…", 0, 0
    done = sum(s.completed + s.failed for s in states)
    total = sum(s.total for s in states)
    ordered = sorted(states, key=lambda s: s.part)
    groups: dict[str, int] = {}
    for state in ordered:
        groups[state.status] = groups.get(state.status, 0) + 1
    if len(ordered) == 1:
        text = f"Batch: {ordered[0].status}"
    else:
        said = [f"{n} {status}" for status, n in groups.items()]
        said[0] = f"{said[0].split(' ', 1)[0]} of {len(ordered)} {said[0].split(' ', 1)[1]}"
        text = "Batches: " + ", ".join(said)
    text += f" · {done:,}/{counted(total, 'request')}"
    if all(s.finished for s in states) and not all(s.collected for s in states):
        text += " · collecting"
    return text, done, total
