"""Undo commands for the library: renaming and deleting documents."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from desktop_app.models.document_session import DocumentSession


class RenameDocumentCommand(QUndoCommand):
    """Give a document another title."""

    def __init__(self, session: DocumentSession, document_id: int, old: str, new: str) -> None:
        super().__init__(f"Rename “{old}”")
        self._session = session
        self._document_id = document_id
        self._old = old
        self._new = new

    def redo(self) -> None:
        self._session.rename_document(self._document_id, self._new)

    def undo(self) -> None:
        self._session.rename_document(self._document_id, self._old)


class DeleteDocumentCommand(QUndoCommand):
    """Delete a document with its annotations; undo brings both back."""

    def __init__(self, session: DocumentSession, document_id: int, title: str) -> None:
        super().__init__(f"Delete “{title}”")
        self._session = session
        self._document_id = document_id
        self._was_open = False

    def redo(self) -> None:
        document = self._session.document
        self._was_open = document is not None and document.id == self._document_id
        self._session.delete_document(self._document_id)

    def undo(self) -> None:
        self._session.restore_document(self._document_id, reopen=self._was_open)
