"""Small charts of an analysis, painted with QPainter so they look the same on screen and in files.

Each chart is a QWidget whose drawing lives in `paint_on(painter, rect)`, which measures text
against the painter's own device; so one code path draws on screen, into a QImage (PNG) and into
a QSvgGenerator (SVG). Every chart writes its numbers (beside each bar, in each cell, on top of
each stack): readers read figures instead of estimating lengths. The same numbers, in words, are
the widget's accessible description, for screen readers and for the tooltip-less keyboard user.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QImageWriter,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.core.highlight_layers import composite, contrast_ratio
from desktop_app.io.atomic_write import write_bytes_atomically
from desktop_app.ui.reader.reading_style import DARK, LIGHT, interface_font

MARGIN = 16.0
GAP = 10.0
TITLE_POINTS = 11.5
LABEL_POINTS = 10.0
SMALL_POINTS = 9.0
MIN_WIDTH = 360
SVG_DPI = 96  # the screen's logical DPI, so point sizes keep their proportions in SVG

_WRAP = Qt.TextFlag.TextWordWrap
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class ChartColours:
    """The neutral colours a chart draws with; tag colours come with the data."""

    paper: str
    ink: str
    muted: str
    grid: str
    rule: str


LIGHT_CHART = ChartColours(
    paper=LIGHT.paper,
    ink=LIGHT.ink,
    muted=LIGHT.muted,
    grid="#e6e4dd",
    rule="#a9a69d",
)
# The dark reading colours, which the HTML export shares: a chart and a page agree.
DARK_CHART = ChartColours(
    paper=DARK.paper,
    ink=DARK.ink,
    muted=DARK.muted,
    grid="#36342f",
    rule="#6a675f",
)
# Files go into reports and slides, which are nearly always white.
EXPORT_CHART = replace(LIGHT_CHART, paper="#ffffff")


@dataclass(frozen=True, slots=True)
class Series:
    """A tag as a chart knows it: a key to match counts, a name and a `#rrggbb` colour."""

    key: int
    name: str
    colour: str


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a `BarChart`."""

    label: str
    value: float
    colour: str


