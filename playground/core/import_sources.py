"""Import from what users paste: a JSON body, a curl command, or Python that calls the SDK.

Python is read with `ast` and never executed: only literal arguments (and names assigned a
literal earlier in the snippet) are taken; everything else gets a note naming it.
"""

from __future__ import annotations

import ast
import contextlib
import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playground.core.api_keys import CHAT_KEYS, RESPONSES_KEYS
from playground.core.importer import ImportRefused, ImportResult, from_body
from playground.core.profiles import DEFAULT_BASE_URL, ProviderProfile

FileReader = Callable[[str], str]
_LITERAL_ERRORS = (ValueError, TypeError, SyntaxError, MemoryError, RecursionError)


def import_text(text: str, read_file: FileReader | None = None) -> ImportResult:
    """Detect the kind of `text` (JSON, curl, Python) and import it."""
    stripped = text.strip()
    if not stripped:
        raise ImportRefused("nothing to import: the text is empty")
    if stripped.startswith("{"):
        return import_json(stripped)
    if stripped.startswith("curl") or stripped.startswith("$ curl"):
        return import_curl(stripped.removeprefix("$ "), read_file)
    return import_python(text)


def import_json(text: str) -> ImportResult:
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    return from_body(body)


# -- curl -------------------------------------------------------------------------------------

_DATA = ("-d", "--data", "--data-raw", "--data-binary", "--data-ascii")
_HEADER = ("-H", "--header")
_SKIP_VALUE = (
    "-X",
    "--request",
    "-o",
    "--output",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-w",
    "--write-out",
    "-u",
    "--user",
    "-A",
    "--user-agent",
)
_SKIP_FLAG = (
    "-N",
    "--no-buffer",
    "-s",
    "--silent",
    "-S",
    "--show-error",
    "-v",
    "--verbose",
    "-i",
    "--include",
    "-L",
    "--location",
    "--compressed",
    "-f",
    "--fail",
    "-k",
    "--insecure",
    "-sS",
    "-sN",
    "-Ns",
)


def _read_default(path: str) -> str:
    return Path(path).expanduser().read_text(encoding="utf-8")


def import_curl(text: str, read_file: FileReader | None = None) -> ImportResult:
    """A curl command as copied from docs or a browser's developer tools."""
    joined = text.replace("\\\r\n", " ").replace("\\\n", " ")
    try:
        tokens = shlex.split(joined)
    except ValueError as exc:
        raise ImportRefused(f"the curl command cannot be read: {exc}") from None
    url, data, headers, notes = None, None, {}, []
    i = 1
    while i < len(tokens):
        tok = tokens[i]
        value = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok in _DATA or tok.startswith("--data"):
            data = value
            i += 2
        elif tok in _HEADER:
            if value and ":" in value:
                k, v = value.split(":", 1)
                headers[k.strip()] = v.strip()
            i += 2
        elif tok == "--url":
            url = value
            i += 2
        elif tok in _SKIP_VALUE:
            i += 2
        elif tok in _SKIP_FLAG:
            i += 1
        elif tok.startswith("-"):
            notes.append(f"curl option {tok} is not understood; ignored")
            i += 1
        else:
            url = url or tok
            i += 1
    if data is None:
        raise ImportRefused("the curl command has no request body (-d / --data)")
    if data.startswith("@"):
        if data == "@-":
            raise ImportRefused("the body comes from standard input (@-); paste the JSON instead")
        try:
            data = (read_file or _read_default)(data[1:])
        except OSError as exc:
            raise ImportRefused(f"cannot read the body file {data[1:]}: {exc}") from None
    result = import_json(data)
    result.kind = "curl"
    result.notes = notes + result.notes
    result.profile = _curl_profile(url, headers, result)
    return result


def _curl_profile(
    url: str | None, headers: dict[str, str], result: ImportResult
) -> ProviderProfile | None:
    extra: dict[str, str] = {}
    org = project = None
    for key, value in headers.items():
        low = key.lower()
        if low == "authorization":
            if "$" not in value:
                result.notes.append(
                    "Authorization: the key in the command was not imported; "
                    "store it under Providers (it lives in the OS keyring)"
                )
        elif low == "openai-organization":
            org = value
        elif low == "openai-project":
            project = value
        elif low not in ("content-type", "accept"):
            extra[key] = value
    base = None
    if url:
        for suffix in ("/chat/completions", "/responses"):
            if url.rstrip("/").endswith(suffix):
                base = url.rstrip("/")[: -len(suffix)]
        if base is None:
            result.notes.append(f"URL {url} is not a /responses or /chat/completions endpoint")
    if base in (None, DEFAULT_BASE_URL) and not (org or project or extra):
        return None
    return ProviderProfile(
        name="Imported",
        base_url=None if base == DEFAULT_BASE_URL else base,
        organization=org,
        project=project,
        headers=extra,
    )


# -- Python -----------------------------------------------------------------------------------

_METHODS = {("chat", "completions"): "chat", ("responses",): "responses"}
_CLIENT_ONLY = {
    "timeout": "timeout is a client option, not part of the request",
    "extra_headers": "extra_headers are sent as HTTP headers, not in the body",
    "extra_query": "extra_query goes into the URL, not the body",
}
_RENAMES = {
    "responses": {
        "max_tokens": "max_output_tokens",
        "max_completion_tokens": "max_output_tokens",
        "messages": "input",
    },
    "chat": {"max_output_tokens": "max_completion_tokens", "input": "messages"},
}


