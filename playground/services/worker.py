"""Requests run in a worker process; the window's process only shows what they stream.

The SDK validates every streamed event in Python (about 100 µs for a Responses event). On the
GUI thread that parsing and the window's painting took turns: a 100,000-delta answer took a
third longer than the SDK alone, and the window stalled for 20 ms at a time. A thread would
still share the interpreter lock with the window. So one spawned process runs the real
`OpenAIBackend`, and the window's process receives its normalized events in batches (a batch
per network read): parsing and painting run on two cores.

`WorkerBackend` has OpenAIBackend's interface. The process is shared by every WorkerBackend of
the app, started on first use (or by `start()` after the window is up) and again if it dies; a
run that it was serving then ends with a typed failure. Its log records go to the app's log.

Messages are tuples. To the worker: ("run", id, api, kwargs, profile, key, strict, resume),
("models", id, profile, key, strict), ("cancel", id). From it: ("events", id, [event, ...]),
("retry", id, Retrying), ("end", id), ("models", id, [ids]), ("failed", id, Failure),
("ready",), ("log", logger, level, text). `None` either way: the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import threading
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from playground.core import request
from playground.core.errors import FailedCall, Failure, FailureKind
from playground.core.events import Failed, StreamEvent
from playground.core.lifecycle import ServerModel
from playground.core.profiles import ProviderProfile
from playground.services.backend import Backend, OpenAIBackend, RetrySink
from playground.services.worker_child import _child_main, _received, _Sender

if TYPE_CHECKING:
    import openai

log = logging.getLogger(__name__)


class WorkerFailure(FailedCall):
    """A request the worker ran failed; `failure` says how (typed as in a run)."""


class _Channel:
    """What the worker sends about one request, delivered to the loop that asked."""

    def __init__(self, ident: int) -> None:
        self.id = ident
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()

    def put(self, message: tuple[Any, ...]) -> None:
        """From the reader thread."""
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is listening
            self.loop.call_soon_threadsafe(self.queue.put_nowait, message)


class _Process:
    """The worker process, and a thread in this process that reads what it sends."""

    def __init__(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_child_main, args=(child,), daemon=True, name="playground-requests"
        )
        self.process.start()
        child.close()
        self.ready = threading.Event()
        self.alive = True
        self._channels: dict[int, _Channel] = {}
        self._ids = itertools.count(1)
        self.send = _Sender(self._conn)
        self._reader = threading.Thread(
            target=self._read, daemon=True, name="playground-requests-reader"
        )
        self._reader.start()

    def open(self) -> _Channel:
        channel = _Channel(next(self._ids))
        self._channels[channel.id] = channel
        return channel

    def close(self, channel: _Channel) -> None:
        self._channels.pop(channel.id, None)

    def stop(self, timeout: float = 3.0) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.send(None)
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout)
        self._reader.join(timeout)  # it saw the end of the pipe
        self._conn.close()

    def _read(self) -> None:
        for message in _received(self._conn):
            self._dispatch(message)
        self.alive = False
        self.process.join(1.0)
        lost = (
            "The request process stopped unexpectedly "
            f"(exit code {self.process.exitcode}); run again to start a new one."
        )
        for channel in list(self._channels.values()):
            channel.put(("lost", channel.id, lost))

    def _dispatch(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            self.ready.set()
        elif kind == "log":
            _, name, level, text = message
            logging.getLogger(name).log(level, "%s", text)
        else:
            channel = self._channels.get(message[1])
            if channel is not None:
                channel.put(message)


_process: _Process | None = None
_process_lock = threading.Lock()


def _worker() -> _Process:
    """The running worker process (started now if there is none, or if it died)."""
    global _process
    with _process_lock:
        if _process is None or not _process.alive or not _process.process.is_alive():
            _process = _Process()
        return _process


def start() -> None:
    """Start the worker process now, so that the first run does not wait for it."""
    _worker()


_READY_S = 60.0


async def wait_ready() -> bool:
    """Until the worker has started and made its warm-up requests; False if it did not
    within a minute."""
    return await asyncio.to_thread(_worker().ready.wait, _READY_S)


def shutdown() -> None:
    """Stop the worker process (at the app's exit)."""
    global _process
    with _process_lock:
        if _process is not None:
            _process.stop()
            _process = None


def worker_pid() -> int | None:
    """The worker process's id while it runs (diagnostics and tests)."""
    process = _process
    return process.process.pid if process is not None and process.alive else None


class WorkerBackend(Backend):
    """An OpenAIBackend in the shared request process; cancelling a run's consumer cancels the
    request there."""

    def __init__(self, *, strict: bool = False) -> None:
        self._strict = strict
        self._direct: OpenAIBackend | None = None

    def client(self, profile: ProviderProfile, api_key: str | None) -> openai.AsyncOpenAI:
        """A client in the window's process, for the small calls beside a run (uploads,
        cancelling a background response): their answers are too small to be worth the
        request process."""
        if self._direct is None:
            self._direct = OpenAIBackend(strict=self._strict)
        return self._direct.client(profile, api_key)

    async def stream(
        self,
        built: request.BuiltRequest,
        profile: ProviderProfile,
        api_key: str | None,
        on_retry: RetrySink | None = None,
    ) -> AsyncIterator[StreamEvent]:
        try:
            worker = _worker()
            channel = worker.open()
            worker.send(
                (
                    "run",
                    channel.id,
                    built.api,
                    built.kwargs,
                    profile,
                    api_key,
                    self._strict,
                    built.resume,
                )
            )
        except Exception:  # an OS error, logged with its traceback
            log.warning("could not start the request process", exc_info=True)
            said = "The request process could not be started; the log has the details."
            yield Failed(Failure(FailureKind.UNKNOWN, said))
            return
        ended = False
        try:
            while True:
                message = await channel.queue.get()
                kind = message[0]
                if kind == "events":
                    for event in message[2]:
                        yield event
                elif kind == "retry":
                    if on_retry is not None:
                        on_retry(message[2])
                elif kind == "end":
                    ended = True
                    return
                elif kind == "lost":
                    ended = True
                    yield Failed(Failure(FailureKind.UNKNOWN, message[2]))
                    return
        finally:
            worker.close(channel)
            if not ended:  # the consumer stopped: close the HTTP stream in the worker
                with contextlib.suppress(OSError, ValueError):
                    worker.send(("cancel", channel.id))

    async def list_models(self, profile: ProviderProfile, api_key: str | None) -> list[ServerModel]:
        """The models the server lists (ids and shutdown dates); a failure raises WorkerFailure
        with its typed failure."""
        worker = _worker()
        channel = worker.open()
        try:
            worker.send(("models", channel.id, profile, api_key, self._strict))
            message = await channel.queue.get()
        finally:
            worker.close(channel)
        if message[0] == "models":
            return list(message[2])
        if message[0] == "failed":
            raise WorkerFailure(message[2])
        raise WorkerFailure(Failure(FailureKind.UNKNOWN, str(message[2])))

    async def aclose(self) -> None:
        """Close the clients made in this process. Nothing of this backend's is left in the
        worker once its runs have ended (the clients it made there are kept for the next
        runs; `shutdown()` stops the process)."""
        direct, self._direct = self._direct, None
        if direct is not None:
            await direct.aclose()
