"""The library search as a dock beside the reader (Ctrl+Shift+F).

A dock rather than a splitter pane so that showing it leaves the reader's saved layout alone.
It re-runs its query whenever the library changes under the results, so a hit never points
at an annotation that was just deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from desktop_app.ui.panels.search_panel import SearchPanel

if TYPE_CHECKING:
    from desktop_app.core.search_hit import SearchHit
    from desktop_app.models.document_session import DocumentSession

DOCK_WIDTH = 300


class SearchDock(QDockWidget):
    """Holds the SearchPanel; hidden until asked for.

    Signals:
        hitActivated(object): open this SearchHit.
        closed(): Escape in an empty field hid the dock (focus goes back to the reader).
    """

    hitActivated = Signal(object)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Search", parent)
        self.setObjectName("searchDock")
        self.setTitleBarWidget(QWidget())  # the panel carries its own "Search" label
        self.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.session: DocumentSession | None = None
        self.panel = SearchPanel(self._search)
        self.setWidget(self.panel)
        self.panel.hitActivated.connect(self.hitActivated)
        self.panel.closeRequested.connect(self.close_search)
        self.hide()

    def attach(self, session: DocumentSession) -> None:
        """Search this library, and search again whenever it changes."""
        self.session = session
        for signal in (
            session.libraryChanged,
            session.annotationAdded,
            session.annotationRemoved,
            session.annotationUpdated,
            session.annotationStored,
            session.tagsChanged,
        ):
            signal.connect(self._refresh)

    def _search(self, query: str) -> list[SearchHit]:
        return [] if self.session is None else self.session.library.search(query)

    def open_search(self) -> None:
        """Show the dock with the caret in its field, narrow enough to leave the reader room."""
        first_time = self.isHidden()
        self.show()
        window = self.parentWidget()
        if first_time and isinstance(window, QMainWindow):
            window.resizeDocks([self], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        self.panel.focus_field()

    def close_search(self) -> None:
        self.hide()
        self.closed.emit()

    def _refresh(self, *_changed: object) -> None:
        if self.isVisible():
            self.panel.refresh()
