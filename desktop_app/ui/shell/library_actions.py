"""What the library panel asks of an article: rename it, delete it, compare its versions.

Each one asks the reader what it must (a title, a confirmation) and then pushes an undoable
command, so a slip is one Ctrl+Z away. The window imports this module the first time one of
them is asked for; nothing here is needed for the first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from desktop_app.commands.document_commands import DeleteDocumentCommand, RenameDocumentCommand

if TYPE_CHECKING:
    from desktop_app.models.document_session import DocumentSession
    from desktop_app.ui.dialogs.versions_dialog import VersionsDialog


def rename_document(
    parent: QWidget, session: DocumentSession, undo_stack: QUndoStack, document_id: int
) -> None:
    """Ask for a new title; an empty one, or the same one, changes nothing."""
    old = session.library.document(document_id).title
    new, accepted = QInputDialog.getText(parent, "Rename article", "Title:", text=old)
    if accepted and " ".join(new.split()) and " ".join(new.split()) != old:
        undo_stack.push(RenameDocumentCommand(session, document_id, old, new))


def delete_document(
    parent: QWidget,
    session: DocumentSession,
    undo_stack: QUndoStack,
    document_id: int,
    show_status: Callable[[str], None],
) -> None:
    """Delete an article, asking first only when annotations would go with it."""
    summary = next((d for d in session.library.documents() if d.id == document_id), None)
    if summary is None:
        return
    if summary.annotation_count:
        answer = QMessageBox.question(
            parent,
            "Delete article",
            f"Delete “{summary.title}” and its {summary.annotation_count} annotations? "
            "Edit › Undo brings them back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
    undo_stack.push(DeleteDocumentCommand(session, document_id, summary.title))
    show_status(f"Deleted “{summary.title}”. Ctrl+Z brings it back.")


def open_versions(
    parent: QWidget,
    session: DocumentSession,
    undo_stack: QUndoStack,
    document_id: int | None,
    show_status: Callable[[str], None],
) -> VersionsDialog | None:
    """The versions view of an article (None: the open one), open beside the window; None
    when there is no article, or (with a word why) no other version to compare."""
    # Loaded only when versions are asked for, not with renaming or deleting.
    from desktop_app.ui.dialogs.versions_dialog import VersionsDialog

    if document_id is None:
        if session.document is None:
            return None
        document_id = session.document.id
    if len(session.library.versions(document_id)) < 2:
        show_status("This article has only one version: import a newer one to compare.")
        return None
    dialog = VersionsDialog(session, undo_stack, document_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
