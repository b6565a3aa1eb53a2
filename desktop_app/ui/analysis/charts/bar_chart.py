"""Horizontal bars, one a tag: the "By tag" charts (annotations per tag, coverage per tag)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QWidget

from desktop_app.core.chart_colours import ChartColours
from desktop_app.core.chart_data import Bar
from desktop_app.core.chart_labels import count_text, percent_text
from desktop_app.core.chart_scales import nice_ticks
from desktop_app.ui.analysis.charts.chart import (
    GAP,
    LABEL_POINTS,
    MARGIN,
    SMALL_POINTS,
    Chart,
    chart_font,
)


@dataclass(frozen=True, slots=True)
class _BarLayout:
    """Where a bar chart's parts go on one device, measured once for all its steps."""

    label_font: QFont
    small_font: QFont
    label: QFontMetricsF
    small: QFontMetricsF
    row: float  # the height of a bar's row
    thickness: float  # the bar's own height, centred in its row
    names_width: float
    values_width: float
    plot: QRectF  # the bars' area, from the zero line
    ticks: list[float]
    scale: float  # pixels a unit of value


class BarChart(Chart):
    """Horizontal bars, one a tag, in the tag's colour, with the exact value beside each bar.

    `percent=True` reads values as shares (0..1) and writes them as percentages.
    """

    empty_text = "No tags to count."
    # Wide enough for names up to NAMES_WIDTH beside a plot of PLOT_WIDTH, so exported files
    # (which have no table beside them) elide only very long names.
    NAMES_WIDTH = 320
    PLOT_WIDTH = 300

    def __init__(
        self,
        title: str,
        value_label: str,
        *,
        percent: bool = False,
        category_label: str = "Tag",
        parent: QWidget | None = None,
    ) -> None:
        self._bars: tuple[Bar, ...] = ()
        self._percent = percent
        self._value_label = value_label
        self._category_label = category_label
        super().__init__(title, parent)

    @property
    def bars(self) -> tuple[Bar, ...]:
        """The bars drawn, top to bottom."""
        return self._bars

    def set_data(self, bars: Iterable[Bar]) -> None:
        """Replace the bars (drawn in the order given)."""
        self._bars = tuple(bars)
        self._data_changed()

    def value_text(self, value: float) -> str:
        """How a value is written beside its bar."""
        return percent_text(value) if self._percent else count_text(value)

    def is_empty(self) -> bool:
        return not self._bars

    def text_alternative(self) -> str:
        if not self._bars:
            return f"{self._title}: no tags."
        parts = ", ".join(f"{b.label} {self.value_text(b.value)}" for b in self._bars)
        return f"{self._title}: {parts}."

    def sizeHint(self) -> QSize:
        label = QFontMetricsF(chart_font(LABEL_POINTS))
        small = QFontMetricsF(chart_font(SMALL_POINTS))
        rows = max(1, len(self._bars))
        body = small.height() + 4 + rows * self._row_height(label) + 6 + 2 * small.height() + 4
        names, values = self._column_widths(label, small)
        width = 2 * MARGIN + min(names, self.NAMES_WIDTH) + GAP + values + 4 + self.PLOT_WIDTH
        return QSize(max(560, math.ceil(width)), math.ceil(self._header_height() + body))

    # -- painting ----------------------------------------------------------------------------

    def _paint_body(self, painter: QPainter, area: QRectF, colours: ChartColours) -> None:
        layout = self._layout(painter, area)
        self._paint_grid(painter, area, layout, colours)
        self._paint_bars(painter, area, layout, colours)
        self._paint_scale(painter, area, layout, colours)

    def _layout(self, painter: QPainter, area: QRectF) -> _BarLayout:
        device = painter.device()
        label_font, small_font = chart_font(LABEL_POINTS), chart_font(SMALL_POINTS)
        label, small = QFontMetricsF(label_font, device), QFontMetricsF(small_font, device)
        row = self._row_height(label)
        names_width, values_width = self._column_widths(label, small)
        # Names give way first (elided), but the plot keeps at least 45% of the width.
        room = area.width() - GAP - values_width - 4
        names_width = min(names_width, max(room - max(area.width() * 0.45, 120.0), 60.0))
        plot = QRectF(
            round(area.left() + names_width + GAP),
            area.top() + small.height() + 4,
            max(area.width() - names_width - GAP - values_width - 4, 20.0),
            row * len(self._bars),
        )
        ticks = nice_ticks(max(b.value for b in self._bars), whole=not self._percent)
        return _BarLayout(
            label_font,
            small_font,
            label,
            small,
            row,
            round(row * 0.6),
            names_width,
            values_width,
            plot,
            ticks,
            plot.width() / ticks[-1],
        )

    def _paint_grid(
        self, painter: QPainter, area: QRectF, layout: _BarLayout, colours: ChartColours
    ) -> None:
        """The category heading over the names, and a line at each tick (the zero line darker)."""
        painter.setFont(layout.small_font)
        painter.setPen(QColor(colours.muted))
        painter.drawText(
            QRectF(area.left(), area.top(), layout.names_width, layout.small.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            self._category_label,
        )
        plot = layout.plot
        for tick in layout.ticks:
            x = round(plot.left() + tick * layout.scale) + 0.5
            painter.setPen(QPen(QColor(colours.rule if tick == 0 else colours.grid), 1))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))

    def _paint_bars(
        self, painter: QPainter, area: QRectF, layout: _BarLayout, colours: ChartColours
    ) -> None:
        """Each bar in its tag's colour, its name on the left and its value at its end."""
        painter.setFont(layout.label_font)
        row, plot = layout.row, layout.plot
        for index, bar in enumerate(self._bars):
            y = plot.top() + index * row
            length = round(max(bar.value, 0.0) * layout.scale)
            band = QRectF(
                plot.left() + 1, round(y + (row - layout.thickness) / 2), length, layout.thickness
            )
            if length > 0:
                painter.fillRect(band, QColor(bar.colour))
            painter.setPen(QColor(colours.ink))
            painter.drawText(
                QRectF(area.left(), y, layout.names_width, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                layout.label.elidedText(bar.label, Qt.TextElideMode.ElideRight, layout.names_width),
            )
            painter.drawText(
                QRectF(band.left() + length + 6, y, layout.values_width, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.value_text(bar.value),
            )

    def _paint_scale(
        self, painter: QPainter, area: QRectF, layout: _BarLayout, colours: ChartColours
    ) -> None:
        """The tick values under the plot (kept inside the chart) and what the values are."""
        painter.setFont(layout.small_font)
        painter.setPen(QColor(colours.muted))
        plot, small = layout.plot, layout.small
        tick_top = plot.bottom() + 6
        for tick in layout.ticks:
            text = self.value_text(tick)
            width = small.horizontalAdvance(text)
            x = plot.left() + tick * layout.scale - width / 2
            x = min(max(x, plot.left() - 4), area.right() - width)
            painter.drawText(QPointF(x, tick_top + small.ascent()), text)
        painter.drawText(
            QRectF(plot.left(), tick_top + small.height() + 2, plot.width(), small.height()),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
            self._value_label,
        )

    # -- measuring ---------------------------------------------------------------------------

    def _column_widths(self, label: QFontMetricsF, small: QFontMetricsF) -> tuple[float, float]:
        """The widths the names and the values need, unelided."""
        names = max([label.horizontalAdvance(b.label) + 2 for b in self._bars] + [0.0])
        names = max(names, small.horizontalAdvance(self._category_label))
        values = max(
            [label.horizontalAdvance(self.value_text(b.value)) for b in self._bars] + [0.0]
        )
        return names, values + 6

    @staticmethod
    def _row_height(metrics: QFontMetricsF) -> float:
        return round(metrics.height() * 1.85)
