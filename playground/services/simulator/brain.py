"""The simulated model: a deterministic answer that reflects the request.

It calls a declared function when tool_choice allows and the last input is from the user,
answers from tool outputs once they arrive, returns a schema-valid instance for json_schema
output, writes a reasoning summary for reasoning models, and otherwise answers in Markdown
that says what was asked and which parameters took effect.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from playground.core.catalog import ModelInfo
from playground.core.instances import instance
from playground.core.model_grading import GRADE_FORMAT_NAME
from playground.services.simulator.grading import verdict
from playground.services.simulator.image_tokens import image_tokens
from playground.services.simulator.json_mode import requested_object
from playground.services.simulator.protocol import count_tokens, new_id, tokens
from playground.services.simulator.tool_pick import chosen_tools, custom_input, read_tools


@dataclass
class PlannedCall:
    name: str
    fragments: list[str]
    call_id: str = field(default_factory=lambda: new_id("call"))
    item_id: str = field(default_factory=lambda: new_id("fc"))
    kind: str = "function"  # or "custom": a custom tool's call, `fragments` its input

    @property
    def arguments(self) -> str:
        return "".join(self.fragments)


@dataclass
class Plan:
    """What the simulated model will answer, already split into stream deltas."""

    model: str
    choices: list[list[str]] = field(default_factory=lambda: [[]])
    refusal: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)
    calls: list[PlannedCall] = field(default_factory=list)
    finish: str = "stop"
    input_tokens: int = 0
    cached_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    logprobs: bool = False
    top_logprobs: int = 0
    # the tier the response reports: "fast" is served as "priority", auto as default (spec
    # ServiceTier: the response names the processing mode actually used)
    service_tier: str = "default"
    # Remote MCP items before the answer (services/simulator/mcp_play.py); `mcp_waiting`:
    # the response ends at an approval request, with no message.
    mcp_items: list[dict[str, Any]] = field(default_factory=list)
    mcp_waiting: bool = False
    # a hosted tool's call (services/simulator/hosted_calls.py) answered by choices[0]
    hosted: Any = None

    def text(self, choice: int = 0) -> str:
        return "".join(self.choices[choice])


@dataclass
class Conversation:
    """The request, read the same way for both APIs."""

    instructions: str
    turns: list[tuple[str, str]]
    tool_outputs: list[tuple[str, str]]
    tools: list[dict[str, Any]]
    tool_choice: Any
    parallel: bool
    output_format: dict[str, Any] | None
    settings: dict[str, Any]
    max_tokens: int | None
    stop: list[str]
    n: int
    reasoning_summary: bool
    logprobs: bool
    top_logprobs: int
    # When the input ends with an assistant's partial answer (Continue): the tool outputs the
    # conversation before it answered from.
    prior_outputs: list[tuple[str, str]] = field(default_factory=list)
    # the input tokens of the images in the input (image_tokens)
    media_tokens: int = 0

    @property
    def last_user(self) -> str:
        return next((t for r, t in reversed(self.turns) if r == "user"), "")


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, dict):
                if "text" in part:
                    parts.append(str(part["text"]))
                elif part.get("type") in ("image_url", "input_image"):
                    parts.append("[image]")
        return " ".join(parts)
    return ""


def _settings(body: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: body[k] for k in keys if body.get(k) is not None}


_SHOWN = (
    "temperature",
    "top_p",
    "presence_penalty",
    "frequency_penalty",
    "seed",
    "n",
    "stop",
    "max_tokens",
    "max_completion_tokens",
    "max_output_tokens",
    "reasoning_effort",
    "verbosity",
    "service_tier",
    "top_logprobs",
    "logprobs",
    "store",
    "prompt_cache_key",
    "safety_identifier",
    "max_tool_calls",
    "truncation",
)


def read_chat(body: dict[str, Any]) -> Conversation:
    turns: list[tuple[str, str]] = []
    outputs: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    instructions = []
    for msg in body.get("messages", []):
        role = msg.get("role")
        if role in ("system", "developer"):
            instructions.append(_content_text(msg.get("content")))
        elif role == "tool":
            outputs.append(
                (names.get(msg.get("tool_call_id", ""), "tool"), _content_text(msg.get("content")))
            )
            turns.append(("tool", _content_text(msg.get("content"))))
        else:
            for call in msg.get("tool_calls") or []:
                inner = call.get("custom") or call.get("function") or {}
                names[call.get("id", "")] = inner.get("name", "tool")
            turns.append((str(role), _content_text(msg.get("content"))))
    tools = read_tools(body.get("tools"), "chat", bool(body.get("stream")))
    fmt = body.get("response_format")
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        fmt = {"type": "json_schema", **(fmt.get("json_schema") or {})}
    stop = body.get("stop")
    media = sum(image_tokens(m.get("content")) for m in body.get("messages", []))
    return Conversation(
        instructions="\n".join(instructions),
        turns=turns,
        tool_outputs=_after_last_user(turns, outputs),
        prior_outputs=_after_last_user(turns[:-1], outputs),
        tools=tools,
        tool_choice=body.get("tool_choice", "auto"),
        parallel=body.get("parallel_tool_calls", True) is not False,
        output_format=fmt,
        settings=_settings(body, _SHOWN),
        max_tokens=body.get("max_completion_tokens") or body.get("max_tokens"),
        stop=[stop] if isinstance(stop, str) else list(stop or []),
        n=int(body.get("n") or 1),
        reasoning_summary=False,
        logprobs=bool(body.get("logprobs")),
        top_logprobs=int(body.get("top_logprobs") or 0),
        media_tokens=media,
    )


def _after_last_user(
    turns: list[tuple[str, str]], outputs: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The outputs of the current turn: the tool results after the last user message (each
    tool turn added one output, in order), when the conversation ends with a tool result."""
    if not turns or turns[-1][0] != "tool":
        return []
    last_user = max((i for i, (role, _) in enumerate(turns) if role == "user"), default=-1)
    current = sum(1 for role, _ in turns[last_user + 1 :] if role == "tool")
    return outputs[len(outputs) - current :]


