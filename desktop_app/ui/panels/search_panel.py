"""The search panel: a query field that searches the whole library as you type, and its hits.

Keys: typing searches (after a short pause), Down moves into the list, Enter opens the
selected hit (the first one from the field), Escape clears the field, and closes the panel
when the field is already empty; in the list, Escape and Up on the first row go back to the
field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.search_hit import Marks, SearchHit
from desktop_app.models.search_model import SearchResultModel, SearchRole, count_text
from desktop_app.ui.panels.delegates import PAD, paint_row_background

Index = QModelIndex | QPersistentModelIndex
Search = Callable[[str], Sequence[SearchHit]]
Run = tuple[str, bool]  # a piece of a snippet, and whether it is a matched word

DEBOUNCE_MS = 150
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def snippet_runs(snippet: str, marks: Marks) -> list[Run]:
    """The snippet cut into plain and matched pieces, in order."""
    runs: list[Run] = []
    position = 0
    for start, end in marks:
        if start > position:
            runs.append((snippet[position:start], False))
        runs.append((snippet[start:end], True))
        position = end
    if position < len(snippet):
        runs.append((snippet[position:], False))
    return runs


def trim_lead_in(runs: list[Run], fits: Callable[[str], bool]) -> list[Run]:
    """Drop words before the first match until the text before it `fits`, so that the match
    shows in a narrow panel; "…" marks the cut."""
    if len(runs) < 2 or runs[0][1] or fits(runs[0][0]):
        return runs
    lead = runs[0][0]
    for cut in (i + 1 for i, char in enumerate(lead) if char == " "):
        if fits("…" + lead[cut:]):
            return [("…" + lead[cut:], False), *runs[1:]]
    return runs[1:]


class SearchDelegate(QStyledItemDelegate):
    """A hit: the article's title with where the words were (quote, note, text…) at the right,
    and under it the snippet with the matched words in bold."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(200, 2 * line + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        paint_row_background(painter, option)
        rect = option.rect.adjusted(PAD + 4, PAD, -PAD, -PAD)
        palette = option.palette
        regular = QFont(option.font)
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.Bold)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.85)
        line = QFontMetrics(regular).lineSpacing()

        kind = index.data(SearchRole.Kind) or ""
        kind_width = QFontMetrics(small).horizontalAdvance(kind) + PAD
        painter.setFont(small)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRect(rect.right() - kind_width, rect.top(), kind_width, line),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            kind,
        )
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        title_metrics = QFontMetrics(title_font)
        painter.setFont(title_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        title = index.data(SearchRole.Title) or ""
        title_width = max(rect.width() - kind_width - PAD, 20)
        painter.drawText(
            QRect(rect.left(), rect.top(), title_width, line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title_metrics.elidedText(title, Qt.TextElideMode.ElideRight, title_width),
        )
        runs = snippet_runs(
            index.data(SearchRole.Snippet) or "", index.data(SearchRole.Marks) or ()
        )
        self._paint_runs(
            painter, QRect(rect.left(), rect.top() + line, rect.width(), line), runs, regular, bold
        )
        painter.restore()

    @staticmethod
    def _paint_runs(
        painter: QPainter, rect: QRect, runs: list[Run], regular: QFont, bold: QFont
    ) -> None:
        """Draw the snippet on one line, matched words in bold, elided at the right."""
        metrics = {False: QFontMetrics(regular), True: QFontMetrics(bold)}
        budget = rect.width() // 3
        runs = trim_lead_in(runs, lambda text: metrics[False].horizontalAdvance(text) <= budget)
        x = rect.left()
        for text, matched in runs:
            room = rect.right() - x
            if room <= 0:
                break
            width = metrics[matched].horizontalAdvance(text)
            if width > room:
                text = metrics[matched].elidedText(text, Qt.TextElideMode.ElideRight, room)
                width = room
            painter.setFont(bold if matched else regular)
            painter.drawText(
                QRect(x, rect.top(), width, rect.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            x += width


class SearchField(QLineEdit):
    """The query field; it reports Down, Enter and Escape instead of handling them.

    Signals:
        downPressed(): move into the results.
        enterPressed(): open the selected (or first) hit.
        escapePressed(): clear, or close.
    """

    downPressed = Signal()
    enterPressed = Signal()
    escapePressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Down:
            self.downPressed.emit()
        elif key in ENTER_KEYS:
            self.enterPressed.emit()
        elif key == Qt.Key.Key_Escape:
            self.escapePressed.emit()
        else:
            super().keyPressEvent(event)


class SearchPanel(QWidget):
    """Search the whole library: a field, a count and the hits, best first.

    `search` is called with the query and returns the hits (LibraryStore.search, or any
    callable in tests); it runs on the GUI thread, once typing pauses for DEBOUNCE_MS.

    Signals:
        hitActivated(object): open this SearchHit (click, Enter).
        closeRequested(): Escape in an empty field.
    """

    hitActivated = Signal(object)
    closeRequested = Signal()

    def __init__(self, search: Search, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self._search = search
        self.model = SearchResultModel(self)
        self._init_widgets()
        self._init_layout()
        self.setFocusProxy(self.field)
        self._connect_signals()

    def _init_widgets(self) -> None:
        self.field = SearchField()
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText("Search the library")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search the library")
        self.count_label = QLabel("")
        self.count_label.setObjectName("searchCount")
        self.list = QListView()
        self.list.setObjectName("searchResults")
        self.list.setModel(self.model)
        self.list.setItemDelegate(SearchDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setMouseTracking(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAccessibleName("Search results")
        self.list.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self._section_label = QLabel("Search")
        self._section_label.setObjectName("sectionLabel")

    def _init_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 6, 12)
        layout.setSpacing(6)
        layout.addWidget(self._section_label)
        layout.addWidget(self.field)
        layout.addWidget(self.count_label)
        layout.addWidget(self.list, 1)

    def _connect_signals(self) -> None:
        self.field.textChanged.connect(self.on_text_changed)
        self.field.downPressed.connect(self.on_down_from_field)
        self.field.enterPressed.connect(self.on_enter_from_field)
        self.field.escapePressed.connect(self.on_escape_from_field)
        self.timer.timeout.connect(self.run_search)
        self.list.clicked.connect(self._activate)

    # -- searching ---------------------------------------------------------------------------

    def on_text_changed(self, text: str) -> None:
        if text.strip():
            self.timer.start()  # restarted by every key: one search when typing pauses
        else:
            self.timer.stop()
            self._show([], "")

    def run_search(self) -> None:
        """Search for the field's text now (the pause after typing, Enter, or a refresh)."""
        self.timer.stop()
        query = self.field.text()
        if not query.strip():
            self._show([], "")
            return
        hits = self._search(query)
        self._show(hits, count_text(len(hits)))

    def refresh(self) -> None:
        """Search again for the same text: the library changed under the results."""
        if self.field.text().strip():
            self.run_search()

    def _show(self, hits: Sequence[SearchHit], count: str) -> None:
        self.model.set_hits(hits)
        self.count_label.setText(count)

    def focus_field(self) -> None:
        """Put the caret in the field with its text selected, ready to type over."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    # -- keys --------------------------------------------------------------------------------

    def _flush(self) -> None:
        """Run a search still waiting for the pause, so that keys act on current results."""
        if self.timer.isActive():
            self.run_search()

    def on_down_from_field(self) -> None:
        self._flush()
        if self.model.rowCount() == 0:
            return
        self.list.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.model.index(0))

    def on_enter_from_field(self) -> None:
        self._flush()
        current = self.list.currentIndex()
        self._activate(current if current.isValid() else self.model.index(0))

    def on_escape_from_field(self) -> None:
        if self.field.text():
            self.field.clear()
        else:
            self.closeRequested.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in ENTER_KEYS:
                self._activate(self.list.currentIndex())
                return True
            if key == Qt.Key.Key_Escape or (
                key == Qt.Key.Key_Up and self.list.currentIndex().row() <= 0
            ):
                self.field.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.hitActivated.emit(index.data(SearchRole.Hit))
