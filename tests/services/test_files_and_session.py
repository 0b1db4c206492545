"""Workspace files (atomic, .bak, migration, clear errors) and the session store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playground.core.workspace import SCHEMA_VERSION, Message, Workspace
from playground.services.files import (
    WorkspaceFileError,
    backup_path,
    last_good_copy,
    load_workspace,
    save_workspace,
)
from playground.services.session import SessionRecord, SessionStore, TabRecord


def ws(text: str) -> Workspace:
    return Workspace(messages=[Message(content=text)])


def test_files_are_sorted_json_with_a_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    save_workspace(path, ws("hi"))
    text = path.read_text()
    data = json.loads(text)
    assert data["schema_version"] == SCHEMA_VERSION
    assert list(data) == sorted(data)
    assert text.endswith("\n") and "\n  " in text  # indented, diffable


def test_saving_keeps_the_previous_good_copy(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    save_workspace(path, ws("first"))
    save_workspace(path, ws("second"))
    assert load_workspace(path).messages[0].text == "second"
    assert load_workspace(backup_path(path)).messages[0].text == "first"


def test_a_broken_file_never_becomes_the_backup(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    save_workspace(path, ws("good"))
    save_workspace(path, ws("better"))
    path.write_text("{broken")
    save_workspace(path, ws("new"))
    assert load_workspace(backup_path(path)).messages[0].text == "good"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{\n  "model": "gpt-4o",\n  "messages": [}\n', "a.json:3:16: not valid JSON"),
        ('{"messages": [{"role": "boss"}]}', "a.json: messages.0.role: Input should be"),
        ('{"schema_version": 99}', "written by a newer Playground"),
        ("[]", "a workspace must be a JSON object"),
    ],
)
def test_load_errors_say_where(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "a.json"
    path.write_text(content)
    with pytest.raises(WorkspaceFileError, match=expected.replace("(", r"\(")):
        load_workspace(path)
    assert path.read_text() == content  # untouched


def test_version_0_files_are_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text('{"model": "gpt-4o", "system": "Be brief", "messages": []}')
    loaded = load_workspace(path)
    assert loaded.instructions == "Be brief" and loaded.schema_version == SCHEMA_VERSION


def test_session_round_trip_and_damaged_autosave(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    tab = TabRecord(title="t")
    store.write_tab(tab.id, ws("one"))
    store.write_tab(tab.id, ws("two"))
    store.save(SessionRecord(tabs=[tab], current=0, recent=["/x.json"]))
    again = SessionStore(tmp_path).load()
    assert again.tabs[0].id == tab.id and again.recent == ["/x.json"]
    assert store.read_tab(tab).messages[0].text == "two"
    store.autosave_path(tab.id).write_text("{half a file")
    assert store.read_tab(tab).messages[0].text == "one"  # the last good copy
    assert last_good_copy(store.autosave_path(tab.id)) is not None
    store.forget_tab(tab.id)
    assert not store.autosave_path(tab.id).exists()


def test_what_was_sent_of_each_message_survives_the_file_and_the_autosave(tmp_path: Path) -> None:
    from playground.core.reducer import AssistantTurn, append_turn

    answered = append_turn(
        Workspace(state="chain", messages=[Message(content="Hi")]),
        AssistantTurn(text="Hello", response_id="resp_1"),
    )
    assert answered.messages[1].sent_prefix and answered.messages[0].sent_digest
    path = tmp_path / "a.json"
    save_workspace(path, answered)
    assert load_workspace(path) == answered
    assert json.loads(path.read_text())["messages"][1]["sent_prefix"]
    store = SessionStore(tmp_path)
    tab = TabRecord(title="t")
    store.write_tab(tab.id, answered)
    assert store.read_tab(tab) == answered
