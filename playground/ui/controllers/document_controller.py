"""Binds a tab's panels to its Document: edits go in as undo steps, changes come back out.

A panel keeps no workspace of its own: what it shows is drawn from the Document, and an edit
is taken into the Document (`Document.commit`, which records only the paths that changed) a
moment after the typing pauses, under a coalescing key per panel so that typing is one undo
step. Text that does not parse yet (half-typed JSON) is kept as the Document's drafts. A
change from elsewhere (undo, redo, an import, a variant applied) redraws the panels it touches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from playground.core.document import Document
from playground.core.workspace import Workspace

COMMIT_MS = 150
"""An edit joins the Document this long after the last keystroke (Run, Save, a tab switch and
Undo take it at once)."""


class Panel(Protocol):
    """What a panel offers the binder."""

    def load(self, ws: Workspace) -> None: ...
    def apply(self, ws: Workspace) -> Workspace: ...


# Which panel shows which workspace field: a change at a path redraws the panel that owns it.
OWNED: dict[str, tuple[str, ...]] = {
    "params": ("params", "stream", "extra_body"),
    "tools": (
        "tools",
        "custom_tools",
        "mcp_tools",
        "mcp_auto_approve",
        "builtin_tools",
        "tool_choice",
        "extra_tools",
    ),
    "output": ("output_format",),
    "conversation": ("instructions", "messages"),
}
LABELS = {
    "params": "Edit parameters",
    "tools": "Edit tools",
    "output": "Edit output format",
    "conversation": "Edit conversation",
}


def owner_of(path: str) -> str | None:
    """The panel that shows `path` ("params.temperature" -> "params"), or None (the
    toolbar's model, API and profile; fields no panel edits)."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    return next((name for name, fields in OWNED.items() if head in fields), None)


class DocumentBinder(QObject):
    """Keeps `panels` (by name, as in OWNED) and `doc` in step."""

    edited = Signal()
    """The Document changed (from a panel or elsewhere): revalidate, retitle, autosave."""
    replaced = Signal()
    """The whole workspace was replaced (an import, a load, undoing one)."""

    def __init__(
        self,
        doc: Document,
        panels: dict[str, Panel],
        drafts: dict[str, Callable[[], dict[str, str]]],
        parent: QObject | None = None,
    ) -> None:
        """`drafts`: per panel name, what it holds that does not parse yet, by Document path."""
        super().__init__(parent)
        self.doc = doc
        self.panels = panels
        self._drafts = drafts
        self._pending: set[str] = set()
        self._committing = False
        self._timer = QTimer(self, singleShot=True, interval=COMMIT_MS)
        self._timer.timeout.connect(self.flush)
        for name, panel in panels.items():
            panel.changed.connect(lambda n=name: self._on_panel_changed(n))  # type: ignore[attr-defined]
        doc.changed.connect(self._on_doc_changed)
        doc.drafts_changed.connect(self._on_drafts_changed)

    def load(self) -> None:
        """Draw every panel from the Document (drafts shown where there are any)."""
        self._pending.clear()
        for panel in self.panels.values():
            self._load(panel)

    def flush(self, label: str | None = None) -> None:
        """Take the panels' pending edits into the Document now; `label` names the step (an
        answer that arrived) and keeps it apart from the steps around it."""
        self._timer.stop()
        pending, self._pending = self._pending, set()
        for name in [n for n in self.panels if n in pending]:
            panel = self.panels[name]
            self._committing = True
            try:
                self.doc.commit(  # text that does not parse yet is in the same undo step
                    panel.apply(self.doc.workspace),
                    label or LABELS[name],
                    coalesce=None if label else name,
                    drafts=(OWNED[name], self._drafts.get(name, dict)()),
                )
            finally:
                self._committing = False
        if pending:
            self.edited.emit()

    def disconnect_document(self) -> None:
        """The tab is closing: stop listening to its Document."""
        self._timer.stop()
        self.doc.changed.disconnect(self._on_doc_changed)
        self.doc.drafts_changed.disconnect(self._on_drafts_changed)

    # -- private -----------------------------------------------------------------------------

    def _on_panel_changed(self, name: str) -> None:
        if self._committing:
            return
        self._pending.add(name)
        self._timer.start()

    def _on_doc_changed(self, path: str) -> None:
        if self._committing:
            self.edited.emit()
            return
        names = list(self.panels) if path == "" else [owner_of(path)]
        for name in names:
            if name is not None and name in self.panels:
                self._pending.discard(name)
                self._load(self.panels[name], path)
        if path == "":
            self.replaced.emit()
        self.edited.emit()

    def _on_drafts_changed(self, _path: str) -> None:
        if not self._committing:
            self.edited.emit()

    def _load(self, panel: Panel, path: str = "") -> None:
        self._committing = True
        try:
            reload = getattr(panel, "reload", None)
            if reload is not None and path:
                reload(self.doc.workspace, path, self.doc.drafts)
            else:
                panel.load(self.doc.workspace)
                show = getattr(panel, "show_drafts", None)
                if show is not None:
                    show(self.doc.drafts)
        finally:
            self._committing = False
