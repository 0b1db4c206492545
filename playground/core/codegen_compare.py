"""The Code tab's export of a comparison: one runnable Python program that sends every variant's
request at the same time (AsyncOpenAI, asyncio.gather) and prints the figures table.

Each variant's request is the one request builder's value for that variant (core/request.py),
so the program sends exactly what the app sends. Keys come from the environment, as in the
single-request export (core/export.py); none is ever written into the program.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from playground.core import request
from playground.core.compare import independent
from playground.core.export_client import client_kwargs, key_env, simulator_note, tier_of
from playground.core.profiles import ProviderProfile
from playground.core.pysource import INDENT, Raw, call, literal
from playground.core.variants import Variant, apply
from playground.core.workspace import Workspace

# The part of the program that is the same for every comparison: one Run per variant that
# measures its answer as it arrives, the two senders, and the table with the best marked.
# Figures as the app's (core/compare.py, services/backend.py): time to the first text, output
# tokens per second from the first text to the end (streams only), cost at the listed prices.
HELPERS = '''
class Run:
    """One variant's answer and figures, measured as they arrive."""

    def __init__(self, variant: str, model: str, streamed: bool) -> None:
        self.variant, self.model, self.streamed = variant, model, streamed
        self.start = time.perf_counter()
        self.first: float | None = None
        self.end = self.start
        self.deltas = 0
        self.text = ""
        self.calls = 0
        self.input_tokens = self.cached_tokens = 0
        self.output_tokens: int | None = None
        self.finish = "done"
        self.error = ""

    def delta(self, text: str) -> None:
        if self.first is None:
            self.first = time.perf_counter()
        self.deltas += 1
        self.text += text

    def usage(self, input_tokens: int, cached_tokens: int, output_tokens: int) -> None:
        self.input_tokens, self.cached_tokens = input_tokens, cached_tokens
        self.output_tokens = output_tokens

    def outcome(self) -> str:
        if self.error:
            return "failed"
        if self.finish == "length":
            return "length"
        return "tool calls" if self.calls else "done"

    def figures(self) -> dict[str, Any]:
        ttft = tokens_per_s = cost = None
        if self.streamed and self.first is not None:
            ttft = (self.first - self.start) * 1000
            tokens = self.output_tokens or self.deltas
            if self.deltas > 1 and self.end > self.first:
                tokens_per_s = tokens / (self.end - self.first)
        price = PRICES.get(self.model)
        if price is not None and self.output_tokens is not None:
            cached = min(self.cached_tokens, self.input_tokens)
            cost = (
                (self.input_tokens - cached) * price[0]
                + cached * price[1]
                + self.output_tokens * price[2]
            ) / 1_000_000
        return {
            "ttft_ms": ttft,
            "tokens_per_s": tokens_per_s,
            "output_tokens": self.output_tokens,
            "cost_usd": cost,
            "outcome": self.outcome(),
        }


async def run_responses(variant: str, client: AsyncOpenAI, **kwargs: Any) -> Run:
    """Send one variant on the Responses API."""
    run = Run(variant, kwargs["model"], bool(kwargs.get("stream")))
    try:
        if run.streamed:
            response = None
            async for event in await client.responses.create(**kwargs):
                if event.type == "response.output_text.delta":
                    run.delta(event.delta)
                elif event.type in ("response.completed", "response.incomplete"):
                    response = event.response
        else:
            response = await client.responses.create(**kwargs)
            run.text = response.output_text
        if response is not None:
            if (u := response.usage) is not None:
                cached = getattr(u.input_tokens_details, "cached_tokens", 0) or 0
                run.usage(u.input_tokens, cached, u.output_tokens)
            run.calls = sum(item.type == "function_call" for item in response.output)
            if response.status == "incomplete":
                run.finish = "length"
    except APIError as exc:
        run.error = str(exc)
    run.end = time.perf_counter()
    return run


async def run_chat(variant: str, client: AsyncOpenAI, **kwargs: Any) -> Run:
    """Send one variant on the Chat Completions API (its first choice)."""
    run = Run(variant, kwargs["model"], bool(kwargs.get("stream")))
    finish = None
    try:
        if run.streamed:
            async for chunk in await client.chat.completions.create(**kwargs):
                if (u := chunk.usage) is not None:
                    cached = getattr(u.prompt_tokens_details, "cached_tokens", 0) or 0
                    run.usage(u.prompt_tokens, cached, u.completion_tokens)
                for choice in chunk.choices:
                    if choice.index == 0:
                        if choice.delta.content:
                            run.delta(choice.delta.content)
                        run.calls += len(choice.delta.tool_calls or [])
                        finish = choice.finish_reason or finish
        else:
            response = await client.chat.completions.create(**kwargs)
            choice = response.choices[0]
            run.text = choice.message.content or ""
            run.calls = len(choice.message.tool_calls or [])
            finish = choice.finish_reason
            if (u := response.usage) is not None:
                cached = getattr(u.prompt_tokens_details, "cached_tokens", 0) or 0
                run.usage(u.prompt_tokens, cached, u.completion_tokens)
        run.finish = "length" if finish == "length" else "done"
    except APIError as exc:
        run.error = str(exc)
    run.end = time.perf_counter()
    return run


