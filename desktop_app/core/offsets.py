"""Conversion between stored code-point offsets and Qt's UTF-16 positions.

Claimmark stores every offset in Unicode code points (what Python's `str` counts and what W3C Web
Annotation and REFI-QDA require). Qt's `QTextCursor` counts UTF-16 code units, where a character
outside the Basic Multilingual Plane (emoji, 𠮷) takes two. This module is the one place where
the two meet; nothing else in the program does offset arithmetic across the boundary.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
QT_PARAGRAPH_SEPARATOR = "\u2029"


class PositionMap:
    """Maps code-point offsets of one text to positions in a Qt document that shows it.

    `base` is the Qt position where the text begins (the reader puts a title above the text).
    Mapping is O(log n) in the number of astral characters, and free for texts with none.
    """

    def __init__(self, text: str, base: int = 0) -> None:
        self.base = base
        self.length = len(text)
        # Code-point index of every astral character, and where each begins in UTF-16 units.
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)] if _has_astral(text) else []
        self._astral_u16 = [cp + i for i, cp in enumerate(self._astral_cp)]
        self.utf16_length = self.length + len(self._astral_cp)

    def to_qt(self, offset: int) -> int:
        """Qt position of the code-point `offset` (clamped into the text)."""
        offset = min(max(offset, 0), self.length)
        return self.base + offset + bisect_left(self._astral_cp, offset)

    def from_qt(self, position: int) -> int:
        """Code-point offset of the Qt `position`, clamped into the text.

        A position inside a surrogate pair (Qt allows it) rounds down to the start of that
        character, so a selection never splits an emoji.
        """
        unit = min(max(position - self.base, 0), self.utf16_length)
        return unit - bisect_left(self._astral_u16, unit)

    def span_from_qt(self, anchor: int, position: int) -> tuple[int, int]:
        """Ordered code-point span of a Qt selection given as anchor and cursor position."""
        first, second = sorted((anchor, position))
        start = self.from_qt(first)
        end = self.from_qt(second)
        if self.to_qt(end) < min(second, self.base + self.utf16_length):
            # The selection ends inside a surrogate pair: include the whole character.
            end = min(end + 1, self.length)
        return start, end


def _has_astral(text: str) -> bool:
    """Whether `text` has a character outside the Basic Multilingual Plane.

    Asked first because scanning 2 MB with the pattern takes ~18 ms, and most texts have none:
    ASCII is known without looking, and encoding to UTF-16 (in C) gives two bytes a character
    exactly when there is none (lone surrogates pass as two bytes too, as the pattern skips them).
    """
    if text.isascii():
        return False
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def plain_from_qt(selected: str) -> str:
    """Text as stored, from what `QTextCursor.selectedText()` returns (U+2029 between blocks)."""
    return selected.replace(QT_PARAGRAPH_SEPARATOR, "\n")
