"""The library: panel, filter, rename, delete with undo, switching with positions kept,
Open Recent, paste, drag and drop, and imports in the background with progress and Cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from desktop_app.models.library_model import LibraryRole

from gui_actions import import_and_wait

CTRL = Qt.KeyboardModifier.ControlModifier


def write_articles(folder: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = folder / f"article_{number}.txt"
        path.write_text(
            "\n".join(f"Article {number} sentence {line}. It goes on." for line in range(40)),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def library_titles(app) -> list[str]:
    model = app.window.library_panel.proxy
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_library_lists_documents_with_details_and_filters_by_title(launch, qtbot, tmp_path):
    app = launch()
    import_and_wait(qtbot, app, *write_articles(tmp_path, 3))
    assert library_titles(app) == [
        "Takaichi faces her first big test as Trump arrives in Tokyo",
        "article 0",
        "article 1",
        "article 2",
    ]
    panel = app.window.library_panel
    first = panel.proxy.index(0, 0)
    assert first.data(LibraryRole.Details) == "0 annotations"
    qtbot.keyClicks(panel.filter_field, "ARTICLE 1")
    assert library_titles(app) == ["article 1"]
    qtbot.keyClick(panel.filter_field, Qt.Key.Key_Return)
    assert app.session.document.title == "article 1"
    assert app.window.reader.hasFocus()


def test_switching_documents_keeps_each_ones_position_and_sentence(launch, qtbot, tmp_path):
    app = launch()
    window = app.window
    window.resize(760, 420)
    first_id = app.session.document.id
    for _ in range(12):
        qtbot.keyClick(window.reader, "j")
    sentence_in_first = window.current_sentence
    scroll_in_first = window.reader.verticalScrollBar().value()
    assert scroll_in_first > 0
    (other,) = write_articles(tmp_path, 1)
    import_and_wait(qtbot, app, other)
    assert app.session.document.title == "article 0"
    qtbot.keyClick(window.reader, "j")
    qtbot.keyClick(window.reader, "j")
    window.open_document(first_id)
    assert window.current_sentence == sentence_in_first
    assert window.reader.focus_span == (sentence_in_first.start, sentence_in_first.end)
    assert abs(window.reader.verticalScrollBar().value() - scroll_in_first) < 40
    panel = window.library_panel
    index = panel.proxy.index(1, 0)
    qtbot.mouseClick(
        panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualRect(index).center()
    )
    assert app.session.document.title == "article 0"
    assert window.current_sentence is not None and window.current_sentence.start > 0


def test_rename_is_undoable_and_shows_everywhere(launch, qtbot, monkeypatch):
    app = launch()
    window = app.window
    document_id = app.session.document.id
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Tokyo summit", True))
    window.library_panel.list.setFocus()
    window.library_panel.select_document(document_id)
    qtbot.keyClick(window.library_panel.list, Qt.Key.Key_F2)
    assert app.store.document(document_id).title == "Tokyo summit"
    assert library_titles(app) == ["Tokyo summit"]
    assert window.windowTitle().startswith("Tokyo summit")
    assert window.reader.document().firstBlock().text() == "Tokyo summit"
    window.controller.undo()
    assert app.store.document(document_id).title.startswith("Takaichi faces")
    assert library_titles(app)[0].startswith("Takaichi faces")


def test_delete_asks_when_annotated_and_undo_brings_everything_back(
    launch, qtbot, tmp_path, monkeypatch
):
    app = launch()
    window = app.window
    sample_id = app.session.document.id
    for key in "jj1j2":
        qtbot.keyClick(window.reader, key)
    before = app.store.annotations(sample_id)
    (other,) = write_articles(tmp_path, 1)
    import_and_wait(qtbot, app, other)
    window.open_document(sample_id)
    questions = []

    def answer(*args, **kwargs):
        questions.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.library_panel.select_document(sample_id)
    window.library_panel.list.setFocus()
    qtbot.keyClick(window.library_panel.list, Qt.Key.Key_Delete)
    assert questions and "2 annotations" in questions[0]
    assert library_titles(app) == ["article 0"]
    assert app.session.document.title == "article 0"  # the open one was deleted: next opens
    window.controller.undo()
    assert app.session.document.id == sample_id
    assert app.store.annotations(sample_id) == before
    assert len(library_titles(app)) == 2


def test_deleting_an_unannotated_document_does_not_ask(launch, qtbot, tmp_path, monkeypatch):
    app = launch()
    (other,) = write_articles(tmp_path, 1)
    import_and_wait(qtbot, app, other)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked"))
    app.window.on_delete_document(app.session.document.id)
    assert library_titles(app) == ["Takaichi faces her first big test as Trump arrives in Tokyo"]


def test_deleted_documents_are_purged_at_the_next_start(launch, qtbot, tmp_path):
    database = tmp_path / "library.db"
    first = launch(database=database)
    (other,) = write_articles(tmp_path, 1)
    import_and_wait(qtbot, first, other)
    first.window.on_delete_document(first.session.document.id)
    first.window.close()
    first.shutdown()
    second = launch(database=database)
    titles = [d.title for d in second.store.documents(all_versions=True)]
    assert titles == ["Takaichi faces her first big test as Trump arrives in Tokyo"]


def test_open_recent_lists_what_was_opened_last(launch, qtbot, tmp_path):
    app = launch()
    paths = write_articles(tmp_path, 2)
    import_and_wait(qtbot, app, paths[0])
    import_and_wait(qtbot, app, paths[1])
    menu = app.window.recent_menu
    menu.aboutToShow.emit()
    titles = [action.text() for action in menu.actions()]
    assert titles[:3] == [
        "article 1",
        "article 0",
        "Takaichi faces her first big test as Trump arrives in Tokyo",
    ]
    menu.actions()[2].trigger()
    assert app.session.document.title.startswith("Takaichi")


@pytest.fixture
def clipboard():
    """The application clipboard, emptied afterwards: Qt's offscreen clipboard crashes at exit
    while it still holds data a program set (a real user's clipboard is another program's)."""
    board = QApplication.clipboard()
    yield board
    board.clear()


def test_paste_makes_a_new_document_from_clipboard_html(launch, qtbot, clipboard):
    app = launch()
    mime = QMimeData()
    mime.setHtml(
        "<h1>Pasted report</h1><p>Officials said the talks <b>would</b> resume.</p>"
        "<script>alert(1)</script>"
    )
    mime.setText("Pasted report\nOfficials said the talks would resume.")
    clipboard.setMimeData(mime)
    with qtbot.waitSignal(app.imported, timeout=20_000):
        qtbot.keyClick(app.window, Qt.Key.Key_V, CTRL | Qt.KeyboardModifier.ShiftModifier)
    document = app.session.document
    assert document.title == "Pasted report"
    assert "Officials said the talks would resume." in document.text
    assert "alert" not in document.text
    assert document.source == "clipboard"


def test_dropping_files_imports_them(launch, qtbot, tmp_path):
    app = launch()
    paths = write_articles(tmp_path, 2)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(100, 100),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(app.imported, timeout=20_000):
        app.window.dropEvent(event)
    assert len(app.store.documents()) == 3
    assert app.session.document.title == "article 0"


def test_a_batch_reports_each_failure_and_imports_the_rest(launch, qtbot, tmp_path):
    app = launch()
    good = write_articles(tmp_path, 2)
    empty = tmp_path / "empty.md"
    empty.write_text("")
    report = import_and_wait(qtbot, app, good[0], tmp_path / "missing.txt", empty, good[1])
    assert [o.title for o in report.outcomes] == ["article 0", "article 1"]
    assert len(report.failures) == 2
    message = app.window.last_error
    assert message.startswith("2 of 4 files could not be imported:")
    assert "missing.txt: no such file" in message and "empty.md: the file is empty" in message


def test_import_runs_off_the_gui_thread_shows_progress_and_can_be_cancelled(
    launch, qtbot, tmp_path, monkeypatch
):
    from desktop_app.io import file_reader

    app = launch()
    paths = write_articles(tmp_path, 5)
    gate = threading.Event()
    threads = []
    real_read = file_reader.read_document_file

    def slow_read(path, *args, **kwargs):
        threads.append(threading.current_thread())
        gate.wait(5)
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(file_reader, "read_document_file", slow_read)
    with qtbot.waitSignal(app.imported, timeout=20_000) as blocker:
        app.window.openFilesRequested.emit([str(p) for p in paths])
        progress = app.window.import_progress
        qtbot.waitUntil(lambda: progress.isVisible() and "1 of 5" in progress.label.text())
        # The window answers while the worker is busy: J moves the focus.
        qtbot.keyClick(app.window.reader, "j")
        assert app.window.current_sentence is not None
        qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
    report = blocker.args[0]
    assert report.cancelled
    assert report.outcomes == []  # the file being read when Cancel was pressed is not kept
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert not app.window.import_progress.isVisible()
    assert len(app.store.documents()) == 1
    assert "cancelled" in app.window.statusBar().currentMessage()


def test_an_unexpected_import_error_is_reported_and_the_importer_carries_on(
    launch, qtbot, tmp_path, monkeypatch
):
    from desktop_app.io import import_service

    app = launch()
    first, second = write_articles(tmp_path, 2)
    real_store = import_service.store_imported
    calls = []

    def locked_once(store, imported, **kwargs):
        calls.append(imported.title)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return real_store(store, imported, **kwargs)

    monkeypatch.setattr(import_service, "store_imported", locked_once)
    report = import_and_wait(qtbot, app, first)
    from desktop_app.diagnostics import log_path

    assert report.failures == [
        f"article_0.txt: could not be imported (database is locked); the details are in "
        f"{log_path()}"
    ]
    assert not app.imports.busy
    # The next import is not stuck behind the failed one.
    report = import_and_wait(qtbot, app, second)
    assert [o.title for o in report.outcomes] == ["article 1"]


def test_an_import_that_lost_its_document_opens_the_next_one(launch, qtbot, tmp_path, monkeypatch):
    from desktop_app.io import import_service

    app = launch()
    first, second = write_articles(tmp_path, 2)
    real_store = import_service.store_imported
    outcomes = []

    def delete_the_first_meanwhile(store, imported, **kwargs):
        outcome = real_store(store, imported, **kwargs)
        if outcomes:
            store.delete_document(outcomes[0].document_id)  # the reader deleted it meanwhile
        outcomes.append(outcome)
        return outcome

    monkeypatch.setattr(import_service, "store_imported", delete_the_first_meanwhile)
    report = import_and_wait(qtbot, app, first, second)
    assert len(report.outcomes) == 2
    assert app.session.document.title == "article 1"
    assert "Imported" in app.window.statusBar().currentMessage()


def test_library_counts_follow_tagging_and_review(launch, qtbot):
    app = launch()
    window = app.window
    for key in "jj1j2":
        qtbot.keyClick(window.reader, key)
    row = window.library_panel.proxy.index(0, 0)
    assert row.data(LibraryRole.Details) == "2 annotations"
    window.controller.undo()
    assert window.library_panel.proxy.index(0, 0).data(LibraryRole.Details) == "1 annotation"


def test_the_old_documents_records_are_let_go_before_the_next_ones_load(
    launch, qtbot, tmp_path, monkeypatch
):
    """Both sets alive at once were +15 MiB at the peak for a 10,000-annotation article."""
    app = launch()
    window = app.window
    for _ in range(3):
        qtbot.keyClick(window.reader, "j")
        qtbot.keyClick(window.reader, "1")
    first_id = app.session.document.id
    assert len(app.session.annotations()) == 3
    held_while_loading: list[tuple[int, int, int]] = []
    store = app.store
    read_annotations = store.annotations

    def spy(document_id):
        held_while_loading.append(
            (
                len(app.session.annotations()),
                app.window.side_panel.annotation_model.rowCount(),
                app.window.side_panel.review_model.rowCount(),
            )
        )
        return read_annotations(document_id)

    monkeypatch.setattr(store, "annotations", spy)
    text_before = app.session.document.text
    app.session.open_document(first_id)  # the same article again (the window skips that)
    assert held_while_loading == [(0, 0, 0)]
    assert app.session.document.text is text_before  # not read a second time
    assert len(app.session.annotations()) == 3
    assert window.side_panel.annotation_model.rowCount() == 3
    monkeypatch.setattr(store, "annotations", read_annotations)
    (other,) = write_articles(tmp_path, 1)
    import_and_wait(qtbot, app, other)
    monkeypatch.setattr(store, "annotations", spy)
    window.open_document(first_id)  # switching from another article
    assert held_while_loading[-1] == (0, 0, 0)
    assert window.side_panel.annotation_model.rowCount() == 3
