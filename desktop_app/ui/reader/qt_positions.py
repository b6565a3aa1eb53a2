"""Where Qt's positions and the text's code points meet: cursors set and read through a map.

The text is stored and annotated in Unicode code points from its own start; Qt counts UTF-16
units from the start of its document, which begins with the title and byline. Qt's positions
exist only inside the view, and every crossing goes through the reader's PositionMap
(core/offsets), because of three hazards:

- an astral character (an emoji, a rare CJK ideograph) is one code point and two UTF-16 units,
  so after the first one every Qt position is off by one from the offset it looks like;
- Qt lets a caret or a selection's end sit between the two halves of such a character, which
  the map rounds to whole characters so that a selection never splits an emoji;
- a position before the map's `base` is in the title or byline, which are not in the text.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument

from desktop_app.core.offsets import PositionMap


def cursor_at(document: QTextDocument, positions: PositionMap, offset: int) -> QTextCursor:
    """A cursor of `document` at the code-point `offset` of the text (clamped into it)."""
    cursor = QTextCursor(document)
    cursor.setPosition(positions.to_qt(offset))
    return cursor


def select_span_with(cursor: QTextCursor, positions: PositionMap, start: int, end: int) -> None:
    """Make `cursor` select `[start, end)`, a code-point span of the text."""
    cursor.setPosition(positions.to_qt(start))
    cursor.setPosition(positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)


def selection_span(cursor: QTextCursor, positions: PositionMap) -> tuple[int, int] | None:
    """What `cursor` selects as a code-point span of the text, or None (nothing, or title only).

    A selection that starts in the title counts from the text's start; one that ends inside a
    surrogate pair takes the whole character.
    """
    if not cursor.hasSelection():
        return None
    start, end = positions.span_from_qt(cursor.anchor(), cursor.position())
    return (start, end) if end > start else None


def text_offset(positions: PositionMap, position: int) -> int | None:
    """Code-point offset of the Qt `position` in the text, or None when it is in the title."""
    if position < positions.base:
        return None
    return positions.from_qt(position)
