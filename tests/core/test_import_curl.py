"""curl commands as people paste them: docs, Chrome's "Copy as cURL" for bash and cmd,
PowerShell, long options, --json; and Azure endpoints, which become a proposed profile."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from playground.core.export import export
from playground.core.import_sources import import_curl, import_text
from playground.core.importer import ImportRefused
from tests.core.renderings import chrome_posix, chrome_win

BODY = {
    "model": "gpt-4o",
    "messages": [{"role": "user", "content": 'It\'s 100% "quoted"\nand a \\ backslash ✓'}],
}
URL = "https://api.openai.com/v1/chat/completions"


def exported(text: str) -> dict:
    return json.loads(export(import_text(text).workspace, "json"))


def test_chrome_copy_as_curl_bash_with_ansi_c_quoting() -> None:
    data = json.dumps(BODY, separators=(",", ":"), ensure_ascii=False)
    assert chrome_posix(data).startswith("$'")  # the body has a quote: Chrome picks $'...'
    cmd = (
        f"curl {chrome_posix(URL)} \\\n"
        "  -H 'accept: */*' \\\n"
        "  -H 'accept-language: en-GB,en;q=0.9' \\\n"
        "  -H 'content-type: application/json' \\\n"
        '  -H \'sec-ch-ua: "Chromium";v="131"\' \\\n'
        f"  --data-raw {chrome_posix(data)} \\\n"
        "  --compressed"
    )
    result = import_text(cmd)
    assert json.loads(export(result.workspace, "json")) == BODY
    assert result.profile is None  # api.openai.com with browser headers only
    assert any(n.startswith("headers accept-language, sec-ch-ua:") for n in result.notes)


def test_chrome_copy_as_curl_cmd() -> None:
    data = json.dumps(BODY, separators=(",", ":"), ensure_ascii=False)
    cmd = (
        f"curl {chrome_win(URL)} ^\n"
        f"  -H {chrome_win('content-type: application/json')} ^\n"
        f"  --data-raw {chrome_win(data)} ^\n"
        "  --compressed"
    )
    assert '^\\^"' in cmd  # quotes inside the body are written ^\^"
    assert exported(cmd) == BODY


def test_bash_joins_and_double_quotes() -> None:
    cmd = (
        "curl https://api.openai.com/v1/responses -H 'Content-Type: application/json' "
        """-d '{"model": "gpt-4o", "input": "it'\\''s"}'"""
    )
    assert exported(cmd) == {"model": "gpt-4o", "input": "it's"}
    cmd = r'''curl https://x/v1/responses -d "{\"model\": \"gpt-4o\", \"input\": \"\$5\"}"'''
    assert exported(cmd) == {"model": "gpt-4o", "input": "$5"}


def test_powershell_backticks() -> None:
    cmd = (
        "curl.exe -X POST `\n"
        '  "https://api.openai.com/v1/responses" `\n'
        '  -H "Content-Type: application/json" `\n'
        """  -d '{"model": "gpt-4o", "input": "it''s"}'"""
    )
    assert exported(cmd) == {"model": "gpt-4o", "input": "it's"}


def test_json_option_implies_post_and_json_headers() -> None:
    cmd = (
        """curl -sS --json '{"model":"gpt-4o","input":"hi"}' https://api.openai.com/v1/responses"""
    )
    result = import_text(cmd)
    assert json.loads(export(result.workspace, "json")) == {"model": "gpt-4o", "input": "hi"}
    assert result.notes == []


@pytest.mark.parametrize(
    "options",
    [
        "--request POST --url {url} --header 'Content-Type: application/json' --data-raw {d}",
        "--location --compressed -sS {url} -X POST --header=Content-Type:application/json -d {d}",
        "{url} --data={d} -XPOST -L",
        "-d {d} {url} -X POST",
        "-sSL -H 'Content-Type: application/json' -d{d} {url}",
        "--no-progress-meter -N --url={url} --data-binary {d}",
    ],
)
def test_long_options_bundles_and_x_post_anywhere(options: str) -> None:
    d = """'{"model":"gpt-4o","input":"hi"}'"""
    cmd = "curl " + options.format(url="https://api.openai.com/v1/responses", d=d)
    result = import_text(cmd)
    assert json.loads(export(result.workspace, "json")) == {"model": "gpt-4o", "input": "hi"}
    assert result.notes == [], result.notes


def test_query_strings_go_to_the_proposed_profile() -> None:
    cmd = (
        "curl 'https://gateway.example.com/v1/chat/completions?tenant=a&debug=1' "
        """-H 'X-Route: blue' -d '{"model":"m","messages":[]}'"""
    )
    result = import_text(cmd)
    assert result.profile is not None
    assert result.profile.base_url == "https://gateway.example.com/v1"
    assert result.profile.query == {"tenant": "a", "debug": "1"}
    assert result.profile.headers == {"X-Route": "blue"}


@pytest.mark.parametrize(
    ("cmd", "reason"),
    [
        ("curl https://api.openai.com/v1/models", "sends no JSON body: it is a request to https"),
        (
            "curl -X GET https://api.openai.com/v1/responses/resp_1",
            "sends no JSON body: it is a GET request",
        ),
        (
            "curl https://api.openai.com/v1/files \\\n  -F purpose=batch -F file=@a.jsonl",
            "curl option -F sends multipart form data (a file upload), not a JSON request "
            "body (line 2, column 3)",
        ),
        (
            'curl https://x/v1/responses \\\n  -d \'{"model": "m"',
            "a '...' string is not closed (line 2, column 6)",
        ),
        (
            """curl https://x/v1/responses -d '{"input":"a"}' \\\n  --json '{"input":"b"}'""",
            "more than one body option (curl would join them); keep one -d or --json "
            "(line 2, column 3)",
        ),
        ("curl https://x/v1/responses -d @-", "standard input (@-)"),
        ("curl https://x/v1/responses -d", "curl option -d needs a value (line 1, column 29)"),
        (
            """curl https://x/v1/responses --data-urlencode 'q=1'""",
            "curl option --data-urlencode sends a URL-encoded form",
        ),
        (
            """curl https://x/v1/responses -d '{"input": }'""",
            "not valid JSON at line 1, column 11 of the body",
        ),
    ],
)
def test_what_cannot_be_taken_gets_one_located_reason(cmd: str, reason: str) -> None:
    with pytest.raises(ImportRefused, match=re.escape(reason)) as caught:
        import_text(cmd)
    assert "no request body" not in str(caught.value)


