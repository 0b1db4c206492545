"""Export a workspace as the request the app sends: JSON, Python (async or sync), or curl.

Everything is generated from the one request builder's value, so the exported code sends
exactly the body the app sends, its variables filled. The key always comes from the
environment. Python can instead keep the template (`keep_variables`): a `variables` dict
and core.variables' fill function written out, called on each template text.
"""

from __future__ import annotations

import json
import shlex
from typing import Any, Literal
from urllib.parse import urlencode

from playground.core import export_background, request, variables
from playground.core.codegen import pydantic_models, tool_functions
from playground.core.codegen_custom import (
    APPROVAL_SOURCE,
    CALL_CUSTOM_TOOL_SOURCE,
    CHAT_CUSTOM,
    CHAT_FUNCTIONS,
    custom_tool_functions,
    responses_loop,
)
from playground.core.codegen_state import loop_imports, loop_state, two_turns
from playground.core.export_client import (
    client_kwargs,
    key_env,
    simulator_note,
)
from playground.core.mcp_tools import env_built, shell_secrets
from playground.core.profiles import DEFAULT_BASE_URL, ProviderProfile
from playground.core.pysource import INDENT, Filled, Raw, call, literal
from playground.core.tool_loop import CALL_TOOL_SOURCE
from playground.core.workspace import Workspace

Format = Literal["json", "python", "python-sync", "curl"]
FORMATS: tuple[Format, ...] = ("json", "python", "python-sync", "curl")
LOOP_LIMIT = 10


def export(
    ws: Workspace,
    fmt: Format,
    profile: ProviderProfile | None = None,
    tool_loop: bool = False,
    pydantic: bool = False,
    built: request.BuiltRequest | None = None,
    target: request.Target | None = None,
    keep_variables: bool = False,
) -> str:
    """The request of `ws` in the chosen format, built for `target` (the profile's by
    default) unless `built` is given. `keep_variables` (Python, when `ws` uses variables):
    the program keeps the template and fills it itself."""
    if target is None and profile is not None:
        target = request.Target.for_profile(profile)
    if fmt in ("python", "python-sync") and keep_variables and variables.names(ws):
        template = request.build(ws, target=target, template=Filled)
        return python(
            ws,
            template,
            profile,
            asynchronous=fmt == "python",
            tool_loop=tool_loop,
            pydantic=pydantic,
            keep_variables=True,
        )
    if built is None:
        built = request.build(ws, target=target)
    if fmt == "json":
        return json.dumps(built.body, indent=2, ensure_ascii=False) + "\n"
    if fmt == "curl":
        return curl(built, profile)
    return python(
        variables.filled(ws),  # the tools' stubs return their mock outputs filled
        built,
        profile,
        asynchronous=fmt == "python",
        tool_loop=tool_loop,
        pydantic=pydantic,
    )


def curl(built: request.BuiltRequest, profile: ProviderProfile | None) -> str:
    """One curl command; the JSON body is single-quoted for the shell."""
    base = (profile.base_url if profile and profile.base_url else DEFAULT_BASE_URL).rstrip("/")
    url = base + built.path
    if profile is not None and profile.query:
        url = shlex.quote(f"{url}?{urlencode(profile.query)}")
    auth = (
        "api-key: $" + key_env(profile)
        if profile is not None and profile.auth == "api-key"
        else "Authorization: Bearer $" + key_env(profile)
    )
    parts = [
        f"curl {'-N ' if built.body.get('stream') else ''}{url}",
        '-H "Content-Type: application/json"',
        f'-H "{auth}"',
    ]
    if profile is not None:
        if profile.organization:
            parts.append(f"-H {shlex.quote('OpenAI-Organization: ' + profile.organization)}")
        if profile.project:
            parts.append(f"-H {shlex.quote('OpenAI-Project: ' + profile.project)}")
        parts += [f"-H {shlex.quote(f'{k}: {v}')}" for k, v in profile.headers.items()]
    body = json.dumps(built.body, indent=2, ensure_ascii=False)
    parts.append("-d " + shell_secrets(shlex.quote(body)))  # MCP secrets from $MCP_...
    return " \\\n  ".join(parts) + "\n"


class _Code:
    """Accumulates lines and imports of a generated program."""

    def __init__(self) -> None:
        self.stdlib: set[str] = set()
        self.typing: set[str] = set()
        self.openai: set[str] = set()
        self.pydantic: set[str] = set()
        self.future = False
        self.blocks: list[str] = []

    def source(self) -> str:
        future = "from __future__ import annotations\n\n" if self.future else ""
        head = [f"import {m}" for m in sorted(self.stdlib)]
        if self.typing:
            head.append(f"from typing import {', '.join(sorted(self.typing))}")
        third = [f"from openai import {', '.join(sorted(self.openai))}"]
        if self.pydantic:
            third.append(f"from pydantic import {', '.join(sorted(self.pydantic))}")
        imports = future + "\n".join(head) + ("\n\n" if head else "") + "\n".join(third)
        return imports + "\n" + "".join(self.blocks).rstrip("\n") + "\n"

    def add(self, text: str, gap: int = 1) -> None:
        self.blocks.append("\n" * gap + text + "\n")


