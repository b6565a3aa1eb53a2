"""What every chart of the analysis shares: title, note, colours, and painting on any device.

A chart draws in `paint_on(painter, rect)`, never straight in `paintEvent`, so that the screen,
a PNG and an SVG get the same drawing; text is measured against the painter's device, whose
resolution differs between them.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.core.chart_colours import DARK_CHART, LIGHT_CHART, ChartColours
from desktop_app.ui.reader.reading_style import interface_font

MARGIN = 16.0
GAP = 10.0
TITLE_POINTS = 11.5
LABEL_POINTS = 10.0
SMALL_POINTS = 9.0
MIN_WIDTH = 360

WRAP = Qt.TextFlag.TextWordWrap


def chart_font(points: float, bold: bool = False) -> QFont:
    """The interface face at `points`, ending in a generic sans for SVGs opened elsewhere."""
    font = interface_font(points)
    # The generic family last, so an SVG opened where none of ours is installed stays sans.
    font.setFamilies([*font.families(), "sans-serif"])
    if bold:
        font.setWeight(QFont.Weight.DemiBold)
    return font


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
        body = self._paint_title(painter, self._inner_rect(rect), colours)
        if self._note and not self.is_empty():
            body = self._paint_note(painter, body, colours)
        if self.is_empty():
            self._paint_empty(painter, body, colours)
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

    # -- painting steps ----------------------------------------------------------------------

    def _inner_rect(self, rect: QRectF) -> QRectF:
        """`rect` inside the margins, no taller than the chart's natural height unless it
        fills the height."""
        rect = QRectF(rect)
        if not self.fills_height:
            rect.setHeight(min(rect.height(), self.sizeHint().height()))
        return rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)

    def _paint_title(self, painter: QPainter, inner: QRectF, colours: ChartColours) -> QRectF:
        """Draw the title on top of `inner`; return the room left under it."""
        title_font = chart_font(TITLE_POINTS, bold=True)
        metrics = QFontMetricsF(title_font, painter.device())
        painter.setFont(title_font)
        painter.setPen(QColor(colours.ink))
        title_box = QRectF(inner.left(), inner.top(), inner.width(), metrics.height())
        painter.drawText(
            title_box,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, inner.width()),
        )
        return inner.adjusted(0, metrics.height() + GAP, 0, 0)

    def _paint_note(self, painter: QPainter, body: QRectF, colours: ChartColours) -> QRectF:
        """Draw the note at the bottom of `body`; return the room left above it."""
        small_font = chart_font(SMALL_POINTS)
        painter.setFont(small_font)
        painter.setPen(QColor(colours.muted))
        height = self._note_height(QFontMetricsF(small_font, painter.device()), body.width())
        painter.drawText(
            QRectF(body.left(), body.bottom() - height, body.width(), height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom | WRAP,
            self._note,
        )
        above = QRectF(body)
        above.setBottom(body.bottom() - height - GAP)
        return above

    def _paint_empty(self, painter: QPainter, body: QRectF, colours: ChartColours) -> None:
        """Say there is nothing to draw, where the body would be."""
        painter.setFont(chart_font(LABEL_POINTS))
        painter.setPen(QColor(colours.muted))
        painter.drawText(
            body, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self.empty_text
        )

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
        height = QFontMetricsF(chart_font(TITLE_POINTS, bold=True)).height() + GAP + 2 * MARGIN
        if self._note and not self.is_empty():
            height += self._note_height(QFontMetricsF(chart_font(SMALL_POINTS)), self.NOTE_WIDTH)
            height += GAP
        return height

    def _note_height(self, metrics: QFontMetricsF, width: float) -> float:
        box = metrics.boundingRect(QRectF(0, 0, width, 10_000), WRAP, self._note)
        return math.ceil(box.height())
