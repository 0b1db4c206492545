"""Files the user keeps (workspaces, exports) are written with the user's umask, as any program
writes files; files that hold private state (settings, session, autosaves, learned rules) are
owner-only whatever the umask; a replaced file keeps its own permissions."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.workspace import Message, Workspace
from playground.services.files import atomic_write, backup_path, save_workspace
from playground.services.session import SessionRecord, SessionStore
from playground.services.settings import Settings, save_settings

WS = Workspace(messages=[Message(content="hi")])


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_saved_workspace_and_an_export_follow_the_umask(tmp_path: Path) -> None:
    with umask(0o022):
        save_workspace(tmp_path / "mine.json", WS)
        atomic_write(tmp_path / "request.py", "print('hi')\n")
    assert mode(tmp_path / "mine.json") == 0o644
    assert mode(tmp_path / "request.py") == 0o644
    with umask(0o002):
        save_workspace(tmp_path / "team.json", WS)
    assert mode(tmp_path / "team.json") == 0o664


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=0o777))
def test_a_new_file_is_0666_less_any_umask(mask: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.json"
        with umask(mask):
            atomic_write(path, "{}")
        assert mode(path) == 0o666 & ~mask
        assert path.read_text() == "{}"
        assert [p.name for p in Path(folder).iterdir()] == ["export.json"]  # no temp left


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "locked.json"
    with umask(0o022):
        save_workspace(path, WS)
        path.chmod(0o640)
        save_workspace(path, WS.model_copy(update={"instructions": "again"}))
    assert mode(path) == 0o640
    assert "again" in path.read_text()
    assert backup_path(path).exists()


def test_private_state_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    with umask(0o000):
        save_settings(tmp_path / "settings.json", Settings())
        store = SessionStore(tmp_path / "data")
        store.save(SessionRecord())
        store.write_tab("t1", WS)
        store.write_tab("t1", WS.model_copy(update={"instructions": "edited"}))  # + .bak
        atomic_write(tmp_path / "plain.txt", "x")
    private = [
        tmp_path / "settings.json",
        store.file,
        store.autosave_path("t1"),
        backup_path(store.autosave_path("t1")),
    ]
    for path in private:
        assert mode(path) == 0o600, path
    assert mode(tmp_path / "plain.txt") == 0o666


def test_the_cli_writes_a_new_workspace_with_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "example.json"
    proc = subprocess.run(
        [sys.executable, "-m", "playground", "new", "--example", "streaming", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert proc.returncode == 0, proc.stderr
    assert mode(out) == 0o644
