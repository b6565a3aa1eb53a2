"""Undo commands for the codebook."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from desktop_app.core.codebook import TagSpec
from desktop_app.core.records import TagRecord
from desktop_app.models.document_session import DocumentSession


class AddTagCommand(QUndoCommand):
    """Add a tag; undo removes it, redo restores it with the same id and position."""

    def __init__(self, session: DocumentSession, spec: TagSpec) -> None:
        super().__init__(f"Add tag “{spec.name}”")
        self._session = session
        self._spec = spec
        self.record: TagRecord | None = None

    def redo(self) -> None:
        if self.record is None:
            self.record = self._session.add_tag(self._spec)
        else:
            self.record = self._session.add_tag(
                self._spec, tag_id=self.record.id, position=self.record.position
            )

    def undo(self) -> None:
        assert self.record is not None
        self._session.remove_tag(self.record.id)
