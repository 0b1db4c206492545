"""Import the first SDK request call of a Python snippet, read with `ast` and never executed.

The call forms of openai-python (`resources/chat/completions`, `resources/responses`, the
`with_raw_response` / `with_streaming_response` wrappers and `beta.chat.completions.parse`,
checked 2026-11-30): `X.chat.completions.create|stream|parse(...)` and
`X.responses.create|stream|parse(...)` on a client of any name, awaited or not, inside `with`
or `async with`. Only literal values are taken: literals, `dict(k=literal)`, `json.dumps(literal)`,
names assigned such a value earlier, and `**name` when `name` is such a dict. Everything else
gets a note naming it.
"""

from __future__ import annotations

import ast
import json
from typing import Any

from playground.core import import_profile
from playground.core.api_keys import CHAT_KEYS, RESPONSES_KEYS
from playground.core.importer import ImportRefused, ImportResult, from_body
from playground.core.mcp_tools import placeholder
from playground.core.profiles import is_credential_header

_LITERAL_ERRORS = (ValueError, TypeError, SyntaxError, MemoryError, RecursionError)
_METHODS = {("chat", "completions"): "chat", ("responses",): "responses"}
_WRAPPERS = frozenset({"beta", "with_raw_response", "with_streaming_response"})
_CLIENTS = frozenset({"OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI"})
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
_CREDENTIAL_ARGS = ("api_key", "azure_ad_token")
_MUTATORS = frozenset(
    {"append", "extend", "insert", "update", "pop", "remove", "clear", "setdefault"}
)


class NotLiteral(ValueError):
    """A value that cannot be known without running the code; the message is its source."""


class EnvRead(str):
    """`os.environ["NAME"]`, `os.environ.get("NAME")` or `os.getenv("NAME")`: a value the
    program reads from its environment. Its text is `$NAME`; `.var` is NAME."""

    var: str

    def __new__(cls, var: str) -> EnvRead:
        read = super().__new__(cls, f"${var}")
        read.var = var
        return read


