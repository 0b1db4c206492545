"""The CLI tells each failure the simulator can produce in the user's words: one line of what
happened and what to do, then what the server said; no SDK message, repr or traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground.services.simulator import Simulator
from tests.e2e.test_cli_keys import cli, workspace
from tests.ui.test_user_words import FAULTS
from tests.user_words import problems

KEY = "sk-cli-words"
# one fault of each way a run fails: an HTTP error with the API's error object, one without,
# an error in the stream, a cut stream, an unreadable stream
SHOWN = ("bad_request", "authentication", "server_html", "stream_nested", "unreadable_stream")


@pytest.mark.parametrize("fault", SHOWN)
def test_every_fault_is_told_in_the_users_words(
    simulator: Simulator, tmp_path: Path, fault: str
) -> None:
    simulator.enqueue(FAULTS[fault])
    proc = cli(
        tmp_path,
        "run",
        workspace(tmp_path),
        "--base-url",
        simulator.base_url,
        env={"OPENAI_API_KEY": KEY},
    )
    assert proc.returncode != 0
    assert problems(proc.stderr) == [], proc.stderr
    assert problems(proc.stdout) == [], proc.stdout


def test_a_missing_key_says_what_to_set(simulator: Simulator, tmp_path: Path) -> None:
    proc = cli(tmp_path, "run", workspace(tmp_path), "--base-url", simulator.base_url)
    assert proc.returncode != 0
    assert problems(proc.stderr) == [] and "OPENAI_API_KEY" in proc.stderr
    assert simulator.requests == []
