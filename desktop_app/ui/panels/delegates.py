"""How rows of the side panel are drawn: tags with swatch, key and count; annotations as cards."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from desktop_app.core.highlight_layers import composite
from desktop_app.core.records import AnnotationRecord, TagRecord
from desktop_app.models.annotation_list_model import AnnotationRole
from desktop_app.models.tag_list_model import TagRole
from desktop_app.ui.reader.reading_style import colours_for

Index = QModelIndex | QPersistentModelIndex
PAD = 8
WRAP_CACHE_SIZE = 2000  # wrapped card quotes kept (a screenful is a dozen)


def paint_row_background(painter: QPainter, option: QStyleOptionViewItem) -> None:
    """Selection and hover backgrounds shared by the panel's lists."""
    # Imported on the first paint of a row, not with the window: PySide builds QStyle's
    # 600 enum members when the class is first imported (7 ms), and the first frame of the
    # window has no rows to paint.
    from PySide6.QtWidgets import QStyle

    palette = option.palette
    rect = option.rect
    state = option.state
    if state & QStyle.StateFlag.State_Selected:
        tint = QColor(palette.color(QPalette.ColorRole.Highlight))
        tint.setAlphaF(0.14)
        painter.fillRect(rect, tint)
        painter.fillRect(
            QRect(rect.left(), rect.top(), 3, rect.height()),
            palette.color(QPalette.ColorRole.Highlight),
        )
    elif state & QStyle.StateFlag.State_MouseOver:
        painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))


class TagDelegate(QStyledItemDelegate):
    """A codebook row: key number, colour swatch, name, and count in the open document."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(200, metrics.height() + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_row_background(painter, option)
        rect: QRect = option.rect
        middle = rect.center().y()
        key_box = self._paint_key(painter, option, index, middle)
        indent = 14 * (index.data(TagRole.Depth) or 0)
        swatch = QRectF(key_box.right() + PAD + indent, middle - 7, 14, 14)
        colour: QColor = index.data(TagRole.Colour)
        painter.setPen(QPen(colour.darker(130), 1))
        painter.setBrush(
            QColor(composite([colour.name()], colours_for(option.palette).paper, 0.75))
        )
        painter.drawEllipse(swatch)
        self._paint_name_and_count(painter, option, index, int(swatch.right()) + PAD)
        painter.restore()

    @staticmethod
    def _paint_key(
        painter: QPainter, option: QStyleOptionViewItem, index: Index, middle: int
    ) -> QRectF:
        """The tag's number key in a small box at the left ("·" past nine); returns the box."""
        palette = option.palette
        key = index.data(TagRole.KeyNumber)
        key_box = QRectF(option.rect.left() + PAD, middle - 10, 20, 20)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(key_box, 4, 4)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(key_box, Qt.AlignmentFlag.AlignCenter, str(key) if key else "·")
        return key_box

    @staticmethod
    def _paint_name_and_count(
        painter: QPainter, option: QStyleOptionViewItem, index: Index, text_left: int
    ) -> None:
        """The name from `text_left`, elided before the count, which sits at the right."""
        rect: QRect = option.rect
        palette = option.palette
        metrics = QFontMetrics(option.font)
        count_text = str(index.data(TagRole.Count) or 0)
        name = index.data(Qt.ItemDataRole.DisplayRole) or ""
        count_width = metrics.horizontalAdvance(count_text) + 2 * PAD
        name_rect = QRect(
            text_left, rect.top(), rect.right() - text_left - count_width, rect.height()
        )
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            name_rect,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width()),
        )
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRect(rect.right() - count_width, rect.top(), count_width - PAD, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            count_text,
        )


