"""Mouse selection, clicking tags in the panel, overlapping highlights, and adding tags."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QDialog, QToolTip

from desktop_app.core.highlight_layers import composite
from desktop_app.ui.dialogs.add_tag_dialog import AddTagDialog

from gui_actions import click, drag_select

PAPER = "#fbfaf6"


def bands_at(app, offset: int) -> list[str]:
    """The tag colours of the bands painted under the character at `offset`."""
    return [tag for tag, _painted in app.window.reader.highlight_bands_at(offset)]


def pixels_on(app, offset: int) -> set[str]:
    """Colours actually rendered in the column of the character at `offset`, top to bottom."""
    view = app.window.reader
    image = view.viewport().grab().toImage()
    (rect, *_rest) = view.span_rects(offset, offset + 1)
    x = int(rect.left() + 1)
    return {
        image.pixelColor(x, y).name() for y in range(int(rect.top()) + 1, int(rect.bottom()) - 1)
    }


def click_tag_row(qtbot, app, row: int) -> None:
    tag_list = app.window.side_panel.tag_list
    rect = tag_list.visualRect(tag_list.model().index(row, 0))
    qtbot.mouseClick(tag_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_mouse_selection_tagged_by_clicking_a_tag(launch, qtbot, sample_text):
    app = launch()
    view = app.window.reader
    start = sample_text.index("Takaichi has stated")
    end = sample_text.index(" by the close of the fiscal year.")
    drag_select(view, start, end)
    assert view.selected_span() == (start, end)
    click_tag_row(qtbot, app, 1)  # security
    (annotation,) = app.session.annotations()
    assert (annotation.start, annotation.end) == (start, end)
    assert annotation.exact == sample_text[start:end]
    assert [app.session.tag(t).name for t in annotation.tag_ids] == ["security"]
    assert view.hasFocus()  # back to reading after a click in the panel


def test_mouse_selection_tagged_by_number_key_trims_spaces(launch, qtbot, sample_text):
    app = launch()
    view = app.window.reader
    start = sample_text.index("Recently, Trump") - 1  # catch the line break before it
    end = sample_text.index("Cambodia forces") + len("Cambodia")
    drag_select(view, start, end + 1)  # and the space after
    qtbot.keyClick(view, "3")
    (annotation,) = app.session.annotations()
    assert (
        annotation.exact == "Recently, Trump oversaw a ceasefire deal between Thailand and Cambodia"
    )


def test_clicking_a_sentence_makes_it_current(launch, qtbot, sample_text):
    app = launch()
    view = app.window.reader
    offset = sample_text.index("soybeans")
    click(view, offset)
    sentence = app.window.current_sentence
    assert sentence is not None and sentence.start <= offset < sentence.end
    assert sample_text[sentence.start : sentence.end].startswith("The PM is expected")
    qtbot.keyClick(view, "1")
    (annotation,) = app.session.annotations()
    assert annotation.exact.startswith("The PM is expected")


def test_overlapping_annotations_are_layered_not_hidden(launch, qtbot, sample_text):
    app = launch()
    view = app.window.reader
    sentence_start = sample_text.index("However, the bilateral defense treaty")
    qtbot.keyClick(view, "j")
    while app.window.current_sentence.start != sentence_start:
        qtbot.keyClick(view, "j")
    qtbot.keyClick(view, "2")  # whole sentence: security
    inner_start = sample_text.index("Trump earlier stating")
    inner_end = sample_text.index(" for stationing US forces")
    drag_select(view, inner_start, inner_end)
    qtbot.keyClick(view, "3")  # part of it: coalition, overlapping
    assert len(app.session.annotations()) == 2
    security, coalition = (app.session.tag_for_key(n).colour for n in (2, 3))
    outside = sentence_start + 2
    overlap = inner_start + 2
    assert bands_at(app, outside) == [security]
    assert bands_at(app, overlap) == [security, coalition]
    # What is rendered: the overlap shows both tags' colours, outside only security's.
    security_paint = composite([security], PAPER)
    coalition_paint = composite([coalition], PAPER)
    assert {security_paint, coalition_paint} <= pixels_on(app, overlap)
    assert security_paint in pixels_on(app, outside)
    assert coalition_paint not in pixels_on(app, outside)
    # Removing the outer annotation leaves the inner one visible in its own colour.
    # The tagged selection is now the focus: a click makes the whole sentence current again.
    click(view, sentence_start + 2)
    qtbot.keyClick(view, "2")  # toggles security off the whole sentence
    assert bands_at(app, overlap) == [coalition]
    assert bands_at(app, outside) == []
    assert coalition_paint in pixels_on(app, overlap)
    assert security_paint not in pixels_on(app, overlap)


def test_selecting_an_annotation_in_the_panel_scrolls_the_reader_to_it(launch, qtbot, sample_text):
    app = launch()
    window = app.window
    window.resize(900, 420)
    view = window.reader
    for _ in range(19):
        qtbot.keyClick(view, "j")
    qtbot.keyClick(view, "1")
    qtbot.keyClick(view, "j")
    for _ in range(19):
        qtbot.keyClick(view, "k")
    qtbot.keyClick(view, "2")
    view.verticalScrollBar().setValue(0)
    annotation_list = window.side_panel.annotation_list
    last_row = annotation_list.model().rowCount() - 1
    target = annotation_list.model().record_at(last_row)
    assert target.exact.startswith("Afterward, Trump")
    rect = annotation_list.visualRect(annotation_list.model().index(last_row, 0))
    qtbot.mouseClick(annotation_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.focus_span == (target.start, target.end)
    rects = view.span_rects(target.start, target.end)
    assert rects and all(r.top() >= 0 and r.bottom() <= view.viewport().height() for r in rects)
    assert view.verticalScrollBar().value() > 0


def test_add_tag_gets_the_next_number_and_is_undoable(launch, qtbot, monkeypatch):
    app = launch()
    window = app.window

    def fill_and_accept(dialog: AddTagDialog) -> int:
        dialog.name_field.setText("  energy   policy ")
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddTagDialog, "exec", fill_and_accept)
    qtbot.mouseClick(window.side_panel.add_tag_button, Qt.MouseButton.LeftButton)
    names = [t.name for t in app.store.tags()]
    assert names == ["trade", "security", "coalition", "energy policy"]
    new_tag = app.session.tag_for_key(4)
    assert new_tag.name == "energy policy"
    assert new_tag.colour not in {t.colour for t in app.session.tags[:3]}
    qtbot.keyClick(window.reader, "j")
    qtbot.keyClick(window.reader, "4")
    (annotation,) = app.session.annotations()
    assert annotation.tag_ids == (new_tag.id,)
    # Undo the tagging, then the tag itself; redo brings both back with the same id.
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [t.name for t in app.store.tags()] == ["trade", "security", "coalition"]
    assert window.tag_model.rowCount() == 3
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Z, redo)
    qtbot.keyClick(window, Qt.Key.Key_Z, redo)
    (annotation,) = app.store.annotations(app.session.document.id)
    assert annotation.tag_ids == (new_tag.id,)


def test_add_tag_dialog_refuses_a_duplicate_name(qtbot):
    dialog = AddTagDialog(["#e69f00", "#0072b2"], "#0072b2", ["trade", "security"])
    qtbot.addWidget(dialog)
    dialog.name_field.setText("TRADE")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "already a tag" in dialog.error_label.text()
    dialog.name_field.setText("")
    dialog.accept()
    assert "needs a name" in dialog.error_label.text()


def test_annotation_list_is_usable_from_the_keyboard(launch, qtbot):
    app = launch()
    window = app.window
    for key in "jj1j2":
        qtbot.keyClick(window.reader, key)
    annotation_list = window.side_panel.annotation_list
    annotation_list.setFocus()
    qtbot.keyClick(annotation_list, Qt.Key.Key_Up)
    first = window.side_panel.selected_annotation()
    assert first is not None and first.exact.startswith("The focus of their summit")
    assert window.reader.focus_span == (first.start, first.end)
    qtbot.keyClick(annotation_list, Qt.Key.Key_Delete)
    assert [a.exact[:8] for a in app.store.annotations(first.document_id)] == ["Takaichi"]
    qtbot.keyClick(annotation_list, Qt.Key.Key_Return)
    assert window.reader.hasFocus()


# Showing a tooltip raises its window, which the offscreen platform cannot do (and says so).
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_an_annotation_card_shows_its_note_or_quote_as_a_tooltip(launch, qtbot):
    """The card's tooltip is read from its record when hovered (the model stores no copy)."""
    app = launch()
    window = app.window
    for key in "jj1j2":
        qtbot.keyClick(window.reader, key)
    annotation_list = window.side_panel.annotation_list
    noted, bare = (window.annotation_model.record_at(row) for row in (0, 1))
    app.session.set_note(noted.document_id, noted.id, "Check the agenda.")

    def tooltip_of(row: int) -> str:
        rect = annotation_list.visualRect(window.annotation_model.index(row, 0))
        point = rect.center()
        event = QHelpEvent(
            QEvent.Type.ToolTip, point, annotation_list.viewport().mapToGlobal(point)
        )
        QApplication.sendEvent(annotation_list.viewport(), event)
        return QToolTip.text()

    qtbot.waitUntil(lambda: tooltip_of(0) == "Check the agenda.")
    qtbot.waitUntil(lambda: tooltip_of(1) == bare.exact)
    QToolTip.hideText()
