"""Random and mutated input for the importers, the schema checks and the workspace loader:
no unhandled exception, and every rejection is a readable message."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.export import export
from playground.core.import_sources import import_text
from playground.core.importer import ImportRefused
from playground.core.schema_rules import check_schema
from playground.services.files import WorkspaceFileError, parse_workspace
from tests.core.strategies import workspaces

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def _readable(message: str) -> None:
    assert message and len(message) < 2000 and "Traceback" not in message


def _mutate(text: str, seed: int) -> str:
    rnd = random.Random(seed)
    chars = list(text)
    for _ in range(rnd.randint(1, 6)):
        op = rnd.choice(("drop", "dup", "swap", "insert"))
        if not chars:
            break
        i = rnd.randrange(len(chars))
        if op == "drop":
            del chars[i]
        elif op == "dup":
            chars.insert(i, chars[i])
        elif op == "swap":
            j = rnd.randrange(len(chars))
            chars[i], chars[j] = chars[j], chars[i]
        else:
            chars.insert(i, rnd.choice("{}[]\",:\\'()=x0 \n"))
    return "".join(chars)


@SETTINGS
@given(st.text(max_size=300))
def test_importer_on_random_text(text: str) -> None:
    try:
        import_text(text)
    except ImportRefused as exc:
        _readable(str(exc))


@SETTINGS
@given(workspaces(), st.sampled_from(["json", "curl", "python"]), st.integers(0, 10**6))
def test_importer_on_mutated_exports(ws, fmt: str, seed: int) -> None:  # type: ignore[no-untyped-def]
    try:
        result = import_text(_mutate(export(ws, fmt), seed))  # type: ignore[arg-type]
    except ImportRefused as exc:
        _readable(str(exc))
        return
    for note in result.notes:
        _readable(note)


@SETTINGS
@given(json_values)
def test_importer_on_random_json(value: object) -> None:
    try:
        import_text(json.dumps(value))
    except ImportRefused as exc:
        _readable(str(exc))


@SETTINGS
@given(st.text(max_size=200) | json_values.map(json.dumps), st.booleans())
def test_schema_checks_never_raise(text: str, strict: bool) -> None:
    schema, problems = check_schema(text, strict)
    assert schema is not None or problems
    for problem in problems:
        _readable(problem)


@SETTINGS
@given(workspaces(), st.integers(0, 10**6))
def test_workspace_loader_on_mutated_files(ws, seed: int) -> None:  # type: ignore[no-untyped-def]
    try:
        parse_workspace(_mutate(ws.to_json(), seed), "w.json")
    except WorkspaceFileError as exc:
        _readable(str(exc))


@SETTINGS
@given(json_values)
def test_workspace_loader_on_random_json(value: object) -> None:
    try:
        parse_workspace(json.dumps(value), "w.json")
    except WorkspaceFileError as exc:
        _readable(str(exc))
