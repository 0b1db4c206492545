"""Hosted tools' options: the request shapes (spec WebSearchTool, FileSearchTool,
CodeInterpreterTool, ImageGenTool, IncludeEnum; checked 2026-12-01) and reading them back."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from playground.core import request
from playground.core.hosted_options import (
    CodeInterpreterOptions,
    FileSearchOptions,
    ImageGenOptions,
    UserLocation,
    WebSearchOptions,
)
from playground.core.importer import from_body
from playground.core.workspace import BuiltinTools, Workspace
from tests.core.strategies import hosted_tools

FULL = BuiltinTools(
    web_search=True,
    web_options=WebSearchOptions(
        search_context_size="low",
        user_location=UserLocation(city="Lyon", country="FR", timezone="Europe/Paris"),
        allowed_domains=["example.org"],
        include_sources=True,
    ),
    file_search=True,
    vector_store_ids=["vs_a"],
    file_options=FileSearchOptions(
        max_num_results=3,
        ranker="default-2024-11-15",
        score_threshold=0.4,
        filters={"type": "eq", "key": "lang", "value": "en"},
        include_results=True,
    ),
    code_interpreter=True,
    code_options=CodeInterpreterOptions(container_id="cntr_1", include_outputs=True),
    image_generation=True,
    image_options=ImageGenOptions(size="1024x1536", quality="high", background="transparent"),
)


def _body(b: BuiltinTools, **fields: Any) -> dict[str, Any]:
    return request.build(Workspace(model="gpt-5.4", builtin_tools=b, **fields)).body


def test_every_option_is_sent_in_the_specs_shape_with_its_include_values() -> None:
    body = _body(FULL)
    assert body["tools"] == [
        {
            "type": "web_search",
            "search_context_size": "low",
            "user_location": {
                "type": "approximate",
                "city": "Lyon",
                "country": "FR",
                "timezone": "Europe/Paris",
            },
            "filters": {"allowed_domains": ["example.org"]},
        },
        {
            "type": "file_search",
            "vector_store_ids": ["vs_a"],
            "max_num_results": 3,
            "ranking_options": {"ranker": "default-2024-11-15", "score_threshold": 0.4},
            "filters": {"type": "eq", "key": "lang", "value": "en"},
        },
        {"type": "code_interpreter", "container": "cntr_1"},
        {
            "type": "image_generation",
            "size": "1024x1536",
            "quality": "high",
            "background": "transparent",
        },
    ]
    assert body["include"] == [
        "web_search_call.action.sources",
        "file_search_call.results",
        "code_interpreter_call.outputs",
    ]


def test_a_switched_off_tool_keeps_its_options_but_sends_nothing() -> None:
    off = FULL.model_copy(update={"web_search": False, "code_interpreter": False})
    body = _body(off)
    assert [t["type"] for t in body["tools"]] == ["file_search", "image_generation"]
    assert body["include"] == ["file_search_call.results"]


def test_chat_sends_no_hosted_tool_and_says_so() -> None:
    built = request.build(Workspace(api="chat", model="gpt-5.4", builtin_tools=FULL))
    assert "tools" not in built.body and "include" not in built.body
    assert any(f.path == "builtin_tools" for f in built.findings)


@given(hosted_tools())
def test_any_hosted_options_import_back_exactly(b: BuiltinTools) -> None:
    body = _body(b)
    back = from_body(body)
    assert request.build(back.workspace).body == body
    assert back.workspace.extra_body is None and back.workspace.extra_tools == []


def test_options_the_editor_does_not_write_are_kept_as_given() -> None:
    odd = [
        {"type": "web_search", "external_web_access": False},
        {"type": "image_generation", "partial_images": 2},
        {"type": "code_interpreter", "container": {"type": "auto", "memory_limit": "4g"}},
    ]
    back = from_body({"model": "gpt-5.4", "input": "hi", "tools": odd})
    assert back.workspace.extra_tools == odd
    assert not back.workspace.builtin_tools.web_search
    assert request.build(back.workspace).body["tools"] == odd


def test_hosted_tools_out_of_the_builders_order_are_kept_in_their_order() -> None:
    tools = [
        {"type": "image_generation"},
        {"type": "web_search"},
        {"type": "file_search", "vector_store_ids": ["vs_1"]},
    ]
    back = from_body({"model": "gpt-5.4", "input": "hi", "tools": tools})
    assert request.build(back.workspace).body["tools"] == tools
    assert back.workspace.builtin_tools.image_generation
    assert back.workspace.extra_tools == tools[1:]


def test_options_the_server_would_refuse_are_named() -> None:
    b = FULL.model_copy(deep=True)
    b.web_options.user_location.country = "France"
    b.image_options.size = "big"
    b.image_options.output_format = "jpeg"
    built = request.build(Workspace(model="gpt-5.4", builtin_tools=b))
    said = [(f.path, f.message) for f in built.findings]
    assert ("builtin_tools.web_options", said[0][1]) in said and "two-letter" in said[0][1]
    assert any("WIDTHxHEIGHT" in m for _, m in said)
    assert any("transparent background" in m for _, m in said)
    assert request.build(Workspace(model="gpt-5.4", builtin_tools=FULL)).findings == ()
