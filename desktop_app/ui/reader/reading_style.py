"""Reading typography and colours, in one place so the reader, panel and exports agree."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QPalette

from desktop_app.core.reading_colours import DARK as DARK  # re-exported for the UI
from desktop_app.core.reading_colours import LIGHT as LIGHT
from desktop_app.core.reading_colours import ReadingColours

# Serif faces made for long reading on screens first, then widely installed fallbacks.
SERIF_FAMILIES = [
    "Literata",
    "Source Serif 4",
    "Charter",
    "Noto Serif",
    "Georgia",
    "DejaVu Serif",
    "Noto Serif CJK JP",
    "Noto Color Emoji",
]
SANS_FAMILIES = ["Inter", "Noto Sans", "Cantarell", "DejaVu Sans", "Noto Sans CJK JP"]

MEASURE_CHARACTERS = 70
LINE_HEIGHT_PERCENT = 155
BASE_POINT_SIZE = 13.0
MIN_ZOOM = -6
MAX_ZOOM = 12
# The sizes View › Font… accepts; zoom steps are added to the chosen size.
MIN_POINT_SIZE = 7.0
MAX_POINT_SIZE = 32.0


Palette = ReadingColours  # the reading surface's colours: LIGHT or DARK


@dataclass(frozen=True, slots=True)
class FontChoice:
    """The reader's own reading face and size (View › Font…); empty family means ours."""

    family: str = ""
    point_size: float = BASE_POINT_SIZE


def colours_for(palette: QPalette) -> Palette:
    """The reading colours that match a widget's palette (dark window, dark scheme)."""
    return DARK if palette.color(QPalette.ColorRole.Window).lightness() < 128 else LIGHT


def reading_font(zoom: int = 0, choice: FontChoice | None = None) -> QFont:
    """The body font at the given zoom step (one step is one point).

    A chosen family goes first, with our serif list behind it so CJK and emoji still find a
    face when the chosen one lacks them.
    """
    choice = choice or FontChoice()
    font = QFont()
    families = _available(SERIF_FAMILIES)
    if choice.family:
        families = [choice.family, *(f for f in families if f != choice.family)]
    font.setFamilies(families)
    font.setStyleHint(QFont.StyleHint.Serif)
    base = min(MAX_POINT_SIZE, max(MIN_POINT_SIZE, choice.point_size))
    font.setPointSizeF(max(MIN_POINT_SIZE, base + max(MIN_ZOOM, min(MAX_ZOOM, zoom))))
    return font


def interface_font(point_size: float | None = None) -> QFont:
    """The sans-serif face used for metadata lines and the side panel."""
    font = QFont()
    font.setFamilies(_available(SANS_FAMILIES))
    font.setStyleHint(QFont.StyleHint.SansSerif)
    if point_size is not None:
        font.setPointSizeF(point_size)
    return font


def monospace_font(point_size: float) -> QFont:
    """The system's fixed-width face, for code and preformatted lines."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(point_size)
    return font


def _available(families: list[str]) -> list[str]:
    installed = set(QFontDatabase.families())
    chosen = [f for f in families if f in installed]
    return chosen or families


def resolved_family(font: QFont) -> str:
    """The family Qt actually uses for `font` (for tests and the About box)."""
    return QFontInfo(font).family()
