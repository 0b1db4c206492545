"""Background runs and uploads through the one run path (services/runs.py `execute`), in this
process and in the request process: a cut stream resumes with the whole answer, a polled run
reports its statuses, a run picked up by id completes, marked files are uploaded first."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from playground.core.errors import FailureKind
from playground.core.events import BackgroundStatus, TextDelta
from playground.core.profiles import ProviderProfile
from playground.core.workspace import FilePart, Message, Parameters, TextPart, Workspace
from playground.services import background_stream
from playground.services.backend import Backend
from playground.services.runs import Run, execute, fixed_key
from playground.services.simulator import Scenario, Simulator
from tests.conftest import run
from tests.services.sim_client import tiny_pdf

KEY = fixed_key("sk-test-key")
WORDS = [f"w{i} " for i in range(30)]


def ws(stream: bool = True, **params: Any) -> Workspace:
    return Workspace(
        api="responses",
        model="gpt-4o-mini",
        stream=stream,
        params=Parameters(background=True, **params),
        messages=[Message(role="user", content="Explain resumable streams")],
    )


def executed(r: Run, backend: Backend) -> Any:
    """Execute `r` to its end and close the backend's clients."""

    async def go() -> Any:
        try:
            return await execute(r, backend, KEY)
        finally:
            await backend.aclose()

    return run(go())


def statuses(r: Run) -> list[BackgroundStatus]:
    return [e for e, _ in r.events if isinstance(e, BackgroundStatus)]


def text(r: Run) -> str:
    return "".join(e.text for e, _ in r.events if isinstance(e, TextDelta))


