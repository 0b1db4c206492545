"""The request's size and price before Run: input tokens, a cost range, a context meter."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from playground.core.catalog import ModelInfo
from playground.core.cost import cost_range
from playground.core.request_size import fill, input_limit
from playground.services.token_count import TokenCount
from playground.ui.theme import accent

METHODS = {
    "server": "counted by the server (POST /v1/responses/input_tokens)",
    "tiktoken": "estimated locally with tiktoken",
    "characters": "estimated locally at about four characters a token",
}


def usd(value: float) -> str:
    """Dollars with the digits a small figure needs: $0.000012, $0.0213, $1.25."""
    if value == 0:
        return "$0"
    if value < 0.01:
        return f"${value:.6f}"
    return f"${value:.4f}" if value < 1 else f"${value:,.2f}"


def short(n: int) -> str:
    """128K, 1.05M."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.3g}M"
    return f"{n / 1000:.3g}K" if n >= 1000 else str(n)


class RequestMeter(QWidget):
    """Shows what the request controller counted; knows nothing of how it was counted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(10)
        self.tokens = QLabel("")
        self.cost = QLabel("")
        self.context = QProgressBar()
        self.context.setRange(0, 1000)
        self.context.setFixedWidth(150)
        self.context.setMaximumHeight(16)
        self.context.setTextVisible(True)
        for widget in (self.tokens, self.cost, self.context):
            layout.addWidget(widget)
        self.context.hide()

    # -- public ------------------------------------------------------------------------------

    def clear(self) -> None:
        """Show nothing: the figures shown were another tab's request's."""
        for label in (self.tokens, self.cost):
            label.setText("")
            label.setToolTip("")
        self.context.hide()

    def show_counting(self) -> None:
        """A new count is under way: the figures shown are of the request before the edit."""
        self.tokens.setEnabled(False)
        self.cost.setEnabled(False)

    def show_reading(self, reading: Any) -> None:
        """A counter's reading (token_controller.Reading): its count, model, tier, output."""
        self.show_count(reading.count, reading.info, reading.tier, reading.max_output_tokens)

    def show_count(
        self,
        count: TokenCount,
        info: ModelInfo,
        tier: str | None,
        max_output_tokens: int | None,
        day: date | None = None,
    ) -> None:
        """The input tokens, the cost from the input alone up to the most output the request
        allows at `tier`, and how full the model's input is."""
        self.tokens.setEnabled(True)
        self.cost.setEnabled(True)
        self.tokens.setText(count.label)
        self.tokens.setToolTip(f"Input tokens {METHODS[count.method]}.")
        self._show_cost(count, info, tier, max_output_tokens, day)
        self._show_context(count, info)

    # -- private -----------------------------------------------------------------------------

    def _show_cost(
        self,
        count: TokenCount,
        info: ModelInfo,
        tier: str | None,
        max_output_tokens: int | None,
        day: date | None,
    ) -> None:
        found = cost_range(info, count.tokens, max_output_tokens, tier, day)
        if found is None:
            self.cost.setText("cost n/a")
            self.cost.setToolTip(f"The catalog has no price for {info.id}.")
            return
        low, high = found
        self.cost.setText(f"{usd(low)}–{usd(high)}")
        most = [n for n in (max_output_tokens, info.max_output) if n]
        factor = info.tier_factor(tier, day)
        tier_note = (
            f"at the {tier} tier (x{factor:g})"
            if tier and factor is not None and factor != 1
            else f"at Standard prices ({tier} price not known)"
            if tier and factor is None
            else "at Standard prices"
        )
        self.cost.setToolTip(
            f"Estimated cost {tier_note}: the input alone, up to the input plus "
            + (f"{min(most):,} output tokens (reasoning included)." if most else "no output.")
        )

    def _show_context(self, count: TokenCount, info: ModelInfo) -> None:
        limit = input_limit(info)
        share = fill(count.tokens, info)
        if limit is None or share is None:
            self.context.hide()
            return
        self.context.show()
        self.context.setValue(min(1000, round(share * 1000)))
        self.context.setFormat(f"{share:.1%} of {short(limit)}")
        what = "maximum input" if info.max_input else "context window"
        self.context.setToolTip(
            f"{count.tokens:,} of the {limit:,} input tokens {info.id} takes ({what}"
            + (f"; context window {info.context_window:,}" if info.max_input else "")
            + ")."
        )
        role = QPalette.ColorRole.Highlight
        palette = self.palette()
        if share > 1:
            palette.setColor(role, accent("error"))
        elif share > 0.8:
            palette.setColor(role, accent("warning"))
        self.context.setPalette(palette)
