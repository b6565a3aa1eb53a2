"""Reading typography and colours, in one place so the reader, panel and exports agree."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo

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


@dataclass(frozen=True, slots=True)
class Palette:
    """Colours of the reading surface."""

    paper: str
    ink: str
    muted: str
    focus: str
    focus_tint: str


LIGHT = Palette(
    paper="#fbfaf6", ink="#1d1d1b", muted="#6b6a66", focus="#3b5bdb", focus_tint="#e7ebfb"
)


def reading_font(zoom: int = 0) -> QFont:
    """The body font at the given zoom step (one step is one point)."""
    font = QFont()
    font.setFamilies(_available(SERIF_FAMILIES))
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(BASE_POINT_SIZE + max(MIN_ZOOM, min(MAX_ZOOM, zoom)))
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
