"""The reader: one article in reading typography, its highlights, and the current sentence.

The view knows Qt positions (UTF-16 units, after the title block); everything it reports or
accepts is in code points of the document text, converted by its PositionMap (qt_positions).
The page itself (typeset article, size, colours, column, reading place) is ReadingSurface;
this class adds what is marked on it, and the keys and clicks of the keyboard contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QTextCursor
from PySide6.QtWidgets import QWidget

from desktop_app.core.highlight_layers import Layer, RunIndex
from desktop_app.ui.reader.highlight_painting import (
    band_paints_at,
    paint_focus_mark,
    paint_highlight_runs,
)
from desktop_app.ui.reader.qt_positions import (
    cursor_at,
    select_span_with,
    selection_span,
    text_offset,
)
from desktop_app.ui.reader.reading_surface import ReadingSurface


class ArticleView(ReadingSurface):
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
        self._focus_span: tuple[int, int] | None = None
        self._runs = RunIndex()

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

        Highlights are not character formats: they are painted under the text from a RunIndex
        (highlight_painting), so 10,000 of them cost nothing to load and one changes in
        microseconds.
        """
        self._runs = RunIndex(layers)
        self._focus_span = None
        self.show_article(title, byline, text, blocks)

    def show_placeholder(self, message: str) -> None:
        """Show a message instead of an article, with nothing marked on it."""
        self._runs = RunIndex()
        self._focus_span = None
        super().show_placeholder(message)

    def refresh_layers(self, layers: Iterable[Layer], start: int, end: int) -> None:
        """Redraw the highlights on `[start, end)` from `layers` (every layer overlapping it)."""
        self._runs.replace(layers, start, end)
        self.viewport().update()

    def highlight_bands_at(self, offset: int) -> list[tuple[str, str]]:
        """What is painted under the character at `offset`: (tag colour, paint) per band."""
        return band_paints_at(self._runs, offset, self.palette_colours)

    # -- current sentence ----------------------------------------------------------------------

    def set_focus_span(self, span: tuple[int, int] | None, *, scroll: bool = True) -> None:
        """Mark `span` (code points) as the current sentence and bring it into view."""
        self._focus_span = span
        if span is not None:
            self.setTextCursor(cursor_at(self.document(), self.positions, span[0]))
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

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint highlights and the sentence focus under the text, then the text itself."""
        painter = QPainter(self.viewport())
        self._paint_highlights(painter)
        if self._focus_span is not None:
            self._paint_focus(painter, *self._focus_span)
        painter.end()
        super().paintEvent(event)

    def _paint_highlights(self, painter: QPainter) -> None:
        if not len(self._runs):
            return
        runs = self._runs.between(*self.visible_span())
        paint_highlight_runs(painter, runs, self.span_rects, self.palette_colours)

    def _paint_focus(self, painter: QPainter, start: int, end: int) -> None:
        rects = self.span_rects(start, end)
        if rects:
            untagged = not self._runs.between(start, end)
            paint_focus_mark(painter, rects, self.palette_colours, tinted=untagged)

    # -- selection -----------------------------------------------------------------------------

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as a code-point span of the text, or None (nothing or title only)."""
        return selection_span(self.textCursor(), self.positions)

    def select_span(self, start: int, end: int) -> None:
        """Select `[start, end)` (code points) and scroll it into view."""
        cursor = QTextCursor(self.document())
        select_span_with(cursor, self.positions, start, end)
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
        offset = text_offset(self.positions, position)
        if offset is not None:
            self.sentenceClicked.emit(offset)
