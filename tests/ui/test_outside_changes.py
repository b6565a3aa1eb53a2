"""What an import changes reaches the window through the session, and nowhere else.

The import hands the session a change report; the side panel, the library list and the
reader must then show the new tags and annotations without anyone reloading them by hand.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.codebook import TagSpec
from desktop_app.io.exports import render
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LibraryStore

from gui_actions import import_and_wait


def panel_tag_names(app) -> list[str]:
    model = app.window.side_panel.tag_model
    return [model.tag_at(row).name for row in range(model.rowCount())]


def test_a_codebook_import_shows_its_new_tag_in_the_panel(launch, qtbot, tmp_path: Path):
    app = launch()
    elsewhere = LibraryStore.open(tmp_path / "elsewhere.db")
    try:
        prepare_library(elsewhere)
        elsewhere.add_tag(TagSpec("Energy", "#336699"))
        codebook = tmp_path / "team.qdc"
        codebook.write_bytes(render(elsewhere, "qdc", None).data)
    finally:
        elsewhere.close()
    assert "Energy" not in panel_tag_names(app)
    report = import_and_wait(qtbot, app, codebook)
    assert report.changes.codebook
    assert "Energy" in panel_tag_names(app)
    assert "Energy" in [t.name for t in app.session.tags]


def test_annotations_imported_onto_the_open_article_show_in_the_panel(
    launch, qtbot, tmp_path: Path
):
    app = launch()
    for key in "jj1j2":
        qtbot.keyClick(app.window.reader, key)
    assert app.session.document is not None
    document_id = app.session.document.id
    notes = tmp_path / "notes.json"
    notes.write_bytes(render(app.store, "json", [document_id]).data)
    for record in app.session.annotations():
        app.session.delete_annotation(document_id, record.id)
    assert app.window.side_panel.annotation_model.rowCount() == 0
    report = import_and_wait(qtbot, app, notes)
    assert document_id in report.changes.annotations_of
    assert app.session.annotation_count == 2
    assert app.window.side_panel.annotation_model.rowCount() == 2
