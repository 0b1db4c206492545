"""The workspace: one request being composed, as plain pydantic data.

Every panel of the app edits one `Workspace`; the request builder turns it into the exact
keyword arguments of `client.responses.create` or `client.chat.completions.create`.
A field left at ``None`` is not sent, so an imported request comes back out unchanged.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from playground.core.evaluation_spec import EvaluateSettings, GraderSpec, TestSet
from playground.core.hosted_options import (
    CodeInterpreterOptions,
    FileSearchOptions,
    ImageGenOptions,
    WebSearchOptions,
)
from playground.core.mcp_tools import McpTool
from playground.core.parameters import Parameters as Parameters  # re-exported

# 2: a workspace carries its Compare variants and mode (core/migrations.py brings 1 up to 2).
# 3: prompt variables, a test set, graders, evaluate settings and the response-cache opt-in
#    (core/evaluation_spec.py); mode "evaluate".
# 4: custom tools (`custom_tools`), a tool call's `kind`, tool choice forms beyond one function.
# 5: hosted tools' options (web search, file search, code interpreter) and image generation
#    (`builtin_tools.*_options`, `builtin_tools.image_generation`).
# 6: remote MCP tools (`mcp_tools`, core/mcp_tools.py) and `mcp_auto_approve`.
# 7: file parts (`FilePart`: input_file / Chat file), an image's detail always set, and the
#    include, safety_identifier, max_tool_calls and truncation parameters.
# 8: conversation state (`state`, `conversation_id`) and the response id that ends each
#    answered turn (`Message.response_id`); reasoning items kept as items.
# 9: where an uploaded file's id came from (`FilePart.uploaded_to`, `upload_server`).
# 10: what was last sent of each message (`Message.sent_digest`, `sent_prefix`), and which
#     server answered a kept reasoning item (`Message.answered_by`, `answer_server`).
SCHEMA_VERSION = 10
MAX_VARIANTS = 6
Mode = Literal["single", "compare", "evaluate"]
State = Literal["everything", "chain", "conversation"]
"""How a Responses conversation keeps its state between runs (core/state_modes.py): the
client sends everything, runs chain with previous_response_id, or run in a Conversation."""

Api = Literal["responses", "chat"]
Role = Literal["system", "developer", "user", "assistant", "tool"]
ROLES: tuple[Role, ...] = ("system", "developer", "user", "assistant", "tool")
# New workspaces' model: a current, inexpensive one, the cheapest GPT-6 (0.10 / 0.50 USD per
# 1M tokens; developers.openai.com/api/docs/models/gpt-6-luna, checked 2026-11-30).
DEFAULT_MODEL = "gpt-6-luna"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class TextPart(_Model):
    """A run of text inside a message."""

    type: Literal["text"] = "text"
    text: str = ""


ImageDetail = Literal["auto", "low", "high", "original"]
IMAGE_DETAILS: tuple[str, ...] = ("auto", "low", "high", "original")
"""The spec's `ImageDetail` (Responses input_image, where `detail` is required); Chat's
image_url.detail takes the first three (spec 2.3.0, checked 2026-12-01)."""


class ImagePart(_Model):
    """An image: either a URL (http(s) or data:) or a local file sent as a data URL.

    `detail` None is sent as "auto" in Responses (the spec requires it there) and left out
    in Chat; images attached in the window get "auto"."""

    type: Literal["image"] = "image"
    url: str | None = None
    path: str | None = None
    detail: ImageDetail | None = None


class FilePart(_Model):
    """A file input (a PDF or another document): Responses `input_file`, Chat `file`.

    Sent by `file_id` when set; else inline as `file_data` (a data URL,
    "data:application/pdf;base64,…") with `filename`: the given `file_data`, or the local
    file at `path` read when the request is built. `upload`: the window uploads the file at
    `path` through the Files API (purpose "user_data") before sending and sends its id
    (services/file_upload.py); the exported code sends it inline. `uploaded_to` (profile
    name) and `upload_server` (file_inputs.upload_origin) say where that upload went: the
    id is sent only to the same place, else the file goes again (core/request_messages.py)."""

    type: Literal["file"] = "file"
    filename: str | None = None
    file_data: str | None = None
    file_id: str | None = None
    path: str | None = None
    upload: bool = False
    uploaded_to: str | None = None
    upload_server: str | None = None


class RawPart(_Model):
    """A content part the app does not edit (a file, audio, ...), sent exactly as given."""

    type: Literal["raw"] = "raw"
    data: dict[str, Any] = Field(default_factory=dict)


Part = Annotated[TextPart | ImagePart | FilePart | RawPart, Field(discriminator="type")]


class ToolCall(_Model):
    """A tool call the assistant made; `id` is the call id its result must answer.

    `kind` "function": `arguments` is the call's JSON arguments text; "custom" (a custom
    tool, Responses `custom_tool_call` / Chat tool call of type `custom`): `arguments` holds
    the call's free-form `input` text, and its result is a `custom_tool_call_output`."""

    id: str
    name: str
    arguments: str = "{}"
    item_id: str | None = None
    kind: Literal["function", "custom"] = "function"

    @field_validator("arguments", mode="before")
    @classmethod
    def _json_text(cls, value: Any) -> Any:
        """Arguments given as a JSON object are kept as their JSON text (the API's type)."""
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class Message(_Model):
    """One message of the conversation.

    `content` is a plain string or a list of parts; which one is kept so a request
    comes back out in the shape it came in.
    """

    role: Role = "user"
    content: str | list[Part] = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_call_id: str | None = None
    name: str | None = None
    # A message or input item the app does not edit (a reasoning item, an item reference, an
    # item with its id and status): sent exactly as given; the fields above only show it.
    item: dict[str, Any] | None = None
    # "length": this answer stopped at the output-token limit (Chat finish_reason "length",
    # Responses incomplete for max_output_tokens), so the window offers Continue on it. Kept
    # by the app only; never sent.
    finish: Literal["length"] | None = None
    # The id of the response whose output ends with this message (schema_version 8): where a
    # chain or a conversation continues from (core/state_modes.py). Kept by the app; never sent.
    response_id: str | None = None
    # What the server holds (schema_version 10; core/sent_marks.py): the digest of this message
    # as last sent, and on an answer the digest of the messages up to it. Never sent.
    sent_digest: str | None = None
    sent_prefix: str | None = None
    # Where a kept reasoning item came from (schema_version 10; core/reasoning_items.py): the
    # profile name and server (file_inputs.upload_origin) of the run that answered with it.
    # None: unknown (an older file, an imported item), so it is sent as it is. Never sent.
    answered_by: str | None = None
    answer_server: str | None = None

    @property
    def text(self) -> str:
        """All text of the message, parts joined."""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text for p in self.content if isinstance(p, TextPart))

    @property
    def images(self) -> list[ImagePart]:
        if isinstance(self.content, str):
            return []
        return [p for p in self.content if isinstance(p, ImagePart)]

    @property
    def files(self) -> list[FilePart]:
        if isinstance(self.content, str):
            return []
        return [p for p in self.content if isinstance(p, FilePart)]


