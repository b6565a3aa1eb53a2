"""The reader's behaviour: what is shown, what has focus, and what a key or a click changes.

It connects the open-document session to the reader and the side panel, and turns the keyboard
contract (J/K, 1-9, N, Delete, undo/redo) into undo commands. Widgets stay dumb: they report
input and show what they are told.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QUndoStack

from desktop_app.commands.annotation_commands import (
    CreateAnnotationCommand,
    DeleteAnnotationCommand,
    PlaceAnnotationCommand,
    SetClaimFieldsCommand,
    SetNoteCommand,
    SetTagsCommand,
)
from desktop_app.core.anchors import anchor_for, trim_span
from desktop_app.core.highlight_layers import Layer
from desktop_app.core.reading_colours import UNTAGGED_COLOUR
from desktop_app.core.records import ANCHOR_ORPHANED, AnnotationRecord, TagRecord
from desktop_app.core.sentences import Sentence
from desktop_app.core.tag_toggle import ToggleKind, plan_toggle
from desktop_app.models.annotation_list_model import AnnotationListModel
from desktop_app.models.tag_list_model import TagListModel
from desktop_app.ui.panels.side_panel import SidePanel
from desktop_app.ui.reader.article_view import ArticleView

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
        self._status = status
        self.session: DocumentSession | None = None
        self.tag_model: TagListModel = panel.tag_model
        self.annotation_model: AnnotationListModel = panel.annotation_model
        self.review_model: AnnotationListModel = panel.review_model
        self._current_sentence: Sentence | None = None
        # What a digit tags when nothing is selected: the current sentence, or the annotation
        # chosen in the panel (whose span is what the reader marks as focused).
        self._focus_span: tuple[int, int] | None = None
        self._syncing_selection = False
        self._in_history_step = False
        self._saving_note = False
        self._note_edit_token = 0
        self._speakers: list[str] = []
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.reader.nextSentenceRequested.connect(self.on_next_sentence)
        self.reader.previousSentenceRequested.connect(self.on_previous_sentence)
        self.reader.tagKeyPressed.connect(self.on_tag_key)
        self.reader.noteKeyPressed.connect(self.on_edit_note)
        self.reader.deleteKeyPressed.connect(self.on_delete)
        self.reader.sentenceClicked.connect(self.on_sentence_clicked)
        self.panel.tagActivated.connect(self.on_tag_activated)
        self.panel.annotationSelected.connect(self.on_annotation_selected)
        self.panel.deleteRequested.connect(self.on_delete)
        self.panel.readerRequested.connect(self.focus_reader)
        review = self.panel.review_panel
        review.selected.connect(self.on_review_selected)
        review.confirmRequested.connect(self.on_confirm_placement)
        review.placeRequested.connect(self.on_place_at_selection)
        review.deleteRequested.connect(self.on_delete_annotation)
        self.panel.note_editor.noteEdited.connect(self.on_note_edited)
        self.panel.claim_fields.fieldsEdited.connect(self.on_claim_fields_edited)
        self.panel.note_editor.editingFinished.connect(self.on_note_editing_finished)

    def attach(self, session: DocumentSession) -> None:
        """Follow `session` from now on."""
        self.session = session
        session.documentOpened.connect(self.on_document_opened)
        session.annotationAdded.connect(self.on_annotation_added)
        session.annotationRemoved.connect(self.on_annotation_removed)
        session.annotationUpdated.connect(self.on_annotation_updated)
        session.tagsChanged.connect(self.on_tags_changed)
        session.documentClosing.connect(self.on_document_closing)
        session.documentClosed.connect(self.on_document_closed)
        session.documentRetitled.connect(self.on_document_retitled)
        if session.document is not None:
            self.on_document_opened()

    def focus_reader(self) -> None:
        """Give the keyboard back to the article."""
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    def tag_lookup(self, tag_id: int) -> TagRecord | None:
        """The tag with `tag_id` (for the annotation list), or None."""
        return None if self.session is None else self.session.tag(tag_id)

    # -- showing -------------------------------------------------------------------------------

    def _layers(self, annotations: list[AnnotationRecord]) -> list[Layer]:
        """One layer per tag of each annotation, in reading order."""
        assert self.session is not None
        colours = {t.id: t.colour for t in self.session.tags}
        layers: list[Layer] = []
        for annotation in annotations:
            if annotation.needs_attention:
                continue  # not drawn as settled until the reader confirms or moves it
            tag_colours = [colours[t] for t in annotation.tag_ids if t in colours]
            for colour in tag_colours or [UNTAGGED_COLOUR]:
                layers.append(Layer(annotation.start, annotation.end, colour))
        return layers

    def _refresh_span(self, start: int, end: int) -> None:
        assert self.session is not None
        overlapping = self.session.annotations_overlapping(start, end)
        self.reader.refresh_layers(self._layers(overlapping), start, end)

    def _refresh_counts(self) -> None:
        assert self.session is not None
        self.tag_model.set_counts(self.session.tag_counts())

    def on_document_opened(self) -> None:
        assert self.session is not None and self.session.document is not None
        document = self.session.document
        annotations = self.session.annotations()
        shown = (document.title, document.byline, document.text, document.blocks)
        if self.reader.keep_if_shown(*shown):
            self.reader.refresh_layers(self._layers(annotations), 0, len(document.text))
        else:
            self.reader.show_document(
                document.title,
                document.byline,
                document.text,
                self._layers(annotations),
                document.blocks,
            )
        self.tag_model.set_tags(self.session.tags, self.session.tag_counts())
        for model in (self.annotation_model, self.review_model):
            model.set_annotations(annotations)
        self._speakers = self.session.library.speakers()
        self.panel.claim_fields.set_speakers(self._speakers)
        self._set_focus(None, None)
        self.reader.move_to_start()
        self._restore_reading_position(document.id)

    def on_document_closing(self, document_id: int) -> None:
        """Remember where the reader was, then let the lists drop the old records before the
        next document's load (the session does the same with its own)."""
        self.save_reading_position(document_id)
        for model in (self.annotation_model, self.review_model):
            model.set_annotations([])

    def save_reading_position(self, document_id: int | None = None) -> None:
        """Remember where the reader is in the open document (before switching or quitting)."""
        session = self.session
        if session is None or session.document is None:
            return
        if document_id is not None and document_id != session.document.id:
            return
        session.library.set_reading_position(
            session.document.id, self.reader.top_offset(), self._focus_span
        )

    def _restore_reading_position(self, document_id: int) -> None:
        assert self.session is not None and self.session.sentences is not None
        offset, focus = self.session.library.reading_position(document_id)
        if focus is not None and 0 <= focus[0] < focus[1] <= self.reader.positions.length:
            sentence = self.session.sentences.sentence_at(focus[0])
            self._set_focus(sentence, focus)
            self._sync_panel_to_focus()
        if offset:
            self.reader.scroll_to_offset(offset)

    def on_document_closed(self) -> None:
        for model in (self.annotation_model, self.review_model):
            model.set_annotations([])
        self._set_focus(None, None)

    def on_document_retitled(self) -> None:
        assert self.session is not None and self.session.document is not None
        document = self.session.document
        top = self.reader.top_offset()
        focus = self._focus_span
        self.reader.show_document(
            document.title,
            document.byline,
            document.text,
            self._layers(self.session.annotations()),
            document.blocks,
        )
        if focus is not None:
            self._set_focus(self._current_sentence, focus)
        self.reader.scroll_to_offset(top)

    def on_annotation_added(self, record: AnnotationRecord) -> None:
        self._refresh_span(record.start, record.end)
        for model in (self.annotation_model, self.review_model):
            model.add(record)
        self._refresh_counts()
        self._select_in_panel(record.id)

    def on_annotation_removed(self, record: AnnotationRecord) -> None:
        self._refresh_span(record.start, record.end)
        for model in (self.annotation_model, self.review_model):
            model.remove(record)
        self._refresh_counts()
        self._sync_panel_to_focus()

    def on_annotation_updated(self, old: AnnotationRecord, new: AnnotationRecord) -> None:
        placed = (old.start, old.end, old.anchor_status) != (new.start, new.end, new.anchor_status)
        if old.tag_ids != new.tag_ids or placed:
            self._refresh_span(new.start, new.end)
            if placed:
                self._refresh_span(old.start, old.end)
            self._refresh_counts()
        for model in (self.annotation_model, self.review_model):
            model.update(old, new)
        editor = self.panel.note_editor
        if editor.annotation_id == new.id and not self._saving_note:
            # An undo, redo or other change from outside the editor: show it, even mid-edit.
            editor.load(new.id, new.note)
        selected = self.panel.selected_annotation()
        if selected is not None and selected.id == new.id:
            self.panel.claim_fields.load(new)

    def on_tags_changed(self) -> None:
        assert self.session is not None and self.session.document is not None
        self.tag_model.set_tags(self.session.tags, self.session.tag_counts())
        for model in (self.annotation_model, self.review_model):
            model.refresh_all()
        everything = self._layers(self.session.annotations())
        self.reader.refresh_layers(everything, 0, len(self.session.document.text))

    # -- focus ---------------------------------------------------------------------------------

    @property
    def current_sentence(self) -> Sentence | None:
        """The sentence under focus, or None before the first J or click."""
        return self._current_sentence

    def _set_focus(self, sentence: Sentence | None, span: tuple[int, int] | None) -> None:
        self._current_sentence = sentence
        self._focus_span = span
        self.reader.set_focus_span(span)

    def _caret_offset(self) -> int | None:
        """Code-point offset of the reader's caret, or None while it is in the title."""
        position = self.reader.textCursor().position()
        if position < self.reader.positions.base:
            return None
        return self.reader.positions.from_qt(position)

    def on_next_sentence(self) -> None:
        """J: the sentence after the one holding the caret (the first, from the title)."""
        if self.session is None or self.session.sentences is None:
            return
        sentences = self.session.sentences
        caret = self._caret_offset()
        if caret is None:
            found = sentences.next_sentence(None)
        else:
            here = sentences.sentence_at(caret)
            found = (
                sentences.next_sentence(here)
                if here is not None
                else sentences.first_sentence_from(caret)
            )
        if found is None:
            self._status("End of the article.")
            return
        self.set_current_sentence(found)

    def on_previous_sentence(self) -> None:
        """K: the sentence before the one holding the caret."""
        if self.session is None or self.session.sentences is None:
            return
        sentences = self.session.sentences
        caret = self._caret_offset()
        here = None if caret is None else sentences.sentence_at(caret)
        if here is None and caret is not None:
            following = sentences.first_sentence_from(caret)
            found = (
                sentences.previous_sentence(following)
                if following is not None
                else sentences.previous_sentence(None)
            )
        else:
            found = None if here is None else sentences.previous_sentence(here)
        if found is None:
            self._status("Start of the article.")
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
        self._set_focus(sentence, (sentence.start, sentence.end))
        self._sync_panel_to_focus()

    def _sync_panel_to_focus(self) -> None:
        """Select, in the panel, the annotation of the current sentence (the one under focus)."""
        if self.session is None:
            return
        target = None
        sentence = self._current_sentence
        if sentence is not None:
            target = self.session.annotation_with_span(sentence.start, sentence.end)
            if target is None:
                overlapping = self.session.annotations_overlapping(sentence.start, sentence.end)
                target = overlapping[0] if overlapping else None
        self._select_in_panel(None if target is None else target.id)

    def _select_in_panel(self, annotation_id: int | None) -> None:
        self._syncing_selection = True
        try:
            self.panel.select_annotation(annotation_id)
        finally:
            self._syncing_selection = False

    def on_annotation_selected(self, record: AnnotationRecord | None) -> None:
        self._note_edit_token += 1
        if self._syncing_selection or record is None or self.session is None:
            return
        sentences = self.session.sentences
        sentence = None if sentences is None else sentences.sentence_at(record.start)
        self._set_focus(sentence, (record.start, record.end))

    def show_annotation(self, annotation_id: int) -> None:
        """Select an annotation of the open document and bring it into view."""
        record = None if self.session is None else self.session.annotation(annotation_id)
        if record is None:
            return
        self.panel.select_annotation(record.id)
        self.on_annotation_selected(record)
        self.focus_reader()

    def focused_annotation(self) -> AnnotationRecord | None:
        """The annotation N and Delete act on: the one selected in the panel."""
        return self.panel.selected_annotation()

    # -- tagging -------------------------------------------------------------------------------

    def on_tag_key(self, number: int) -> None:
        if self.session is None:
            return
        tag = self.session.tag_for_key(number)
        if tag is None:
            self._status(f"No tag has the key {number} yet.")
            return
        self.toggle_tag(tag.id)

    def on_tag_activated(self, tag_id: int) -> None:
        self.toggle_tag(tag_id)
        self.focus_reader()

    def target_span(self) -> tuple[int, int] | None:
        """What a tag applies to: the selection (trimmed), else the span under focus."""
        assert self.session is not None and self.session.document is not None
        selected = self.reader.selected_span()
        if selected is not None:
            start, end = trim_span(self.session.document.text, *selected)
            return (start, end) if end > start else None
        return self._focus_span

    def toggle_tag(self, tag_id: int) -> None:
        """Put the tag on the target span, or take it off if it is there (1-9, or a click)."""
        session = self.session
        if session is None or session.document is None:
            return
        span = self.target_span()
        if span is None:
            self._status(
                "Select some text, or press J to choose a sentence, then press a tag's number."
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
            # The selection becomes the focus, so the next digit adds to the same annotation.
            self.reader.clear_selection()
            self._set_focus(self._current_sentence, span)

    def on_delete(self) -> None:
        record = self.focused_annotation()
        if record is None or self.session is None:
            self._status("There is no annotation here to delete.")
            return
        self.undo_stack.push(DeleteAnnotationCommand(self.session, record))
        self._status("Annotation deleted. Ctrl+Z brings it back.")

    # -- review of annotations carried to a new version ----------------------------------------

    def on_review_selected(self, record: AnnotationRecord | None) -> None:
        """Show where re-anchoring found the annotation (or where it was expected)."""
        if record is not None:
            self._set_focus(None, (record.start, record.end))

    def on_confirm_placement(self, record: AnnotationRecord) -> None:
        """Keep a "needs review" annotation on the candidate re-anchoring found."""
        session = self.session
        if session is None or session.document is None or record.anchor_status == ANCHOR_ORPHANED:
            return
        anchor = anchor_for(session.document.text, record.start, record.end)
        self.undo_stack.push(PlaceAnnotationCommand(session, record, anchor, "confirmed"))
        self._status("Confirmed. Ctrl+Z undoes it.")

    def on_place_at_selection(self, record: AnnotationRecord) -> None:
        """Move an annotation under review to the text selected in the article."""
        session = self.session
        if session is None or session.document is None:
            return
        selected = self.reader.selected_span()
        span = None if selected is None else trim_span(session.document.text, *selected)
        if span is None or span[0] >= span[1]:
            self._status("Select the text where this annotation belongs, then press Place.")
            return
        anchor = anchor_for(session.document.text, *span)
        self.undo_stack.push(PlaceAnnotationCommand(session, record, anchor, "moved"))
        self.reader.clear_selection()

    def on_delete_annotation(self, record: AnnotationRecord) -> None:
        if self.session is not None:
            self.undo_stack.push(DeleteAnnotationCommand(self.session, record))

    # -- notes ---------------------------------------------------------------------------------

    def on_edit_note(self) -> None:
        if self.focused_annotation() is None:
            self._status("Tag this sentence first: notes belong to annotations.")
            return
        self.panel.note_editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def on_note_edited(self, annotation_id: int, text: str) -> None:
        """Save a note typed in the editor, as an undoable (merging) command."""
        if self._in_history_step:
            # Never push while the undo stack is running a command: save right after it.
            QTimer.singleShot(0, lambda: self.on_note_edited(annotation_id, text))
            return
        session = self.session
        record = None if session is None else session.annotation(annotation_id)
        if session is None or record is None or text == record.note:
            return
        self._saving_note = True
        try:
            self.undo_stack.push(SetNoteCommand(session, record, text, self._note_edit_token))
        finally:
            self._saving_note = False

    def on_claim_fields_edited(
        self, annotation_id: int, stance: str, speaker: str, checkworthiness: int | None
    ) -> None:
        """Save the claim fields of an annotation as one undoable step."""
        session = self.session
        record = None if session is None else session.annotation(annotation_id)
        if session is None or record is None:
            return
        if (record.stance, record.speaker, record.checkworthiness) == (
            stance,
            speaker,
            checkworthiness,
        ):
            return
        self.undo_stack.push(
            SetClaimFieldsCommand(session, record, stance, speaker, checkworthiness)
        )
        if speaker and speaker not in self._speakers:
            self._speakers.insert(0, speaker)
            self.panel.claim_fields.set_speakers(self._speakers)

    def on_note_editing_finished(self) -> None:
        self._note_edit_token += 1
        QTimer.singleShot(0, self._return_focus_after_note)

    def _return_focus_after_note(self) -> None:
        focused = self.reader.window().focusWidget()
        if focused is None or focused is self.panel.note_editor:
            self.focus_reader()

    # -- history -------------------------------------------------------------------------------

    def undo(self) -> None:
        """Ctrl+Z: save what is being typed, then step back."""
        self._history_step(self.undo_stack.undo)

    def redo(self) -> None:
        """Ctrl+Shift+Z: save what is being typed, then step forward."""
        self._history_step(self.undo_stack.redo)

    def _history_step(self, step: Callable[[], None]) -> None:
        self.panel.note_editor.flush()
        self._note_edit_token += 1
        self._in_history_step = True
        try:
            step()
        finally:
            self._in_history_step = False
