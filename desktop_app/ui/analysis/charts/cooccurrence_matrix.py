"""Tags by tags: how many sentences carry both, the "Co-occurrence" chart."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QWidget

from desktop_app.core.chart_colours import ChartColours, cell_colours
from desktop_app.core.chart_data import Series
from desktop_app.core.chart_labels import count_text
from desktop_app.ui.analysis.charts.chart import GAP, LABEL_POINTS, MARGIN, Chart, chart_font

SLANT = 0.7072  # cos 45°, a little over: how far a name slanted at 45° reaches across and up


@dataclass(frozen=True, slots=True)
class _Geometry:
    """The sizes of the matrix's parts for one set of font metrics."""

    names: float  # the width of the row names' column, swatch included
    cell_width: float
    cell_height: float
    header: float  # the height of the column names above the cells
    slanted: bool  # whether the column names slant (too long to stand over a cell)


@dataclass(frozen=True, slots=True)
class _Grid:
    """Where the matrix's cells go on one device, measured once for all its steps."""

    font: QFont
    label: QFontMetricsF
    sizes: _Geometry
    left: float  # the first column's left edge
    top: float  # the first row's top edge
    most: int  # the largest pair count, which gets the strongest shade


class CooccurrenceMatrix(Chart):
    """Tags by tags: how many sentences carry both, written in each cell, shaded by count.

    Pairs are shaded in a neutral grey (so the shade never reads as a tag's colour); the
    diagonal holds each tag's own sentence count on a tint of the tag's colour, so it neither
    competes with the pairs for the strongest shade nor looks like one of them.
    """

    empty_text = "No tagged sentences yet."

    NOTE = "Each cell: sentences tagged with both. Diagonal, tinted: sentences with that tag."

    def __init__(self, title: str = "Tags in the same sentence", parent: QWidget | None = None):
        self._tags: tuple[Series, ...] = ()
        self._pairs: dict[tuple[int, int], int] = {}
        self._own: dict[int, int] = {}
        super().__init__(title, parent, note=self.NOTE)

    def set_data(
        self,
        tags: Iterable[Series],
        pairs: Iterable[tuple[int, int, int]],
        own: Mapping[int, int] | None = None,
    ) -> None:
        """Tags in row order, `(tag_a, tag_b, sentences)` pairs, and each tag's own count."""
        self._tags = tuple(tags)
        self._pairs = {}
        for a, b, count in pairs:
            if a != b:
                self._pairs[(min(a, b), max(a, b))] = count
        self._own = dict(own or {})
        self._data_changed()

    def count(self, a: int, b: int) -> int | None:
        """Sentences tagged with both `a` and `b` (the tag's own count when a == b)."""
        if a == b:
            return self._own.get(a)
        return self._pairs.get((min(a, b), max(a, b)), 0)

    def is_empty(self) -> bool:
        return not self._tags

    def text_alternative(self) -> str:
        if not self._tags:
            return f"{self._title}: no tags."
        pairs = [
            f"{a.name} and {b.name} {self.count(a.key, b.key)}"
            for i, a in enumerate(self._tags)
            for b in self._tags[i + 1 :]
        ]
        own = [f"{t.name} {self._own[t.key]}" for t in self._tags if t.key in self._own]
        text = f"{self._title}, sentences with both tags: " + ("; ".join(pairs) or "none") + "."
        if own:
            text += " Sentences with each tag: " + ", ".join(own) + "."
        return text

    def sizeHint(self) -> QSize:
        sizes = self._geometry(QFontMetricsF(chart_font(LABEL_POINTS)))
        count = max(1, len(self._tags))
        overhang = (sizes.names - 20) * SLANT if sizes.slanted else 0.0
        width = 2 * MARGIN + sizes.names + GAP + count * sizes.cell_width + overhang
        height = self._header_height() + sizes.header + count * sizes.cell_height
        return QSize(max(560, math.ceil(width)), math.ceil(height))

    # -- painting ----------------------------------------------------------------------------

    def _paint_body(self, painter: QPainter, area: QRectF, colours: ChartColours) -> None:
        grid = self._grid(painter, area)
        painter.setFont(grid.font)
        for column, tag in enumerate(self._tags):
            self._paint_column_name(painter, area, grid, column, tag, colours)
        for row, tag in enumerate(self._tags):
            self._paint_row(painter, area, grid, row, tag, colours)

    def _grid(self, painter: QPainter, area: QRectF) -> _Grid:
        font = chart_font(LABEL_POINTS)
        label = QFontMetricsF(font, painter.device())
        sizes = self._geometry(label)
        left = round(area.left() + sizes.names + GAP)
        top = round(area.top() + sizes.header)
        return _Grid(font, label, sizes, left, top, max(self._pairs.values(), default=0) or 1)

    def _paint_column_name(
        self,
        painter: QPainter,
        area: QRectF,
        grid: _Grid,
        column: int,
        tag: Series,
        colours: ChartColours,
    ) -> None:
        """A tag's name over its column: standing when it fits, slanted at 45° when not."""
        sizes = grid.sizes
        centre = grid.left + column * sizes.cell_width + sizes.cell_width / 2
        text = grid.label.elidedText(tag.name, Qt.TextElideMode.ElideRight, sizes.names - 20)
        painter.setPen(QColor(colours.ink))
        if sizes.slanted:
            painter.save()
            painter.translate(centre - grid.label.ascent() * 0.25, grid.top - 6)
            painter.rotate(-45)
            painter.drawText(QPointF(0, 0), text)
            painter.restore()
        else:
            painter.drawText(
                QRectF(
                    centre - sizes.cell_width / 2, area.top(), sizes.cell_width, sizes.header - 4
                ),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                text,
            )

    def _paint_row(
        self,
        painter: QPainter,
        area: QRectF,
        grid: _Grid,
        row: int,
        first: Series,
        colours: ChartColours,
    ) -> None:
        """A tag's swatch and name, then its count with every tag, one cell each."""
        sizes = grid.sizes
        y = grid.top + row * sizes.cell_height
        swatch = QRectF(area.left(), y + sizes.cell_height / 2 - 5, 10, 10)
        painter.fillRect(swatch, QColor(first.colour))
        painter.setPen(QColor(colours.ink))
        painter.drawText(
            QRectF(area.left() + 16, y, sizes.names - 16, sizes.cell_height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            grid.label.elidedText(first.name, Qt.TextElideMode.ElideRight, sizes.names - 20),
        )
        for column, second in enumerate(self._tags):
            box = QRectF(
                grid.left + column * sizes.cell_width + 1,
                y + 1,
                sizes.cell_width - 2,
                sizes.cell_height - 2,
            )
            own = first.colour if first.key == second.key else None
            self._paint_cell(painter, box, self.count(first.key, second.key), own, grid, colours)

    @staticmethod
    def _paint_cell(
        painter: QPainter,
        box: QRectF,
        value: int | None,
        own_colour: str | None,
        grid: _Grid,
        colours: ChartColours,
    ) -> None:
        """One cell: its shade, a grid line when unshaded, and its number ("–" for none)."""
        fill, ink = cell_colours(colours, value, grid.most, own_colour)
        painter.fillRect(box, QColor(fill))
        if fill == colours.paper:
            painter.setPen(QPen(QColor(colours.grid), 1))
            painter.drawRect(box.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.setPen(QColor(ink))
        painter.drawText(
            box, Qt.AlignmentFlag.AlignCenter, "–" if value is None else count_text(value)
        )

    # -- measuring ---------------------------------------------------------------------------

    def _geometry(self, label: QFontMetricsF) -> _Geometry:
        """Name column width, cell width and height, header height, and whether headers slant."""
        names = [label.horizontalAdvance(t.name) for t in self._tags] or [0.0]
        longest = min(max(names), label.averageCharWidth() * 18)
        widest_number = max(
            [label.horizontalAdvance(count_text(c)) for c in self._pairs.values()]
            + [label.horizontalAdvance(count_text(c)) for c in self._own.values()]
            + [0.0]
        )
        height = round(max(label.height() * 2.0, 32.0))
        width = max(height, widest_number + 16)
        # Short names fit above their column when the cells widen a little; long ones slant.
        slanted = longest + 14 > max(width, label.averageCharWidth() * 12)
        if not slanted:
            width = max(width, longest + 14)
        header = (longest * SLANT + label.height()) if slanted else label.height() + 6
        return _Geometry(longest + 20, round(width), height, round(header), slanted)
