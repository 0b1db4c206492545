"""The evaluation runner (services/evaluation.py) over the real simulator: every cell of
variants x rows answered and graded, a provider's concurrency bound kept, rate limits slowing
the matrix without failing cells, pause, resume, cancel, rerun and the summary figures."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.evaluation_results import CellGrade
from playground.core.evaluation_spec import TestRow
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn
from playground.core.variants import Variant
from playground.core.workspace import Message, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.evaluation import Evaluation, Progress, columns_of
from playground.services.runs import RunFigures, fixed_key
from playground.services.simulator import RateLimit, Scenario, Simulator
from tests.conftest import run

KEY = fixed_key("sk-test-key")


def base() -> Workspace:
    return Workspace(
        api="chat", model="gpt-4o-mini", messages=[Message(role="user", content="Say {{word}}")]
    )


def rows(n: int) -> list[TestRow]:
    return [TestRow(id=f"r{i}", values={"word": f"w{i}"}) for i in range(n)]


def fill(ws: Workspace, _variant: Variant | None, row: TestRow) -> Workspace:
    text = ws.messages[0].content
    assert isinstance(text, str)
    for name, value in row.values.items():
        text = text.replace("{{" + name + "}}", value)
    return ws.model_copy(update={"messages": [Message(role="user", content=text)]})


def answered(_row: TestRow, turn: AssistantTurn, _f: RunFigures) -> Sequence[CellGrade]:
    return [CellGrade(bool(turn.text), "an answer" if turn.text else "no answer", "answered")]


def evaluation(
    profile: ProviderProfile, n_rows: int, variants: Sequence[Variant] = (), **kw: Any
) -> Evaluation:
    cols = columns_of(base(), variants, lambda _ws: profile)
    kw.setdefault("grade", answered)
    kw.setdefault("prepare", fill)
    return Evaluation(cols, rows(n_rows), backend=OpenAIBackend(strict=True), resolve=KEY, **kw)


async def finish(ev: Evaluation) -> None:
    try:
        await ev.run()
    finally:
        await ev._backend.aclose()


def test_every_cell_runs_filled_graded_and_summed(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    variants = [Variant(key="a", overrides={}), Variant(key="b", overrides={"model": "gpt-4.1"})]
    ev = evaluation(profile, 5, variants)
    seen: list[Progress] = []
    ev.progressed.connect(seen.append)
    run(finish(ev))
    assert ev.status == "done"
    assert [p.done for p in seen] == list(range(1, 11)) and {p.total for p in seen} == {10}
    assert all(p.eta_s is not None for p in seen) and seen[-1].eta_s == 0
    spent = sum(c.cost_usd or 0 for c in ev.cells.values())
    assert spent > 0 and seen[-1].cost_usd == pytest.approx(spent)
    assert all(c.outcome == "passed" for c in ev.cells.values()) and len(ev.cells) == 10
    sent = sorted(
        (b["model"], b["messages"][0]["content"]) for b in simulator.bodies("/chat/completions")
    )
    assert sent == sorted((m, f"Say w{i}") for m in ("gpt-4o-mini", "gpt-4.1") for i in range(5))
    by = {s.variant: s for s in ev.summary()}
    assert [s.variant for s in ev.summary()] == ["a", "b"]
    for key in ("a", "b"):
        s, cells = by[key], [c for c in ev.cells.values() if c.variant == key]
        assert s.pass_rate == 1.0 and s.finished == 5 and s.errors == 0
        assert s.output_tokens == sum(c.output_tokens or 0 for c in cells) > 0
        assert s.cost_usd == pytest.approx(sum(c.cost_usd or 0 for c in cells))
        times = sorted(c.total_ms or 0 for c in cells)
        assert s.mean_ms == pytest.approx(sum(times) / 5) and s.p95_ms == times[-1]
        assert s.median_ms == times[2]  # the middle of five
        assert s.per_grader == {"answered": 1.0}
    assert all(c.preview and len(c.preview) <= 200 for c in ev.cells.values())
    assert ev.progress().done == ev.progress().total == 10


def test_no_more_than_the_concurrency_of_a_provider_is_in_flight(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    simulator.speed = 400  # each answer takes a while, so the cells overlap
    try:
        ev = evaluation(profile, 12, concurrency=3)
        run(finish(ev))
    finally:
        simulator.speed = None
    assert all(c.outcome == "passed" for c in ev.cells.values())
    assert simulator.max_in_flight == 3  # reached, never passed


@pytest.mark.parametrize("sdk_retries", [0, 2])
def test_a_rate_limit_slows_the_matrix_without_failing_a_cell(
    simulator: Simulator, profile: ProviderProfile, sdk_retries: int
) -> None:
    simulator.rate_limit = RateLimit(requests=3, window_s=0.15)
    limited = profile.model_copy(update={"max_retries": sdk_retries})
    ev = evaluation(limited, 14, concurrency=4)
    run(finish(ev))
    assert simulator.limited > 0  # the server did refuse requests...
    assert [c for c in ev.cells.values() if c.outcome != "passed"] == []  # ...no cell failed
    assert len([r for r in simulator.requests if r.status == 200]) == 14
    if sdk_retries == 0:  # each refusal was sent again by the runner, not the SDK
        assert max(c.attempts for c in ev.cells.values()) > 1


def test_a_cell_that_stays_rate_limited_ends_as_an_error(
    simulator: Simulator, profile: ProviderProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playground.services import evaluation as module

    monkeypatch.setattr(module, "MAX_ATTEMPTS", 2)
    simulator.rate_limit = RateLimit(requests=0, window_s=0.05)
    ev = evaluation(profile.model_copy(update={"max_retries": 0}), 1)
    run(finish(ev))
    (cell,) = ev.cells.values()
    assert cell.outcome == "error" and cell.error_kind == "rate_limit" and cell.attempts == 2


def test_pause_holds_new_cells_and_resume_finishes_them(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    ev = evaluation(profile, 8, concurrency=2)
    seen: list[Any] = []

    def on_cell(_cell: Any) -> None:
        if not seen:
            ev.pause()
        seen.append(_cell)

    ev.cell_finished.connect(on_cell)

    async def go() -> None:
        task = asyncio.create_task(finish(ev))
        while ev.status != "paused":
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)  # long enough for several cells, were they started
        paused_at = len(simulator.requests)
        assert ev.progress().paused and paused_at < 8  # the ones already sent, not the rest
        await asyncio.sleep(0.2)
        assert len(simulator.requests) == paused_at
        ev.resume()
        await task

    run(go())
    assert ev.status == "done" and len(seen) == 8 and len(simulator.requests) == 8


def test_cancel_keeps_finished_cells_and_a_second_run_does_only_the_rest(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    simulator.speed = 300
    ev = evaluation(profile, 10, concurrency=2)
    ev.cell_finished.connect(lambda _c: ev.cancel() if ev.progress().done >= 3 else None)
    try:
        run(finish(ev))
        done = {k for k, c in ev.cells.items() if c.finished}
        assert ev.status == "stopped" and 3 <= len(done) < 10
        assert all(c.outcome == "pending" for k, c in ev.cells.items() if k not in done)
        before = len(simulator.requests)
        ev.cell_finished.disconnect()
        ev._backend = OpenAIBackend(strict=True)
        run(finish(ev))
    finally:
        simulator.speed = None
    assert ev.status == "done" and all(c.outcome == "passed" for c in ev.cells.values())
    assert len(simulator.requests) - before == 10 - len(done)


def test_rerun_runs_only_the_failed_cells(simulator: Simulator, profile: ProviderProfile) -> None:
    strict = {"value": True}

    def grade(row: TestRow, turn: AssistantTurn, f: RunFigures) -> Sequence[CellGrade]:
        ok = not (strict["value"] and row.id in ("r1", "r3"))
        return [CellGrade(ok, "ok" if ok else "r1 and r3 fail the first time", "picky")]

    ev = evaluation(profile, 5, grade=grade)
    run(finish(ev))
    assert sorted(r for (_, r), c in ev.cells.items() if c.outcome == "failed") == ["r1", "r3"]
    (s,) = ev.summary()
    assert s.pass_rate == pytest.approx(3 / 5) and s.per_grader == {"picky": pytest.approx(0.6)}
    strict["value"] = False
    assert ev.rerun() == 2
    assert ev.progress().done == 3
    ev._backend = OpenAIBackend(strict=True)
    before = len(simulator.requests)
    run(finish(ev))
    assert len(simulator.requests) - before == 2
    assert all(c.outcome == "passed" for c in ev.cells.values())


def test_a_server_failure_is_an_error_cell_not_a_grade(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    from playground.services.simulator import HttpError

    simulator.enqueue(Scenario(http_error=HttpError(400, "no", param="model")))
    ev = evaluation(profile.model_copy(update={"max_retries": 0}), 3, concurrency=1)
    run(finish(ev))
    outcomes = sorted(c.outcome for c in ev.cells.values())
    assert outcomes == ["error", "passed", "passed"]
    (err,) = [c for c in ev.cells.values() if c.outcome == "error"]
    assert err.error_kind == "bad_request" and err.grades == ()
    (s,) = ev.summary()
    assert s.errors == 1 and s.pass_rate == pytest.approx(2 / 3)


def test_a_row_that_cannot_be_filled_is_an_error_and_nothing_is_sent(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    def refuse(ws: Workspace, _v: Variant | None, row: TestRow) -> Workspace:
        if row.id == "r0":
            raise ValueError("the variable word has no value")
        return fill(ws, _v, row)

    ev = evaluation(profile, 2, prepare=refuse)
    run(finish(ev))
    assert ev.cells[("base", "r0")].error_kind == "prepare"
    assert len(simulator.requests) == 1


def test_a_hook_that_raises_stops_the_run_and_says_so(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    async def broken(cell: Any, _run: Any) -> Any:
        if cell.row == "r1":
            raise OSError("disk full")
        return cell

    ev = evaluation(profile, 3, concurrency=1, on_cell=broken)
    with pytest.raises(OSError, match="disk full"):
        run(finish(ev))
    assert ev.status == "stopped"
    assert ev.cells[("base", "r0")].outcome == "passed"
    assert ev.cells[("base", "r1")].outcome == "pending"  # not saved: it runs again later


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    faults=st.lists(st.sampled_from([429, 429, 500, 400, 200]), max_size=8).filter(
        lambda f: f.count(429) <= 4
    ),
    concurrency=st.integers(1, 4),
)
def test_any_mix_of_faults_ends_every_cell_and_only_real_failures_are_errors(
    simulator: Simulator, profile: ProviderProfile, faults: list[int], concurrency: int
) -> None:
    """Rate limits are waited out (a 429 never becomes an error cell here); a 500 or a 400
    is an error cell; every other cell passes; nothing is left pending."""
    from playground.services.simulator import HttpError

    simulator.reset()
    for status in faults:
        headers = {"retry-after-ms": "1"} if status == 429 else {}
        error = None if status == 200 else HttpError(status, "scripted", headers=headers)
        simulator.enqueue(Scenario(http_error=error))
    n_rows = 6
    ev = evaluation(profile.model_copy(update={"max_retries": 0}), n_rows, concurrency=concurrency)
    run(finish(ev))
    # requests take the scripted answers in order; those past the last request are unused
    sent = limited = 0
    while sent < len(faults) and sent < n_rows + limited:
        limited += faults[sent] == 429
        sent += 1
    used = faults[:sent]
    outcomes = [c.outcome for c in ev.cells.values()]
    real = sum(s in (500, 400) for s in used)
    assert outcomes.count("error") == real and outcomes.count("passed") == n_rows - real
    assert {c.error_kind for c in ev.cells.values() if c.error_kind} <= {"server", "bad_request"}
    assert len(simulator.requests) == n_rows + limited


def test_an_mcp_servers_secret_header_is_filled_from_the_keyring_lookup(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    from playground.core.mcp_tools import McpTool
    from playground.services.simulator.mcp_servers import SECURE_TOKEN, SECURE_URL

    secure = McpTool(
        server_label="secure",
        server_url=SECURE_URL,
        secret_headers=["Authorization"],
        require_approval="never",
    )
    ws = Workspace(
        model="gpt-4.1-mini",
        messages=[Message(role="user", content="get_report for {{word}}")],
        mcp_tools=[secure],
    )
    secret = f"Bearer {SECURE_TOKEN}"
    for lookup, said in (
        ({"mcp/secure/Authorization": secret}.get, "ran `get_report`"),
        (None, "401"),
    ):
        simulator.reset()
        cols = columns_of(ws, (), lambda _ws: profile)
        ev = Evaluation(
            cols,
            rows(1),
            backend=OpenAIBackend(strict=True),
            resolve=KEY,
            prepare=fill,
            grade=answered,
            header_secrets=lookup,
        )
        run(finish(ev))
        headers = simulator.bodies("/responses")[0]["tools"][0].get("headers")
        assert headers == ({"Authorization": secret} if lookup else {})
        cell = next(iter(ev.cells.values()))
        assert cell.outcome == "passed" and said in (cell.preview or ""), cell


def test_a_cell_whose_file_is_missing_is_an_error_and_nothing_is_sent(
    simulator: Simulator, profile: ProviderProfile, tmp_path: Any
) -> None:
    from playground.core.workspace import FilePart, TextPart

    gone = str(tmp_path / "gone.pdf")
    parts = [TextPart(text="Summarise {{word}}"), FilePart(path=gone)]
    ws = Workspace(model="gpt-4.1-mini", messages=[Message(role="user", content=parts)])

    def keep(ws: Workspace, _v: Variant | None, _row: TestRow) -> Workspace:
        return ws

    cols = columns_of(ws, (), lambda _ws: profile)
    ev = Evaluation(
        cols, rows(1), backend=OpenAIBackend(strict=True), resolve=KEY, prepare=keep, grade=answered
    )
    run(finish(ev))
    cell = next(iter(ev.cells.values()))
    assert cell.outcome == "error" and "gone.pdf" in (cell.error_message or ""), cell
    assert simulator.bodies("/responses") == []