class FunctionTool(_Model):
    """A function tool the model may call, with a JSON Schema for its arguments."""

    name: str
    description: str | None = None
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})
    strict: bool | None = None
    enabled: bool = True
    mock_output: str | None = None


class CustomFormat(_Model):
    """A custom tool's input format: free-form `text`, or a `grammar` whose `syntax` is
    "lark" or "regex" and whose `definition` is the grammar's text (spec CustomToolParam,
    CustomTextFormatParam, CustomGrammarFormatParam, checked 2026-12-01)."""

    type: Literal["text", "grammar"] = "text"
    syntax: Literal["lark", "regex"] = "lark"
    definition: str = ""


class CustomTool(_Model):
    """A custom tool (`type: "custom"`): the model calls it with free-form text `input`.

    `format` None sends no format (the API's default, unconstrained text). `mock_output`
    is what the mock loop answers its calls with (may use `{{variables}}`)."""

    name: str
    description: str | None = None
    format: CustomFormat | None = None
    enabled: bool = True
    mock_output: str | None = None


class BuiltinTools(_Model):
    """The hosted tools of the Responses API: each one's switch and its options
    (core/hosted_options.py; the options are kept while a tool is off)."""

    web_search: bool = False
    file_search: bool = False
    vector_store_ids: list[str] = Field(default_factory=list)
    code_interpreter: bool = False
    # schema_version 5: the hosted tools' options and image generation
    image_generation: bool = False
    web_options: WebSearchOptions = Field(default_factory=WebSearchOptions)
    file_options: FileSearchOptions = Field(default_factory=FileSearchOptions)
    code_options: CodeInterpreterOptions = Field(default_factory=CodeInterpreterOptions)
    image_options: ImageGenOptions = Field(default_factory=ImageGenOptions)


