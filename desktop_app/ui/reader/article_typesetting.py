"""How an article is set in type: the title, the byline, the body and the look of each block.

The reader builds a new QTextDocument whenever the article, the size, the face or the colours
change. Building it here keeps the widget about showing and input, and keeps in one place the
rule that the text goes in unchanged: a block's look is a format over the text, never a marker
inserted into it, so Qt positions after the title map to code points one for one (astral
characters aside, which the PositionMap counts).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from desktop_app.core.offsets import PositionMap
from desktop_app.ui.reader.qt_positions import select_span_with
from desktop_app.ui.reader.reading_style import (
    LINE_HEIGHT_PERCENT,
    Palette,
    interface_font,
    monospace_font,
)

log = logging.getLogger(__name__)

DOCUMENT_MARGIN = 28.0
HEADING_SCALE = {1: 1.45, 2: 1.25, 3: 1.12}

Blocks = tuple[tuple[int, int, str], ...]
# What the reader shows: title, byline, text and its blocks (start, end, kind) in code points.
ArticleContent = tuple[str, str, str, Blocks]


def typeset_article(
    content: ArticleContent, font: QFont, colours: Palette, parent: QObject
) -> tuple[QTextDocument, PositionMap]:
    """A document showing `content` in `font`, and the map from its Qt positions to the text's.

    The title goes above the text (unless the text opens with it as a heading) and the byline
    under the title; both are outside the text, which starts at the map's `base`.
    """
    title, byline, text, blocks = content
    document = QTextDocument(parent)
    document.setUndoRedoEnabled(False)
    document.setDocumentMargin(DOCUMENT_MARGIN)
    document.setDefaultFont(font)
    setter = _Typesetter(font, colours)
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    setter.insert_heading(cursor, " ".join(title.split()) or "Untitled", byline, text, blocks)
    cursor.setBlockFormat(setter.body_block_format())
    cursor.setBlockCharFormat(QTextCharFormat())
    base = cursor.position()
    cursor.insertText(text, QTextCharFormat())
    positions = PositionMap(text, base)
    for start, end, kind in blocks:
        setter.style_block(cursor, positions, start, end, kind)
    cursor.endEditBlock()
    shown = document.characterCount() - 1 - base
    if shown != positions.utf16_length:
        # Qt changed the text on the way in: every highlight would be off. A bug, not input.
        log.error("reader shows %d UTF-16 units of a %d-unit text", shown, positions.utf16_length)
    return document, positions


def typeset_placeholder(
    message: str, point_size: float, colours: Palette, parent: QObject
) -> tuple[QTextDocument, PositionMap]:
    """A document showing `message` where an article would be (nothing to read yet).

    Its map has no text: every position of the message is before the (empty) text, so a click
    or a selection on the message never reads as a place in an article.
    """
    document = QTextDocument(parent)
    document.setDocumentMargin(DOCUMENT_MARGIN * 3)
    document.setDefaultFont(interface_font(point_size))
    cursor = QTextCursor(document)
    char_format = QTextCharFormat()
    char_format.setForeground(QColor(colours.muted))
    cursor.insertText(message, char_format)
    return document, PositionMap("", document.characterCount())


class _Typesetter:
    """The formats of one build, from the reading font and colours it was started with."""

    def __init__(self, font: QFont, colours: Palette) -> None:
        self._font = font
        self._colours = colours
        self._em = QFontMetricsF(font).height()

    def insert_heading(
        self, cursor: QTextCursor, title: str, byline: str, text: str, blocks: Blocks
    ) -> None:
        """The title and byline lines above the text, leaving the cursor on the body's block."""
        # A text that opens with its own title as a heading needs no second copy above it.
        repeats_title = bool(blocks) and blocks[0][0] == 0 and text[: blocks[0][1]] == title
        if not repeats_title:
            cursor.setBlockFormat(self._title_block_format())
            cursor.insertText(title, self._title_char_format())
        if byline.strip():
            if not repeats_title:
                cursor.insertBlock()
            cursor.setBlockFormat(self._source_block_format())
            cursor.insertText(" ".join(byline.split()), self._source_char_format())
        if not cursor.atStart():
            cursor.insertBlock()

    def style_block(
        self, cursor: QTextCursor, positions: PositionMap, start: int, end: int, kind: str
    ) -> None:
        """Give a heading, list item, quote or code line its look (the text is unchanged)."""
        block_format = QTextBlockFormat()
        char_format = QTextCharFormat()
        em = self._em
        if kind.startswith("heading"):
            level = int(kind[-1]) if kind[-1].isdigit() else 2
            font = QFont(self._font)
            font.setPointSizeF(font.pointSizeF() * HEADING_SCALE.get(level, 1.0))
            font.setWeight(font.Weight.Bold)
            char_format.setFont(font)
            block_format.setTopMargin(em * 0.5)
            block_format.setBottomMargin(em * 0.35)
        elif kind == "list_item":
            block_format.setLeftMargin(em * 1.1)
            block_format.setBottomMargin(em * 0.25)
        elif kind == "quote":
            block_format.setLeftMargin(em * 1.4)
            char_format.setFontItalic(True)
        elif kind == "preformatted":
            char_format.setFont(monospace_font(self._font.pointSizeF() * 0.85))
            block_format.setBottomMargin(0)
            block_format.setLeftMargin(em * 0.8)
        else:
            return
        select_span_with(cursor, positions, start, end)
        cursor.mergeCharFormat(char_format)
        cursor.mergeBlockFormat(block_format)

    def body_block_format(self) -> QTextBlockFormat:
        """The article's paragraphs: the reading line height and a gap of most of a line."""
        fmt = QTextBlockFormat()
        fmt.setLineHeight(
            LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
        fmt.setBottomMargin(self._em * 0.7)
        return fmt

    def _title_block_format(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(self._em * 0.35)
        fmt.setLineHeight(120, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        return fmt

    def _title_char_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        font = QFont(self._font)
        font.setPointSizeF(font.pointSizeF() * 1.75)
        font.setWeight(font.Weight.Bold)
        fmt.setFont(font)
        fmt.setForeground(QColor(self._colours.ink))
        return fmt

    def _source_block_format(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(self._em * 1.6)
        return fmt

    def _source_char_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFont(interface_font(self._font.pointSizeF() * 0.78))
        fmt.setForeground(QColor(self._colours.muted))
        return fmt
