"""How a tool call is answered when its tool is not really run: one rule for the window's
mock loop ("Run with mocks", "Use mock") and the exported `--tool-loop` program.

A call's `arguments` text is read as: blank (empty or whitespace only) -> no arguments `{}`;
a JSON object -> its members; anything else -> the call is answered with an error result.
Arguments that do not fit the tool's stub signature (a required parameter missing, an unknown
one given) are answered with an error result too, as the exported program's
`inspect.signature(...).bind(...)` check does. A call that fits gets the tool's mock output,
or DEFAULT_MOCK_OUTPUT when the tool has none (blank counts as none).

A custom tool's call (kind "custom") carries free-form input, not arguments: it gets its
custom tool's mock output (DEFAULT_MOCK_OUTPUT when blank) whatever the input, and an error
result when no custom tool has its name.

The exported program carries CALL_TOOL_SOURCE, the same rule written for a program that does
not import the playground; tests/core/test_tool_loop.py checks the two agree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from playground.core.pysource import identifier
from playground.core.workspace import CustomTool, FunctionTool

DEFAULT_MOCK_OUTPUT = '{"ok": true, "note": "mock result"}'
"""The result of a tool that has no mock output (a JSON object text)."""


@dataclass(frozen=True)
class StubSignature:
    """The keyword parameters of a tool's generated stub, from its JSON Schema.

    `names_ok` False means the stub takes `**arguments` (some property is not a Python name),
    so any object fits."""

    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    names_ok: bool = True


def stub_signature(tool: FunctionTool) -> StubSignature:
    """The stub's parameters: the schema's `properties`, those in `required` without a default."""
    params = tool.parameters if isinstance(tool.parameters, dict) else {}
    props = params.get("properties")
    props = props if isinstance(props, dict) else {}
    listed = params.get("required")
    required = {r for r in listed if isinstance(r, str)} if isinstance(listed, list) else set()
    if not all(isinstance(p, str) and identifier(p) for p in props):
        return StubSignature(names_ok=False)
    return StubSignature(
        tuple(p for p in props if p in required), tuple(p for p in props if p not in required)
    )


def call_arguments(text: str) -> dict[str, Any] | None:
    """The call's arguments as an object: blank text is `{}`; None when not a JSON object."""
    try:
        value = json.loads(text) if text.strip() else {}
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def mock_output(tool: FunctionTool | CustomTool | None) -> str:
    """The tool's mock output, or DEFAULT_MOCK_OUTPUT when it has none or only whitespace."""
    if tool is not None and tool.mock_output and tool.mock_output.strip():
        return tool.mock_output
    return DEFAULT_MOCK_OUTPUT


def _error(message: str) -> str:
    return json.dumps({"error": message})


def mock_result(
    tools: Sequence[FunctionTool | CustomTool], name: str, arguments: str, kind: str = "function"
) -> str:
    """What the mock loop sends as the output of a call of `name` with `arguments` (a
    custom tool's call: `kind` "custom", `arguments` its input).

    `tools` are the workspace's enabled tools (the exported program's TOOLS table) and
    custom tools; a call finds only a tool of its own kind."""
    want = CustomTool if kind == "custom" else FunctionTool
    tool = next((t for t in tools if t.name == name and isinstance(t, want)), None)
    if tool is None:
        return _error(f"no {'custom ' if kind == 'custom' else ''}tool named {name}")
    if isinstance(tool, CustomTool):
        return mock_output(tool)
    kwargs = call_arguments(arguments)
    if kwargs is None:
        return _error("the arguments are not a JSON object")
    sig = stub_signature(tool)
    if sig.names_ok and (
        any(r not in kwargs for r in sig.required)
        or any(k not in sig.required and k not in sig.optional for k in kwargs)
    ):
        return _error(f"the arguments do not fit {name}")
    return mock_output(tool)


CALL_TOOL_SOURCE = '''def call_tool(name: str, arguments: str) -> str:
    """Run one call; a call the tools cannot take gets an error result the model can read."""
    tool = TOOLS.get(name)
    if tool is None:
        return json.dumps({"error": f"no tool named {name}"})
    try:
        kwargs = json.loads(arguments) if arguments.strip() else {}
    except ValueError:
        kwargs = None
    if not isinstance(kwargs, dict):
        return json.dumps({"error": "the arguments are not a JSON object"})
    try:
        inspect.signature(tool).bind(**kwargs)
    except TypeError:
        return json.dumps({"error": f"the arguments do not fit {name}"})
    return tool(**kwargs)'''
"""The exported program's dispatcher (needs `json`, `inspect` and the TOOLS table)."""
