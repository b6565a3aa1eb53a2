"""Several charts as one picture: the "By tag" tab's two bar charts, on screen and in one file."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from desktop_app.core.chart_colours import ChartColours
from desktop_app.ui.analysis.charts.chart import Chart


class ChartGroup(Chart):
    """Charts drawn one under another as a single picture (on screen and in files)."""

    def __init__(self, title: str, charts: Sequence[Chart], parent: QWidget | None = None):
        self._charts = tuple(charts)
        super().__init__(title, parent)
        for chart in self._charts:
            chart.setParent(self)
            chart.hide()  # painted by the group, never shown on their own

    @property
    def charts(self) -> tuple[Chart, ...]:
        """The charts drawn, top to bottom."""
        return self._charts

    def refresh(self) -> None:
        """Take up the charts' new data (call after their `set_data`)."""
        self._data_changed()

    def is_empty(self) -> bool:
        return all(chart.is_empty() for chart in self._charts)

    def text_alternative(self) -> str:
        return " ".join(chart.text_alternative() for chart in self._charts)

    def sizeHint(self) -> QSize:
        hints = [chart.sizeHint() for chart in self._charts] or [QSize(560, 0)]
        return QSize(max(h.width() for h in hints), sum(h.height() for h in hints))

    def paint_on(
        self, painter: QPainter, rect: QRectF, colours: ChartColours | None = None
    ) -> None:
        colours = colours or self.colours()
        painter.fillRect(rect, QColor(colours.paper))
        top = rect.top()
        for chart in self._charts:
            height = chart.sizeHint().height()
            chart.paint_on(painter, QRectF(rect.left(), top, rect.width(), height), colours)
            top += height
