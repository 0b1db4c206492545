"""Turns a provider profile into something runnable: a base URL and a key.

The offline simulator is started in-process on first use; keys come from the key store (off the
caller's thread) or, for the OpenAI profile, from OPENAI_API_KEY.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from playground.core.profiles import ProviderProfile
from playground.services.keystore import KeyStore

if TYPE_CHECKING:
    from playground.services.simulator import Simulator


class Connections:
    """Resolves profiles; owns the in-process simulator."""

    def __init__(
        self,
        keys: KeyStore,
        env: Mapping[str, str] | None = None,
        simulator_speed: float | None = 60.0,
        simulator: Simulator | None = None,
    ) -> None:
        self.keys = keys
        self._env = env if env is not None else os.environ
        self._speed = simulator_speed
        self._simulator = simulator
        self._owns_simulator = simulator is None
        self._lock = asyncio.Lock()

    @property
    def simulator(self) -> Simulator | None:
        return self._simulator

    async def resolve(self, profile: ProviderProfile) -> tuple[ProviderProfile, str | None]:
        """(profile with a usable base URL, key or None)."""
        if profile.kind == "simulator":
            async with self._lock:
                if self._simulator is None:
                    from playground.services.simulator import Simulator

                    self._simulator = await asyncio.to_thread(Simulator(speed=self._speed).start)
            return profile.model_copy(update={"base_url": self._simulator.base_url}), None
        key = await asyncio.to_thread(self.keys.get, profile.name)
        if not key and profile.kind == "openai":
            key = self._env.get("OPENAI_API_KEY") or None
        return profile, key

    async def has_key(self, profile: ProviderProfile) -> bool:
        return (await self.resolve(profile))[1] is not None if profile.needs_key else True

    def close(self) -> None:
        if self._simulator is not None and self._owns_simulator:
            self._simulator.stop()
            self._simulator = None