def python(
    ws: Workspace,
    built: request.BuiltRequest,
    profile: ProviderProfile | None,
    asynchronous: bool,
    tool_loop: bool = False,
    pydantic: bool = False,
    keep_variables: bool = False,
) -> str:
    """A runnable program that sends the request (or runs its tool loop). `keep_variables`:
    `built` carries template texts (pysource.Filled) that the program fills itself."""
    code, (built, secrets) = _Code(), env_built(built)  # MCP secrets: os.environ, never literal
    code.stdlib |= {"os"} if secrets else set()
    if keep_variables:
        code.stdlib.add("re")
        code.add(_variables_source(ws))
        code.add(variables.FILL_SOURCE, gap=2)
    client_cls = "AsyncOpenAI" if asynchronous else "OpenAI"
    code.openai.add(client_cls)
    if asynchronous:
        code.stdlib.add("asyncio")
    comment = ""
    if profile is not None and profile.kind == "simulator":
        comment = "".join(line + "\n" for line in simulator_note(profile))
    if secrets:
        comment += (
            f"# Set {', '.join(secrets)} in the environment: the secret headers of the MCP "
            "servers\n# (the app keeps them in the OS keyring, never in a file).\n"
        )
    made = client_kwargs(profile, built.kwargs.get("service_tier"))
    if "timeout" in made:
        comment += "# Flex processing is slower: a 15-minute timeout, as the flex guide sets.\n"
    client = call(client_cls, made, explode=False)
    if profile is not None and profile.auth == "api-key":
        code.stdlib.add("os")
    fmt = ws.output_format
    use_pydantic = pydantic and fmt is not None and fmt.type == "json_schema"
    if use_pydantic:
        assert fmt is not None
        models, root = pydantic_models(fmt.json_schema, fmt.name)
        code.pydantic |= models.pydantic
        code.future = models.future
        code.typing |= models.typing
        code.add(comment + f"client = {client}", gap=2 if keep_variables else 1)
        code.add(models.source, gap=2)
    else:
        code.add(comment + f"client = {client}", gap=2 if keep_variables else 1)
    tools = bool(ws.enabled_tools() or ws.enabled_custom_tools())
    helper = False
    approvals = built.api == "responses" and bool(ws.enabled_mcp_tools())
    if tool_loop and (tools or approvals):
        if tools:
            funcs = tool_functions(ws.enabled_tools(), template=keep_variables)
            code.typing |= funcs.typing
            code.stdlib |= {"inspect", "json"}
            source = funcs.source.lstrip("\n") if ws.enabled_tools() else "TOOLS: dict = {}"
            code.add(source, gap=2)
            code.add(CALL_TOOL_SOURCE, gap=2)
        if ws.enabled_custom_tools():
            code.add(custom_tool_functions(ws.enabled_custom_tools(), keep_variables), gap=2)
            code.add(CALL_CUSTOM_TOOL_SOURCE, gap=2)
        if approvals:
            code.typing.add("Any")
            code.add(APPROVAL_SOURCE, gap=2)
        body = _tool_loop_body(ws, built, asynchronous)
        code.openai |= loop_imports(ws, built)
    elif export_background.wanted(built):  # created, then polled to its end
        code.stdlib |= export_background.imports(asynchronous)
        body = export_background.body(built, asynchronous)
    elif use_pydantic:
        body = _parse_body(built, root, asynchronous)
    elif (state := two_turns(ws, built, asynchronous)) is not None:  # chain, Conversation
        helper = bool(built.kwargs.get("stream"))  # the program defines answer()
        code.typing |= {"Any"} if helper else set()
        code.add(state.head, gap=2)
        body = state.body
    else:
        body = _plain_body(built, asynchronous)
    if asynchronous:
        code.add("async def main() -> None:\n" + body, gap=2)
        code.add("asyncio.run(main())", gap=2)
    else:
        code.add(body, gap=2 if (tool_loop or use_pydantic or helper) else 1)
    return code.source()


def _variables_source(ws: Workspace) -> str:
    """`variables = {...}`: the workspace's value of each variable it uses; a comment names
    those without a value (the program stops at the first text that uses one)."""
    used = variables.names(ws)
    values = {n: ws.variables[n] for n in used if n in ws.variables}
    missing = [n for n in used if n not in ws.variables]
    note = f"# No value yet: {', '.join(missing)}. Add them here.\n" if missing else ""
    return note + "variables = " + literal(values, len("variables = "))


def _create(
    built: request.BuiltRequest,
    asynchronous: bool,
    depth: int,
    kwargs: dict[str, Any] | None = None,
    method: str | None = None,
) -> str:
    """The create/parse call; its first line starts at `depth`, the rest is indented absolutely."""
    method = method or built.method
    prefix = "await " if asynchronous else ""
    return prefix + call(
        f"client.{method}", kwargs if kwargs is not None else built.kwargs, depth=depth
    )


def _lines(depth: int, *lines: str) -> str:
    """Hand-written lines at nesting `depth` (a line may carry absolute continuation lines)."""
    return "\n".join((INDENT * depth + line) if line else line for line in lines)


