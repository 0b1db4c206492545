"""Compare: the figures of several runs side by side with the best of each marked, and a
word-level diff of two answers. Pure; the window's Compare view, `playground compare` and
the exported compare program show what this computes.

Each column is one independent request with the whole conversation (`independent`), whatever
the tab's state mode: the columns may go to other models or providers, where the tab's
previous_response_id or Conversation does not exist. The state mode applies to Run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Literal

from playground.core.state_modes import LABELS

if TYPE_CHECKING:
    from playground.core.reducer import AssistantTurn
    from playground.core.workspace import Workspace

Figure = Literal["ttft_ms", "tokens_per_s", "output_tokens", "cost_usd"]
FIGURES: tuple[Figure, ...] = ("ttft_ms", "tokens_per_s", "output_tokens", "cost_usd")
# Which way is better; output tokens are shown but never "best" (more is not better, nor less).
BETTER: dict[Figure, Literal["low", "high"]] = {
    "ttft_ms": "low",
    "tokens_per_s": "high",
    "cost_usd": "low",
}
# Outcomes as the CLI and the window name them. A failed run's figures are never the best.
Outcome = Literal["running", "done", "stopped", "failed", "tool_calls", "length"]


@dataclass(frozen=True, slots=True)
class Row:
    """One run's figures: ttft and tokens/s as measured, output tokens from the usage, cost
    in US dollars (core/cost.py); None when not known."""

    key: str
    ttft_ms: float | None = None
    tokens_per_s: float | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    outcome: Outcome = "done"

    def value(self, figure: Figure) -> float | None:
        """The figure, or None when it is missing (None or NaN)."""
        value = getattr(self, figure)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return float(value)


@dataclass(frozen=True, slots=True)
class Table:
    """The rows in the order given, and for each figure with a direction (BETTER) the
    indices of the rows that hold its best value: every row on a tie; none when no row has
    the figure."""

    rows: tuple[Row, ...]
    best: dict[Figure, frozenset[int]]

    def is_best(self, index: int, figure: Figure) -> bool:
        return index in self.best.get(figure, frozenset())


def table(rows: Sequence[Row]) -> Table:
    """The figures table of `rows`, best values marked (see Table)."""
    best: dict[Figure, frozenset[int]] = {}
    for figure, way in BETTER.items():
        values = {
            i: v
            for i, row in enumerate(rows)
            if row.outcome != "failed" and (v := row.value(figure)) is not None
        }
        if not values:
            best[figure] = frozenset()
            continue
        top = min(values.values()) if way == "low" else max(values.values())
        best[figure] = frozenset(i for i, v in values.items() if v == top)
    return Table(tuple(rows), best)


def outcome_of(turn: AssistantTurn, stopped: bool = False) -> Outcome:
    """How a finished run ended, in the order `playground run` ranks its exit codes: failed,
    stopped (by the user), length (at the output-token limit), tool_calls (calls to answer,
    MCP approval requests among them), done."""
    if turn.failure is not None:
        return "failed"
    if stopped:
        return "stopped"
    if turn.stopped_at_limit:
        return "length"
    if turn.tool_calls or any(i.get("type") == "mcp_approval_request" for i in turn.items):
        return "tool_calls"
    return "done"


def row_of(
    key: str, turn: AssistantTurn, model: str, *, streamed: bool = True, stopped: bool = False
) -> Row:
    """The figures of a finished run of `model` (the answer's model when it names one): the
    turn's timing and usage, and its cost at today's price (core/cost.py, None without one).
    A run that was not streamed has no time to first token (its answer came all at once)."""
    from playground.core import cost

    timing, usage = turn.timing, turn.usage
    found = cost.of_run(turn.model or model, usage) if usage is not None else None
    return Row(
        key=key,
        ttft_ms=timing.ttft_ms if timing and streamed else None,
        tokens_per_s=timing.tokens_per_s if timing else None,
        output_tokens=usage.output_tokens if usage else None,
        cost_usd=found.total if found else None,
        outcome=outcome_of(turn, stopped),
    )


# -- word diff -----------------------------------------------------------------------------

Op = Literal["equal", "insert", "delete", "replace"]
# A word (letters, digits, _) or any other single character, with the whitespace after it; a
# text's leading whitespace alone. The tokens join back to the text. Whitespace rides with
# the token before it because a space is every other token otherwise, and SequenceMatcher's
# time grows with how often a token repeats (two 4,000-word answers: 5 s with spaces as
# tokens of their own, 0.3 s like this, measured on the reference machine).
_TOKEN = re.compile(r"\s+|\w+\s*|[^\w\s]\s*")
_TRAILING_SPACE = re.compile(r"\s*$")
# Above this product of the two token counts, texts are diffed line by line first (about
# 0.1 s for two unrelated 2,000-word answers on the reference machine, quadratic beyond).
WORD_LIMIT = 4_000_000


@dataclass(frozen=True, slots=True)
class Span:
    """A run of the diff: `a` is its text in the first answer, `b` in the second ("equal":
    the same text; "insert": only b; "delete": only a; "replace": both, different)."""

    op: Op
    a: str
    b: str


def tokens(text: str) -> list[str]:
    """`text` as words and punctuation marks, each with the whitespace after it; they join
    back to `text`."""
    return _TOKEN.findall(text)


def word_diff(a: str, b: str, limit: int = WORD_LIMIT) -> list[Span]:
    """The word-level diff of `a` and `b`; joining the spans' `a` gives `a`, their `b` gives `b`.

    difflib.SequenceMatcher over tokens() (without its "popular element" heuristic, which
    would treat common words of a long answer as junk), after the common start and end are
    set aside; a changed word's trailing whitespace, when both sides share it, is shown as
    equal. When the product of the two token counts is above `limit`, the texts are compared
    line by line first, and word by word within the changed lines whose product is within
    `limit`; a longer changed block is one "replace"."""
    ta, tb = tokens(a), tokens(b)
    start = 0
    while start < min(len(ta), len(tb)) and ta[start] == tb[start]:
        start += 1
    end = 0
    while end < min(len(ta), len(tb)) - start and ta[-1 - end] == tb[-1 - end]:
        end += 1
    mid_a, mid_b = ta[start : len(ta) - end], tb[start : len(tb) - end]
    spans = [Span("equal", "".join(ta[:start]), "".join(tb[:start]))]
    if len(mid_a) * len(mid_b) <= limit:
        spans += _by_tokens(mid_a, mid_b)
    else:
        spans += _by_lines(mid_a, mid_b, limit)
    spans.append(Span("equal", "".join(ta[len(ta) - end :]), "".join(tb[len(tb) - end :])))
    return _merged(spans)


def _by_tokens(ta: list[str], tb: list[str]) -> list[Span]:
    matcher = SequenceMatcher(None, ta, tb, autojunk=False)
    return [
        Span(op, "".join(ta[i1:i2]), "".join(tb[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _lines(toks: list[str]) -> list[list[str]]:
    """Tokens grouped into lines: a line ends with the token that holds a newline."""
    out: list[list[str]] = [[]]
    for tok in toks:
        out[-1].append(tok)
        if "\n" in tok:
            out.append([])
    return [line for line in out if line]


def _by_lines(ta: list[str], tb: list[str], limit: int) -> list[Span]:
    la, lb = _lines(ta), _lines(tb)
    matcher = SequenceMatcher(None, ["".join(x) for x in la], ["".join(x) for x in lb])
    spans = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        sa = [t for line in la[i1:i2] for t in line]
        sb = [t for line in lb[j1:j2] for t in line]
        if op == "replace" and len(sa) * len(sb) <= limit:
            spans += _by_tokens(sa, sb)
        else:
            spans.append(Span(op, "".join(sa), "".join(sb)))
    return spans


def _merged(spans: list[Span]) -> list[Span]:
    """A replaced run's shared trailing whitespace made equal; empty spans dropped;
    neighbours of the same kind joined."""
    split: list[Span] = []
    for span in spans:
        if span.op == "replace":
            space_a = _TRAILING_SPACE.search(span.a)
            space_b = _TRAILING_SPACE.search(span.b)
            tail = space_a.group() if space_a else ""
            if (
                tail
                and space_b
                and space_b.group() == tail
                and len(tail) < min(len(span.a), len(span.b))
            ):
                split.append(Span("replace", span.a[: -len(tail)], span.b[: -len(tail)]))
                split.append(Span("equal", tail, tail))
                continue
        split.append(span)
    out: list[Span] = []
    for span in split:
        if not span.a and not span.b:
            continue
        if out and out[-1].op == span.op:
            out[-1] = Span(span.op, out[-1].a + span.a, out[-1].b + span.b)
        else:
            out.append(span)
    return out


def independent(ws: Workspace) -> Workspace:
    """`ws` as one Compare column sends it: the whole conversation (state "everything"), so
    no previous_response_id or conversation goes with it (see the module docstring)."""
    return ws if ws.state == "everything" else ws.model_copy(update={"state": "everything"})


def state_note(ws: Workspace) -> str:
    """What Compare says when the tab's state mode is not Send everything: each column
    sends the whole conversation, the mode is Run's. "" when the mode is Send everything or
    the API is Chat Completions (which has no state mode)."""
    if ws.state == "everything" or ws.api != "responses":
        return ""
    return (
        "Compare sends the whole conversation in each column, as its own request; the state "
        f"mode ({LABELS[ws.state]}) applies to Run."
    )