def test_a_cut_background_stream_resumes_with_the_whole_answer(
    backend: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    simulator.enqueue(Scenario(text=WORDS, truncate_after=9, delay=0.002))
    r = Run(ws(), profile, owner="tab-1")
    turn = executed(r, backend)
    assert simulator.disconnects == 1
    assert r.outcome == "done" and turn is not None
    assert turn.text == "".join(WORDS)
    assert r.body is not None and r.body["background"] is True
    resumed = [s for s in statuses(r) if s.resumed]
    assert len(resumed) == 1 and resumed[0].sequence >= 0
    assert [s.status for s in statuses(r) if not s.resumed][:1] == ["queued"]
    assert r.response_id is not None and r.response_id.startswith("resp")
    (get,) = [q for q in simulator.requests if q.method == "GET"]
    assert get.query["starting_after"] == str(resumed[0].sequence)


def test_a_background_run_not_streamed_is_polled_to_the_end(
    backend: Backend, profile: ProviderProfile, simulator: Simulator, monkeypatch: Any
) -> None:
    monkeypatch.setattr(background_stream, "POLL_S", 0.02)  # in this process only
    simulator.enqueue(Scenario(text=WORDS, delay=0.005))
    r = Run(ws(stream=False), profile, owner="tab-1")
    turn = executed(r, backend)
    assert turn is not None and turn.text == "".join(WORDS)
    seen = [s.status for s in statuses(r)]
    assert seen[0] == "queued" and seen[-1] == "completed"
    assert r.background == "completed"


def test_a_background_run_is_picked_up_by_its_id(
    backend: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    gate = threading.Event()
    simulator.enqueue(Scenario(text=WORDS, gate_after=6, gate=gate))
    first = Run(ws(), profile, owner="tab-1")

    async def leave() -> None:
        import asyncio

        task = asyncio.ensure_future(execute(first, backend, KEY))
        first.attach(task)
        while first.response_id is None:
            await asyncio.sleep(0.005)
        first.cancel()  # the app closes: the job goes on on the server
        await asyncio.gather(task, return_exceptions=True)
        await backend.aclose()

    run(leave())
    assert first.outcome == "stopped" and first.response_id is not None
    gate.set()
    again = Run(ws(), profile, owner="tab-1")
    again.resume = (first.response_id, -1)
    turn = executed(again, backend)
    assert turn is not None and turn.text == "".join(WORDS)
    assert again.response_id == first.response_id
    assert len(simulator.bodies("/responses")) == 1  # nothing was created again


def test_marked_files_are_uploaded_before_the_request(
    backend: Backend, profile: ProviderProfile, simulator: Simulator, tmp_path: Path
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(tiny_pdf("Quarterly numbers are up"))
    part = FilePart(path=str(pdf), filename="report.pdf", upload=True)
    msg = Message(role="user", content=[TextPart(text="Summarise"), part, part])
    w = Workspace(api="responses", model="gpt-4o-mini", messages=[msg])
    r = Run(w, profile, owner="tab-1")
    uploaded: list[dict[str, str]] = []
    r.files_uploaded.connect(lambda ids, origin: uploaded.append(ids))
    turn = executed(r, backend)
    assert turn is not None and turn.failure is None
    (ids,) = uploaded
    assert list(ids) == [str(pdf)] and ids[str(pdf)].startswith("file-")
    sent = simulator.bodies("/responses")[-1]["input"][0]["content"]
    assert [p.get("file_id") for p in sent[1:]] == [ids[str(pdf)]] * 2
    assert "file_data" not in sent[1]
    assert "Quarterly numbers are up" in turn.text
    assert len(simulator.bodies("/files")) == 1  # one path, one upload


def test_an_upload_that_fails_ends_the_run_with_a_typed_failure(
    backend: Backend, profile: ProviderProfile, simulator: Simulator, tmp_path: Path
) -> None:
    gone = FilePart(path=str(tmp_path / "gone.pdf"), filename="gone.pdf", upload=True)
    msg = Message(role="user", content=[TextPart(text="Summarise"), gone])
    r = Run(Workspace(api="responses", model="gpt-4o-mini", messages=[msg]), profile, owner="t")
    turn = executed(r, backend)
    assert r.outcome == "failed" and turn is not None and turn.failure is not None
    assert turn.failure.kind is FailureKind.UPLOAD
    assert "gone.pdf could not be read" in turn.failure.message
    assert not simulator.bodies("/responses")  # nothing was sent


def test_a_job_cancelled_elsewhere_ends_the_run_as_cancelled(
    backend: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    import asyncio

    from tests.services.sim_client import strict_client

    gate = threading.Event()
    simulator.enqueue(Scenario(text=WORDS, gate_after=6, gate=gate))
    r = Run(ws(), profile, owner="tab-1")

    async def go() -> Any:
        task = asyncio.ensure_future(execute(r, backend, KEY))
        try:
            while r.response_id is None:
                await asyncio.sleep(0.005)
            async with strict_client(simulator) as other:
                await other.responses.cancel(r.response_id)
            gate.set()
            return await task
        finally:
            await backend.aclose()

    turn = run(go())
    assert r.outcome == "failed" and turn.failure is not None
    assert turn.failure.kind is FailureKind.CANCELLED
    assert "cancelled on the server" in turn.failure.message


def test_a_pickup_of_a_response_the_server_does_not_know_fails_as_gone(
    backend: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    for stream in (True, False):
        r = Run(ws(stream=stream), profile, owner="tab-1")
        r.resume = ("resp_unknown", -1)
        turn = executed(r, backend)
        assert r.outcome == "failed" and turn.failure is not None
        assert turn.failure.kind is FailureKind.BACKGROUND_GONE
        assert "could not be found on the server" in turn.failure.message
        assert turn.failure.status == 404  # the server's own words stay in the details
    assert not simulator.bodies("/responses")  # nothing was sent again


def test_only_the_apps_own_simulator_ends_its_jobs_with_the_app(simulator: Simulator) -> None:
    from playground.services.connection import Connections
    from playground.services.keystore import KeyStore
    from tests.services.test_keystore import MemoryKeyring

    sim = ProviderProfile(name="Offline simulator", kind="simulator")
    server = ProviderProfile(name="Gateway", base_url=simulator.base_url)
    own = Connections(KeyStore(MemoryKeyring()), env={})
    handed = Connections(KeyStore(MemoryKeyring()), env={}, simulator=simulator)
    assert not own.jobs_outlive_app(sim) and own.jobs_outlive_app(server)
    assert handed.jobs_outlive_app(sim)  # a simulator that outlives the app (tests)
