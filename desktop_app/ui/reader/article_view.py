"""The reader: one article in reading typography, its highlights, and the current sentence.

The view knows Qt positions (UTF-16 units, after the title block); everything it reports or
accepts is in code points of the document text, converted by its PositionMap.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import cache

from PySide6.QtCore import QRectF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from desktop_app.core.highlight_layers import Layer, RunIndex, bands, composite
from desktop_app.core.offsets import PositionMap
from desktop_app.ui.reader.reading_style import (
    LIGHT,
    LINE_HEIGHT_PERCENT,
    MAX_ZOOM,
    MEASURE_CHARACTERS,
    MIN_ZOOM,
    FontChoice,
    Palette,
    interface_font,
    monospace_font,
    reading_font,
)

log = logging.getLogger(__name__)

DOCUMENT_MARGIN = 28.0
HEADING_SCALE = {1: 1.45, 2: 1.25, 3: 1.12}


class ArticleView(QTextBrowser):
    """Shows one document and turns reader keys and clicks into requests.

    Signals:
        nextSentenceRequested(): J was pressed.
        previousSentenceRequested(): K was pressed.
        tagKeyPressed(int): a digit 1-9 was pressed.
        noteKeyPressed(): N was pressed.
        deleteKeyPressed(): Delete was pressed.
        sentenceClicked(int): a click (not a drag) at this code-point offset.
    """

    nextSentenceRequested = Signal()
    previousSentenceRequested = Signal()
    tagKeyPressed = Signal(int)
    noteKeyPressed = Signal()
    deleteKeyPressed = Signal()
    sentenceClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewport(_viewport_like_qts(self))
        # QTextEdit gave its first document's layout the old viewport to measure with, and
        # setViewport deleted that viewport.
        layout = self.document().documentLayout()
        if layout is not None:
            layout.setPaintDevice(self.viewport())
        self.setObjectName("articleView")
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.palette_colours: Palette = LIGHT
        self._zoom = 0
        self._font_choice = FontChoice()
        self._placeholder: str | None = None
        self._text = ""
        self.positions = PositionMap("", 0)
        self._focus_span: tuple[int, int] | None = None
        self._runs = RunIndex()
        self._document: QTextDocument | None = None
        self._top_block_hint = 0  # the block at the top of the view at the last paint
        self._content: tuple[str, str, str, tuple[tuple[int, int, str], ...]] = ("", "", "", ())
        self._apply_palette()

    # -- showing a document --------------------------------------------------------------------

    def show_document(
        self,
        title: str,
        byline: str,
        text: str,
        layers: Iterable[Layer],
        blocks: Sequence[tuple[int, int, str]] = (),
    ) -> None:
        """Show `text` under its title and byline, with its blocks styled and `layers` marked.

        The document is built off-screen and attached once (an attached document relays out on
        every change). Highlights are not character formats: they are painted under the text
        from a RunIndex, so 10,000 of them cost nothing to load and one changes in microseconds.
        """
        self._content = (title, byline, text, tuple(blocks))
        self._placeholder = None
        self._runs = RunIndex(layers)
        self._focus_span = None
        self._attach(self._build_document())
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def show_placeholder(self, message: str) -> None:
        """Show a message instead of an article (nothing to read yet)."""
        self.show_document("", "", "", [])
        document = QTextDocument(self)
        document.setDocumentMargin(DOCUMENT_MARGIN * 3)
        document.setDefaultFont(interface_font(self.reading_font().pointSizeF()))
        cursor = QTextCursor(document)
        char_format = QTextCharFormat()
        char_format.setForeground(QColor(self.palette_colours.muted))
        cursor.insertText(message, char_format)
        self._content = ("", "", "", ())
        self._placeholder = message
        self.positions = PositionMap("", document.characterCount())
        self._attach(document)

    def _build_document(self) -> QTextDocument:
        title, byline, text, blocks = self._content
        document = QTextDocument(self)
        document.setUndoRedoEnabled(False)
        document.setDocumentMargin(DOCUMENT_MARGIN)
        document.setDefaultFont(self.reading_font())
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        title = " ".join(title.split()) or "Untitled"
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
        cursor.setBlockFormat(self._body_block_format())
        cursor.setBlockCharFormat(QTextCharFormat())
        base = cursor.position()
        cursor.insertText(text, QTextCharFormat())
        self._text = text
        self.positions = PositionMap(text, base)
        for start, end, kind in blocks:
            self._style_block(cursor, start, end, kind)
        cursor.endEditBlock()
        shown = document.characterCount() - 1 - base
        if shown != self.positions.utf16_length:
            # Qt changed the text on the way in: every highlight would be off. A bug, not input.
            log.error(
                "reader shows %d UTF-16 units of a %d-unit text", shown, self.positions.utf16_length
            )
        return document

    def _attach(self, document: QTextDocument) -> None:
        previous = self._document
        self.setDocument(document)
        self._document = document
        self._top_block_hint = 0
        if previous is not None:
            previous.deleteLater()  # setDocument leaves the old one alive: it would leak
        self._update_measure()

    def _style_block(self, cursor: QTextCursor, start: int, end: int, kind: str) -> None:
        """Give a heading, list item, quote or code line its look (the text is unchanged)."""
        block_format = QTextBlockFormat()
        char_format = QTextCharFormat()
        em = self._em()
        if kind.startswith("heading"):
            level = int(kind[-1]) if kind[-1].isdigit() else 2
            font = self.reading_font()
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
            char_format.setFont(monospace_font(self.reading_font().pointSizeF() * 0.85))
            block_format.setBottomMargin(0)
            block_format.setLeftMargin(em * 0.8)
        else:
            return
        self._select(cursor, start, end)
        cursor.mergeCharFormat(char_format)
        cursor.mergeBlockFormat(block_format)

    @property
    def text(self) -> str:
        """The article's plain text as shown (empty for a placeholder)."""
        return self._content[2]

    def shows(
        self, title: str, byline: str, text: str, blocks: Sequence[tuple[int, int, str]] = ()
    ) -> bool:
        """True when the reader already shows exactly this (the start-up preview, say)."""
        return self._content == (title, byline, text, tuple(blocks)) and self._document is not None

    def keep_if_shown(
        self, title: str, byline: str, text: str, blocks: Sequence[tuple[int, int, str]] = ()
    ) -> bool:
        """`shows`, and when it does, hold the caller's copy of the text from now on.

        The start-up preview reads the article with plain sqlite3 and the library reads it
        again: without this the reader kept the preview's copy, a second 2 MB string for a
        long article, for as long as it stayed open.
        """
        if not self.shows(title, byline, text, blocks):
            return False
        self._content = (title, byline, text, tuple(blocks))
        return True

    def refresh_layers(self, layers: Iterable[Layer], start: int, end: int) -> None:
        """Redraw the highlights on `[start, end)` from `layers` (every layer overlapping it)."""
        self._runs.replace(layers, start, end)
        self.viewport().update()

    def highlight_bands_at(self, offset: int) -> list[tuple[str, str]]:
        """What is painted under the character at `offset`: (tag colour, paint) per band."""
        paper = self.palette_colours.paper
        opacity = self.palette_colours.highlight_opacity
        return [
            (colour, composite([colour] * depth, paper, opacity))
            for colour, depth in bands(self._runs.colours_at(offset))
        ]

    def _select(self, cursor: QTextCursor, start: int, end: int) -> None:
        cursor.setPosition(self.positions.to_qt(start))
        cursor.setPosition(self.positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)

    # -- formats -------------------------------------------------------------------------------

    def _title_block_format(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(self._em() * 0.35)
        fmt.setLineHeight(120, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        return fmt

    def _title_char_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        font = self.reading_font()
        font.setPointSizeF(font.pointSizeF() * 1.75)
        font.setWeight(font.Weight.Bold)
        fmt.setFont(font)
        fmt.setForeground(QColor(self.palette_colours.ink))
        return fmt

    def _source_block_format(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(self._em() * 1.6)
        return fmt

    def _source_char_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFont(interface_font(self.reading_font().pointSizeF() * 0.78))
        fmt.setForeground(QColor(self.palette_colours.muted))
        return fmt

    def _body_block_format(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(
            LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
        fmt.setBottomMargin(self._em() * 0.7)
        return fmt

    def _em(self) -> float:
        return QFontMetricsF(self.reading_font()).height()

    def _apply_palette(self) -> None:
        palette = self.palette()
        for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
            palette.setColor(role, QColor(self.palette_colours.paper))
        palette.setColor(QPalette.ColorRole.Text, QColor(self.palette_colours.ink))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

    # -- zoom and measure ----------------------------------------------------------------------

    @property
    def zoom(self) -> int:
        """Zoom step: points added to the base reading size."""
        return self._zoom

    def set_zoom(self, step: int) -> None:
        """Change the reading size, keeping the reading position."""
        step = max(MIN_ZOOM, min(MAX_ZOOM, step))
        if step == self._zoom:
            return
        self._zoom = step
        self._rebuild()

    @property
    def font_choice(self) -> FontChoice:
        """The reading face and size chosen in View › Font… (zoom is added to the size)."""
        return self._font_choice

    def set_font_choice(self, choice: FontChoice) -> None:
        """Read in another face or size, keeping the reading position."""
        if choice == self._font_choice:
            return
        self._font_choice = choice
        self._rebuild()

    def reading_font(self) -> QFont:
        """The body font as chosen and zoomed."""
        return reading_font(self._zoom, self._font_choice)

    def set_colours(self, colours: Palette) -> None:
        """Switch the reading surface to light or dark colours, keeping the reading position."""
        if colours == self.palette_colours:
            return
        self.palette_colours = colours
        self._apply_palette()
        self._rebuild()

    def _rebuild(self) -> None:
        """Lay the article out again (new size, face or colours) where the reader was."""
        if self._document is None:
            return
        if self._placeholder is not None:
            self.show_placeholder(self._placeholder)
            return
        top = self.top_offset()
        caret = self.textCursor().position()
        self._attach(self._build_document())
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(caret, self.document().characterCount() - 1))
        self.setTextCursor(cursor)
        self.scroll_to_offset(top)

    def top_offset(self) -> int:
        """Code-point offset of the text at the top of the view (to come back to it later)."""
        position = self.cursorForPosition(self.viewport().rect().topLeft()).position()
        return self.positions.from_qt(position)

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so that the line holding `offset` is at the top of the view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.positions.to_qt(offset))
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.cursorRect(cursor).top())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_measure()

    def _update_measure(self) -> None:
        """Centre a column of about 70 characters, however wide the window is.

        The column is a fixed wrap width (so widening the window never relays out a long
        article) centred by equal viewport margins.
        """
        metrics = QFontMetricsF(self.reading_font())
        margins = self.viewportMargins()
        available = self.viewport().width() + margins.left() + margins.right()
        column = min(
            int(metrics.averageCharWidth() * MEASURE_CHARACTERS + 2 * DOCUMENT_MARGIN), available
        )
        side = max(0, (available - column) // 2)
        if margins.left() != side or margins.right() != side:
            self.setViewportMargins(side, 0, side, 0)
        if (
            self.lineWrapMode() != QTextBrowser.LineWrapMode.FixedPixelWidth
            or self.lineWrapColumnOrWidth() != column
        ):
            self.setLineWrapMode(QTextBrowser.LineWrapMode.FixedPixelWidth)
            self.setLineWrapColumnOrWidth(column)

    # -- current sentence ----------------------------------------------------------------------

    def set_focus_span(self, span: tuple[int, int] | None, *, scroll: bool = True) -> None:
        """Mark `span` (code points) as the current sentence and bring it into view."""
        self._focus_span = span
        if span is not None:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.positions.to_qt(span[0]))
            self.setTextCursor(cursor)
            if scroll:
                self._scroll_into_view(*span)
        self.viewport().update()

    @property
    def focus_span(self) -> tuple[int, int] | None:
        """The current sentence's span, or None."""
        return self._focus_span

    def _scroll_into_view(self, start: int, end: int) -> None:
        rects = self.span_rects(start, end)
        if not rects:
            return
        top = min(r.top() for r in rects)
        bottom = max(r.bottom() for r in rects)
        height = self.viewport().height()
        if top >= 0 and bottom <= height:
            return
        bar = self.verticalScrollBar()
        bar.setValue(int(bar.value() + top - height / 3))

    def span_rects(self, start: int, end: int) -> list[QRectF]:
        """Rectangles (viewport coordinates) of the lines of text in `[start, end)`."""
        document = self.document()
        layout = document.documentLayout()
        first = self.positions.to_qt(start)
        last = self.positions.to_qt(end)
        dx = -self.horizontalScrollBar().value()
        dy = -self.verticalScrollBar().value()
        rects: list[QRectF] = []
        block = document.findBlock(first)
        while block.isValid() and block.position() <= last:
            frame = layout.blockBoundingRect(block)
            text_layout = block.layout()
            for index in range(text_layout.lineCount()):
                line = text_layout.lineAt(index)
                line_start = block.position() + line.textStart()
                line_end = line_start + line.textLength()
                if line_end <= first or line_start >= last:
                    continue
                x1 = _x_of(line.cursorToX(max(first, line_start) - block.position()))
                x2 = _x_of(line.cursorToX(min(last, line_end) - block.position()))
                rects.append(
                    QRectF(
                        frame.left() + x1 + dx,
                        frame.top() + line.y() + dy,
                        max(x2 - x1, 1.0),
                        line.height(),
                    )
                )
            block = block.next()
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint highlights and the sentence focus under the text, then the text itself."""
        painter = QPainter(self.viewport())
        self._paint_highlights(painter)
        if self._focus_span is not None:
            self._paint_focus(painter, *self._focus_span)
        painter.end()
        super().paintEvent(event)

    def _visible_span(self) -> tuple[int, int]:
        """Code-point span of the blocks the viewport shows (whole blocks, so a superset).

        Found by walking blocks with `blockBoundingRect`, never by hit-testing the corners:
        Qt lays a long article out lazily, and while it does, `cursorForPosition` at the
        bottom of the view answers "the end of the text" and forces the whole layout first
        (a second for 2 MB), so the first paint cut every run of the article into rectangles.
        `blockBoundingRect` lays out only up to the block it is asked about.
        """
        document = self.document()
        layout = document.documentLayout()
        top = float(self.verticalScrollBar().value())
        bottom = top + self.viewport().height()
        block = self._first_block_below(top)
        first = last = block.position()
        while block.isValid():
            if layout.blockBoundingRect(block).top() > bottom:
                break
            last = block.position() + block.length()
            block = block.next()
        return self.positions.from_qt(first), self.positions.from_qt(last) + 1

    def _first_block_below(self, y: float) -> QTextBlock:
        """The first block whose bottom is below document `y`, searched from the last answer.

        A gallop from the previous paint's top block, then a bisection: a paint after a small
        scroll costs a few probes, and the layout is never forced far beyond the view.
        """
        document = self.document()
        layout = document.documentLayout()
        count = document.blockCount()

        def above(number: int) -> bool:
            block = document.findBlockByNumber(number)
            return layout.blockBoundingRect(block).bottom() <= y

        hint = min(max(self._top_block_hint, 0), count - 1)
        step = 1
        if above(hint):  # the answer is after the hint: gallop forward
            low, high = hint, count
            while hint + step < count and above(hint + step):
                low = hint + step
                step *= 2
            high = min(hint + step, count)
        else:  # the answer is the hint or before it: gallop backward
            low, high = -1, hint
            while hint - step >= 0 and not above(hint - step):
                high = hint - step
                step *= 2
            low = max(hint - step, -1)
        while high - low > 1:  # invariant: `low` is above (or -1), `high` is not (or count)
            middle = (low + high) // 2
            if above(middle):
                low = middle
            else:
                high = middle
        self._top_block_hint = min(high, count - 1)
        return document.findBlockByNumber(self._top_block_hint)

    def _paint_highlights(self, painter: QPainter) -> None:
        if not len(self._runs):
            return
        paper = self.palette_colours.paper
        opacity = self.palette_colours.highlight_opacity
        for run in self._runs.between(*self._visible_span()):
            layers = bands(run.colours)
            for rect in self.span_rects(run.start, run.end):
                band_height = rect.height() / len(layers)
                for i, (colour, depth) in enumerate(layers):
                    band = QRectF(
                        rect.left(), rect.top() + i * band_height, rect.width(), band_height
                    )
                    painter.fillRect(band, QColor(_band_paint(colour, depth, paper, opacity)))

    def _paint_focus(self, painter: QPainter, start: int, end: int) -> None:
        rects = self.span_rects(start, end)
        if not rects:
            return
        top = min(r.top() for r in rects)
        bottom = max(r.bottom() for r in rects)
        painter.fillRect(
            QRectF(DOCUMENT_MARGIN * 0.35, top + 2, 4, bottom - top - 4),
            QColor(self.palette_colours.focus),
        )
        if not self._runs.between(start, end):
            tint = QColor(self.palette_colours.focus_tint)
            for rect in rects:
                painter.fillRect(rect, tint)

    # -- selection -----------------------------------------------------------------------------

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as a code-point span of the text, or None (nothing or title only)."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self.positions.span_from_qt(cursor.anchor(), cursor.position())
        return (start, end) if end > start else None

    def select_span(self, start: int, end: int) -> None:
        """Select `[start, end)` (code points) and scroll it into view."""
        cursor = QTextCursor(self.document())
        self._select(cursor, start, end)
        self.setTextCursor(cursor)
        self._scroll_into_view(start, end)

    def move_to_start(self) -> None:
        """Caret and view back to the top of the article (a newly opened document)."""
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.verticalScrollBar().setValue(0)

    def clear_selection(self) -> None:
        """Drop the text selection, leaving the caret where it is."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    # -- input ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        text = event.text()
        if plain and text and text in "123456789":
            self.tagKeyPressed.emit(int(text))
            return
        if modifiers == Qt.KeyboardModifier.NoModifier:
            key = event.key()
            if key == Qt.Key.Key_J:
                self.nextSentenceRequested.emit()
                return
            if key == Qt.Key.Key_K:
                self.previousSentenceRequested.emit()
                return
            if key == Qt.Key.Key_N:
                self.noteKeyPressed.emit()
                return
            if key == Qt.Key.Key_Delete:
                self.deleteKeyPressed.emit()
                return
            if key == Qt.Key.Key_Escape and self.textCursor().hasSelection():
                self.clear_selection()
                return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        position = self.cursorForPosition(event.position().toPoint()).position()
        if position >= self.positions.base:
            self.sentenceClicked.emit(self.positions.from_qt(position))

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        """Never load anything: an article must not make the reader fetch images or styles."""
        return None


def _viewport_like_qts(reader: QWidget) -> QWidget:
    """A viewport set up as QTextBrowser sets up its own, but made by Python.

    The first time PySide hands Python a QWidget that Qt made, it resolves every QtWidgets
    class to find the object's type: asking for Qt's own viewport cost 10-28 ms, before the
    first paint (the reader measures and paints on its viewport). A viewport Python made is
    handed back as it is. tests/ui/test_reader_viewport.py compares it with Qt's.
    """
    viewport = QWidget(reader)  # the reader owns it from the start, as it owns Qt's
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    viewport.setMouseTracking(True)
    viewport.setAcceptDrops(True)
    viewport.setCursor(Qt.CursorShape.ArrowCursor)  # QTextBrowser's, over text and margins
    return viewport


@cache
def _band_paint(colour: str, depth: int, paper: str, opacity: float) -> str:
    """The paint of a band `depth` layers deep: few distinct values, asked for on every paint."""
    return composite([colour] * depth, paper, opacity)


def _x_of(result: object) -> float:
    """`QTextLine.cursorToX` returns (x, position) in PySide6; take x either way."""
    if isinstance(result, tuple):
        return float(result[0])
    return float(result)  # type: ignore[arg-type]
