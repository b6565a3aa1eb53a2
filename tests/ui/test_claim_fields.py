"""Claim fields in the side panel: stance, speaker (completed from the library), check."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.core.change_report import ChangeReport


def test_claim_fields_are_saved_undoable_and_speakers_are_completed(launch, qtbot):
    app = launch()
    window = app.window
    for key in "jj1":
        qtbot.keyClick(window.reader, key)
    fields = window.side_panel.claim_fields
    assert fields.isEnabled()
    fields.stance.setCurrentIndex(fields.stance.findData("supports"))
    fields.stance.activated.emit(fields.stance.currentIndex())
    fields.speaker.setFocus()
    qtbot.keyClicks(fields.speaker, "Sanae Takaichi")
    qtbot.keyClick(fields.speaker, Qt.Key.Key_Return)
    fields.check.setCurrentIndex(fields.check.findData(4))
    fields.check.activated.emit(fields.check.currentIndex())
    (record,) = app.store.annotations(app.session.document.id)
    assert (record.stance, record.speaker, record.checkworthiness) == (
        "supports",
        "Sanae Takaichi",
        4,
    )
    # Each field is its own undo step; the panel shows what undo restores.
    window.controller.undo()
    (record,) = app.store.annotations(app.session.document.id)
    assert record.checkworthiness is None and fields.check.currentData() is None
    window.controller.undo()
    window.controller.undo()
    (record,) = app.store.annotations(app.session.document.id)
    assert (record.stance, record.speaker) == ("", "")
    assert fields.values() == ("", "", None)
    # The speaker typed once is offered again for the next claim.
    window.controller.redo()
    window.controller.redo()
    qtbot.keyClick(window.reader, "j")
    qtbot.keyClick(window.reader, "2")
    completions = fields.speaker.completer().model().stringList()
    assert completions == ["Sanae Takaichi"]


def test_fields_follow_the_selected_annotation(launch, qtbot):
    app = launch()
    window = app.window
    for key in "jj1j2":
        qtbot.keyClick(window.reader, key)
    second = app.session.annotations()[1]
    app.store.set_claim_fields(second.id, "opposes", "An adviser", 2)
    app.session.absorb(ChangeReport.of(annotations=[second.id]))  # changed outside the window
    window.side_panel.select_annotation(second.id)
    fields = window.side_panel.claim_fields
    assert fields.values() == ("opposes", "An adviser", 2)
    window.side_panel.select_annotation(None)
    assert not fields.isEnabled()
