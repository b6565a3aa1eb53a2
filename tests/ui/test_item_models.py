"""Every item model of the window under pytest-qt's model tester, while the reader works.

The tester stays attached after `check`, so each signal the models send during tagging,
notes, deletion, undo, codebook changes and imports is checked as it happens.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop_app.commands.tag_commands import AddTagCommand, NestTagCommand
from desktop_app.core.codebook import TagSpec

from gui_actions import import_and_wait


def test_window_models_stay_consistent_through_a_reading_session(
    launch, qtbot, qtmodeltester, tmp_path: Path
):
    app = launch()
    window = app.window
    models = [
        window.tag_model,
        window.annotation_model,
        window.library_model,
        window.library_panel.proxy,
        window.side_panel.review_model,
    ]
    for model in models:
        qtmodeltester.check(model)
    reader = window.reader
    for key in "jj1j2j3":
        qtbot.keyClick(reader, key)
    qtbot.keyClick(reader, "n")
    qtbot.keyClicks(window.side_panel.note_editor, "Check the agenda.")
    qtbot.keyClick(window.side_panel.note_editor, Qt.Key.Key_Escape)
    qtbot.keyClick(reader, Qt.Key.Key_Delete)
    window.undo_stack.push(AddTagCommand(app.session, TagSpec("tariffs", "#d55e00")))
    tariffs = next(t for t in app.session.tags if t.name == "tariffs")
    window.undo_stack.push(NestTagCommand(app.session, tariffs, app.session.tag_for_key(1).id))
    while window.undo_stack.canUndo():
        window.controller.undo()
    while window.undo_stack.canRedo():
        window.controller.redo()
    other = tmp_path / "second.txt"
    other.write_text("A second article. It has two sentences.\n", encoding="utf-8")
    import_and_wait(qtbot, app, other)
    window.library_panel.filter_field.setText("second")
    window.library_panel.filter_field.clear()
    window.open_document(app.store.documents()[0].id)
    for model in models:
        qtmodeltester.check(model)
    assert window.annotation_model.rowCount() == 2  # tagged three, deleted the last
    assert window.tag_model.rowCount() == 4
    assert window.library_model.rowCount() == 2
