"""Code exported from a workspace on the offline simulator says how to run it there, and
doing what it says works: `playground simulator --port 8765`, then the program with
OPENAI_BASE_URL and OPENAI_API_KEY set (the SDK reads both when the client names neither).
Each exported program (python, compare-python, eval-python) carries the same note."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from playground.core.codegen_compare import compare_python
from playground.core.codegen_eval import eval_python
from playground.core.evaluation_spec import GraderSpec, TestRow
from playground.core.export import export
from playground.core.export_client import SIMULATOR_PORT
from playground.core.profiles import SIMULATOR, ProviderProfile
from playground.core.variants import Variant
from playground.core.workspace import Message, Workspace
from playground.services.simulator import Simulator
from tests.core.test_export import ruff_clean

SIM = ProviderProfile(name=SIMULATOR, kind="simulator")
WS = Workspace(
    api="chat", model="gpt-4o-mini", profile=SIMULATOR, messages=[Message(content="Say {{w}}")]
)
VARIANTS = [Variant(key="a"), Variant(key="b", overrides={"model": "gpt-4.1"})]
ROWS = [TestRow(id="r1", values={"w": "hi"}, expected={"expected": "hi"})]


def programs() -> dict[str, str]:
    filled = WS.model_copy(update={"variables": {"w": "hi"}})
    return {
        "python": export(filled, "python", SIM),
        "compare": compare_python(filled, VARIANTS, {SIMULATOR: SIM}),
        "eval": eval_python(
            WS,
            VARIANTS,
            ROWS,
            [GraderSpec(kind="contains", value="{{expected}}")],
            {SIMULATOR: SIM},
        ),
    }


@pytest.mark.parametrize("kind", ["python", "compare", "eval"])
def test_the_note_says_how_to_run_the_program_on_the_simulator_and_that_works(
    simulator: Simulator, tmp_path: Path, kind: str
) -> None:
    code = programs()[kind]
    assert "set base_url" not in code
    assert f"playground simulator --port {SIMULATOR_PORT}" in code
    found = re.search(r"OPENAI_BASE_URL=(\S+) OPENAI_API_KEY=x", code)
    assert found and found.group(1) == f"http://127.0.0.1:{SIMULATOR_PORT}/v1"
    ruff_clean(tmp_path, {kind: code})
    script = tmp_path / f"{kind}.py"
    script.write_text(code)
    # as the note says, with this test's simulator's port for 8765
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env |= {"OPENAI_BASE_URL": simulator.base_url, "OPENAI_API_KEY": "x"}
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    assert simulator.bodies("/chat/completions"), "the program asked the simulator"
