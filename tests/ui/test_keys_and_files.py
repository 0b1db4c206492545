"""The Providers dialog keeps keys in the keyring (under the profile's current name, never in a
header), and the window never loses a settings file it could not fully read."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.ui.conftest import App

AZURE_KEY = "0123456789abcdef0123456789abcdef"
CUSTOM = {"name": "My vLLM", "kind": "custom", "base_url": "http://gpu-box:8000/v1"}


def test_add_rename_save_key_then_test_connection_works(app: App) -> None:
    app.sim.api_key = "sk-renamed-profile-key"
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog._on_add_clicked()
    dialog.base_url.setText(app.sim.base_url)
    dialog.name.setText("Local vLLM")  # renamed, not yet stored by leaving the row
    dialog.key.setText("sk-renamed-profile-key")
    dialog._on_save_key()
    dialog.test.click()
    app.qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Connected"), timeout=5000)
    assert app.keyring.items == {("playground-openai", "Local vLLM"): "sk-renamed-profile-key"}
    assert app.sim.requests[-1].headers["authorization"] == "Bearer sk-renamed-profile-key"
    dialog.close()
    assert app.pg.settings.profile("Local vLLM") is not None


def test_renaming_a_profile_moves_its_keyring_entry(app: App) -> None:
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog._on_add_clicked()
    dialog.key.setText("sk-moves-with-the-name")
    dialog._on_save_key()
    app.qtbot.waitUntil(
        lambda: ("playground-openai", "Custom 1") in app.keyring.items, timeout=3000
    )
    dialog.name.setText("Renamed")
    dialog.select("OpenAI")  # leaving the row stores the form
    app.qtbot.waitUntil(
        lambda: app.keyring.items == {("playground-openai", "Renamed"): "sk-moves-with-the-name"},
        timeout=3000,
    )
    dialog.close()
    assert [p.name for p in app.pg.settings.profiles if p.kind == "custom"] == ["Renamed"]


def test_a_key_in_the_headers_field_is_flagged_and_moved_to_the_keyring(app: App) -> None:
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog._on_add_clicked()
    dialog.name.setText("Azure")
    dialog.headers.setPlainText(f"X-Trace: 1\napi-key: {AZURE_KEY}")
    assert dialog.headers_warning_row.isVisibleTo(dialog)
    assert "this header carries a key" in dialog.headers_warning.text()
    app.shot(dialog, "providers_dialog_key_in_headers")
    dialog.move_key.click()
    app.qtbot.waitUntil(
        lambda: app.keyring.items.get(("playground-openai", "Azure")) == AZURE_KEY, timeout=3000
    )
    assert dialog.auth.currentData() == "api-key"
    assert AZURE_KEY not in dialog.headers.toPlainText()
    assert not dialog.headers_warning_row.isVisibleTo(dialog)
    dialog.close()
    saved = app.pg.settings.profile("Azure")
    assert saved is not None and saved.auth == "api-key" and saved.headers == {"X-Trace": "1"}
    assert AZURE_KEY not in app.pg.settings_path.read_text()


def test_a_key_left_in_the_headers_field_is_never_saved(app: App) -> None:
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog._on_add_clicked()
    dialog.headers.setPlainText("Authorization: Bearer sk-left-in-headers-1234")
    dialog.close()
    assert "sk-left-in-headers" not in app.pg.settings_path.read_text()
    saved = app.pg.settings.profile("Custom 1")
    assert saved is not None and saved.headers == {}


def test_the_dialog_edits_auth_style_and_query_parameters(app: App) -> None:
    app.sim.api_key = AZURE_KEY
    app.sim.auth = "api-key"
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog._on_add_clicked()
    dialog.base_url.setText(app.sim.base_url)
    dialog.auth.setCurrentIndex(dialog.auth.findData("api-key"))
    dialog.query.setPlainText("api-version=2024-10-21")
    dialog.key.setText(AZURE_KEY)
    dialog._on_save_key()
    dialog.test.click()
    app.qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Connected"), timeout=5000)
    sent = app.sim.requests[-1]
    assert sent.headers["api-key"] == AZURE_KEY and "authorization" not in sent.headers
    assert sent.query == {"api-version": "2024-10-21"}
    dialog.close()
    saved = app.pg.settings.profile("Custom 1")
    assert saved is not None and saved.query == {"api-version": "2024-10-21"}


# -- settings this version did not write -------------------------------------------------------


def _add_a_profile_through_the_dialog(app: App) -> None:
    app.window.open_providers()
    dialog = app.window._dialog
    dialog._on_add_clicked()
    dialog.close()


def test_settings_with_an_unknown_field_keep_it_and_the_custom_profiles(
    app_on: Callable[[Any], App],
) -> None:
    app = app_on({"schema_version": 1, "profiles": [{**CUSTOM, "gpu": "a100"}], "theme": "dusk"})
    _add_a_profile_through_the_dialog(app)  # the app's normal save
    app.pg._banner_dismissed()  # and another one
    data = json.loads(app.pg.settings_path.read_text())
    assert data["theme"] == "dusk"
    mine = next(p for p in data["profiles"] if p["name"] == "My vLLM")
    assert mine["gpu"] == "a100" and mine["base_url"] == CUSTOM["base_url"]
    assert any(p["name"] == "Custom 1" for p in data["profiles"])


def test_settings_from_a_newer_version_are_never_overwritten(
    app_on: Callable[[Any], App],
) -> None:
    before = json.dumps({"schema_version": 99, "profiles": [CUSTOM], "sync": {"to": "cloud"}})
    app = app_on(before)
    banner = app.window.banner.text.text()
    assert "newer Playground" in banner and "settings.json" in banner
    assert "My vLLM" in [p.name for p in app.window.profiles]
    _add_a_profile_through_the_dialog(app)
    app.pg._banner_dismissed()
    assert app.pg.settings_path.read_text() == before
    assert "Settings not saved" in app.window.banner.text.text()


def test_a_broken_settings_file_is_moved_aside_and_named_in_the_banner(
    app_on: Callable[[Any], App],
) -> None:
    app = app_on('{"schema_version": 1, "profiles": [')
    aside = list(app.pg.settings_path.parent.glob("settings.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text() == '{"schema_version": 1, "profiles": ['
    assert aside[0].name in app.window.banner.text.text()


def test_a_newer_session_and_history_are_named_in_the_banner_and_left_alone(
    app_on: Callable[[Any], App], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    session = data / "session.json"
    session.write_text(json.dumps({"schema_version": 5, "tabs": [{"id": "later", "pane": 1}]}))
    before = session.read_bytes()
    with sqlite3.connect(data / "history.sqlite3") as db:
        db.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, future TEXT)")
        db.execute("PRAGMA user_version = 9")
    app = app_on({"schema_version": 1})
    banner = app.window.banner.text.text()
    assert "session.json" in banner and "history.sqlite3" in banner
    assert app.pg.documents is not None
    app.pg.documents.autosave()
    app.window.close()
    assert session.read_bytes() == before
    with sqlite3.connect(data / "history.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 9


def test_keys_an_older_version_kept_in_headers_move_to_the_keyring(
    app_on: Callable[[Any], App],
) -> None:
    old = {
        "schema_version": 1,
        "profiles": [
            {**CUSTOM, "name": "Azure", "headers": {"api-key": AZURE_KEY, "X-Trace": "1"}},
            {**CUSTOM, "name": "Bearer", "headers": {"Authorization": "Bearer sk-old-bearer-9"}},
            {**CUSTOM, "name": "Gateway", "headers": {"x-api-key": "gw-secret-value-7"}},
            {
                **CUSTOM,
                "name": "Two",
                "headers": {"api-key": "two-first-key-1", "X-Auth-Token": "two-token-2"},
            },
        ],
    }
    app = app_on(old)
    assert "keys in extra headers" in app.window.banner.text.text()
    app.qtbot.waitUntil(lambda: app.pg._moving is not None and app.pg._moving.done(), timeout=3000)
    # nothing is lost: what cannot be the profile's key is kept under an entry of its own
    assert app.keyring.items == {
        ("playground-openai", "Azure"): AZURE_KEY,
        ("playground-openai", "Bearer"): "sk-old-bearer-9",
        ("playground-openai", "Gateway / x-api-key"): "gw-secret-value-7",
        ("playground-openai", "Two"): "two-first-key-1",
        ("playground-openai", "Two / X-Auth-Token"): "two-token-2",
    }
    text = app.pg.settings_path.read_text()
    assert AZURE_KEY not in text and "sk-old-bearer" not in text and "gw-secret" not in text
    assert "two-first" not in text and "two-token" not in text
    gateway = app.pg.settings.profile("Gateway")
    assert gateway is not None and gateway.auth == "bearer"  # no key moved: style unchanged
    azure = app.pg.settings.profile("Azure")
    assert azure is not None and azure.auth == "api-key" and azure.headers == {"X-Trace": "1"}
    assert json.loads(text)["profiles"][0]["auth"] == "api-key"
