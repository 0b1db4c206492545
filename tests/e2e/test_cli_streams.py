"""`playground run` on streams as real servers send them, and on the output-token limit.

The CLI runs as a user runs it (a subprocess); the server is the test session's simulator,
which serves recorded bytes over real HTTP.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from playground.services.history import HistoryStore, record_of
from playground.services.simulator import Scenario, Simulator
from tests.e2e.test_cli import cli
from tests.services.sse_builders import chat_chunk, delta, sse

SPLIT_PAIR = sse(
    [
        chat_chunk([delta(role="assistant", content="Smile \ud83d")]),
        chat_chunk([delta(content="\ude00 and e")]),
        chat_chunk([delta(content="\u0301 \ud83d")]),  # a lone half at the end
        chat_chunk([delta("stop")]),
    ]
)


def run_ws(
    tmp_path: Path, sim: Simulator, ws: dict, *args: str
) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "ws.json"
    path.write_text(json.dumps(ws))
    return cli(
        "run", str(path), "--base-url", sim.base_url, *args, env={"OPENAI_API_KEY": "sk-cli-test"}
    )


def test_run_prints_a_pair_split_across_deltas_as_one_character(
    simulator: Simulator, tmp_path: Path
) -> None:
    simulator.enqueue(Scenario(raw_sse=SPLIT_PAIR))
    proc = run_ws(
        tmp_path,
        simulator,
        {"api": "chat", "model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]},
    )
    assert "Traceback" not in proc.stderr and proc.returncode == 0
    assert proc.stdout == "Smile 😀 and e\u0301 \ufffd\n"


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_run_exits_5_with_one_line_at_the_output_token_limit(
    simulator: Simulator, tmp_path: Path, api: str
) -> None:
    ws = {
        "api": api,
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Tell me about Paris"}],
        "params": {"max_output_tokens": 16},
    }
    proc = run_ws(tmp_path, simulator, ws)
    assert proc.returncode == 5, proc.stderr
    assert proc.stdout.strip()  # the partial answer
    assert "stopped at the output-token limit" in proc.stderr
    assert "incomplete" not in proc.stderr.lower() and "Traceback" not in proc.stderr


def test_run_without_streaming_has_no_tokens_per_second(
    simulator: Simulator, tmp_path: Path
) -> None:
    ws = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
    proc = run_ws(tmp_path, simulator, ws, "--no-stream")
    assert proc.returncode == 0, proc.stderr
    timing = next(line for line in proc.stderr.splitlines() if line.startswith("timing:"))
    # one body at the end: no first token, no rate, only the total
    assert re.fullmatch(r"timing: total \d+ ms", timing), timing
    streamed = run_ws(tmp_path, simulator, ws)
    assert re.search(r"timing: first token \d+ ms, total \d+ ms, tokens/s \d", streamed.stderr)


def test_a_split_pair_goes_into_the_history(simulator: Simulator, tmp_path: Path) -> None:
    from playground.core.profiles import ProviderProfile
    from playground.core.reducer import TurnAccumulator
    from playground.core.workspace import Message, Workspace
    from playground.services.backend import OpenAIBackend
    from tests.conftest import run

    simulator.enqueue(Scenario(raw_sse=SPLIT_PAIR))
    ws = Workspace(api="chat", model="gpt-4o", messages=[Message(role="user", content="hi")])
    profile = ProviderProfile(name="t", kind="custom", base_url=simulator.base_url)

    async def go() -> TurnAccumulator:
        backend, acc = OpenAIBackend(), TurnAccumulator()
        async for event in backend.run(ws, profile, "sk-x"):
            acc.apply(event)
        await backend.aclose()
        return acc

    turn = run(go()).turn()
    store = HistoryStore(tmp_path / "history.sqlite3")
    run_id = store.record(record_of(ws, {}, turn, False, "t"))
    saved = store.get(run_id)
    assert saved is not None and saved.output_text == "Smile 😀 and e\u0301 \ufffd"
    assert "😀" in store.export_jsonl()