def print_table(runs: list[Run]) -> None:
    """The figures side by side; * marks the best of a column (never a failed run's)."""
    rows = [run.figures() for run in runs]
    best = {}
    for figure, pick in (("ttft_ms", min), ("tokens_per_s", max), ("cost_usd", min)):
        ok = [r for r in rows if r["outcome"] != "failed"]
        values = [r[figure] for r in ok if r[figure] is not None]
        best[figure] = pick(values) if values else None

    def cell(row: dict[str, Any], figure: str, form: str) -> str:
        value = row[figure]
        if value is None:
            return "-"
        return form.format(value) + (" *" if value == best.get(figure) else "")

    lines = [["variant", "answer", "ttft", "tokens/s", "output", "cost", "outcome"]]
    for run, row in zip(runs, rows):
        answer = next((s.strip() for s in run.text.splitlines() if s.strip()), "")
        if len(answer) > 40:
            answer = answer[:39] + "…"
        lines.append(
            [
                run.variant,
                answer,
                cell(row, "ttft_ms", "{:.0f} ms"),
                cell(row, "tokens_per_s", "{:.1f}"),
                cell(row, "output_tokens", "{}"),
                cell(row, "cost_usd", "${:.6f}"),
                row["outcome"],
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip())
    print("* the best of its column (lowest ttft and cost, highest tokens/s)")
    for run in runs:
        if run.error:
            print(f"[{run.variant}] {run.error}", file=sys.stderr)
'''


def compare_python(
    ws: Workspace,
    variants: list[Variant],
    profiles: Mapping[str, ProviderProfile | None] | None = None,
    day: date | None = None,
) -> str:
    """A runnable program that runs each of `variants` of `ws` at once and prints the table.

    `profiles` maps each profile name the variants run on (the workspace's, or a variant's
    `profile` override) to its ProviderProfile; a name not in it sends to the OpenAI API. The
    program lists the prices in force on `day` (today by default) from the model catalog.
    Raises PathError for an override that does not fit (core/variants.py)."""
    from playground.core.catalog import lookup

    if not variants:
        raise ValueError("a comparison needs at least one variant")
    profiles = profiles or {}
    runs = [(v, independent(apply(ws, v))) for v in variants]  # the whole conversation each
    names = list(dict.fromkeys(w.profile for _, w in runs))
    client_of = {name: "client" if i == 0 else f"client_{i + 1}" for i, name in enumerate(names)}
    stdlib = {"asyncio", "sys", "time"}
    setup = []
    for name in names:
        profile = profiles.get(name)
        if profile is not None and profile.auth == "api-key":
            stdlib.add("os")
        if profile is not None and profile.kind == "simulator":
            setup.extend(simulator_note(profile))
        setup.append(
            f"{client_of[name]} = "
            + call(
                "AsyncOpenAI",
                client_kwargs(profile, tier_of([w for _, w in runs], name)),
                explode=False,
            )
        )
    when = day or date.today()
    prices: dict[str, Any] = {}
    for _, w in runs:
        point = lookup(w.model).price_on(when)
        if point is not None:
            cached = point.cached_input if point.cached_input is not None else point.input
            prices[w.model] = (point.input, cached, point.output)
    prices_src = "PRICES: dict[str, tuple[float, float, float]] = " + literal(
        {k: Raw(repr(v)) for k, v in prices.items()}, 50
    )
    sends = []
    for v, w in runs:
        profile = profiles.get(w.profile)
        target = request.Target.for_profile(profile) if profile is not None else None
        built = request.build(w, target=target)
        sender = "run_responses" if built.api == "responses" else "run_chat"
        kwargs = {"variant": v.key, "client": Raw(client_of[w.profile]), **built.kwargs}
        sends.append(INDENT * 2 + call(sender, kwargs, depth=2) + ",")
    keys = ", ".join(sorted({key_env(profiles.get(n)) for n in names}))
    head = "\n".join(f"import {m}" for m in sorted(stdlib))
    return (
        f'"""Compare {len(runs)} variants of one request, all at once, and print their figures.\n\n'
        f"Written by Playground. The key is read from {keys}.\n"
        '"""\n\n'
        f"{head}\nfrom typing import Any\n\nfrom openai import APIError, AsyncOpenAI\n\n"
        + "\n".join(setup)
        + "\n# US dollars per 1M tokens (input, cached input, output): Playground's model\n"
        f"# catalog, prices in force on {when.isoformat()}\n"
        + prices_src
        + "\n\n"
        + HELPERS
        + "\n\nasync def main() -> int:\n"
        + f"{INDENT}runs = await asyncio.gather(\n"
        + "\n".join(sends)
        + f"\n{INDENT})\n{INDENT}print_table(list(runs))\n"
        + f"{INDENT}return 1 if any(run.error for run in runs) else 0\n\n\n"
        + "sys.exit(asyncio.run(main()))\n"
    )
