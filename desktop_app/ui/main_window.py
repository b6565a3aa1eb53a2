"""The main window: reader beside the side panel, menus, and the reader's keyboard contract."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app import APP_NAME
from desktop_app.core.anchors import anchor_for, trim_span
from desktop_app.core.codebook import next_colour
from desktop_app.core.highlight_layers import Layer
from desktop_app.core.records import AnnotationRecord, TagRecord
from desktop_app.core.sentences import Sentence
from desktop_app.core.tag_toggle import ToggleKind, plan_toggle
from desktop_app.models.annotation_list_model import AnnotationListModel
from desktop_app.models.tag_list_model import TagListModel
from desktop_app.ui.article_view import ArticleView
from desktop_app.ui.find_bar import FindBar
from desktop_app.ui.find_controller import FindController
from desktop_app.ui.settings import AppSettings
from desktop_app.ui.side_panel import SidePanel

if TYPE_CHECKING:
    from desktop_app.models.document_session import DocumentSession

UNTAGGED_COLOUR = "#9e9e9e"
STATUS_MS = 6000


class MainWindow(QMainWindow):
    """Claimmark's window. It is shown before the library is open (see `show_preview`) and
    becomes interactive once `attach_session` hands it the open library.

    Signals:
        openFileRequested(str): File › Open… chose a file (the application imports it).
    """

    openFileRequested = Signal(str)

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.settings = settings
        self.session: DocumentSession | None = None
        self.undo_stack = QUndoStack(self)
        self._current_sentence: Sentence | None = None
        self._syncing_selection = False
        self._note_edit_token = 0
        self.last_error: str | None = None

        self.reader = ArticleView()
        self.reader.set_zoom(settings.zoom)
        self.find_bar = FindBar()
        self.tag_model = TagListModel(self)
        self.annotation_model = AnnotationListModel(self._tag_lookup, self)
        self.side_panel = SidePanel(self.tag_model, self.annotation_model)
        self.find_controller = FindController(self.find_bar, self.reader, self._open_text, self)

        reading_area = QWidget()
        reading_layout = QVBoxLayout(reading_area)
        reading_layout.setContentsMargins(0, 0, 0, 0)
        reading_layout.setSpacing(0)
        reading_layout.addWidget(self.find_bar)
        reading_layout.addWidget(self.reader, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(reading_area)
        self.splitter.addWidget(self.side_panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        self.side_panel.setMinimumWidth(260)
        self.setCentralWidget(self.splitter)
        self.position_label = QLabel("")
        self.statusBar().addPermanentWidget(self.position_label)

        self._create_actions()
        self._create_menus()
        self._connect_signals()
        self._restore_geometry()
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- construction --------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str | QKeySequence | None, slot: object) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        self.open_action = self._action("&Open…", "Ctrl+O", self.on_open)
        self.export_action = self._action("&Export…", "Ctrl+E", self.on_export)
        self.quit_action = self._action("&Quit", "Ctrl+Q", self.close)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.find_action = self._action("&Find…", "Ctrl+F", self.find_bar.open_bar)
        self.add_tag_action = self._action("&New Tag…", "Ctrl+T", self.on_add_tag)
        self.zoom_in_action = self._action("Zoom &In", "Ctrl++", lambda: self.zoom_by(1))
        self.zoom_in_action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.zoom_out_action = self._action("Zoom &Out", "Ctrl+-", lambda: self.zoom_by(-1))
        self.zoom_reset_action = self._action("&Reset Zoom", "Ctrl+0", self.zoom_reset)
        for action in (self.export_action, self.find_action, self.add_tag_action):
            action.setEnabled(False)

    def _create_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.add_tag_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.zoom_in_action)
        view_menu.addAction(self.zoom_out_action)
        view_menu.addAction(self.zoom_reset_action)

    def _connect_signals(self) -> None:
        self.reader.nextSentenceRequested.connect(self.on_next_sentence)
        self.reader.previousSentenceRequested.connect(self.on_previous_sentence)
        self.reader.tagKeyPressed.connect(self.on_tag_key)
        self.reader.noteKeyPressed.connect(self.on_edit_note)
        self.reader.deleteKeyPressed.connect(self.on_delete)
        self.reader.sentenceClicked.connect(self.on_sentence_clicked)
        self.side_panel.tagActivated.connect(self.on_tag_activated)
        self.side_panel.addTagRequested.connect(self.on_add_tag)
        self.side_panel.annotationSelected.connect(self.on_annotation_selected)
        self.side_panel.deleteRequested.connect(self.on_delete)
        self.side_panel.readerRequested.connect(
            lambda: self.reader.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        self.side_panel.note_editor.noteEdited.connect(self.on_note_edited)
        self.side_panel.note_editor.editingFinished.connect(self.on_note_editing_finished)
        self.undo_stack.indexChanged.connect(self._on_undo_index_changed)

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1180, 780)
        splitter = self.settings.splitter_state
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([820, 340])

    # -- the library ---------------------------------------------------------------------------

    def show_preview(self, title: str, source: str, text: str) -> None:
        """Show an article before the library is open, so the first paint is the article."""
        self.reader.show_document(title, source, text, [])
        self.setWindowTitle(f"{title} — {APP_NAME}")

    def attach_session(self, session: DocumentSession) -> None:
        """Start working on the open library: highlights, panel and keys come alive."""
        self.session = session
        session.documentOpened.connect(self.on_document_opened)
        session.annotationAdded.connect(self.on_annotation_added)
        session.annotationRemoved.connect(self.on_annotation_removed)
        session.annotationUpdated.connect(self.on_annotation_updated)
        session.tagsChanged.connect(self.on_tags_changed)
        for action in (self.export_action, self.find_action, self.add_tag_action):
            action.setEnabled(True)
        if session.document is not None:
            self.on_document_opened()

    def _open_text(self) -> str | None:
        document = None if self.session is None else self.session.document
        return None if document is None else document.text

    def _tag_lookup(self, tag_id: int) -> TagRecord | None:
        return None if self.session is None else self.session.tag(tag_id)

    def _layers(self, annotations: list[AnnotationRecord]) -> list[Layer]:
        """One translucent layer per tag of each annotation, in reading order."""
        assert self.session is not None
        colours = {t.id: t.colour for t in self.session.tags}
        layers: list[Layer] = []
        for annotation in annotations:
            tag_colours = [colours[t] for t in annotation.tag_ids if t in colours]
            for colour in tag_colours or [UNTAGGED_COLOUR]:
                layers.append(Layer(annotation.start, annotation.end, colour))
        return layers

    def _refresh_span(self, start: int, end: int) -> None:
        assert self.session is not None
        self.reader.refresh_layers(
            self._layers(self.session.annotations_overlapping(start, end)), start, end
        )

    def _refresh_counts(self) -> None:
        assert self.session is not None
        self.tag_model.set_counts(self.session.tag_counts())

    def on_document_opened(self) -> None:
        assert self.session is not None and self.session.document is not None
        document = self.session.document
        annotations = self.session.annotations()
        if self.reader.shows_text(document.text):
            self.reader.refresh_layers(self._layers(annotations), 0, len(document.text))
        else:
            self.reader.show_document(
                document.title, document.source, document.text, self._layers(annotations)
            )
        self.tag_model.set_tags(self.session.tags, self.session.tag_counts())
        self.annotation_model.set_annotations(annotations)
        self._current_sentence = None
        self.find_controller.reset()
        self.setWindowTitle(f"{document.title} — {APP_NAME}")
        self.position_label.setText(f"{len(annotations)} annotations")
        self.statusBar().showMessage(
            "J / K move between sentences · 1–9 tag · N note · Ctrl+Z undo", STATUS_MS * 2
        )

    def on_annotation_added(self, record: AnnotationRecord) -> None:
        self._refresh_span(record.start, record.end)
        self.annotation_model.add(record)
        self._refresh_counts()
        self._select_in_panel(record.id)
        self._update_position_label()

    def on_annotation_removed(self, record: AnnotationRecord) -> None:
        self._refresh_span(record.start, record.end)
        self.annotation_model.remove(record)
        self._refresh_counts()
        self._sync_panel_to_focus()
        self._update_position_label()

    def on_annotation_updated(self, old: AnnotationRecord, new: AnnotationRecord) -> None:
        if old.tag_ids != new.tag_ids:
            self._refresh_span(new.start, new.end)
            self._refresh_counts()
        self.annotation_model.update(new)
        selected = self.side_panel.selected_annotation()
        if selected is not None and selected.id == new.id:
            editor = self.side_panel.note_editor
            if not editor.hasFocus():
                editor.load(new.note)

    def on_tags_changed(self) -> None:
        assert self.session is not None and self.session.document is not None
        self.tag_model.set_tags(self.session.tags, self.session.tag_counts())
        self.annotation_model.refresh_all()
        self.reader.refresh_layers(
            self._layers(self.session.annotations()), 0, len(self.session.document.text)
        )

    def _update_position_label(self) -> None:
        count = self.annotation_model.rowCount()
        self.position_label.setText(f"{count} annotation{'s' if count != 1 else ''}")

    # -- sentences and focus -------------------------------------------------------------------

    def on_next_sentence(self) -> None:
        if self.session is None or self.session.sentences is None:
            return
        found = self.session.sentences.next_sentence(self._current_sentence)
        if found is None:
            self.statusBar().showMessage("End of the article.", STATUS_MS)
            return
        self.set_current_sentence(found)

    def on_previous_sentence(self) -> None:
        if self.session is None or self.session.sentences is None:
            return
        found = self.session.sentences.previous_sentence(self._current_sentence)
        if found is None:
            self.statusBar().showMessage("Start of the article.", STATUS_MS)
            return
        self.set_current_sentence(found)

    def on_sentence_clicked(self, offset: int) -> None:
        if self.session is None or self.session.sentences is None:
            return
        found = self.session.sentences.sentence_at(offset)
        if found is not None:
            self.set_current_sentence(found)

    def set_current_sentence(self, sentence: Sentence) -> None:
        """Move the sentence focus (J/K, a click) and show its annotation in the panel."""
        self._current_sentence = sentence
        self.reader.set_focus_span((sentence.start, sentence.end))
        self._sync_panel_to_focus()

    @property
    def current_sentence(self) -> Sentence | None:
        """The sentence under focus, or None before the first J or click."""
        return self._current_sentence

    def _sync_panel_to_focus(self) -> None:
        """Select, in the panel, the annotation of the current sentence (the one under focus)."""
        if self.session is None:
            return
        sentence = self._current_sentence
        target = None
        if sentence is not None:
            target = self.session.annotation_with_span(sentence.start, sentence.end)
            if target is None:
                overlapping = self.session.annotations_overlapping(sentence.start, sentence.end)
                target = overlapping[0] if overlapping else None
        self._select_in_panel(None if target is None else target.id)

    def _select_in_panel(self, annotation_id: int | None) -> None:
        self._syncing_selection = True
        try:
            self.side_panel.select_annotation(annotation_id)
        finally:
            self._syncing_selection = False

    def on_annotation_selected(self, record: AnnotationRecord | None) -> None:
        self._note_edit_token += 1
        if self._syncing_selection or record is None or self.session is None:
            return
        sentences = self.session.sentences
        sentence = sentences.sentence_at(record.start) if sentences is not None else None
        self._current_sentence = sentence
        self.reader.set_focus_span((record.start, record.end))

    def focused_annotation(self) -> AnnotationRecord | None:
        """The annotation N and Delete act on: the one selected in the panel."""
        return self.side_panel.selected_annotation()

    # -- tagging -------------------------------------------------------------------------------

    def on_tag_key(self, number: int) -> None:
        if self.session is None:
            return
        tag = self.session.tag_for_key(number)
        if tag is None:
            self.statusBar().showMessage(f"No tag has the key {number} yet.", STATUS_MS)
            return
        self.toggle_tag(tag.id)

    def on_tag_activated(self, tag_id: int) -> None:
        self.toggle_tag(tag_id)
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    def target_span(self) -> tuple[int, int] | None:
        """What a tag applies to: the selection (trimmed), else the current sentence."""
        assert self.session is not None and self.session.document is not None
        selected = self.reader.selected_span()
        if selected is not None:
            start, end = trim_span(self.session.document.text, *selected)
            return (start, end) if end > start else None
        if self._current_sentence is not None:
            return (self._current_sentence.start, self._current_sentence.end)
        return None

    def toggle_tag(self, tag_id: int) -> None:
        """Put the tag on the target span, or take it off if it is there (1-9, or a click)."""
        from desktop_app.commands.annotation_commands import (
            CreateAnnotationCommand,
            DeleteAnnotationCommand,
            SetTagsCommand,
        )

        session = self.session
        if session is None or session.document is None:
            return
        span = self.target_span()
        if span is None:
            self.statusBar().showMessage(
                "Select some text, or press J to choose a sentence, then press a tag's number.",
                STATUS_MS,
            )
            return
        document = session.document
        existing = session.annotation_with_span(*span)
        plan = plan_toggle(existing, tag_id, {t.id: t.position for t in session.tags})
        if existing is None:
            anchor = anchor_for(document.text, *span)
            self.undo_stack.push(
                CreateAnnotationCommand(session, document.id, anchor, plan.tag_ids)
            )
        elif plan.kind is ToggleKind.DELETE:
            self.undo_stack.push(DeleteAnnotationCommand(session, existing))
        else:
            verb = "Add tag to" if plan.adds else "Remove tag from"
            self.undo_stack.push(SetTagsCommand(session, existing, plan.tag_ids, verb))
        if self.reader.selected_span() is not None:
            self.reader.clear_selection()

    def on_delete(self) -> None:
        from desktop_app.commands.annotation_commands import DeleteAnnotationCommand

        record = self.focused_annotation()
        if record is None or self.session is None:
            self.statusBar().showMessage("There is no annotation here to delete.", STATUS_MS)
            return
        self.undo_stack.push(DeleteAnnotationCommand(self.session, record))
        self.statusBar().showMessage("Annotation deleted. Ctrl+Z brings it back.", STATUS_MS)

    def on_edit_note(self) -> None:
        if self.focused_annotation() is None:
            self.statusBar().showMessage(
                "Tag this sentence first: notes belong to annotations.", STATUS_MS
            )
            return
        self.side_panel.note_editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def on_note_edited(self, text: str) -> None:
        from desktop_app.commands.annotation_commands import SetNoteCommand

        record = self.focused_annotation()
        if record is None or self.session is None or text == record.note:
            return
        self.undo_stack.push(SetNoteCommand(self.session, record, text, self._note_edit_token))

    def on_note_editing_finished(self) -> None:
        self._note_edit_token += 1
        if not self.reader.hasFocus() and self.side_panel.note_editor.hasFocus():
            return
        QTimer.singleShot(0, self._return_focus_to_reader)

    def _return_focus_to_reader(self) -> None:
        if self.focusWidget() in (None, self.side_panel.note_editor):
            self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_undo_index_changed(self, _index: int) -> None:
        self._note_edit_token += 1

    def on_add_tag(self) -> None:
        from desktop_app.commands.tag_commands import AddTagCommand
        from desktop_app.core.codebook import load_default_codebook
        from desktop_app.resources import resource_path
        from desktop_app.ui.add_tag_dialog import AddTagDialog

        if self.session is None:
            return
        palette = load_default_codebook(resource_path("codebook.json")).palette
        tags = self.session.tags
        dialog = AddTagDialog(
            palette, next_colour(palette, [t.colour for t in tags]), [t.name for t in tags], self
        )
        if dialog.exec() == AddTagDialog.DialogCode.Accepted:
            self.undo_stack.push(AddTagCommand(self.session, dialog.spec()))
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- files ---------------------------------------------------------------------------------

    def on_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open article", "", "Articles (*.txt *.md *.markdown);;All files (*)"
        )
        if path:
            self.openFileRequested.emit(path)

    def on_export(self) -> None:
        from desktop_app.io.atomic_write import write_text_atomically
        from desktop_app.io.library_transfer import render_markdown

        session = self.session
        if session is None or session.document is None:
            return
        self.side_panel.note_editor.flush()
        folder = self.settings.export_folder or str(Path.home())
        suggested = str(Path(folder) / f"{safe_file_stem(session.document.title)}.md")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export annotated notes", suggested, "Markdown (*.md)"
        )
        if not path:
            return
        target = Path(path)
        if target.suffix == "":
            target = target.with_suffix(".md")
        try:
            write_text_atomically(target, render_markdown(session.store, session.document.id))
        except OSError as error:
            self.show_error(f"Could not write {target}: {error.strerror or error}")
            return
        self.settings.export_folder = str(target.parent)
        count = len(session.annotations())
        self.statusBar().showMessage(f"Exported {count} annotations to {target}", STATUS_MS)

    def show_error(self, message: str) -> QMessageBox:
        """Tell the user about a problem in their environment or input, in one line.

        The box is window-modal but does not block the event loop, so work already committed
        keeps flowing and tests can read it (`last_error`) and close it.
        """
        self.last_error = message
        box = QMessageBox(
            QMessageBox.Icon.Warning, APP_NAME, message, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # -- zoom ----------------------------------------------------------------------------------

    def zoom_by(self, steps: int) -> None:
        self.reader.set_zoom(self.reader.zoom + steps)
        self.settings.zoom = self.reader.zoom

    def zoom_reset(self) -> None:
        self.reader.set_zoom(0)
        self.settings.zoom = 0

    # -- closing -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.side_panel.note_editor.flush()
        self.settings.window_geometry = QByteArray(self.saveGeometry())
        self.settings.splitter_state = QByteArray(self.splitter.saveState())
        self.settings.sync()
        super().closeEvent(event)


def safe_file_stem(title: str) -> str:
    """A file name stem from a title: no path separators or characters file systems refuse."""
    cleaned = "".join(c if c.isalnum() or c in " -_" else " " for c in title)
    stem = "-".join(cleaned.split())[:80]
    return stem or "annotations"
