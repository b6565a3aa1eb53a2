"""Painting under the text: highlight runs as stacked bands, and the current-sentence mark.

Highlights are not character formats: the reader keeps them in a RunIndex and paints the runs
in view on every paint, under the text. So 10,000 of them cost nothing to load and changing one
costs microseconds instead of a relayout. The arithmetic of runs, bands and blending is Qt-free
in core/highlight_layers; this module only turns it into rectangles of paint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from desktop_app.core.highlight_layers import Run, RunIndex, bands, composite
from desktop_app.ui.reader.article_typesetting import DOCUMENT_MARGIN
from desktop_app.ui.reader.reading_style import Palette

SpanRects = Callable[[int, int], list[QRectF]]


def paint_highlight_runs(
    painter: QPainter, runs: Iterable[Run], rects_of: SpanRects, colours: Palette
) -> None:
    """Fill each run's lines with one band per distinct colour, stacked top to bottom.

    A band `depth` layers deep is painted as that many layers of its colour blended over the
    paper, so an overlap of two trade claims reads darker than one, and an overlap of trade and
    security shows both colours instead of a mixture that looks like a third tag.
    """
    paper = colours.paper
    opacity = colours.highlight_opacity
    for run in runs:
        layers = bands(run.colours)
        for rect in rects_of(run.start, run.end):
            band_height = rect.height() / len(layers)
            for i, (colour, depth) in enumerate(layers):
                band = QRectF(rect.left(), rect.top() + i * band_height, rect.width(), band_height)
                painter.fillRect(band, QColor(_band_paint(colour, depth, paper, opacity)))


def paint_focus_mark(
    painter: QPainter, rects: list[QRectF], colours: Palette, *, tinted: bool
) -> None:
    """Mark the current sentence's lines: a bar in the left margin, and a tint when `tinted`.

    The caller tints only a sentence with no highlight on it: a tint over highlight bands would
    change their colours, and the bar already says where the focus is.
    """
    if not rects:
        return
    top = min(r.top() for r in rects)
    bottom = max(r.bottom() for r in rects)
    painter.fillRect(
        QRectF(DOCUMENT_MARGIN * 0.35, top + 2, 4, bottom - top - 4),
        QColor(colours.focus),
    )
    if tinted:
        tint = QColor(colours.focus_tint)
        for rect in rects:
            painter.fillRect(rect, tint)


def band_paints_at(runs: RunIndex, offset: int, colours: Palette) -> list[tuple[str, str]]:
    """What is painted under the character at `offset`: (tag colour, paint) per band."""
    paper = colours.paper
    opacity = colours.highlight_opacity
    return [
        (colour, composite([colour] * depth, paper, opacity))
        for colour, depth in bands(runs.colours_at(offset))
    ]


@cache
def _band_paint(colour: str, depth: int, paper: str, opacity: float) -> str:
    """The paint of a band `depth` layers deep: few distinct values, asked for on every paint."""
    return composite([colour] * depth, paper, opacity)
