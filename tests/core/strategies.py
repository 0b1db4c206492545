"""Hypothesis strategies: workspaces whose requests are representable in every export form."""

from __future__ import annotations

from hypothesis import strategies as st

from playground.core.hosted_options import (
    CodeInterpreterOptions,
    FileSearchOptions,
    ImageGenOptions,
    UserLocation,
    WebSearchOptions,
)
from playground.core.workspace import (
    BuiltinTools,
    CustomFormat,
    CustomTool,
    FunctionTool,
    Message,
    OutputFormat,
    Parameters,
    ToolCall,
    ToolChoice,
    Workspace,
)

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
names = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
schemas = st.fixed_dictionaries(
    {
        "type": st.just("object"),
        "properties": st.dictionaries(
            names,
            st.sampled_from(
                [
                    {"type": "string"},
                    {"type": "integer"},
                    {"type": "boolean"},
                    {"type": "array", "items": {"type": "number"}},
                    {"type": "string", "enum": ["a", "b'c", 'd"e']},
                ]
            ),
            max_size=3,
        ),
    }
)

# custom tools' formats: none, text, or a grammar whose text has quotes, backslashes, newlines
formats = st.none() | st.sampled_from(
    [
        CustomFormat(type="text"),
        CustomFormat(type="grammar", syntax="regex", definition=r"\d{4}-\d{2} '\"x\""),
        CustomFormat(
            type="grammar",
            syntax="lark",
            definition='start: item+\nitem: "a" | /[0-9]+/ | "\\\\"\n%ignore " "\n',
        ),
    ]
)


words = st.from_regex(r"[A-Za-z][A-Za-z ._/-]{0,12}", fullmatch=True)
maybe = st.none() | words


@st.composite
def hosted_tools(draw: st.DrawFn) -> BuiltinTools:
    """Hosted tools (Responses) with any mix of their options switched on."""
    on = st.booleans()
    return BuiltinTools(
        web_search=draw(on),
        web_options=WebSearchOptions(
            search_context_size=draw(st.none() | st.sampled_from(["low", "medium", "high"])),
            user_location=UserLocation(
                city=draw(maybe), region=draw(maybe), country=draw(maybe), timezone=draw(maybe)
            ),
            allowed_domains=draw(st.lists(names.map(lambda n: n + ".org"), max_size=2)),
            include_sources=draw(on),
        ),
        file_search=draw(on),
        vector_store_ids=draw(st.lists(names.map(lambda n: "vs_" + n), min_size=1, max_size=2)),
        file_options=FileSearchOptions(
            max_num_results=draw(st.none() | st.integers(1, 50)),
            ranker=draw(st.none() | st.sampled_from(["auto", "default-2024-11-15"])),
            score_threshold=draw(st.none() | st.sampled_from([0.0, 0.25, 0.5, 1.0])),
            filters=draw(
                st.none()
                | st.builds(lambda k, v: {"type": "eq", "key": k, "value": v}, names, text)
            ),
            include_results=draw(on),
        ),
        code_interpreter=draw(on),
        code_options=draw(
            st.builds(
                lambda ids, inc: CodeInterpreterOptions(file_ids=ids, include_outputs=inc),
                st.lists(names.map(lambda n: "file-" + n), max_size=2),
                on,
            )
            | st.builds(
                lambda c, inc: CodeInterpreterOptions(
                    container_id="cntr_" + c, include_outputs=inc
                ),
                names,
                on,
            )
        ),
        image_generation=draw(on),
        image_options=ImageGenOptions(
            model=draw(st.none() | st.sampled_from(["gpt-image-1", "gpt-image-2"])),
            size=draw(st.none() | st.sampled_from(["auto", "1024x1024", "1536x864"])),
            quality=draw(st.none() | st.sampled_from(["low", "high"])),
            output_format=draw(st.none() | st.sampled_from(["png", "webp"])),
            background=draw(st.none() | st.sampled_from(["transparent", "opaque"])),
        ),
    )


