"""The conftest's leak fixture fails the test that leaves an AsyncOpenAI client open."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LEAKY = """
import asyncio

import openai


def _client() -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(api_key="sk-leak", base_url="http://127.0.0.1:9/v1")


def test_leaks_a_client() -> None:
    async def go() -> None:
        _client()

    asyncio.run(go())


def test_closes_its_client() -> None:
    async def go() -> None:
        async with _client():
            pass

    asyncio.run(go())
"""


def test_a_test_that_leaks_a_client_fails(tmp_path: Path) -> None:
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_leaky.py").write_text(LEAKY)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rE", "test_leaky.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert "ERROR test_leaky.py::test_leaks_a_client" in proc.stdout, proc.stdout[-3000:]
    assert "1 HTTP client(s) left open" in proc.stdout
    assert "2 passed, 1 error" in proc.stdout  # the closing test passed; only the leak fails
