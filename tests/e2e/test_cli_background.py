"""`playground run` of a background workspace: streamed, it follows the job to the answer and
says its statuses on stderr; not streamed, it polls to the end."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_cli import cli, server, write

__all__ = ["server"]  # the module-scoped simulator fixture of test_cli

WS = {
    "api": "responses",
    "model": "gpt-4o-mini",
    "params": {"background": True},
    "messages": [{"role": "user", "content": "Tell me about Paris"}],
}
KEY = {"OPENAI_API_KEY": "sk-cli-right"}


def test_run_follows_a_background_stream_to_the_answer(
    server: tuple[str, object], tmp_path: Path
) -> None:
    url = server[0].split()[-1]
    proc = cli("run", str(write(tmp_path, WS)), "--base-url", url, env=KEY)
    assert proc.returncode == 0, proc.stderr
    assert "> Tell me about Paris" in proc.stdout
    assert "background: queued" in proc.stderr
    assert "· response resp_" in proc.stderr


def test_run_polls_a_background_run_that_is_not_streamed(
    server: tuple[str, object], tmp_path: Path
) -> None:
    url = server[0].split()[-1]
    proc = cli("run", str(write(tmp_path, WS)), "--base-url", url, "--no-stream", env=KEY)
    assert proc.returncode == 0, proc.stderr
    assert "> Tell me about Paris" in proc.stdout
    assert "background: queued" in proc.stderr and "background: completed" in proc.stderr
