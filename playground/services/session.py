"""The session: open tabs, autosaved (unsaved edits included), so they come back after a restart
or a crash. Each tab's workspace lives in its own file under the data dir."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from playground.core.workspace import Workspace
from playground.services.files import (
    WorkspaceFileError,
    atomic_write,
    last_good_copy,
    load_workspace,
    save_workspace,
)

SESSION_VERSION = 1


class TabRecord(BaseModel):
    """One open tab: its autosave id, the file it belongs to, whether it has unsaved edits."""

    model_config = ConfigDict(extra="allow")  # a newer version's fields round-trip

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    path: str | None = None
    dirty: bool = False
    title: str = "Untitled"
    drafts: dict[str, str] = Field(default_factory=dict)
    """Text typed into the tab that does not parse yet, by workspace path (kept, restored)."""


class SessionRecord(BaseModel):
    model_config = ConfigDict(extra="allow")

    schema_version: int = SESSION_VERSION
    tabs: list[TabRecord] = Field(default_factory=list)
    current: int = 0
    recent: list[str] = Field(default_factory=list)


class SessionStore:
    """Reads and writes the session file and the per-tab autosaves (atomically, with .bak)."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir
        self.file = data_dir / "session.json"
        self.autosave_dir = data_dir / "autosave"
        self.read_only = False
        """A newer Playground wrote the session file: it is never written by this one."""
        self.notice: str | None = None
        """What load() found wrong, naming the file, for the window's banner; else None."""

    def load(self) -> SessionRecord:
        """The session. A file from a newer Playground (schema_version above SESSION_VERSION)
        is left alone: an empty session, read_only set, and save() writes nothing. A file that
        cannot be read is renamed `session.json.unreadable-<time>` and an empty session used.
        Unknown fields round-trip. Either way `notice` says what happened."""
        try:
            text = self.file.read_text("utf-8")
        except FileNotFoundError:
            return SessionRecord()
        except (OSError, UnicodeDecodeError):
            return self._set_aside()
        try:
            data = json.loads(text)
        except ValueError:
            return self._set_aside()
        version = data.get("schema_version", SESSION_VERSION) if isinstance(data, dict) else 0
        if not isinstance(version, int) or version > SESSION_VERSION:
            self.read_only = True
            self.notice = (
                f"The session file {self.file} was written by a newer Playground "
                f"(schema_version {version}); its tabs are not opened and it is left as it is."
            )
            return SessionRecord()
        try:
            return SessionRecord.model_validate(data)
        except ValidationError:
            return self._set_aside()

    def _set_aside(self) -> SessionRecord:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.file.with_name(f"{self.file.name}.unreadable-{stamp}")
        try:
            self.file.rename(target)
        except OSError:
            self.read_only = True
            self.notice = f"The session file {self.file} cannot be read; it is left as it is."
        else:
            self.notice = (
                f"The session file could not be read; it was moved to {target} and the last "
                "session's tabs are not restored."
            )
        return SessionRecord()

    def save(self, record: SessionRecord) -> None:
        if self.read_only:
            return
        atomic_write(self.file, record.model_dump_json(indent=2) + "\n", private=True)

    def autosave_path(self, tab_id: str) -> Path:
        return self.autosave_dir / f"{tab_id}.json"

    def write_tab(self, tab_id: str, ws: Workspace, text: str | None = None) -> None:
        """Autosave a tab; `text` is ws.to_json() when the caller has it already. An autosave a
        newer Playground wrote there is kept beside it (`<id>.json.v<N>`), never overwritten."""
        save_workspace(self.autosave_path(tab_id), ws, text, newer="set_aside", private=True)

    def read_tab(self, tab: TabRecord) -> Workspace | None:
        """The tab's autosaved workspace; its last good copy if the autosave is damaged; else
        the file it belongs to."""
        path = self.autosave_path(tab.id)
        try:  # an autosave keeps its rows inline: a rows_file names the user's file's sibling
            return load_workspace(path, rows=False)
        except WorkspaceFileError:
            pass
        good = last_good_copy(path, rows=False)
        if good is not None:
            return good
        if tab.path:
            try:
                return load_workspace(Path(tab.path))
            except WorkspaceFileError:
                return None
        return None

    def forget_tab(self, tab_id: str) -> None:
        for path in (
            self.autosave_path(tab_id),
            self.autosave_path(tab_id).with_name(f"{tab_id}.json.bak"),
        ):
            path.unlink(missing_ok=True)
