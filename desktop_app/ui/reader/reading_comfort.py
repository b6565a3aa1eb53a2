"""Reading comfort: zoom, the reading font and light or dark colours, all remembered.

One object owns the View menu's comfort actions and applies them to the reader, so the main
window only places them. Zoom steps are added to the chosen size, so Ctrl+0 goes back to the
reader's own size rather than to ours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from desktop_app.core.reading_colours import ReadingColours
from desktop_app.ui.reader.article_view import ArticleView
from desktop_app.ui.reader.reading_style import (
    BASE_POINT_SIZE,
    MAX_POINT_SIZE,
    MIN_POINT_SIZE,
    FontChoice,
    reading_font,
)
from desktop_app.ui.shell.appearance import APPEARANCE_LABELS, Appearance
from desktop_app.ui.shell.settings import AppSettings

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu


class ReadingComfort(QObject):
    """Zoom, font and colour scheme of the reader, kept in the settings file."""

    def __init__(self, reader: ArticleView, settings: AppSettings, window: QWidget) -> None:
        super().__init__(window)
        self.reader = reader
        self.settings = settings
        self.window = window
        self.appearance = Appearance(settings.appearance, self)
        self.appearance.changed.connect(self._on_colours_changed)
        reader.set_font_choice(
            FontChoice(settings.reading_family, settings.reading_size or BASE_POINT_SIZE)
        )
        reader.set_zoom(settings.zoom)
        self.appearance.apply()
        self.reader.set_colours(self.appearance.colours)
        # The menu entries and their keys come with fill_menu, after the first paint.
        self.appearance_actions: dict[str, QAction] = {}

    def _action(self, text: str, keys: list[str], slot: object) -> QAction:
        from PySide6.QtGui import QAction, QKeySequence  # built after the first paint

        action = QAction(text, self.window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def _create_actions(self) -> None:
        from PySide6.QtGui import QAction, QActionGroup

        self.zoom_in_action = self._action("Zoom &In", ["Ctrl++", "Ctrl+="], self.zoom_in)
        self.zoom_out_action = self._action("Zoom &Out", ["Ctrl+-"], self.zoom_out)
        self.zoom_reset_action = self._action("&Reset Zoom", ["Ctrl+0"], self.zoom_reset)
        self.font_action = self._action("&Font…", [], self.choose_font)
        self.appearance_group = QActionGroup(self)
        for choice, label in APPEARANCE_LABELS.items():
            action = QAction(label, self.window)
            action.setCheckable(True)
            action.setChecked(choice == self.appearance.choice)
            action.triggered.connect(lambda _checked=False, c=choice: self.set_appearance(c))
            self.appearance_group.addAction(action)
            self.appearance_actions[choice] = action

    def fill_menu(self, menu: QMenu) -> None:
        """Make the comfort entries and their keys, and add them to the View menu."""
        self._create_actions()
        colours = menu.addMenu("&Colours")
        for action in self.appearance_actions.values():
            colours.addAction(action)
        menu.addAction(self.font_action)
        menu.addSeparator()
        menu.addAction(self.zoom_in_action)
        menu.addAction(self.zoom_out_action)
        menu.addAction(self.zoom_reset_action)

    # -- zoom ----------------------------------------------------------------------------------

    def zoom_by(self, steps: int) -> None:
        self.reader.set_zoom(self.reader.zoom + steps)
        self.settings.zoom = self.reader.zoom

    def zoom_in(self) -> None:
        self.zoom_by(1)

    def zoom_out(self) -> None:
        self.zoom_by(-1)

    def zoom_reset(self) -> None:
        self.reader.set_zoom(0)
        self.settings.zoom = 0

    # -- font ----------------------------------------------------------------------------------

    def choose_font(self) -> None:
        """View › Font…: pick the reading face and size (zoom goes back to none)."""
        from PySide6.QtWidgets import QFontDialog

        current = reading_font(0, self.reader.font_choice)
        current.setFamily(self.reader.font_choice.family or current.families()[0])
        accepted, font = QFontDialog.getFont(current, self.window, "Reading font")
        if accepted:
            self.set_font(font)

    def set_font(self, font: QFont) -> None:
        """Read in `font`'s family at its size, and remember both."""
        size = font.pointSizeF() if font.pointSizeF() > 0 else BASE_POINT_SIZE
        size = min(MAX_POINT_SIZE, max(MIN_POINT_SIZE, size))
        family = font.family()
        self.reader.set_zoom(0)
        self.settings.zoom = 0
        self.reader.set_font_choice(FontChoice(family, size))
        self.settings.reading_family = family
        self.settings.reading_size = size

    # -- colours -------------------------------------------------------------------------------

    def set_appearance(self, choice: str) -> None:
        """Follow the system, or force light or dark; remembered."""
        self.appearance.set_choice(choice)
        self.settings.appearance = self.appearance.choice
        if self.appearance_actions:
            self.appearance_actions[self.appearance.choice].setChecked(True)

    def _on_colours_changed(self, colours: ReadingColours) -> None:
        self.reader.set_colours(colours)
