"""The main window: a shell. It hosts the tabs' views in its panes, the request toolbar, the
menus and the status line; the views, controllers and documents do the work."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from playground.ui import window_fit
from playground.ui.views.document_area import DocumentArea
from playground.ui.views.request_toolbar import RequestToolbar
from playground.ui.widgets.elided_label import ElidedLabel

# This module paints the window's first frame with PySide6 alone; the rest of the app (core,
# panels, controllers) is imported by `setup()`, after that frame (see `show_first_frame`).
if TYPE_CHECKING:
    from playground.core.profiles import ProviderProfile
    from playground.core.workspace import Workspace
    from playground.ui.cache_actions import CacheActions
    from playground.ui.controllers.providers_controller import ProvidersController
    from playground.ui.controllers.run_controller import RunController
    from playground.ui.controllers.token_controller import TokenCountController
    from playground.ui.documents import Documents
    from playground.ui.folders import RecentFolders
    from playground.ui.learned_view import LearnedRulesView
    from playground.ui.menus import WindowMenus
    from playground.ui.schema_checker import SchemaChecker
    from playground.ui.views.workspace_view import WorkspaceView


class MainWindow(QMainWindow):
    """Hosts the current tab's view; see the module docstring."""

    workspace_changed = Signal()
    """The current tab's workspace changed, or another tab became current."""
    view_added = Signal(object)
    """A tab's WorkspaceView was added (features bind to its panels)."""

    documents: Documents | None = None  # the tabs, once app.py has made them
    learned_rules: LearnedRulesView | None = None  # learned refusals, once app.py has made them
    token_counter: TokenCountController | None = None
    menus: WindowMenus | None = None  # the menu bar's File...Help, once app.py has made them
    cache_actions: CacheActions | None = None  # Cache answers, Clear response cache (app.py)
    settings_read_only = ""  # why the settings file cannot be saved ("" when it can)
    folders: RecentFolders | None = None  # where each kind of file dialog opens (app.py)

    def __init__(self) -> None:
        """The window's chrome: menus, toolbar, empty panes. `setup()` brings it to life."""
        super().__init__()
        self.current_view: WorkspaceView | None = None
        self._dialog: QWidget | None = None
        self._painted = False
        self.setWindowTitle("Playground")
        self.setGeometry(window_fit.first_start(window_fit.available_area(self)))
        self.file_menu = self.menuBar().addMenu("&File")
        self.edit_menu = self.menuBar().addMenu("&Edit")
        self.toolbar = RequestToolbar()
        self.addToolBar(self.toolbar)
        self.addToolBar(self.toolbar.run_bar)
        t = self.toolbar
        self.provider, self.api_buttons, self.run_button = t.provider, t.api_buttons, t.run_button
        self.stop_button, self.blocker = t.stop_button, t.blocker
        self.splitter = area = DocumentArea()
        self.banner, self.side, self.findings_stack = area.banner, area.side, area.findings_stack
        central = QWidget()
        self.central_layout = QVBoxLayout(central)
        self.central_layout.setContentsMargins(0, 0, 0, 0)
        self.central_layout.setSpacing(0)
        self.central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        # the figures of the last run, elided where the window is narrow (all in the tooltip),
        # never pushing the request meter over
        self.status = ElidedLabel(max_width=100_000, text_tip=True)
        self.status.setText("Starting…")
        self.statusBar().addWidget(self.status, 1)

    def setup(
        self,
        runs: RunController,
        providers: ProvidersController,
        profiles: list[ProviderProfile],
        on_profiles_changed: Callable[[list], None],
        workspace: Workspace | None = None,
    ) -> None:
        """Build the controllers and wire them; the tabs come from `Documents`."""
        from playground.ui.controllers.validation_controller import Validation
        from playground.ui.edit_actions import EditActions
        from playground.ui.exchange import RequestExchange
        from playground.ui.model_lifecycle import ModelLifecycle
        from playground.ui.views.compare_mode import CompareMode
        from playground.ui.widgets.model_picker import ModelPicker
        from playground.ui.window_runs import WindowRuns

        self.runs, self.providers, self.profiles = runs, providers, profiles
        self._on_profiles_changed = on_profiles_changed
        self.toolbar.install_model_picker(ModelPicker())
        self.model = self.toolbar.model
        self.toolbar.fill_profiles([p.name for p in profiles], profiles[0].name)
        self.validation = Validation(
            self.toolbar, runs, lambda: self.current_view, self.current_profile,
            lambda: self.lifecycle.today, self,
        )  # fmt: skip
        self.validation.checked.connect(self.workspace_changed)
        self.window_runs = WindowRuns(self)
        self.compare = CompareMode(self)  # before the tabs' views: it binds each one
        self.exchange = RequestExchange(self)
        self.workspace_changed.connect(self.exchange.refresh)
        self.lifecycle = ModelLifecycle(self)
        self.edit_actions = EditActions(self, self.edit_menu, lambda: self.current_view)
        self.undo_action, self.redo_action = self.edit_actions.undo, self.edit_actions.redo
        self.toolbar.manage.clicked.connect(self.open_providers)
        self._shortcuts()
        self.status.setText("Ready")

    def show_first_frame(self, limit_s: float = 0.5) -> None:
        """Show the window and paint it now, before the rest of the app is imported and built
        (the event loop is not running yet: this turns it by hand until the frame is out)."""
        self.show()
        deadline = time.monotonic() + limit_s
        while not self._painted and time.monotonic() < deadline:
            QApplication.processEvents()
            if not self._painted:
                time.sleep(0.002)

    # -- the document area -------------------------------------------------------------------

    def add_view(self, view: WorkspaceView) -> None:
        """Place a tab's widgets in the panes (hidden until `show_view`)."""
        self.splitter.add(view)
        view.edited.connect(lambda v=view: self._on_view_edited(v))
        view.runner.status_changed.connect(lambda text, v=view: self._on_status(v, text))
        view.conversation.continue_requested.connect(self.run)
        self.window_runs.bind(view)
        self.view_added.emit(view)

    def show_view(self, view: WorkspaceView) -> None:
        """Make `view` the current tab's: its panes, its Document in the toolbar."""
        self.current_view = view
        self.splitter.show(view)
        self.toolbar.bind(view.doc)
        self.lifecycle.model_changed()
        self.status.setText(view.runner.status or "Ready")
        self.window_runs.update_stop()
        self.edit_actions.update()
        self.validation.check()

    def add_side_tab(self, widget: QWidget, title: str, tip: str) -> None:
        """A page of the side pane; `tip` says what it holds (its tab's tooltip)."""
        self.side.setTabToolTip(self.side.addTab(widget, title), tip)

    # -- the current tab ---------------------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        """`conversation`, `params`, `tools`, `output`, `variables`, `raw`, `findings_list`,
        `setup_tabs`: the current tab's."""
        if name in _VIEW_PARTS and self.__dict__.get("current_view") is not None:
            return getattr(self.__dict__["current_view"], name)
        raise AttributeError(name)

    @property
    def ws(self) -> Workspace:
        """The current tab's workspace, as committed."""
        from playground.core.workspace import Workspace

        view = self.current_view
        return view.doc.workspace if view is not None else Workspace()

    @property
    def findings(self) -> list:
        return self.current_view.findings if self.current_view is not None else []

    def collect(self) -> Workspace:
        """The current tab's workspace, with any edit still being typed taken in."""
        if self.current_view is not None:
            self.current_view.binder.flush()
        return self.ws

    def load(self, ws: Workspace, label: str = "Replace the workspace") -> None:
        """Put `ws` in the current tab (one undo step)."""
        if self.current_view is not None:
            self.current_view.binder.flush()
            self.current_view.doc.replace(ws, label)

    def current_profile(self) -> ProviderProfile:
        name = self.provider.currentText()
        return next((p for p in self.profiles if p.name == name), self.profiles[0])

    def blocking_problems(self) -> list[str]:
        view = self.current_view
        return view.problems if view is not None else []

    def show_banner(
        self, html: str, action: str | None = None, callback: Callable[[], None] | None = None
    ) -> None:
        self.banner.show_text(html, action, callback)

    def set_profiles(self, profiles: list[ProviderProfile]) -> None:
        self.profiles = profiles
        self.toolbar.fill_profiles([p.name for p in profiles], self.ws.profile)

    def profiles_edited(self, profiles: list) -> None:
        """The user changed the profiles (Providers, an import's proposal): show and keep them."""
        self.set_profiles(profiles)
        self._on_profiles_changed(profiles)

    def revalidate_soon(self) -> None:
        """Check the workspace again shortly (something it depends on changed: a learned
        rule forgotten, a profile edited)."""
        self.validation.soon()

    def _revalidate(self) -> None:
        self.validation.check()

    def run(self) -> None:
        self.window_runs.run()

    def stop(self) -> None:
        self.window_runs.stop()

    def set_schema_checker(self, checker: SchemaChecker) -> None:
        """Check large schemas in a worker process; look again when one is done."""
        self.validation.use_schema_checker(checker)

    def set_token_counter(self, counter: TokenCountController) -> None:
        """Show the request's input tokens, cost range and context meter in the status bar;
        a count over the model's maximum input is a finding."""
        self.token_counter = counter
        self.meter = self.validation.use_token_counter(counter)
        self.statusBar().addPermanentWidget(self.meter)

    def open_providers(self) -> None:
        from playground.ui.views.providers_view import open_providers_dialog

        self._dialog = open_providers_dialog(self)

    # -- private -----------------------------------------------------------------------------

    def _shortcuts(self) -> None:
        """The buttons; their keys are the menus' (ui/menus.py)."""
        self.run_button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.stop)

    def _on_view_edited(self, view: WorkspaceView) -> None:
        if view is self.current_view:
            self.edit_actions.update()
            self.validation.soon()

    def _on_status(self, view: WorkspaceView, text: str) -> None:
        if view is self.current_view:
            self.status.setText(text)

    # -- Qt overrides ------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        self._painted = True

    def closeEvent(self, event) -> None:
        if event.spontaneous() and self.menus is not None and not self.menus.may_close():
            event.ignore()  # the title bar's close asks about unsaved tabs, as Quit does
            return
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        if hasattr(self, "runs"):
            self.runs.stop()
        super().closeEvent(event)

    def restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            self.setGeometry(window_fit.fitted(self.geometry(), window_fit.available_area(self)))
        state = settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)


_VIEW_PARTS = frozenset(
    (
        "conversation",
        "params",
        "tools",
        "output",
        "variables",
        "raw",
        "findings_list",
        "setup_tabs",
    )
)
