"""Nothing lost across restarts; files in and notes out through the window; bad input refused."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from desktop_app.ui.dialogs.export_dialog import ExportDialog
from desktop_app.ui.shell.application import ClaimmarkApplication

from gui_actions import drag_select, import_and_wait
from gui_actions import library_dump as dump


def quit_app(app) -> None:
    app.window.close()
    app.shutdown()


def test_restart_shows_the_same_annotations_and_document(launch, qtbot, tmp_path):
    database = tmp_path / "library.db"
    first = launch(database=database)
    view = first.window.reader
    for key in "jj1j2":
        qtbot.keyClick(view, key)
    qtbot.keyClick(view, "n")
    editor = first.window.side_panel.note_editor
    qtbot.keyClicks(editor, "Costs: 2 % of GDP ")
    editor.insertPlainText("😀")  # QTest can only type ASCII keys
    # Quit straight from the editor: the note typed a moment ago must still be saved.
    quit_app(first)

    second = launch(database=database)
    restored = second.session.annotations()
    assert [a.exact[:25] for a in restored] == [
        "The focus of their summit",
        "Takaichi, who just became",
    ]
    assert restored[1].note == "Costs: 2 % of GDP 😀"
    assert second.window.annotation_model.rowCount() == 2
    document = second.session.document
    assert second.window.reader.shows(
        document.title, document.byline, document.text, document.blocks
    )
    # The start-up preview read the text too; the reader now holds the library's copy only.
    assert second.window.reader.text is document.text


def test_window_geometry_and_zoom_are_remembered(launch, qtbot, tmp_path):
    first = launch()
    first.window.resize(760, 520)  # the offscreen screen is 800x600
    first.window.move(40, 30)
    qtbot.keyClick(first.window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(first.window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert first.window.reader.zoom == 2
    quit_app(first)
    second = launch()
    assert (second.window.width(), second.window.height()) == (760, 520)
    assert second.window.reader.zoom == 2
    qtbot.keyClick(second.window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert second.window.reader.zoom == 0


def test_last_open_document_is_reopened(launch, qtbot, tmp_path):
    article = tmp_path / "second_article.txt"
    article.write_text("A second article. It has two sentences.\n", encoding="utf-8")
    first = launch()
    import_and_wait(qtbot, first, article)
    assert first.session.document.text.startswith("A second article.")
    quit_app(first)
    second = launch()
    assert second.session.document.title == "second article"
    assert second.window.windowTitle().startswith("second article")


def test_opening_a_file_from_the_command_line_imports_and_shows_it(launch, tmp_path):
    article = tmp_path / "summit.md"
    article.write_text("# Summit notes\n\nTrade *dominated* the talks. Security followed.\n")
    app = launch(file=article)
    document = app.session.document
    assert document.title == "Summit notes"
    assert "Trade dominated the talks." in document.text
    assert "*" not in document.text
    again = launch(file=article, database=app.database)
    assert again.session.document.id == document.id
    assert len(again.store.documents()) == 1  # opened again, not imported twice


@pytest.mark.parametrize("kind", ["missing", "directory", "binary", "empty"])
def test_bad_files_get_a_one_line_reason_and_leave_the_library_unchanged(
    launch, qtbot, tmp_path, kind
):
    bad = {
        "missing": tmp_path / "nowhere.txt",
        "directory": tmp_path / "folder.txt",
        "binary": tmp_path / "image.txt",
        "empty": tmp_path / "empty.txt",
    }[kind]
    if kind == "directory":
        bad.mkdir()
    elif kind == "binary":
        bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    elif kind == "empty":
        bad.write_bytes(b"")
    app = launch()
    before = dump(app.database)
    document_before = app.session.document.id
    import_and_wait(qtbot, app, bad)
    message = app.window.last_error
    assert message is not None and "\n" not in message and bad.name in message
    box = app.window.findChild(object, "errorBox")
    assert box is not None and box.isVisible() and box.text() == message
    assert dump(app.database) == before
    assert app.session.document.id == document_before


def test_bad_file_at_start_up_still_opens_the_library(launch, tmp_path):
    app = launch(file=tmp_path / "missing.md")
    assert "missing.md" in app.window.last_error
    assert app.session.document is not None  # the sample article


def test_export_from_the_window_writes_markdown_that_parses_back(
    launch, qtbot, tmp_path, monkeypatch, sample_text
):
    app = launch()
    view = app.window.reader
    for key in "jj1":
        qtbot.keyClick(view, key)
    start = sample_text.index("Japan has also taken steps")
    drag_select(view, start, start + len("Japan has also taken steps"))
    qtbot.keyClick(view, "2")
    target = tmp_path / "out" / "notes"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(ExportDialog, "exec", lambda dialog: ExportDialog.DialogCode.Accepted)
    qtbot.keyClick(app.window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    written = target.with_suffix(".md")
    text = written.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    tokens = MarkdownIt("commonmark").parse(text.split("\n---\n", 1)[1])
    quotes = []
    inside = False
    for token in tokens:
        if token.type == "blockquote_open":
            inside = True
            quotes.append("")
        elif token.type == "blockquote_close":
            inside = False
        elif inside and token.type == "inline":
            quotes[-1] += "".join(
                c.content if c.type == "text" else "\n" for c in token.children or []
            )
    assert quotes == [a.exact for a in app.session.annotations()]
    assert app.window.settings.export_folder == str(written.parent)
    assert "Exported Markdown notes" in app.window.statusBar().currentMessage()


def test_the_panels_arrive_after_the_first_paint_where_their_places_were(launch, qtbot, tmp_path):
    """The first frame is the article with places kept for the panels (docs/performance.md,
    startup_warm); the panels then take those places: nothing moves, a hidden library stays
    hidden, and the window remembers both across a restart."""
    first = launch()
    first.window.resize(780, 560)
    first.window.splitter.setSizes([180, 330, 270])
    qtbot.keyClick(first.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not first.window.library_panel.isVisible()
    quit_app(first)

    app = ClaimmarkApplication(tmp_path / "library.db", tmp_path / "settings.ini")
    qtbot.addWidget(app.window)
    window = app.window
    assert not window.completed
    ready: list[bool] = []
    app.ready.connect(lambda: ready.append(True))
    app.start()  # shows the window; the panels wait for the first paint
    assert not window.completed
    sizes_before = window.splitter.sizes()
    reader_before = window.reader.geometry()
    assert sizes_before[1] > 0 and not window.splitter.widget(0).isVisibleTo(window)
    qtbot.waitUntil(lambda: bool(ready), timeout=10_000)
    assert window.completed
    QApplication.processEvents()
    assert window.splitter.widget(0) is window.library_panel
    assert window.splitter.widget(2) is window.side_panel
    assert not window.library_panel.isVisible() and not window.library_action.isChecked()
    assert window.splitter.sizes() == sizes_before
    assert window.reader.geometry() == reader_before
    quit_app(app)
