"""Turns a provider profile into something runnable: a base URL and a key.

The offline simulator is started in-process on first use. `resolve_key` is the one key
resolver of the window and the CLI.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from playground.core.profiles import ProviderProfile
from playground.services.keystore import KeyStore

if TYPE_CHECKING:
    from playground.services.simulator import Simulator


OPENAI_KEY_ENV = "OPENAI_API_KEY"


class KeyNotFound(LookupError):
    """No key for a profile that needs one; the message says where to put it."""


def resolve_key(
    profile: ProviderProfile,
    keys: KeyStore,
    env: Mapping[str, str],
    *,
    api_key_env: str | None = None,
    ad_hoc: bool = False,
) -> str | None:
    """The key to send for `profile`, or None when it needs none or none is found.

    In order: the variable named by `api_key_env` (the CLI's --api-key-env) when given; the
    keyring entry under the profile's name (never for an ad-hoc endpoint, which has no name);
    OPENAI_API_KEY, but only for the OpenAI profile and for an ad-hoc --base-url, which is
    the SDK's own convention (openai-python README, "Usage", checked 2026-11-30). A named
    third-party profile never gets OPENAI_API_KEY: that would send an OpenAI key elsewhere.
    Blocks on the keyring: call it off the GUI thread.
    """
    if not profile.needs_key:
        return None
    if api_key_env:
        return env.get(api_key_env) or None
    if not ad_hoc:
        stored = keys.get(profile.name)
        if stored:
            return stored
    if ad_hoc or profile.kind == "openai":
        return env.get(OPENAI_KEY_ENV) or None
    return None


def missing_key_message(
    profile: ProviderProfile, *, api_key_env: str | None = None, ad_hoc: bool = False
) -> str:
    """What to do when resolve_key found nothing, for a person at a terminal."""
    if api_key_env:
        return f"No API key: the variable {api_key_env} is not set or empty."
    if ad_hoc:
        return (
            f"No API key for {profile.name}: set {OPENAI_KEY_ENV}, or name another variable "
            "with --api-key-env NAME (the playground's simulator accepts any text as its key)."
        )
    where = f"set {OPENAI_KEY_ENV}, or " if profile.kind == "openai" else ""
    return (
        f"No API key for the profile {profile.name}: {where}store it under Providers in the "
        "window (it goes to the OS keyring), or name a variable with --api-key-env NAME."
    )


def simulator_url(profile: ProviderProfile, base_url: str) -> str:
    """The URL a simulator profile sends to, given the simulator's `base_url` (".../v1"): a
    permissive profile's goes to ".../permissive/v1", where any model id is accepted."""
    if profile.permissive and base_url.endswith("/v1"):
        return base_url[: -len("/v1")] + "/permissive/v1"
    return base_url


def start_own_simulator(state_dir: Path | None = None, speed: float | None = None) -> Simulator:
    """Start the Offline simulator of this process (the window's, or a `playground` command's),
    keeping its state in `state_dir` (default: the data dir's "simulator" folder, shared by
    the window and the commands), and name its memory for uploaded files' ids
    (core.file_inputs.set_in_process_origin)."""
    from playground import paths
    from playground.core import file_inputs
    from playground.services.simulator import Simulator

    folder = state_dir if state_dir is not None else paths.data_dir() / "simulator"
    sim = Simulator(speed=speed, state_dir=folder).start()
    file_inputs.set_in_process_origin(sim.seal.fingerprint)
    return sim


class Connections:
    """Resolves profiles; owns the in-process simulator. `simulator_state`: the folder the
    simulator it starts keeps its state in across restarts (simulator/saved_state.py); None:
    it keeps nothing. A `simulator` given is used as it is."""

    def __init__(
        self,
        keys: KeyStore,
        env: Mapping[str, str] | None = None,
        simulator_speed: float | None = 60.0,
        simulator: Simulator | None = None,
        simulator_state: Path | None = None,
    ) -> None:
        self.keys = keys
        self._env = env if env is not None else os.environ
        self._speed = simulator_speed
        self._simulator = simulator
        self._owns_simulator = simulator is None
        self._simulator_state = simulator_state
        self._lock = asyncio.Lock()

    @property
    def simulator(self) -> Simulator | None:
        return self._simulator

    async def resolve(self, profile: ProviderProfile) -> tuple[ProviderProfile, str | None]:
        """(profile with a usable base URL, key or None)."""
        if profile.kind == "simulator":
            async with self._lock:
                if self._simulator is None:
                    if self._simulator_state is not None:
                        self._simulator = await asyncio.to_thread(
                            start_own_simulator, self._simulator_state, self._speed
                        )
                    else:
                        from playground.services.simulator import Simulator

                        sim = Simulator(speed=self._speed)
                        self._simulator = await asyncio.to_thread(sim.start)
            url = simulator_url(profile, self._simulator.base_url)
            return profile.model_copy(update={"base_url": url}), None
        key = await asyncio.to_thread(resolve_key, profile, self.keys, self._env)
        return profile, key

    def jobs_outlive_app(self, profile: ProviderProfile) -> bool:
        """Whether a background job sent with `profile` goes on after the app quits: not on
        a simulator profile while the simulator is the app's own (it stops with the app)."""
        return profile.kind != "simulator" or not self._owns_simulator

    async def has_key(self, profile: ProviderProfile) -> bool:
        return (await self.resolve(profile))[1] is not None if profile.needs_key else True

    def close(self) -> None:
        if self._simulator is not None and self._owns_simulator:
            self._simulator.stop()
            self._simulator = None
