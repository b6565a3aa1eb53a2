"""Connects the find bar to the reader: matches in code points, selection of the current one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer

from desktop_app.core.text_search import find_all, next_match, previous_match
from desktop_app.ui.reader.article_view import ArticleView
from desktop_app.ui.reader.find_bar import FindBar

LARGE_TEXT = 200_000
SEARCH_PAUSE_MS = 150


class FindController(QObject):
    """Keeps the matches of the find bar's query and selects them in the reader."""

    def __init__(
        self, bar: FindBar, reader: ArticleView, text: Callable[[], str | None], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._bar = bar
        self._reader = reader
        self._text = text
        self._matches: list[tuple[int, int]] = []
        self._index: int | None = None
        self._pending_query = ""
        # On a book-length text one keystroke's search takes ~100 ms: wait for a pause.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_PAUSE_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._debounce.timeout.connect(lambda: self._search(self._pending_query))
        self._bar.searchChanged.connect(self.on_search_changed)
        self._bar.nextRequested.connect(lambda: self.step(1))
        self._bar.previousRequested.connect(lambda: self.step(-1))
        self._bar.closed.connect(self.on_closed)

    def reset(self) -> None:
        """Forget the matches (another document was opened)."""
        self._matches = []
        self._index = None

    def on_search_changed(self, query: str) -> None:
        text = self._text()
        if text is None:
            return
        if len(text) > LARGE_TEXT:
            self._pending_query = query
            self._debounce.start()
            return
        self._search(query)

    def _search(self, query: str) -> None:
        text = self._text()
        if text is None:
            return
        self._matches = find_all(text, query)
        selected = self._reader.selected_span()
        caret = self._reader.positions.from_qt(self._reader.textCursor().position())
        self._index = next_match(self._matches, selected[0] if selected else caret)
        self._show()

    def step(self, direction: int) -> None:
        """Select the next (1) or previous (-1) match, wrapping around."""
        if not self._matches:
            self._bar.show_result(None, 0)
            return
        if self._index is None:
            self._index = 0
        elif direction > 0:
            self._index = (self._index + 1) % len(self._matches)
        else:
            self._index = previous_match(self._matches, self._matches[self._index][0])
        self._show()

    def _show(self) -> None:
        if self._index is None or not self._matches:
            self._bar.show_result(None, 0)
            return
        self._reader.select_span(*self._matches[self._index])
        self._bar.show_result(self._index, len(self._matches))

    def on_closed(self) -> None:
        self._reader.setFocus(Qt.FocusReason.OtherFocusReason)
