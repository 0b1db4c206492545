"""Compare mode in the window: the "Compare" action (toolbar, Edit menu, Ctrl+Shift+B), and the
runs of a tab's Compare view.

Entering Compare with fewer than two variants makes two (the tab's model and another current
one); entering and leaving are undo steps (`mode` in the Document). Run in Compare mode runs
every variant at once under one group id, owned by the tab (RunController.start); a column can
run alone, continue its own conversation with tool outputs, or answer its calls on mocks.
"Use this variant" makes a variant the tab's request, one undo step."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from playground.core import compare
from playground.core.document import PathError
from playground.core.variants import Variant, apply
from playground.core.workspace import DEFAULT_MODEL, Workspace

if TYPE_CHECKING:
    from playground.core.profiles import ProviderProfile
    from playground.services.runs import Run
    from playground.ui.main_window import MainWindow
    from playground.ui.views.workspace_view import WorkspaceView

SHORTCUT = "Ctrl+Shift+B"
MOCK_LOOP_LIMIT = 10
# Another current model for a new comparison: the first of these the tab does not use yet
# (both active in the catalog, checked 2026-11-30), else the catalog's first active text model.
OTHER_MODELS = (DEFAULT_MODEL, "gpt-5.4-mini")


def other_model(taken: set[str], today: date | None = None) -> str:
    """A current model that is not in `taken` (see OTHER_MODELS)."""
    from playground.core import catalog

    for model in OTHER_MODELS:
        if model not in taken:
            return model
    day = today or date.today()
    for info in catalog.models():
        active = info.lifecycle.status(day) == "active" and "text" in info.output_modalities
        if active and info.id not in taken:
            return info.id
    return DEFAULT_MODEL


def first_variants(ws: Workspace) -> list[Variant]:
    """The variants a tab starts Compare with: what it has, filled up to two (the tab's model
    as it is, then another current model)."""
    out = list(ws.variants)
    used = {v.key for v in out}
    models = {v.overrides.get("model", ws.model) for v in out}
    for key in "abcdef":
        if len(out) >= 2:
            break
        if key in used:
            continue
        model = ws.model if ws.model not in models else other_model(models)
        models.add(model)
        out.append(Variant(key=key, name=model, overrides={"model": model}))
    return out


def compare_program(ws: Workspace, profiles: list[ProviderProfile]) -> str | None:
    """The Code tab's Python in Compare mode: the program that runs every variant at once
    (core.codegen_compare); None when it cannot be written (no variant, one that does not fit)."""
    from playground.core.codegen_compare import compare_python

    if not ws.variants:
        return None
    try:
        return compare_python(ws, list(ws.variants), {p.name: p for p in profiles})
    except (PathError, ValueError):
        return None


def new_group() -> str:
    """A compare run's group id, shared by its variants' runs and their history records."""
    return f"g-{secrets.token_hex(4)}"


class CompareMode(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        # by tab: the run its Raw pane follows, and the two callbacks that feed the pane
        self._raw: dict[str, tuple[Run, Callable[[Any], None], Callable[[Any], None], Any]] = {}
        self.action = QAction("Compare", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setToolTip(
            f"Compare variants of this request side by side ({SHORTCUT}); undoable"
        )
        self.action.triggered.connect(self.set_compare)
        toolbar = window.toolbar
        before = next(
            (a for a in toolbar.actions() if toolbar.widgetForAction(a) is toolbar.blocker), None
        )
        if before is not None:
            toolbar.insertAction(before, self.action)
        else:
            toolbar.addAction(self.action)
        window.edit_menu.addSeparator()
        window.edit_menu.addAction(self.action)
        window.view_added.connect(self.bind)
        window.workspace_changed.connect(self.sync_action)

    # -- the mode ----------------------------------------------------------------------------

    def bind(self, view: WorkspaceView) -> None:
        """Act on what `view`'s Compare view asks for."""
        compare = view.compare
        compare.set_profiles([p.name for p in self.window.profiles])
        compare.run_one_requested.connect(lambda key, v=view: self.run_one(v, key))
        compare.stop_one_requested.connect(lambda key, v=view: self.stop_one(v, key))
        compare.use_requested.connect(lambda key, v=view: self.use_variant(v, key))
        compare.continue_requested.connect(
            lambda key, ws, v=view: self.start(v, key, ws, continued=True)
        )
        compare.loop_requested.connect(
            lambda key, ws, limit, v=view: self.start(v, key, ws, mock_loop=limit, continued=True)
        )
        compare.action_requested.connect(self._on_action)
        compare.raw_requested.connect(lambda key, v=view: self.show_raw(v, key))
        view.edited.connect(lambda v=view: self._on_view_edited(v))

    def sync_action(self) -> None:
        view = self.window.current_view
        self.action.setChecked(view is not None and view.doc.workspace.mode == "compare")

    def set_compare(self, on: bool) -> None:
        """Enter (making two variants when there are fewer) or leave Compare: one undo step."""
        view = self.window.current_view
        if view is None:
            return
        view.binder.flush()
        ws = view.doc.workspace
        if on and ws.mode != "compare":
            variants = first_variants(ws)
            entered = ws.model_copy(update={"variants": variants, "mode": "compare"})
            view.doc.commit(entered, "Compare variants")
        elif not on and ws.mode == "compare":
            view.compare.flush()
            view.doc.set("mode", "single", "Leave Compare")
        self.sync_action()

    # -- runs --------------------------------------------------------------------------------

    def run_all(self, view: WorkspaceView) -> None:
        """Every variant at once, one group id (Run and Ctrl+Enter in Compare mode)."""
        view.compare.flush()
        group = new_group()
        for i, variant in enumerate(view.doc.workspace.variants):
            self.run_one(view, variant.key, group, raw=i == 0)  # Raw: the first column

    def run_one(
        self, view: WorkspaceView, key: str, group: str | None = None, raw: bool = True
    ) -> None:
        """One variant, on the tab's base request as it stands (`raw`: the tab's Raw pane
        follows it)."""
        view.binder.flush()
        ws = view.doc.workspace
        variant = next((v for v in ws.variants if v.key == key), None)
        if variant is None:
            return
        if view.problems:  # text in the setup pane that does not parse: Run is blocked too
            view.compare.show_error(f"Cannot run: {view.problems[0]}")
            return
        view.compare.show_error(None)
        try:
            applied = apply(ws, variant)
        except PathError as exc:
            view.compare.show_error(f"{variant.name or key}: {exc}")
            return
        self.start(view, key, applied, group=group or new_group(), raw=raw)

    def start(
        self,
        view: WorkspaceView,
        key: str,
        ws: Workspace,
        group: str | None = None,
        mock_loop: int | None = None,
        continued: bool = False,
        raw: bool = True,
    ) -> None:
        """Run `ws` in column `key` (its previous run there, if live, is stopped);
        `continued`: `ws` is the column's own conversation, carried on."""
        column = view.compare.column(key)
        if column is None:
            return
        if column.run is not None:
            column.run.cancel()
            group = group or column.run.group  # a column's continued conversation
        run = self.window.runs.start(
            compare.independent(ws.model_copy(update={"variants": [], "mode": "single"})),
            self.profile_for(ws),
            owner=view.tab.id,
            group=group,
            variant=key,
            mock_loop=mock_loop,
        )
        view.compare.show_run(run, looping=mock_loop is not None, continued=continued)
        run.ended.connect(lambda _run, v=view: self.report(v))
        if raw:
            self.show_raw(view, key)
        self.report(view)

    def show_raw(self, view: WorkspaceView, key: str) -> None:
        """The tab's Raw pane shows column `key`'s run: its request and events, live."""
        column = view.compare.column(key)
        run = column.run if column is not None else None
        self._unfollow(view.tab.id)
        raw = view.raw
        raw.clear_events()
        if run is None:
            return

        def started(built: Any) -> None:
            if shiboken6.isValid(raw):  # the tab may have closed meanwhile
                raw.set_request(built.body)
                raw.clear_events()

        def events(batch: Any) -> None:
            if shiboken6.isValid(raw):
                raw.add_events(batch)

        raw.set_request(run.body or {})
        raw.add_events(list(run.events))
        if not run.live:  # over already: everything it had, now
            raw.flush()
            return
        self._raw[view.tab.id] = (run, started, events, raw)
        run.started.connect(started)
        run.events_received.connect(events)
        run.ended.connect(lambda _run, tab=view.tab.id: self._unfollow(tab, run))

    def _unfollow(self, tab: str, run: Run | None = None) -> None:
        """The Raw pane of `tab` stops following its run (only `run`, when given), showing
        every event it had."""
        old = self._raw.get(tab)
        if old is None or (run is not None and old[0] is not run):
            return
        del self._raw[tab]
        old[0].started.disconnect(old[1])
        old[0].events_received.disconnect(old[2])
        if shiboken6.isValid(old[3]):
            old[3].flush()

    def report(self, view: WorkspaceView) -> None:
        """The tab's status line: how many columns run, then who was fastest and cheapest."""
        if not shiboken6.isValid(view.compare):  # the tab closed while its runs went on
            return
        columns = view.compare.columns
        live = sum(c.live for c in columns)
        if live:
            view.runner.set_status(f"Compare: {live} of {len(columns)} variants running…")
            return
        rows = [c.row() for c in columns]
        table = compare.table(rows)
        parts = []
        best: list[tuple[compare.Figure, str]] = [
            ("ttft_ms", "first token"),
            ("cost_usd", "cheapest"),
        ]
        for figure, text in best:
            names = [columns[i].name.text() or rows[i].key for i in sorted(table.best[figure])]
            if names:
                parts.append(f"{text}: {', '.join(names)}")
        outcomes = ", ".join(
            f"{r.key} {r.outcome.replace('_', ' ') if c.run is not None else 'not run'}"
            for r, c in zip(rows, columns, strict=True)
        )
        view.runner.set_status("  ·  ".join(["Compare done", *parts, outcomes]))

    def stop_one(self, view: WorkspaceView, key: str) -> None:
        column = view.compare.column(key)
        if column is not None and column.run is not None:
            column.run.cancel()

    def use_variant(self, view: WorkspaceView, key: str) -> None:
        """Make variant `key` the tab's request and leave Compare (one undo step)."""
        view.binder.flush()
        view.compare.flush()
        ws = view.doc.workspace
        variant = next((v for v in ws.variants if v.key == key), None)
        if variant is None:
            return
        try:
            applied = apply(ws, variant)
        except PathError as exc:
            view.compare.show_error(str(exc))
            return
        view.doc.replace(
            applied.model_copy(update={"mode": "single"}),
            f"Use variant {variant.name or key}",
        )
        view.runner.set_status(
            f"This tab's request is now variant {variant.name or key}; Undo brings Compare back"
        )
        self.sync_action()

    def profile_for(self, ws: Workspace) -> ProviderProfile:
        """The profile a variant's workspace names, else the toolbar's."""
        found = next((p for p in self.window.profiles if p.name == ws.profile), None)
        return found or self.window.current_profile()

    def _on_view_edited(self, view: WorkspaceView) -> None:
        if view is self.window.current_view:
            self.sync_action()

    def _on_action(self, action: str) -> None:
        if action == "set_key":
            self.window.open_providers()
