"""The composition root: QApplication identity, the qasync loop, services, controllers, window."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from playground import paths
from playground.core.profiles import SIMULATOR
from playground.core.workspace import Message, Workspace
from playground.services import worker
from playground.services.connection import Connections
from playground.services.evaluation_store import EvaluationStore
from playground.services.history import HistoryStore
from playground.services.keystore import KeyStore
from playground.services.learned_rules import FILE_NAME, LearnedRuleStore
from playground.services.logs import setup_logging
from playground.services.pending_runs import PendingRuns
from playground.services.response_cache import FILE_NAME as CACHE_FILE
from playground.services.response_cache import ResponseCache
from playground.services.session import SessionStore
from playground.services.settings import (
    Settings,
    SettingsReadOnly,
    open_settings,
    save_settings,
    set_aside_entry,
)
from playground.services.token_count import TokenCounter
from playground.services.user_catalog import load_user_catalog
from playground.ui import theme
from playground.ui.background_actions import BackgroundActions
from playground.ui.cache_actions import CacheActions
from playground.ui.controllers import tasks
from playground.ui.controllers.background_controller import FILE_NAME as PENDING_FILE
from playground.ui.controllers.background_controller import BackgroundRuns
from playground.ui.controllers.history_controller import HistoryController
from playground.ui.controllers.providers_controller import ProvidersController
from playground.ui.controllers.run_controller import RunController
from playground.ui.controllers.token_controller import TokenCountController
from playground.ui.diagnostics import Facts
from playground.ui.documents import Documents, Tab
from playground.ui.error_hooks import install_hooks
from playground.ui.folders import RecentFolders
from playground.ui.history_view import HistoryView
from playground.ui.learned_view import LearnedRulesView
from playground.ui.main_window import MainWindow
from playground.ui.menus import WindowMenus
from playground.ui.schema_checker import SchemaChecker
from playground.ui.tab_notices import Notice
from playground.ui.views.evaluate_mode import Services
from playground.ui.widgets.common import html_text
from playground.ui.widgets.focus_ring import FocusRing
from playground.ui.widgets.message_card import MessageCard
from playground.ui.widgets.wheel_guard import WheelGuard

if TYPE_CHECKING:
    from playground.services.simulator import Simulator
    from playground.ui.single_instance import InstanceServer

log = logging.getLogger(__name__)

WELCOME = Workspace(
    profile=SIMULATOR,
    instructions="You are a concise assistant for software engineers.",
    messages=[Message(role="user", content="Explain server-sent events in three bullet points.")],
)


class Playground:
    """Everything the GUI needs, built once and wired; `close()` shuts it down in order."""

    def __init__(
        self,
        settings_path: Path,
        keys: KeyStore | None = None,
        env: dict[str, str] | None = None,
        simulator_speed: float | None = 60.0,
        strict: bool = False,
        simulator: Simulator | None = None,
        data_dir: Path | None = None,
        catalog_override: Path | None = None,
    ) -> None:
        self.data_dir = data_dir or paths.data_dir()
        self.settings_path = settings_path
        opened = open_settings(settings_path)
        self.settings = opened.settings
        self._notices = [opened.notice] if opened.notice else []
        self._found_keys = opened.found_keys
        override = load_user_catalog(catalog_override or paths.models_override_file())
        self._notices += [override] if override else []
        self._read_only = ""  # why the settings cannot be saved: the Providers dialog says so
        if opened.read_only:
            self._read_only = opened.notice or f"The settings file {settings_path} is read-only."
        self._moving: asyncio.Future[None] | None = None
        self.keys = keys or KeyStore()
        self.env = dict(os.environ) if env is None else env
        self.connections = Connections(
            self.keys, self.env, simulator_speed, simulator, self.data_dir / "simulator"
        )
        self.backend = worker.WorkerBackend(strict=strict)
        self.history = HistoryStore(self.data_dir / "history.sqlite3")
        self.schema_checker = SchemaChecker()
        self.learned = LearnedRuleStore(self.data_dir / FILE_NAME)
        self.response_cache = ResponseCache(self.data_dir / CACHE_FILE)
        self.runs = RunController(
            self.backend,
            self.connections,
            history=self.history,
            learned=self.learned,
            cache=self.response_cache,
        )
        pending = PendingRuns(self.data_dir / PENDING_FILE)
        self.background = BackgroundRuns(self.runs, self.backend, self.connections, pending)
        self.providers = ProvidersController(self.backend, self.connections)
        self.token_counter = TokenCountController(TokenCounter(self.connections))
        self.window: MainWindow | None = None
        self.documents: Documents | None = None
        self.history_view: HistoryView | None = None
        MessageCard.image_saver = _save_pasted_image

    def open_window(
        self,
        workspace: Workspace | None = None,
        path: Path | None = None,
        window: MainWindow | None = None,
    ) -> MainWindow:
        """The window with the last session's tabs (or `workspace`), plus `path` if given;
        `window` is one already showing its first frame."""
        window = window or MainWindow()
        theme.mark(window)  # style.qss's dark rules apply in it (its tabs are made below)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            FocusRing.install(app)  # keyboard focus visible on every control, both themes
            WheelGuard.install(app)  # the wheel scrolls a pane, not the combo under the pointer
        window.setup(
            self.runs,
            self.providers,
            self.settings.profiles,
            self._profiles_changed,
            workspace or WELCOME,
        )
        self.window = window
        window.folders = RecentFolders(lambda: self.settings, self._save_settings)
        window.settings_read_only = self._read_only
        window.set_schema_checker(self.schema_checker)
        window.set_token_counter(self.token_counter)
        window.learned_rules = LearnedRulesView(window, self.runs, self.learned)
        self.documents = Documents(window, SessionStore(self.data_dir))
        self.documents.restore(workspace or WELCOME)
        self._welcome = workspace is None and path is None and not self.documents.record.tabs
        window.window_runs.attach_background(self.background)
        window.window_runs.pick_up(
            self.background.left_over({d.tab.id for d in self.documents.docs})
        )
        if path is not None:
            self.documents.open_path(path)
        self.history_controller = HistoryController(self.history)
        self.history_view = HistoryView(window, self.history_controller, self.documents)
        evaluations = EvaluationStore(self.data_dir / "evaluations.sqlite3")
        window.window_runs.evaluate.attach(
            Services(self.backend, self.connections.resolve, evaluations, self.history,
                     self.history_view.open_run, self.connections.keys.get)
        )  # fmt: skip
        status = self.keys.status
        facts = Facts(self.settings_path, self.data_dir, status.detail, status.secure)
        window.menus = WindowMenus(window, self.documents, self.settings, self.set_pref, facts)
        window.cache_actions = CacheActions(window, window.menus.run_menu, self.runs)
        menu, stop = window.menus.run_menu, window.menus.stop
        window.window_runs.actions = BackgroundActions(window, menu, stop)
        notices = [*self._notices, self.documents.store.notice, self.history.open()]
        notices.append(self.learned.notice)
        if not self.keys.status.secure:
            notices.append(
                f"Keys are not stored securely on this system. {self.keys.status.detail}"
            )
        if self._found_keys:
            self._moving = tasks.start(self._move_found_keys(), "moving keys to the keyring")
        if any(notices):
            window.show_banner("⚠ " + "<br>".join(html_text(n) for n in notices if n))
        return window

    def receive(self, path: Path | None) -> None:
        """A later start handed `path` over (None: it only asked for the window): open it in
        a tab and bring the window to the front."""
        if path is not None and self.documents is not None:
            self.documents.open_path(path)
        if self.window is not None:
            if self.window.isMinimized():
                self.window.showNormal()
            self.window.show()
            self.window.raise_()
            self.window.activateWindow()

    async def warm_up(self) -> None:
        """After the window is up: start the request process (it imports the SDK and makes
        one request of each API to a private simulator, so that the first run does not wait
        for that), then move everything built so far out of the garbage collector's way (its
        full passes over them paused a long stream by 100 ms)."""
        await asyncio.sleep(0.3)
        try:
            worker.start()
            if not await worker.wait_ready():
                log.warning("the request process did not get ready in time")
        except Exception:  # the first run starts it again, and says why if it cannot
            log.warning("could not start the request process", exc_info=True)
        gc.freeze()

    async def first_start_check(self) -> None:
        """No stored key and no OPENAI_API_KEY: open on the simulator and say how to add a key."""
        openai = self.settings.profile("OpenAI")
        if openai is None or self.window is None:
            return
        has_key = await self.connections.has_key(openai)
        if has_key and self._welcome:
            view = self.window.current_view
            fresh = view is not None and not view.doc.dirty
            self.window.provider.setCurrentText(openai.name)  # a key is there: use it
            if view is not None and fresh:
                view.doc.mark_saved()  # the welcome tab starts clean on either provider
            return
        current = self.settings.profile(self.window.provider.currentText())
        if (
            not has_key
            and not self.settings.banner_dismissed
            and current is not None
            and current.kind == "simulator"  # it says so: true only of a tab on the simulator
            and self.documents is not None
        ):
            # shown whatever the keyring: without one, it says where a key goes instead
            where = (
                "it is kept in the OS keyring."
                if self.keys.status.secure
                else "this system has no secure keyring, so it is kept for this session only "
                "(or start Playground with <code>OPENAI_API_KEY</code> set)."
            )
            text = (
                "You are on the <b>Offline simulator</b>: everything works without a key. "
                "To use the OpenAI API, open <b>Providers</b> (Ctrl+,), choose OpenAI and "
                f"save your API key; {where} File ▸ New from example opens ready-made requests."
            )
            doc = self.documents.current_document()
            if doc is None:
                self.window.show_banner(text)
                return
            self.documents.notices.post(
                doc.tab.id,
                Notice(text, "Providers…", self.window.open_providers, self._banner_dismissed),
            )
            self._welcome_ends_off_simulator(doc)

    def _welcome_ends_off_simulator(self, tab: Tab) -> None:
        """The welcome speaks of the simulator: it goes when its tab moves to another provider."""

        def changed(path: str) -> None:
            profile = self.settings.profile(tab.ws.profile)
            if path in ("profile", "") and (profile is None or profile.kind != "simulator"):
                tab.doc.changed.disconnect(changed)
                if self.documents is not None:
                    self.documents.notices.drop(tab.tab.id)

        tab.doc.changed.connect(changed)

    def set_pref(self, name: str, value: object) -> None:
        """Keep a View preference (`theme`, `zoom_percent`) in the settings file."""
        self.settings = Settings(**{**self.settings.model_dump(), name: value})
        self._save_settings()

    def _banner_dismissed(self) -> None:
        self.settings.banner_dismissed = True
        self._save_settings()

    def _profiles_changed(self, profiles: list) -> None:
        self.settings = Settings(**{**self.settings.model_dump(), "profiles": profiles})
        self._save_settings()

    async def _move_found_keys(self) -> None:
        """Keys an older version kept in profile headers go to the keyring and the settings
        file is written without them. One Authorization (Bearer) or api-key header becomes the
        profile's key when it has none (its auth style follows); every other one is kept under
        the keyring entry `set_aside_entry(profile, header)`, so no secret is lost."""
        profiles = list(self.settings.profiles)
        for found in self._found_keys:
            moved = found.key_and_style()
            has_key = await asyncio.to_thread(self.keys.get, found.profile)
            if moved is not None and not has_key:
                key, style = moved
                await asyncio.to_thread(self.keys.set, found.profile, key)
                profiles = [
                    p.model_copy(update={"auth": style}) if p.name == found.profile else p
                    for p in profiles
                ]
            else:
                entry = set_aside_entry(found.profile, found.header)
                await asyncio.to_thread(self.keys.set, entry, found.value)
        self.settings = Settings(**{**self.settings.model_dump(), "profiles": profiles})
        if self.window is not None:
            self.window.set_profiles(profiles)
        self._save_settings()

    def _save_settings(self) -> None:
        try:
            save_settings(self.settings_path, self.settings)
        except SettingsReadOnly as exc:
            if self.window is not None:
                self.window.show_banner(f"⚠ <b>Settings not saved:</b> {html_text(str(exc))}.")
        except OSError as exc:
            if self.window is not None:
                self.window.show_banner(
                    f"⚠ <b>Settings not saved:</b> {html_text(exc.strerror or str(exc))}"
                )

    async def aclose(self) -> None:
        self.runs.stop()
        if self.documents is not None:
            self.documents.close()
        await self.runs.wait()
        await self.background.wait()
        if self.window is not None:  # Conversation calls under way end, their clients close
            await self.window.window_runs.conversations.wait()
        if self.window is not None:  # evaluations record how they ended
            evaluate = self.window.window_runs.evaluate
            evaluate.stop_all()
            await evaluate.wait()
            if evaluate.services is not None:
                await asyncio.to_thread(evaluate.services.store.close)
        if self._moving is not None:
            await asyncio.gather(self._moving, return_exceptions=True)  # reported already
        await self.providers.wait()
        if self.history_view is not None:
            await self.history_controller.wait()
        await asyncio.to_thread(self.history.close)
        await asyncio.to_thread(self.response_cache.close)
        self.schema_checker.close()
        await self.token_counter.aclose()
        await self.backend.aclose()
        await asyncio.to_thread(self.connections.close)


def _save_pasted_image(image: QImage) -> str:
    folder = paths.cache_dir() / "pasted"
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="paste-", suffix=".png", dir=folder)
    os.close(fd)
    image.save(name)
    return name


def run_composed(
    app: QApplication,
    window: MainWindow,
    workspace_path: Path | None,
    server: InstanceServer | None = None,
) -> int:
    """Compose the app into the window showing its first frame, and run until it closes;
    `server` receives the files later starts hand over."""
    import qasync

    setup_logging(paths.log_dir())
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    uninstall = install_hooks(lambda text: window.show_banner("⚠ " + html_text(text)), loop)
    playground = Playground(paths.settings_file())
    playground.open_window(path=workspace_path, window=window)
    if server is not None:
        server.bind(playground.receive)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    with loop:
        tasks.start(playground.first_start_check(), "checking for an API key")
        tasks.start(playground.warm_up(), "starting the request process")
        loop.run_until_complete(closed.wait())
        if server is not None:
            server.close()  # from here on a new start is the running instance
        loop.run_until_complete(playground.aclose())
    uninstall()
    worker.shutdown()
    return 0