def _env_read(node: ast.expr) -> EnvRead | None:
    if (
        isinstance(node, ast.Subscript)
        and _is(node.value, "os.environ")
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    ):
        return EnvRead(node.slice.value)
    if (
        isinstance(node, ast.Call)
        and ast.unparse(node.func) in ("os.environ.get", "os.getenv")
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return EnvRead(node.args[0].value)
    return None


def _env_reads(value: Any, path: str, notes: list[str]) -> Any:
    """`value` without the environment reads in it, each noted; the header of an `mcp` tool
    that reads a credential (exported code's `MCP_...` variables) becomes its keyring
    placeholder, so the server is kept and its secret is filled from the keyring."""
    if isinstance(value, list):
        return [_env_reads(v, f"{path}[{i}]", notes) for i, v in enumerate(value)]
    if not isinstance(value, dict):
        return value
    out: dict[Any, Any] = {}
    mcp_label = str(value.get("server_label", "")) if value.get("type") == "mcp" else None
    for k, v in value.items():
        where = f"{path}.{k}" if path else str(k)
        if k == "headers" and mcp_label is not None and isinstance(v, dict):
            out[k] = _mcp_headers(v, mcp_label, where, notes)
        elif isinstance(v, EnvRead):
            notes.append(f"{where}: read from the environment variable {v.var}; not imported")
        else:
            out[k] = _env_reads(v, where, notes)
    return out


def _mcp_headers(
    headers: dict[Any, Any], label: str, path: str, notes: list[str]
) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for name, v in headers.items():
        if not isinstance(v, EnvRead):
            out[name] = v
        elif is_credential_header(str(name)):
            out[name] = placeholder(label, str(name))
            notes.append(
                f"{path}.{name}: read from the environment variable {v.var}; kept as a secret "
                "header: store its value in the MCP server's settings (OS keyring)"
            )
        else:
            notes.append(f"{path}.{name}: read from the environment variable {v.var}; not imported")
    return out


def _target(node: ast.Call) -> tuple[str, str] | None:
    """(api, method) when `node` calls X.chat.completions.M or X.responses.M."""
    func = node.func
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.insert(0, func.attr)
        func = func.value
    if len(parts) < 2 or parts[-1] not in ("create", "stream", "parse"):
        return None
    path = tuple(p for p in parts[:-1] if p not in _WRAPPERS)
    for suffix, api in _METHODS.items():
        if path[-len(suffix) :] == suffix:
            return api, parts[-1]
    return None


def _receiver(node: ast.Call) -> str | None:
    func = node.func
    while isinstance(func, ast.Attribute):
        func = func.value
    return func.id if isinstance(func, ast.Name) else None


def _client_class(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in _CLIENTS:
            return str(name)
    return None


class _Snippet:
    """The names a snippet binds to literal values and to clients, in source order."""

    def __init__(self, tree: ast.Module) -> None:
        self.names: dict[str, Any] = {}
        self.clients: dict[str, tuple[str, ast.Call]] = {}
        self.calls: list[tuple[ast.Call, str, str]] = []
        nodes = sorted(
            (n for n in ast.walk(tree) if isinstance(n, ast.Assign | ast.AugAssign | ast.Call)),
            key=lambda n: (n.lineno, n.col_offset),
        )
        for node in nodes:
            if isinstance(node, ast.Assign | ast.AugAssign):
                self._assign(node)
                continue
            target = _target(node)
            if target:
                self.calls.append((node, *target))
            elif (
                isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.attr in _MUTATORS
            ):
                # `messages.append(...)`: the literal is not what is sent any more
                self.names.pop(node.func.value.id, None)

    def _assign(self, node: ast.Assign | ast.AugAssign) -> None:
        if isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                self.names.pop(node.target.id, None)
            return
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            return
        name = node.targets[0].id
        cls = _client_class(node.value)
        if cls and isinstance(node.value, ast.Call):
            self.clients[name] = (cls, node.value)
            return
        try:
            self.names[name] = self.value(node.value)
        except NotLiteral:
            self.names.pop(name, None)

    def value(self, node: ast.expr, key: str = "", notes: list[str] | None = None) -> Any:
        """A literal (or a name bound to one); a list keeps its literal elements, noting the
        rest when `notes` is given."""
        try:
            return ast.literal_eval(node)
        except _LITERAL_ERRORS:
            pass
        env = _env_read(node)
        if env is not None:
            return env
        if isinstance(node, ast.Name) and node.id in self.names:
            return self.names[node.id]
        if isinstance(node, ast.Call) and not node.args and _is(node.func, "dict"):
            if any(k.arg is None for k in node.keywords):
                raise NotLiteral(ast.unparse(node))
            return {k.arg: self.value(k.value) for k in node.keywords}
        if (
            isinstance(node, ast.Call)
            and _is(node.func, "json.dumps")
            and len(node.args) == 1
            and not node.keywords
        ):
            return json.dumps(self.value(node.args[0]))
        if isinstance(node, ast.Dict) and None not in node.keys:
            pairs = zip(node.keys, node.values, strict=True)
            return {self.value(k): self.value(v) for k, v in pairs if k is not None}
        if isinstance(node, ast.List | ast.Tuple):
            kept = []
            for i, element in enumerate(node.elts):
                try:
                    kept.append(self.value(element))
                except NotLiteral:
                    if notes is None:
                        raise
                    notes.append(
                        f"{key}[{i}]: {ast.unparse(element)} is not a literal value; not imported"
                    )
            return kept
        raise NotLiteral(ast.unparse(node))


def _is(func: ast.expr, dotted: str) -> bool:
    return ast.unparse(func) == dotted


def import_python(text: str) -> ImportResult:
    """The first SDK request call in a snippet (create, stream or parse), read as literals."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise ImportRefused(
            f"not valid Python at line {exc.lineno}, column {exc.offset}: {exc.msg}"
        ) from None
    snippet = _Snippet(tree)
    if not snippet.calls:
        raise ImportRefused(
            "no client.chat.completions.create(...) or client.responses."
            "create(...) call (or .stream / .parse) was found"
        )
    call, api, method = snippet.calls[0]
    notes = (
        [f"{len(snippet.calls)} request calls found; imported the first (line {call.lineno})"]
        if len(snippet.calls) > 1
        else []
    )
    body = _env_reads(_call_body(call, api, method, snippet, notes), "", notes)
    receiver = _receiver(call)
    client = snippet.clients.get(receiver or "")
    if client is None and len(snippet.clients) == 1:
        client = next(iter(snippet.clients.values()))
    endpoint = _client_endpoint(client, api, body, snippet, notes)
    if endpoint.deployment and not body.get("model"):
        notes.append(f"model: taken from the deployment {endpoint.deployment} of the client")
        body = {"model": endpoint.deployment, **body}
    result = from_body(body, api)
    result.kind = "python"
    result.notes = notes + endpoint.notes + result.notes
    result.profile = endpoint.profile
    return result


def _call_body(
    call: ast.Call, api: str, method: str, snippet: _Snippet, notes: list[str]
) -> dict[str, Any]:
    label = f"{'chat.completions' if api == 'chat' else 'responses'}.{method}"
    allowed = CHAT_KEYS if api == "chat" else RESPONSES_KEYS
    body: dict[str, Any] = {}
    if call.args:
        notes.append(f"{label}: positional arguments are not understood; not imported")
    pairs: list[tuple[str, ast.expr | None, Any]] = []
    for kw in call.keywords:
        if kw.arg is not None:
            pairs.append((kw.arg, kw.value, None))
            continue
        try:
            spread = snippet.value(kw.value)
        except NotLiteral:
            spread = None
        if not isinstance(spread, dict):
            notes.append(
                f"{label}: **{ast.unparse(kw.value)} cannot be read without running "
                "the code; not imported"
            )
            continue
        pairs += [(str(k), None, v) for k, v in spread.items()]
    for key, node, known in pairs:
        if key in _CLIENT_ONLY:
            notes.append(f"{key}: {_CLIENT_ONLY[key]}; not imported")
            continue
        if (
            key in ("text_format", "response_format")
            and method == "parse"
            and isinstance(node, ast.Name | ast.Attribute)
        ):
            notes.append(
                f"{key}={ast.unparse(node)} is a Python class; its schema cannot "
                "be read without running the code. Define it under Output format."
            )
            continue
        if node is None:
            value = known
        else:
            try:
                value = snippet.value(node, key, notes)
            except NotLiteral as exc:
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


def _client_endpoint(
    client: tuple[str, ast.Call] | None,
    api: str,
    body: dict[str, Any],
    snippet: _Snippet,
    notes: list[str],
) -> import_profile.Endpoint:
    if client is None:
        return import_profile.Endpoint()
    cls, node = client
    azure = "Azure" in cls
    args: dict[str, Any] = {}
    for kw in node.keywords:
        if kw.arg is None:
            continue
        if kw.arg in _CREDENTIAL_ARGS:
            if isinstance(kw.value, ast.Constant):
                notes.append(
                    f"{kw.arg}: the key in the code was not imported; {import_profile.KEY_NOTE}"
                )
            continue
        try:
            args[kw.arg] = snippet.value(kw.value)
        except NotLiteral:
            if kw.arg in ("base_url", "azure_endpoint", "api_version", "azure_deployment"):
                notes.append(
                    f"client {kw.arg}={ast.unparse(kw.value)} is not a literal value; "
                    "set it under Providers"
                )
            elif kw.arg in ("organization", "project", "default_headers"):
                notes.append(f"client {kw.arg} is not a literal value; not imported")
    base = args.get("azure_endpoint") or args.get("base_url")
    deployment = args.get("azure_deployment")
    if azure and not deployment and api == "chat" and isinstance(body.get("model"), str):
        deployment = body["model"]  # AzureOpenAI sends chat calls to deployments/{model}
    if not isinstance(base, str) and not (
        args.get("organization") or args.get("project") or args.get("default_headers")
    ):
        return import_profile.Endpoint()
    headers = _env_reads(args.get("default_headers"), "client default_headers", notes)
    endpoint = import_profile.from_client(
        base if isinstance(base, str) else None,
        api_version=args.get("api_version"),
        deployment=deployment if azure else None,
        headers={str(k): str(v) for k, v in headers.items()} if isinstance(headers, dict) else None,
        organization=args.get("organization"),
        project=args.get("project"),
        azure=azure,
    )
    return endpoint
