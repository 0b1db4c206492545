"""The request builder: the exact SDK keyword arguments for both APIs."""

from __future__ import annotations

import base64

import pytest

from playground.core import request
from playground.core.workspace import (
    DEFAULT_MODEL,
    BuiltinTools,
    FunctionTool,
    ImagePart,
    Message,
    OutputFormat,
    Parameters,
    TextPart,
    ToolCall,
    ToolChoice,
    Workspace,
)

WEATHER = FunctionTool(
    name="get_weather",
    description="Current weather",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    strict=True,
)


def ws(**kw: object) -> Workspace:
    base = {"messages": [Message(role="user", content="Hi")]}
    base.update(kw)
    return Workspace(**base)  # type: ignore[arg-type]


def test_responses_minimal_body_sends_only_what_is_set() -> None:
    built = request.build(ws(stream=False))
    assert built.kwargs == {"model": DEFAULT_MODEL, "input": [{"role": "user", "content": "Hi"}]}
    assert built.method == "responses.create"


def test_chat_streaming_asks_for_usage() -> None:
    built = request.build(ws(api="chat"))
    assert built.kwargs["stream"] is True
    assert built.kwargs["stream_options"] == {"include_usage": True}
    assert built.kwargs["messages"] == [{"role": "user", "content": "Hi"}]


def test_tool_shapes_differ_per_api() -> None:
    chat = request.build(ws(api="chat", tools=[WEATHER])).kwargs["tools"]
    resp = request.build(ws(tools=[WEATHER])).kwargs["tools"]
    assert chat == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Current weather",
                "parameters": WEATHER.parameters,
                "strict": True,
            },
        }
    ]
    assert resp == [
        {
            "type": "function",
            "name": "get_weather",
            "description": "Current weather",
            "parameters": WEATHER.parameters,
            "strict": True,
        }
    ]


def test_disabled_tools_are_not_sent() -> None:
    off = WEATHER.model_copy(update={"enabled": False})
    assert "tools" not in request.build(ws(tools=[off])).kwargs


@pytest.mark.parametrize(
    ("api", "mode", "expected"),
    [
        ("chat", "auto", "auto"),
        ("chat", "none", "none"),
        ("responses", "required", "required"),
        ("chat", "function", {"type": "function", "function": {"name": "get_weather"}}),
        ("responses", "function", {"type": "function", "name": "get_weather"}),
    ],
)
def test_tool_choice_forms(api: str, mode: str, expected: object) -> None:
    choice = ToolChoice(mode=mode, name="get_weather" if mode == "function" else None)  # type: ignore[arg-type]
    built = request.build(ws(api=api, tools=[WEATHER], tool_choice=choice))
    assert built.kwargs["tool_choice"] == expected


def test_structured_output_goes_to_response_format_or_text_format() -> None:
    fmt = OutputFormat(
        type="json_schema",
        name="W",
        json_schema={
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "required": ["a"],
            "additionalProperties": False,
        },
    )
    chat = request.build(ws(api="chat", output_format=fmt)).kwargs
    resp = request.build(ws(output_format=fmt)).kwargs
    assert chat["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "W", "schema": fmt.json_schema, "strict": True},
    }
    assert resp["text"] == {
        "format": {"type": "json_schema", "name": "W", "schema": fmt.json_schema, "strict": True}
    }


@pytest.mark.parametrize(
    ("model", "api", "target", "key"),
    [
        ("gpt-4o", "chat", request.Target(), "max_completion_tokens"),
        ("o3-mini", "chat", request.Target(openai=False), "max_completion_tokens"),
        ("gpt-4o", "responses", request.Target(), "max_output_tokens"),
        # a model the catalog does not know: OpenAI's name on OpenAI's endpoint, the name
        # compatible servers take elsewhere, or what the profile chose
        ("my-local-model", "chat", request.Target(), "max_completion_tokens"),
        ("my-local-model", "chat", request.Target(openai=False), "max_tokens"),
        (
            "my-local-model",
            "chat",
            request.Target(openai=False, chat_token_param="max_completion_tokens"),
            "max_completion_tokens",
        ),
        ("my-local-model", "chat", request.Target(chat_token_param="max_tokens"), "max_tokens"),
    ],
)
def test_max_token_parameter_name(model: str, api: str, target: request.Target, key: str) -> None:
    built = request.build(
        ws(model=model, api=api, params=Parameters(max_output_tokens=100)), target=target
    )
    assert built.kwargs[key] == 100
    others = {"max_tokens", "max_completion_tokens", "max_output_tokens"} - {key}
    assert not others & set(built.kwargs)


def test_explicit_max_tokens_name_is_kept_for_non_reasoning_models() -> None:
    p = Parameters(max_output_tokens=50, max_tokens_name="max_tokens")
    assert request.build(ws(api="chat", model="gpt-4o", params=p)).kwargs["max_tokens"] == 50
    o3 = request.build(ws(api="chat", model="o3", params=p))
    assert o3.kwargs["max_completion_tokens"] == 50 and "max_tokens" not in o3.kwargs
    assert any("max_completion_tokens is sent" in f.message for f in o3.findings)


