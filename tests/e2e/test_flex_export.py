"""Flex in exported code: the Python, curl and JSON carry service_tier "flex", the exported
Python sets the flex guide's 15-minute timeout (seen at the server as the SDK's
x-stainless-read-timeout header), and each imports back to a flex workspace."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from playground.core import request
from playground.core.export import export
from playground.core.import_sources import import_text
from playground.core.profiles import ProviderProfile
from playground.core.service_tiers import FLEX_TIMEOUT_S
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.simulator import Simulator
from tests.e2e.test_export_parity import run_program


def _flex(api: str) -> Workspace:
    return Workspace(
        api=api,  # type: ignore[arg-type]
        model="gpt-6-luna",
        messages=[Message(content="Tag these reviews; no hurry.")],
        params=Parameters(service_tier="flex"),
    )


@pytest.mark.parametrize("api", ["responses", "chat"])
@pytest.mark.parametrize("fmt", ["python", "python-sync", "curl"])
def test_an_exported_flex_request_runs_as_the_app_sends_it(
    simulator: Simulator, tmp_path: Path, api: str, fmt: str
) -> None:
    if fmt == "curl" and shutil.which("curl") is None:
        pytest.fail("curl is not installed (.ci/run installs it)")
    ws = _flex(api)
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    code = export(ws, fmt, profile)  # type: ignore[arg-type]
    if fmt == "curl":
        proc = run_program(["bash", "-c", code.replace("\\\n", " ")], simulator)
    else:
        script = tmp_path / "flex.py"
        script.write_text(code)
        proc = run_program([sys.executable, str(script)], simulator)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert simulator.bodies() == [request.build(ws).body]
    assert simulator.bodies()[0]["service_tier"] == "flex"
    if fmt != "curl":  # the program's client waits the flex guide's 15 minutes
        sent = simulator.requests[-1].headers["x-stainless-read-timeout"]
        assert float(sent) == FLEX_TIMEOUT_S
    back = import_text(code).workspace
    assert back.params.service_tier == "flex" and back.api == api


def test_other_tiers_export_no_timeout_and_a_longer_profile_timeout_is_kept() -> None:
    ws = _flex("responses")
    plain = ws.model_copy(update={"params": Parameters(service_tier="default")})
    assert "timeout" not in export(plain, "python")
    assert f"timeout={FLEX_TIMEOUT_S!r}" in export(ws, "python")
    patient = ProviderProfile(name="slow", timeout=1800.0)
    assert "timeout=1800.0" in export(ws, "python", patient)


def test_json_carries_the_tier_and_imports_it_back() -> None:
    ws = _flex("chat")
    back = import_text(export(ws, "json")).workspace
    assert back.params.service_tier == "flex"


def test_compare_and_eval_programs_give_a_flex_variants_client_the_longer_timeout() -> None:
    from playground.core.codegen_compare import compare_python
    from playground.core.codegen_eval import eval_python
    from playground.core.evaluation_spec import TestRow
    from playground.core.variants import Variant

    ws = _flex("responses").model_copy(update={"params": Parameters()})
    flex = [Variant(key="std", overrides={}), Variant(key="flex", overrides={})]
    flex_ws = _flex("responses")
    assert f"timeout={FLEX_TIMEOUT_S!r}" not in compare_python(ws, flex)
    assert f"timeout={FLEX_TIMEOUT_S!r}" in compare_python(flex_ws, flex)
    rows = [TestRow(id="r1", values={})]
    assert f"timeout={FLEX_TIMEOUT_S!r}" not in eval_python(ws, [], rows, [])
    assert f"timeout={FLEX_TIMEOUT_S!r}" in eval_python(flex_ws, [], rows, [])
