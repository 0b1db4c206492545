"""The export of an evaluation: one runnable Python program that sends every variant's request
for every row of the test set (AsyncOpenAI under an asyncio.Semaphore), grades each answer with
the graders written out, and prints a results table per variant.

Each variant's request is the one request builder's value for that variant (core/request.py),
kept as a template: the texts the app fills (core/variables.py `spots`) are written
`fill("...", variables)` with the app's own fill function written out
(core/variables.FILL_SOURCE), and each row fills them with the variant's own variables and
then the row's values, as `playground eval` does (cli_eval_inputs.prepare). Graders' values
are filled the same way. Keys come from the environment, as in the other exports.
The graders written out are the text ones (exact, contains, not_contains, starts_with, regex),
valid_json, and the latency and output_tokens limits; the others are listed as not exported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from playground.core import request, variables
from playground.core.compare import independent
from playground.core.evaluation_spec import GraderSpec, TestRow
from playground.core.export_client import client_kwargs, key_env, simulator_note, tier_of
from playground.core.profiles import ProviderProfile
from playground.core.pysource import INDENT, Filled, call, literal, string
from playground.core.variants import Variant, apply
from playground.core.workspace import Workspace

EXPORTED_GRADERS = frozenset(
    {"exact", "contains", "not_contains", "starts_with", "regex", "valid_json", "latency"}
    | {"output_tokens"}
)

HELPERS = '''
def values_of(row: dict[str, Any]) -> dict[str, str]:
    """What a grader's value may use: a row's variables, its expected values as
    expected.NAME, and expected (its "expected" value, else its first)."""
    out, expected = dict(row["values"]), row["expected"]
    out.update({f"expected.{k}": v for k, v in expected.items()})
    if expected:
        out["expected"] = expected.get("expected", next(iter(expected.values())))
    return out


def grade(
    spec: dict[str, Any], values: dict[str, str], answer: dict[str, Any]
) -> tuple[bool, str]:
    """(passed, reason) of one grader on one answer."""
    try:
        want = fill(spec.get("value", ""), values)
    except KeyError as exc:
        return False, f"this row has {exc.args[0]}"
    kind, text = spec["kind"], answer["text"]
    if not spec.get("case_sensitive", True):
        want, text = want.lower(), text.lower()
    if kind == "exact":
        ok = text.strip() == want.strip()
    elif kind == "contains":
        ok = want in text
    elif kind == "not_contains":
        ok = want not in text
    elif kind == "starts_with":
        ok = text.startswith(want)
    elif kind == "regex":
        ok = re.search(want, text) is not None
    elif kind == "valid_json":
        try:
            json.loads(answer["text"])
            ok = True
        except ValueError:
            ok = False
    elif kind == "latency":
        ok = answer["ms"] <= spec["limit"]
        return ok, f"{answer['ms']:.0f} ms (limit {spec['limit']:g})"
    else:  # output_tokens
        used = answer["output_tokens"] or 0
        return used <= spec["limit"], f"{used} output tokens (limit {spec['limit']:g})"
    return ok, f"{kind.replace('_', ' ')} {want!r}: {'yes' if ok else 'no'}"


async def send(client: AsyncOpenAI, api: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The answer's text and output tokens (streamed or not, on either API)."""
    text, output_tokens = "", None
    if api == "responses":
        if kwargs.get("stream"):
            async for event in await client.responses.create(**kwargs):
                if event.type == "response.output_text.delta":
                    text += event.delta
                elif event.type in ("response.completed", "response.incomplete"):
                    usage = event.response.usage
                    output_tokens = usage.output_tokens if usage is not None else None
        else:
            response = await client.responses.create(**kwargs)
            text = response.output_text
            output_tokens = response.usage.output_tokens if response.usage else None
    elif kwargs.get("stream"):
        async for chunk in await client.chat.completions.create(**kwargs):
            if chunk.usage is not None:
                output_tokens = chunk.usage.completion_tokens
            for choice in chunk.choices:
                if choice.index == 0 and choice.delta.content:
                    text += choice.delta.content
    else:
        response = await client.chat.completions.create(**kwargs)
        text = response.choices[0].message.content or ""
        output_tokens = response.usage.completion_tokens if response.usage else None
    return {"text": text, "output_tokens": output_tokens}


async def cell(
    gate: asyncio.Semaphore, variant: str, row: dict[str, Any]
) -> dict[str, Any]:
    """One variant on one row, graded: {"variant", "row", "outcome", "ms", "reasons"}.
    The request is filled with the variant's own variables, then the row's; a row without
    a value for one is an error and sends nothing."""
    client, api, own, build = VARIANTS[variant]
    failed = {"variant": variant, "row": row["id"], "outcome": "error", "ms": None}
    try:
        kwargs = build({**own, **row["values"]})
    except KeyError as exc:
        return {**failed, "reasons": [f"the row has {exc.args[0]}"]}
    async with gate:
        start = time.perf_counter()
        try:
            answer = await send(client, api, kwargs)
        except APIError as exc:
            return {**failed, "reasons": [str(exc)]}
        answer["ms"] = (time.perf_counter() - start) * 1000
    values = values_of(row)
    grades = [
        (spec.get("name") or spec["kind"], *grade(spec, values, answer))
        for spec in GRADERS
    ]
    passed = all(ok for _, ok, _ in grades)
    return {
        "variant": variant,
        "row": row["id"],
        "outcome": "passed" if passed else "failed",
        "ms": answer["ms"],
        "reasons": [f"{name}: {why}" for name, ok, why in grades if not ok],
    }


