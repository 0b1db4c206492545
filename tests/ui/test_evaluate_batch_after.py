"""Evaluate mode on the Batch API after tracking stops, and after a restart (issue 18, faults a
fresh-eyes tester found): a profile without a key after a restart is said in the app's words
with "Look again" (and saving its key looks again); Run waits while the batches are out,
whatever the tracking; cells of a cancelled batch say so; collected batch cells stay batch
cells after a restart (text, tooltip, double-click, buttons)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from playground.core.profiles import ProviderProfile
from playground.core.workspace import Workspace
from playground.ui.views.evaluate_view import EvaluateView
from tests.ui.conftest import App
from tests.ui.test_evaluate_batch import enter, on_clock, restarted, submit, texts, workspace

NAME = "Sim8758"


def keyed(app: App) -> ProviderProfile:
    """A profile that needs a key, on the test's simulator (its key in this session only)."""
    profile = ProviderProfile(name=NAME, base_url=app.sim.base_url, max_retries=0)
    app.window.set_profiles([*app.window.profiles, profile])
    app.pg.keys.set(NAME, "sk-session-only")
    return profile


@contextmanager
def restarted_without_keys(app: App, path: Path, profile: ProviderProfile) -> Iterator[Any]:
    """A new app on the same data folder and simulator, with no key stored (the keyring of
    the last session is gone), opening `path`: (its Playground, its Evaluate view)."""
    from playground.services.keystore import KeyStore
    from playground.ui.app import Playground
    from tests.services.test_keystore import MemoryKeyring

    pg = Playground(
        app.pg.data_dir.parent / "settings2.json", keys=KeyStore(MemoryKeyring()), env={},
        simulator_speed=None, strict=True, simulator=app.sim, data_dir=app.pg.data_dir,
    )  # fmt: skip
    window = pg.open_window(Workspace(profile="Offline simulator"), path=path)
    window.set_profiles([*window.profiles, profile])  # before the first look
    app.qtbot.addWidget(window)
    window.show()
    try:
        view = window.current_view
        assert view is not None
        yield pg, window, view.evaluate
    finally:
        window.close()
        closing = asyncio.ensure_future(pg.aclose())
        app.qtbot.waitUntil(closing.done, timeout=5000)
        closing.result()


def quit_mid_poll(app: App, tmp_path: Path, ws: Workspace) -> Path:
    ev = enter(app, ws)
    path = tmp_path / "ws.json"
    docs = app.pg.documents
    assert docs is not None and docs.save_to(path)
    clock = on_clock(app)
    submit(app, ev)
    clock.step(app, 50)
    app.qtbot.waitUntil(lambda: "in_progress" in ev.progress.text(), timeout=5000)
    evaluate = app.window.window_runs.evaluate
    evaluate.batch.close()
    done = asyncio.ensure_future(evaluate.batch.wait())
    app.qtbot.waitUntil(done.done, timeout=5000)
    return path


def interactive_bodies(app: App) -> int:
    return sum(1 for b in app.sim.bodies() if b and "messages" in b)


def test_a_restart_without_the_key_says_so_holds_run_and_looks_again_when_a_key_is_saved(
    app: App, tmp_path: Path
) -> None:
    profile = keyed(app)
    ws = workspace().model_copy(update={"profile": NAME})
    path = quit_mid_poll(app, tmp_path, ws)
    clock = app.sim.clock
    with restarted_without_keys(app, path, profile) as (pg, window, ev):
        controller = window.window_runs.evaluate.batch.controller
        controller.sleep = clock.sleep  # type: ignore[attr-defined]
        app.qtbot.waitUntil(lambda: ev.status == "stopped", timeout=10_000)
        assert ev.error.text() == f"No API key for the profile {NAME}: add one in Providers."
        assert not ev.look_again.isHidden()  # "Look again" beside it
        # Run, Run as batch and Rerun failed wait while the batches are out, and say why
        assert not ev.run_button.isEnabled() and not ev.batch_action.isEnabled()
        assert not ev.rerun_button.isEnabled()
        assert ev.run_button.toolTip().startswith("Run waits: this evaluation's batches")
        before = interactive_bodies(app)
        ev.run_requested.emit()  # Ctrl+Enter: no interactive run of those cells
        app.qtbot.wait(100)
        assert interactive_bodies(app) == before
        assert ev.status == "stopped"
        pg.providers.save_key(NAME, "sk-saved-again")  # Providers: looks again on its own
        app.qtbot.waitUntil(lambda: ev.status == "batch", timeout=10_000)
        assert ev.look_again.isHidden() and not ev.error.isVisible()
        clock.step(app, 200)  # type: ignore[attr-defined]
        app.qtbot.waitUntil(lambda: ev.status == "done", timeout=10_000)
        assert ev.run_button.isEnabled() and ev.held == ""