@st.composite
def workspaces(draw: st.DrawFn) -> Workspace:
    api = draw(st.sampled_from(["responses", "chat"]))
    roles = ["user", "assistant", "system", "developer"]
    messages = [
        Message(role=draw(st.sampled_from(roles)), content=draw(text))
        for _ in range(draw(st.integers(1, 3)))
    ]
    tools = [
        FunctionTool(
            name=n,
            description=draw(st.none() | text),
            parameters=draw(schemas),
            strict=draw(st.none() | st.just(False)),
        )
        for n in draw(st.lists(names, max_size=2, unique=True))
    ]
    if tools and draw(st.booleans()):
        call = ToolCall(id="call_" + draw(names), name=tools[0].name, arguments='{"x": 1}')
        messages += [
            Message(role="assistant", tool_calls=[call]),
            Message(role="tool", tool_call_id=call.id, content=draw(text)),
        ]
    taken = {t.name for t in tools}
    custom = [
        CustomTool(name=f"c_{n}", description=draw(st.none() | text), format=draw(formats))
        for n in draw(st.lists(names, max_size=2, unique=True))
        if f"c_{n}" not in taken
    ]
    if custom and draw(st.booleans()):
        call = ToolCall(id="ctc_" + draw(names), name=custom[0].name, arguments=draw(text))
        call.kind = "custom"
        messages += [
            Message(role="assistant", tool_calls=[call]),
            Message(role="tool", tool_call_id=call.id, content=draw(text)),
        ]
    choice = draw(
        st.none()
        | st.sampled_from(["auto", "none", "required", "function", "custom", "allowed", "hosted"])
    )
    tool_choice = None
    if choice == "function" and tools:
        tool_choice = ToolChoice(mode="function", name=tools[0].name)
    elif choice == "custom" and custom:
        tool_choice = ToolChoice(mode="custom", name=custom[-1].name)
    elif choice == "allowed" and (tools or custom):
        refs = [{"type": "function", "name": t.name} for t in tools]
        refs += [{"type": "custom", "name": t.name} for t in custom]
        tool_choice = ToolChoice(
            mode="allowed_tools",
            allowed_mode=draw(st.sampled_from(["auto", "required"])),
            allowed=draw(st.lists(st.sampled_from(refs), min_size=1, max_size=2, unique_by=str)),
        )
    elif choice == "hosted" and api == "responses":
        hosted = draw(st.sampled_from(["file_search", "web_search_preview", "image_generation"]))
        tool_choice = ToolChoice(mode="hosted", hosted=hosted)
    elif choice in ("auto", "none", "required"):
        tool_choice = ToolChoice(mode=choice)  # type: ignore[arg-type]
    params = Parameters(
        temperature=draw(st.none() | st.floats(0, 2, allow_nan=False).map(lambda f: round(f, 2))),
        max_output_tokens=draw(st.none() | st.integers(16, 4000)),
        seed=draw(st.none() | st.integers(0, 1000)) if api == "chat" else None,
        metadata=draw(st.none() | st.dictionaries(names, text, max_size=2)),
    )
    fmt = draw(
        st.none()
        | st.just(OutputFormat(type="json_object"))
        | st.builds(
            lambda n, s: OutputFormat(type="json_schema", name=n, json_schema=s, strict=False),
            names,
            schemas,
        )
    )
    return Workspace(
        api=api,
        model=draw(st.sampled_from(["gpt-4o", "gpt-4.1-mini", "custom-x"])),
        instructions=draw(st.just("") | text) if api == "responses" else "",
        messages=messages,
        tools=tools,
        custom_tools=custom,
        builtin_tools=draw(hosted_tools()) if api == "responses" else BuiltinTools(),
        tool_choice=tool_choice,
        params=params,
        output_format=fmt,
        stream=draw(st.booleans()),
        extra_body=draw(st.none() | st.just({"safety_identifier": "user-1"})),
    )
