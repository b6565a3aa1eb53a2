"""Library search and the Analysis view as the reader reaches them: from the main window, by
keyboard, on a real library."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.models.search_model import SearchRole

from gui_actions import import_and_wait


@pytest.fixture
def two_articles(launch, qtbot, tmp_path: Path):
    app = launch()
    window = app.window
    for key in "jj1j2":  # the sample: sentence 2 trade, sentence 3 security
        qtbot.keyClick(window.reader, key)
    sample_id = app.session.document.id
    other = tmp_path / "harbour.txt"
    other.write_text("The harbour reopened on Monday.\nFishermen cheered the café owners.\n")
    import_and_wait(qtbot, app, other)
    window.open_document(sample_id)
    return app, sample_id


def type_search(qtbot, window, text: str) -> None:
    qtbot.keyClick(
        window,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.search_dock.isVisible()
    field = window.search_dock.panel.field
    assert QApplication.focusWidget() is field
    qtbot.keyClicks(field, text)
    return field


def test_ctrl_shift_f_searches_and_enter_opens_the_hit(two_articles, qtbot):
    app, _sample_id = two_articles
    window = app.window
    field = type_search(qtbot, window, "CAFE")  # accent- and case-insensitive
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert app.session.document.title == "harbour"
    text = app.session.document.text
    start, end = window.reader.selected_span()
    assert text[start:end] == "café"


def test_an_annotation_hit_opens_its_article_at_the_annotation(two_articles, qtbot):
    app, sample_id = two_articles
    window = app.window
    window.open_document(app.store.documents()[-1].id)
    field = type_search(qtbot, window, "security")  # a tag's name, and words of quotes
    qtbot.keyClick(field, Qt.Key.Key_Down)
    results = window.search_dock.panel.list
    hit = results.currentIndex().data(SearchRole.Hit)
    assert hit.kind == "annotation" and hit.document_id == sample_id
    qtbot.keyClick(results, Qt.Key.Key_Return)
    assert app.session.document.id == sample_id
    selected = window.side_panel.selected_annotation()
    assert selected is not None and selected.id == hit.annotation_id
    assert window.reader.focus_span == (selected.start, selected.end)


def test_results_follow_changes_and_escape_twice_returns_to_the_reader(two_articles, qtbot):
    app, _sample_id = two_articles
    window = app.window
    field = type_search(qtbot, window, "zebra")
    panel = window.search_dock.panel
    panel.run_search()
    assert panel.model.rowCount() == 0
    note = app.session.annotations()[0]
    app.session.set_note(
        note.document_id, note.id, "A zebra crossing"
    )  # the open results follow the change
    assert [
        panel.model.index(r).data(SearchRole.Hit).annotation_id
        for r in range(panel.model.rowCount())
    ] == [note.id]
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == ""
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not window.search_dock.isVisible()
    assert QApplication.focusWidget() is window.reader


def test_ctrl_shift_a_counts_the_article_and_then_the_library(two_articles, qtbot):
    app, _sample_id = two_articles
    window = app.window
    qtbot.keyClick(
        window,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    view = window.analysis.view
    assert view is not None and view.isVisible()
    article = view.analysis()
    assert article is not None and article.documents == 1
    assert {row.name: row.annotations for row in article.per_tag if row.annotations} == {
        "trade": 1,
        "security": 1,
    }
    view.scope_library.click()
    qtbot.waitUntil(lambda: view.analysis() is not None, timeout=10_000)
    library = view.analysis()
    assert library.documents == 2
    view.close()
    assert window.analysis.view is None


def test_closing_the_view_while_the_library_is_counted_is_safe(two_articles, qtbot):
    app, _sample_id = two_articles
    window = app.window
    window.show_analysis()
    view = window.analysis.view
    view.scope_library.click()
    view.close()
    qtbot.waitUntil(lambda: not window.analysis._tasks, timeout=10_000)
    assert window.analysis.view is None
