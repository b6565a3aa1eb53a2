"""The claims review: a library-wide table behind a filter; open, retag and delete in bulk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from desktop_app.commands.tag_commands import AddTagCommand, NestTagCommand
from desktop_app.core.codebook import TagSpec
from desktop_app.models.claims_model import RECORD_ROLE, ClaimsModel, Column

from gui_actions import import_and_wait


@pytest.fixture
def review(launch, qtbot, tmp_path: Path):
    app = launch()
    window = app.window
    for key in "jj1j2j3jj1":  # sample: sentences 2 trade, 3 security, 4 coalition, 6 trade
        qtbot.keyClick(window.reader, key)
    sample_id = app.session.document.id
    notes = app.session.annotations()
    app.store.set_claim_fields(notes[0].id, "supports", "Sanae Takaichi", 4)
    app.store.set_claim_fields(notes[1].id, "opposes", "An adviser", 2)
    app.store.set_note(notes[2].id, "Coalition arithmetic: check the café report.")
    other = tmp_path / "second.txt"
    other.write_text("Exports rose sharply. The café owners disagreed.\n", encoding="utf-8")
    import_and_wait(qtbot, app, other)
    qtbot.keyClick(window.reader, "j")
    qtbot.keyClick(window.reader, "1")
    window.open_document(sample_id)
    window.show_claims()
    dialog = window.claims_dialog
    qtbot.addWidget(dialog)
    return app, dialog


def quotes(dialog) -> list[str]:
    return [dialog.proxy.index(r, Column.Quote).data()[:20] for r in range(dialog.proxy.rowCount())]


def test_models_pass_the_model_tester(review, qtmodeltester):
    _app, dialog = review
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.proxy)


def test_the_whole_library_is_listed_and_filters_narrow_it(review):
    app, dialog = review
    assert dialog.model.rowCount() == 5 and dialog.count_label.text() == "5 claims"
    dialog.tag.setCurrentIndex(dialog.tag.findData(app.session.tag_for_key(1).id))
    assert sorted(quotes(dialog)) == [
        "Consequently, her ad",
        "Exports rose sharply",
        "The focus of their s",
    ]
    dialog.tag.setCurrentIndex(0)
    dialog.words.setText("CAFE")  # accent- and case-insensitive, in notes too
    dialog.apply_filter()
    assert quotes(dialog) == ["But, her forthcoming"]
    dialog.words.setText("")
    dialog.stance.setCurrentIndex(dialog.stance.findData("opposes"))
    assert quotes(dialog) == ["Takaichi, who just b"]
    dialog.stance.setCurrentIndex(0)
    dialog.speaker.setText("takaichi")
    dialog.apply_filter()
    assert quotes(dialog) == ["The focus of their s"]
    dialog.speaker.setText("")
    dialog.check.setCurrentIndex(dialog.check.findData(3))
    dialog.apply_filter()
    assert quotes(dialog) == ["The focus of their s"]
    dialog.check.setCurrentIndex(0)
    dialog.set_scope(app.session.document.id)
    assert dialog.proxy.rowCount() == 4
    assert dialog.count_label.text() == "4 of 5 claims"


def test_a_parent_tag_includes_its_children(review, qtbot):
    app, dialog = review
    window = app.window
    window.undo_stack.push(AddTagCommand(app.session, TagSpec("tariffs", "#d55e00")))
    tariffs = next(t for t in app.session.tags if t.name == "tariffs")
    window.undo_stack.push(NestTagCommand(app.session, tariffs, app.session.tag_for_key(1).id))
    assert app.session.tag_for_key(2).id == tariffs.id  # nested: listed (and keyed) under trade
    window.set_current_sentence(list(app.session.sentences)[12])
    qtbot.keyClick(window.reader, "2")
    dialog.tag.setCurrentIndex(dialog.tag.findData(app.session.tag_for_key(1).id))
    assert len(quotes(dialog)) == 4  # three trade claims and the tariffs one
    dialog.tag.setCurrentIndex(dialog.tag.findData(tariffs.id))
    assert quotes(dialog) == ["Not many anticipate "]


def test_sorting_by_tag_and_by_date(review):
    _app, dialog = review
    dialog.table.sortByColumn(Column.Tags, Qt.SortOrder.AscendingOrder)
    tags = [dialog.proxy.index(r, Column.Tags).data() for r in range(dialog.proxy.rowCount())]
    assert tags == ["trade", "trade", "trade", "security", "coalition"]
    dialog.table.sortByColumn(Column.Created, Qt.SortOrder.DescendingOrder)
    newest = dialog.proxy.index(0, Column.Quote).data()
    assert newest.startswith("Exports rose sharply")


def test_open_shows_the_annotation_in_its_article(review, qtbot):
    app, dialog = review
    dialog.words.setText("exports")
    dialog.apply_filter()
    dialog.table.setCurrentIndex(dialog.proxy.index(0, 0))
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert app.session.document.title == "second"
    selected = app.window.side_panel.selected_annotation()
    assert selected is not None and selected.exact.startswith("Exports rose sharply")
    assert app.window.reader.focus_span == (selected.start, selected.end)


def test_bulk_retag_and_delete_across_articles_are_one_undo_step_each(review, monkeypatch):
    app, dialog = review
    sample_id = app.session.document.id
    dialog.tag.setCurrentIndex(dialog.tag.findData(app.session.tag_for_key(1).id))
    dialog.select_rows(list(range(dialog.proxy.rowCount())))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("security", True))
    dialog.add_tag_button.click()
    security = app.session.tag_for_key(2).id
    everything = app.store.all_annotations()
    assert sum(1 for a in everything if security in a.tag_ids) == 4
    assert app.session.document.id == sample_id  # the reader stayed where it was
    app.window.controller.undo()
    assert sum(1 for a in app.store.all_annotations() if security in a.tag_ids) == 1
    dialog.select_rows(list(range(dialog.proxy.rowCount())))
    dialog.table.setFocus()
    dialog.delete_selected()
    assert len(app.store.all_annotations()) == 2
    assert dialog.model.rowCount() == 2  # the table follows every change
    app.window.controller.undo()
    assert len(app.store.all_annotations()) == 5
    assert dialog.model.rowCount() == 5


def test_claims_model_needs_no_window(qtmodeltester, store, sample_text):
    from desktop_app.core.anchors import anchor_for

    document = store.add_document("A", "a.txt", sample_text)
    store.create_annotation(document.id, anchor_for(sample_text, 0, 10), [store.tags()[0].id])
    model = ClaimsModel(store.tags, lambda: {document.id: "A"})
    model.set_annotations(store.all_annotations())
    qtmodeltester.check(model)
    assert model.index(0, Column.Tags).data() == "trade"


def test_removing_a_tag_in_bulk_keeps_the_annotations_untagged_and_undoes(review, monkeypatch):
    app, dialog = review
    trade = app.session.tag_for_key(1).id
    dialog.tag.setCurrentIndex(dialog.tag.findData(trade))
    dialog.select_rows(list(range(dialog.proxy.rowCount())))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("trade", True))
    dialog.remove_tag_button.click()
    everything = app.store.all_annotations()
    assert len(everything) == 5  # nothing deleted
    assert not any(trade in a.tag_ids for a in everything)
    dialog.tag.setCurrentIndex(dialog.tag.findText("untagged"))
    assert sorted(quotes(dialog)) == [
        "Consequently, her ad",
        "Exports rose sharply",
        "The focus of their s",
    ]
    app.window.controller.undo()
    assert sum(1 for a in app.store.all_annotations() if trade in a.tag_ids) == 3
    assert quotes(dialog) == []


def test_a_carried_claim_is_listed_once_under_the_latest_version(review, qtbot):
    from desktop_app.storage.version_carrying import carry_annotations

    app, dialog = review
    sample = app.store.documents()[0]
    text = app.store.document(sample.id).text
    newer = app.store.add_document(sample.title, "v2.txt", "Breaking: an update.\n" + text)
    carry_annotations(app.store, sample.id, newer.id, link=True)
    dialog.reload()
    assert dialog.model.rowCount() == 5  # 4 carried claims of the sample, 1 of the other article
    listed = {
        dialog.model.index(r, 0).data(RECORD_ROLE).document_id
        for r in range(dialog.model.rowCount())
    }
    assert sample.id not in listed and newer.id in listed
