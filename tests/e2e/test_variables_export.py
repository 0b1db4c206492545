"""Exports of a workspace with variables: every form sends the filled request, and the Python
that keeps the template (a `variables` dict and the fill function written out) runs as is
against the simulator and sends the same body."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from playground.core import request
from playground.core.export import export
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, Workspace
from playground.services.simulator import Simulator
from tests.core.test_export import ruff_clean
from tests.e2e.test_cli import cli
from tests.e2e.test_export_parity import TOOLS_MODEL, WEATHER, run_program

LONG = "Describe the weather in {{ city }} on {{day}} for a traveller who packs light. " * 2


def _ws(api: str) -> Workspace:
    tool = WEATHER.model_copy(
        update={"description": "Weather for {{city}}", "mock_output": '{"temp_c": "{{temp}}"}'}
    )
    return Workspace(
        api=api,
        model=TOOLS_MODEL,
        instructions="You answer for \\{{city}} templates too.",
        messages=[Message(content=LONG)],
        tools=[tool],
        variables={"city": "Rome", "day": "Monday {{city}}", "temp": "21"},
    )


@pytest.mark.parametrize("api", ["responses", "chat"])
@pytest.mark.parametrize("fmt", ["python", "python-sync"])
def test_the_template_keeping_program_sends_the_filled_body(
    simulator: Simulator, tmp_path: Path, api: str, fmt: str
) -> None:
    ws = _ws(api)
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    code = export(ws, fmt, profile, keep_variables=True)  # type: ignore[arg-type]
    assert 'variables = {"city": "Rome"' in code and "def fill(" in code
    assert "{{ city }} on {{day}}" in code  # the template is kept
    script = tmp_path / "keep.py"
    script.write_text(code)
    proc = run_program([sys.executable, str(script)], simulator)
    assert proc.returncode == 0, proc.stderr[-2000:]
    sent = request.build(ws).body
    assert simulator.bodies() == [sent]
    assert "Rome on Monday {{city}} for" in str(sent)  # a value is never filled again
    assert "{{city}} templates" in str(sent)  # the escape


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_the_tool_loop_program_fills_the_mock_output(
    simulator: Simulator, tmp_path: Path, api: str
) -> None:
    ws = _ws(api)
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    script = tmp_path / "loop.py"
    script.write_text(export(ws, "python", profile, tool_loop=True, keep_variables=True))
    proc = run_program([sys.executable, str(script)], simulator)
    assert proc.returncode == 0, proc.stderr[-2000:]
    bodies = simulator.bodies()
    assert len(bodies) == 2
    assert '{"temp_c": "21"}' in str(bodies[1])  # the mock output, filled


def test_a_missing_value_stops_the_program_naming_it(simulator: Simulator, tmp_path: Path) -> None:
    ws = _ws("chat").model_copy(update={"variables": {"city": "Rome"}})
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    code = export(ws, "python-sync", profile, keep_variables=True)
    assert "# No value yet: day, temp." in code
    script = tmp_path / "missing.py"
    script.write_text(code)
    proc = run_program([sys.executable, str(script)], simulator)
    assert proc.returncode != 0 and "no value for the variable day" in proc.stderr
    assert simulator.bodies() == []


def test_every_form_shows_the_filled_request_and_the_programs_are_ruff_clean(
    tmp_path: Path,
) -> None:
    sources = {}
    for api in ("responses", "chat"):
        ws = _ws(api)
        for fmt in ("json", "curl", "python", "python-sync"):
            text = export(ws, fmt)  # type: ignore[arg-type]
            assert "{{ city }}" not in text and "Rome on Monday {{city}}" in text, fmt
        for fmt in ("python", "python-sync"):
            for loop in (False, True):
                key = f"{api}_{fmt}_{loop}".replace("-", "_")
                sources[key] = export(ws, fmt, tool_loop=loop, keep_variables=True)  # type: ignore[arg-type]
        plain = Workspace(api=api, messages=[Message(content="no variables")])
        assert export(plain, "python", keep_variables=True) == export(plain, "python")
    ruff_clean(tmp_path, sources)


def test_the_command_line_export_fills_or_keeps_the_variables(tmp_path: Path) -> None:
    path = tmp_path / "ws.json"
    path.write_text(_ws("chat").model_copy(update={"profile": "Offline simulator"}).to_json())
    body = cli("export", str(path), "--format", "json")
    assert body.returncode == 0, body.stderr
    assert "Rome on Monday {{city}}" in body.stdout
    kept = cli("export", str(path), "--format", "python", "--keep-variables")
    assert kept.returncode == 0, kept.stderr
    assert "{{ city }} on {{day}}" in kept.stdout and "def fill(" in kept.stdout
    curl = cli("export", str(path), "--format", "curl", "--keep-variables")
    assert "--keep-variables is for Python" in curl.stderr
