"""The exported Python of a background run (async and sync), run as a program against the
simulator: it sends the app's body (without stream: it polls), looks again with
responses.retrieve until the response ends, and prints the answer; curl and JSON carry
background: true as the app sends it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import openai
import pytest

from playground.core import request
from playground.core.export import export
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.simulator import Scenario, Simulator
from tests.e2e.test_export_parity import run_program

WORDS = ["Background ", "jobs ", "keep ", "running."]
WS = Workspace(
    api="responses",
    model="gpt-4o-mini",
    params=Parameters(background=True),
    messages=[Message(role="user", content="Say what background mode does.")],
)


@pytest.mark.parametrize("fmt", ["python", "python-sync"])
def test_the_exported_program_polls_to_the_answer(
    simulator: Simulator, tmp_path: Path, fmt: str
) -> None:
    simulator.enqueue(Scenario(text=WORDS, delay=0.05))
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    script = tmp_path / "background.py"
    script.write_text(export(WS, fmt, profile))  # type: ignore[arg-type]
    proc = run_program([sys.executable, str(script)], simulator)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "".join(WORDS)
    assert ": queued" in proc.stderr or ": in_progress" in proc.stderr  # it looked again
    sent = {
        k: v for k, v in request.build(WS).body.items() if k not in ("stream", "stream_options")
    }
    assert simulator.bodies("/responses") == [sent] and sent["background"] is True
    gets = [r for r in simulator.requests if r.method == "GET"]
    assert gets and all(r.path.startswith("/v1/responses/resp") for r in gets)


def test_a_cancelled_response_ends_the_program_with_its_status(
    simulator: Simulator, tmp_path: Path
) -> None:
    gate = threading.Event()
    simulator.enqueue(Scenario(text=WORDS, gate_after=4, gate=gate))
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    script = tmp_path / "background.py"
    script.write_text(export(WS, "python-sync", profile))
    env = {**os.environ, "OPENAI_API_KEY": "sk-parity"}
    args = [sys.executable, str(script)]
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        looked = []
        for _ in range(1000):  # the program's first look comes after its first wait
            looked = [r.path for r in simulator.requests if r.method == "GET"]
            if looked:
                break
            time.sleep(0.01)
        assert looked, "the program never looked at its response"
        with openai.OpenAI(base_url=simulator.base_url, api_key="sk-test") as client:
            client.responses.cancel(looked[0].rsplit("/", 1)[-1])
        _out, err = proc.communicate(timeout=30)
    finally:
        gate.set()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1
    assert "ended cancelled" in err
    assert "None" not in err  # a cancelled response gives no reason: none is printed
    assert err.strip().splitlines()[-1].endswith(" ended cancelled")


@pytest.mark.parametrize("fmt", ["curl", "json"])
def test_curl_and_json_carry_background(fmt: str) -> None:
    text = export(WS, fmt)  # type: ignore[arg-type]
    assert '"background": true' in text
