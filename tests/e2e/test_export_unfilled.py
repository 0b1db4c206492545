"""`playground export` of a request whose {{variables}} have no value: every format refuses
(exit 2, the variable named on stderr, nothing on stdout), as `playground run` refuses to
send it; --keep-variables (Python), where the template is the point, exports it. The
window's Code tab says the same in its hint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground import cli

BASE: dict[str, Any] = {
    "schema_version": 3,
    "api": "chat",
    "model": "gpt-4o-mini",
    "profile": "Offline simulator",
    "messages": [{"role": "user", "content": "Convert 10 {{co}} to {{to}}"}],
    "variables": {"to": "EUR"},
}
SINGLE = ["json", "python", "python-sync", "curl"]


def write(tmp_path: Path, **extra: Any) -> Path:
    path = tmp_path / "ws.json"
    path.write_text(json.dumps({**BASE, **extra}))
    return path


def export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["export", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("fmt", SINGLE)
def test_a_request_with_an_unfilled_variable_is_not_exported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, said = export(capsys, str(write(tmp_path)), "--format", fmt)
    assert code == 2 and out == ""
    assert "{{co}} has no value" in said and "nothing exported" in said
    assert "{{to}}" not in said  # the variable with a value is not named
    filled = write(tmp_path, variables={"to": "EUR", "co": "USD"})
    code, out, said = export(capsys, str(filled), "--format", fmt)
    assert code == 0 and "10 USD to EUR" in out and "{{" not in out, said


@pytest.mark.parametrize("fmt", ["python", "python-sync"])
def test_keep_variables_exports_the_template_without_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, said = export(capsys, str(write(tmp_path)), "--format", fmt, "--keep-variables")
    assert code == 0 and "{{co}}" in out and "def fill(" in out
    assert "has no value" not in said


def test_keep_variables_does_not_let_json_or_curl_export_a_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("json", "curl"):
        code, out, said = export(capsys, str(write(tmp_path)), "--format", fmt, "--keep-variables")
        assert code == 2 and out == "" and "--keep-variables is for Python" in said


def test_compare_python_refuses_a_variant_with_an_unfilled_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    variants = [
        {"key": "a", "overrides": {"variables": {"to": "EUR", "co": "USD"}}},
        {"key": "b", "overrides": {"model": "gpt-4.1"}},
    ]
    code, out, said = export(
        capsys, str(write(tmp_path, variants=variants)), "--format", "compare-python"
    )
    assert code == 2 and out == ""
    assert "[b] " in said and "{{co}} has no value" in said and "[a] error" not in said


def rows(*values: dict[str, str]) -> dict[str, Any]:
    return {
        "columns": ["co"],
        "rows": [{"id": f"r{i}", "values": v} for i, v in enumerate(values)],
    }


@pytest.mark.parametrize("fmt", ["eval-python", "batch"])
def test_a_row_without_a_value_refuses_the_row_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    ws = write(tmp_path, test_set=rows({"co": "USD"}, {}))
    code, out, said = export(capsys, str(ws), "--format", fmt)
    assert code == 2 and out == ""
    assert "row r1" in said and "{{co}}" in said
    ws = write(tmp_path, test_set=rows({"co": "USD"}, {"co": "GBP"}))
    code, out, said = export(capsys, str(ws), "--format", fmt)
    assert code == 0 and out, said


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    used=st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, unique=True),
    given_=st.sets(st.sampled_from(["a", "b", "c", "d"])),
    fmt=st.sampled_from(SINGLE),
)
def test_export_succeeds_exactly_when_every_used_variable_has_a_value(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    used: list[str],
    given_: set[str],
    fmt: str,
) -> None:
    text = " ".join("{{" + n + "}}" for n in used)
    ws = write(
        tmp_path,
        messages=[{"role": "user", "content": text}],
        variables={n: f"v-{n}" for n in given_},
    )
    code, out, said = export(capsys, str(ws), "--format", fmt)
    missing = [n for n in used if n not in given_]
    if missing:
        assert code == 2 and out == ""
        assert all("{{" + n + "}} has no value" in said for n in missing)
    else:
        assert code == 0 and "{{" not in out
