"""Hermetic test set-up: offscreen Qt, temporary config/data dirs, the simulator over HTTP."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx2
import pytest

_HOME = Path(tempfile.mkdtemp(prefix="playground-tests-"))
# a 1920x1200 screen, as a desktop's: Qt's offscreen default (800x800) clamps a restored window
_SCREEN = Path(__file__).resolve().parent / "data" / "offscreen-screen.json"
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_HOME / _var.lower())
os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("OPENAI_BASE_URL", None)

from playground.core.profiles import ProviderProfile  # noqa: E402
from playground.services.backend import OpenAIBackend  # noqa: E402
from playground.services.simulator import Simulator  # noqa: E402

# The OpenAPI spec and recorded streams the tests read (sources and licenses: data/README.md).
REFERENCE = Path(__file__).resolve().parent / "data"

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion in a fresh event loop."""
    return asyncio.run(coro)


@pytest.fixture(autouse=True)
def _no_leaked_clients() -> Iterator[None]:
    """Fail the test that leaves an HTTP client open (an AsyncOpenAI client holds one).

    An unclosed client is closed by the SDK's __del__ on whatever loop runs then, or on a
    closed loop ("Event loop is closed" in a later test). Clients made by session fixtures
    are set up before this fixture and not counted; the ones a test's own fixtures close in
    their teardown are closed before this check runs."""
    opened: list[httpx2.AsyncClient] = []
    original = httpx2.AsyncClient.__init__

    def tracked(self: httpx2.AsyncClient, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        opened.append(self)

    with pytest.MonkeyPatch.context() as patch:  # its own: the test's monkeypatch is its own
        patch.setattr(httpx2.AsyncClient, "__init__", tracked)
        yield
    leaked = [c for c in opened if not c.is_closed]
    opened.clear()
    if leaked:
        pytest.fail(
            f"{len(leaked)} HTTP client(s) left open (AsyncOpenAI or httpx2.AsyncClient): "
            "close each with `await client.close()` or `async with`",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def _simulator() -> Iterator[Simulator]:
    with Simulator(extra_models=("my-local-model",)) as sim:
        yield sim


@pytest.fixture
def simulator(_simulator: Simulator) -> Simulator:
    """The shared simulator, with its script and records cleared."""
    _simulator.reset()
    _simulator.api_key = None
    return _simulator


@pytest.fixture
def profile(simulator: Simulator) -> ProviderProfile:
    """A profile pointing at the simulator, fast to fail: short timeout, quick retries."""
    return ProviderProfile(
        name="test", kind="custom", base_url=simulator.base_url, timeout=5, max_retries=2
    )


@pytest.fixture(params=["here", "worker"])
def backend(request: pytest.FixtureRequest) -> OpenAIBackend:
    """The backend in this process, and the same run in the app's request process (what the
    window uses): every backend test holds for both."""
    if request.param == "worker":
        from playground.services.worker import WorkerBackend

        return WorkerBackend(strict=True)  # type: ignore[return-value]
    return OpenAIBackend(strict=True)
