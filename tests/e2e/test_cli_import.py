"""`playground import` of pasted requests: a request sent elsewhere (Azure, another base URL)
proposes a provider profile as a note, `--add-profile` takes it, and the key is in no output
and no file."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.e2e.test_cli_keys import cli

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
    proc = cli(tmp_path, "import", str(src), "-o", str(out))  # its own settings folder
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


_NAMES = st.sampled_from(["Azure contoso", "Azure contoso (2)", "Imported (x)", "OpenAI", "Mine"])
_CONN = st.fixed_dictionaries(
    {
        "base_url": st.sampled_from([None, "https://a.example/v1", "https://b.example/v1"]),
        "query": st.sampled_from([{}, {"api-version": "2024-10-21"}, {"foo": "bar", "baz": "1"}]),
        "auth": st.sampled_from(["bearer", "api-key"]),
        "project": st.sampled_from([None, "proj_1"]),
    }
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_NAMES, _CONN), max_size=6), _NAMES, _CONN)
def test_a_proposal_reuses_its_twin_or_gets_a_free_name(
    stored: list[tuple[str, dict[str, object]]], name: str, conn: dict[str, object]
) -> None:
    from playground.core.import_profile import placement
    from playground.core.profiles import ProviderProfile

    profiles = [ProviderProfile(name=n, **c) for n, c in stored]  # type: ignore[arg-type]
    proposal = ProviderProfile(name=name, **conn)  # type: ignore[arg-type]
    chosen, new = placement(profiles, proposal)
    same = {k: getattr(chosen, k) for k in conn} == conn
    assert same  # the workspace always goes where the request went
    if new:
        assert chosen.name not in {p.name for p in profiles}
        assert chosen.name.startswith(name)
        again, added = placement([*profiles, chosen], proposal)
        assert (again, added) == (chosen, False)  # importing twice adds it once
    else:
        assert chosen in profiles
