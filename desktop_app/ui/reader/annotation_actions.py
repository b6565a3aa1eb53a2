"""What a digit, Delete or a review button does to annotations: each change one undo command.

A digit toggles a tag on the target: the selection (trimmed of spaces) when there is one, else
the span under focus. Which command that is (create, add or remove a tag, delete) is decided
by core/tag_toggle; this module finds the target, pushes the command and says what happened.
The review buttons place an annotation that re-anchoring could not settle on its own.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_app.commands.annotation_commands import (
    CreateAnnotationCommand,
    DeleteAnnotationCommand,
    PlaceAnnotationCommand,
    SetTagsCommand,
)
from desktop_app.core.anchors import anchor_for, trim_span
from desktop_app.core.records import ANCHOR_ORPHANED, AnnotationRecord
from desktop_app.core.tag_toggle import ToggleKind, plan_toggle
from desktop_app.ui.reader.reading_context import ReadingContext
from desktop_app.ui.reader.sentence_focus import SentenceFocus


class AnnotationActions(QObject):
    """Tags, deletes and places annotations of the open document, through the undo stack."""

    def __init__(self, context: ReadingContext, focus: SentenceFocus, parent: QObject) -> None:
        super().__init__(parent)
        self._context = context
        self._focus = focus

    # -- tagging -------------------------------------------------------------------------------

    def on_tag_key(self, number: int) -> None:
        """1-9: toggle the tag with that number in the panel."""
        session = self._context.session
        if session is None:
            return
        tag = session.tag_for_key(number)
        if tag is None:
            self._context.status(f"No tag has the key {number} yet.")
            return
        self.toggle_tag(tag.id)

    def on_tag_activated(self, tag_id: int) -> None:
        """A tag clicked or chosen with Enter in the panel: toggle it, back to the article."""
        self.toggle_tag(tag_id)
        self._context.focus_reader()

    def target_span(self) -> tuple[int, int] | None:
        """What a tag applies to: the selection (trimmed), else the span under focus."""
        session = self._context.session
        assert session is not None and session.document is not None
        selected = self._context.reader.selected_span()
        if selected is not None:
            start, end = trim_span(session.document.text, *selected)
            return (start, end) if end > start else None
        return self._focus.span

    def toggle_tag(self, tag_id: int) -> None:
        """Put the tag on the target span, or take it off if it is there (1-9, or a click)."""
        session = self._context.session
        if session is None or session.document is None:
            return
        span = self.target_span()
        if span is None:
            self._context.status(
                "Select some text, or press J to choose a sentence, then press a tag's number."
            )
            return
        document = session.document
        undo_stack = self._context.undo_stack
        existing = session.annotation_with_span(*span)
        plan = plan_toggle(existing, tag_id, {t.id: t.position for t in session.tags})
        if existing is None:
            anchor = anchor_for(document.text, *span)
            undo_stack.push(CreateAnnotationCommand(session, document.id, anchor, plan.tag_ids))
        elif plan.kind is ToggleKind.DELETE:
            undo_stack.push(DeleteAnnotationCommand(session, existing))
        else:
            verb = "Add tag to" if plan.adds else "Remove tag from"
            undo_stack.push(SetTagsCommand(session, existing, plan.tag_ids, verb))
        reader = self._context.reader
        if reader.selected_span() is not None:
            # The selection becomes the focus, so the next digit adds to the same annotation.
            reader.clear_selection()
            self._focus.set(self._focus.sentence, span)

    def on_delete(self) -> None:
        """Delete: the annotation under focus goes (undoable), and the status line says how."""
        record = self._focus.focused_annotation()
        session = self._context.session
        if record is None or session is None:
            self._context.status("There is no annotation here to delete.")
            return
        self._context.undo_stack.push(DeleteAnnotationCommand(session, record))
        self._context.status("Annotation deleted. Ctrl+Z brings it back.")

    # -- review of annotations carried to a new version ----------------------------------------

    def on_confirm_placement(self, record: AnnotationRecord) -> None:
        """Keep a "needs review" annotation on the candidate re-anchoring found."""
        session = self._context.session
        if session is None or session.document is None or record.anchor_status == ANCHOR_ORPHANED:
            return
        anchor = anchor_for(session.document.text, record.start, record.end)
        self._context.undo_stack.push(PlaceAnnotationCommand(session, record, anchor, "confirmed"))
        self._context.status("Confirmed. Ctrl+Z undoes it.")

    def on_place_at_selection(self, record: AnnotationRecord) -> None:
        """Move an annotation under review to the text selected in the article."""
        session = self._context.session
        if session is None or session.document is None:
            return
        selected = self._context.reader.selected_span()
        span = None if selected is None else trim_span(session.document.text, *selected)
        if span is None or span[0] >= span[1]:
            self._context.status("Select the text where this annotation belongs, then press Place.")
            return
        anchor = anchor_for(session.document.text, *span)
        self._context.undo_stack.push(PlaceAnnotationCommand(session, record, anchor, "moved"))
        self._context.reader.clear_selection()

    def on_delete_annotation(self, record: AnnotationRecord) -> None:
        """The review panel's Delete: that annotation goes, undoably."""
        session = self._context.session
        if session is not None:
            self._context.undo_stack.push(DeleteAnnotationCommand(session, record))
