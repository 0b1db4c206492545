"""`export --pydantic`: the generated models import and validate, for every strict schema."""

from __future__ import annotations

import sys
import types
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from playground.core.codegen import pydantic_models, tool_functions
from playground.core.instances import instance, pointer
from playground.core.workspace import FunctionTool
from tests.core.strict_schemas import strict_schemas
from tests.core.test_instances import MUTUAL, NODE, ROOT_RECURSIVE

EVERYTHING = {
    "type": "object",
    "properties": {
        "value": {"type": "string", "description": 'A "quoted" value'},
        "class": {"type": ["string", "null"]},
        "my-key": {"enum": ["a", "b", None]},
        "2fa": {"type": "boolean"},
        "model_config": {"type": "integer"},
        "json": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "Node": {"$ref": "#/$defs/Node"},
        "grid": {
            "type": "array",
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"x": {"type": "number"}, "from": {"const": "here"}},
                    "required": ["x", "from"],
                    "additionalProperties": False,
                },
            },
        },
        "parent": {"anyOf": [{"$ref": "#"}, {"type": "null"}]},
    },
    "required": [
        *("value", "class", "my-key", "2fa", "model_config", "json", "Node", "grid", "parent")
    ],
    "additionalProperties": False,
    "$defs": {"Node": NODE["$defs"]["Node"]},  # type: ignore[index]
}


def load(schema: dict[str, Any], name: str = "response") -> type[Any]:
    """Import the generated models as a module (the way the exported program does)."""
    code, root = pydantic_models(schema, name)
    head = ["from __future__ import annotations"] if code.future else []
    if code.typing:
        head.append(f"from typing import {', '.join(sorted(code.typing))}")
    head.append(f"from pydantic import {', '.join(sorted(code.pydantic))}")
    module = types.ModuleType(f"generated_{uuid.uuid4().hex}")
    sys.modules[module.__name__] = module
    try:
        exec(
            compile("\n".join(head) + "\n\n\n" + code.source, module.__name__, "exec"), vars(module)
        )
    finally:
        del sys.modules[module.__name__]
    model: type[Any] = getattr(module, root)
    return model


def sent_properties(model: type[Any]) -> dict[str, Any]:
    """The root properties of the JSON Schema pydantic (and so the SDK) makes of `model`."""
    sent = model.model_json_schema()
    root = pointer(sent, sent["$ref"]) if "$ref" in sent else sent
    properties: dict[str, Any] = root["properties"]
    return properties


@pytest.mark.parametrize(
    "schema", [NODE, ROOT_RECURSIVE, MUTUAL, EVERYTHING], ids=["node", "root", "mutual", "names"]
)
def test_recursive_and_awkward_schemas_import_and_validate(schema: dict[str, Any]) -> None:
    model = load(schema)
    value = instance(schema)
    parsed = model.model_validate(value)
    assert parsed.model_dump(mode="json", by_alias=True) == value
    # The schema the SDK sends for this model names the same properties, in the same order.
    assert list(sent_properties(model)) == list(schema["properties"])


def test_names_that_are_not_python_names_keep_their_json_names() -> None:
    model = load(EVERYTHING)
    parsed = model.model_validate(instance(EVERYTHING))
    assert parsed.class_ == "example" and parsed.field_2fa is True
    assert parsed.Node_.children[0].value == "example"
    fields = sent_properties(model)
    assert fields["value"]["description"] == 'A "quoted" value'


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strict_schemas())
def test_every_strict_schema_gives_models_that_validate_its_instances(
    schema: dict[str, Any],
) -> None:
    model = load(schema)
    value = instance(schema)
    assert model.model_validate(value).model_dump(mode="json", by_alias=True) == value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strict_schemas())
def test_tool_stubs_for_every_strict_schema_compile_and_take_its_arguments(
    schema: dict[str, Any],
) -> None:
    tool = FunctionTool(name="look-up", parameters=schema, mock_output='{"ok": true}')
    code = tool_functions([tool])
    namespace: dict[str, Any] = {}
    exec(compile("from typing import Any, Literal\n\n" + code.source, "tools", "exec"), namespace)
    arguments = instance(schema)
    assert namespace["TOOLS"]["look-up"](**arguments) == '{"ok": true}'
