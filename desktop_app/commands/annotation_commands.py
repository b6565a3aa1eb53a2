"""Undo commands for creating, retagging, noting and deleting annotations."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QUndoCommand

from desktop_app.core.anchors import Anchor
from desktop_app.core.records import AnnotationRecord
from desktop_app.models.document_session import DocumentSession

NOTE_EDIT_ID = 1001


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class CreateAnnotationCommand(QUndoCommand):
    """Create an annotation; undo deletes it, redo brings the same one back (same id and uuid)."""

    def __init__(
        self, session: DocumentSession, document_id: int, anchor: Anchor, tag_ids: Sequence[int]
    ) -> None:
        super().__init__(f"Tag “{_short(anchor.exact)}”")
        self._session = session
        self._document_id = document_id
        self._anchor = anchor
        self._tag_ids = tuple(tag_ids)
        self.record: AnnotationRecord | None = None

    def redo(self) -> None:
        if self.record is None:
            self.record = self._session.create_annotation(
                self._document_id, self._anchor, self._tag_ids
            )
        else:
            self.record = self._session.restore_annotation(self.record)

    def undo(self) -> None:
        assert self.record is not None
        self.record = self._session.delete_annotation(self._document_id, self.record.id)


class DeleteAnnotationCommand(QUndoCommand):
    """Delete an annotation; undo restores it with its tags, note and times.

    `follow=False` (bulk edits in the claims review) leaves the reader on its document.
    """

    def __init__(
        self, session: DocumentSession, record: AnnotationRecord, *, follow: bool = True
    ) -> None:
        super().__init__(f"Delete “{_short(record.exact)}”")
        self._session = session
        self.record = record
        self._follow = follow

    def redo(self) -> None:
        self.record = self._session.delete_annotation(
            self.record.document_id, self.record.id, follow=self._follow
        )

    def undo(self) -> None:
        self.record = self._session.restore_annotation(self.record, follow=self._follow)


class SetTagsCommand(QUndoCommand):
    """Change the tags of an annotation."""

    def __init__(
        self,
        session: DocumentSession,
        record: AnnotationRecord,
        tag_ids: Sequence[int],
        text: str = "Retag",
        *,
        follow: bool = True,
    ) -> None:
        super().__init__(f"{text} “{_short(record.exact)}”")
        self._session = session
        self._document_id = record.document_id
        self._annotation_id = record.id
        self._old = record.tag_ids
        self._new = tuple(tag_ids)
        self._follow = follow

    def redo(self) -> None:
        self._session.set_tags(
            self._document_id, self._annotation_id, self._new, follow=self._follow
        )

    def undo(self) -> None:
        self._session.set_tags(
            self._document_id, self._annotation_id, self._old, follow=self._follow
        )


class SetNoteCommand(QUndoCommand):
    """Change a note. The saves of one editing session (same `edit_token`) are one undo step.

    The note editor saves while the reader types so nothing is lost; merging keeps undo at
    the granularity the reader thinks in: "undo my edit of that note".
    """

    def __init__(
        self, session: DocumentSession, record: AnnotationRecord, note: str, edit_token: int = 0
    ) -> None:
        super().__init__(f"Edit note on “{_short(record.exact)}”")
        self._session = session
        self._document_id = record.document_id
        self.annotation_id = record.id
        self._old = record.note
        self.new = note
        self.edit_token = edit_token

    def id(self) -> int:
        return NOTE_EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, SetNoteCommand)
            or other.annotation_id != self.annotation_id
            or other.edit_token != self.edit_token
        ):
            return False
        self.new = other.new
        # Qt deletes `other` now, but PySide6 6.11 keeps its Python object alive for good:
        # let go of the session so a merged save leaks a few strings, not the library.
        other.release()
        return True

    def release(self) -> None:
        """Drop the references to the session and the note texts (see mergeWith)."""
        self._session = None  # type: ignore[assignment]
        self._old = self.new = ""

    def redo(self) -> None:
        self._session.set_note(self._document_id, self.annotation_id, self.new)

    def undo(self) -> None:
        self._session.set_note(self._document_id, self.annotation_id, self._old)


class PlaceAnnotationCommand(QUndoCommand):
    """Settle an annotation carried to a new version: confirm its candidate or move it."""

    def __init__(
        self, session: DocumentSession, record: AnnotationRecord, anchor: Anchor, method: str
    ) -> None:
        verb = "Confirm" if method == "confirmed" else "Move"
        super().__init__(f"{verb} “{_short(record.previous_exact or record.exact)}”")
        self._session = session
        self._before = record
        self._anchor = anchor
        self._method = method

    def redo(self) -> None:
        self._session.place_annotation(
            self._before.document_id, self._before.id, self._anchor, self._method
        )

    def undo(self) -> None:
        self._session.revert_annotation(self._before)


class SetClaimFieldsCommand(QUndoCommand):
    """Change an annotation's stance, speaker and check-worthiness together."""

    def __init__(
        self,
        session: DocumentSession,
        record: AnnotationRecord,
        stance: str,
        speaker: str,
        checkworthiness: int | None,
    ) -> None:
        super().__init__(f"Edit claim “{_short(record.exact)}”")
        self._session = session
        self._document_id = record.document_id
        self._annotation_id = record.id
        self._old = (record.stance, record.speaker, record.checkworthiness)
        self._new = (stance, speaker, checkworthiness)

    def redo(self) -> None:
        self._session.set_claim_fields(self._document_id, self._annotation_id, *self._new)

    def undo(self) -> None:
        self._session.set_claim_fields(self._document_id, self._annotation_id, *self._old)
