"""Annotations a month, stacked by tag: the "Over time" chart."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QWidget

from desktop_app.core.analysis_figures import period_totals
from desktop_app.core.chart_colours import ChartColours
from desktop_app.core.chart_data import Series
from desktop_app.core.chart_labels import count_text, period_label, period_text
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
class _Plot:
    """Where the stacks go on one device, measured once for all the painting steps."""

    small_font: QFont
    bold_font: QFont
    small: QFontMetricsF
    area: QRectF  # the stacks' area, from the zero line up
    ticks: list[float]
    scale: float  # pixels an annotation
    totals: list[int]


class TimelineChart(Chart):
    """Annotations a month, one stacked bar a period in tag colours, totals on top, a legend."""

    empty_text = "No annotations to place in time."
    fills_height = True
    MIN_SLOT = 46

    def __init__(self, title: str = "Annotations over time", parent: QWidget | None = None):
        self._tags: tuple[Series, ...] = ()
        self._periods: tuple[tuple[str, dict[int, int]], ...] = ()
        super().__init__(title, parent)

    def set_data(
        self,
        tags: Iterable[Series],
        periods: Iterable[tuple[str, Iterable[tuple[int, int]]]],
    ) -> None:
        """Tags in stacking order (bottom first) and `(period, ((tag, count), ...))` rows."""
        self._tags = tuple(tags)
        self._periods = tuple((name, dict(counts)) for name, counts in periods)
        self._data_changed()

    @property
    def tags(self) -> tuple[Series, ...]:
        """The tags stacked, bottom first."""
        return self._tags

    def totals(self) -> list[int]:
        """Each period's total over the chart's tags (what is written on top of its bar)."""
        return period_totals(self._tags, (counts for _, counts in self._periods))

    def is_empty(self) -> bool:
        return not self._periods or not any(self.totals())

    def text_alternative(self) -> str:
        if self.is_empty():
            return f"{self._title}: none."
        parts = []
        for (period, counts), total in zip(self._periods, self.totals(), strict=True):
            split = ", ".join(f"{t.name} {counts[t.key]}" for t in self._tags if counts.get(t.key))
            parts.append(f"{period_text(period)}: {total}" + (f" ({split})" if split else ""))
        return f"{self._title}: " + "; ".join(parts) + "."

    def sizeHint(self) -> QSize:
        slots = max(1, len(self._periods))
        width = 2 * MARGIN + 48 + slots * self.MIN_SLOT
        return QSize(max(560, math.ceil(width)), math.ceil(self._header_height() + 300))

    # -- painting ----------------------------------------------------------------------------

    def _paint_body(self, painter: QPainter, area: QRectF, colours: ChartColours) -> None:
        label_font = chart_font(LABEL_POINTS)
        painter.setFont(label_font)
        painter.setPen(QColor(colours.ink))
        legend_height = self._legend(
            painter, area, QFontMetricsF(label_font, painter.device()), draw=True
        )
        plot = self._plot(painter, area, legend_height)
        self._paint_scale(painter, area, legend_height, plot, colours)
        self._paint_periods(painter, plot, colours)

    def _legend(self, painter: QPainter, area: QRectF, metrics: QFontMetricsF, draw: bool) -> float:
        """Lay out (and draw, when `draw`) the legend; return its height."""
        x, y = area.left(), area.top()
        line = metrics.height() + 4
        for tag in self._legend_tags():
            width = 14 + metrics.horizontalAdvance(tag.name)
            if x > area.left() and x + width > area.right():
                x, y = area.left(), y + line
            if draw:
                painter.fillRect(QRectF(x, y + line / 2 - 5, 10, 10), QColor(tag.colour))
                painter.drawText(
                    QPointF(x + 14, y + (line - metrics.height()) / 2 + metrics.ascent()), tag.name
                )
            x += width + 18
        return y - area.top() + line

    def _legend_tags(self) -> list[Series]:
        return [t for t in self._tags if any(c.get(t.key, 0) for _, c in self._periods)]

    def _plot(self, painter: QPainter, area: QRectF, legend_height: float) -> _Plot:
        """The stacks' area under the legend and the axis title, right of the tick values."""
        small_font = chart_font(SMALL_POINTS)
        small = QFontMetricsF(small_font, painter.device())
        totals = self.totals()
        ticks = nice_ticks(max(totals), whole=True, count=4)
        axis_width = max(small.horizontalAdvance(count_text(t)) for t in ticks) + 8
        plot_top = area.top() + legend_height + GAP + small.height() + 4 + small.height() + 4
        plot = QRectF(
            round(area.left() + axis_width),
            round(plot_top),
            area.right() - area.left() - axis_width,
            area.bottom() - plot_top - 2 * small.height() - 8,
        )
        bold_font = chart_font(SMALL_POINTS, bold=True)
        return _Plot(small_font, bold_font, small, plot, ticks, plot.height() / ticks[-1], totals)

    def _paint_scale(
        self,
        painter: QPainter,
        area: QRectF,
        legend_height: float,
        plot: _Plot,
        colours: ChartColours,
    ) -> None:
        """The axis title, a line at each tick (the zero line darker) and the tick values."""
        small, box = plot.small, plot.area
        painter.setFont(plot.small_font)
        painter.setPen(QColor(colours.muted))
        painter.drawText(
            QPointF(area.left(), area.top() + legend_height + GAP + small.ascent()), "annotations"
        )
        for tick in plot.ticks:
            y = round(box.bottom() - tick * plot.scale) + 0.5
            painter.setPen(QPen(QColor(colours.rule if tick == 0 else colours.grid), 1))
            painter.drawLine(QPointF(box.left(), y), QPointF(box.right(), y))
            painter.setPen(QColor(colours.muted))
            text = count_text(tick)
            painter.drawText(
                QPointF(
                    box.left() - 6 - small.horizontalAdvance(text), y - 1 + small.ascent() / 2 - 1
                ),
                text,
            )

    def _paint_periods(self, painter: QPainter, plot: _Plot, colours: ChartColours) -> None:
        """A stack, its total and its month for each period; months thinned out when crowded."""
        slot = plot.area.width() / len(self._periods)
        bar_width = round(min(slot * 0.62, 64.0))
        labels = [period_label(p) for p, _ in self._periods]
        widest = max(plot.small.horizontalAdvance(m) for m, _ in labels)
        every = max(1, math.ceil((widest + 8) / slot))
        for index, ((_, counts), total) in enumerate(zip(self._periods, plot.totals, strict=True)):
            x = round(plot.area.left() + index * slot + (slot - bar_width) / 2)
            top = self._paint_stack(painter, plot, x, bar_width, counts, colours)
            # Totals and months may spread over the neighbouring slots, centred on the bar.
            left, width = x - slot, bar_width + 2 * slot
            above = QRectF(left, top - plot.small.height() - 3, width, plot.small.height())
            self._paint_total(painter, plot, above, total, colours)
            below = QRectF(left, plot.area.bottom() + 5, width, plot.small.height())
            previous_year = labels[index - 1][1] if index else ""
            self._paint_period_label(
                painter, plot, below, labels[index], previous_year, index % every == 0, colours
            )

    def _paint_stack(
        self,
        painter: QPainter,
        plot: _Plot,
        x: float,
        width: float,
        counts: dict[int, int],
        colours: ChartColours,
    ) -> float:
        """One period's segments, bottom first, a line of paper between; return its top."""
        base = round(plot.area.bottom())
        for tag in self._tags:
            value = counts.get(tag.key, 0)
            if value <= 0:
                continue
            height = round(value * plot.scale)
            painter.fillRect(QRectF(x, base - height, width, height), QColor(tag.colour))
            if base != round(plot.area.bottom()):
                painter.fillRect(QRectF(x, base - 1, width, 1), QColor(colours.paper))
            base -= height
        return base

    @staticmethod
    def _paint_total(
        painter: QPainter, plot: _Plot, above: QRectF, total: int, colours: ChartColours
    ) -> None:
        """The period's total, in bold, on top of its stack."""
        painter.setFont(plot.bold_font)
        painter.setPen(QColor(colours.ink))
        painter.drawText(
            above, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, count_text(total)
        )

    @staticmethod
    def _paint_period_label(
        painter: QPainter,
        plot: _Plot,
        below: QRectF,
        label: tuple[str, str],
        previous_year: str,
        with_month: bool,
        colours: ChartColours,
    ) -> None:
        """The month under its stack (when `with_month`) and the year under the first month
        of each year."""
        month, year = label
        painter.setFont(plot.small_font)
        if with_month:
            painter.setPen(QColor(colours.ink))
            painter.drawText(below, Qt.AlignmentFlag.AlignHCenter, month)
        if year and (year != previous_year or not previous_year):
            painter.setPen(QColor(colours.muted))
            painter.drawText(
                below.translated(0, plot.small.height()), Qt.AlignmentFlag.AlignHCenter, year
            )