def test_body_files_are_read_except_with_data_raw(tmp_path: Path) -> None:
    body = tmp_path / "b.json"
    body.write_text('{"model": "m", "input": "from a file"}')
    assert exported(f"curl https://x/v1/responses --json @{body}")["input"] == "from a file"
    with pytest.raises(ImportRefused, match="cannot read the body file /nonexistent"):
        import_text("curl https://x/v1/responses -d @/nonexistent/b.json")
    with pytest.raises(ImportRefused, match="not valid JSON"):  # --data-raw takes @ literally
        import_text(f"curl https://x/v1/responses --data-raw @{body}")


# -- Azure OpenAI ------------------------------------------------------------------------------

KEY = "0123456789abcdef0123456789abcdef"


def test_azure_deployment_curl_proposes_an_azure_profile_without_the_key() -> None:
    cmd = (
        'curl "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions'
        '?api-version=2024-10-21" \\\n'
        '  -H "Content-Type: application/json" \\\n'
        f'  -H "api-key: {KEY}" \\\n'
        '  -H "OpenAI-Project: proj_9" -H "x-custom: 7" \\\n'
        """  -d '{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 20}'"""
    )
    result = import_curl(cmd)
    profile = result.profile
    assert profile is not None and profile.name == "Azure contoso"
    assert profile.base_url == "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod"
    assert profile.query == {"api-version": "2024-10-21"}
    assert profile.auth == "api-key" and profile.kind == "custom"
    assert profile.project == "proj_9" and profile.headers == {"x-custom": "7"}
    assert result.workspace.model == "gpt-4o-prod"
    assert "model: taken from the deployment gpt-4o-prod in the URL" in result.notes
    assert any(
        n.startswith("api-key: the key in the command was not imported") for n in result.notes
    )
    assert any("Providers" in n and "keyring" in n for n in result.notes)
    everything = result.workspace.to_json() + profile.model_dump_json() + "".join(result.notes)
    assert KEY not in everything


def test_azure_v1_curl() -> None:
    cmd = (
        "curl -X POST https://contoso.openai.azure.com/openai/v1/responses "
        f"-H 'Authorization: Bearer {KEY}' "
        """-d '{"model": "gpt-4.1", "input": "hi"}'"""
    )
    result = import_curl(cmd)
    assert result.profile is not None
    assert result.profile.base_url == "https://contoso.openai.azure.com/openai/v1"
    assert result.profile.name == "Azure contoso"  # never an "OpenAI" or generic profile
    assert result.profile.auth == "bearer" and result.profile.query == {}
    assert result.workspace.model == "gpt-4.1"
    assert KEY not in result.workspace.to_json() + result.profile.model_dump_json() + str(
        result.notes
    )


@pytest.mark.parametrize(
    "header",
    ["api-key", "x-api-key", "Ocp-Apim-Subscription-Key", "X-Auth-Token", "my-secret", "Cookie"],
)
def test_no_credential_header_is_ever_kept(header: str) -> None:
    cmd = (
        f"curl https://llm.example.com/v1/responses -H '{header}: {KEY}' -H 'X-Team: a' "
        """-d '{"model": "m", "input": "hi"}'"""
    )
    result = import_curl(cmd)
    assert result.profile is not None and result.profile.headers == {"X-Team": "a"}
    assert KEY not in result.workspace.to_json() + result.profile.model_dump_json() + str(
        result.notes
    )


def test_user_and_cookie_options_are_never_kept() -> None:
    cmd = (
        f"curl -u 'me:{KEY}' -b 'session={KEY}' https://llm.example.com/v1/responses "
        """-d '{"model": "m", "input": "hi"}'"""
    )
    result = import_curl(cmd)
    assert "-u (line 1, column 6): credentials in the command were not imported" in result.notes[0]
    assert KEY not in str(result.notes) + result.workspace.to_json()


def test_a_key_in_the_query_string_is_never_kept() -> None:
    cmd = (
        f"curl 'https://llm.example.com/v1/chat/completions?key={KEY}&region=eu' "
        """-d '{"model": "m", "messages": []}'"""
    )
    result = import_curl(cmd)
    assert result.profile is not None and result.profile.query == {"region": "eu"}
    assert any(
        n.startswith("URL query key: a key in the URL was not imported") for n in result.notes
    )
    assert KEY not in str(result.notes) + result.profile.model_dump_json()


def test_copy_all_as_curl_imports_the_first_command() -> None:
    first = (
        """curl 'https://api.openai.com/v1/responses' --data-raw '{"model":"a","input":"x;y"}'"""
    )
    second = """curl 'https://api.openai.com/v1/responses' --data-raw '{"model":"b","input":"z"}'"""
    result = import_text(f"{first} ;\n{second}")
    assert json.loads(export(result.workspace, "json")) == {"model": "a", "input": "x;y"}
    assert "; (line 1, column 85): the command ends here; only the first command is imported" in (
        result.notes
    )
