"""One bar chart of Evaluate mode (a chart_specs.ChartSpec) drawn with pyqtgraph, in the
colours of a palette: a heading line (the title and a legend of coloured squares, wrapping
when it is long) over a pyqtgraph plot of grouped bars.

pyqtgraph (and numpy under it) takes about 0.2 s to import, 40% of the window's own import
time (`python -X importtime`), so it is imported here on first use, when the charts are first
shown or exported, never when the app starts.
"""

from __future__ import annotations

import base64
import html
import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QImage, QPainter, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from playground.ui.theme import is_dark
from playground.ui.widgets.chart_specs import ChartSpec, axis_label, description, tick_text

# Okabe & Ito's colour-blind-safe set ("Color Universal Design", 2008): told apart by hue
# and lightness, so no pair relies on red against green. Darker ones first on a light
# background, lighter ones first on a dark one (yellow and dark blue last where they fade).
SERIES_LIGHT = ("#0072b2", "#e69f00", "#cc79a7", "#009e73", "#d55e00", "#56b4e9", "#f0e442")
SERIES_DARK = ("#56b4e9", "#e69f00", "#cc79a7", "#009e73", "#d55e00", "#f0e442", "#0072b2")
# Past the colours, a series is told apart by a hatch: the first cycle is solid, the next ones
# hatched, so any two of the first len(colours) * len(PATTERNS) series differ (colour, hatch).
PATTERNS = (
    Qt.BrushStyle.SolidPattern,
    Qt.BrushStyle.BDiagPattern,
    Qt.BrushStyle.CrossPattern,
    Qt.BrushStyle.FDiagPattern,
    Qt.BrushStyle.HorPattern,
    Qt.BrushStyle.DiagCrossPattern,
    Qt.BrushStyle.VerPattern,
    Qt.BrushStyle.Dense4Pattern,
)
SWATCH = 12
"""A legend swatch's side, in pixels."""
GROUP_WIDTH = 0.8
"""The share of a category's width its bars take together (the rest is the gap)."""


