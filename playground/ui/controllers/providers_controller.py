"""Keys, connection tests and model lists, off the GUI thread; results come back as signals."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from playground.core.profiles import ProviderProfile, base_url_problem
from playground.services.backend import Backend
from playground.services.connection import Connections
from playground.services.worker import WorkerFailure
from playground.ui.controllers import tasks
from playground.ui.controllers.tasks import settle


class ProvidersController(QObject):
    key_status = Signal(str, bool, str)
    """(profile name, a key is stored, where)."""
    test_result = Signal(str, bool)
    """(text for the user, success)."""
    models_listed = Signal(str, list)
    """(profile name, the models the server lists: core.lifecycle.ServerModel)."""
    models_failed = Signal(str, str)
    """(profile name, why its models could not be listed) after `refresh_models`."""

    def __init__(
        self, backend: Backend, connections: Connections, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._connections = connections
        self._tasks: set[asyncio.Task[None]] = set()
        # Key operations and tests run in the order they were asked for: "Save key" then
        # "Test connection" must test with the saved key, a rename must land before both.
        self._keys_lock = asyncio.Lock()

    @property
    def keyring_note(self) -> str:
        return self._connections.keys.status.detail

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        tasks.start(coro, "talking to a provider", keep=self._tasks)

    async def wait(self) -> None:
        await settle(self._tasks)

    def request_key_status(self, name: str) -> None:
        self._spawn(self._status(name))

    def save_key(self, name: str, key: str) -> None:
        self._spawn(self._save(name, key))

    def delete_key(self, name: str) -> None:
        self._spawn(self._delete(name))

    def rename_key(self, old: str, new: str) -> None:
        """Move the key stored under `old` to `new` (a renamed profile keeps its key)."""
        self._spawn(self._rename(old, new))

    def test(self, profile: ProviderProfile, typed_key: str) -> None:
        self._spawn(self._test(profile, typed_key))

    def list_models(self, profile: ProviderProfile) -> None:
        self._spawn(self._list(profile))

    def refresh_models(self, profile: ProviderProfile) -> None:
        """List the server's models as `list_models` does, and say why when that fails."""
        self._spawn(self._list(profile, report=True))

    async def _status(self, name: str) -> None:
        key = await asyncio.to_thread(self._connections.keys.get, name)
        where = "OS keyring" if self._connections.keys.status.secure else "memory, this session"
        self.key_status.emit(name, key is not None, where)

    async def _save(self, name: str, key: str) -> None:
        async with self._keys_lock:
            await asyncio.to_thread(self._connections.keys.set, name, key)
        await self._status(name)

    async def _delete(self, name: str) -> None:
        async with self._keys_lock:
            await asyncio.to_thread(self._connections.keys.delete, name)
        await self._status(name)

    async def _rename(self, old: str, new: str) -> None:
        keys = self._connections.keys
        async with self._keys_lock:
            key = await asyncio.to_thread(keys.get, old)
            if key:
                await asyncio.to_thread(keys.set, new, key)
                await asyncio.to_thread(keys.delete, old)
        await self._status(new)

    async def _test(self, profile: ProviderProfile, typed_key: str) -> None:
        bad = None if profile.kind == "simulator" else base_url_problem(profile.base_url)
        if bad:  # never sent (nor retried): it cannot work as written
            self.test_result.emit(f"Not tested: {bad}.", False)
            return
        try:
            async with self._keys_lock:
                resolved, key = await self._connections.resolve(profile)
            if resolved.needs_key and not (typed_key or key):  # the SDK would refuse in its words
                said = f"No API key for the profile {profile.name}: type one above, or store one."
                self.test_result.emit(said, False)
                return
            ids = await self._backend.list_models(
                resolved.model_copy(update={"max_retries": 0}), typed_key or key
            )
        except WorkerFailure as exc:
            self.test_result.emit(exc.failure.describe(), False)
            return
        except Exception as exc:  # noqa: BLE001 - shown to the user as a typed failure
            from playground.services.failures import failure_from_exception  # imports the SDK

            failure = failure_from_exception(exc)
            self.test_result.emit(failure.describe(), False)
            return
        names = [m.id for m in ids]
        shown = ", ".join(names[:12]) + (f" and {len(ids) - 12} more" if len(ids) > 12 else "")
        self.test_result.emit(f"Connected: {len(ids)} models ({shown}).", True)
        self.models_listed.emit(profile.name, ids)

    async def _list(self, profile: ProviderProfile, report: bool = False) -> None:
        try:
            resolved, key = await self._connections.resolve(profile)
            if resolved.needs_key and not key:
                if report:
                    self.models_failed.emit(profile.name, "no API key is stored for it")
                return
            models = await self._backend.list_models(
                resolved.model_copy(update={"max_retries": 0, "timeout": 10}), key
            )
        except Exception as exc:  # noqa: BLE001 - the catalog still works without the server's list
            if report:
                from playground.services.failures import failure_from_exception  # the SDK

                failure = exc.failure if isinstance(exc, WorkerFailure) else None
                self.models_failed.emit(
                    profile.name, (failure or failure_from_exception(exc)).describe()
                )
            return
        self.models_listed.emit(profile.name, models)
