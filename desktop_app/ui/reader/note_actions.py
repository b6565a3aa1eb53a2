"""Notes and claim fields typed in the panel, saved as undo commands without losing a keystroke.

N moves the keyboard to the note of the annotation under focus; the editor hands over what is
typed at each pause, and the saves of one stretch of typing merge into one undo step (they share
an edit token). Three things keep that honest:
an undo or redo first saves what is being typed, and never has a command pushed while it runs;
a note changed from outside the editor (an undo, say) is shown even mid-edit; and choosing
another annotation, or leaving the editor, starts a new stretch so edits of two notes never
merge into one step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer

from desktop_app.commands.annotation_commands import SetClaimFieldsCommand, SetNoteCommand
from desktop_app.core.records import AnnotationRecord
from desktop_app.ui.reader.reading_context import ReadingContext
from desktop_app.ui.reader.sentence_focus import SentenceFocus


class NoteActions(QObject):
    """Saves notes and claim fields of annotations, and steps the undo history safely."""

    def __init__(self, context: ReadingContext, focus: SentenceFocus, parent: QObject) -> None:
        super().__init__(parent)
        self._context = context
        self._focus = focus
        self._in_history_step = False
        self._saving_note = False
        self._note_edit_token = 0
        self._speakers: list[str] = []

    def start_new_edit(self) -> None:
        """Let the next keystroke in a note begin an undo step of its own."""
        self._note_edit_token += 1

    def load_speakers(self) -> None:
        """Offer the library's speakers in the claim fields (a document was opened)."""
        session = self._context.session
        assert session is not None
        self._speakers = session.library.speakers()
        self._context.panel.claim_fields.set_speakers(self._speakers)

    def show_update(self, record: AnnotationRecord) -> None:
        """Show a changed annotation in the note editor and claim fields, if they hold it."""
        panel = self._context.panel
        editor = panel.note_editor
        if editor.annotation_id == record.id and not self._saving_note:
            # An undo, redo or other change from outside the editor: show it, even mid-edit.
            editor.load(record.id, record.note)
        selected = panel.selected_annotation()
        if selected is not None and selected.id == record.id:
            panel.claim_fields.load(record)

    # -- notes ---------------------------------------------------------------------------------

    def on_edit_note(self) -> None:
        """N: edit the note of the annotation under focus."""
        if self._focus.focused_annotation() is None:
            self._context.status("Tag this sentence first: notes belong to annotations.")
            return
        self._context.panel.note_editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def on_note_edited(self, annotation_id: int, text: str) -> None:
        """Save a note typed in the editor, as an undoable (merging) command."""
        if self._in_history_step:
            # Never push while the undo stack is running a command: save right after it.
            QTimer.singleShot(0, lambda: self.on_note_edited(annotation_id, text))
            return
        session = self._context.session
        record = None if session is None else session.annotation(annotation_id)
        if session is None or record is None or text == record.note:
            return
        self._saving_note = True
        try:
            self._context.undo_stack.push(
                SetNoteCommand(session, record, text, self._note_edit_token)
            )
        finally:
            self._saving_note = False

    def on_note_editing_finished(self) -> None:
        """The note editor lost the keyboard: a new stretch, and the keys back to the article."""
        self._note_edit_token += 1
        QTimer.singleShot(0, self._return_focus_after_note)

    def _return_focus_after_note(self) -> None:
        context = self._context
        focused = context.reader.window().focusWidget()
        if focused is None or focused is context.panel.note_editor:
            context.focus_reader()

    # -- claim fields --------------------------------------------------------------------------

    def on_claim_fields_edited(
        self, annotation_id: int, stance: str, speaker: str, checkworthiness: int | None
    ) -> None:
        """Save the claim fields of an annotation as one undoable step."""
        session = self._context.session
        record = None if session is None else session.annotation(annotation_id)
        if session is None or record is None:
            return
        if (record.stance, record.speaker, record.checkworthiness) == (
            stance,
            speaker,
            checkworthiness,
        ):
            return
        self._context.undo_stack.push(
            SetClaimFieldsCommand(session, record, stance, speaker, checkworthiness)
        )
        if speaker and speaker not in self._speakers:
            self._speakers.insert(0, speaker)
            self._context.panel.claim_fields.set_speakers(self._speakers)

    # -- history -------------------------------------------------------------------------------

    def history_step(self, step: Callable[[], None]) -> None:
        """Undo or redo (`step`), after saving what is being typed in the note editor."""
        self._context.panel.note_editor.flush()
        self._note_edit_token += 1
        self._in_history_step = True
        try:
            step()
        finally:
            self._in_history_step = False
