"""Ctrl+F: typing searches, Enter selects the next match, Escape closes and keeps the selection."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_find_typing_enter_and_escape(launch, qtbot, sample_text):
    app = launch()
    window = app.window
    qtbot.keyClick(window.reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "trump")
    matches = [i for i in range(len(sample_text)) if sample_text.lower().startswith("trump", i)]
    first = window.reader.selected_span()
    assert first == (matches[0], matches[0] + 5)
    assert bar.status.text() == f"1 of {len(matches)}"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert window.reader.selected_span() == (matches[1], matches[1] + 5)
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.reader.selected_span() == (matches[0], matches[0] + 5)
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert window.reader.hasFocus()
    # The selection stays, so a number key tags exactly the match.
    assert window.reader.selected_span() == (matches[1], matches[1] + 5)
    qtbot.keyClick(window.reader, "2")
    (annotation,) = app.session.annotations()
    assert (annotation.start, annotation.end) == (matches[1], matches[1] + 5)
    assert annotation.exact == "Trump"


def test_find_wraps_and_reports_no_matches(launch, qtbot, sample_text):
    app = launch()
    window = app.window
    qtbot.keyClick(window.reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.find_bar
    qtbot.keyClicks(bar.field, "Emperor")
    only = sample_text.index("Emperor")
    assert window.reader.selected_span() == (only, only + len("Emperor"))
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert window.reader.selected_span() == (only, only + len("Emperor"))
    assert bar.status.text() == "1 of 1"
    bar.field.clear()
    qtbot.keyClicks(bar.field, "zeppelin")
    assert bar.status.text() == "No matches"