def _plain_body(built: request.BuiltRequest, asynchronous: bool) -> str:
    d = 1 if asynchronous else 0
    a = "async " if asynchronous else ""
    tools = bool(built.kwargs.get("tools"))
    if built.kwargs.get("stream"):
        if built.api == "responses":
            loop: tuple[str, ...] = (
                f"{a}for event in stream:",
                '    if event.type == "response.output_text.delta":',
                '        print(event.delta, end="", flush=True)',
            )
            if tools:
                loop += (
                    '    elif event.type == "response.output_item.added":',
                    '        print(getattr(event.item, "name", ""), end="")',
                    '    elif event.type == "response.function_call_arguments.done":',
                    "        print(event.arguments)",
                )
        else:
            loop = (
                f"{a}for chunk in stream:",
                "    delta = chunk.choices[0].delta if chunk.choices else None",
                "    if delta and delta.content:",
                '        print(delta.content, end="", flush=True)',
            )
            if tools:
                loop += (
                    "    for call in (delta.tool_calls or []) if delta else []:",
                    "        if call.function and call.function.name:",
                    '            print(call.function.name, end="")',
                    "        if call.function and call.function.arguments:",
                    '            print(call.function.arguments, end="", flush=True)',
                )
        return _lines(d, f"stream = {_create(built, asynchronous, d)}", *loop, "print()")
    if built.api == "responses":
        out: tuple[str, ...] = (
            "print(response.output_text or response.output)"
            if tools
            else "print(response.output_text)",
        )
    else:
        out = (
            "message = response.choices[0].message",
            "print(message.content or message.tool_calls)" if tools else "print(message.content)",
        )
    return _lines(d, f"response = {_create(built, asynchronous, d)}", *out)


def _parse_body(built: request.BuiltRequest, root: str, asynchronous: bool) -> str:
    d = 1 if asynchronous else 0
    kwargs = {k: v for k, v in built.kwargs.items() if k not in ("stream", "stream_options")}
    if built.api == "responses":
        text = dict(kwargs.pop("text", {}))
        text.pop("format", None)
        if text:
            kwargs["text"] = text
        kwargs["text_format"] = Raw(root)
        method = "responses.parse"
        out = "print(response.output_parsed)"
    else:
        kwargs.pop("response_format", None)
        kwargs["response_format"] = Raw(root)
        method = "chat.completions.parse"
        out = "print(response.choices[0].message.parsed)"
    return _lines(d, f"response = {_create(built, asynchronous, d, kwargs, method)}", out)


_OUTPUT_ITEM = (
    "        items.append(",
    "            {",
    '                "call_id": call.call_id,',
    '                "output": result,',
    "            }",
    "        )",
)


def _tool_loop_body(ws: Workspace, built: request.BuiltRequest, asynchronous: bool) -> str:
    d = 1 if asynchronous else 0
    kwargs = {k: v for k, v in built.kwargs.items() if k not in ("stream", "stream_options")}
    custom = bool(ws.enabled_custom_tools())  # the loop also answers custom tools' calls

    def create(kw: dict[str, Any]) -> str:
        return _create(built, asynchronous, d + 1, kw)

    if built.api == "responses":
        history = kwargs.pop("input")
        history = [{"role": "user", "content": history}] if isinstance(history, str) else history
        kwargs = {"model": kwargs.pop("model"), "input": Raw("items"), **kwargs}
        state = loop_state(ws, kwargs, asynchronous)  # chain, Conversation: only new items
        tools = bool(ws.enabled_tools() or custom)
        pick, answer, kind = responses_loop(tools, custom, bool(ws.enabled_mcp_tools()))
        body: tuple[str, ...] = (
            *state.before,
            "items = " + literal(history, len(INDENT * d) + 8, depth=d),
            f"for _ in range({LOOP_LIMIT}):",
            f"    response = {create(state.kwargs)}",
            *pick,
            "    if not calls:",
            "        print(response.output_text)",
            "        break",
            *state.next_round,
            "    for call in calls:",
            *answer,
            *(_OUTPUT_ITEM[:2] + kind + _OUTPUT_ITEM[2:] if tools else ()),
        )
    else:
        history = kwargs.pop("messages")
        kwargs = {"model": kwargs.pop("model"), "messages": Raw("messages"), **kwargs}
        answer = CHAT_CUSTOM if custom else CHAT_FUNCTIONS
        body = (
            "messages = " + literal(history, len(INDENT * d) + 11, depth=d),
            f"for _ in range({LOOP_LIMIT}):",
            f"    response = {create(kwargs)}",
            "    message = response.choices[0].message",
            "    if not message.tool_calls:",
            "        print(message.content)",
            "        break",
            "    messages.append(message.model_dump(exclude_none=True))",
            "    for call in message.tool_calls:",
            *answer,
            "        messages.append(",
            "            {",
            '                "role": "tool",',
            '                "tool_call_id": call.id,',
            '                "content": result,',
            "            }",
            "        )",
        )
    return _lines(
        d, *body, "else:", f'    print("Stopped after {LOOP_LIMIT} rounds of tool calls.")'
    )
