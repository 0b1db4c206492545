"""`export --pydantic` of recursive schemas: the program imports, sends, and parses the answer."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from playground.core.export import export
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, OutputFormat, Workspace
from playground.services.simulator import Simulator
from tests.core.test_instances import MUTUAL
from tests.core.test_pydantic_codegen import EVERYTHING
from tests.e2e.test_export_parity import run_program


@pytest.mark.parametrize("api", ["responses", "chat"])
@pytest.mark.parametrize("fmt", ["python", "python-sync"])
def test_recursive_schema_program_parses_the_answer(
    simulator: Simulator, tmp_path: Path, api: str, fmt: str
) -> None:
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    for name, schema in (("Tree", EVERYTHING), ("Family", MUTUAL)):
        ws = Workspace(
            api=api,  # type: ignore[arg-type]
            messages=[Message(content="One, please")],
            output_format=OutputFormat(type="json_schema", name=name, json_schema=schema),
        )
        script = tmp_path / f"{name}.py"
        script.write_text(export(ws, fmt, profile, pydantic=True))  # type: ignore[arg-type]
        proc = run_program([sys.executable, str(script)], simulator)
        assert proc.returncode == 0, proc.stderr[-2000:]
        printed = proc.stdout
        if name == "Tree":
            assert "class_='example'" in printed and "Node_=Node(" in printed
        else:
            assert "person=Person(name='A" in printed and "kind='cat'" in printed
