"""Files this version did not write: settings, session and history never lose what they could
not read (unknown fields round-trip, newer files are never overwritten, broken files are moved
aside with a notice naming where)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn
from playground.core.workspace import Workspace
from playground.services.history import HISTORY_VERSION, HistoryStore, HistoryUnavailable, record_of
from playground.services.session import SessionRecord, SessionStore, TabRecord
from playground.services.settings import (
    SettingsReadOnly,
    load_settings,
    open_settings,
    save_settings,
)

CUSTOM = {
    "name": "My vLLM",
    "kind": "custom",
    "base_url": "http://gpu-box:8000/v1",
    "headers": {"X-Team": "ml"},
}


def _write(path: Path, data: Any) -> bytes:
    path.write_text(json.dumps(data, indent=2))
    return path.read_bytes()


def test_an_unknown_field_round_trips_through_a_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    _write(
        path,
        {
            "schema_version": 1,
            "profiles": [{**CUSTOM, "region": "eu-west"}],
            "telemetry": {"enabled": False},
        },
    )
    opened = open_settings(path)
    assert not opened.read_only and opened.notice is None
    settings_ = opened.settings
    settings_.banner_dismissed = True  # a normal save, as the window makes one
    save_settings(path, settings_)
    data = json.loads(path.read_text())
    assert data["telemetry"] == {"enabled": False}
    mine = next(p for p in data["profiles"] if p["name"] == "My vLLM")
    assert mine["region"] == "eu-west" and mine["base_url"] == "http://gpu-box:8000/v1"
    assert data["banner_dismissed"] is True


def test_a_newer_schema_version_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    before = _write(path, {"schema_version": 99, "profiles": [CUSTOM], "new_thing": [1, 2, 3]})
    opened = open_settings(path)
    assert opened.read_only and str(path) in (opened.notice or "")
    assert opened.settings.profile("My vLLM") is not None  # shown, read-only
    with pytest.raises(SettingsReadOnly):
        save_settings(path, opened.settings)
    with pytest.raises(SettingsReadOnly):  # any save, e.g. one built from defaults
        save_settings(path, load_settings(tmp_path / "missing.json"))
    assert path.read_bytes() == before


def test_a_file_this_version_cannot_validate_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    before = _write(path, {"schema_version": 1, "profiles": [{**CUSTOM, "kind": "bedrock"}]})
    opened = open_settings(path)
    assert opened.read_only and "profiles" in (opened.notice or "")
    with pytest.raises(SettingsReadOnly):
        save_settings(path, opened.settings)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [b'{"schema_version": 1, "profiles": [', b'{"profiles": [ garbage,,, \x00\xff', b"\xff\xfe{}"],
    ids=["cut", "not-utf8", "bom16"],
)
def test_a_broken_file_is_moved_aside_with_a_notice_naming_it(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    opened = open_settings(path)
    assert opened.moved_to is not None and opened.moved_to.exists()
    assert opened.moved_to.read_bytes() == content
    assert str(opened.moved_to) in (opened.notice or "")
    assert "codec" not in (opened.notice or "") and "0x" not in (opened.notice or "")
    assert not path.exists()
    save_settings(path, opened.settings)  # now a fresh file may be written
    assert opened.moved_to.exists()


def test_keys_in_old_headers_are_dropped_and_named(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    _write(path, {"profiles": [{**CUSTOM, "headers": {"api-key": "0123456789abcdef" * 2}}]})
    opened = open_settings(path)
    assert "api-key" in (opened.notice or "")
    save_settings(path, opened.settings)
    assert "0123456789abcdef" not in path.read_text()


_NAMES = st.from_regex(r"\A[a-z][a-z_]{0,10}\Z").filter(
    lambda n: (
        n not in set(ProviderProfile.model_fields) | {"schema_version", "profiles"}
        and not any(
            w in n for w in ("key", "token", "secret", "passw", "auth", "cookie", "credential")
        )
        and n not in ("last_profile", "banner_dismissed")
    )
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    top=st.dictionaries(_NAMES, _JSON, max_size=4), extra=st.dictionaries(_NAMES, _JSON, max_size=3)
)
def test_drawn_unknown_fields_survive_open_and_save(
    tmp_path: Path, top: dict[str, Any], extra: dict[str, Any]
) -> None:
    path = tmp_path / "drawn.json"
    _write(path, {"schema_version": 1, **top, "profiles": [{**CUSTOM, **extra}]})
    opened = open_settings(path)
    assert not opened.read_only
    save_settings(path, opened.settings)
    data = json.loads(path.read_text())
    for name, value in top.items():
        assert data[name] == value
    mine = next(p for p in data["profiles"] if p["name"] == "My vLLM")
    for name, value in extra.items():
        assert mine[name] == value


# -- session ----------------------------------------------------------------------------------


def test_session_from_a_newer_version_is_never_overwritten(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    before = _write(store.file, {"schema_version": 7, "tabs": [{"id": "abc", "pane": 2}]})
    record = store.load()
    assert store.read_only and str(store.file) in (store.notice or "")
    record.tabs.append(TabRecord())
    store.save(record)
    assert store.file.read_bytes() == before


def test_session_unknown_fields_round_trip(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    _write(store.file, {"schema_version": 1, "layout": "grid", "tabs": [{"id": "t1", "pane": 2}]})
    record = store.load()
    store.save(record)
    data = json.loads(store.file.read_text())
    assert data["layout"] == "grid" and data["tabs"][0]["pane"] == 2


def test_a_broken_session_is_moved_aside(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    store.file.write_text("{not json")
    assert store.load() == SessionRecord()
    aside = list(tmp_path.glob("session.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text() == "{not json"
    assert str(aside[0]) in (store.notice or "")


# -- history ----------------------------------------------------------------------------------


def _record() -> Any:
    ws = Workspace(model="gpt-4o-mini")
    return record_of(ws, {"model": "gpt-4o-mini"}, AssistantTurn(text="hi"), False, "p")


def test_history_has_a_user_version_and_migrates_an_unversioned_file(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    store.record(_record())
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == HISTORY_VERSION
        db.execute("PRAGMA user_version = 0")  # as today's main leaves it
    store = HistoryStore(path)
    assert [r.output_text for r in store.search()] == ["hi"]
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == HISTORY_VERSION


def test_a_newer_history_is_read_only_and_never_downgraded(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    store.record(_record())
    store.close()
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE runs ADD COLUMN rating INTEGER")
        db.execute("PRAGMA user_version = 42")
    store = HistoryStore(path)
    notice = store.open()
    assert store.read_only and notice is not None and "newer" in notice
    assert [r.output_text for r in store.search()] == ["hi"]
    with pytest.raises(HistoryUnavailable):
        store.record(_record())
    with pytest.raises(HistoryUnavailable):
        store.delete([1])
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 42
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