def _target(node: ast.Call) -> tuple[str, str] | None:
    """(api, method) when `node` calls client.chat.completions.X or client.responses.X."""
    func = node.func
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.insert(0, func.attr)
        func = func.value
    if len(parts) < 2 or parts[-1] not in ("create", "stream", "parse"):
        return None
    path = tuple(p for p in parts[:-1] if p != "beta")
    for suffix, api in _METHODS.items():
        if path[-len(suffix) :] == suffix:
            return api, parts[-1]
    return None


def import_python(text: str) -> ImportResult:
    """The first SDK request call in a snippet (create, stream or parse), read as literals."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise ImportRefused(
            f"not valid Python at line {exc.lineno}, column {exc.offset}: {exc.msg}"
        ) from None
    names: dict[str, Any] = {}
    calls: list[tuple[ast.Call, str, str]] = []
    client_kwargs: dict[str, Any] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            with contextlib.suppress(*_LITERAL_ERRORS):
                names[node.targets[0].id] = ast.literal_eval(node.value)
        if isinstance(node, ast.Call):
            target = _target(node)
            if target:
                calls.append((node, *target))
            elif isinstance(node.func, ast.Name) and node.func.id in ("OpenAI", "AsyncOpenAI"):
                client_kwargs = {k.arg: k.value for k in node.keywords if k.arg}
    if not calls:
        raise ImportRefused(
            "no client.chat.completions.create(...) or client.responses."
            "create(...) call (or .stream / .parse) was found"
        )
    calls.sort(key=lambda c: (c[0].lineno, c[0].col_offset))
    call, api, method = calls[0]
    notes = (
        [f"{len(calls)} request calls found; imported the first (line {call.lineno})"]
        if len(calls) > 1
        else []
    )
    body = _call_body(call, api, method, names, notes)
    result = from_body(body, api)
    result.kind = "python"
    result.notes = notes + result.notes
    result.profile = _python_profile(client_kwargs, result.notes)
    return result


def _value(
    node: ast.expr, names: dict[str, Any], key: str = "", notes: list[str] | None = None
) -> Any:
    """A literal (or a name bound to one); a list keeps its literal elements, noting the rest."""
    try:
        return ast.literal_eval(node)
    except _LITERAL_ERRORS:
        pass
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.List) and notes is not None:
        kept = []
        for i, element in enumerate(node.elts):
            try:
                kept.append(_value(element, names))
            except ValueError:
                notes.append(
                    f"{key}[{i}]: {ast.unparse(element)} is not a literal value; not imported"
                )
        return kept
    raise ValueError(ast.unparse(node))


def _call_body(
    call: ast.Call, api: str, method: str, names: dict[str, Any], notes: list[str]
) -> dict[str, Any]:
    label = f"{'chat.completions' if api == 'chat' else 'responses'}.{method}"
    allowed = CHAT_KEYS if api == "chat" else RESPONSES_KEYS
    body: dict[str, Any] = {}
    if call.args:
        notes.append(f"{label}: positional arguments are not understood; not imported")
    for kw in call.keywords:
        if kw.arg is None:
            notes.append(
                f"{label}: **{ast.unparse(kw.value)} cannot be read without running "
                "the code; not imported"
            )
            continue
        key = kw.arg
        if key in _CLIENT_ONLY:
            notes.append(f"{key}: {_CLIENT_ONLY[key]}; not imported")
            continue
        if (
            key in ("text_format", "response_format")
            and method == "parse"
            and isinstance(kw.value, ast.Name | ast.Attribute)
        ):
            notes.append(
                f"{key}={ast.unparse(kw.value)} is a Python class; its schema cannot "
                "be read without running the code. Define it under Output format."
            )
            continue
        try:
            value = _value(kw.value, names, kw.arg, notes)
        except ValueError as exc:
            notes.append(f"{key}={exc} is not a literal value; not imported")
            continue
        if key == "extra_body" and isinstance(value, dict):
            body.update(value)
            continue
        if key not in allowed:
            new = _RENAMES[api].get(key)
            if new:
                notes.append(f"{key} is not a parameter of {label}; imported as {new}")
                key = new
            else:
                notes.append(f"{key} is not a parameter of {label}; not imported")
                continue
        body[key] = value
    if method == "stream":
        body["stream"] = True
    return body


def _python_profile(kwargs: dict[str, ast.expr], notes: list[str]) -> ProviderProfile | None:
    fields: dict[str, Any] = {}
    for key, target in (
        ("base_url", "base_url"),
        ("organization", "organization"),
        ("project", "project"),
        ("default_headers", "headers"),
    ):
        if key in kwargs:
            try:
                fields[target] = ast.literal_eval(kwargs[key])
            except (ValueError, TypeError, SyntaxError):
                notes.append(f"client {key} is not a literal value; not imported")
    if "api_key" in kwargs and isinstance(kwargs["api_key"], ast.Constant):
        notes.append("api_key: the key in the code was not imported; store it under Providers")
    if not fields:
        return None
    try:
        return ProviderProfile(name="Imported", **fields)
    except ValueError:
        notes.append("the client settings could not be read; not imported")
        return None
