"""The page the reader reads on: one article typeset in a centred column, at a chosen size.

This is the part of the reader that knows nothing of annotations or sentences: which article
is shown (or a placeholder), in which face, size and colours, in a column of about 70
characters, and where the reading place is, kept across every relayout. ArticleView adds the
marks and the input on top of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPalette,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from desktop_app.core.offsets import PositionMap
from desktop_app.ui.reader.article_typesetting import (
    DOCUMENT_MARGIN,
    ArticleContent,
    typeset_article,
    typeset_placeholder,
)
from desktop_app.ui.reader.qt_positions import cursor_at
from desktop_app.ui.reader.reading_style import (
    LIGHT,
    MAX_ZOOM,
    MEASURE_CHARACTERS,
    MIN_ZOOM,
    FontChoice,
    Palette,
    reading_font,
)
from desktop_app.ui.reader.text_geometry import VisibleBlocks, span_line_rects


class ReadingSurface(QTextBrowser):
    """Shows one article (or a message) to read; every offset it takes or gives is a code point."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._init_viewport()
        self._init_interaction()
        self._init_state()
        self._apply_palette()

    def _init_viewport(self) -> None:
        self.setViewport(_viewport_like_qts(self))
        # QTextEdit gave its first document's layout the old viewport to measure with, and
        # setViewport deleted that viewport.
        layout = self.document().documentLayout()
        if layout is not None:
            layout.setPaintDevice(self.viewport())

    def _init_interaction(self) -> None:
        """Selectable, never editable, never following a link: a page to read and mark."""
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

    def _init_state(self) -> None:
        self.palette_colours: Palette = LIGHT
        self._zoom = 0
        self._font_choice = FontChoice()
        self._placeholder: str | None = None
        self.positions = PositionMap("", 0)
        self._document: QTextDocument | None = None
        self._visible_blocks = VisibleBlocks()
        self._content: ArticleContent = ("", "", "", ())

    # -- what is shown -------------------------------------------------------------------------

    def show_article(
        self, title: str, byline: str, text: str, blocks: Sequence[tuple[int, int, str]] = ()
    ) -> None:
        """Show `text` under its title and byline, with its blocks styled; caret at the start.

        The document is built off-screen and attached once (an attached document relays out on
        every change).
        """
        self._content = (title, byline, text, tuple(blocks))
        self._placeholder = None
        self._attach(self._typeset())
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def show_placeholder(self, message: str) -> None:
        """Show a message instead of an article (nothing to read yet)."""
        self.show_article("", "", "", ())
        document, positions = typeset_placeholder(
            message, self.reading_font().pointSizeF(), self.palette_colours, self
        )
        self._content = ("", "", "", ())
        self._placeholder = message
        self.positions = positions
        self._attach(document)

    def _typeset(self) -> QTextDocument:
        """A new document of the article shown, in today's font and colours, and its map."""
        document, self.positions = typeset_article(
            self._content, self.reading_font(), self.palette_colours, self
        )
        return document

    def _attach(self, document: QTextDocument) -> None:
        previous = self._document
        self.setDocument(document)
        self._document = document
        self._visible_blocks.reset()
        if previous is not None:
            previous.deleteLater()  # setDocument leaves the old one alive: it would leak
        self._update_measure()

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

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        """Never load anything: an article must not make the reader fetch images or styles."""
        return None

    # -- size, face and colours ----------------------------------------------------------------

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

    def _apply_palette(self) -> None:
        palette = self.palette()
        for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
            palette.setColor(role, QColor(self.palette_colours.paper))
        palette.setColor(QPalette.ColorRole.Text, QColor(self.palette_colours.ink))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

    def _rebuild(self) -> None:
        """Lay the article out again (new size, face or colours) where the reader was."""
        if self._document is None:
            return
        if self._placeholder is not None:
            self.show_placeholder(self._placeholder)
            return
        top = self.top_offset()
        caret = self.textCursor().position()
        self._attach(self._typeset())
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(caret, self.document().characterCount() - 1))
        self.setTextCursor(cursor)
        self.scroll_to_offset(top)

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

    # -- where the text is ---------------------------------------------------------------------

    def top_offset(self) -> int:
        """Code-point offset of the text at the top of the view (to come back to it later)."""
        position = self.cursorForPosition(self.viewport().rect().topLeft()).position()
        return self.positions.from_qt(position)

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so that the line holding `offset` is at the top of the view."""
        cursor = cursor_at(self.document(), self.positions, offset)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.cursorRect(cursor).top())

    def span_rects(self, start: int, end: int) -> list[QRectF]:
        """Rectangles (viewport coordinates) of the lines of text in `[start, end)`."""
        return span_line_rects(
            self.document(),
            self.positions,
            start,
            end,
            self.horizontalScrollBar().value(),
            self.verticalScrollBar().value(),
        )

    def visible_span(self) -> tuple[int, int]:
        """Code-point span of the blocks in view (whole blocks, so a superset of what shows)."""
        return self._visible_blocks.visible_span(
            self.document(),
            self.positions,
            float(self.verticalScrollBar().value()),
            self.viewport().height(),
        )


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
