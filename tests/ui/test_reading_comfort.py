"""Reading comfort: dark mode (forced, or following the desktop), the reading font, zoom on
top of it, all remembered across restarts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import quit_app
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QFontDialog

from desktop_app.core.highlight_layers import composite
from desktop_app.core.reading_colours import DARK, LIGHT
from desktop_app.ui.reader.reading_style import BASE_POINT_SIZE
from desktop_app.ui.shell import appearance


@pytest.fixture(autouse=True)
def light_again() -> Iterator[None]:
    """The application palette is global: give the next test the light one back."""
    yield
    QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Unknown)
    QApplication.setPalette(QPalette(QApplication.style().standardPalette()))


def window_is_dark(widget) -> bool:
    QApplication.processEvents()  # Qt hands a new application palette to widgets by event
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def test_forced_dark_repaints_reader_lists_and_charts_and_is_remembered(launch, qtbot):
    app = launch()
    window = app.window
    qtbot.keyClick(window.reader, "j")
    qtbot.keyClick(window.reader, "1")
    tagged = app.session.annotations()[0]
    trade = app.session.tag_for_key(1).colour
    assert window.reader.palette_colours == LIGHT
    window.comfort.appearance_actions["dark"].trigger()
    assert window.reader.palette_colours == DARK
    assert window_is_dark(window) and window_is_dark(window.side_panel)
    bands = window.reader.highlight_bands_at(tagged.start)
    assert bands == [(trade, composite([trade], DARK.paper, DARK.highlight_opacity))]
    title = window.reader.document().begin().begin().fragment()
    assert title.charFormat().foreground().color().name() == DARK.ink
    assert window.reader.palette().color(QPalette.ColorRole.Base).name() == DARK.paper
    assert app.session.document.text in window.reader.toPlainText()  # nothing lost on rebuild
    quit_app(app)

    again = launch()
    assert again.window.reader.palette_colours == DARK
    assert again.window.comfort.appearance_actions["dark"].isChecked()
    again.window.comfort.appearance_actions["light"].trigger()
    assert again.window.reader.palette_colours == LIGHT
    assert not window_is_dark(again.window)


def test_following_the_system_turns_dark_when_the_desktop_does(launch, monkeypatch):
    app = launch()
    window = app.window
    assert window.comfort.appearance.choice == "system"
    assert window.comfort.appearance_actions["system"].isChecked()
    monkeypatch.setattr(appearance, "system_prefers_dark", lambda: True)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.reader.palette_colours == DARK and window_is_dark(window)
    monkeypatch.setattr(appearance, "system_prefers_dark", lambda: False)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window.reader.palette_colours == LIGHT


def test_a_forced_scheme_ignores_the_desktop(launch, monkeypatch):
    app = launch()
    window = app.window
    window.comfort.set_appearance("light")
    monkeypatch.setattr(appearance, "system_prefers_dark", lambda: True)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.reader.palette_colours == LIGHT


def test_the_reading_font_is_chosen_remembered_and_zoom_adds_to_it(launch, qtbot, monkeypatch):
    app = launch()
    window = app.window
    qtbot.keyClick(window.reader, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    offered: list[QFont] = []

    def get_font(initial, parent, title):
        offered.append(QFont(initial))
        return True, QFont("DejaVu Sans", 17)

    monkeypatch.setattr(QFontDialog, "getFont", get_font)
    window.comfort.font_action.trigger()
    assert offered and offered[0].pointSizeF() == BASE_POINT_SIZE  # ours, without the zoom
    font = window.reader.document().defaultFont()
    assert font.families()[0] == "DejaVu Sans" and font.pointSizeF() == 17
    assert window.reader.zoom == 0  # a chosen size starts unzoomed
    qtbot.keyClick(window.reader, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.document().defaultFont().pointSizeF() == 18
    quit_app(app)

    again = launch()
    font = again.window.reader.document().defaultFont()
    assert font.families()[0] == "DejaVu Sans" and font.pointSizeF() == 18
    qtbot.keyClick(again.window.reader, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert again.window.reader.document().defaultFont().pointSizeF() == 17


def test_a_cancelled_font_dialog_changes_nothing(launch, monkeypatch):
    app = launch()
    window = app.window
    before = window.reader.document().defaultFont()
    monkeypatch.setattr(QFontDialog, "getFont", lambda *a: (False, QFont("DejaVu Sans", 30)))
    window.comfort.font_action.trigger()
    assert window.reader.document().defaultFont() == before
    assert window.settings.reading_family == ""


def test_the_placeholder_follows_the_scheme(launch):
    app = launch()
    window = app.window
    window.show_placeholder("Nothing to read yet")
    window.comfort.set_appearance("dark")
    assert window.reader.toPlainText() == "Nothing to read yet"
    fragment = window.reader.document().begin().begin().fragment()
    assert fragment.charFormat().foreground().color().name() == DARK.muted


def test_the_view_menu_offers_colours_and_font(launch):
    app = launch()
    view_menu = next(a.menu() for a in app.window.menuBar().actions() if a.text() == "&View")
    texts = [a.text() for a in view_menu.actions()]
    assert "&Colours" in texts and "&Font…" in texts
    colours = next(a.menu() for a in view_menu.actions() if a.text() == "&Colours")
    assert [a.text() for a in colours.actions()] == ["Follow &System", "&Light", "&Dark"]
