"""A Document: the one owner of a tab's workspace (STYLE.md section 1a).

It holds the committed `Workspace`, per-field drafts (text that does not parse yet, such as
half-typed JSON, kept until it does), an undo/redo history of labelled steps, the dirty state
and the file path, and announces every change through psygnal signals. Panels write through
it (`doc.set("params.temperature", 0.3)`) and redraw on its signals; they keep no copy.

Paths are dotted field names with list indexes: "instructions", "params.temperature",
"messages[2].content", "tools[0].parameters". A step records only the value at its path,
before and after, so a long history of a large workspace stays small; typing into one field
coalesces into one step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from psygnal import Signal
from pydantic import BaseModel

from playground.core.document_paths import (
    PathError as PathError,
)
from playground.core.document_paths import get_at, parse_path, set_at
from playground.core.workspace import Workspace

_FINE = ("params", "builtin_tools")
"""Fields whose own fields are recorded one by one."""
_ITEMS = ("messages", "tools")
"""List fields whose items are recorded one by one while the list keeps its length."""


def changes(before: Workspace, after: Workspace) -> list[tuple[str, Any, Any]]:
    """(path, before, after) for what differs, as finely as an undo step needs: a parameter,
    a message or a tool by index (while the list keeps its length), else the whole field."""
    out: list[tuple[str, Any, Any]] = []
    for name in type(before).model_fields:
        old, new = getattr(before, name), getattr(after, name)
        if old is new or old == new:
            continue
        if name in _FINE and isinstance(old, BaseModel) and isinstance(new, BaseModel):
            out += [
                (f"{name}.{field}", getattr(old, field), getattr(new, field))
                for field in type(old).model_fields
                if getattr(old, field) != getattr(new, field)
            ]
        elif name in _ITEMS and len(old) == len(new):
            out += [
                (f"{name}[{i}]", a, b)
                for i, (a, b) in enumerate(zip(old, new, strict=True))
                if a != b
            ]
        else:
            out.append((name, old, new))
    return out


def _kept(test_set: Any, rows_file: str | None) -> Any:
    """`test_set` with `rows_file` (once a test set has a rows file it keeps it)."""
    if rows_file is None or getattr(test_set, "rows_file", rows_file) == rows_file:
        return test_set
    return test_set.model_copy(update={"rows_file": rows_file})


@dataclass
class Step:
    """One undoable change: `label` for the menu, and per path the value before and after."""

    label: str
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    coalesce_key: str | None = None
    id: int = 0
    drafts: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    """Per draft path, its text before and after (None: no draft), so that undo takes back
    typing that does not parse yet like any other typing."""


_ids = count(1)


class Document:
    """The one owner of one tab's workspace (see the module docstring)."""

    changed = Signal(str)
    """A committed value changed at this path ("" for the whole workspace)."""
    drafts_changed = Signal(str)
    """The draft at this path was set or cleared."""
    dirty_changed = Signal(bool)
    """The document became dirty (True) or clean (False)."""

    def __init__(
        self, workspace: Workspace | None = None, path: Path | None = None, dirty: bool = False
    ) -> None:
        """`dirty`: the workspace differs from what was saved (a restored session's tab)."""
        self._ws = workspace or Workspace()
        self.path = path
        self._drafts: dict[str, str] = {}
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self._saved_id = -1 if dirty else 0
        self._was_dirty = dirty

    # -- reading -----------------------------------------------------------------------------

    @property
    def workspace(self) -> Workspace:
        """The committed workspace (immutable: every change makes a new one)."""
        return self._ws

    def get(self, path: str) -> Any:
        return get_at(self._ws, parse_path(path), path)

    @property
    def drafts(self) -> dict[str, str]:
        """Text that does not parse yet, by path (kept, autosaved and restored)."""
        return dict(self._drafts)

    @property
    def dirty(self) -> bool:
        """Changed since it was saved (or opened), drafts included."""
        return self._state_id() != self._saved_id or bool(self._drafts)

    # -- changing ----------------------------------------------------------------------------

    def set(self, path: str, value: Any, label: str | None = None, coalesce: bool = False) -> None:
        """Commit `value` at `path` as one undo step (`coalesce`: typing into the same path
        joins the previous step). A draft at that path is cleared. Raises PathError."""
        parts = parse_path(path)
        before = get_at(self._ws, parts, path)
        new = set_at(self._ws, parts, value, path)
        after = get_at(new, parts, path)
        if after == before and path not in self._drafts:
            return
        self._ws = new
        self._drafts.pop(path, None)
        key = path if coalesce else None
        last = self._undo[-1] if self._undo else None
        joinable = last is not None and last.coalesce_key == key and last.id != self._saved_id
        if key is not None and last is not None and joinable and not self._redo:
            p, first, _ = last.changes[0]
            last.changes[0] = (p, first, after)
        else:
            self._push(Step(label or f"Edit {path}", [(path, before, after)], key))
        self._redo.clear()
        self.changed.emit(path)
        self._announce_dirty()

    def replace(self, workspace: Workspace, label: str) -> None:
        """Replace the whole workspace (an import, a variant applied) as one undo step."""
        before = self._ws
        if workspace == before:
            return
        self._ws = workspace
        self._drafts.clear()
        self._push(Step(label, [("", before, workspace)]))
        self._redo.clear()
        self.changed.emit("")
        self._announce_dirty()

    def commit(
        self,
        workspace: Workspace,
        label: str,
        coalesce: str | None = None,
        drafts: tuple[tuple[str, ...], dict[str, str]] | None = None,
    ) -> bool:
        """Take an edited copy of the workspace (what a panel shows now) as one undo step that
        records only the paths that changed (`changes`). `coalesce`: a key (the panel, the
        field) under which successive edits join the previous step, as typing does (never a
        message or tool added or deleted). `drafts`: (prefixes, drafts) as `replace_drafts`
        takes them, recorded in the same step. False when nothing changed."""
        diff = changes(self._ws, workspace)
        new = {**self._drafts}
        if drafts is not None:
            new = {p: t for p, t in new.items() if not p.startswith(drafts[0])} | drafts[1]
        moved = {
            p: (self._drafts.get(p), new.get(p))
            for p in {*self._drafts, *new}
            if self._drafts.get(p) != new.get(p)
        }
        if not diff and not moved:
            return False
        self._ws = workspace
        self._drafts = new
        last = self._undo[-1] if self._undo else None
        if (
            coalesce is not None
            and last is not None
            and not any(p in _ITEMS for p, _, _ in diff)  # adding or deleting is a step
            and last.coalesce_key == coalesce
            and last.id != self._saved_id
            and not self._redo
            and (not diff or [p for p, _, _ in last.changes] == [p for p, _, _ in diff])
            and (not moved or not last.drafts or set(moved) <= set(last.drafts))
        ):
            if diff:
                last.changes = [
                    (p, first, after)
                    for (p, first, _), (_, _, after) in zip(last.changes, diff, strict=True)
                ]
            for p, (before, after) in moved.items():
                last.drafts[p] = (last.drafts.get(p, (before, None))[0], after)
        else:
            self._push(Step(label, diff, coalesce, drafts=moved))
        self._redo.clear()
        for path, _, _ in diff:
            self.changed.emit(path)
        for path in moved:
            self.drafts_changed.emit(path)
        self._announce_dirty()
        return True

    def replace_drafts(self, prefixes: tuple[str, ...], drafts: dict[str, str]) -> None:
        """The drafts under `prefixes` (one panel's fields) are now exactly `drafts`."""
        owned = [p for p in self._drafts if p.startswith(prefixes) and p not in drafts]
        for path in owned:
            self.clear_draft(path)
        for path, text in drafts.items():
            self.set_draft(path, text)

    def set_draft(self, path: str, text: str) -> None:
        """Keep `text` for `path` while it does not parse; the committed value stays."""
        parse_path(path)
        if self._drafts.get(path) == text:
            return
        self._drafts[path] = text
        self.drafts_changed.emit(path)
        self._announce_dirty()

    def clear_draft(self, path: str) -> None:
        if self._drafts.pop(path, None) is not None:
            self.drafts_changed.emit(path)
            self._announce_dirty()

    # -- undo --------------------------------------------------------------------------------

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def undo(self) -> bool:
        """Undo the last step; False when there is none."""
        if not self._undo:
            return False
        step = self._undo.pop()
        self._redo.append(step)
        self._apply(step, reverse=True)
        return True

    def redo(self) -> bool:
        """Redo the last undone step; False when there is none."""
        if not self._redo:
            return False
        step = self._redo.pop()
        self._undo.append(step)
        self._apply(step, reverse=False)
        return True

    # -- saving ------------------------------------------------------------------------------

    def mark_saved(self, path: Path | None = None) -> None:
        """The committed workspace was written (to `path`, if given): clean from here."""
        if path is not None:
            self.path = path
        self._saved_id = self._state_id()
        self._announce_dirty()

    def adopt(self, workspace: Workspace) -> None:
        """Take `workspace` as the committed one without an undo step: what a save wrote, when
        it differs only in how it is stored (save_workspace gave the test set a `rows_file`).
        The test sets in the undo history take that rows file too, so that an undo does not
        bring back a test set that forgot where its rows live."""
        diff = changes(self._ws, workspace)
        self._ws = workspace
        rows_file = workspace.test_set.rows_file
        for step in self._undo + self._redo:
            step.changes = [
                (p, _kept(a, rows_file), _kept(b, rows_file)) if p == "test_set" else (p, a, b)
                for p, a, b in step.changes
            ]
        for path, _, _ in diff:
            self.changed.emit(path)
        self._announce_dirty()

    def snapshot(self) -> dict[str, Any]:
        """What autosave keeps: the committed workspace (JSON-ready), the drafts, the path."""
        return {
            "workspace": self._ws.model_dump(mode="json"),
            "drafts": dict(self._drafts),
            "path": str(self.path) if self.path else None,
        }

    @classmethod
    def restore(cls, data: dict[str, Any]) -> Document:
        """A document from `snapshot()` output, its drafts back in place (dirty when it has
        drafts: they were never saved)."""
        doc = cls(Workspace.model_validate(data["workspace"]))
        doc.path = Path(data["path"]) if data.get("path") else None
        for path, text in (data.get("drafts") or {}).items():
            doc._drafts[str(path)] = str(text)
        doc._was_dirty = doc.dirty
        return doc

    # -- private -----------------------------------------------------------------------------

    def _state_id(self) -> int:
        return self._undo[-1].id if self._undo else 0

    def _push(self, step: Step) -> None:
        step.id = next(_ids)
        self._undo.append(step)

    def _apply(self, step: Step, reverse: bool) -> None:
        for path, before, after in reversed(step.changes) if reverse else step.changes:
            value = before if reverse else after
            if path == "":
                self._ws = value
            else:
                self._ws = set_at(self._ws, parse_path(path), value, path)
            self._drafts.pop(path, None)
            self.changed.emit(path)
        for path, texts in step.drafts.items():
            text = texts[0] if reverse else texts[1]
            if text is None:
                self._drafts.pop(path, None)
            else:
                self._drafts[path] = text
            self.drafts_changed.emit(path)
            self.changed.emit(path)  # the panel that shows it redraws
        self._announce_dirty()

    def _announce_dirty(self) -> None:
        now = self.dirty
        if now != self._was_dirty:
            self._was_dirty = now
            self.dirty_changed.emit(now)
