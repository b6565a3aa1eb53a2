"""Light and dark: follow the desktop's colour scheme, or keep the one the reader forced.

Qt reports the desktop's scheme through QStyleHints (and a signal when it changes), but
whether the widget style then turns dark differs by platform and style. So the application
palette is set here, explicitly, from the same reading colours the article uses: menus,
lists, dialogs and charts all change together, on every platform.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from desktop_app.core.reading_colours import DARK, LIGHT, ReadingColours

APPEARANCE_LABELS = {"system": "Follow &System", "light": "&Light", "dark": "&Dark"}


def system_prefers_dark() -> bool:
    """Whether the desktop asks for dark colours (Unknown counts as light)."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    """A complete dark palette built on the dark reading colours."""
    colours = DARK
    palette = QPalette()
    role = QPalette.ColorRole
    window, base, alternate = QColor("#262522"), QColor(colours.paper), QColor("#24231f")
    text, muted = QColor(colours.ink), QColor(colours.muted)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, role.Window, window)
        palette.setColor(group, role.WindowText, text)
        palette.setColor(group, role.Base, base)
        palette.setColor(group, role.AlternateBase, alternate)
        palette.setColor(group, role.Text, text)
        palette.setColor(group, role.Button, QColor("#2f2d29"))
        palette.setColor(group, role.ButtonText, text)
        palette.setColor(group, role.BrightText, QColor("#ffffff"))
        palette.setColor(group, role.ToolTipBase, QColor("#32302b"))
        palette.setColor(group, role.ToolTipText, text)
        palette.setColor(group, role.PlaceholderText, muted)
        palette.setColor(group, role.Highlight, QColor("#3d5199"))
        palette.setColor(group, role.HighlightedText, QColor("#ffffff"))
        palette.setColor(group, role.Link, QColor(colours.focus))
        palette.setColor(group, role.LinkVisited, QColor("#c3a6ff"))
        palette.setColor(group, role.Light, QColor("#45423c"))
        palette.setColor(group, role.Midlight, QColor("#3a3833"))
        palette.setColor(group, role.Mid, QColor("#55524b"))
        palette.setColor(group, role.Dark, QColor("#141311"))
        palette.setColor(group, role.Shadow, QColor("#000000"))
    disabled = QPalette.ColorGroup.Disabled
    for item in (role.WindowText, role.Text, role.ButtonText, role.PlaceholderText):
        palette.setColor(disabled, item, QColor("#6f6c65"))
    palette.setColor(disabled, role.Base, window)
    palette.setColor(disabled, role.Button, window)
    palette.setColor(disabled, role.Highlight, QColor("#3a3833"))
    return palette


def light_palette(platform: QPalette) -> QPalette:
    """The platform's own palette when it is light; else a plain light one (Fusion's grey)."""
    if platform.color(QPalette.ColorRole.Window).lightness() >= 128:
        return QPalette(platform)
    return QPalette(QColor("#efefef"))


class Appearance(QObject):
    """Which colours the app wears now; tells the window when that changes.

    Signals:
        changed(object): the ReadingColours now in effect (LIGHT or DARK).
    """

    changed = Signal(object)

    def __init__(self, choice: str = "system", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._choice = choice if choice in APPEARANCE_LABELS else "system"
        self._light_palette = light_palette(QApplication.palette())
        self._colours: ReadingColours | None = None
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_changed)
        if self._choice != "system":
            self._tell_platform()

    @property
    def choice(self) -> str:
        """ "system", "light" or "dark"."""
        return self._choice

    @property
    def colours(self) -> ReadingColours:
        """The reading colours in effect."""
        return self._colours or self._wanted()

    def _wanted(self) -> ReadingColours:
        if self._choice == "dark" or (self._choice == "system" and system_prefers_dark()):
            return DARK
        return LIGHT

    def set_choice(self, choice: str) -> None:
        """Follow the system ("system") or force "light" or "dark"."""
        self._choice = choice if choice in APPEARANCE_LABELS else "system"
        self._tell_platform()
        self.apply()

    def _tell_platform(self) -> None:
        """Ask the platform for the forced scheme too, so native dialogs match (Qt 6.8+);
        Unknown hands the choice back to the desktop."""
        scheme = {"dark": Qt.ColorScheme.Dark, "light": Qt.ColorScheme.Light}.get(
            self._choice, Qt.ColorScheme.Unknown
        )
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "setColorScheme"):
            hints.setColorScheme(scheme)

    def apply(self) -> None:
        """Give the application the palette of the wanted scheme (a no-op when it has it)."""
        wanted = self._wanted()
        if wanted == self._colours:
            return
        self._colours = wanted
        QApplication.setPalette(dark_palette() if wanted.dark else self._light_palette)
        self.changed.emit(wanted)

    def _on_system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == "system":
            self.apply()