def nice_ticks(maximum: float, *, whole: bool, count: int = 5) -> list[float]:
    """Round axis ticks from 0 to at least `maximum` (steps of 1, 2, 2.5 or 5 times 10^k)."""
    if maximum <= 0:
        return [0.0, 1.0] if whole else [0.0, 0.25, 0.5, 0.75, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = 10 * magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        if whole and multiple == 2.5 and magnitude < 10:
            continue
        if multiple * magnitude >= raw:
            step = multiple * magnitude
            break
    if whole:
        step = max(1.0, round(step))
    steps = max(1, math.ceil(maximum / step - 1e-9))
    return [round(i * step, 10) for i in range(steps + 1)]


def percent_text(share: float) -> str:
    """0.35 as "35%", 1/3 as "33.3%"."""
    value = share * 100
    if abs(value - round(value)) < 0.05:
        return f"{round(value)}%"
    return f"{value:.1f}%"


def count_text(value: float) -> str:
    """A count with thousands separators: 12,345."""
    return f"{round(value):,}"


def period_label(period: str) -> tuple[str, str]:
    """ "2026-03" as ("Mar", "2026"); anything else (like "undated") as (itself, "")."""
    match = _MONTH_RE.match(period)
    if match and 1 <= int(match.group(2)) <= 12:
        return MONTHS[int(match.group(2)) - 1], match.group(1)
    return period, ""


def _font(points: float, bold: bool = False) -> QFont:
    font = interface_font(points)
    # The generic family last, so an SVG opened where none of ours is installed stays sans.
    font.setFamilies([*font.families(), "sans-serif"])
    if bold:
        font.setWeight(QFont.Weight.DemiBold)
    return font


def _readable_on(fill: str, colours: ChartColours) -> QColor:
    """Ink or paper, whichever reads better on `fill`."""
    ink, paper = colours.ink, colours.paper
    better = ink if contrast_ratio(fill, ink) >= contrast_ratio(fill, paper) else paper
    return QColor(better)


class Chart(QWidget):
    """What every chart shares: a title, light or dark colours, painting on any device.

    `dark=None` (the default) follows the widget's palette, so the chart turns dark with the
    application; exports always use `EXPORT_CHART` unless told otherwise.
    """

    empty_text = "Nothing to show yet."
    # Whether the body grows with the widget (a timeline) or keeps its natural height (bars,
    # a grid), with the note right under it rather than at the bottom of a tall window.
    fills_height = False
    NOTE_WIDTH = 560 - 2 * MARGIN  # the width notes wrap at in size hints

    def __init__(self, title: str, parent: QWidget | None = None, note: str = "") -> None:
        super().__init__(parent)
        self._title = title
        self._note = note
        self._dark: bool | None = None
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._update_description()

    # -- public ------------------------------------------------------------------------------

    @property
    def title(self) -> str:
        """The heading drawn above the chart (also its accessible name)."""
        return self._title

    @property
    def note(self) -> str:
        """A line under the chart that says how to read it ("" for none)."""
        return self._note

    def set_note(self, note: str) -> None:
        """Change the line under the chart."""
        self._note = note
        self._data_changed()

    def set_dark(self, dark: bool | None) -> None:
        """Force dark (True) or light (False) colours, or follow the palette (None)."""
        self._dark = dark
        self.update()

    def colours(self) -> ChartColours:
        """The colours used on screen now."""
        dark = self._dark
        if dark is None:
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        return DARK_CHART if dark else LIGHT_CHART

    def is_empty(self) -> bool:
        """True when there is nothing to draw but the title and a short message."""
        raise NotImplementedError

    def text_alternative(self) -> str:
        """Every number of the chart in a sentence or two."""
        raise NotImplementedError

    def export_size(self) -> QSize:
        """The logical size of files: the chart's natural size, whatever the window's."""
        return self.sizeHint()

    def paint_on(
        self, painter: QPainter, rect: QRectF, colours: ChartColours | None = None
    ) -> None:
        """Draw the whole chart into `rect` of whatever device `painter` paints on."""
        colours = colours or self.colours()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(rect, QColor(colours.paper))
        rect = QRectF(rect)
        if not self.fills_height:
            rect.setHeight(min(rect.height(), self.sizeHint().height()))
        inner = rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        title_font = _font(TITLE_POINTS, bold=True)
        metrics = QFontMetricsF(title_font, painter.device())
        painter.setFont(title_font)
        painter.setPen(QColor(colours.ink))
        title_box = QRectF(inner.left(), inner.top(), inner.width(), metrics.height())
        painter.drawText(
            title_box,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, inner.width()),
        )
        body = inner.adjusted(0, metrics.height() + GAP, 0, 0)
        if self._note and not self.is_empty():
            small_font = _font(SMALL_POINTS)
            painter.setFont(small_font)
            painter.setPen(QColor(colours.muted))
            height = self._note_height(QFontMetricsF(small_font, painter.device()), body.width())
            painter.drawText(
                QRectF(body.left(), body.bottom() - height, body.width(), height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom | _WRAP,
                self._note,
            )
            body.setBottom(body.bottom() - height - GAP)
        if self.is_empty():
            painter.setFont(_font(LABEL_POINTS))
            painter.setPen(QColor(colours.muted))
            painter.drawText(
                body, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self.empty_text
            )
        else:
            self._paint_body(painter, body, colours)
        painter.restore()

    # -- Qt ----------------------------------------------------------------------------------

    def minimumSizeHint(self) -> QSize:
        return QSize(MIN_WIDTH, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.paint_on(painter, QRectF(self.rect()))
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.update()
        super().changeEvent(event)

    # -- for subclasses ----------------------------------------------------------------------

    def _paint_body(self, painter: QPainter, area: QRectF, colours: ChartColours) -> None:
        raise NotImplementedError

    def _data_changed(self) -> None:
        self._update_description()
        self.updateGeometry()
        self.update()

    def _update_description(self) -> None:
        self.setAccessibleDescription(self.text_alternative())

    def _header_height(self) -> float:
        """Margins, title and note: the height around the body, for size hints."""
        height = QFontMetricsF(_font(TITLE_POINTS, bold=True)).height() + GAP + 2 * MARGIN
        if self._note and not self.is_empty():
            height += self._note_height(QFontMetricsF(_font(SMALL_POINTS)), self.NOTE_WIDTH)
            height += GAP
        return height

    def _note_height(self, metrics: QFontMetricsF, width: float) -> float:
        box = metrics.boundingRect(QRectF(0, 0, width, 10_000), _WRAP, self._note)
        return math.ceil(box.height())


class BarChart(Chart):
    """Horizontal bars, one a tag, in the tag's colour, with the exact value beside each bar.

    `percent=True` reads values as shares (0..1) and writes them as percentages.
    """

    empty_text = "No tags to count."

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
        label = QFontMetricsF(_font(LABEL_POINTS))
        small = QFontMetricsF(_font(SMALL_POINTS))
        rows = max(1, len(self._bars))
        body = small.height() + 4 + rows * self._row_height(label) + 6 + 2 * small.height() + 4
        # Wide enough for names up to NAMES_WIDTH beside a plot of PLOT_WIDTH, so exported
        # files (which have no table beside them) elide only very long names.
        names, values = self._column_widths(label, small)
        width = 2 * MARGIN + min(names, self.NAMES_WIDTH) + GAP + values + 4 + self.PLOT_WIDTH
        return QSize(max(560, math.ceil(width)), math.ceil(self._header_height() + body))

    NAMES_WIDTH = 320
    PLOT_WIDTH = 300

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

    def _paint_body(self, painter: QPainter, area: QRectF, colours: ChartColours) -> None:
        device = painter.device()
        label_font, small_font = _font(LABEL_POINTS), _font(SMALL_POINTS)
        label, small = QFontMetricsF(label_font, device), QFontMetricsF(small_font, device)
        row = self._row_height(label)
        thickness = round(row * 0.6)
        values = [self.value_text(b.value) for b in self._bars]
        names_width, values_width = self._column_widths(label, small)
        # Names give way first (elided), but the plot keeps at least 45% of the width.
        room = area.width() - GAP - values_width - 4
        names_width = min(names_width, max(room - max(area.width() * 0.45, 120.0), 60.0))
        top = area.top() + small.height() + 4
        plot = QRectF(
            round(area.left() + names_width + GAP),
            top,
            max(area.width() - names_width - GAP - values_width - 4, 20.0),
            row * len(self._bars),
        )
        ticks = nice_ticks(max(b.value for b in self._bars), whole=not self._percent)
        scale = plot.width() / ticks[-1]

        painter.setFont(small_font)
        painter.setPen(QColor(colours.muted))
        painter.drawText(
            QRectF(area.left(), area.top(), names_width, small.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            self._category_label,
        )
        for tick in ticks:
            x = round(plot.left() + tick * scale) + 0.5
            painter.setPen(QPen(QColor(colours.rule if tick == 0 else colours.grid), 1))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))

        painter.setFont(label_font)
        for index, (bar, text) in enumerate(zip(self._bars, values, strict=True)):
            y = plot.top() + index * row
            length = round(max(bar.value, 0.0) * scale)
            band = QRectF(plot.left() + 1, round(y + (row - thickness) / 2), length, thickness)
            if length > 0:
                painter.fillRect(band, QColor(bar.colour))
            painter.setPen(QColor(colours.ink))
            painter.drawText(
                QRectF(area.left(), y, names_width, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label.elidedText(bar.label, Qt.TextElideMode.ElideRight, names_width),
            )
            painter.drawText(
                QRectF(band.left() + length + 6, y, values_width, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )

        painter.setFont(small_font)
        painter.setPen(QColor(colours.muted))
        tick_top = plot.bottom() + 6
        for tick in ticks:
            text = self.value_text(tick)
            width = small.horizontalAdvance(text)
            x = plot.left() + tick * scale - width / 2
            x = min(max(x, plot.left() - 4), area.right() - width)
            painter.drawText(QPointF(x, tick_top + small.ascent()), text)
        painter.drawText(
            QRectF(plot.left(), tick_top + small.height() + 2, plot.width(), small.height()),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
            self._value_label,
        )


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

    def _geometry(self, label: QFontMetricsF) -> tuple[float, float, float, float, bool]:
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
        header = (longest * 0.7072 + label.height()) if slanted else label.height() + 6
        return longest + 20, round(width), height, round(header), slanted

    def sizeHint(self) -> QSize:
        label = QFontMetricsF(_font(LABEL_POINTS))
        names, cell_width, cell_height, header, slanted = self._geometry(label)
        count = max(1, len(self._tags))
        overhang = (names - 20) * 0.7072 if slanted else 0.0
        width = 2 * MARGIN + names + GAP + count * cell_width + overhang
        height = self._header_height() + header + count * cell_height
        return QSize(max(560, math.ceil(width)), math.ceil(height))

    def _paint_body(self, painter: QPainter, area: QRectF, colours: ChartColours) -> None:
        device = painter.device()
        label_font = _font(LABEL_POINTS)
        label = QFontMetricsF(label_font, device)
        names, cell_width, cell_height, header, slanted = self._geometry(label)
        left = round(area.left() + names + GAP)
        top = round(area.top() + header)
        most = max(self._pairs.values(), default=0) or 1
        painter.setFont(label_font)

        for column, tag in enumerate(self._tags):
            centre = left + column * cell_width + cell_width / 2
            text = label.elidedText(tag.name, Qt.TextElideMode.ElideRight, names - 20)
            painter.setPen(QColor(colours.ink))
            if slanted:
                painter.save()
                painter.translate(centre - label.ascent() * 0.25, top - 6)
                painter.rotate(-45)
                painter.drawText(QPointF(0, 0), text)
                painter.restore()
            else:
                painter.drawText(
                    QRectF(centre - cell_width / 2, area.top(), cell_width, header - 4),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    text,
                )

        for row, first in enumerate(self._tags):
            y = top + row * cell_height
            swatch = QRectF(area.left(), y + cell_height / 2 - 5, 10, 10)
            painter.fillRect(swatch, QColor(first.colour))
            painter.setPen(QColor(colours.ink))
            painter.drawText(
                QRectF(area.left() + 16, y, names - 16, cell_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                label.elidedText(first.name, Qt.TextElideMode.ElideRight, names - 20),
            )
            for column, second in enumerate(self._tags):
                box = QRectF(left + column * cell_width + 1, y + 1, cell_width - 2, cell_height - 2)
                value = self.count(first.key, second.key)
                if first.key == second.key:
                    fill = composite([first.colour], colours.paper, 0.22)
                    pen = _readable_on(fill, colours)
                elif value:
                    fill = composite([colours.ink], colours.paper, 0.08 + 0.52 * value / most)
                    pen = _readable_on(fill, colours)
                else:
                    fill, pen = colours.paper, QColor(colours.muted)
                painter.fillRect(box, QColor(fill))
                if fill == colours.paper:
                    painter.setPen(QPen(QColor(colours.grid), 1))
                    painter.drawRect(box.adjusted(0.5, 0.5, -0.5, -0.5))
                painter.setPen(pen)
                painter.drawText(
                    box, Qt.AlignmentFlag.AlignCenter, "–" if value is None else count_text(value)
                )


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
        keys = {t.key for t in self._tags}
        return [sum(c for k, c in counts.items() if k in keys) for _, counts in self._periods]

    def _legend_tags(self) -> list[Series]:
        return [t for t in self._tags if any(c.get(t.key, 0) for _, c in self._periods)]

    def is_empty(self) -> bool:
        return not self._periods or not any(self.totals())

    def text_alternative(self) -> str:
        if self.is_empty():
            return f"{self._title}: none."
        parts = []
        for (period, counts), total in zip(self._periods, self.totals(), strict=True):
            month, year = period_label(period)
            split = ", ".join(f"{t.name} {counts[t.key]}" for t in self._tags if counts.get(t.key))
            parts.append(
                f"{month} {year}".strip() + f": {total}" + (f" ({split})" if split else "")
            )
        return f"{self._title}: " + "; ".join(parts) + "."

    def sizeHint(self) -> QSize:
        slots = max(1, len(self._periods))
        width = 2 * MARGIN + 48 + slots * self.MIN_SLOT
        return QSize(max(560, math.ceil(width)), math.ceil(self._header_height() + 300))

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

    def _paint_body(self, painter: QPainter, area: QRectF, colours: ChartColours) -> None:
        device = painter.device()
        label_font, small_font = _font(LABEL_POINTS), _font(SMALL_POINTS)
        bold_font = _font(SMALL_POINTS, bold=True)
        label, small = QFontMetricsF(label_font, device), QFontMetricsF(small_font, device)
        painter.setFont(label_font)
        painter.setPen(QColor(colours.ink))
        legend_height = self._legend(painter, area, label, draw=True)

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
        scale = plot.height() / ticks[-1]

        painter.setFont(small_font)
        painter.setPen(QColor(colours.muted))
        painter.drawText(
            QPointF(area.left(), area.top() + legend_height + GAP + small.ascent()), "annotations"
        )
        for tick in ticks:
            y = round(plot.bottom() - tick * scale) + 0.5
            painter.setPen(QPen(QColor(colours.rule if tick == 0 else colours.grid), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor(colours.muted))
            text = count_text(tick)
            painter.drawText(
                QPointF(
                    plot.left() - 6 - small.horizontalAdvance(text), y - 1 + small.ascent() / 2 - 1
                ),
                text,
            )

        slot = plot.width() / len(self._periods)
        bar_width = round(min(slot * 0.62, 64.0))
        labels = [period_label(p) for p, _ in self._periods]
        widest = max(small.horizontalAdvance(m) for m, _ in labels)
        every = max(1, math.ceil((widest + 8) / slot))
        for index, ((_, counts), total) in enumerate(zip(self._periods, totals, strict=True)):
            x = round(plot.left() + index * slot + (slot - bar_width) / 2)
            base = round(plot.bottom())
            for tag in self._tags:
                value = counts.get(tag.key, 0)
                if value <= 0:
                    continue
                height = round(value * scale)
                painter.fillRect(QRectF(x, base - height, bar_width, height), QColor(tag.colour))
                if base != round(plot.bottom()):
                    painter.fillRect(QRectF(x, base - 1, bar_width, 1), QColor(colours.paper))
                base -= height
            painter.setFont(bold_font)
            painter.setPen(QColor(colours.ink))
            painter.drawText(
                QRectF(x - slot, base - small.height() - 3, bar_width + 2 * slot, small.height()),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                count_text(total),
            )
            month, year = labels[index]
            previous_year = labels[index - 1][1] if index else ""
            painter.setFont(small_font)
            centre = QRectF(x - slot, plot.bottom() + 5, bar_width + 2 * slot, small.height())
            if index % every == 0:
                painter.setPen(QColor(colours.ink))
                painter.drawText(centre, Qt.AlignmentFlag.AlignHCenter, month)
            if year and (year != previous_year or index == 0):
                painter.setPen(QColor(colours.muted))
                painter.drawText(
                    centre.translated(0, small.height()), Qt.AlignmentFlag.AlignHCenter, year
                )


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


def render_image(chart: Chart, scale: float = 1, colours: ChartColours = EXPORT_CHART) -> QImage:
    """The chart at its natural size, `scale` device pixels a logical pixel."""
    size = chart.export_size()
    image = QImage(
        math.ceil(size.width() * scale),
        math.ceil(size.height() * scale),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(scale)
    image.fill(QColor(colours.paper))
    painter = QPainter(image)
    chart.paint_on(painter, QRectF(0, 0, size.width(), size.height()), colours)
    painter.end()
    return image


def render_png(chart: Chart, scale: float = 2, colours: ChartColours = EXPORT_CHART) -> bytes:
    """The chart as PNG bytes, `scale` device pixels a logical pixel."""
    image = render_image(chart, scale, colours)
    # Record the scale as resolution, so documents place the image at its logical size.
    dots_per_metre = round(96 / 0.0254 * scale)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not QImageWriter(buffer, QByteArray(b"png")).write(image):
        raise OSError("could not encode the chart as PNG")
    buffer.close()
    return bytes(data.data())


def render_svg(chart: Chart, colours: ChartColours = EXPORT_CHART) -> bytes:
    """The chart as SVG bytes; its text stays text, with the text alternative as description."""
    size = chart.export_size()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setResolution(SVG_DPI)
    generator.setTitle(chart.title)
    generator.setDescription(chart.text_alternative())
    painter = QPainter(generator)
    chart.paint_on(painter, QRectF(0, 0, size.width(), size.height()), colours)
    painter.end()
    buffer.close()
    return bytes(data.data())


def save_png(
    chart: Chart, path: Path | str, scale: float = 2, colours: ChartColours = EXPORT_CHART
) -> None:
    """Write the chart as a PNG at `scale` times its logical size, atomically."""
    write_bytes_atomically(Path(path), render_png(chart, scale, colours))


def save_svg(chart: Chart, path: Path | str, colours: ChartColours = EXPORT_CHART) -> None:
    """Write the chart as an SVG file, atomically."""
    write_bytes_atomically(Path(path), render_svg(chart, colours))
