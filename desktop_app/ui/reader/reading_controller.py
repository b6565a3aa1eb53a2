"""The reader's behaviour: what is shown, what has focus, and what a key or a click changes.

It connects the open-document session to the reader and the side panel, and turns the keyboard
contract (J/K, 1-9, N, Delete, undo/redo) into undo commands. Widgets stay dumb: they report
input and show what they are told. Each decision has a part of its own (sentence_focus,
annotation_actions, note_actions, reading_display, reading_position); this module builds them,
connects the signals to them, and, where one event concerns several parts, calls them in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack

from desktop_app.core.records import AnnotationRecord, TagRecord
from desktop_app.core.sentences import Sentence
from desktop_app.models.annotation_list_model import AnnotationListModel
from desktop_app.models.tag_list_model import TagListModel
from desktop_app.ui.panels.side_panel import SidePanel
from desktop_app.ui.reader.annotation_actions import AnnotationActions
from desktop_app.ui.reader.article_view import ArticleView
from desktop_app.ui.reader.note_actions import NoteActions
from desktop_app.ui.reader.reading_context import ReadingContext
from desktop_app.ui.reader.reading_display import ReadingDisplay
from desktop_app.ui.reader.reading_position import (
    restore_reading_position,
    save_reading_position,
)
from desktop_app.ui.reader.sentence_focus import SentenceFocus

if TYPE_CHECKING:
    from desktop_app.models.document_session import DocumentSession


class ReadingController(QObject):
    """Keeps reader, side panel and session in step, and carries out the reader's keys."""

    def __init__(
        self,
        reader: ArticleView,
        panel: SidePanel,
        undo_stack: QUndoStack,
        status: Callable[[str], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.reader = reader
        self.panel = panel
        self.undo_stack = undo_stack
        self.tag_model: TagListModel = panel.tag_model
        self.annotation_model: AnnotationListModel = panel.annotation_model
        self.review_model: AnnotationListModel = panel.review_model
        self._init_parts(ReadingContext(reader, panel, undo_stack, status))
        self._connect_signals()

    def _init_parts(self, context: ReadingContext) -> None:
        self._context = context
        self.focus = SentenceFocus(context, self)
        self.actions = AnnotationActions(context, self.focus, self)
        self.notes = NoteActions(context, self.focus, self)
        self.display = ReadingDisplay(context, self)

    def _connect_signals(self) -> None:
        self.reader.nextSentenceRequested.connect(self.focus.on_next_sentence)
        self.reader.previousSentenceRequested.connect(self.focus.on_previous_sentence)
        self.reader.tagKeyPressed.connect(self.actions.on_tag_key)
        self.reader.noteKeyPressed.connect(self.notes.on_edit_note)
        self.reader.deleteKeyPressed.connect(self.actions.on_delete)
        self.reader.sentenceClicked.connect(self.focus.on_sentence_clicked)
        self.panel.tagActivated.connect(self.actions.on_tag_activated)
        self.panel.annotationSelected.connect(self.on_annotation_selected)
        self.panel.deleteRequested.connect(self.actions.on_delete)
        self.panel.readerRequested.connect(self.focus_reader)
        review = self.panel.review_panel
        review.selected.connect(self.focus.on_review_selected)
        review.confirmRequested.connect(self.actions.on_confirm_placement)
        review.placeRequested.connect(self.actions.on_place_at_selection)
        review.deleteRequested.connect(self.actions.on_delete_annotation)
        self.panel.note_editor.noteEdited.connect(self.notes.on_note_edited)
        self.panel.claim_fields.fieldsEdited.connect(self.notes.on_claim_fields_edited)
        self.panel.note_editor.editingFinished.connect(self.notes.on_note_editing_finished)

    def attach(self, session: DocumentSession) -> None:
        """Follow `session` from now on."""
        self._context.session = session
        session.documentOpened.connect(self.on_document_opened)
        session.annotationAdded.connect(self.on_annotation_added)
        session.annotationRemoved.connect(self.on_annotation_removed)
        session.annotationUpdated.connect(self.on_annotation_updated)
        session.tagsChanged.connect(self.display.refresh_tags)
        session.documentClosing.connect(self.on_document_closing)
        session.documentClosed.connect(self.on_document_closed)
        session.documentRetitled.connect(self.on_document_retitled)
        if session.document is not None:
            self.on_document_opened()

    @property
    def session(self) -> DocumentSession | None:
        """The session followed since `attach`, or None before it."""
        return self._context.session

    def focus_reader(self) -> None:
        """Give the keyboard back to the article."""
        self._context.focus_reader()

    def tag_lookup(self, tag_id: int) -> TagRecord | None:
        """The tag with `tag_id` (for the annotation list), or None."""
        session = self._context.session
        return None if session is None else session.tag(tag_id)

    # -- the document --------------------------------------------------------------------------

    def on_document_opened(self) -> None:
        session = self._context.session
        assert session is not None and session.document is not None
        self.display.show_opened()
        self.notes.load_speakers()
        self.focus.set(None, None)
        self.reader.move_to_start()
        restore_reading_position(self._context, self.focus, session.document.id)

    def on_document_closing(self, document_id: int) -> None:
        """Remember where the reader was, then let the lists drop the old records before the
        next document's load (the session does the same with its own)."""
        self.save_reading_position(document_id)
        self.display.clear_lists()

    def save_reading_position(self, document_id: int | None = None) -> None:
        """Remember where the reader is in the open document (before switching or quitting)."""
        save_reading_position(self._context, self.focus, document_id)

    def on_document_closed(self) -> None:
        self.display.clear_lists()
        self.focus.set(None, None)

    def on_document_retitled(self) -> None:
        """Show the new title or byline, keeping the focus and the place in the text."""
        top = self.reader.top_offset()
        self.display.show_again()
        self.focus.reapply()
        self.reader.scroll_to_offset(top)

    # -- its annotations -----------------------------------------------------------------------

    def on_annotation_added(self, record: AnnotationRecord) -> None:
        self.display.add(record)
        self.focus.select_in_panel(record.id)

    def on_annotation_removed(self, record: AnnotationRecord) -> None:
        self.display.remove(record)
        self.focus.sync_panel_to_focus()

    def on_annotation_updated(self, old: AnnotationRecord, new: AnnotationRecord) -> None:
        self.display.update(old, new)
        self.notes.show_update(new)

    def on_annotation_selected(self, record: AnnotationRecord | None) -> None:
        """Chosen in the panel: a new stretch of note typing, and the focus on its span."""
        self.notes.start_new_edit()
        self.focus.on_annotation_selected(record)

    def show_annotation(self, annotation_id: int) -> None:
        """Select an annotation of the open document and bring it into view."""
        session = self._context.session
        record = None if session is None else session.annotation(annotation_id)
        if record is None:
            return
        self.panel.select_annotation(record.id)
        self.on_annotation_selected(record)
        self.focus_reader()

    # -- focus and history ---------------------------------------------------------------------

    @property
    def current_sentence(self) -> Sentence | None:
        """The sentence under focus, or None before the first J or click."""
        return self.focus.sentence

    def set_current_sentence(self, sentence: Sentence) -> None:
        """Move the sentence focus (J/K, a click) and show its annotation in the panel."""
        self.focus.set_current_sentence(sentence)

    def undo(self) -> None:
        """Ctrl+Z: save what is being typed, then step back."""
        self.notes.history_step(self.undo_stack.undo)

    def redo(self) -> None:
        """Ctrl+Shift+Z: save what is being typed, then step forward."""
        self.notes.history_step(self.undo_stack.redo)
