"""Import then export as JSON gives back the body, modulo the README's listed normalisations:
for the spec's examples, every request body in the tests, and drawn bodies in drawn renderings.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core import catalog, request
from playground.core.curl_import import parse
from playground.core.export import export
from playground.core.import_sources import import_curl, import_python, import_text
from playground.core.importer import from_body
from tests.conftest import REFERENCE
from tests.core.renderings import curl_commands, python_calls
from tests.core.strategies import workspaces

TESTS = Path(__file__).resolve().parents[1]


def normalised(body: dict[str, Any]) -> dict[str, Any]:
    """The body the importer promises to give back (README, "Import normalisations")."""
    out = json.loads(json.dumps(body))
    for m in out.get("messages") or []:
        if not isinstance(m.get("content"), str | list | None):  # 1. JSON values as text
            m["content"] = json.dumps(m["content"], ensure_ascii=False)
        for c in m.get("tool_calls") or []:
            fn = c.get("function") or {}
            if "arguments" in fn and not isinstance(fn["arguments"], str):
                fn["arguments"] = json.dumps(fn["arguments"], ensure_ascii=False)
    items = out.get("input")
    for item in items if isinstance(items, list) else []:
        if "arguments" in item and not isinstance(item["arguments"], str):
            item["arguments"] = json.dumps(item["arguments"], ensure_ascii=False)
        if "output" in item and not isinstance(item["output"], str | list):
            item["output"] = json.dumps(item["output"], ensure_ascii=False)
        if item.get("type") == "message" and set(item) == {"type", "role", "content"}:
            del item["type"]  # 2. an editable message loses its default "type": "message"
    info = catalog.lookup(str(out.get("model")))
    if "messages" in out and "max_tokens" in out and info.known and info.reasoning:
        # 4. max_tokens for a model that takes only max_completion_tokens is sent as that
        out = {("max_completion_tokens" if k == "max_tokens" else k): v for k, v in out.items()}
    return out


def round_trip(body: dict[str, Any]) -> dict[str, Any]:
    return json.loads(export(from_body(body).workspace, "json"))


# -- the spec's examples -----------------------------------------------------------------------


def _examples() -> list[tuple[str, dict[str, str]]]:
    spec = json.loads((REFERENCE / "openapi.json").read_text())
    return [
        (f"{path} {ex['title']}", ex["request"])
        for path in ("/chat/completions", "/responses")
        for ex in spec["paths"][path]["post"]["x-oaiMeta"]["examples"]
    ]


# Where the spec's Python example of a page differs from its curl example (the spec's own text).
_PYTHON_DIFFERS = {
    "/chat/completions Image input": {"What is in this image?": "What's in this image?"},
    "/chat/completions Functions": {
        "gpt-5.4": "VAR_chat_model_id",
        "What is the weather": "What's the weather",
    },
}


@pytest.mark.parametrize(("title", "example"), _examples(), ids=lambda v: str(v)[:40])
def test_spec_examples_round_trip(title: str, example: dict[str, str]) -> None:
    body = json.loads(parse(example["curl"]).body or "")
    assert round_trip(body) == normalised(body)
    from_curl = import_curl(example["curl"])
    assert json.loads(export(from_curl.workspace, "json")) == normalised(body)
    text = json.dumps(body)
    for old, new in _PYTHON_DIFFERS.get(title, {}).items():
        text = text.replace(old, new)
    from_python = import_python(example["python"])
    assert json.loads(export(from_python.workspace, "json")) == normalised(json.loads(text))


def _bodies_in_the_tests() -> list[tuple[str, dict[str, Any]]]:
    """Every dict literal in the test suite that is a request body (model + messages/input)."""
    out = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Dict):
                continue
            try:
                value = ast.literal_eval(node)
            except ValueError:
                continue
            if "model" in value and ("messages" in value or "input" in value):
                out.append((f"{path.relative_to(TESTS)}:{node.lineno}", value))
    return out


# 3. messages the API refuses are not imported (each has its note): retired and unknown roles
_REFUSED_ROLES = ("function", "boss")


def test_every_request_body_in_the_tests_round_trips() -> None:
    bodies = _bodies_in_the_tests()
    assert len(bodies) >= 15
    for where, body in bodies:
        want = normalised(body)
        if "messages" in want:
            want["messages"] = [m for m in want["messages"] if m.get("role") not in _REFUSED_ROLES]
        assert round_trip(body) == want, where


# -- items the app does not edit, and arguments given as objects --------------------------------

UNEDITED = [
    {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"},
    {"type": "item_reference", "id": "msg_0"},
    {
        "type": "message",
        "id": "msg_2",
        "status": "completed",
        "role": "assistant",
        "content": [{"type": "output_text", "text": "Hi", "annotations": []}],
    },
    {
        "role": "user",
        "content": [
            {"type": "input_text", "text": "and these?"},
            {"type": "input_image", "file_id": "file-img", "detail": "low"},
            {"type": "input_file", "file_id": "file-pdf"},
        ],
    },
]
# hosted tools' output items and an answer with citations, as a run keeps them
HOSTED_ITEMS = [
    {
        "id": "ws_1",
        "type": "web_search_call",
        "status": "completed",
        "action": {
            "type": "search",
            "query": "q",
            "sources": [{"type": "url", "url": "https://a.org/"}],
        },
    },
    {
        "id": "msg_3",
        "type": "message",
        "status": "completed",
        "role": "assistant",
        "content": [
            {
                "type": "output_text",
                "text": "See A.",
                "logprobs": [],
                "annotations": [
                    {
                        "type": "url_citation",
                        "url": "https://a.org/",
                        "title": "A",
                        "start_index": 4,
                        "end_index": 5,
                    }
                ],
            }
        ],
    },
    {
        "id": "ig_1",
        "type": "image_generation_call",
        "status": "completed",
        "result": "iVBORw0KGgo=",
    },
    {
        "id": "ci_1",
        "type": "code_interpreter_call",
        "status": "completed",
        "container_id": "cntr_1",
        "code": "print(1)",
        "outputs": [{"type": "logs", "logs": "1\n"}],
    },
    {
        "id": "fs_1",
        "type": "file_search_call",
        "status": "completed",
        "queries": ["q"],
        "results": None,
    },
]
CALL = [
    {
        "type": "function_call",
        "id": "fc_1",
        "call_id": "call_9",
        "name": "lookup",
        "arguments": {"city": "Paris", "days": [1, 2]},
        "status": "completed",
    },
    {"type": "function_call_output", "call_id": "call_9", "output": {"temp": 21}},
]


def test_responses_items_are_kept_in_order_and_exported_unchanged() -> None:
    body = {
        "model": "gpt-4.1",
        "input": [{"role": "user", "content": "weather?"}, *UNEDITED, *CALL],
        "tools": [{"type": "function", "name": "lookup", "parameters": {"type": "object"}}],
    }
    result = from_body(body)
    exported = json.loads(export(result.workspace, "json"))
    assert exported == normalised(body)
    assert exported["input"][5]["arguments"] == '{"city": "Paris", "days": [1, 2]}'
    assert exported["input"][6]["output"] == '{"temp": 21}'
    assert result.workspace.messages[0].item is None  # the plain message stays editable
    assert (
        "input[5].arguments: given as a JSON object, the API takes a JSON string; imported "
        "as its JSON text" in result.notes
    )
    for note in result.notes:
        assert "see the notes" not in note and "notes above" not in note


def test_chat_arguments_given_as_an_object_export_as_a_json_string() -> None:
    body = {
        "model": "gpt-4o",
        "messages": [
            {"role": "user", "content": "weather?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "c1",
                        "type": "function",
                        "function": {"name": "f", "arguments": {"q": "ü"}},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "c1", "content": {"ok": True}},
        ],
    }
    result = import_text(json.dumps(body))
    assert result.workspace.messages[1].tool_calls[0].arguments == '{"q": "ü"}'
    assert result.workspace.messages[1].item is None  # still an editable tool call
    for fmt in ("json", "curl", "python", "python-sync"):
        again = import_text(export(result.workspace, fmt))  # type: ignore[arg-type]
        assert request.build(again.workspace).body == normalised(body), fmt
    python = export(result.workspace, "python")
    assert """"arguments": '{"q": "ü"}'""" in python  # a JSON string, not a Python dict


# -- drawn bodies in drawn renderings ----------------------------------------------------------


@st.composite
def bodies(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    ws = draw(workspaces())
    body = request.build(ws).body
    if ws.api == "responses" and isinstance(body["input"], list) and draw(st.booleans()):
        extra = draw(st.lists(st.sampled_from(UNEDITED + HOSTED_ITEMS), max_size=3)) + (
            CALL if draw(st.booleans()) else []
        )
        at = draw(st.integers(0, len(body["input"])))
        body["input"] = body["input"][:at] + extra + body["input"][at:]
    for m in body.get("messages") or []:
        for c in m.get("tool_calls") or []:
            if "function" in c and draw(st.booleans()):
                c["function"]["arguments"] = json.loads(c["function"]["arguments"])
    return body, ws.api


SLOW = settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@SLOW
@given(st.data())
def test_drawn_bodies_in_drawn_curl_quoting_come_back(data: st.DataObject) -> None:
    body, api = data.draw(bodies())
    cmd = data.draw(curl_commands(body, api))
    result = import_text(cmd)
    assert result.kind == "curl"
    assert json.loads(export(result.workspace, "json")) == normalised(body), cmd


@SLOW
@given(st.data())
def test_drawn_bodies_in_drawn_python_forms_come_back(data: st.DataObject) -> None:
    body, api = data.draw(bodies())
    code = data.draw(python_calls(body, api))
    result = import_text(code)
    assert result.kind == "python"
    assert json.loads(export(result.workspace, "json")) == normalised(body), code


def test_a_workspace_file_with_object_arguments_opens_with_json_text() -> None:
    from playground.core.workspace import Workspace

    ws = Workspace.model_validate(
        {
            "api": "chat",
            "messages": [
                {"role": "user", "content": "w?"},
                {"role": "assistant", "tool_calls": [{"id": "c1", "name": "f", "arguments": {}}]},
                {"role": "tool", "tool_call_id": "c1", "content": "ok"},
            ],
        }
    )
    sent = request.build(ws).body["messages"][1]["tool_calls"][0]["function"]["arguments"]
    assert sent == "{}"
