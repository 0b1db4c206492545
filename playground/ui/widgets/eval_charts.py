"""Evaluate mode's charts (issue 17, "Pictures, not only tables"): per variant, the pass rate
(overall and per grader), the latency (median and p95), the tokens (input and output) and the
cost, as grouped bars in the window's theme; and the same charts as PNG images, in the light
theme, for the HTML report (`chart_images`).

A dumb widget: it is handed summaries (core.evaluation_results.VariantSummary) and redraws.
While an evaluation runs it is handed one per finished cell, so it redraws at most four times
a second, and only while it is shown (a hidden one redraws when it is shown again).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QBuffer, QEvent, QIODevice, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from playground.core.evaluation_results import VariantSummary
from playground.ui.theme import light_palette
from playground.ui.widgets.chart_draw import ChartBox, ChartColors
from playground.ui.widgets.chart_specs import ChartSpec, chart_specs

REDRAW_MS = 250
"""Summaries handed in faster than this are drawn together (four redraws a second at most)."""
CHART_WIDTH = 330
"""The narrowest a chart gets before the charts go into fewer columns."""
CHART_HEIGHT = 160
"""The lowest a chart gets before the charts scroll."""


def columns_for(width: int) -> int:
    """How many charts side by side fit `width` pixels: 4, 2 or 1 (never 3: a lone fourth)."""
    fit = width // CHART_WIDTH
    return 4 if fit >= 4 else 2 if fit >= 2 else 1


class EvalCharts(QWidget):
    """See the module docstring. `boxes` are the charts (chart_draw.ChartBox), in
    chart_specs.CHARTS's order, made when the charts are first shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Charts per variant")
        self._summaries: list[VariantSummary] = []
        self._titles: dict[str, str] = {}
        self._dirty = True
        self._columns = 0
        self.boxes: list[ChartBox] = []
        self.redraws = 0
        """How many times the charts were drawn (a test counts the coalescing)."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self.empty = QLabel("No results yet: run the evaluation to see its charts.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._holder = QWidget()
        self._grid = QGridLayout(self._holder)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(6)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setWidget(self._holder)
        self.area.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.area, 1)
        self.area.setVisible(False)

    def show_summaries(self, summaries: Sequence[VariantSummary], titles: dict[str, str]) -> None:
        """Chart `summaries`, a variant named by `titles` (else by its key): soon, together
        with any others handed in meanwhile, and only once the charts are shown."""
        self._summaries = list(summaries)
        self._titles = dict(titles)
        self._dirty = True
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Draw what is pending now (tests, and before a grab)."""
        self._timer.stop()
        self._redraw()

    def specs(self) -> list[ChartSpec]:
        """What the charts show (or will, once redrawn)."""
        return chart_specs(self._summaries, self._titles)

    # -- Qt overrides --------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self._timer.start(0)  # after the tab has shown, not in the middle of its switch

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.boxes:
            colors = ChartColors.of(self.palette())
            for box in self.boxes:
                if box.spec is not None:
                    box.draw(box.spec, colors)

    # -- private -----------------------------------------------------------------------------

    def _redraw(self) -> None:
        specs = self.specs()
        has_any = any(s.categories for s in specs)
        self.empty.setVisible(not has_any)
        self.area.setVisible(has_any)
        if not self.boxes:
            self.boxes = [ChartBox() for _ in specs]  # pyqtgraph is imported here
            self._columns = 0
            self._place()
        colors = ChartColors.of(self.palette())
        for box, spec in zip(self.boxes, specs, strict=True):
            box.draw(spec, colors)
        self._dirty = False
        self.redraws += 1

    def _place(self) -> None:
        """Lay the charts out in as many columns as fit the width."""
        if not self.boxes:
            return
        columns = columns_for(self.area.viewport().width() or self.width())
        if columns == self._columns:
            return
        self._columns = columns
        for box in self.boxes:
            self._grid.removeWidget(box)
        for i, box in enumerate(self.boxes):
            box.setMinimumSize(200, CHART_HEIGHT)
            self._grid.addWidget(box, i // columns, i % columns)


class ResultsTabs(QTabWidget):
    """The bottom of Evaluate mode: the summary table and the charts, a tab each. Choosing
    Charts gives them two thirds of the splitter they sit in (a table needs less room than
    four charts); going back to Summary gives the room back."""

    def __init__(self, summary: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.charts = EvalCharts()
        self.addTab(summary, "Summary")
        self.addTab(self.charts, "Charts")
        self.setTabToolTip(0, "Pass rate, latency, tokens and cost of each variant, as a table")
        self.setTabToolTip(1, "The same figures as bar charts, per variant")
        self.setDocumentMode(True)
        self._sizes: list[int] = []
        self.currentChanged.connect(self._on_current_changed)

    def _on_current_changed(self, index: int) -> None:
        split = self.parentWidget()
        if not isinstance(split, QSplitter) or split.count() != 2:
            return
        sizes = split.sizes()
        total = sum(sizes)
        if self.widget(index) is self.charts and sizes[1] < total * 2 // 3:
            self._sizes = sizes
            split.setSizes([total - total * 2 // 3, total * 2 // 3])
        elif self.widget(index) is not self.charts and self._sizes:
            split.setSizes(self._sizes)
            self._sizes = []


def chart_images(
    summaries: Sequence[VariantSummary],
    titles: dict[str, str],
    *,
    width: int = 640,
    height: int = 320,
) -> list[tuple[str, bytes]]:
    """The charts of `summaries` as (title, PNG bytes), one per chart in chart_specs.CHARTS's
    order, each `width` x `height` pixels, in the light theme whatever the window's (a
    report is read on paper-white). Needs a QApplication; shows nothing on screen."""
    if QApplication.instance() is None:
        raise RuntimeError("chart_images needs a QApplication")
    palette = light_palette()
    colors = ChartColors.of(palette)
    out = []
    for spec in chart_specs(summaries, titles):
        box = ChartBox()
        box.setPalette(palette)
        box.resize(width, height)
        if (layout := box.layout()) is not None:
            layout.activate()  # never shown: render() delivers the resize to the plot
        box.draw(spec, colors)
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(colors.background)
        box.render(image)
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # str works; the stub says bytes
        out.append((spec.title, bytes(buffer.data().data())))
        box.close()
        box.deleteLater()
    return out