HOSTED_CHOICES = (
    "file_search",
    "web_search_preview",
    "web_search_preview_2025_03_11",
    "computer",
    "computer_use_preview",
    "computer_use",
    "code_interpreter",
    "image_generation",
    "apply_patch",
    "shell",
    "programmatic_tool_calling",
)
"""Tool choices naming a hosted tool by type alone (Responses spec ToolChoiceTypes,
SpecificApplyPatchParam, SpecificFunctionShellParam, SpecificProgrammaticToolCallingParam,
checked 2026-12-01)."""


class ToolChoice(_Model):
    """`auto`, `none`, `required`; one named function or custom tool (`name`); a hosted
    tool by type (`mode` "hosted", `hosted` one of HOSTED_CHOICES); a remote MCP server
    (`mode` "mcp", `server_label`, optionally one of its tools by `name`; spec
    ToolChoiceMCP, checked 2026-12-01); or `allowed_tools`:
    `allowed_mode` "auto" or "required" over `allowed` (tool references as the API takes
    them, `{"type": "function", "name": ...}` in Responses' shape)."""

    mode: Literal[
        "auto", "none", "required", "function", "custom", "hosted", "mcp", "allowed_tools"
    ] = "auto"
    name: str | None = None
    server_label: str | None = None
    hosted: str | None = None
    allowed_mode: Literal["auto", "required"] = "auto"
    allowed: list[dict[str, Any]] = Field(default_factory=list)


class OutputFormat(_Model):
    """How the answer is shaped: free text, any JSON object, or a JSON Schema."""

    type: Literal["text", "json_object", "json_schema"] = "text"
    name: str = "response"
    description: str | None = None
    json_schema: dict[str, Any] = Field(
        default_factory=lambda: {
            "type": "object",
            "properties": {},
            "required": [],
            "additionalProperties": False,
        }
    )
    strict: bool | None = True


class Variant(_Model):
    """One column of a comparison: a key (unique in the tab), a name, and its overrides.

    An override names a Document path ("model", "params.temperature", ...) and the value it
    takes in this variant (core/variants.py applies them)."""

    key: str = Field(min_length=1)
    name: str = ""
    overrides: dict[str, Any] = Field(default_factory=dict)


def _variant_list(value: list[Variant]) -> list[Variant]:
    keys = [v.key for v in value]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise ValueError(f"variant key {dup!r} is used twice; each variant needs its own key")
    if len(value) > MAX_VARIANTS:
        raise ValueError(f"at most {MAX_VARIANTS} variants, not {len(value)}")
    return value


# Unique keys and at most six, checked on load and on every Document edit of the list.
Variants = Annotated[list[Variant], AfterValidator(_variant_list)]


