"""The export dialog: format, scope, grouping, folders, overwriting, and importing back."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from desktop_app.ui.dialogs.export_dialog import ExportChoice, ExportDialog

from gui_actions import import_and_wait


def tag_some(qtbot, app) -> None:
    for key in "jj1j2jj3":
        qtbot.keyClick(app.window.reader, key)


def test_dialog_offers_formats_and_remembers_the_last_choice(launch, qtbot):
    app = launch()
    dialog = ExportDialog(True, "html", "library", app.window)
    qtbot.addWidget(dialog)
    assert dialog.choice() == ExportChoice("html", "library", "reading")
    assert not dialog.grouping.isEnabled()
    dialog.formats.setCurrentRow(0)  # Markdown
    assert dialog.grouping.isEnabled() and dialog.scope_each.isEnabled()
    dialog.grouping.setCurrentIndex(1)
    dialog.scope_each.setChecked(True)
    assert dialog.choice() == ExportChoice("markdown", "each", "tag")
    dialog.formats.setCurrentRow(3)  # W3C: one file only
    assert not dialog.scope_each.isEnabled() and dialog.choice().scope == "library"
    dialog.formats.setCurrentRow(5)  # codebook: no scope at all
    assert not dialog.scope_document.isEnabled() and not dialog.scope_library.isEnabled()


def test_export_w3c_from_the_window_and_remember_folder_and_format(
    launch, qtbot, tmp_path, monkeypatch
):
    app = launch()
    tag_some(qtbot, app)
    target = tmp_path / "out" / "notes"
    target.parent.mkdir()

    def accept_w3c(dialog: ExportDialog) -> int:
        dialog.formats.setCurrentRow(3)
        dialog.scope_document.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", accept_w3c)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.keyClick(app.window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    written = json.loads(target.with_name("notes.json").read_text(encoding="utf-8"))
    assert written["type"] == "AnnotationCollection" and written["total"] == 3
    assert app.window.settings.export_format == "json"
    assert app.window.settings.export_folder == str(target.parent)


def test_each_article_to_its_own_file_asks_before_replacing(launch, qtbot, tmp_path, monkeypatch):
    app = launch()
    tag_some(qtbot, app)
    second = tmp_path / "second.txt"
    second.write_text("Another article. With two sentences.\n")
    import_and_wait(qtbot, app, second)
    folder = tmp_path / "folder"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    choice = ExportChoice("html", "each", "reading")
    app.window.export(choice)
    pages = sorted(p.name for p in folder.iterdir())
    ids = {d.title: d.id for d in app.store.documents()}
    sample_title = "Takaichi faces her first big test as Trump arrives in Tokyo"
    assert pages == [
        f"Takaichi-faces-her-first-big-test-as-Trump-arrives-in-Tokyo-{ids[sample_title]}.html",
        f"second-{ids['second']}.html",
    ]
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel,
    )
    kept = folder / f"second-{ids['second']}.html"
    kept.write_text("keep me")
    app.window.export(choice)
    assert asked and "2 of these files exist" in asked[0]
    assert kept.read_text() == "keep me"  # cancelled: nothing replaced


def test_articles_with_one_title_each_get_their_own_file(launch, qtbot, tmp_path, monkeypatch):
    app = launch()
    # The second "same" looks like a new version of the first: keep them separate articles.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    for folder_name in ("a", "b"):
        (tmp_path / folder_name).mkdir()
        same = tmp_path / folder_name / "same.txt"
        same.write_text(f"Article from {folder_name}. It says things.\n")
        import_and_wait(qtbot, app, same)
    folder = tmp_path / "folder"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    app.window.export(ExportChoice("csv", "each", "reading"))
    assert len(list(folder.iterdir())) == len(app.store.documents()) == 3


def test_a_name_typed_without_its_suffix_asks_before_replacing_the_suffixed_file(
    launch, qtbot, tmp_path, monkeypatch
):
    app = launch()
    tag_some(qtbot, app)
    existing = tmp_path / "notes.json"
    existing.write_text("keep me")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "notes"), "")
    )
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel,
    )
    app.window.export(ExportChoice("json", "document", "reading"))
    assert asked == ["notes.json exists already. Replace it?"]
    assert existing.read_text() == "keep me"


def test_a_qdpx_export_reports_what_it_cannot_carry_and_drops_back_in(
    launch, qtbot, tmp_path, monkeypatch
):
    app = launch()
    tag_some(qtbot, app)
    target = tmp_path / "project.qdpx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    app.window.export(ExportChoice("qdpx", "library", "reading"))
    box = app.window.findChild(QMessageBox, "exportReport")
    assert box is not None and "not carried" in box.text()

    other = launch(database=tmp_path / "other.db", settings=tmp_path / "other.ini")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(target))])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(other.imported, timeout=20_000) as blocker:
        other.window.dropEvent(drop)
    report = blocker.args[0]
    assert report.annotations and "3 annotations" in report.annotations[0].summary
    assert other.session.annotation_count == 3
    assert "Annotations:" in other.window.statusBar().currentMessage()
    assert Path(target).exists()
