"""JSON the user wrote keeps its key order through save, autosave, restart, import and export.

Property order changes what structured outputs generate; only the workspace's own keys are
sorted (so files diff well).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core import request
from playground.core.export import export
from playground.core.importer import from_body
from playground.core.profiles import ProviderProfile
from playground.core.workspace import (
    FunctionTool,
    Message,
    OutputFormat,
    Parameters,
    ToolCall,
    Workspace,
)
from playground.services.files import load_workspace, save_workspace
from playground.services.session import SessionStore, TabRecord
from playground.services.settings import Settings, load_settings, save_settings

KEYS = st.text(st.sampled_from("abcxyzABZ_-09é"), min_size=1, max_size=6)
SCALARS = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5)
USER_JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
OBJECTS = st.dictionaries(KEYS, USER_JSON, min_size=2, max_size=6)


def schema_of(props: dict[str, Any]) -> dict[str, Any]:
    """A schema whose property order, and whose own key order, come from the draw."""
    properties = {k: {"type": "string", "description": json.dumps(v)} for k, v in props.items()}
    return {
        "required": list(reversed(properties)),
        "properties": properties,
        "type": "object",
        "additionalProperties": False,
    }


def order(value: Any) -> str:
    """The JSON text of a value: equal only when every key is in the same order."""
    return json.dumps(value)


@st.composite
def user_workspaces(draw: st.DrawFn) -> Workspace:
    api = draw(st.sampled_from(["responses", "chat"]))
    params = schema_of(draw(OBJECTS))
    tool = FunctionTool(
        name="lookup", parameters=params, mock_output=json.dumps(draw(OBJECTS)), strict=True
    )
    call = ToolCall(id="call_1", name="lookup", arguments=json.dumps(draw(OBJECTS)))
    return Workspace(
        api=api,
        messages=[
            Message(content="Find it"),
            Message(role="assistant", tool_calls=[call]),
            Message(role="tool", tool_call_id="call_1", content="{}"),
        ],
        tools=[tool],
        output_format=OutputFormat(
            type="json_schema", name="out", json_schema=schema_of(draw(OBJECTS))
        ),
        params=Parameters(metadata={k: str(v) for k, v in draw(OBJECTS).items()}),
        extra_body={f"x_{k}": v for k, v in draw(OBJECTS).items()},
        extra_tools=[{"type": "mcp", "server_label": "s", **draw(OBJECTS)}]
        if api == "responses"
        else [],
    )


def user_json(ws: Workspace) -> list[str]:
    """Every piece of JSON the user wrote in `ws`, as order-sensitive text."""
    call = ws.messages[1].tool_calls[0]
    assert ws.output_format is not None
    return [
        order(ws.tools[0].parameters),
        ws.tools[0].mock_output or "",
        call.arguments,
        order(ws.output_format.json_schema),
        order(ws.params.metadata),
        order(ws.extra_body),
        order(ws.extra_tools),
    ]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(user_workspaces())
def test_user_json_keeps_its_order_through_save_autosave_export_and_import(
    tmp_path_factory: Any, ws: Workspace
) -> None:
    tmp: Path = tmp_path_factory.mktemp("order")
    expected = user_json(ws)
    save_workspace(tmp / "w.json", ws)
    assert user_json(load_workspace(tmp / "w.json")) == expected  # save, open
    store = SessionStore(tmp / "data")
    store.write_tab("tab1", ws)
    restored = SessionStore(tmp / "data").read_tab(TabRecord(id="tab1"))
    assert restored is not None and user_json(restored) == expected  # autosave, restart
    # The file sorts the workspace's own keys, and only those.
    saved = json.loads((tmp / "w.json").read_text("utf-8"))
    assert list(saved) == sorted(saved)
    assert order(saved["tools"][0]["parameters"]) == expected[0]
    # Export as JSON, import it back: the request carries the user's order both ways.
    body = json.loads(export(ws, "json"))
    assert body == request.build(ws).body
    imported = from_body(body, ws.api).workspace
    assert order(imported.tools[0].parameters) == expected[0]
    assert imported.output_format is not None
    assert order(imported.output_format.json_schema) == expected[3]
    assert order(imported.params.metadata) == expected[4]
    assert order(imported.extra_body) == expected[5]
    assert order(imported.extra_tools) == expected[6]
    assert imported.messages[1].tool_calls[0].arguments == expected[2]


def test_profile_headers_keep_their_order_in_settings(tmp_path: Path) -> None:
    headers = {"X-Zeta": "1", "X-Alpha": "2", "X-Mid": "3"}
    settings_ = Settings(profiles=[ProviderProfile(name="mine", headers=headers)])
    save_settings(tmp_path / "settings.json", settings_)
    loaded = load_settings(tmp_path / "settings.json").profile("mine")
    assert loaded is not None and list(loaded.headers) == ["X-Zeta", "X-Alpha", "X-Mid"]
    saved = json.loads((tmp_path / "settings.json").read_text("utf-8"))
    assert list(saved) == sorted(saved)


def test_a_schema_written_with_required_before_properties_keeps_its_order(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"zip": {"type": "string"}, "city": {"type": "string"}},
        "required": ["zip", "city"],
        "additionalProperties": False,
    }
    ws = Workspace(
        output_format=OutputFormat(type="json_schema", name="addr", json_schema=schema),
        extra_body={"zeta": 1, "alpha": 2},
    )
    save_workspace(tmp_path / "w.json", ws)
    text = (tmp_path / "w.json").read_text("utf-8")
    schema_text = text[text.index('\n  "output_format": {') :]  # web search has a "city"
    assert schema_text.index('"zip"') < schema_text.index('"city"')  # sorted would put city first
    assert text.index('"zeta"') < text.index('"alpha"')
    back = load_workspace(tmp_path / "w.json")
    assert back.output_format is not None
    assert list(back.output_format.json_schema) == list(schema)