def test_reasoning_effort_placement() -> None:
    p = Parameters(reasoning_effort="low", reasoning_summary="auto")
    chat = request.build(ws(api="chat", model="o3-mini", params=p))
    resp = request.build(ws(model="o3-mini", params=p))
    assert chat.kwargs["reasoning_effort"] == "low"
    assert "reasoning" not in chat.kwargs
    assert any(
        "reasoning_summary exists only in the Responses API" in f.message for f in chat.findings
    )
    assert resp.kwargs["reasoning"] == {"effort": "low", "summary": "auto"}


def test_rejected_parameters_are_dropped_with_a_finding() -> None:
    built = request.build(ws(model="o3-mini", params=Parameters(temperature=0.7, top_p=0.5)))
    assert "temperature" not in built.kwargs and "top_p" not in built.kwargs
    messages = [f.message for f in built.findings]
    assert "o3-mini takes temperature only at its default (1); it will not be sent" in messages
    assert "o3-mini takes top_p only at its default (1); it will not be sent" in messages


def test_unsupported_effort_is_dropped() -> None:
    built = request.build(ws(model="o3", params=Parameters(reasoning_effort="minimal")))
    assert "reasoning" not in built.kwargs
    assert "supported: low, medium, high" in built.findings[0].message


def test_unknown_models_are_permissive() -> None:
    p = Parameters(temperature=0.3, reasoning_effort="high", seed=7)
    built = request.build(ws(api="chat", model="llama3.1:8b", params=p))
    assert built.kwargs["temperature"] == 0.3
    assert built.kwargs["reasoning_effort"] == "high"
    assert built.kwargs["seed"] == 7
    assert not built.findings


def test_instructions_become_a_system_or_developer_message_in_chat() -> None:
    chat = ws(api="chat", model="gpt-4o-mini", instructions="Be brief")  # not a reasoning model
    assert request.build(chat).kwargs["messages"][0] == {
        "role": "system",
        "content": "Be brief",
    }
    o1 = request.build(ws(api="chat", model="o1", instructions="Be brief")).kwargs
    assert o1["messages"][0]["role"] == "developer"
    assert request.build(ws(instructions="Be brief")).kwargs["instructions"] == "Be brief"


def test_tool_history_in_both_shapes() -> None:
    msgs = [
        Message(role="user", content="Weather in Paris?"),
        Message(
            role="assistant",
            tool_calls=[ToolCall(id="call_1", name="get_weather", arguments='{"city":"Paris"}')],
        ),
        Message(role="tool", tool_call_id="call_1", content='{"temp_c":18}'),
    ]
    chat = request.build(ws(api="chat", messages=msgs, tools=[WEATHER])).kwargs["messages"]
    assert chat[1] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
            }
        ],
    }
    assert chat[2] == {"role": "tool", "tool_call_id": "call_1", "content": '{"temp_c":18}'}
    items = request.build(ws(messages=msgs, tools=[WEATHER])).kwargs["input"]
    assert items[1] == {
        "type": "function_call",
        "call_id": "call_1",
        "name": "get_weather",
        "arguments": '{"city":"Paris"}',
    }
    assert items[2] == {
        "type": "function_call_output",
        "call_id": "call_1",
        "output": '{"temp_c":18}',
    }


def test_local_image_is_sent_as_a_data_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    png = tmp_path / "dot.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    msg = Message(role="user", content=[TextPart(text="What is this?"), ImagePart(path=str(png))])
    chat = request.build(ws(api="chat", messages=[msg])).kwargs["messages"][0]["content"]
    url = chat[1]["image_url"]["url"]
    assert url == "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode()
    resp = request.build(ws(messages=[msg])).kwargs["input"][0]["content"]
    assert resp == [
        {"type": "input_text", "text": "What is this?"},
        # the spec requires detail on input_image: "auto" when the image has none
        {"type": "input_image", "image_url": url, "detail": "auto"},
    ]


def test_missing_image_file_is_an_error_finding() -> None:
    msg = Message(role="user", content=[ImagePart(path="/nonexistent/x.png")])
    built = request.build(ws(messages=[msg]))
    assert built.findings[0].severity == "error"
    assert "/nonexistent/x.png is not there (missing from disk)" in built.findings[0].message


def test_builtin_tools_only_in_responses() -> None:
    b = BuiltinTools(
        web_search=True, file_search=True, vector_store_ids=["vs_1"], code_interpreter=True
    )
    resp = request.build(ws(builtin_tools=b)).kwargs["tools"]
    assert [t["type"] for t in resp] == ["web_search", "file_search", "code_interpreter"]
    assert resp[1]["vector_store_ids"] == ["vs_1"]
    chat = request.build(ws(api="chat", builtin_tools=b))
    assert "tools" not in chat.kwargs
    assert "exist only in the Responses API" in chat.findings[0].message


def test_extra_body_is_merged_into_the_body_not_the_named_arguments() -> None:
    built = request.build(ws(extra_body={"prompt_cache_key": "abc"}, stream=False))
    assert built.kwargs["extra_body"] == {"prompt_cache_key": "abc"}
    assert built.body["prompt_cache_key"] == "abc"
    assert "extra_body" not in built.body


def test_chat_only_parameters_are_not_sent_to_responses() -> None:
    built = request.build(ws(params=Parameters(seed=1, stop=["x"], n=2, presence_penalty=0.1)))
    for key in ("seed", "stop", "n", "presence_penalty"):
        assert key not in built.kwargs
    assert len(built.findings) == 4
