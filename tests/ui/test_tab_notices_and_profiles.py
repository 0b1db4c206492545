"""An import's notice and proposed profile belong to the tab that imported; a tab whose profile
is missing keeps its name and cannot run; the Providers dialog says when it cannot save."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QGuiApplication

from playground.core.workspace import Workspace
from playground.services.simulator import Simulator
from playground.ui.widgets.provider_box import ProviderBox
from tests.ui.conftest import SHOTS, App

AZURE_CURL = (
    'curl "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/'
    'completions?api-version=2024-10-21" \\\n'
    '  -H "Content-Type: application/json" \\\n'
    """  -d '{"messages": [{"role": "user", "content": "Hello Azure"}]}'"""
)
PROXY_PY = (
    "from openai import OpenAI\n"
    'client = OpenAI(base_url="https://proxy.example.com/v1")\n'
    "client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', "
    "'content': 'via the proxy'}])\n"
)
MISSING = "My Sim Renamed"
PROXY_URL = "https://proxy.example.com/v1"
SHOTS.mkdir(exist_ok=True)


def _banner(app: App) -> tuple[bool, str, str]:
    b = app.window.banner
    return b.isVisible(), b.text.text(), b.action.text() if b.action.isVisible() else ""


def test_an_import_offer_belongs_to_the_tab_that_imported(app: App) -> None:
    w, docs = app.window, app.pg.documents
    assert docs is not None
    w.load(Workspace())  # an empty tab: an import goes into it
    QGuiApplication.clipboard().setText(AZURE_CURL)
    w.exchange.paste()
    assert _banner(app)[2] == "Add provider profile 'Azure contoso'"
    docs.new()  # Ctrl+N: a new empty tab shows no other tab's notice
    assert not _banner(app)[0]
    w.exchange.import_from(PROXY_PY, "proxy.py")
    offer = _banner(app)[2]
    assert "proxy.example.com" in _banner(app)[1] and offer.startswith("Add provider profile")
    app.qtbot.wait(50)  # laid out, as the user sees it
    w.grab().save(str(SHOTS / "fixui-tab2-offer.png"))
    docs.select(0)
    shown, text, action = _banner(app)
    assert shown and action == "Add provider profile 'Azure contoso'"
    assert "contoso.openai.azure.com" in text and "proxy.example.com" not in text
    app.qtbot.wait(50)  # laid out, as the user sees it
    w.grab().save(str(SHOTS / "fixui-tab1-offer.png"))
    w.banner.action.click()  # accept tab 1's own offer
    assert w.provider.currentText() == "Azure contoso"
    azure = w.current_profile()
    assert azure.base_url is not None and "contoso.openai.azure.com" in azure.base_url
    docs.select(1)
    assert w.provider.currentText() == "Offline simulator"  # tab 2 was not touched
    assert _banner(app)[2] == offer  # and still has its own offer
    docs.select(0)
    assert w.collect().profile == "Azure contoso"
    assert "Added the provider profile" in _banner(app)[1]
    docs.close_tab(1)  # a closed tab's offer goes with it
    docs.new()
    assert not _banner(app)[0]


def test_import_notes_stay_with_their_tab(app: App) -> None:
    docs = app.pg.documents
    assert docs is not None
    app.window.load(Workspace())  # an empty tab: an import goes into it
    curl = (
        "curl https://api.openai.com/v1/responses -H 'Content-Type: application/json' "
        """-d '{"model": "o4-mini", "input": "Plan a trip", "max_tokens": 9}'"""
    )
    app.window.exchange.import_from(curl, "the clipboard")
    assert "max_tokens" in _banner(app)[1]
    docs.new()
    assert "max_tokens" not in _banner(app)[1] or not _banner(app)[0]
    app.window.exchange.import_from("print('hi')", "notes.py")  # refused: said in this tab
    assert "Could not import from notes.py" in _banner(app)[1]
    docs.select(0)
    shown, text, _ = _banner(app)
    assert shown and "max_tokens" in text and "notes.py" not in text
    app.window.banner._on_close()  # dismissed: it does not come back
    docs.select(1)
    docs.select(0)
    assert not _banner(app)[0]


def test_an_offer_accepted_for_a_tab_not_showing_changes_only_that_tab(app: App) -> None:
    w, docs = app.window, app.pg.documents
    assert docs is not None
    w.load(Workspace())  # an empty tab: an import goes into it
    w.exchange.import_from(PROXY_PY, "proxy.py")
    target = docs.current_document()
    docs.new()
    w.exchange.add_profile(_profile({"name": "Proxy", "base_url": PROXY_URL}), target)
    assert w.provider.currentText() == "Offline simulator"
    assert target is not None and target.ws.profile == "Proxy"
    docs.select(0)
    assert w.provider.currentText() == "Proxy"


# -- a tab whose profile is missing ------------------------------------------------------------


def _settings_with_my_sim(simulator: Simulator) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "profiles": [{"name": MISSING, "kind": "custom", "base_url": simulator.base_url}],
    }


def _on_my_sim(app_on: Callable[[Any], App], simulator: Simulator) -> App:
    first = app_on(_settings_with_my_sim(simulator))
    first.window.provider.setCurrentText(MISSING)
    assert first.window.collect().profile == MISSING
    return first


def _assert_missing(app: App) -> None:
    w = app.window
    w._revalidate()
    assert w.provider.currentText() == MISSING
    assert w.provider.itemText(w.provider.currentIndex()) == f"{MISSING} (missing)"
    assert w.collect().profile == MISSING  # the workspace keeps its profile
    assert not w.run_button.isEnabled()
    wanted = f"The profile '{MISSING}' is not in Providers: add it, or pick another provider"
    assert wanted in w.blocker.toolTip() and wanted in w.provider.toolTip()


def test_a_broken_settings_file_never_turns_a_tab_into_openai(
    app_on: Callable[[Any], App], simulator: Simulator
) -> None:
    _on_my_sim(app_on, simulator)
    app = app_on("{ this is not json")
    _assert_missing(app)
    app.qtbot.wait(50)  # laid out, as the user sees it
    app.window.grab().save(str(SHOTS / "fixui-missing-profile.png"))
    app.window.run()
    app.window.current_view.runner.mock_loop_requested.emit(3)  # nor does the mock loop run
    assert not simulator.requests  # Run is blocked, nothing went anywhere
    assert not app.window.runs.busy and "is not in Providers" in app.window.status.text()
    # the profile comes back: the tab is on it again and runs
    app.window.profiles_edited(
        [*app.window.profiles, *(_profile(p) for p in _settings_with_my_sim(simulator)["profiles"])]
    )
    app.window._revalidate()
    assert app.window.provider.itemText(app.window.provider.currentIndex()) == MISSING
    assert app.window.run_button.isEnabled()
    assert app.pg.documents is not None
    app.pg.documents.autosave()
    tab = app.pg.documents.docs[0].tab
    assert json.loads(app.pg.documents.store.read_tab(tab).to_json())["profile"] == MISSING  # type: ignore[union-attr]


def test_a_removed_profile_keeps_its_name_until_another_is_picked(
    app_on: Callable[[Any], App], simulator: Simulator
) -> None:
    app = _on_my_sim(app_on, simulator)
    app.window.profiles_edited([p for p in app.window.profiles if p.name != MISSING])
    _assert_missing(app)
    assert app.pg.documents is not None
    app.window.exchange.show_code()  # the Code tab says its code cannot use the missing one
    assert "'My Sim Renamed' is not in Providers" in app.window.exchange.view.hint.text()
    app.pg.documents.new()  # a new tab from here is on the simulator, never silently OpenAI
    assert app.window.provider.currentText() == "Offline simulator"
    app.pg.documents.select(0)
    _assert_missing(app)
    app.window.provider.setCurrentText("Offline simulator")  # the user picks another
    app.window._revalidate()
    assert app.window.run_button.isEnabled()
    assert app.window.collect().profile == "Offline simulator"


def _profile(data: dict[str, Any]) -> Any:
    from playground.core.profiles import ProviderProfile

    return ProviderProfile.model_validate(data)


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(st.text(min_size=1, max_size=40), max_size=6, unique=True),
    current=st.text(min_size=1, max_size=40),
)
def test_the_provider_box_never_shows_another_profile_than_the_tabs(
    qapp: Any, names: list[str], current: str
) -> None:
    box = ProviderBox()
    box.fill(names, current)
    assert box.currentText() == current
    assert (box.missing() == current) == (current not in names)
    assert (box.missing() is None) == (current in names)
    if current in names:
        assert box.itemText(box.currentIndex()) == current


# -- the first-start banner --------------------------------------------------------------------


def test_the_simulator_banner_is_not_shown_on_a_tab_that_is_not_on_the_simulator(
    app_on: Callable[[Any], App], simulator: Simulator
) -> None:
    _on_my_sim(app_on, simulator)
    app = app_on(_settings_with_my_sim(simulator))  # restarted: the tab is on My Sim Renamed
    assert app.window.provider.currentText() == MISSING
    task = asyncio.ensure_future(app.pg.first_start_check())
    app.qtbot.waitUntil(task.done, timeout=3000)
    shown, text, _ = _banner(app)
    assert not (shown and "You are on the <b>Offline simulator</b>" in text)


# -- the Providers dialog ----------------------------------------------------------------------


def test_read_only_settings_say_so_in_the_providers_dialog(
    app_on: Callable[[Any], App],
) -> None:
    before = json.dumps({"schema_version": 99, "profiles": [{"name": "Mine", "kind": "custom"}]})
    app = app_on(before)
    app.window.open_providers()
    dialog = app.window._dialog
    app.qtbot.waitExposed(dialog)
    assert dialog.read_only_note.isVisible()
    assert "cannot be changed" in dialog.read_only_note.text()
    assert "newer Playground" in dialog.read_only_note.text()
    assert not dialog.add.isEnabled()
    dialog.select("Mine")
    assert not dialog.name.isEnabled() and not dialog.base_url.isEnabled()
    assert dialog.key.isEnabled()  # keys still go to the keyring
    assert not dialog.remove.isEnabled()
    app.qtbot.wait(50)
    dialog.grab().save(str(SHOTS / "fixui-providers-read-only.png"))
    dialog._on_add_clicked()
    assert dialog.list.count() == len(app.window.profiles)
    dialog.close()
    assert app.pg.settings_path.read_text() == before


def test_renaming_shows_in_the_list_as_you_type(app: App) -> None:
    app.window.open_providers()
    dialog = app.window._dialog
    dialog._on_add_clicked()
    row = dialog.list.currentRow()
    dialog.name.selectAll()
    app.qtbot.keyClicks(dialog.name, "Local Ollama")
    assert dialog.list.item(row).text() == "Local Ollama"  # before the field is left
    dialog.close()


def test_the_simulator_profile_shows_that_it_runs_in_the_app(app: App) -> None:
    app.window.open_providers()
    dialog = app.window._dialog
    dialog.select("Offline simulator")
    app.qtbot.wait(50)
    dialog.grab().save(str(SHOTS / "fixui-providers-simulator.png"))
    assert dialog.base_url.text() == ""
    assert dialog.base_url.placeholderText() == "built in: runs in this app"
    assert "api.openai.com" not in dialog.base_url.placeholderText()
    for field in (dialog.base_url, dialog.org, dialog.project, dialog.query, dialog.headers):
        assert field.isReadOnly()
    dialog.select("OpenAI")
    assert not dialog.base_url.isReadOnly()
    dialog.close()


def test_a_long_profile_name_is_elided_not_scrolled(app: App) -> None:
    long = "A very long provider profile name for the staging gateway " * 3
    app.window.open_providers()
    dialog = app.window._dialog
    app.qtbot.waitExposed(dialog)
    dialog._on_add_clicked()
    dialog.name.selectAll()
    app.qtbot.keyClicks(dialog.name, long.strip())
    item = dialog.list.item(dialog.list.currentRow())
    assert item.toolTip() == long.strip()
    app.qtbot.wait(20)
    assert not dialog.list.horizontalScrollBar().isVisible()
    rect = dialog.list.visualItemRect(item)
    assert rect.width() <= dialog.list.viewport().width()
    dialog.grab().save(str(SHOTS / "fixui-providers-long-name.png"))
    dialog.close()
