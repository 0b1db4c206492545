"""`playground import` of pasted requests: an Azure curl command proposes a profile as a note,
and the key is in no output and no file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

KEY = "c0ffee00c0ffee00c0ffee00c0ffee00"


def test_azure_curl_import_prints_the_proposal_and_never_the_key(tmp_path: Path) -> None:
    src = tmp_path / "azure.sh"
    src.write_text(
        'curl "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/'
        'completions?api-version=2024-10-21" \\\n'
        f'  -H "api-key: {KEY}" -H "OpenAI-Project: proj_1" \\\n'
        """  --json '{"messages": [{"role": "user", "content": "hi"}]}'\n"""
    )
    out = tmp_path / "ws.json"
    proc = subprocess.run(
        [sys.executable, "-m", "playground", "import", str(src), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert (
        "note: proposed provider profile 'Azure contoso': base URL "
        "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod; query "
        "api-version=2024-10-21; the key in an api-key header; project proj_1." in proc.stderr
    )
    assert "note: api-key: the key in the command was not imported" in proc.stderr
    ws = json.loads(out.read_text())
    assert ws["model"] == "gpt-4o-prod" and ws["profile"] != "OpenAI"
    assert KEY not in proc.stdout + proc.stderr + out.read_text()


# -- --add-profile: the CLI's way to take the proposed profile --------------------------------

AZURE_CURL = (
    'curl "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/'
    'completions?api-version=2024-10-21" \\\n'
    f'  -H "api-key: {KEY}" \\\n'
    """  --json '{"messages": [{"role": "user", "content": "hi"}]}'\n"""
)
AZURE_SDK = f"""
from openai import AzureOpenAI
client = AzureOpenAI(
    azure_endpoint="https://fabrikam.openai.azure.com",
    api_key="{KEY}",
    api_version="2024-10-21",
)
client.chat.completions.create(model="gpt-4o-mini", messages=[{{"role": "user", "content": "hi"}}])
"""
OTHER_SDK = f"""
from openai import OpenAI
client = OpenAI(base_url="https://llm.example.com/v1", api_key="{KEY}")
client.responses.create(model="llama-3", input="hi")
"""
QUERY_CURL = (
    'curl "https://llm.example.com/v1/chat/completions?foo=bar&baz=1" '
    """--json '{"model": "llama-3", "messages": [{"role": "user", "content": "hi"}]}'\n"""
)


def _settings_path(home: Path) -> Path:
    return home / "xdg_config_home" / "playground" / "settings.json"


def _import(home: Path, text: str, *flags: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    from tests.e2e.test_cli_keys import cli

    src = home / "src.txt"
    src.write_text(text)
    out = home / "ws.json"
    out.unlink(missing_ok=True)
    return cli(home, "import", str(src), "-o", str(out), *flags), out


@pytest.mark.parametrize(
    ("text", "base_url", "query", "auth"),
    [
        (
            AZURE_CURL,
            "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod",
            {"api-version": "2024-10-21"},
            "api-key",
        ),
        (
            AZURE_SDK,
            "https://fabrikam.openai.azure.com/openai/deployments/gpt-4o-mini",
            {"api-version": "2024-10-21"},
            "api-key",
        ),
        (OTHER_SDK, "https://llm.example.com/v1", {}, "bearer"),
        (QUERY_CURL, "https://llm.example.com/v1", {"foo": "bar", "baz": "1"}, "bearer"),
    ],
)
def test_add_profile_adds_the_proposal_and_the_workspace_uses_it(
    tmp_path: Path, text: str, base_url: str, query: dict[str, str], auth: str
) -> None:
    from tests.e2e.test_cli_keys import cli

    proc, out = _import(tmp_path, text)
    assert proc.returncode == 0, proc.stderr
    assert "Re-run with --add-profile" in proc.stderr and "Paste in the window" in proc.stderr
    assert json.loads(out.read_text())["profile"] == "Offline simulator"
    assert not _settings_path(tmp_path).exists()  # nothing added without the flag

    proc, out = _import(tmp_path, text, "--add-profile")
    assert proc.returncode == 0, proc.stderr
    name = json.loads(out.read_text())["profile"]
    stored = json.loads(_settings_path(tmp_path).read_text())
    added = next(p for p in stored["profiles"] if p["name"] == name)
    assert (added["base_url"], added["query"], added["auth"]) == (base_url, query, auth)
    assert {"OpenAI", "Offline simulator"} <= {p["name"] for p in stored["profiles"]}
    assert f"added the provider profile '{name}'" in proc.stderr
    assert KEY not in _settings_path(tmp_path).read_text() + out.read_text() + proc.stderr

    # the export now goes where the request went, not to api.openai.com
    exported = cli(tmp_path, "export", str(out), "--format", "curl")
    assert exported.returncode == 0
    assert base_url in exported.stdout and "api.openai.com" not in exported.stdout
    for k, v in query.items():
        assert f"{k}={v}" in exported.stdout

    # the same import again reuses the profile: no second copy
    again, out = _import(tmp_path, text, "--add-profile")
    assert again.returncode == 0
    assert json.loads(out.read_text())["profile"] == name
    assert json.loads(_settings_path(tmp_path).read_text()) == stored


def test_a_same_named_different_profile_is_kept_and_the_proposal_gets_a_new_name(
    tmp_path: Path,
) -> None:
    path = _settings_path(tmp_path)
    path.parent.mkdir(parents=True)
    mine = {"name": "Azure contoso", "base_url": "https://contoso.example/v1", "auth": "bearer"}
    path.write_text(json.dumps({"schema_version": 1, "profiles": [mine]}))
    proc, out = _import(tmp_path, AZURE_CURL, "--add-profile")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["profile"] == "Azure contoso (2)"
    profiles = {p["name"]: p for p in json.loads(path.read_text())["profiles"]}
    assert profiles["Azure contoso"]["base_url"] == "https://contoso.example/v1"
    assert profiles["Azure contoso (2)"]["auth"] == "api-key"


@pytest.mark.parametrize(
    "text",
    [
        '{"schema_version": 99, "profiles": [{"name": "Mine"}]}',
        '{"schema_version": 1, "profiles": [{"name": "Mine", "timeout": "soon"}]}',
    ],
)
def test_add_profile_never_overwrites_a_settings_file_it_cannot_use(
    tmp_path: Path, text: str
) -> None:
    path = _settings_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(text)
    proc, out = _import(tmp_path, AZURE_CURL, "--add-profile")
    assert proc.returncode == 2
    assert path.read_text() == text
    assert not out.exists()
    assert proc.stderr.count(str(path)) >= 1
    assert proc.stderr.splitlines()[-1].startswith(
        "the provider profile 'Azure contoso' was not added: "
    )
