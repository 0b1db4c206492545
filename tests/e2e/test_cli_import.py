"""`playground import` of pasted requests: an Azure curl command proposes a profile as a note,
and the key is in no output and no file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
