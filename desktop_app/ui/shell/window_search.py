"""Searching from the window: Ctrl+F in the open article (a find bar above the reader) and
Ctrl+Shift+F across the library (a dock at the window's left).

Both are hidden at start, so both are built, and their modules loaded, the first time they
are asked for (see docs/performance.md, startup_warm); until then a new library or a new
article has nothing here to tell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from desktop_app.models.document_session import DocumentSession
    from desktop_app.ui.panels.search_dock import SearchDock
    from desktop_app.ui.reader.find_bar import FindBar
    from desktop_app.ui.reader.find_controller import FindController
    from desktop_app.ui.shell.main_window import MainWindow


class WindowSearch:
    """The find bar and the library search of one window, each built on first use."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._find_bar: FindBar | None = None
        self._find_controller: FindController | None = None
        self._dock: SearchDock | None = None

    @property
    def find_bar(self) -> FindBar:
        """The find bar over the reader, built the first time it is asked for."""
        if self._find_bar is None:
            from desktop_app.ui.reader.find_bar import FindBar
            from desktop_app.ui.reader.find_controller import FindController

            window = self._window
            bar = FindBar()
            window.reading_area.add_bar_above(bar)
            self._find_controller = FindController(bar, window.reader, self._open_text, window)
            self._find_bar = bar
        return self._find_bar

    @property
    def search_dock(self) -> SearchDock:
        """The library search, built the first time it is asked for (after complete())."""
        if self._dock is None:
            from desktop_app.ui.panels.search_dock import SearchDock

            window = self._window
            dock = SearchDock(window)
            window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
            dock.hitActivated.connect(window.on_search_hit)
            dock.closed.connect(window.controller.focus_reader)
            if window.session is not None:
                dock.attach(window.session)
            self._dock = dock
        return self._dock

    def attach(self, session: DocumentSession) -> None:
        """The library opened: a search dock already built searches it."""
        if self._dock is not None:
            self._dock.attach(session)

    def on_document_opened(self) -> None:
        """Another article shows: the find bar's matches were in the one before."""
        if self._find_controller is not None:
            self._find_controller.reset()

    def _open_text(self) -> str | None:
        session = self._window.session
        document = None if session is None else session.document
        return None if document is None else document.text
