"""The request process: what only it can get wrong (every backend test also runs through it,
see the `backend` fixture): it is another process, it survives nothing it should not, a dead
one is replaced, it ends with the app, and its log reaches the app's log."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from playground.core.errors import FailureKind
from playground.core.events import Failed
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn, TurnAccumulator
from playground.core.workspace import Message, Workspace
from playground.services import worker
from playground.services.simulator import Scenario, Simulator
from playground.services.worker import WorkerBackend, WorkerFailure
from tests.conftest import run

KEY = "sk-test-key"
ROOT = Path(__file__).resolve().parents[2]


def workspace(content: str = "Hello", api: str = "responses") -> Workspace:
    return Workspace(api=api, messages=[Message(role="user", content=content)])  # type: ignore[arg-type]


def collect(backend: WorkerBackend, ws: Workspace, profile: ProviderProfile) -> AssistantTurn:
    async def go() -> AssistantTurn:
        acc = TurnAccumulator()
        async for event in backend.run(ws, profile, KEY):
            acc.apply(event)
        return acc.turn()

    return run(go())


def test_requests_run_in_another_process(profile: ProviderProfile, simulator: Simulator) -> None:
    simulator.enqueue(Scenario(text=["Parsed ", "elsewhere."]))
    turn = collect(WorkerBackend(), workspace(), profile)
    assert turn.text == "Parsed elsewhere." and turn.complete
    pid = worker.worker_pid()
    assert pid is not None and pid != os.getpid()


def test_a_large_request_goes_through_whole(profile: ProviderProfile, simulator: Simulator) -> None:
    content = "x" * 3_000_000  # larger than any pipe buffer: both ends must keep reading
    simulator.enqueue(Scenario(text=["ok"]))
    assert collect(WorkerBackend(), workspace(content), profile).text == "ok"
    assert simulator.bodies()[-1]["input"][0]["content"] == content


def test_a_dead_process_ends_its_run_with_a_typed_failure_and_is_replaced(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    gate = threading.Event()
    simulator.enqueue(Scenario(text=["first ", "second"], gate_after=2, gate=gate))
    backend = WorkerBackend()

    async def go() -> tuple[str, list[Failed]]:
        acc, failures, killed = TurnAccumulator(), [], False
        async for event in backend.run(workspace(api="chat"), profile, KEY):
            acc.apply(event)
            if isinstance(event, Failed):
                failures.append(event)
            if acc.text == "first " and not killed:
                pid = worker.worker_pid()
                assert pid is not None and pid != os.getpid()
                os.kill(pid, signal.SIGKILL)
                killed = True
        return acc.text, failures

    try:
        text, failures = run(go())
    finally:
        gate.set()
    assert text == "first "  # what arrived is kept
    assert len(failures) == 1 and failures[0].failure.kind == FailureKind.UNKNOWN
    assert "request process stopped unexpectedly" in failures[0].failure.message
    simulator.enqueue(Scenario(text=["again"]))
    assert collect(backend, workspace(), profile).text == "again"  # a new process serves


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_the_process_ends_when_the_app_is_killed(tmp_path: Path) -> None:
    app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from playground.services import worker; worker.start(); "
            "print(worker.worker_pid(), flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert app.stdout is not None
    pid = int(app.stdout.readline())
    assert _running(pid)
    app.kill()  # SIGKILL: nothing of the app runs to stop its worker
    app.wait()
    deadline = time.monotonic() + 20
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(pid), "the request process outlived the app"


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" not in status.read_text()
    except FileNotFoundError:
        return False


def test_model_lists_and_their_failures(profile: ProviderProfile, simulator: Simulator) -> None:
    backend = WorkerBackend()
    ids = [m.id for m in run(backend.list_models(profile, KEY))]
    assert "gpt-4o" in ids and "my-local-model" in ids
    simulator.api_key = "sk-another-key"
    with pytest.raises(WorkerFailure) as caught:
        run(backend.list_models(profile, KEY))
    assert caught.value.failure.kind == FailureKind.AUTHENTICATION


def test_its_log_reaches_the_apps_log(
    profile: ProviderProfile, simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    simulator.enqueue(Scenario(text=["logged"]))
    collect(WorkerBackend(), workspace(), profile)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(
        r.name == "playground.services.backend" and "run finished" in r.getMessage()
        for r in caplog.records
    ):
        time.sleep(0.01)  # the reader thread logs it as it arrives
    assert any(
        r.name == "playground.services.backend" and "via test" in r.getMessage()
        for r in caplog.records
    ), [r.getMessage() for r in caplog.records]


def test_a_cancelled_model_list_leaves_the_process_serving(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    backend = WorkerBackend()

    async def go() -> list[str]:
        task = asyncio.ensure_future(backend.list_models(profile, KEY))
        await asyncio.sleep(0)
        task.cancel()
        return [m.id for m in await backend.list_models(profile, KEY)]

    assert "gpt-4o" in run(go())
