"""The codebook editor: every action changes the library, shows at once, and undoes exactly."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QInputDialog, QMessageBox

from desktop_app.commands.tag_commands import AddTagCommand
from desktop_app.core.codebook import TagSpec
from desktop_app.core.reading_colours import UNTAGGED_COLOUR
from desktop_app.models.annotation_list_model import AnnotationRole
from desktop_app.models.tag_list_model import TagRole


@pytest.fixture
def editor(launch, qtbot):
    app = launch()
    for key in "jj1j12j3":  # sentence 2: trade; 3: trade+security; 4: coalition
        qtbot.keyClick(app.window.reader, key)
    app.window.show_codebook()
    dialog = app.window.codebook_dialog
    qtbot.addWidget(dialog)
    return app, dialog


def names(app) -> list[str]:
    return [t.name for t in app.store.tags()]


def undo(app) -> None:
    app.window.controller.undo()


def test_rename_shows_in_the_panel_and_the_annotations_and_undoes(editor, monkeypatch):
    app, dialog = editor
    dialog.select(app.session.tag_for_key(1).id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("commerce", True))
    dialog.rename()
    assert names(app) == ["commerce", "security", "coalition"]
    assert app.window.tag_model.index(0).data() == "commerce"
    first = app.window.annotation_model.index(0, 0)
    record = first.data(AnnotationRole.Record)
    assert [t.name for t in app.window.annotation_model.tags_of(record)] == ["commerce"]
    # The row a screen reader speaks was refreshed with the new name.
    assert first.data(Qt.ItemDataRole.AccessibleTextRole).startswith("commerce: ")
    undo(app)
    assert names(app)[0] == "trade"


def test_recolour_and_describe_are_undoable(editor, monkeypatch):
    app, dialog = editor
    trade = app.session.tag_for_key(1)
    dialog.select(trade.id)
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#cc79a7"))
    dialog.recolour()
    assert app.store.tags()[0].colour == "#cc79a7"
    sentence_two = app.session.annotations()[0]
    bands = app.window.reader.highlight_bands_at(sentence_two.start)
    assert [tag for tag, _paint in bands] == ["#cc79a7"]  # the reader follows the new colour
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("Tariffs, exports, purchases.", True)
    )
    dialog.describe()
    assert app.store.tags()[0].description == "Tariffs, exports, purchases."
    undo(app)
    undo(app)
    assert app.store.tags()[0].colour == trade.colour
    assert app.store.tags()[0].description == trade.description


def test_reorder_renumbers_the_keys(editor, qtbot):
    app, dialog = editor
    dialog.select(app.session.tag_for_key(3).id)  # coalition
    dialog.move_tag(-1)
    dialog.move_tag(-1)
    assert names(app) == ["coalition", "trade", "security"]
    assert app.window.tag_model.index(0).data(TagRole.KeyNumber) == 1
    assert app.session.tag_for_key(1).name == "coalition"
    qtbot.keyClick(app.window.reader, "j")
    qtbot.keyClick(app.window.reader, "1")  # key 1 now means coalition
    newest = max(app.session.annotations(), key=lambda a: a.id)
    assert [app.session.tag(t).name for t in newest.tag_ids] == ["coalition"]
    undo(app)  # the tagging
    undo(app)
    undo(app)
    assert names(app) == ["trade", "security", "coalition"]


def test_nest_and_lift_and_a_parent_shows_its_children_indented(editor, monkeypatch):
    app, dialog = editor
    app.window.undo_stack.push(AddTagCommand(app.session, TagSpec("tariffs", "#d55e00")))
    tariffs = next(t for t in app.session.tags if t.name == "tariffs")
    dialog.select(tariffs.id)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("trade", True))
    dialog.nest()
    # The nested tag moves under its parent in the panel (and takes the next number key),
    # so it is never drawn as a child of the tag that happened to stand above it.
    assert names(app) == ["trade", "tariffs", "security", "coalition"]
    assert app.store.tags()[1].parent_id == app.session.tag_for_key(1).id
    assert app.session.tag_for_key(2).name == "tariffs"
    depths = [app.window.tag_model.index(r).data(TagRole.Depth) for r in range(4)]
    assert depths == [0, 1, 0, 0]
    trade_item = dialog.tree.topLevelItem(0)
    assert trade_item.text(1) == "trade" and trade_item.child(0).text(1) == "tariffs"
    dialog.select(tariffs.id)
    dialog.lift()
    assert app.store.tags()[1].parent_id is None
    undo(app)
    assert app.store.tags()[1].parent_id is not None
    undo(app)  # the nesting: back at the end, at the top level, key 4 again
    assert names(app) == ["trade", "security", "coalition", "tariffs"]
    assert app.store.tags()[3].parent_id is None and app.session.tag_for_key(4).name == "tariffs"
    app.window.undo_stack.redo()
    assert names(app) == ["trade", "tariffs", "security", "coalition"]
    # A tag cannot be nested under its own child.
    dialog.select(app.session.tag_for_key(1).id)
    offered = []
    monkeypatch.setattr(
        QInputDialog, "getItem", lambda *a, **k: offered.extend(a[3]) or ("", False)
    )
    dialog.nest()
    assert "tariffs" not in offered and "trade" not in offered


def test_merge_moves_annotations_and_undo_separates_them_exactly(editor, monkeypatch):
    app, dialog = editor
    document_id = app.session.document.id
    before = {a.id: a.tag_ids for a in app.store.annotations(document_id)}
    trade, security = app.session.tag_for_key(1), app.session.tag_for_key(2)
    dialog.select(trade.id)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("security", True))
    dialog.merge()
    assert names(app) == ["security", "coalition"]
    after = {a.id: a.tag_ids for a in app.store.annotations(document_id)}
    assert all(security.id in tags for aid, tags in after.items() if trade.id in before[aid])
    undo(app)
    assert names(app) == ["trade", "security", "coalition"]
    assert {a.id: a.tag_ids for a in app.store.annotations(document_id)} == before


def test_delete_asks_keeps_untagged_annotations_and_undo_restores(editor, monkeypatch):
    app, dialog = editor
    document_id = app.session.document.id
    before = {a.id: a.tag_ids for a in app.store.annotations(document_id)}
    coalition = app.session.tag_for_key(3)
    dialog.select(coalition.id)
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes,
    )
    dialog.delete()
    assert asked and "1 annotation" in asked[0] and "no tag" in asked[0]
    assert names(app) == ["trade", "security"]
    kept = app.store.annotations(document_id)
    assert len(kept) == 3 and [a for a in kept if a.tag_ids == ()]  # kept, untagged
    untagged = next(a for a in kept if a.tag_ids == ())
    assert app.window.reader.highlight_bands_at(untagged.start)[0][0] == UNTAGGED_COLOUR
    undo(app)
    assert names(app) == ["trade", "security", "coalition"]
    assert {a.id: a.tag_ids for a in app.store.annotations(document_id)} == before
