"""The one request builder: workspace -> the exact keyword arguments of the SDK call.

`build(ws)` returns the keyword arguments for `client.responses.create(**kwargs)` or
`client.chat.completions.create(**kwargs)`. Sending, exporting and the raw-request view all
read this one value. Parameters the model rejects are left out, each with a finding. The
workspace's `{{name}}` variables are filled here, once (core.variables).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from playground.core import catalog, file_inputs, state_modes, variables
from playground.core.findings import Finding
from playground.core.learned import LearnedRule
from playground.core.model_rules import refusals
from playground.core.params import LOGPROBS_INCLUDE, TOKEN_LIMIT, declarations, set_path
from playground.core.profiles import ProviderProfile
from playground.core.request_messages import FileReader, MessageBuilder
from playground.core.request_tools import ToolBuilder
from playground.core.workspace import (
    Workspace,
)


@dataclass(frozen=True)
class Target:
    """Where the request goes, as far as building it depends on that.

    `openai`: OpenAI's own endpoint. `chat_token_param`: the profile's choice of Chat's
    token-limit name; None picks the catalog's for known models, and for ids the catalog
    does not know `max_completion_tokens` on OpenAI's endpoint and `max_tokens` elsewhere
    (the name OpenAI-compatible servers take). `learned`: refusals this server gave for
    this model (core.learned), left out with a finding."""

    openai: bool = True
    chat_token_param: str | None = None
    learned: tuple[LearnedRule, ...] = ()
    today: date | None = None
    files_origin: tuple[str, str] | None = None
    """(profile name, file_inputs.upload_origin) of where the request goes: a stored file id
    is sent only when its upload went there (None: nowhere known, so none is), and a kept
    reasoning item only when it came from there (reasoning_items.from_elsewhere; None: each
    is sent as it is)."""

    @classmethod
    def for_profile(cls, profile: ProviderProfile, learned: tuple[LearnedRule, ...] = ()) -> Target:
        """The target of requests sent with `profile`."""
        choice = profile.chat_token_param
        return cls(
            openai=profile.openai_endpoint,
            chat_token_param=None if choice == "auto" else choice,
            learned=learned,
            files_origin=file_inputs.origin_of(profile),
        )


def read_file(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


@dataclass(frozen=True)
class BuiltRequest:
    """The request for one workspace, as the SDK takes it."""

    api: str
    kwargs: dict[str, Any]
    findings: tuple[Finding, ...] = field(default=())
    resume: tuple[str, int] | None = None
    """A background response to follow again instead of sending `kwargs` (after the app
    restarted): (its id, the last sequence number seen, -1 for the start of its stream)."""

    @property
    def body(self) -> dict[str, Any]:
        """The JSON body on the wire: the keyword arguments with extra_body merged in."""
        body = {k: v for k, v in self.kwargs.items() if k != "extra_body"}
        body.update(self.kwargs.get("extra_body") or {})
        return body

    @property
    def path(self) -> str:
        return "/responses" if self.api == "responses" else "/chat/completions"

    @property
    def method(self) -> str:
        return "responses.create" if self.api == "responses" else "chat.completions.create"


class _Builder(MessageBuilder, ToolBuilder):
    def __init__(self, ws: Workspace, reader: FileReader, target: Target) -> None:
        self.ws = ws
        self.info = catalog.lookup(ws.model)
        self.reader = reader
        self.target = target
        self.findings: list[Finding] = []

    def note(self, path: str, message: str, severity: str = "warning", code: str = "") -> None:
        self.findings.append(Finding(path, severity, message, code))  # type: ignore[arg-type]

    # -- parameters -------------------------------------------------------------------------

    def accepted_params(self) -> dict[str, Any]:
        """The set parameters this model, API and server take; a finding for each one left
        out (the declarations in core.params say which API has which; core.model_rules
        what the model refuses; learned rules what this server refused before)."""
        ws, api = self.ws, self.ws.api
        other = "Chat Completions" if api == "responses" else "Responses"
        out: dict[str, Any] = {}
        for name, decl in declarations().items():
            value = getattr(ws.params, name)
            if value is None:
                continue
            if decl.wire_name(api) is None:
                self.note(
                    f"params.{name}", f"{name} exists only in the {other} API; it will not be sent"
                )
                continue
            out[name] = value
        if "stop" in out and not out["stop"]:
            del out["stop"]
        self.drop_learned(out)
        tools = bool(ws.enabled_tools() or ws.enabled_custom_tools())
        # hosted tools the request carries (Chat never gets the built-in ones: see builtin_tools)
        hosted = (api == "responses" and self.hosted_tools_wanted()) or any(
            t.get("type") != "function" for t in ws.extra_tools
        )
        for _ in range(4):  # dropping one parameter can change what another is allowed
            found = refusals(self.info, api, out, tools, hosted)
            droppable = [r for r in found if r.droppable and r.param in out]
            for r in found:
                blocked = f"{r.reason}: the server will refuse this request"
                if not r.droppable and blocked not in (f.message for f in self.findings):
                    self.note("tools", blocked, "error")
            if not droppable:
                break
            for r in droppable:
                if r.param in out:
                    del out[r.param]
                    self.note(f"params.{r.param}", f"{r.reason}; it will not be sent")
                    if r.param == "logprobs" and api == "responses":  # also the include box
                        self.note("params.include", f"output logprobs: {r.reason}; not sent")
        if out.get("top_logprobs") is not None and api == "chat" and not out.get("logprobs"):
            self.note("params.top_logprobs", "top_logprobs needs logprobs on; it will not be sent")
            del out["top_logprobs"]
        return out

    def drop_learned(self, out: dict[str, Any]) -> None:
        """Leave out what this server refused before for this model (core.learned); a
        refused Chat token-limit name is sent under its other name instead."""
        self.learned_token_name: str | None = None
        conditional = {p for r in self.info.rules if r.only_when for p in r.params}
        for rule in self.target.learned:
            if rule.model != self.ws.model or rule.param not in out:
                continue
            if not rule.applies_to(out[rule.param]):
                continue
            if rule.param in conditional:
                # the catalog says when this model takes it (effort none, say): its rule
                # decides, not a refusal learned under other conditions
                continue
            other = rule.replacement_name()
            if other is not None:
                if self.ws.api == "chat":
                    self.learned_token_name = other
                continue
            del out[rule.param]
            self.findings.append(
                Finding(
                    f"params.{rule.param}",
                    "warning",
                    f"{rule.describe()}; it will not be sent (Forget the rule under Parameters "
                    "to send it again)",
                    code="learned",
                )
            )

    def hosted_tools_wanted(self) -> bool:
        b = self.ws.builtin_tools
        return b.web_search or b.file_search or b.code_interpreter

    def chat_token_key(self) -> str:
        ws, info, target = self.ws, self.info, self.target
        key: str
        if self.learned_token_name:
            key = self.learned_token_name
        elif ws.params.max_tokens_name:
            key = ws.params.max_tokens_name
        elif info.known:
            key = info.chat_token_param
        elif target.chat_token_param:
            key = target.chat_token_param
        else:
            key = "max_completion_tokens" if target.openai else "max_tokens"
        if key == "max_tokens" and info.known and info.reasoning:
            self.note(
                "params.max_tokens_name",
                f"{ws.model} does not accept max_tokens; max_completion_tokens is sent",
            )
            key = "max_completion_tokens"
        return key

    def write_params(self, kwargs: dict[str, Any], params: dict[str, Any]) -> None:
        """Each accepted parameter at its declared wire path."""
        api = self.ws.api
        decls = declarations()
        for name, value in params.items():
            decl = decls[name]
            wire = decl.wire[api]
            if decl.needs_tools and "tools" not in kwargs:
                self.note(
                    f"params.{name}",
                    f"{name} applies only when tools are defined; it will not be sent",
                )
                continue
            if wire == TOKEN_LIMIT:
                kwargs[self.chat_token_key()] = value
            elif wire.startswith("include:") or decl.kind == "flags":
                # one list that the hosted tools, include and logprobs all add to
                wanted = value if decl.kind == "flags" else [LOGPROBS_INCLUDE] * bool(value)
                include = kwargs.setdefault("include", [])
                include += [v for v in wanted if v not in include]
                if not include:
                    del kwargs["include"]  # logprobs off and nothing else asked for
            else:
                set_path(kwargs, wire, value)

    # -- tools and formats ------------------------------------------------------------------

    def output_format(self) -> dict[str, Any] | None:
        fmt = self.ws.output_format
        if fmt is None:
            return None
        if fmt.type != "json_schema":
            return {"type": fmt.type}
        inner: dict[str, Any] = {"name": fmt.name}
        if fmt.description is not None:
            inner["description"] = fmt.description
        inner["schema"] = fmt.json_schema
        if fmt.strict is not None:
            inner["strict"] = fmt.strict
        if self.ws.api == "chat":
            return {"type": "json_schema", "json_schema": inner}
        return {"type": "json_schema", **inner}

    # -- assembly ---------------------------------------------------------------------------

    def build(self) -> BuiltRequest:
        ws = self.ws
        if self.info.known and ws.api not in self.info.apis:
            only = "Responses" if "responses" in self.info.apis else "Chat Completions"
            self.note("api", f"{ws.model} is available only in the {only} API", "error")
        kwargs: dict[str, Any] = {"model": ws.model}
        params = self.accepted_params()
        if ws.api == "chat":
            self.assemble_chat(kwargs, params)
        else:
            self.assemble_responses(kwargs, params)
        if ws.api == "chat" and ws.state != "everything":
            self.note(
                "state",
                "conversation state is a Responses feature; Chat Completions sends the whole "
                "conversation",
                "info",
            )
        if ws.stream:
            kwargs["stream"] = True
            if ws.api == "chat" and ws.stream_usage:
                kwargs["stream_options"] = {"include_usage": True}
        if ws.extra_body:
            kwargs["extra_body"] = dict(ws.extra_body)
            clash = sorted(set(ws.extra_body) & set(kwargs))
            if clash:
                self.note("extra_body", f"extra_body overrides {', '.join(clash)}", "info")
        return BuiltRequest(ws.api, kwargs, tuple(self.findings))

    def assemble_chat(self, kwargs: dict[str, Any], params: dict[str, Any]) -> None:
        kwargs["messages"] = self.chat_messages()
        self.common_tools(kwargs)
        fmt = self.output_format()
        if fmt is not None:
            kwargs["response_format"] = fmt
        self.write_params(kwargs, params)

    def assemble_responses(self, kwargs: dict[str, Any], params: dict[str, Any]) -> None:
        if self.ws.instructions:
            kwargs["instructions"] = self.ws.instructions
        state = state_modes.plan(self.ws, self.info.known and self.info.reasoning)
        self.findings += state.findings
        msgs = self.ws.messages[state.start :]
        if (
            self.ws.compact_input
            and len(msgs) == 1
            and msgs[0].role == "user"
            and isinstance(msgs[0].content, str)
        ):
            kwargs["input"] = msgs[0].content
        else:
            kwargs["input"] = self.sendable(self.responses_input(state.start))
        self.common_tools(kwargs)
        fmt = self.output_format()
        if fmt is not None:
            kwargs["text"] = {"format": fmt}
        if state.drop_param_previous:
            params.pop("previous_response_id", None)
        self.write_params(kwargs, params)
        if state.previous_response_id:
            kwargs["previous_response_id"] = state.previous_response_id
        if state.conversation:
            kwargs["conversation"] = state.conversation
        if state.include_encrypted:
            state_modes.add_include(kwargs)

    def sendable(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The input items, less the reasoning items a `store: false` request cannot send
        back (no encrypted content: the server never kept them), each with a finding."""
        if self.ws.params.store is not False:
            return items
        kept, dropped = state_modes.unsendable_reasoning(items)
        for item_id in dropped:
            self.note(
                "messages",
                f"reasoning item {item_id} has no encrypted content and store is off, so the "
                "server cannot find it: it is left out",
                "info",
            )
        return kept


def build(
    ws: Workspace,
    reader: FileReader = read_file,
    target: Target | None = None,
    template: Callable[[str], str] | None = None,
) -> BuiltRequest:
    """The SDK keyword arguments for `ws` sent to `target` (OpenAI's endpoint by default),
    with findings for whatever was left out.

    The workspace's variables are filled from `ws.variables` first (core.variables.filled):
    a variable without a value stays as written, with an error finding (code
    variables.MISSING) at the text that uses it. `template`: instead of filling, each
    template text that has `{{` in it is passed through it (the exported program that
    keeps the template marks them to fill them at run time)."""
    sent = variables.marked(ws, template) if template else variables.filled(ws)
    builder = _Builder(sent, reader, target or Target())
    builder.findings += variables.findings(ws)
    return builder.build()
