"""API keys in the OS keyring, one entry per provider profile.

The fail backend and plaintext file backends (keyrings.alt) are detected and reported as
not secure; then keys are kept in process memory for this session only, never in a file.
"""

from __future__ import annotations

from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors

from playground.services.logs import redact_also

SERVICE = "playground-openai"

# Backends that write secrets to disk unencrypted, or store nothing at all.
_INSECURE_MODULES = ("keyrings.alt",)
_FAIL_MODULES = ("keyring.backends.fail", "keyring.backends.null")


@dataclass(frozen=True, slots=True)
class BackendStatus:
    """Which keyring backend is in use and whether keys are safe in it."""

    name: str
    secure: bool
    available: bool
    detail: str


def describe_backend(backend: keyring.backend.KeyringBackend | None = None) -> BackendStatus:
    backend = backend or keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    chain = getattr(backend, "backends", None)
    members = list(chain) if chain else [backend]
    modules = [type(b).__module__ for b in members]
    if all(m.startswith(_FAIL_MODULES) for m in modules):
        return BackendStatus(
            name, False, False, "No keyring is available; keys are kept in memory for this session."
        )
    if any(m.startswith(_INSECURE_MODULES) for m in modules) or "PlaintextKeyring" in name:
        return BackendStatus(
            name,
            False,
            False,
            "The keyring backend stores keys as plain files; keys are kept in "
            "memory for this session instead.",
        )
    where = next((_PLACES[m] for m in modules if m in _PLACES), "the OS keyring")
    return BackendStatus(name, True, True, f"Keys are stored in {where}.")


# Where each of keyring's own backends keeps secrets, as the user knows it (keyring 25 docs,
# "Configuring", checked 2026-11-30).
_PLACES = {
    "keyring.backends.SecretService": "the Secret Service (GNOME Keyring or KWallet)",
    "keyring.backends.kwallet": "KWallet",
    "keyring.backends.macOS": "the macOS Keychain",
    "keyring.backends.Windows": "the Windows Credential Manager",
    "keyring.backends.libsecret": "the Secret Service (libsecret)",
}


class KeyStore:
    """Get, set and delete the key of a profile. Falls back to memory when not secure."""

    def __init__(
        self, backend: keyring.backend.KeyringBackend | None = None, service: str = SERVICE
    ) -> None:
        self._backend = backend
        self._service = service
        self._memory: dict[str, str] = {}
        self.status = describe_backend(backend)

    def _kr(self) -> keyring.backend.KeyringBackend:
        return self._backend or keyring.get_keyring()

    def get(self, profile: str) -> str | None:
        if profile in self._memory or not self.status.available:
            return self._memory.get(profile)
        try:
            key = self._kr().get_password(self._service, profile)
        except keyring.errors.KeyringError:
            return None
        if key:
            redact_also(key)
        return key

    def set(self, profile: str, key: str) -> bool:
        """Store the key; True when it went to the secure keyring, False when kept in memory."""
        redact_also(key)
        if self.status.available:
            try:
                self._kr().set_password(self._service, profile, key)
                self._memory.pop(profile, None)
                return True
            except keyring.errors.KeyringError:
                pass
        self._memory[profile] = key
        return False

    def delete(self, profile: str) -> None:
        self._memory.pop(profile, None)
        if not self.status.available:
            return
        try:
            self._kr().delete_password(self._service, profile)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError:
            pass
