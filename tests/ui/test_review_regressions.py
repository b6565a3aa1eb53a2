"""Regressions found in review: notes, undo while editing, focus, leaks, double toggles."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QTextDocument

from gui_actions import drag_select, import_and_wait

CTRL = Qt.KeyboardModifier.ControlModifier


def tag_sentences(qtbot, app, keys: str) -> None:
    for key in keys:
        qtbot.keyClick(app.window.reader, key)


def stored_notes(app) -> list[str]:
    return [a.note for a in app.store.annotations(app.session.document.id)]


def test_a_note_typed_then_left_after_a_pause_is_saved(launch, qtbot):
    app = launch()
    tag_sentences(qtbot, app, "jj1n")
    editor = app.window.side_panel.note_editor
    qtbot.keyClicks(editor, "Claimed, not shown")
    qtbot.wait(700)  # the save-while-typing timer has fired
    qtbot.keyClicks(editor, " anywhere.")
    qtbot.wait(700)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert stored_notes(app) == ["Claimed, not shown anywhere."]
    # All of it is one undo step.
    qtbot.keyClick(app.window.reader, Qt.Key.Key_Z, CTRL)
    assert stored_notes(app) == [""]


def test_a_note_typed_just_before_quitting_is_saved(launch, qtbot, tmp_path):
    database = tmp_path / "library.db"
    app = launch(database=database)
    tag_sentences(qtbot, app, "jj1n")
    qtbot.keyClicks(app.window.side_panel.note_editor, "last words")
    qtbot.wait(700)
    app.window.close()
    app.shutdown()
    again = launch(database=database)
    assert [a.note for a in again.session.annotations()] == ["last words"]


def test_redo_while_typing_saves_the_note_on_its_own_annotation(launch, qtbot):
    app = launch()
    window = app.window
    tag_sentences(qtbot, app, "jj1j2")  # two annotations; the second is selected
    qtbot.keyClick(window.reader, Qt.Key.Key_Z, CTRL)  # undo creating the second
    (first,) = app.session.annotations()
    window.side_panel.select_annotation(first.id)
    editor = window.side_panel.note_editor
    editor.setFocus()
    qtbot.keyClicks(editor, "about the first")
    window.controller.redo()  # used to save the note on the redone annotation, or crash
    qtbot.wait(50)
    # The typing is saved first, on its own annotation; like any new edit after an undo, it
    # ends the redo history, so nothing else comes back.
    notes = {a.exact[:8]: a.note for a in app.store.annotations(first.document_id)}
    assert notes == {"The focu": "about the first"}
    assert not window.undo_stack.canRedo()


def test_undo_while_the_editor_has_focus_shows_the_undone_note(launch, qtbot):
    app = launch()
    window = app.window
    tag_sentences(qtbot, app, "jj1n")
    editor = window.side_panel.note_editor
    qtbot.keyClicks(editor, "unsupported")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    window.side_panel.note_editor.setFocus()
    window.undo_action.trigger()  # Edit › Undo, with the editor focused
    assert stored_notes(app) == [""]
    assert editor.toPlainText() == ""
    qtbot.keyClicks(editor, "!")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert stored_notes(app) == ["!"]


def test_ctrl_z_in_an_untouched_note_editor_undoes_the_last_action(launch, qtbot):
    app = launch()
    tag_sentences(qtbot, app, "jj1n")
    editor = app.window.side_panel.note_editor
    assert editor.hasFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert app.session.annotations() == []


def test_a_click_on_a_tag_row_toggles_once_whatever_the_style(launch, qtbot):
    app = launch()
    tag_sentences(qtbot, app, "jj")
    tag_list = app.window.side_panel.tag_list
    index = tag_list.model().index(0, 0)
    rect = tag_list.visualRect(index)
    qtbot.mouseClick(tag_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(app.session.annotations()) == 1
    # Styles that activate on a single click (or a double-click) also emit activated:
    # it must not toggle the tag a second time.
    tag_list.activated.emit(index)
    tag_list.doubleClicked.emit(index)
    assert len(app.session.annotations()) == 1
    assert app.window.undo_stack.count() == 1
    # Enter on the focused row is the keyboard's way to click it.
    tag_list.setFocus()
    tag_list.setCurrentIndex(tag_list.model().index(1, 0))
    qtbot.keyClick(tag_list, Qt.Key.Key_Return)
    (annotation,) = app.session.annotations()
    assert [app.session.tag(t).name for t in annotation.tag_ids] == ["trade", "security"]


def test_opening_articles_does_not_keep_old_documents_alive(launch, qtbot, tmp_path):
    app = launch()
    for number in range(4):
        article = tmp_path / f"article{number}.txt"
        article.write_text(f"Article {number}. It says things.\n", encoding="utf-8")
        import_and_wait(qtbot, app, article)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    documents = app.window.reader.findChildren(QTextDocument)
    assert len(documents) <= 2  # the one shown (and Qt's own placeholder at most)


def test_digits_after_choosing_an_annotation_in_the_panel_retag_that_annotation(
    launch, qtbot, sample_text
):
    app = launch()
    window = app.window
    start = sample_text.index("Takaichi has stated")
    end = start + len("Takaichi has stated her determination")
    drag_select(window.reader, start, end)
    qtbot.keyClick(window.reader, "1")
    tag_sentences(qtbot, app, "jj")  # move away
    annotation_list = window.side_panel.annotation_list
    rect = annotation_list.visualRect(annotation_list.model().index(0, 0))
    qtbot.mouseClick(annotation_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.reader.hasFocus()  # a click on a card hands the keyboard back
    qtbot.keyClick(window.reader, "2")
    (annotation,) = app.session.annotations()
    assert (annotation.start, annotation.end) == (start, end)
    assert [app.session.tag(t).name for t in annotation.tag_ids] == ["trade", "security"]


def test_reopening_the_same_file_keeps_focus_and_keys_in_step(launch, qtbot, tmp_path):
    article = tmp_path / "same.txt"
    article.write_text("One sentence. Another sentence.\n", encoding="utf-8")
    app = launch(file=article)
    tag_sentences(qtbot, app, "jj")
    second = app.window.current_sentence
    import_and_wait(qtbot, app, article)
    # The reading position comes back with the document, and what is shown is what J/K use.
    assert app.window.current_sentence == second
    assert app.window.reader.focus_span == (second.start, second.end)
    qtbot.keyClick(app.window.reader, "k")
    assert app.window.current_sentence.start == 0


def test_j_after_find_continues_from_the_match(launch, qtbot, sample_text):
    app = launch()
    window = app.window
    qtbot.keyClick(window.reader, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.find_bar.field, "Cambodia")
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    qtbot.keyClick(window.reader, "j")
    sentence = window.current_sentence
    assert sample_text[sentence.start : sentence.end].startswith("Takaichi has stated")
