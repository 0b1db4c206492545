"""Learned rules in the window: the error card's "Drop it and run again", and the notes
under the params panel's rows (with Forget). The rules themselves live in core.learned and
services.learned_rules; the run controller learns them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from playground.core import learned
from playground.core.learned import LearnedRule
from playground.services.learned_rules import LearnedRuleStore

if TYPE_CHECKING:
    from playground.ui.controllers.run_controller import RunController
    from playground.ui.main_window import MainWindow


class LearnedRulesView(QObject):
    """Binds the window's params panel and error card to the learned-rules store."""

    def __init__(self, window: MainWindow, runs: RunController, store: LearnedRuleStore) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._offer: LearnedRule | None = None
        self._last: LearnedRule | None = None  # the rule the card offered, for its button
        runs.run_added.connect(self._on_run_started)
        runs.rule_learned.connect(self._on_rule_learned)
        window.workspace_changed.connect(self.refresh)
        window.view_added.connect(lambda view: view.params.forget_requested.connect(self.forget))
        self.refresh()

    def take_offer(self) -> LearnedRule | None:
        """The rule the run that just failed taught, once (the error card offers it)."""
        rule, self._offer = self._offer, None
        if rule is not None:
            self._last = rule
        return rule

    def drop_and_run(self) -> None:
        """Leave out what the offered rule refuses, in the workspace the panels show, and run."""
        rule = self._last
        if rule is None:
            return
        w = self._window
        w.load(learned.without(w.collect(), rule), f"Leave out {rule.param}")
        w.run()

    def forget(self, rule: LearnedRule) -> None:
        """Forget `rule` (the params panel's Forget)."""
        try:
            self._store.forget(rule)
        except OSError as exc:
            self._window.show_banner(f"⚠ The learned rule could not be forgotten: {exc.strerror}")
        self.refresh()
        self._window.revalidate_soon()  # the findings stop saying it will not be sent

    def refresh(self) -> None:
        """Show the rules learned for the current profile and model under their rows."""
        view = self._window.current_view
        if view is not None:
            ws = view.doc.workspace
            view.params.set_learned(self._store.learned_for(ws.profile, ws.model))

    def _on_run_started(self, _built: object) -> None:
        self._offer = None

    def _on_rule_learned(self, rule: LearnedRule) -> None:
        self._offer = rule
        self.refresh()