@dataclass(frozen=True, slots=True)
class ChartColors:
    """A chart's colours: background, text, axis lines, and one colour per series."""

    background: QColor
    text: QColor
    axis: QColor
    series: tuple[QColor, ...]

    @classmethod
    def of(cls, palette: QPalette) -> ChartColors:
        """The colours for `palette` (the window's, or theme.light_palette() for a report)."""
        dark = is_dark(palette)
        return cls(
            background=palette.color(QPalette.ColorRole.Base),
            text=palette.color(QPalette.ColorRole.Text),
            axis=palette.color(QPalette.ColorRole.PlaceholderText),
            series=tuple(QColor(c) for c in (SERIES_DARK if dark else SERIES_LIGHT)),
        )

    def of_series(self, index: int) -> QColor:
        return self.series[index % len(self.series)]

    def style_of(self, index: int) -> tuple[QColor, Qt.BrushStyle]:
        """Series `index`'s colour and hatch: the colours in turn, then again hatched."""
        cycle = (index // len(self.series)) % len(PATTERNS)
        return self.of_series(index), PATTERNS[cycle]

    def brush_of(self, index: int) -> QBrush:
        color, style = self.style_of(index)
        return QBrush(color, style)

    def swatch(self, index: int) -> QImage:
        """Series `index`'s legend square: its hatch on the background, framed in its colour."""
        image = QImage(SWATCH, SWATCH, QImage.Format.Format_ARGB32)
        image.fill(self.background)
        painter = QPainter(image)
        painter.setBrushOrigin(0, 0)
        painter.fillRect(0, 0, SWATCH, SWATCH, self.brush_of(index))
        painter.setPen(self.of_series(index))
        painter.drawRect(0, 0, SWATCH - 1, SWATCH - 1)
        painter.end()
        return image


def image_uri(image: QImage) -> str:
    """`image` as a data: URI (PNG), for an <img> in a label's rich text."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # PySide takes a str
    return "data:image/png;base64," + base64.b64encode(bytes(data.data())).decode("ascii")


def pyqtgraph() -> ModuleType:
    """pyqtgraph, imported on first use (see the module docstring)."""
    return importlib.import_module("pyqtgraph")


_AXIS: list[type] = []


def _axis_class() -> type:
    """A pyqtgraph AxisItem whose ticks read as money, milliseconds or tokens (tick_text),
    made once, after pyqtgraph is imported."""
    if not _AXIS:
        pg = pyqtgraph()

        class UnitAxis(pg.AxisItem):  # type: ignore[name-defined,misc]
            unit = ""

            def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
                return [tick_text(self.unit, v * scale, spacing * scale) for v in values]

        _AXIS.append(UnitAxis)
    return _AXIS[0]


def bar_positions(count: int, series: int) -> tuple[list[list[float]], float]:
    """Where the bars of a category group go: for each series, the x of its bar in each of
    `count` categories (category i is centred on x = i), and each bar's width."""
    width = GROUP_WIDTH / max(series, 1)
    left = -GROUP_WIDTH / 2
    return [[i + left + width * (j + 0.5) for i in range(count)] for j in range(series)], width


class ChartBox(QWidget):
    """See the module docstring. `bars` maps a series' name to its pyqtgraph BarGraphItem."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pg = pyqtgraph()
        self.spec: ChartSpec | None = None
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.left = _axis_class()(orientation="left")
        self.left.enableAutoSIPrefix(False)
        self.plot_widget = pg.PlotWidget(axisItems={"left": self.left})
        self.plot_widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.plot_widget.setMinimumHeight(120)
        self.plot: Any = self.plot_widget.getPlotItem()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self.left.setStyle(maxTickLevel=0)  # major ticks only: fewer grid lines
        self.bars: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.plot_widget, 1)

    def draw(self, spec: ChartSpec, colors: ChartColors) -> None:
        """Show `spec` in `colors`: the bars, the axes, the heading and the description."""
        pg = pyqtgraph()
        self.spec = spec
        if [s.name for s in spec.series] != list(self.bars):  # else: the same bars, moved
            for item in self.bars.values():
                self.plot.removeItem(item)
            self.bars = {s.name: pg.BarGraphItem(x=[], height=[], width=1) for s in spec.series}
            for item in self.bars.values():
                self.plot.addItem(item)
        count = len(spec.categories)
        xs, width = bar_positions(count, len(spec.series))
        edge = pg.mkPen(colors.background, width=1)
        for j, series in enumerate(spec.series):
            shown = [(x, v) for x, v in zip(xs[j], series.values, strict=True) if v is not None]
            brush = colors.brush_of(j)
            self.bars[series.name].setOpts(
                x=[x for x, _ in shown],
                height=[v for _, v in shown],
                width=width,
                brush=brush,
                # a hatched bar is framed in its colour, so that its edges show
                pen=edge
                if brush.style() == Qt.BrushStyle.SolidPattern
                else pg.mkPen(brush.color(), width=1),
                name=series.name,
            )
        highest = max((v for s in spec.series for v in s.values if v is not None), default=0.0)
        top = spec.top if spec.top is not None else (highest * 1.1 or 1.0)
        # a little room under 0 and over the top, so that their tick labels are not cut off
        self.plot.setYRange(-0.06 * top, top * 1.06, padding=0)
        self.plot.setXRange(-0.5, max(count, 1) - 0.5, padding=0.02)
        self.left.unit = spec.unit
        self._fit_axis(spec, top)
        self.plot.setLabel("left", axis_label(spec), color=colors.text.name())
        self._name_categories(spec)
        self._paint(spec, colors)
        summary = description(spec)
        for widget in (self, self.plot_widget):  # a screen reader reads the values
            widget.setAccessibleName(f"{spec.title} chart")
            widget.setAccessibleDescription(summary)
        self.setToolTip(summary)

    def category_names(self) -> list[str]:
        """The names shown under the bars (elided to the room each category has)."""
        ticks = self.plot.getAxis("bottom")._tickLevels  # set by setTicks
        return [text for _x, text in ticks[0]] if ticks else []

    def hasHeightForWidth(self) -> bool:
        return False  # the wrapping heading would make a scroll area size charts by their hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.spec is not None:
            self._name_categories(self.spec)  # the room per name changed

    def _fit_axis(self, spec: ChartSpec, top: float) -> None:
        """Make the y axis as wide as its longest tick label ("$0.00012"), now: pyqtgraph
        widens it only after a first paint, too late for a one-off render."""
        metrics = QFontMetrics(self.font())
        texts = [tick_text(spec.unit, top * k / 4, top / 4) for k in range(5)]
        widest = max(metrics.horizontalAdvance(t) for t in texts)
        self.left.setWidth(widest + metrics.height() + 16)

    def _name_categories(self, spec: ChartSpec) -> None:
        metrics = QFontMetrics(self.plot.getAxis("bottom").style.get("tickFont") or self.font())
        room = max(24, (self.width() - 70) // max(len(spec.categories), 1) - 6)
        names = [
            metrics.elidedText(name, Qt.TextElideMode.ElideRight, room) for name in spec.categories
        ]
        self.plot.getAxis("bottom").setTicks([list(enumerate(names)), []])

    def _paint(self, spec: ChartSpec, colors: ChartColors) -> None:
        pg = pyqtgraph()
        self.plot_widget.setBackground(colors.background)
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setPen(pg.mkPen(colors.axis))
            axis.setTextPen(pg.mkPen(colors.text))
        self.plot.setLabel("left", axis_label(spec), color=colors.text.name())
        title = f"<b>{html.escape(spec.title)}</b>"
        if len(spec.series) > 1:
            keys = [
                f'<img src="{image_uri(colors.swatch(j))}" width="{SWATCH}" height="{SWATCH}">'
                f"&nbsp;{html.escape(s.name).replace(' ', '&nbsp;')}"
                for j, s in enumerate(spec.series)
            ]
            title += "&nbsp;&nbsp;&nbsp;" + "&nbsp;&nbsp; ".join(keys)
        self.heading.setText(title)
        pal = self.heading.palette()
        pal.setColor(QPalette.ColorRole.WindowText, colors.text)
        self.heading.setPalette(pal)
        bg = self.palette()
        bg.setColor(QPalette.ColorRole.Window, colors.background)
        self.setPalette(bg)
        self.setAutoFillBackground(True)
