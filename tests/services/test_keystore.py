"""The key store: the OS keyring when it is secure, process memory otherwise, never a file."""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from playground.services.keystore import KeyStore, describe_backend

MARKER = "sk-marker-KEYSTORE-0123456789abcdef"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory backend for unit tests (priority irrelevant: passed explicitly)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


def plaintext_backend() -> keyring.backend.KeyringBackend:
    """A backend that reports itself as keyrings.alt's plaintext file store."""
    cls = type("PlaintextKeyring", (MemoryKeyring,), {"__module__": "keyrings.alt.file"})
    return cls()


def files_containing(root: Path, needle: str) -> list[Path]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and needle.encode() in path.read_bytes():
            hits.append(path)
    return hits


def test_secure_backend_round_trip() -> None:
    backend = MemoryKeyring()
    store = KeyStore(backend)
    assert store.status.secure
    assert store.set("OpenAI", MARKER) is True
    assert backend.items == {("playground-openai", "OpenAI"): MARKER}
    assert store.get("OpenAI") == MARKER
    store.delete("OpenAI")
    assert store.get("OpenAI") is None


def test_fail_backend_keeps_keys_in_memory_only() -> None:
    store = KeyStore(keyring.backends.fail.Keyring())
    assert not store.status.available and not store.status.secure
    assert "memory" in store.status.detail
    assert store.set("OpenAI", MARKER) is False
    assert store.get("OpenAI") == MARKER
    assert KeyStore(keyring.backends.fail.Keyring()).get("OpenAI") is None  # next session
    home = Path(os.environ["XDG_CONFIG_HOME"]).parent
    assert files_containing(home, MARKER) == []


def test_plaintext_backend_is_reported_insecure_and_not_used() -> None:
    backend = plaintext_backend()
    status = describe_backend(backend)
    assert not status.secure and "plain files" in status.detail
    store = KeyStore(backend)
    store.set("OpenAI", MARKER)
    assert backend.items == {}  # nothing written to the plaintext store
    assert store.get("OpenAI") == MARKER


def _secret_service_or_skip() -> keyring.backend.KeyringBackend:
    try:
        from keyring.backends import SecretService

        backend = SecretService.Keyring()
        backend.get_password("playground-probe", "probe")
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the real Secret Service test, but it is unavailable: {exc}")
        pytest.skip(f"no Secret Service on this machine: {exc}")
    return backend


@pytest.mark.keyring
def test_real_secret_service_round_trip() -> None:
    backend = _secret_service_or_skip()
    store = KeyStore(backend, service="playground-tests")
    assert store.status.secure, store.status
    assert store.set("OpenAI", MARKER) is True
    assert KeyStore(backend, service="playground-tests").get("OpenAI") == MARKER
    assert backend.get_password("playground-tests", "OpenAI") == MARKER
    store.delete("OpenAI")
    assert backend.get_password("playground-tests", "OpenAI") is None
    home = Path(os.environ["XDG_CONFIG_HOME"]).parent
    assert files_containing(home, MARKER) == []


def test_the_secure_backend_is_named_as_the_user_knows_it() -> None:
    """The Providers dialog and the self-test say where keys go in words, not a class name."""
    import keyring.backends.SecretService

    status = describe_backend(keyring.backends.SecretService.Keyring())
    assert status.detail == "Keys are stored in the Secret Service (GNOME Keyring or KWallet)."