class Workspace(_Model):
    """One request being composed, with its conversation so far."""

    schema_version: int = SCHEMA_VERSION
    api: Api = "responses"
    model: str = DEFAULT_MODEL
    profile: str = "Offline simulator"
    instructions: str = ""
    messages: list[Message] = Field(default_factory=list)
    tools: list[FunctionTool] = Field(default_factory=list)
    # Custom tools (schema_version 4), sent after the function tools.
    custom_tools: list[CustomTool] = Field(default_factory=list)
    builtin_tools: BuiltinTools = Field(default_factory=BuiltinTools)
    # Remote MCP servers (schema_version 6), sent after the hosted tools; Responses only.
    mcp_tools: list[McpTool] = Field(default_factory=list)
    # The mock loop approves MCP approval requests by itself (else it stops at them).
    mcp_auto_approve: bool = False
    # Tools the app does not edit (hosted tools with options, MCP, custom), sent as given.
    extra_tools: list[dict[str, Any]] = Field(default_factory=list)
    tool_choice: ToolChoice | None = None
    output_format: OutputFormat | None = None
    params: Parameters = Field(default_factory=Parameters)
    stream: bool = True
    # Chat streams ask for usage (stream_options.include_usage) unless a request came without it.
    stream_usage: bool = True
    # Send a lone user text message as `input: "..."` (Responses) instead of a list of items.
    compact_input: bool = False
    extra_body: dict[str, Any] | None = None
    # Compare: the tab's variants of this request (at most 6, unique keys; Compare mode runs
    # 2 to 6), and whether the tab shows them side by side. Never sent: the request is the
    # base's. A "compare" tab with fewer variants still loads (its edits are never lost).
    variants: Variants = Field(default_factory=list)
    mode: Mode = "single"
    # Evaluations (schema_version 3). Values of the `{{name}}` variables for interactive runs;
    # the test set's rows fill them in Evaluate mode. Never sent: the request is filled first.
    variables: dict[str, str] = Field(default_factory=dict)
    test_set: TestSet = Field(default_factory=TestSet)
    graders: list[GraderSpec] = Field(default_factory=list)
    evaluate: EvaluateSettings = Field(default_factory=EvaluateSettings)
    # Answers to identical requests are taken from the response cache (services/response_cache)
    # when on; never for a request that asks the server to keep state.
    cache: bool = False
    # Conversation state (schema_version 8; Responses only): "everything" sends the whole
    # conversation, reasoning items included; "chain" sends previous_response_id and only the
    # items after the last answer; "conversation" runs in the Conversation `conversation_id`.
    state: State = "everything"
    conversation_id: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _migrated(cls, data: Any) -> Any:
        """Data that names an older schema_version (a history record, a Document snapshot) is
        brought up to SCHEMA_VERSION first, so it is never written back as the old version;
        a newer one is refused (core/migrations.py)."""
        if isinstance(data, dict) and data.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
            from playground.core.migrations import migrate  # it imports this module

            return migrate(data)
        return data

    def enabled_tools(self) -> list[FunctionTool]:
        return [t for t in self.tools if t.enabled]

    def tool(self, name: str) -> FunctionTool | None:
        return next((t for t in self.tools if t.name == name), None)

    def enabled_custom_tools(self) -> list[CustomTool]:
        return [t for t in self.custom_tools if t.enabled]

    def enabled_mcp_tools(self) -> list[McpTool]:
        """The MCP servers a run sends: enabled ones, Responses only."""
        return [t for t in self.mcp_tools if t.enabled] if self.api == "responses" else []

    def custom_tool(self, name: str) -> CustomTool | None:
        return next((t for t in self.custom_tools if t.name == name), None)

    def to_json(self) -> str:
        """The workspace as diff-friendly JSON, two-space indent: the workspace's own keys
        sorted, JSON the user wrote (schemas, parameters, extra_body, ...) in its own order."""
        from playground.core.ordered_json import dumps

        return dumps(self)
