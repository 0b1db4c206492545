"""Import from JSON, curl and Python; round trips with export; the docs and guides as corpus."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from playground.core import request
from playground.core.export import export
from playground.core.import_sources import import_curl, import_python, import_text
from playground.core.importer import ImportRefused, from_body
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Workspace
from tests.conftest import REFERENCE
from tests.core.strategies import workspaces
from tests.core.test_import_roundtrip import normalised

PROFILE = ProviderProfile(name="local", base_url="http://127.0.0.1:8000/v1")


def body_of(ws: Workspace, profile: ProviderProfile | None = None) -> dict:
    """The body `ws` sends (to `profile`'s server: the Chat token-limit name of a model
    the catalog does not know depends on it)."""
    target = request.Target.for_profile(profile) if profile else None
    return request.build(ws, target=target).body


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(workspaces())
def test_round_trip_json(ws: Workspace) -> None:
    result = import_text(export(ws, "json"))
    assert body_of(result.workspace) == body_of(ws)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(workspaces())
def test_round_trip_curl(ws: Workspace) -> None:
    result = import_text(export(ws, "curl", PROFILE))
    assert result.kind == "curl"
    assert body_of(result.workspace, PROFILE) == body_of(ws, PROFILE)
    assert result.profile is not None and result.profile.base_url == PROFILE.base_url


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(workspaces())
def test_round_trip_python(ws: Workspace) -> None:
    for fmt in ("python", "python-sync"):
        result = import_text(export(ws, fmt, PROFILE))  # type: ignore[arg-type]
        assert result.kind == "python"
        assert body_of(result.workspace, PROFILE) == body_of(ws, PROFILE), result.notes
        assert result.profile is not None and result.profile.base_url == PROFILE.base_url


def _docs_examples() -> list[tuple[str, str, str]]:
    spec = json.loads((REFERENCE / "openapi.json").read_text())
    out = []
    for path in ("/chat/completions", "/responses"):
        for ex in spec["paths"][path]["post"]["x-oaiMeta"]["examples"]:
            out.append((f"{path} {ex['title']}", ex["request"]["curl"], ex["request"]["python"]))
    return out


@pytest.mark.parametrize(("title", "curl", "python"), _docs_examples(), ids=lambda v: str(v)[:40])
def test_docs_examples_import_and_export_the_same_body(title: str, curl: str, python: str) -> None:
    """The request examples of the official API reference: curl and Python."""
    original = json.loads(
        next(t for t in shlex.split(curl.replace("\\\n", " ")) if t.lstrip().startswith("{"))
    )
    from_curl = import_curl(curl)
    assert json.loads(export(from_curl.workspace, "json")) == normalised(original)
    assert from_body(original).workspace == from_curl.workspace
    # the Python example of the same page asks for the same kind of request
    from_python = body_of(import_python(python).workspace)
    assert from_python.keys() == normalised(original).keys()


def test_chat_body_becomes_an_editable_workspace() -> None:
    result = import_text(
        json.dumps(
            {
                "model": "gpt-4o",
                "messages": [
                    {"role": "system", "content": "Terse."},
                    {"role": "user", "content": "Hi"},
                ],
                "max_tokens": 100,
                "temperature": 0.3,
                "stream": True,
            }
        )
    )
    ws = result.workspace
    assert ws.api == "chat" and [m.role for m in ws.messages] == ["system", "user"]
    assert ws.params.max_output_tokens == 100 and ws.params.max_tokens_name == "max_tokens"
    assert ws.params.temperature == 0.3 and ws.stream and not ws.stream_usage
    assert ws.extra_body is None and result.notes == []


def test_unknown_keys_are_kept_and_named() -> None:
    result = import_text('{"model": "gpt-4o", "input": "hi", "max_tokens": 5, "user": "u"}')
    assert result.workspace.extra_body == {"max_tokens": 5, "user": "u"}
    assert any(
        n.startswith("max_tokens: not a parameter of the Responses API") for n in result.notes
    )
    assert "user: not a parameter the app edits; kept in extra_body" in result.notes


def test_curl_as_copied_from_a_browser(tmp_path: Path) -> None:
    body = tmp_path / "body.json"
    body.write_text('{"model": "gpt-4o", "messages": [{"role": "user", "content": "It\'s"}]}')
    cmd = (
        "curl 'https://api.example.com/v1/chat/completions' \\\n"
        "  -H 'authorization: Bearer sk-live-abc' -H 'OpenAI-Project: proj_1' \\\n"
        "  -H 'X-Trace: 7' --compressed \\\n  --data-binary @" + str(body)
    )
    result = import_text(cmd)
    assert result.workspace.messages[0].text == "It's"
    assert result.profile == ProviderProfile(
        name="Imported (api.example.com)",
        base_url="https://api.example.com/v1",
        project="proj_1",
        headers={"X-Trace": "7"},
    )
    assert any("key in the command was not imported" in n for n in result.notes)
    assert "sk-live-abc" not in result.workspace.to_json()


def test_python_as_commonly_written() -> None:
    code = """
