"""Workspace files at schema_version 2: Compare variants and mode are saved; a version-1 file
loads and is written back as 2; a file from a newer Playground is refused and never
overwritten (not by Save, not by an autosave)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.migrations import migrate
from playground.core.variants import Variant as VariantFromVariants
from playground.core.workspace import SCHEMA_VERSION, Message, Variant, Workspace
from playground.services.files import (
    NewerWorkspaceError,
    WorkspaceFileError,
    load_workspace,
    parse_workspace,
    save_workspace,
)
from playground.services.session import SessionStore, TabRecord
from tests.core.strategies import workspaces

VERSION_1 = {
    "schema_version": 1,
    "api": "chat",
    "model": "gpt-4o-mini",
    "instructions": "Be brief",
    "messages": [{"role": "user", "content": "Hello"}],
}
TWO = [
    {"key": "a", "name": "luna", "overrides": {"model": "gpt-6-luna"}},
    {"key": "b", "overrides": {"params.temperature": 0.2, "model": "gpt-4.1-mini"}},
]


def test_the_current_version_is_10_and_variant_lives_in_the_workspace() -> None:
    assert SCHEMA_VERSION == 10 and Workspace().schema_version == 10
    assert VariantFromVariants is Variant  # core.variants re-exports it


def test_a_version_1_file_loads_and_is_saved_back_as_5(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps(VERSION_1))
    ws = load_workspace(path)
    assert ws.schema_version == SCHEMA_VERSION and ws.variants == [] and ws.mode == "single"
    assert ws.instructions == "Be brief" and ws.messages[0].text == "Hello"
    save_workspace(path, ws)
    data = json.loads(path.read_text())
    assert (
        data["schema_version"] == SCHEMA_VERSION
        and data["variants"] == []
        and data["mode"] == "single"
    )
    assert json.loads((tmp_path / "old.json.bak").read_text()) == VERSION_1  # the old copy


def test_variants_and_mode_round_trip_in_the_file(tmp_path: Path) -> None:
    ws = Workspace(
        messages=[Message(content="hi")],
        mode="compare",
        variants=[Variant.model_validate(v) for v in TWO],
    )
    path = tmp_path / "cmp.json"
    save_workspace(path, ws)
    back = load_workspace(path)
    assert back == ws
    data = json.loads(path.read_text())
    # the user's override order is kept (like any JSON the user wrote)
    assert list(data["variants"][1]["overrides"]) == ["params.temperature", "model"]


@pytest.mark.parametrize(
    ("variants", "expected"),
    [
        ([{"key": "a"}, {"key": "a"}], "variant key 'a' is used twice"),
        ([{"key": str(i)} for i in range(7)], "at most 6 variants, not 7"),
        ([{"key": ""}], "variants.0.key"),
        ([{"key": "a", "colour": "red"}], "variants.0.colour"),
    ],
)
def test_bad_variants_are_named_on_load(variants: list[dict[str, Any]], expected: str) -> None:
    text = json.dumps({**VERSION_1, "schema_version": 2, "variants": variants})
    with pytest.raises(WorkspaceFileError, match=expected):
        parse_workspace(text, "w.json")


def test_a_newer_file_is_refused_with_a_typed_error_and_never_overwritten(
    tmp_path: Path,
) -> None:
    path = tmp_path / "future.json"
    future = json.dumps({**VERSION_1, "schema_version": 11, "lanes": [1, 2]})
    path.write_text(future)
    with pytest.raises(NewerWorkspaceError) as err:
        load_workspace(path)
    assert err.value.version == 11 and err.value.supported == 10
    assert "written by a newer Playground (this one reads up to 10)" in str(err.value)
    assert str(path) in str(err.value)
    with pytest.raises(NewerWorkspaceError):
        save_workspace(path, Workspace())
    assert path.read_text() == future
    assert not (tmp_path / "future.json.bak").exists()


def test_an_autosave_from_a_newer_playground_is_kept_aside(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    tab = TabRecord(title="t")
    target = store.autosave_path(tab.id)
    target.parent.mkdir(parents=True)
    future = json.dumps({"schema_version": 11, "model": "gpt-9"})
    target.write_text(future)
    store.write_tab(tab.id, Workspace(messages=[Message(content="mine")]))
    assert store.read_tab(tab).messages[0].text == "mine"
    assert target.with_name(f"{target.name}.v11").read_text() == future


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces(), st.sampled_from([0, 1]))
def test_any_older_file_migrates_to_the_same_workspace(ws: Workspace, version: int) -> None:
    data = json.loads(ws.to_json())
    data.pop("variants")
    data.pop("mode")
    data["schema_version"] = version
    if version == 0:  # version 0 files had no schema_version and kept the instructions here
        del data["schema_version"]
        data["system"] = data.pop("instructions")
    before = json.dumps(data)
    assert parse_workspace(json.dumps(data)) == ws
    assert json.dumps(data) == before  # the data read is not changed in place
    assert migrate(data)["schema_version"] == SCHEMA_VERSION


def test_older_data_validated_anywhere_comes_back_as_the_current_version() -> None:
    # a history record or a Document snapshot of a version-1 workspace
    ws = Workspace.model_validate({**VERSION_1})
    assert ws.schema_version == SCHEMA_VERSION and ws.instructions == "Be brief"
    assert json.loads(ws.to_json())["schema_version"] == SCHEMA_VERSION
    with pytest.raises(ValueError, match="written by a newer Playground"):
        Workspace.model_validate({**VERSION_1, "schema_version": 11})


def test_variants_are_not_part_of_the_request_nor_its_exports() -> None:
    from playground.core import request
    from playground.core.export import export

    base = Workspace(messages=[Message(content="hi")])
    ws = base.model_copy(
        update={"mode": "compare", "variants": [Variant.model_validate(v) for v in TWO]}
    )
    assert request.build(ws).body == request.build(base).body
    for fmt in ("json", "python", "python-sync", "curl"):
        assert export(ws, fmt) == export(base, fmt)  # type: ignore[arg-type]


def test_a_version_2_file_loads_with_empty_evaluations_and_is_saved_as_5(tmp_path: Path) -> None:
    path = tmp_path / "v2.json"
    path.write_text(
        json.dumps({**VERSION_1, "schema_version": 2, "variants": [], "mode": "single"})
    )
    ws = load_workspace(path)
    assert ws.schema_version == SCHEMA_VERSION and ws.variables == {} and ws.graders == []
    assert ws.test_set.rows == [] and ws.cache is False and ws.evaluate.concurrency == 4
    save_workspace(path, ws)
    data = json.loads(path.read_text())
    assert (
        data["schema_version"] == SCHEMA_VERSION
        and data["variables"] == {}
        and data["cache"] is False
    )


def test_evaluation_fields_round_trip_and_bad_columns_are_refused() -> None:
    ws = Workspace.model_validate(
        {
            "variables": {"city": "Paris"},
            "test_set": {
                "columns": ["city"],
                "expected": ["answer"],
                "rows": [{"id": "r1", "values": {"city": "Rome"}, "expected": {"answer": "Rome"}}],
            },
            "graders": [{"kind": "contains", "value": "{{expected.answer}}"}],
            "mode": "evaluate",
            "cache": True,
        }
    )
    assert Workspace.model_validate_json(ws.to_json()) == ws
    with pytest.raises(ValueError, match="not a column name"):
        Workspace.model_validate({"test_set": {"columns": ["two words"]}})
    with pytest.raises(ValueError, match="there twice"):
        Workspace.model_validate({"test_set": {"columns": ["a", "a"]}})


def test_a_version_4_file_loads_with_hosted_tools_as_they_were_and_is_saved_as_current(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v4.json"
    v4 = {
        **VERSION_1,
        "schema_version": 4,
        "builtin_tools": {"web_search": True, "file_search": True, "vector_store_ids": ["vs_1"]},
    }
    path.write_text(json.dumps(v4))
    ws = load_workspace(path)
    b = ws.builtin_tools
    assert ws.schema_version == SCHEMA_VERSION and b.web_search and b.vector_store_ids == ["vs_1"]
    assert not b.image_generation and b.web_options.allowed_domains == []
    save_workspace(path, ws)
    data = json.loads(path.read_text())
    assert data["schema_version"] == SCHEMA_VERSION and data["mcp_tools"] == []
    assert data["builtin_tools"]["image_options"] == {
        "background": None,
        "model": None,
        "output_format": None,
        "quality": None,
        "size": None,
    }


def test_a_version_7_file_loads_sending_everything_and_is_saved_as_current(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v7.json"
    v7 = {**VERSION_1, "schema_version": 7}
    path.write_text(json.dumps(v7))
    ws = load_workspace(path)
    assert ws.state == "everything" and ws.conversation_id is None
    assert ws.messages[0].response_id is None
    save_workspace(path, ws)
    data = json.loads(path.read_text())
    assert data["schema_version"] == SCHEMA_VERSION and data["state"] == "everything"
    assert data["conversation_id"] is None
