"""Import from what users paste: a JSON body, a curl command, or Python that calls the SDK.

curl is read by `curl_import` (shell quoting by `shell_words`), Python by `python_import`;
where the request went becomes a proposed provider profile (`import_profile`), never a key.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from typing import Any

from playground.core import curl_import, import_profile
from playground.core.importer import ImportRefused, ImportResult, from_body
from playground.core.python_import import import_python

FileReader = Callable[[str], str]
__all__ = ["import_curl", "import_json", "import_python", "import_text"]


def import_text(text: str, read_file: FileReader | None = None) -> ImportResult:
    """Detect the kind of `text` (JSON, curl, Python) and import it."""
    stripped = text.strip()
    if not stripped:
        raise ImportRefused("nothing to import: the text is empty")
    if stripped.startswith("{"):
        return import_json(stripped)
    if stripped.startswith(("curl", "$ curl", "curl.exe")):
        return import_curl(stripped, read_file)
    first = stripped.split(None, 1)[0]
    if first in _OTHER_FORMS or stripped.startswith(("fetch(", "await fetch(")):
        what = _OTHER_FORMS.get(first, "a JavaScript fetch(...) call")
        raise ImportRefused(
            f"{what} is not read here (line 1, column 1); copy the request as cURL "
            "(bash or cmd), as its JSON body, or as Python"
        )
    if not _looks_like_python(stripped):
        raise ImportRefused(
            "this text is not a request: paste a curl command, the request's JSON body, or "
            "Python that calls client.chat.completions.create(...) or client.responses.create(...)"
        )
    return import_python(text)


_PYTHON_SIGNS = ("openai", "OpenAI(", ".create(", ".stream(", ".parse(", "import ")


def _looks_like_python(text: str) -> bool:
    """Python, or text meant as Python (it names the SDK or calls it) whose syntax error is
    worth naming; prose and other text is not."""
    try:
        ast.parse(text)
    except SyntaxError:
        return any(sign in text for sign in _PYTHON_SIGNS)
    return True


_OTHER_FORMS = {
    "Invoke-WebRequest": "a PowerShell Invoke-WebRequest command",
    "Invoke-RestMethod": "a PowerShell Invoke-RestMethod command",
    "$session": "a PowerShell web session script",
    "wget": "a wget command",
}


def import_json(text: str) -> ImportResult:
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    return from_body(body)


# -- curl -------------------------------------------------------------------------------------


def import_curl(text: str, read_file: FileReader | None = None) -> ImportResult:
    """A curl command as copied from docs, a browser's developer tools (bash or cmd) or a shell.

    Raises ImportRefused with one reason that names what and where (line and column).
    """
    try:
        cmd = curl_import.parse(text, read_file)
    except curl_import.CurlRefused as exc:
        raise ImportRefused(str(exc)) from None
    assert cmd.body is not None
    try:
        body = json.loads(cmd.body)
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            f"the request body is not valid JSON at line {exc.lineno}, column {exc.colno} "
            f"of the body: {exc.msg}"
        ) from None
    endpoint = import_profile.from_request(cmd.url, cmd.headers)
    notes = cmd.notes + endpoint.notes
    notes += [
        f"{c}: credentials in the command were not imported; {import_profile.KEY_NOTE}"
        for c in cmd.credentials
    ]
    result = from_body(_with_deployment(body, endpoint, notes), _api(body, endpoint))
    result.kind = "curl"
    result.notes = notes + result.notes
    result.profile = endpoint.profile
    return result


def _api(body: Any, endpoint: import_profile.Endpoint) -> str | None:
    if endpoint.api is None or not isinstance(body, dict):
        return None
    return endpoint.api


def _with_deployment(body: Any, endpoint: import_profile.Endpoint, notes: list[str]) -> Any:
    """An Azure deployment URL names the model when the body does not."""
    if endpoint.deployment and isinstance(body, dict) and not body.get("model"):
        notes.append(f"model: taken from the deployment {endpoint.deployment} in the URL")
        return {"model": endpoint.deployment, **body}
    return body
