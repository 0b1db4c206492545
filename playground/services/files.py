"""Workspace files: atomic writes, and loading with messages a person can act on."""

from __future__ import annotations

import json
import os
import secrets
import stat
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from playground.core.migrations import NewerFormatError, migrate
from playground.core.workspace import Workspace


class WorkspaceFileError(Exception):
    """A workspace file could not be read; the message says where and why."""


class NewerWorkspaceError(WorkspaceFileError):
    """The file was written by a newer Playground (`version`, above `supported`): it is read
    by nothing here and never overwritten."""

    def __init__(self, message: str, version: int, supported: int) -> None:
        super().__init__(message)
        self.version = version
        self.supported = supported


PRIVATE_MODE = 0o600
"""The mode of files that hold private state (settings, session, autosaves, learned rules)."""


def atomic_write(path: Path, text: str, *, private: bool = False) -> None:
    """Write via a temporary file, fsync, and replace, so a crash never leaves half a file.

    Permissions: `private` files are PRIVATE_MODE (owner only). Any other file (a workspace the
    user saves, an export) is created as `open()` would create it, 0666 less the user's umask
    (0644 under the usual 022), and a file it replaces keeps that file's own permission bits,
    as editors do (a workspace the user made owner-only stays so)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keep: int | None = None
    if not private:
        try:
            keep = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            keep = None  # a new file: the umask decides
    fd, tmp = _create_temporary(path, PRIVATE_MODE if private else 0o666)
    try:
        if keep is not None and os.name == "posix":
            os.fchmod(fd, keep)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _create_temporary(path: Path, mode: int) -> tuple[int, str]:
    """A new, empty file beside `path` (opened for writing) and its name. Created with `mode`
    through os.open, so the kernel applies the umask (tempfile.mkstemp always makes 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        name = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(name, flags, mode), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def parse_workspace(text: str, source: str = "workspace") -> Workspace:
    """A workspace from JSON text, or WorkspaceFileError naming line and column or field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WorkspaceFileError(
            f"{source}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"
        ) from None
    if not isinstance(data, dict):
        raise WorkspaceFileError(f"{source}: a workspace must be a JSON object")
    try:
        data = migrate(data)
    except NewerFormatError as exc:
        raise NewerWorkspaceError(f"{source}: {exc}", exc.version, exc.supported) from None
    except ValueError as exc:
        raise WorkspaceFileError(f"{source}: {exc}") from None
    try:
        return Workspace.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors()[:10]:
            where = ".".join(str(p) for p in err["loc"]) or "(top level)"
            lines.append(f"{source}: {where}: {err['msg']}")
        raise WorkspaceFileError("\n".join(lines)) from None


def load_workspace(path: Path, *, rows: bool = True) -> Workspace:
    """The workspace at `path`, with its test set's rows read from their sibling file when it
    has one (`rows=False`: not read). Raises WorkspaceFileError (RowsFileError for the rows
    file: services/test_set_files.py)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorkspaceFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise WorkspaceFileError(f"{path}: not a UTF-8 text file") from None
    ws = parse_workspace(text, str(path))
    if not rows:
        return ws
    from playground.services.test_set_files import with_rows  # it imports this module

    return with_rows(path, ws)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def save_workspace(
    path: Path,
    ws: Workspace,
    text: str | None = None,
    *,
    newer: Literal["refuse", "set_aside"] = "refuse",
    private: bool = False,
) -> Workspace:
    """Write `ws` atomically; the previous file, if it was a good workspace, becomes .bak.
    `private` (autosaves): both are owner-only; else see `atomic_write` for their permissions.

    `text` is ws.to_json() when the caller has it already. A file at `path` written by a newer
    Playground is never overwritten: NewerWorkspaceError (`newer="refuse"`, for files the user
    named), or it is renamed `<name>.v<N>` first and kept (`newer="set_aside"`, for autosaves).
    A big test set's rows go to a sibling file first, except in an autosave (`private`):
    services/test_set_files.py (RowsFileError when that file cannot be fully read; then
    nothing is written). Returns `ws` as it now is on disk: its test set's `rows_file` set when
    the rows went to a sibling file (the rows themselves kept).
    """
    rows_at: Path | None = None
    stored = ws
    if not private:
        from playground.services.test_set_files import split_rows

        kept, rows_at = split_rows(path, ws)
        if rows_at is not None:
            ts = ws.test_set.model_copy(update={"rows_file": kept.test_set.rows_file})
            stored = ws.model_copy(update={"test_set": ts})
            ws, text = kept, None
    previous: str | None = None
    if path.exists():
        try:
            load_workspace(path, rows=False)
        except NewerWorkspaceError as exc:
            if newer == "refuse":
                raise
            os.replace(path, path.with_name(f"{path.name}.v{exc.version}"))
        except WorkspaceFileError:
            pass  # never let a broken file replace the last good copy
        else:
            previous = path.read_text(encoding="utf-8")
    if rows_at is not None:
        from playground.services.test_set_files import write_rows

        write_rows(rows_at, stored.test_set.rows)
    if previous is not None:
        atomic_write(backup_path(path), previous, private=private)
    atomic_write(path, text if text is not None else ws.to_json(), private=private)
    return stored


def last_good_copy(path: Path, *, rows: bool = True) -> Workspace | None:
    """The .bak beside `path`, when it loads (`rows`: as load_workspace)."""
    try:
        return load_workspace(backup_path(path), rows=rows)
    except WorkspaceFileError:
        return None
