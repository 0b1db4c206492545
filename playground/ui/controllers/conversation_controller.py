"""The window's Conversations work: create one, check one (it exists, what it holds), list
its items, delete it, through
services/conversations.py on its own AsyncOpenAI clients (services.backend.OpenAIBackend),
made from the profile the window's resolver gives. It keeps every task
(ui/controllers/tasks.py) and reports each outcome as a Qt signal naming the tab (`owner`)
that asked; widgets never await it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from playground.core.errors import FailureKind
from playground.core.profiles import ProviderProfile
from playground.services import conversations
from playground.services.backend import OpenAIBackend
from playground.services.conversations import ConversationError
from playground.ui.controllers import tasks
from playground.ui.controllers.tasks import settle

Resolve = Callable[[ProviderProfile], Awaitable[tuple[ProviderProfile, str | None]]]


class ConversationController(QObject):
    """See the module docstring."""

    created = Signal(str, str)
    """(owner, conversation id): a Conversation was created."""
    listed = Signal(str, str, list)
    """(owner, conversation id, items oldest first as plain dicts)."""
    checked = Signal(str, str, object)
    """(owner, conversation id, its items oldest first as plain dicts, or None when the
    server has no such Conversation (404))."""
    deleted = Signal(str, str)
    """(owner, conversation id): the Conversation is gone."""
    failed = Signal(str, str)
    """(owner, what went wrong in the app's words)."""
    busy_changed = Signal(str, bool)
    """(owner, busy): a call for this tab started or ended."""

    def __init__(self, resolve: Resolve, *, strict: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self._resolve = resolve
        self._backend = OpenAIBackend(strict=strict)
        self._tasks: set[asyncio.Task[Any]] = set()

    def create(
        self, owner: str, profile: ProviderProfile, items: list[dict[str, Any]] | None = None
    ) -> asyncio.Task[Any]:
        """Create a Conversation on `profile`'s server with `items` in it to start (any
        number: services.conversations.create adds them in batches); `created` or `failed`
        follows."""

        async def go() -> None:
            info = await conversations.create(await self._client(profile), items=items)
            self.created.emit(owner, info.id)

        return self._start(owner, go(), "creating a conversation")

    def list_items(
        self, owner: str, profile: ProviderProfile, conversation_id: str
    ) -> asyncio.Task[Any]:
        """List the Conversation's items; `listed` or `failed` follows."""

        async def go() -> None:
            found = await conversations.list_items(await self._client(profile), conversation_id)
            self.listed.emit(owner, conversation_id, found)

        return self._start(owner, go(), "listing a conversation's items")

    def check(
        self, owner: str, profile: ProviderProfile, conversation_id: str
    ) -> asyncio.Task[Any]:
        """Retrieve the Conversation, then list its items; `checked` (a 404 is a None list)
        or `failed` ("Could not check <id>: ..." in the app's words) follows."""

        async def go() -> None:
            client = await self._client(profile)
            try:
                await conversations.retrieve(client, conversation_id)
            except ConversationError as exc:
                if exc.failure.kind is not FailureKind.NOT_FOUND:
                    raise
                self.checked.emit(owner, conversation_id, None)
                return
            found = await conversations.list_items(client, conversation_id)
            self.checked.emit(owner, conversation_id, found)

        return self._start(
            owner, go(), "checking a conversation", said=f"Could not check {conversation_id}: "
        )

    def delete(
        self, owner: str, profile: ProviderProfile, conversation_id: str
    ) -> asyncio.Task[Any]:
        """Delete the Conversation; `deleted` or `failed` follows."""

        async def go() -> None:
            await conversations.delete(await self._client(profile), conversation_id)
            self.deleted.emit(owner, conversation_id)

        return self._start(owner, go(), "deleting a conversation")

    async def wait(self) -> None:
        """Until every call ended, then close the clients."""
        await settle(self._tasks)
        await self._backend.aclose()

    # -- private -----------------------------------------------------------------------------

    async def _client(self, profile: ProviderProfile) -> Any:
        resolved, key = await self._resolve(profile)  # the window's: keyring, then env
        if resolved.needs_key and not key:
            raise _NoKey(profile.name)
        return self._backend.client(resolved, key)

    def _start(
        self, owner: str, coro: Coroutine[Any, Any, None], name: str, said: str = ""
    ) -> asyncio.Task[Any]:
        async def guarded() -> None:
            self.busy_changed.emit(owner, True)
            try:
                await coro
            except ConversationError as exc:
                self.failed.emit(owner, said + exc.failure.message)
            except _NoKey as exc:
                self.failed.emit(
                    owner, f"{said}No API key for {exc.profile}: set one under Providers"
                )
            finally:
                self.busy_changed.emit(owner, False)

        return tasks.start(guarded(), name, keep=self._tasks)


class _NoKey(Exception):
    def __init__(self, profile: str) -> None:
        super().__init__(profile)
        self.profile = profile
