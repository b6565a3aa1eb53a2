"""A new version of an article: the offer, carrying annotations, the review list, the versions
view; nothing attached silently, nothing dropped."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from desktop_app.core.records import ANCHOR_OK

from gui_actions import drag_select, import_and_wait

TITLE = "Takaichi faces her first big test as Trump arrives in Tokyo"


def tag(qtbot, app, sentence_number: int, key: str) -> None:
    """Tag the n-th sentence (1-based) of the open article with the tag `key`."""
    view = app.window.reader
    sentences = list(app.session.sentences)
    app.window.set_current_sentence(sentences[sentence_number - 1])
    qtbot.keyClick(view, key)


def new_version(tmp_path: Path, sample_text: str) -> Path:
    lines = sample_text.split("\n")
    lines[4] = lines[4].replace("potentially unstable", "possibly shaky")  # edited lightly
    del lines[8]  # "Takaichi has stated her determination ..." removed outright
    lines.insert(0, "Updated at 09:00 with reaction from Seoul.")
    path = tmp_path / "takaichi_v2.md"
    path.write_text(f"# {TITLE}\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def carry(qtbot, app, path: Path, monkeypatch, answer=QMessageBox.StandardButton.Yes):
    asked = []

    def question(*args, **kwargs):
        asked.append(args[2])
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    with qtbot.waitSignal(app.versions.carried, timeout=30_000) as blocker:
        import_and_wait(qtbot, app, path)
    return asked, blocker.args[0]


def test_a_new_version_is_offered_and_annotations_carried_without_silent_drift(
    launch, qtbot, tmp_path, monkeypatch, sample_text
):
    app = launch()
    first_id = app.session.document.id
    tag(qtbot, app, 2, "1")  # unchanged sentence
    tag(qtbot, app, 5, "3")  # lightly edited sentence
    tag(qtbot, app, 9, "2")  # deleted sentence
    tag(qtbot, app, 19, "1")  # unchanged, far down
    asked, report = carry(qtbot, app, new_version(tmp_path, sample_text), monkeypatch)
    assert asked and "new version" in asked[0] and "4 annotations" in asked[0]
    assert report.total == 4
    document = app.session.document
    assert document.version_number == 2 and document.id != first_id
    carried = {a.previous_exact[:20]: a for a in app.session.annotations()}
    unchanged = carried["The focus of their s"]
    assert unchanged.anchor_status == ANCHOR_OK
    assert document.text[unchanged.start : unchanged.end] == unchanged.previous_exact
    far = carried["Afterward, Trump wil"]
    assert far.anchor_status == ANCHOR_OK and far.exact == far.previous_exact
    deleted = carried["Takaichi has stated "]
    assert deleted.anchor_status != ANCHOR_OK  # never silently attached elsewhere
    edited = carried["The prime minister c"]
    # The lightly edited sentence is found again (or waits for review): never elsewhere.
    if edited.anchor_status == ANCHOR_OK:
        assert "possibly shaky" in document.text[edited.start : edited.end]
    # The old version keeps its own annotations untouched.
    assert len(app.store.annotations(first_id)) == 4
    # The review list shows exactly the unsettled ones, and they are not drawn as settled.
    review = app.window.side_panel.review_panel
    unsettled = [a for a in app.session.annotations() if a.anchor_status != ANCHOR_OK]
    assert review.isVisibleTo(app.window) and review.model.rowCount() == len(unsettled)
    assert app.window.reader.highlight_bands_at(deleted.start + 1) == [] or any(
        a.anchor_status == ANCHOR_OK and a.start <= deleted.start < a.end
        for a in app.session.annotations()
    )
    library = app.window.library_model
    assert library.rowCount() == 1  # one article, now at version 2


def test_declining_keeps_the_import_as_a_separate_article(
    launch, qtbot, tmp_path, monkeypatch, sample_text
):
    app = launch()
    tag(qtbot, app, 2, "1")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    import_and_wait(qtbot, app, new_version(tmp_path, sample_text))
    document = app.session.document
    assert document.version_number == 1 and app.session.annotations() == []
    assert app.window.library_model.rowCount() == 2


def test_review_confirm_and_place_at_selection_are_undoable(
    launch, qtbot, tmp_path, monkeypatch, sample_text
):
    app = launch()
    tag(qtbot, app, 9, "2")  # this sentence will be deleted: orphaned or to review
    _asked, _report = carry(qtbot, app, new_version(tmp_path, sample_text), monkeypatch)
    (carried,) = app.session.annotations()
    assert carried.anchor_status != ANCHOR_OK
    review = app.window.side_panel.review_panel
    text = app.session.document.text
    start = text.index("Japan has also taken steps")
    end = text.index(".", start) + 1
    drag_select(app.window.reader, start, end)
    review.place_button.click()
    (placed,) = app.session.annotations()
    assert (placed.start, placed.end, placed.anchor_status) == (start, end, ANCHOR_OK)
    assert placed.anchor_method == "moved" and placed.note == carried.note
    assert not review.isVisibleTo(app.window)
    assert app.window.reader.highlight_bands_at(start + 1) != []
    app.window.controller.undo()
    (back,) = app.session.annotations()
    assert back == carried
    assert app.window.reader.highlight_bands_at(start + 1) == []


def test_versions_view_lists_sentence_changes_and_moves_an_annotation(
    launch, qtbot, tmp_path, monkeypatch, sample_text
):
    app = launch()
    tag(qtbot, app, 9, "2")
    carry(qtbot, app, new_version(tmp_path, sample_text), monkeypatch)
    app.window.show_versions(None)
    dialog = app.window.versions_dialog
    qtbot.addWidget(dialog)
    summary = dialog.summary_label.text()
    assert "1 edited" in summary and "1 removed" in summary and "added" in summary
    rows = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert any(r.startswith("−") and "Takaichi has stated" in r for r in rows)
    assert any(r.startswith("~") and "possibly shaky" in r for r in rows)
    assert dialog.review.count() == 1
    dialog.review.setCurrentRow(0)
    target = next(
        i
        for i in range(dialog.changes.count())
        if "Updated at 09:00" in dialog.changes.item(i).text()
    )
    dialog.changes.setCurrentRow(target)
    assert dialog.move_button.isEnabled()
    dialog.move_button.click()
    (moved,) = app.store.annotations(app.session.document.id)
    assert moved.exact == "Updated at 09:00 with reaction from Seoul."
    assert moved.anchor_status == ANCHOR_OK and dialog.review.count() == 0


def test_confirm_in_the_versions_view_and_the_side_panel_and_the_view_follows_undo(
    launch, qtbot, tmp_path, monkeypatch, sample_text
):
    app = launch()
    tag(qtbot, app, 5, "3")
    # Its second half rewritten: a candidate is found, but below the minimum score.
    lines = sample_text.split("\n")
    words = lines[4].split()
    lines[4] = " ".join(words[: len(words) // 2]) + " and more words were written here instead."
    edited = tmp_path / "takaichi_v2.md"
    edited.write_text(f"# {TITLE}\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    carry(qtbot, app, edited, monkeypatch)
    (carried,) = app.session.annotations()
    assert carried.anchor_status == "needs_review" and "written here" in carried.exact
    app.window.show_versions(None)
    dialog = app.window.versions_dialog
    qtbot.addWidget(dialog)
    assert dialog.review.count() == 1 and "Needs review" in dialog.review.item(0).text()
    assert app.session.review_count == 1
    dialog.review.setCurrentRow(0)
    assert dialog.confirm_button.isEnabled()
    dialog.confirm_button.click()
    (confirmed,) = app.store.annotations(app.session.document.id)
    assert confirmed.anchor_status == ANCHOR_OK and confirmed.anchor_method == "confirmed"
    assert (confirmed.start, confirmed.end) == (carried.start, carried.end)
    assert dialog.review.count() == 0 and app.session.review_count == 0
    app.window.controller.undo()  # Ctrl+Z in the main window: the view lists it again
    assert dialog.review.count() == 1 and app.session.review_count == 1
    assert app.store.annotations(app.session.document.id)[0].anchor_status == "needs_review"

    review = app.window.side_panel.review_panel
    assert review.isVisibleTo(app.window)
    review.list.setCurrentIndex(review.list.model().index(0, 0))
    review.confirm_button.click()
    (settled,) = app.session.annotations()
    assert settled.anchor_status == ANCHOR_OK
    assert not review.isVisibleTo(app.window) and dialog.review.count() == 0


def test_confirm_is_offered_for_a_candidate_but_not_for_an_orphan(
    launch, qtbot, tmp_path, monkeypatch, sample_text
):
    app = launch()
    tag(qtbot, app, 5, "3")  # rewritten below: a candidate to review
    tag(qtbot, app, 9, "2")  # deleted below: orphaned
    lines = sample_text.split("\n")
    words = lines[4].split()
    lines[4] = " ".join(words[: len(words) // 2]) + " and more words were written here instead."
    del lines[8]
    edited = tmp_path / "takaichi_v2.md"
    edited.write_text(f"# {TITLE}\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    carry(qtbot, app, edited, monkeypatch)
    review = app.window.side_panel.review_panel
    statuses = {}
    for row in range(review.model.rowCount()):
        review.list.setCurrentIndex(review.model.index(row, 0))
        statuses[review.current().anchor_status] = review.confirm_button.isEnabled()
    assert statuses == {"needs_review": True, "orphaned": False}
