"""Python snippets in every call form of the SDK, and Azure clients, imported without running."""

from __future__ import annotations

import json

import pytest

from playground.core.export import export
from playground.core.import_sources import import_python

WANT = {"model": "gpt-4.1", "input": "hi", "temperature": 0.2}


def exported(code: str) -> dict:
    return json.loads(export(import_python(code).workspace, "json"))


@pytest.mark.parametrize(
    "code",
    [
        "r = client.responses.with_raw_response.create(model='gpt-4.1', input='hi', "
        "temperature=0.2)",
        "with client.responses.with_streaming_response.create(model='gpt-4.1', input='hi', "
        "temperature=0.2) as r:\n    pass",
        "oai = OpenAI()\n"
        "response = oai.responses.create(model='gpt-4.1', input='hi', temperature=0.2)",
        "from openai import AsyncOpenAI\n\nclient = AsyncOpenAI()\n\n\nasync def main():\n"
        "    response = await client.responses.create(\n"
        "        model='gpt-4.1', input='hi', temperature=0.2\n    )\n",
        "params = {'model': 'gpt-4.1', 'input': 'hi', 'temperature': 0.2}\n"
        "client.responses.create(**params)",
        "params = dict(model='gpt-4.1', input='hi')\n"
        "client.responses.create(**params, temperature=0.2)",
        "client.responses.create(**{'model': 'gpt-4.1', 'temperature': 0.2}, input='hi')",
        "MODEL = 'gpt-4.1'\nT = 0.2\nargs = dict(model=MODEL, temperature=T)\n"
        "client.responses.create(input='hi', **args)",
    ],
)
def test_call_forms(code: str) -> None:
    result = import_python(code)
    assert json.loads(export(result.workspace, "json")) == WANT
    assert result.notes == []


def test_stream_and_parse_forms() -> None:
    code = (
        "async def main():\n"
        "    async with client.responses.stream(model='gpt-4.1', input='hi') as stream:\n"
        "        async for event in stream:\n            pass\n"
    )
    assert exported(code) == {"model": "gpt-4.1", "input": "hi", "stream": True}
    code = (
        "completion = client.beta.chat.completions.parse(model='gpt-4o', "
        "messages=[{'role': 'user', 'content': 'hi'}], response_format=Event)"
    )
    result = import_python(code)
    assert json.loads(export(result.workspace, "json"))["messages"] == [
        {"role": "user", "content": "hi"}
    ]
    assert any(n.startswith("response_format=Event is a Python class") for n in result.notes)
    code = "client.chat.completions.with_raw_response.create(model='m', messages=[])"
    assert exported(code) == {"model": "m", "messages": []}


def test_arguments_written_with_json_dumps() -> None:
    code = (
        "import json\nclient.chat.completions.create(model='m', messages=[\n"
        "  {'role': 'user', 'content': 'w?'},\n"
        "  {'role': 'assistant', 'tool_calls': [{'id': 'c1', 'type': 'function', 'function': "
        "{'name': 'f', 'arguments': json.dumps({'city': 'Paris'})}}]},\n"
        "  {'role': 'tool', 'tool_call_id': 'c1', 'content': 'sunny'}])"
    )
    body = exported(code)
    assert body["messages"][1]["tool_calls"][0]["function"]["arguments"] == '{"city": "Paris"}'


def test_a_spread_that_needs_running_is_named() -> None:
    result = import_python("client.responses.create(model='m', input='x', **make())")
    assert "responses.create: **make() cannot be read without running the code; not imported" in (
        result.notes
    )


KEY = "azure-key-0123456789"


@pytest.mark.parametrize("cls", ["AzureOpenAI", "AsyncAzureOpenAI"])
def test_azure_client_with_a_deployment(cls: str) -> None:
    code = (
        f"from openai import {cls}\n"
        f"client = {cls}(\n"
        "    azure_endpoint='https://contoso.openai.azure.com/',\n"
        "    api_version='2024-10-21',\n"
        "    azure_deployment='gpt-4o-prod',\n"
        f"    api_key='{KEY}',\n"
        "    default_headers={'x-custom': '1', 'api-key': 'x" + KEY + "'},\n"
        ")\n"
        "client.chat.completions.create(messages=[{'role': 'user', 'content': 'hi'}])\n"
    )
    result = import_python(code)
    profile = result.profile
    assert profile is not None and profile.name == "Azure contoso"
    assert profile.base_url == "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod"
    assert profile.query == {"api-version": "2024-10-21"} and profile.auth == "api-key"
    assert profile.headers == {"x-custom": "1"}
    assert result.workspace.model == "gpt-4o-prod"
    assert any(n.startswith("api_key: the key in the code was not imported") for n in result.notes)
    assert KEY not in result.workspace.to_json() + profile.model_dump_json() + str(result.notes)


def test_azure_client_without_a_deployment_sends_chat_to_the_model_deployment() -> None:
    code = (
        "client = AzureOpenAI(azure_endpoint='https://contoso.openai.azure.com', "
        "api_version='2025-01-01-preview', api_key=os.environ['AZURE_OPENAI_API_KEY'])\n"
        "client.chat.completions.create(model='mini', messages=[{'role': 'user', 'content': 'x'}])"
    )
    result = import_python(code)
    assert result.profile is not None
    assert result.profile.base_url == "https://contoso.openai.azure.com/openai/deployments/mini"
    assert not any("api_key" in n for n in result.notes)  # read from the environment: no key here


def test_openai_client_with_an_azure_base_url() -> None:
    code = (
        "client = OpenAI(base_url='https://contoso.openai.azure.com/openai/v1/', "
        f"api_key='{KEY}')\nclient.responses.create(model='gpt-4.1', input='hi')"
    )
    result = import_python(code)
    assert result.profile is not None
    assert result.profile.base_url == "https://contoso.openai.azure.com/openai/v1"
    assert result.profile.auth == "api-key" and result.profile.name == "Azure contoso"
    assert KEY not in str(result.notes) + result.profile.model_dump_json()


def test_a_list_changed_after_its_literal_is_not_taken_as_the_literal() -> None:
    code = (
        "messages = []\nmessages.append({'role': 'user', 'content': question})\n"
        "client.chat.completions.create(model='m', messages=messages)"
    )
    assert "messages=messages is not a literal value; not imported" in import_python(code).notes


def test_other_copy_formats_are_refused_with_a_reason() -> None:
    from playground.core.import_sources import import_text
    from playground.core.importer import ImportRefused

    ps = (
        "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\n"
        'Invoke-WebRequest -UseBasicParsing -Uri "https://api.openai.com/v1/responses"'
    )
    with pytest.raises(ImportRefused, match=r"PowerShell web session script is not read here"):
        import_text(ps)
    with pytest.raises(ImportRefused, match=r"JavaScript fetch\(\.\.\.\) call is not read here"):
        import_text('fetch("https://api.openai.com/v1/responses", {method: "POST"})')
