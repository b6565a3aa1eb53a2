"""Where a span of the article is on screen, and which part of the article is in view.

Both answers cross the boundary between the document's code points and Qt's UTF-16 positions:
spans come in as code points and are turned into Qt positions by the PositionMap before any
line is asked, so an emoji (two UTF-16 units, one code point) never shifts a rectangle.

Both also touch Qt's lazy layout, which lays a long article out only as far as it is asked:
everything here asks block by block, never by hit-testing a point, so a paint of the top of
a 2 MB article lays out only the top.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextBlock, QTextDocument

from desktop_app.core.offsets import PositionMap


def span_line_rects(
    document: QTextDocument,
    positions: PositionMap,
    start: int,
    end: int,
    scroll_x: int,
    scroll_y: int,
) -> list[QRectF]:
    """Rectangles of the lines of text in `[start, end)` (code points), in viewport coordinates.

    `scroll_x` and `scroll_y` are the scroll bars' values: the document's origin is that far
    above and to the left of the viewport's.
    """
    layout = document.documentLayout()
    first = positions.to_qt(start)
    last = positions.to_qt(end)
    dx = -scroll_x
    dy = -scroll_y
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


class VisibleBlocks:
    """Finds the blocks in view, starting from where the last paint found them."""

    def __init__(self) -> None:
        self._top_block_hint = 0  # the block at the top of the view at the last paint

    def reset(self) -> None:
        """Forget the last answer (another document is shown)."""
        self._top_block_hint = 0

    def visible_span(
        self, document: QTextDocument, positions: PositionMap, top: float, height: float
    ) -> tuple[int, int]:
        """Code-point span of the blocks the viewport shows (whole blocks, so a superset).

        `top` is the document's y at the top of the viewport, `height` the viewport's height.
        Found by walking blocks with `blockBoundingRect`, never by hit-testing the corners:
        Qt lays a long article out lazily, and while it does, `cursorForPosition` at the
        bottom of the view answers "the end of the text" and forces the whole layout first
        (a second for 2 MB), so the first paint cut every run of the article into rectangles.
        `blockBoundingRect` lays out only up to the block it is asked about.
        """
        layout = document.documentLayout()
        bottom = top + height
        block = self._first_block_below(document, top)
        first = last = block.position()
        while block.isValid():
            if layout.blockBoundingRect(block).top() > bottom:
                break
            last = block.position() + block.length()
            block = block.next()
        return positions.from_qt(first), positions.from_qt(last) + 1

    def _first_block_below(self, document: QTextDocument, y: float) -> QTextBlock:
        """The first block whose bottom is below document `y`, searched from the last answer.

        A gallop from the previous paint's top block, then a bisection: a paint after a small
        scroll costs a few probes, and the layout is never forced far beyond the view.
        """
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


def _x_of(result: object) -> float:
    """`QTextLine.cursorToX` returns (x, position) in PySide6; take x either way."""
    if isinstance(result, tuple):
        return float(result[0])
    return float(result)  # type: ignore[arg-type]
