"""The worker process of `playground.services.worker`: it runs the real `OpenAIBackend` and sends
the app its normalized events in batches, its log records and its answers (the message shapes are
in `playground.services.worker`'s docstring). Both sides share `_Sender` and `_received`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import threading
from collections.abc import Iterator
from typing import Any

from playground.core import request
from playground.core.errors import Failure, FailureKind
from playground.core.events import Failed, Retrying, StreamEvent
from playground.core.profiles import ProviderProfile
from playground.services.backend import OpenAIBackend
from playground.services.logs import redact

log = logging.getLogger(__name__)
_BATCH_MAX = 512
"""A batch is sent at the latest after this many events, even within one network read."""


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
            _, _, api, kwargs, profile, key, strict, resume = message
            built = request.BuiltRequest(api, kwargs, resume=resume)
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
    except Exception:
        log.exception("request failed in the worker")
        said = "The request process met an unexpected error; the log has the details."
        batch.append(Failed(Failure(FailureKind.UNKNOWN, said)))
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
