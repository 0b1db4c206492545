"""When tracking a tab's batches ends (evaluate_batch.py): collected, or stopped on an error.

- Collected: the matrix says how batches that did not complete ended ("pending (the batch
  was cancelled before it ran: Run the rest runs it)").
- Stopped on an error (no key, the server unreachable, ...): the problem in user words,
  "Look again" beside it, and Run, Run as batch and Rerun failed keep waiting (their tooltip
  says why): the batches are still out, and running their cells now would pay twice. Saving
  a key in Providers for the batches' profile looks again on its own.
- Batches that are gone (the in-process simulator that ran them stopped) will never be
  collected: Run works again."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playground.ui.views.evaluate_batch import EvaluateBatch
    from playground.ui.views.workspace_view import WorkspaceView

STOPPED = (
    "Run waits: this evaluation's batches are not collected yet (running its cells now would "
    "pay twice). Look again, or cancel them with `playground batch cancel`."
)


def on_ended(batch: EvaluateBatch, evaluation_id: str, problem: str) -> None:
    """Tracking of `evaluation_id` ended; `problem` "" when every batch was collected."""
    states = batch.states.get(evaluation_id, {})
    if not problem:
        states.update({k: replace(s, collected=True) for k, s in states.items()})
    batch._show_progress(evaluation_id)
    cells = list(batch.cells.get(evaluation_id, {}).values())
    batch.mode.busy_changed.emit()
    gone = batch.controller is not None and evaluation_id in batch.controller.gone
    out = bool(problem) and not gone and not all(s.collected for s in states.values())
    ended = next((s.status for s in states.values() if s.status != "completed"), "")
    if not problem:
        batch.known[evaluation_id] = ended
    for view in batch._tabs_of(evaluation_id):
        ev = view.evaluate
        if problem:
            ev.show_error(problem)
        ev.look_again.setVisible(out)
        ev.held = STOPPED if out else ""
        whole = not problem and not ended
        ev.set_status("done" if whole else "stopped")
        if not problem:
            ev.matrix_model.end_batch(ended)
        passed = sum(c.outcome == "passed" for c in cells)
        said = "Batch evaluation collected" if not problem else "Batch tracking stopped"
        view.runner.set_status(f"{said}  ·  {passed} of {len(cells)} cells passed")


def look_again(batch: EvaluateBatch, view: WorkspaceView) -> None:
    """Poll the tab's batches again (they are read from the store, as on start)."""
    if batch.tracks(view) or batch.controller is None:
        return
    view.evaluate.look_again.setVisible(False)
    view.evaluate.show_error(None)
    batch.resume(view)


def on_key_saved(batch: EvaluateBatch, profile: str) -> None:
    """A key was saved for `profile`: look again where tracking stopped for its batches."""
    for tab, evaluation_id in list(batch.shown.items()):
        view = batch._views.get(tab)
        states = batch.states.get(evaluation_id, {}).values()
        if view is None or view.evaluate.look_again.isHidden():
            continue
        if any(s.profile == profile for s in states):
            look_again(batch, view)
    batch.resume(None)  # and those no tab shows (an evaluation tracked already is skipped)