def read_responses(body: dict[str, Any], history: list[dict[str, Any]]) -> Conversation:
    turns: list[tuple[str, str]] = []
    outputs: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    system = [str(body.get("instructions") or "")]  # instructions, then system/developer items
    inp = body.get("input")
    items = history + ([{"role": "user", "content": inp}] if isinstance(inp, str) else inp or [])
    for item in items:
        kind = item.get("type", "message")
        if kind in ("function_call", "custom_tool_call"):
            names[item.get("call_id", "")] = item.get("name", "tool")
            turns.append(("assistant", ""))
        elif kind in ("function_call_output", "custom_tool_call_output"):
            out = item.get("output")
            text = out if isinstance(out, str) else _content_text(out)
            outputs.append((names.get(item.get("call_id", ""), "tool"), text))
            turns.append(("tool", text))
        elif kind == "message" and item.get("role") in ("system", "developer"):
            system.append(_content_text(item.get("content")))
        elif kind == "message":
            turns.append((str(item.get("role")), _content_text(item.get("content"))))
    tools = read_tools(body.get("tools"), "responses")
    text_opts: dict[str, Any] = body.get("text") or {}
    settings = _settings(body, _SHOWN)
    reasoning = body.get("reasoning") or {}
    if reasoning.get("effort"):
        settings["reasoning_effort"] = reasoning["effort"]
    if text_opts.get("verbosity"):
        settings["verbosity"] = text_opts["verbosity"]
    media = sum(image_tokens(i.get("content") or i.get("output")) for i in items)
    return Conversation(
        instructions="\n".join(t for t in system if t),
        turns=turns,
        tool_outputs=_after_last_user(turns, outputs),
        prior_outputs=_after_last_user(turns[:-1], outputs),
        tools=tools,
        tool_choice=body.get("tool_choice", "auto"),
        parallel=body.get("parallel_tool_calls", True) is not False,
        output_format=text_opts.get("format"),
        settings=settings,
        max_tokens=body.get("max_output_tokens"),
        stop=[],
        n=1,
        reasoning_summary=bool(reasoning.get("summary")),
        logprobs="message.output_text.logprobs" in (body.get("include") or []),
        top_logprobs=int(body.get("top_logprobs") or 0),
        media_tokens=media,
    )


