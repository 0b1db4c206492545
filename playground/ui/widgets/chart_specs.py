"""What Evaluate mode's charts show, as plain data: a chart per figure (pass rate, latency,
tokens, cost), each with a category per variant and one or more series of bars.

Pure and Qt-free, so that the window's charts (eval_charts.py), the report's PNGs and the
tests read the same numbers. Values are None where a figure is not known yet (no bar).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from playground.core.evaluation_results import VariantSummary


@dataclass(frozen=True, slots=True)
class Series:
    """One kind of bar (a legend entry): a value per category, None for no bar."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """One chart: its title, the y axis's label and unit, the categories (variant titles)
    on the x axis and the series of bars, grouped per category. `top` is the y axis's fixed
    upper end (100 for percentages), or None to fit the data."""

    key: str
    title: str
    y_label: str
    unit: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    top: float | None = None

    def values(self, series: str) -> tuple[float | None, ...]:
        """The values of the series named `series` (KeyError when there is none)."""
        for s in self.series:
            if s.name == series:
                return s.values
        raise KeyError(series)


CHARTS = ("pass_rate", "latency", "tokens", "cost")
"""The charts, in the order they are shown and exported."""


def _percent(rate: float | None) -> float | None:
    return None if rate is None else rate * 100


def chart_specs(summaries: Sequence[VariantSummary], titles: dict[str, str]) -> list[ChartSpec]:
    """The four charts (CHARTS's order) of `summaries`, a category per summary named by
    `titles` (else the variant's key). Pass rates are in percent (0-100): "Overall" and one
    series per grader that graded any cell, in first-seen order; a variant a grader never
    graded has no bar there. Latency: median and p95 in milliseconds; tokens: the input and
    output totals; cost: US dollars (no bar when no cell had a price)."""
    names = tuple(titles.get(s.variant, s.variant) for s in summaries)
    graders: list[str] = []
    for s in summaries:
        graders += [g for g in s.per_grader if g not in graders]
    rates = [Series("Overall", tuple(_percent(s.pass_rate) for s in summaries))]
    rates += [Series(g, tuple(_percent(s.per_grader.get(g)) for s in summaries)) for g in graders]
    # no bar of 0 tokens before any cell ended
    tokens_in = tuple(float(s.input_tokens) if s.finished else None for s in summaries)
    tokens_out = tuple(float(s.output_tokens) if s.finished else None for s in summaries)
    return [
        ChartSpec("pass_rate", "Pass rate", "Passed", "%", names, tuple(rates), top=100.0),
        ChartSpec(
            "latency",
            "Latency",
            "Time",
            "ms",
            names,
            (
                Series("Median", tuple(s.median_ms for s in summaries)),
                Series("p95", tuple(s.p95_ms for s in summaries)),
            ),
        ),
        ChartSpec(
            "tokens",
            "Tokens",
            "Tokens",
            "",
            names,
            (Series("Input", tokens_in), Series("Output", tokens_out)),
        ),
        ChartSpec(
            "cost",
            "Cost",
            "Cost",
            "US$",
            names,
            (Series("Cost", tuple(s.cost_usd for s in summaries)),),
        ),
    ]


def tick_text(unit: str, value: float, spacing: float) -> str:
    """A y axis tick as a person reads it: "75" (%), "1,200" (ms and tokens), "$0.00012"
    (US$, with as many decimals as the tick spacing needs: never "1.2e-04")."""
    if value == 0:
        return "$0" if unit == "US$" else "0"
    if unit == "US$":
        places = 2 if spacing <= 0 else max(2, math.ceil(-math.log10(spacing)))
        return f"${value:.{min(places, 8)}f}"
    if spacing and spacing < 1:
        return f"{value:,.{min(math.ceil(-math.log10(spacing)), 6)}f}"
    return f"{value:,.0f}"


def axis_label(spec: ChartSpec) -> str:
    """The y axis's label: "Passed (%)", "Time (ms)", "Tokens", "Cost (US$)"."""
    return f"{spec.y_label} ({spec.unit})" if spec.unit else spec.y_label


def value_text(unit: str, value: float | None) -> str:
    """A bar's value in words for its tooltip and accessible description."""
    if value is None:
        return "none yet"
    if unit == "US$":
        return f"${value:.6f}"
    if unit == "%":
        return f"{value:.0f}%"
    return f"{value:,.0f} {unit}".rstrip()


def description(spec: ChartSpec) -> str:
    """The chart in words, a line per category: "mini: Overall 67%, says it 67%"."""
    lines = []
    for i, name in enumerate(spec.categories):
        parts = [f"{s.name} {value_text(spec.unit, s.values[i])}" for s in spec.series]
        lines.append(f"{name}: {', '.join(parts)}")
    return "\n".join(lines)
