"""A model that is going away, at the model field: the notice, the one-click switch, Run blocked
on OpenAI's endpoint only, "Refresh models" badges, the catalog override at start, and the
permissive simulator checkbox."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
import shiboken6
from PySide6.QtCore import Qt

from playground.core import catalog, request
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.keystore import KeyStore
from playground.services.simulator import Simulator
from playground.ui import theme
from playground.ui.app import Playground
from tests.services.test_keystore import MemoryKeyring
from tests.ui.conftest import App


def _entry(model_id: str, shutdown: str | None, replacement: str | None = None) -> dict:
    return {
        "id": model_id,
        "family": "Test",
        "params": ["temperature", "top_p"],
        "apis": ["responses", "chat"],
        "context_window": 128000,
        "max_output": 16384,
        "prices": [
            {
                "since": "2020-01-01",
                "input": 1,
                "cached_input": None,
                "cache_write": None,
                "output": 2,
            }
        ],
        "lifecycle": {
            "announced": None,
            "shutdown": shutdown,
            "replacement": replacement,
            "replacement_note": None,
        },
    }


OVERRIDE = {
    "models": [
        _entry("old-1", "2020-01-01", "new-1"),
        _entry("soon-1", "2099-01-01", "new-1"),
        _entry("new-1", None),
    ]
}
WS = Workspace(
    profile="Offline simulator",
    model="old-1",
    instructions="Be brief.",
    params=Parameters(temperature=0.3),
    messages=[Message(role="user", content="Explain SSE briefly.")],
)


@pytest.fixture
def start(
    qtbot: Any, qloop: qasync.QEventLoop, simulator: Simulator, tmp_path: Path
) -> Iterator[Callable[..., App]]:
    """Start the app with `override` as <config dir>/models.json, showing `ws`."""
    made: list[Playground] = []

    def make(ws: Workspace = WS, override: Any = OVERRIDE) -> App:
        path = tmp_path / "models.json"
        path.write_text(override if isinstance(override, str) else json.dumps(override, indent=2))
        keyring = MemoryKeyring()
        pg = Playground(
            tmp_path / "settings.json",
            keys=KeyStore(keyring),
            env={},
            simulator_speed=None,
            strict=True,
            simulator=simulator,
            data_dir=tmp_path / "data",
            catalog_override=path,
        )
        made.append(pg)
        window = pg.open_window(ws)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return App(pg, window, qtbot, simulator, keyring)

    yield make
    for pg in made:
        pg.runs.stop()
        if pg.window is not None and shiboken6.isValid(pg.window):
            pg.window.close()
        closing = asyncio.ensure_future(pg.aclose())
        qtbot.waitUntil(closing.done, timeout=5000)
        closing.result()
    catalog.load_override(None)


def _settle(app: App) -> None:
    app.qtbot.wait(200)  # the window revalidates 120 ms after an edit


def test_a_workspace_naming_a_shut_down_model_opens_with_the_switch_offered(
    start: Callable[..., App], qapp: Any
) -> None:
    app = start()
    w = app.window
    notice = w.lifecycle.notice
    assert notice.isVisible()
    assert "old-1 was shut down on 2020-01-01; suggested replacement: new-1" in notice.text.text()
    assert "other servers may still serve this id" in notice.text.text()  # on the simulator
    assert notice.switch.isVisible() and notice.switch.text() == "Switch to new-1"
    assert w.run_button.isEnabled()  # a warning on the simulator: it may still answer
    shown = [w.findings_list.item(i).text() for i in range(w.findings_list.count())]
    assert any(t.startswith("warning: old-1 was shut down") for t in shown), shown
    app.shot(w, "model_shut_down_light")
    theme.apply(qapp, dark=True)
    try:
        notice.show_finding(w.lifecycle.findings(w.collect())[0], "new-1")
        app.shot(w, "model_shut_down_dark")
    finally:
        theme.apply(qapp, dark=False)
    app.qtbot.mouseClick(notice.switch, Qt.MouseButton.LeftButton)
    _settle(app)
    ws = w.collect()
    assert ws.model == "new-1"
    assert ws.messages == WS.messages and ws.params == WS.params  # everything else stays
    assert ws.instructions == WS.instructions
    assert not notice.isVisible()
    app.run()
    assert app.last_body()["model"] == "new-1"


def test_run_is_blocked_on_openais_endpoint_only(start: Callable[..., App]) -> None:
    app = start()
    w = app.window
    w.provider.setCurrentText("OpenAI")
    _settle(app)
    assert not w.run_button.isEnabled()
    assert "old-1 was shut down on 2020-01-01" in w.run_button.toolTip()
    assert "Run is blocked on OpenAI's endpoint" in w.lifecycle.notice.text.text()
    assert "other servers" not in w.lifecycle.notice.text.text()
    w.run()
    assert app.sim.requests == []  # nothing was sent
    w.provider.setCurrentText("Offline simulator")
    _settle(app)
    assert w.run_button.isEnabled()
    w.provider.setCurrentText("OpenAI")
    _settle(app)
    w.lifecycle.notice.switch.click()
    _settle(app)
    assert w.run_button.isEnabled()  # the replacement is active


def test_a_deprecated_model_is_a_warning_that_does_not_block(start: Callable[..., App]) -> None:
    app = start(WS.model_copy(update={"model": "soon-1"}))
    w = app.window
    w.provider.setCurrentText("OpenAI")
    _settle(app)
    assert w.run_button.isEnabled()
    assert "soon-1 shuts down on 2099-01-01; suggested replacement: new-1" in (
        w.lifecycle.notice.text.text()
    )
    w.model.choose("new-1")
    _settle(app)
    assert not w.lifecycle.notice.isVisible()


def test_refresh_models_shows_new_and_shutdown_badges(start: Callable[..., App]) -> None:
    app = start(WS.model_copy(update={"model": "new-1"}))
    w = app.window
    assert w.lifecycle.refresh_button.isVisible()
    app.qtbot.mouseClick(w.lifecycle.refresh_button, Qt.MouseButton.LeftButton)
    app.qtbot.waitUntil(lambda: "models listed" in w.status.text(), timeout=10_000)
    assert "1 new" in w.status.text()  # my-local-model: the test simulator serves it
    items = {
        w.model.itemData(i): w.model.itemText(i)
        for i in range(w.model.count())
        if w.model.itemData(i)
    }
    assert items["my-local-model"].startswith("my-local-model  —  new")
    assert "shut down on 2020-01-01" in items["old-1"]
    assert "shuts down on 2099-01-01" in items["soon-1"]
    assert "shut" not in items["new-1"]
    w.model.showPopup()
    app.qtbot.wait(50)
    app.shot(w.model.view().window(), "model_picker_refreshed")
    w.model.hidePopup()


def test_a_broken_override_is_named_and_the_shipped_catalog_used(
    start: Callable[..., App],
) -> None:
    app = start(WS.model_copy(update={"model": "new-1"}), '{\n  "models": [\n    {"id": }\n')
    banner = app.window.banner
    assert banner.isVisible()
    assert "models.json:3:" in banner.text.text()
    assert "the shipped catalog is" in banner.text.text()
    assert not catalog.lookup("new-1").known


def test_the_providers_dialog_offers_permissive_for_the_simulator(
    start: Callable[..., App],
) -> None:
    app = start()
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog.select("Offline simulator")
    assert dialog.permissive.isVisible() and not dialog.permissive.isChecked()
    assert dialog.permissive.text() == "Accept any model id (permissive)"
    dialog.permissive.setChecked(True)
    app.shot(dialog, "providers_permissive")
    dialog.select("OpenAI")
    assert not dialog.permissive.isVisible()
    dialog.close()
    saved = app.pg.settings.profile("Offline simulator")
    assert saved is not None and saved.permissive
    openai = app.pg.settings.profile("OpenAI")
    assert openai is not None and not openai.permissive


def test_refresh_says_why_a_provider_could_not_be_asked(start: Callable[..., App]) -> None:
    app = start(WS.model_copy(update={"model": "new-1"}))
    w = app.window
    w.provider.setCurrentText("OpenAI")  # no key stored, none in the environment
    _settle(app)
    w.lifecycle.refresh_button.click()
    app.qtbot.waitUntil(lambda: "Could not list" in w.status.text(), timeout=5000)
    assert w.status.text() == "Could not list the models of OpenAI: no API key is stored for it"


def test_the_chat_token_limit_name_is_chosen_per_profile_and_sent(
    start: Callable[..., App],
) -> None:
    """A model the catalog does not know gets max_completion_tokens on OpenAI's endpoint,
    max_tokens elsewhere, or what the profile chose in the Providers dialog."""
    app = start(
        WS.model_copy(
            update={
                "model": "my-local-model",
                "api": "chat",
                "params": Parameters(max_output_tokens=50),
            }
        )
    )
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog.select("Offline simulator")
    assert dialog.token_name.currentData() == "auto"
    dialog.token_name.setCurrentIndex(dialog.token_name.findData("max_completion_tokens"))
    dialog.close()
    saved = app.pg.settings.profile("Offline simulator")
    assert saved is not None and saved.chat_token_param == "max_completion_tokens"
    target = w.runs.target(saved, w.ws)
    built = request.build(w.ws, target=target)
    assert built.body["max_completion_tokens"] == 50 and "max_tokens" not in built.body
    auto = request.build(
        w.ws,
        target=request.Target.for_profile(saved.model_copy(update={"chat_token_param": "auto"})),
    )
    assert auto.body["max_tokens"] == 50  # the simulator is not OpenAI's endpoint
