"""A Compare column's figures: time to first token, tokens/s, output tokens, cost and outcome,
the best of each (across the columns, core.compare) marked with a star, and under each a small
bar of its size against the largest of the columns (widgets/figure_bar.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from playground.core import compare
from playground.ui.theme import accent
from playground.ui.widgets.figure_bar import FigureBar

if TYPE_CHECKING:
    from playground.services.runs import Run

FIGURES = (
    ("ttft_ms", "First token"),
    ("tokens_per_s", "Tokens/s"),
    ("output_tokens", "Output"),
    ("cost_usd", "Cost"),
)


def figure_text(name: str, value: float | None) -> str:
    """A figure as the column shows it ("—" while unknown)."""
    if value is None:
        return "—"
    if name == "ttft_ms":
        return f"{value:.0f} ms"
    if name == "tokens_per_s":
        return f"{value:,.0f}/s"
    if name == "cost_usd":
        return f"${value:.6f}" if value < 0.01 else f"${value:.4f}"
    return f"{value:.0f}"


def largest(rows: Sequence[compare.Row]) -> dict[str, float]:
    """The largest of each figure across `rows` (a bar's full length), for the figures some
    row has; a failed run counts too (its bar is as long as its figure)."""
    top: dict[str, float] = {}
    for name, _text in FIGURES:
        values = [v for r in rows if (v := r.value(name)) is not None]  # type: ignore[arg-type]
        if values and max(values) > 0:
            top[name] = max(values)
    return top


def row_of_run(key: str, run: Run | None) -> compare.Row:
    """A column's figures for the table: its run's so far (services.runs.RunFigures), and how
    it ended (core.compare.outcome_of: tool calls, length...) once it did."""
    if run is None:
        return compare.Row(key=key, outcome="running")
    f = run.figures()
    outcome: compare.Outcome = run.outcome
    if not run.live and run.turn is not None:
        outcome = compare.outcome_of(run.turn, run.outcome == "stopped")
    return compare.Row(
        key=key,
        ttft_ms=f.ttft_ms,
        tokens_per_s=f.tokens_per_s,
        output_tokens=f.output_tokens,
        cost_usd=f.cost_usd,
        outcome=outcome,
    )


class FiguresGrid(QWidget):
    """See the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(1)
        self.labels: dict[str, QLabel] = {}
        self.bars: dict[str, FigureBar] = {}
        for i, (name, text) in enumerate(FIGURES):
            caption = QLabel(text)
            caption.setStyleSheet(f"color: {accent('muted').name()};")
            value = QLabel("—")
            self.labels[name] = value
            self.bars[name] = FigureBar()
            self.bars[name].setAccessibleName(f"{text}, relative to the other columns")
            row, column = (i // 2) * 2, (i % 2) * 2
            grid.addWidget(caption, row, column)
            grid.addWidget(value, row, column + 1)
            grid.addWidget(self.bars[name], row + 1, column + 1)  # under its figure
        caption = QLabel("Outcome")
        caption.setStyleSheet(f"color: {accent('muted').name()};")
        self.outcome = QLabel("not run yet")
        grid.addWidget(caption, 4, 0)
        grid.addWidget(self.outcome, 4, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

    def paint(
        self, row: compare.Row, best: set[str], outcome: str, top: dict[str, float] | None = None
    ) -> None:
        """Paint `row`; the figures in `best` are the best of all columns, `top` holds the
        largest of each figure across the columns (the bars' full length; no bar without).
        Only what changed is set: a style sheet set again re-polishes the label (4 a second,
        per column)."""
        for name, _label in FIGURES:
            star = name in best
            value, largest = row.value(name), (top or {}).get(name)  # type: ignore[arg-type]
            share = value / largest if value is not None and largest else None
            self.bars[name].set_share(share, star)
            text = figure_text(name, row.value(name)) + (" ★" if star else "")  # type: ignore[arg-type]
            style = f"color: {accent('ok').name()}; font-weight: bold;" if star else ""
            _put(self.labels[name], text, style, "The best of the columns" if star else "")
        tone = {"failed": "error", "stopped": "warning", "length": "warning"}.get(row.outcome)
        _put(self.outcome, outcome, f"color: {accent(tone).name()};" if tone else "", "")

    def best_marks(self) -> set[str]:
        """The figures shown as the best."""
        return {n for n, _ in FIGURES if self.labels[n].text().endswith("★")}


def _put(label: QLabel, text: str, style: str, tip: str) -> None:
    if label.text() != text:
        label.setText(text)
    if label.styleSheet() != style:
        label.setStyleSheet(style)
        label.setToolTip(tip)
