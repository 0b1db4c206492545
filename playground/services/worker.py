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

Messages are tuples. To the worker: ("run", id, api, kwargs, profile, key, strict),
("models", id, profile, key, strict), ("cancel", id). From it: ("events", id, [event, ...]),
("retry", id, Retrying), ("end", id), ("models", id, [ids]), ("failed", id, Failure),
("ready",), ("log", logger, level, text). `None` either way: the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import pickle
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

from playground.core import request
from playground.core.errors import Failure, FailureKind
from playground.core.events import Failed, Retrying, StreamEvent
from playground.core.lifecycle import ServerModel
from playground.core.profiles import ProviderProfile
from playground.services.backend import Backend, OpenAIBackend, RetrySink
from playground.services.logs import redact

log = logging.getLogger(__name__)
_BATCH_MAX = 512
"""A batch is sent at the latest after this many events, even within one network read."""


class WorkerFailure(Exception):
    """A request the worker ran failed; `failure` says how (typed as in a run)."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


class _Sender:
    """Sends messages on one end of the pipe, from any thread."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._lock = threading.Lock()

    def __call__(self, message: tuple[Any, ...] | None) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._conn.send_bytes(data)


def _received(conn: Any) -> Iterator[tuple[Any, ...]]:
    """The messages arriving on one end of the pipe, until the end (None, or the other side
    is gone)."""
    try:
        while (message := pickle.loads(conn.recv_bytes())) is not None:
            yield message
    except (EOFError, OSError):
        pass


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
                ("run", channel.id, built.api, built.kwargs, profile, api_key, self._strict)
            )
        except Exception as exc:
            log.warning("could not start the request process", exc_info=True)
            yield Failed(Failure(FailureKind.UNKNOWN, f"Could not start the request: {exc}"))
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
        """Nothing of this backend's is left in the worker once its runs have ended (the
        clients it made there are kept for the next runs; `shutdown()` stops the process)."""


# -- the worker process ------------------------------------------------------------------------


class _LogForwarder(logging.Handler):
    """The worker's log records, redacted, to the app's log."""

    def __init__(self, send: _Sender) -> None:
        super().__init__(logging.INFO)
        self._send = send

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = redact(record.getMessage())
            if record.exc_info:
                text += "\n" + redact(logging.Formatter().formatException(record.exc_info))
            self._send(("log", record.name, record.levelno, text))
        except OSError:  # the app is gone (a broken pipe): nobody is left to read the line
            return
        except Exception:  # noqa: BLE001 - a log line must never break a run
            self.handleError(record)


def _child_main(conn: Any) -> None:
    """The worker process's entry point."""
    send = _Sender(conn)
    root = logging.getLogger()
    root.addHandler(_LogForwarder(send))
    root.setLevel(logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(conn, send))
    conn.close()


async def _serve(conn: Any, send: _Sender) -> None:
    import gc

    from playground.services.warmup import warm_up

    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[tuple[Any, ...] | None] = asyncio.Queue()

    def read() -> None:
        for message in _received(conn):
            loop.call_soon_threadsafe(inbox.put_nowait, message)
        loop.call_soon_threadsafe(inbox.put_nowait, None)  # the end, or the app is gone

    threading.Thread(target=read, daemon=True).start()
    backends = {strict: OpenAIBackend(strict=strict) for strict in (False, True)}
    tasks: dict[int, asyncio.Task[None]] = {}

    async def warm() -> None:
        try:
            await asyncio.to_thread(warm_up)
        except Exception:  # a warm-up that fails changes nothing but the first run's speed
            log.warning("warm-up failed", exc_info=True)
        gc.freeze()
        send(("ready",))

    def started(ident: int, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        tasks[ident] = task
        task.add_done_callback(lambda _t: tasks.pop(ident, None))

    warming = asyncio.ensure_future(warm())
    while (message := await inbox.get()) is not None:
        kind, ident = message[0], message[1]
        if kind == "run":
            _, _, api, kwargs, profile, key, strict = message
            built = request.BuiltRequest(api, kwargs)
            started(ident, _run(send, ident, backends[strict], built, profile, key))
        elif kind == "models":
            _, _, profile, key, strict = message
            started(ident, _models(send, ident, backends[strict], profile, key))
        elif kind == "cancel" and ident in tasks:
            tasks[ident].cancel()
    for task in [*tasks.values(), warming]:
        task.cancel()
    await asyncio.gather(*tasks.values(), return_exceptions=True)
    for backend in backends.values():
        await backend.aclose()


async def _run(
    send: _Sender,
    ident: int,
    backend: OpenAIBackend,
    built: request.BuiltRequest,
    profile: ProviderProfile,
    key: str | None,
) -> None:
    """Stream one request, a batch of events per network read (the SDK parses a whole read
    before it awaits the next one: a flush scheduled with call_soon runs then)."""
    loop = asyncio.get_running_loop()
    batch: list[StreamEvent] = []
    due = False

    def flush() -> None:
        nonlocal due, batch
        due = False
        if batch:
            out, batch = batch, []
            send(("events", ident, out))

    def retried(event: Retrying) -> None:
        flush()
        send(("retry", ident, event))

    try:
        async for event in backend.stream(built, profile, key, retried):
            batch.append(event)
            if not due:
                due = True
                loop.call_soon(flush)
            elif len(batch) >= _BATCH_MAX:
                flush()
    except asyncio.CancelledError:
        batch.clear()  # the app stopped listening
    except Exception as exc:
        log.exception("request failed in the worker")
        batch.append(Failed(Failure(FailureKind.UNKNOWN, f"Internal error: {exc}")))
    finally:
        flush()
        send(("end", ident))


async def _models(
    send: _Sender, ident: int, backend: OpenAIBackend, profile: ProviderProfile, key: str | None
) -> None:
    from playground.services.failures import failure_from_exception

    try:
        ids = await backend.list_models(profile, key)
    except Exception as exc:  # noqa: BLE001 - sent back typed
        send(("failed", ident, failure_from_exception(exc)))
        return
    send(("models", ident, ids))
