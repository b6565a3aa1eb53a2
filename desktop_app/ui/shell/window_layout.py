"""The window's three columns: the library, the reading area, the side panel.

The first frame shows only the article, but the panels must not push it aside when they
arrive after the paint (see docs/performance.md, startup_warm). So the splitter starts with
empty places as wide as the panels will be, restores the remembered widths on those places,
and the panels later take the places over with their sizes and visibility.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

LIBRARY_MIN_WIDTH = 200
SIDE_PANEL_MIN_WIDTH = 260
FIRST_SIZES = [230, 820, 340]  # library, reader, side panel, before any width is remembered


class ReadingArea(QWidget):
    """The middle column: the reader, with room above it for bars that open on demand (the
    find bar), so that they push the article down rather than cover it."""

    def __init__(self, reader: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(reader, 1)

    def add_bar_above(self, bar: QWidget) -> None:
        """Put `bar` above the reader (and above any bar already there)."""
        self._layout.insertWidget(0, bar)


class PanelSplitter(QSplitter):
    """Library | reading area | side panel, with places kept for the two panels until
    `take_places` puts them there."""

    def __init__(self, reading_area: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("mainSplitter")
        self._library_place = QWidget()
        self._library_place.setMinimumWidth(LIBRARY_MIN_WIDTH)
        self._side_place = QWidget()
        self._side_place.setMinimumWidth(SIDE_PANEL_MIN_WIDTH)
        self.addWidget(self._library_place)
        self.addWidget(reading_area)
        self.addWidget(self._side_place)
        # Only the reader grows with the window; the panels keep the widths they were given.
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setStretchFactor(2, 0)
        self.setChildrenCollapsible(False)

    def restore(self, state: QByteArray | None, library_shown: bool) -> None:
        """The remembered widths (or the first ones), and whether the library is shown."""
        if state is None or not self.restoreState(state):
            self.setSizes(FIRST_SIZES)
        self._library_place.setVisible(library_shown)

    def take_places(self, library_panel: QWidget, side_panel: QWidget) -> None:
        """Put the panels where their places were: they take the places' widths and
        visibility (a hidden library stays hidden)."""
        side_panel.setMinimumWidth(SIDE_PANEL_MIN_WIDTH)
        library_panel.setMinimumWidth(LIBRARY_MIN_WIDTH)
        self.replaceWidget(0, library_panel)
        self.replaceWidget(2, side_panel)
        self._library_place.deleteLater()
        self._side_place.deleteLater()