def print_table(cells: list[dict[str, Any]]) -> None:
    """Per variant: passed of run, the pass rate, errors, mean and p95 time; then each
    failing cell with its reasons."""
    lines = [["variant", "pass", "rate", "errors", "mean", "p95"]]
    for variant in VARIANTS:
        mine = [c for c in cells if c["variant"] == variant]
        passed = sum(c["outcome"] == "passed" for c in mine)
        times = sorted(c["ms"] for c in mine if c["ms"] is not None)
        p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)] if times else None
        lines.append(
            [
                variant,
                f"{passed}/{len(mine)}",
                f"{passed / len(mine):.0%}" if mine else "-",
                str(sum(c["outcome"] == "error" for c in mine)),
                f"{sum(times) / len(times):.0f} ms" if times else "-",
                f"{p95:.0f} ms" if p95 is not None else "-",
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip())
    for c in cells:
        for reason in c["reasons"]:
            print(
                f"[{c['variant']}] row {c['row']} {c['outcome']}: {reason}",
                file=sys.stderr,
            )
'''


def _doc(key: str) -> str:
    """`key` for a docstring: quoted, without what would end or break it."""
    return '"' + key.replace("\\", "/").replace('"', "'") + '"'


def eval_python(
    ws: Workspace,
    variants: Sequence[Variant],
    rows: Sequence[TestRow],
    graders: Sequence[GraderSpec],
    profiles: Mapping[str, ProviderProfile | None] | None = None,
    concurrency: int | None = None,
) -> str:
    """A runnable program that runs every variant (or the workspace alone, as "base") on
    every row at `concurrency` requests at once (the workspace's by default), grades each
    answer and prints the table; it exits 0 when all passed, 6 when a grader failed, 4 when
    a request failed (as `playground eval`). `profiles` as in codegen_compare.compare_python.
    Raises PathError for an override that does not fit (core/variants.py)."""
    profiles = profiles or {}
    # each cell is a request of its own: the whole conversation (batch_requests.cell_workspace)
    runs = [(v.key, independent(apply(ws, v))) for v in variants] or [("base", independent(ws))]
    names = list(dict.fromkeys(w.profile for _, w in runs))
    client_of = {name: "client" if i == 0 else f"client_{i + 1}" for i, name in enumerate(names)}
    setup = []
    for name in names:
        profile = profiles.get(name)
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
    templates = []
    for i, (key, w) in enumerate(runs, start=1):
        profile = profiles.get(w.profile)
        target = request.Target.for_profile(profile) if profile is not None else None
        # the texts the app fills stay templates, filled per row by the app's own fill
        built = request.build(w, target=target, template=Filled)
        templates.append(
            f"\n\ndef request_{i}(variables: dict[str, str]) -> dict[str, Any]:\n"
            f'{INDENT}"""The request of variant {_doc(key)}, filled with `variables`."""\n'
            f"{INDENT}return {literal(built.kwargs, 11, '', 1)}\n\n\n"
            f"VARIANTS[{string(key)}] = (\n{INDENT}{client_of[w.profile]},\n"
            f"{INDENT}{string(built.api)},\n{INDENT}{literal(w.variables, 4, ',', 1)},\n"
            f"{INDENT}request_{i},\n)\n"
        )
    kept = [g for g in graders if g.kind in EXPORTED_GRADERS]
    left = sorted({g.kind for g in graders if g.kind not in EXPORTED_GRADERS})
    grader_head, rows_head = "GRADERS: list[dict[str, Any]] = ", "ROWS: list[dict[str, Any]] = "
    grader_src = literal(
        [g.model_dump(mode="json", exclude_defaults=True) for g in kept], len(grader_head)
    )
    rows_src = literal([r.model_dump(mode="json") for r in rows], len(rows_head))
    keys = ", ".join(sorted({key_env(profiles.get(n)) for n in names}))
    note = f"\nNot exported (they run in Playground only): {', '.join(left)}." if left else ""
    return (
        f'"""Evaluate {len(runs)} variant(s) of one request on {len(rows)} row(s) and print the '
        f"results.\n\nWritten by Playground. The key is read from {keys}.{note}\n"
        '"""\n\n'
        "import asyncio\nimport json\nimport math\nimport re\nimport sys\nimport time\n"
        "from collections.abc import Callable\nfrom typing import Any\n\n"
        "from openai import APIError, AsyncOpenAI\n\n"
        + "\n".join(setup)
        + f"\nCONCURRENCY = {concurrency or ws.evaluate.concurrency}\n"
        + "Build = Callable[[dict[str, str]], dict[str, Any]]\n"
        + "VARIANTS: dict[str, tuple[AsyncOpenAI, str, dict[str, str], Build]] = {}\n"
        + "\n\n"
        + variables.FILL_SOURCE
        + "\n"
        + "".join(templates)
        + rows_head
        + rows_src
        + "\n"
        + grader_head
        + grader_src
        + "\n\n"
        + HELPERS
        + "\n\nasync def main() -> int:\n"
        + f"{INDENT}gate = asyncio.Semaphore(CONCURRENCY)\n"
        + f"{INDENT}cells = await asyncio.gather(\n"
        + f"{INDENT * 2}*(cell(gate, variant, row) for variant in VARIANTS for row in ROWS)\n"
        + f"{INDENT})\n{INDENT}print_table(list(cells))\n"
        + f'{INDENT}if any(c["outcome"] == "error" for c in cells):\n{INDENT * 2}return 4\n'
        + f'{INDENT}return 6 if any(c["outcome"] == "failed" for c in cells) else 0\n\n\n'
        + "sys.exit(asyncio.run(main()))\n"
    )
