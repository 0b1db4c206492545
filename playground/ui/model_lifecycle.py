"""Model lifecycle in the window: the notice at the model field, its one-click switch to the
replacement, and "Refresh models" (the provider's GET /v1/models merged into the picker)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QToolBar

from playground.core import catalog
from playground.core.findings import Finding
from playground.core.lifecycle import (
    ServerModel,
    lifecycle_finding,
    profile_is_openai,
    replacement,
)
from playground.ui.widgets.common import tool_button
from playground.ui.widgets.model_notice import ModelNotice

if TYPE_CHECKING:
    from playground.core.workspace import Workspace
    from playground.ui.main_window import MainWindow


class ModelLifecycle(QObject):
    """Shows the current model's lifecycle finding under the toolbar (on open too: a workspace
    that names a shut-down model opens with the switch offered) and refreshes the model list."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.today: date | None = None
        """The day lifecycles are judged on (None: today)."""
        self.notice = ModelNotice()
        window.central_layout.insertWidget(0, self.notice)
        self.notice.switch_requested.connect(self._on_switch_requested)
        self.refresh_button = tool_button(
            "Refresh", "Refresh models: ask the provider for its model list", raised=True
        )
        self.refresh_button.setAccessibleName("Refresh models")
        self.refresh_button.clicked.connect(self.refresh_models)
        self._insert_after_picker(self.refresh_button)
        self._asked: str | None = None  # the profile a refresh was asked of
        window.workspace_changed.connect(self.show_current)
        window.model.model_chosen.connect(lambda _m: self.show_current())
        window.providers.models_listed.connect(self._on_models_listed)
        window.provider.currentTextChanged.connect(self._on_provider_changed)
        window.toolbar.api_group.buttonToggled.connect(lambda *_: self.model_changed())
        window.model.model_chosen.connect(lambda _m: self.model_changed())
        window.providers.models_failed.connect(self._on_models_failed)

    def findings(self, ws: Workspace) -> list[Finding]:
        """The lifecycle finding of `ws`'s model on the current profile (none when active)."""
        found = self._finding(ws.model)
        return [found] if found is not None else []

    def show_current(self) -> None:
        """Show the finding of the model the window shows now."""
        model = self.window.model.current_model() or self.window.ws.model
        self.notice.show_finding(
            self._finding(model), replacement(catalog.lookup(model), self._today())
        )

    def model_changed(self) -> None:
        """The tab's model or API changed: its parameters panel shows what this model takes."""
        view = self.window.current_view
        if view is not None:
            info = catalog.lookup(self.window.model.current_model() or self.window.ws.model)
            view.params.set_model(info, self.window.toolbar.current_api())
        self.window.revalidate_soon()

    def _on_provider_changed(self, _name: str) -> None:
        if not self.window.provider.missing():  # a missing profile has no server to ask
            self.window.providers.list_models(self.window.current_profile())
        self.window.revalidate_soon()

    def refresh_models(self) -> None:
        """Ask the current provider for its models; the picker merges them with badges."""
        profile = self.window.current_profile()
        self._asked = profile.name
        self.window.status.setText(f"Asking {profile.name} for its models…")
        self.window.providers.refresh_models(profile)

    def _today(self) -> date:
        return self.today or date.today()

    def _finding(self, model: str) -> Finding | None:
        openai = profile_is_openai(self.window.current_profile())
        return lifecycle_finding(catalog.lookup(model), self._today(), openai)

    def _insert_after_picker(self, button: object) -> None:
        bar = self.window.model.parentWidget()
        if not isinstance(bar, QToolBar):
            return
        actions = bar.actions()
        for index, action in enumerate(actions):
            if bar.widgetForAction(action) is self.window.model and index + 1 < len(actions):
                bar.insertWidget(actions[index + 1], button)  # type: ignore[arg-type]
                return

    def _on_switch_requested(self, model_id: str) -> None:
        self.window.model.choose(model_id)

    def _on_models_listed(self, profile: str, models: list) -> None:
        if profile == self.window.provider.currentText():
            self.window.model.set_remote_models(models)
        if profile != self._asked:
            return
        self._asked = None
        listed = [m if isinstance(m, ServerModel) else ServerModel(m) for m in models]
        new = [m for m in listed if not catalog.lookup(m.id).known]  # the "new" badge's rule
        dated = [m for m in listed if m.shutdown_date]
        self.window.status.setText(
            f"{profile}: {len(listed)} models listed, {len(new)} new, "
            f"{len(dated)} with a shutdown date"
        )

    def _on_models_failed(self, profile: str, text: str) -> None:
        if profile == self._asked:
            self._asked = None
            self.window.status.setText(f"Could not list the models of {profile}: {text}")
