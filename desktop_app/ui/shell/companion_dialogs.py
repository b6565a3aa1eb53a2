"""The codebook and claims dialogs the window opens: New Tag (Ctrl+T), the codebook editor
(Ctrl+Shift+T) and the claims review (Ctrl+R).

The editor and the review are not modal: they open beside the reader, so tagging goes on
while they show, and each closes (and is deleted) on its own. The window imports this module
on first use; each dialog's module loads only when that dialog is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from desktop_app.core.records import AnnotationRecord
    from desktop_app.models.document_session import DocumentSession
    from desktop_app.ui.dialogs.claims_view import ClaimsDialog
    from desktop_app.ui.dialogs.codebook_dialog import CodebookDialog


def ask_new_tag(parent: QWidget, session: DocumentSession, undo_stack: QUndoStack) -> None:
    """Ask for a new tag (its colour offered from the default palette, the next one not yet
    taken) and add it, undoably."""
    from desktop_app.commands.tag_commands import AddTagCommand
    from desktop_app.core.codebook import load_default_codebook, next_colour
    from desktop_app.resources import resource_path
    from desktop_app.ui.dialogs.add_tag_dialog import AddTagDialog

    palette = load_default_codebook(resource_path("codebook.json")).palette
    tags = session.tags
    dialog = AddTagDialog(
        palette, next_colour(palette, [t.colour for t in tags]), [t.name for t in tags], parent
    )
    if dialog.exec() == AddTagDialog.DialogCode.Accepted:
        undo_stack.push(AddTagCommand(session, dialog.spec()))


def open_codebook(
    parent: QWidget,
    session: DocumentSession,
    undo_stack: QUndoStack,
    add_tag: Callable[[], None],
) -> CodebookDialog:
    """The codebook editor, open beside the window; `add_tag` is its New Tag button."""
    from desktop_app.ui.dialogs.codebook_dialog import CodebookDialog

    dialog = CodebookDialog(session, undo_stack, add_tag, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_claims(
    parent: QWidget,
    session: DocumentSession,
    undo_stack: QUndoStack,
    show_annotation: Callable[[AnnotationRecord], None],
) -> ClaimsDialog:
    """The claims review of the whole library, open beside the window; a claim activated in
    it is shown with `show_annotation`."""
    from desktop_app.ui.dialogs.claims_view import ClaimsDialog

    dialog = ClaimsDialog(session, undo_stack, show_annotation, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