from openai import OpenAI
client = OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")
history = [{"role": "user", "content": "Hello"}]
with client.chat.completions.stream(model="llama3.1", messages=history, temperature=0.2,
                                    timeout=30) as stream:
    for event in stream:
        pass
"""
    result = import_python(code)
    ws = result.workspace
    assert ws.api == "chat" and ws.model == "llama3.1" and ws.stream
    assert ws.messages[0].text == "Hello"
    assert result.profile is not None and result.profile.base_url == "http://localhost:11434/v1"
    assert (
        "timeout: timeout is a client option, not part of the request; not imported" in result.notes
    )
    assert any("api_key" in n for n in result.notes)


def test_dynamic_values_are_named_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    code = (
        f"open({str(marker)!r}, 'w').write('x')\n"
        "client.responses.create(model='gpt-4.1', input=build_input(), max_tokens=50)\n"
    )
    result = import_python(code)
    assert not marker.exists()
    assert "input=build_input() is not a literal value; not imported" in result.notes
    assert (
        "max_tokens is not a parameter of responses.create; imported as max_output_tokens"
        in result.notes
    )
    assert result.workspace.params.max_output_tokens == 50


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "nothing to import"),
        ('{"model": ', "not valid JSON at line 1, column 10"),
        ('{"model": "gpt-4o"}', "neither 'messages'"),
        ("curl https://api.openai.com/v1/responses", "sends no JSON body"),
        ("print('hello')", "no client.chat.completions.create"),
        ("client.responses.create(model='x'", "not valid Python at line 1"),
    ],
)
def test_refusals_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ImportRefused, match=re.escape(message)):
        import_text(text)


def _guide_calls() -> list[str]:
    """The client calls in the two guides the product serves (extracted once: data/README.md)."""
    return [c["call"] for c in json.loads((REFERENCE / "guide_calls.json").read_text())]


def test_every_request_in_the_guides_imports_or_is_refused_with_a_reason() -> None:
    calls = _guide_calls()
    assert len(calls) == 23
    imported = 0
    for snippet in calls:
        try:
            result = import_python(snippet)
        except ImportRefused as exc:
            assert re.search(r"line \d+, column \d+|no client", str(exc)), snippet  # noqa: PT017
            continue
        imported += 1
        for note in result.notes:  # each note starts by naming what it is about
            assert re.match(r"^[\w.*]+(\[\d+\])*[:= ]", note), note
    assert imported >= len(calls) - 3


def test_the_guides_mistakes_are_named_exactly() -> None:
    notes = [n for s in _guide_calls() for n in _notes(s)]
    assert (
        "max_tokens is not a parameter of responses.create; imported as max_output_tokens" in notes
    )
    assert "presence_penalty is not a parameter of responses.create; not imported" in notes
    assert any("'role': 'function'" in n and "not a literal" in n for n in notes)
    body = {
        "model": "gpt-4o",
        "messages": [
            {"role": "function", "name": "f", "content": "1"},
            {"role": "user", "content": "hi"},
        ],
    }
    assert any(
        "role 'function' is the retired function-calling role" in n for n in from_body(body).notes
    )


def _notes(snippet: str) -> list[str]:
    try:
        return import_python(snippet).notes
    except ImportRefused as exc:
        return [str(exc)]


GUIDE_MODELS = {  # OpenAI's deprecations page as the catalog records it (checked 2026-11-30)
    **dict.fromkeys(("o1", "o3-mini", "o1-pro", "o4-mini"), ("shut_down", "2026-10-23")),
    **dict.fromkeys(("gpt-4o", "gpt-4o-mini", "gpt-4.1"), ("deprecated", "2027-01-14")),
}


def test_the_guides_models_show_their_lifecycle() -> None:
    from datetime import date

    from playground.core import catalog
    from playground.core.lifecycle import lifecycle_finding

    day = date(2026, 11, 30)
    for model, (status, shutdown) in GUIDE_MODELS.items():
        info = catalog.lookup(model)
        assert info.known and info.status(day) == status, model
        new = catalog.lookup(info.lifecycle.replacement or "")
        assert new.known and new.status(day) == "active", model  # the way out is open
        found = lifecycle_finding(info, day, openai_endpoint=True)
        assert found is not None
        gone = status == "shut_down"
        verb = "was shut down on" if gone else "shuts down on"
        assert found.message.startswith(
            f"{model} {verb} {shutdown}; suggested replacement: {new.id}"
        )
        assert found.severity == ("error" if gone else "warning")
    shown = {}
    for snippet in _guide_calls():
        try:
            model = import_python(snippet).workspace.model
        except ImportRefused:
            continue
        found = lifecycle_finding(catalog.lookup(model), day, openai_endpoint=True)
        if model in GUIDE_MODELS or model == "gpt-4.1-mini":
            assert found is not None, model  # every guide model the snippets use says so
            shown[model] = found.severity
    assert shown == {
        "gpt-4o": "warning",
        "gpt-4.1": "warning",
        "gpt-4.1-mini": "warning",
        "o4-mini": "error",
    }