_WORD = re.compile(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\b")


def _arguments_for(tool: dict[str, Any], user_text: str) -> str:
    # A capitalised word that does not start a sentence is likely a name: "Weather in Paris?"
    words = [
        m.group(0)
        for m in _WORD.finditer(user_text)
        if m.start() > 0 and user_text[: m.start()].rstrip()[-1:] not in ".!?"
    ]
    schema = tool.get("parameters") or {"type": "object"}
    return json.dumps(instance(schema, words[-1] if words else "example"), ensure_ascii=False)


def _split_fragments(text: str, size: int = 7) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _chosen_tools(conv: Conversation) -> list[dict[str, Any]]:
    if conv.tool_outputs or not conv.turns or conv.turns[-1][0] != "user":
        return []
    return chosen_tools(conv.tools, conv.tool_choice, conv.last_user, conv.parallel)


def _markdown(conv: Conversation, info: ModelInfo, api: str) -> str:
    asked = conv.last_user.strip() or "(no user message)"
    quoted = "\n".join("> " + line for line in asked[:400].splitlines() or [""])
    lines = [
        f"**Simulated answer** from `{info.id}` on the {api} API.",
        "",
        "You asked:",
        "",
        quoted,
        "",
    ]
    if conv.instructions:
        lines += [f"Instructions in effect: *{conv.instructions[:120].strip()}*", ""]
    if conv.settings:
        lines += ["Parameters that took effect:", ""]
        lines += [f"- `{k}`: {json.dumps(v)}" for k, v in sorted(conv.settings.items())]
        lines.append("")
    else:
        lines += ["No generation parameters were set, so the defaults apply.", ""]
    lines += [
        "| word count | characters |",
        "|---:|---:|",
        f"| {len(asked.split())} | {len(asked)} |",
        "",
        "```python",
        f"print({asked[:40]!r})",
        "```",
        "",
        "This offline simulator answers without a network or a key.",
    ]
    return "\n".join(lines)


def _answer_from_tools(conv: Conversation) -> str:
    lines = ["Here is what the tools returned:", ""]
    for name, output in conv.tool_outputs:
        lines.append(f"- **{name}**: `{output.strip()[:200]}`")
    lines += ["", "That answers your question based on the tool results."]
    return "\n".join(lines)


def _structured(conv: Conversation) -> str | None:
    fmt = conv.output_format or {}
    if fmt.get("type") == "json_schema" and fmt.get("name") == GRADE_FORMAT_NAME:
        return json.dumps(verdict(conv.instructions, conv.last_user), ensure_ascii=False)
    if fmt.get("type") == "json_schema":
        schema = fmt.get("schema") or {"type": "object"}
        return json.dumps(instance(schema), ensure_ascii=False)
    if fmt.get("type") == "json_object":
        asks = [conv.instructions, *(t for r, t in reversed(conv.turns) if r == "user")]
        wanted = requested_object(asks)
        if wanted is not None:
            return json.dumps(wanted, ensure_ascii=False)
        return json.dumps({"answer": conv.last_user[:80], "simulated": True})
    return None


def _answer_text(conv: Conversation, info: ModelInfo, api: str) -> str:
    structured = _structured(conv)
    if structured is not None:
        return structured
    if conv.tool_outputs:
        return _answer_from_tools(conv)
    return _markdown(conv, info, api)


def _apply_stop(text: str, stop: list[str]) -> str:
    cut = min((text.find(s) for s in stop if s and s in text), default=-1)
    return text if cut < 0 else text[:cut]


def input_tokens(conv: Conversation) -> int:
    """The input tokens the simulated model bills for `conv` (its text and its images): its
    usage and its `POST /v1/responses/input_tokens` count are this one number."""
    text = count_tokens(conv.instructions) + sum(count_tokens(t) for _, t in conv.turns)
    return text + conv.media_tokens


def plan(conv: Conversation, info: ModelInfo, api: str) -> Plan:
    """The deterministic answer to `conv`."""
    out = Plan(model=info.id, logprobs=conv.logprobs, top_logprobs=conv.top_logprobs)
    out.input_tokens = input_tokens(conv)
    tier = conv.settings.get("service_tier")
    if tier in ("default", "flex", "scale", "priority", "fast", "ultrafast"):
        out.service_tier = "priority" if tier == "fast" else str(tier)
    effort = conv.settings.get("reasoning_effort") or info.default_effort
    if info.reasoning and effort != "none":  # effort none: the model answers without reasoning
        out.reasoning_tokens = 64
        if conv.reasoning_summary:
            summary = (
                f"**Reading the request**\n\nThe user asked about "
                f'"{conv.last_user[:60].strip()}". I will answer briefly and plainly.'
            )
            out.reasoning = tokens(summary)
    chosen = _chosen_tools(conv)
    if chosen:
        for tool in chosen:
            name = str(tool.get("name"))
            if tool.get("type") == "custom":
                text = custom_input(tool, conv.last_user)
                item = new_id("ctc")
                out.calls.append(
                    PlannedCall(name, _split_fragments(text), item_id=item, kind="custom")
                )
            else:
                args = _arguments_for(tool, conv.last_user)
                out.calls.append(PlannedCall(name, _split_fragments(args)))
        out.finish = "tool_calls"
        out.output_tokens = sum(count_tokens(c.arguments) for c in out.calls) + out.reasoning_tokens
        return out
    base = _answer_text(conv, info, api)
    partial = conv.turns[-1][1] if conv.turns and conv.turns[-1][0] == "assistant" else ""
    if partial:
        # Continue: the input ends with an answer cut short; go on with the rest of it.
        before = replace(conv, turns=conv.turns[:-1], tool_outputs=conv.prior_outputs)
        whole = _answer_text(before, info, api)
        if whole.startswith(partial) and len(whole) > len(partial):
            base = whole[len(partial) :]
    texts = []
    for k in range(conv.n):
        text = base if k == 0 else f"(Choice {k + 1} of {conv.n}) {base}"
        texts.append(tokens(_apply_stop(text, conv.stop)))
    if conv.max_tokens is not None and len(texts[0]) > conv.max_tokens:
        texts = [t[: conv.max_tokens] for t in texts]
        out.finish = "length"
    out.choices = texts
    out.output_tokens = sum(len(t) for t in texts) + out.reasoning_tokens
    return out