def test_cells_a_cancelled_batch_never_ran_say_so_and_batch_cells_stay_batch_after_a_restart(
    app: App, tmp_path: Path
) -> None:
    ev = enter(app, workspace())
    path = tmp_path / "ws.json"
    docs = app.pg.documents
    assert docs is not None and docs.save_to(path)
    clock = on_clock(app)
    submit(app, ev)
    clock.step(app, 50)
    app.qtbot.waitUntil(lambda: "in_progress" in ev.progress.text(), timeout=5000)
    ev.stop_button.click()
    app.qtbot.waitUntil(lambda: "cancel" in ev.progress.text(), timeout=5000)
    clock.step(app, 10)
    app.qtbot.waitUntil(lambda: ev.status == "stopped", timeout=10_000)
    pending = "pending (the batch was cancelled before it ran: Run the rest runs it)"

    def check(view: EvaluateView) -> None:
        shown = texts(view)
        assert pending in shown and "pending (in the batch)" not in shown
        done = [t for t in shown if not t.startswith("pending")]
        assert done and all("\nbatch · – · " in t for t in done), done
        m = view.matrix_model
        cells = m.cells()
        k = next(i for i, c in enumerate(cells) if c.finished)
        tip = m.data(
            m.index(k // m.columnCount(), k % m.columnCount()), Qt.ItemDataRole.ToolTipRole
        )
        assert "Double-click to open" not in tip
        assert not view.rerun_button.isEnabled() and not view.report_button.isEnabled()

    check(ev)
    with restarted(app, path) as again:
        app.qtbot.waitUntil(lambda: again.matrix_model.rowCount() == 3, timeout=10_000)
        app.qtbot.waitUntil(lambda: any(c.finished for c in again.matrix_model.cells()),
                            timeout=10_000)  # fmt: skip
        check(again)
        cell = next(c for c in again.matrix_model.cells() if c.finished)
        again.cell_opened.emit(cell.variant, cell.row)  # a double-click
        window: Any = again.window()  # the MainWindow that holds the view
        assert window.status.text().startswith("A batch cell has no run in History")


def test_run_waits_while_held_in_every_status_and_says_why(app: App) -> None:
    ev = enter(app, workspace())
    tips = (ev.run_button.toolTip(), ev.batch_action.toolTip())
    for status in ("idle", "running", "paused", "batch", "done", "stopped"):
        ev.hold("Run waits: the batches are out")
        ev.set_status(status)
        assert not ev.run_button.isEnabled() and not ev.batch_action.isEnabled(), status
        assert not ev.rerun_button.isEnabled() and not ev.batch_button.isEnabled(), status
        assert ev.run_button.toolTip() == "Run waits: the batches are out"
        ev.hold("")
        assert (ev.run_button.toolTip(), ev.batch_action.toolTip()) == tips
    assert ev.run_button.isEnabled()


def test_look_again_looks_again_and_says_the_same_in_the_apps_words(
    app: App, tmp_path: Path
) -> None:
    profile = keyed(app)
    path = quit_mid_poll(app, tmp_path, workspace().model_copy(update={"profile": NAME}))
    with restarted_without_keys(app, path, profile) as (_pg, window, ev):
        window.window_runs.evaluate.batch.controller.sleep = app.sim.clock.sleep  # type: ignore[attr-defined]
        app.qtbot.waitUntil(lambda: not ev.look_again.isHidden(), timeout=10_000)
        ev.look_again.click()
        assert ev.look_again.isHidden()
        app.qtbot.waitUntil(lambda: not ev.look_again.isHidden(), timeout=10_000)
        assert ev.error.text() == f"No API key for the profile {NAME}: add one in Providers."
        assert "Missing credentials" not in window.status.text()


def test_a_flex_workspace_as_a_batch_leaves_the_tier_out_and_the_confirmation_says_so(
    app: App,
) -> None:
    from playground.core.workspace import Parameters

    ws = workspace().model_copy(update={"params": Parameters(service_tier="flex")})
    ev = enter(app, ws)
    on_clock(app)
    said = submit(app, ev)
    assert "Note: service_tier flex is left out: a batch is billed at the batch price" in said
    assert all(b is None or "service_tier" not in b for b in app.sim.bodies())
