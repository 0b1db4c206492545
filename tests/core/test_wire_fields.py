"""A server's `param` (either API's body path) names a workspace field, for the control to mark."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.document_paths import get_at, parse_path
from playground.core.params import LOGPROBS_INCLUDE, TOKEN_LIMIT, declarations
from playground.core.wire_names import workspace_field
from playground.core.workspace import Workspace


@pytest.mark.parametrize(
    ("param", "field"),
    [
        ("reasoning.effort", "params.reasoning_effort"),  # Responses
        ("reasoning_effort", "params.reasoning_effort"),  # Chat
        ("text.verbosity", "params.verbosity"),
        ("max_tokens", "params.max_output_tokens"),
        ("max_completion_tokens", "params.max_output_tokens"),
        ("temperature", "params.temperature"),
        ("text.format", "output_format"),
        ("text.format.schema", "output_format"),
        ("response_format", "output_format"),
        ("tools[1].parameters", "tools"),
        ("input[2].content", "messages"),
        ("messages.[3].role", "messages"),
        ("instructions", "instructions"),
        ("model", "model"),
        ("tool_choice", "tool_choice"),
        ("stream_options.include_usage", "stream_usage"),
        ("no_such_field", None),
        ("text.no_such", None),
        ("", None),
        (None, None),
    ],
)
def test_server_params_name_workspace_fields(param: str | None, field: str | None) -> None:
    assert workspace_field(param) == field


def _declared() -> list[tuple[str, str]]:
    out = []
    for name, decl in declarations().items():
        for wire in decl.wire.values():
            # logprobs is sent on Responses as an include value (the include row's)
            if wire not in (TOKEN_LIMIT, LOGPROBS_INCLUDE) and not wire.startswith("include:"):
                out.append((wire, name))
    return out


def test_a_complaint_about_include_names_the_include_row() -> None:
    # the row that also holds logprobs' value (its "output logprobs" box)
    assert workspace_field("include") == "params.include"
    assert workspace_field("include[0]") == "params.include"


@pytest.mark.parametrize(("wire", "name"), _declared())
def test_every_declared_wire_name_finds_its_parameter(wire: str, name: str) -> None:
    assert workspace_field(wire) == f"params.{name}"


PARTS = st.sampled_from(
    ["text", "format", "reasoning", "effort", "input", "tools", "[0]", "x", "schema", "top_p"]
)


@settings(max_examples=300)
@given(st.lists(PARTS, min_size=1, max_size=4).map(".".join) | st.text(max_size=20))
def test_any_param_is_a_real_workspace_path_or_none(param: str) -> None:
    field = workspace_field(param)
    if field is not None:
        get_at(Workspace(), parse_path(field), field)  # raises PathError if not a field