class AnnotationDelegate(QStyledItemDelegate):
    """An annotation card: tag colours down the left, two lines of quote, then tags and note.

    Every card has the same height, so the list can use uniform item sizes and lay out
    10,000 annotations without asking for 10,000 size hints on every change. The tags and the
    note come from the row's record when it is painted.
    """

    QUOTE_LINES = 2

    def __init__(
        self, tags_of: Callable[[AnnotationRecord], list[TagRecord]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tags_of = tags_of
        # Wrapped quotes by (font, width, quote): a tag key repaints every visible card, and
        # wrapping measured each quote word by word (a third of a card's paint).
        self._wrapped: dict[tuple[str, int, str], str] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(200, (self.QUOTE_LINES + 1) * line + 2 * PAD + 4)

    def _wrapped_quote(self, metrics: QFontMetrics, font: QFont, quote: str, width: int) -> str:
        key = (font.key(), width, quote)
        wrapped = self._wrapped.get(key)
        if wrapped is None:
            if len(self._wrapped) >= WRAP_CACHE_SIZE:
                self._wrapped.clear()
            wrapped = _elide_lines(metrics, quote, width, self.QUOTE_LINES)
            self._wrapped[key] = wrapped
        return wrapped

    @staticmethod
    def _text_left(rect: QRect) -> int:
        return rect.left() + 2 * PAD + 4

    def _text_width(self, rect: QRect) -> int:
        return max(rect.right() - self._text_left(rect) - PAD, 80)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_row_background(painter, option)
        rect: QRect = option.rect
        record: AnnotationRecord | None = index.data(AnnotationRole.Record)
        tags = self._tags_of(record) if record is not None else []
        note = record.note if record is not None else ""
        self._paint_strip(painter, option, tags)
        quote_rect = self._paint_quote(painter, option, index.data(Qt.ItemDataRole.DisplayRole))
        line = QFontMetrics(option.font).lineSpacing()
        y = quote_rect.bottom() + 3
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        painter.setFont(small)
        left, width = self._text_left(rect), self._text_width(rect)
        x = self._paint_chips(
            painter, option, tags, QFontMetrics(small), QRect(left, y, width, line)
        )
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        rest = QRect(int(x) + 4, y, left + width - int(x) - 4, line)
        if not tags:
            painter.drawText(rest, Qt.AlignmentFlag.AlignVCenter, "no tag")
        elif note and rest.width() > 20:
            flat = "✎ " + " ".join(note.split())
            painter.drawText(
                rest,
                Qt.AlignmentFlag.AlignVCenter,
                QFontMetrics(small).elidedText(flat, Qt.TextElideMode.ElideRight, rest.width()),
            )
        painter.restore()

    @staticmethod
    def _paint_strip(
        painter: QPainter, option: QStyleOptionViewItem, tags: list[TagRecord]
    ) -> None:
        """The card's left edge in its tags' colours, one band each (grey when untagged)."""
        rect: QRect = option.rect
        strip = QRectF(rect.left() + PAD, rect.top() + PAD, 4, rect.height() - 2 * PAD)
        colours = [QColor(t.colour) for t in tags] or [option.palette.color(QPalette.ColorRole.Mid)]
        share = strip.height() / len(colours)
        for i, colour in enumerate(colours):
            painter.fillRect(QRectF(strip.left(), strip.top() + i * share, 4, share), colour)

    def _paint_quote(
        self, painter: QPainter, option: QStyleOptionViewItem, quote: str | None
    ) -> QRect:
        """The quote wrapped to QUOTE_LINES lines, the last elided; returns where it went."""
        rect: QRect = option.rect
        font = option.font
        metrics = QFontMetrics(font)
        width = self._text_width(rect)
        quote_rect = QRect(
            self._text_left(rect), rect.top() + PAD, width, self.QUOTE_LINES * metrics.lineSpacing()
        )
        painter.setPen(option.palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            quote_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            self._wrapped_quote(metrics, font, quote or "", width),
        )
        return quote_rect

    @staticmethod
    def _paint_chips(
        painter: QPainter,
        option: QStyleOptionViewItem,
        tags: list[TagRecord],
        metrics: QFontMetrics,
        row: QRect,
    ) -> float:
        """A pale chip per tag along `row` while they fit; returns where the chips end."""
        scheme = colours_for(option.palette)
        left, y, width, line = row.left(), row.top(), row.width(), row.height()
        x: float = left
        for tag in tags:
            label_width = metrics.horizontalAdvance(tag.name) + 12
            if x + label_width > left + width:
                break
            chip = QRectF(x, y + 1, label_width, line - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(composite([tag.colour], scheme.paper, 0.3)))
            painter.drawRoundedRect(chip, 6, 6)
            # Dark tag text on a pale chip; on a dark chip the scheme's light ink reads best.
            painter.setPen(QColor(scheme.ink) if scheme.dark else QColor(tag.colour).darker(160))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, tag.name)
            x += label_width + 4
        return x


def _elide_lines(metrics: QFontMetrics, text: str, width: int, lines: int) -> str:
    """`text` word-wrapped to at most `lines` lines of `width`, the last one elided."""
    words = text.split()
    out: list[str] = []
    current = ""
    i = 0
    while i < len(words) and len(out) < lines - 1:
        trial = f"{current} {words[i]}".strip()
        if current and metrics.horizontalAdvance(trial) > width:
            out.append(current)
            current = ""
            continue
        current = trial
        i += 1
    rest = " ".join([current, *words[i:]]).strip()
    out.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return "\n".join(out)
