"""What every part of the reading controller works through, in one object they share.

The reading controller is split by what each part decides (focus, tagging, notes, what is
shown), but they act on the same reader, side panel, undo stack and status line, and on the
session once one is attached. Holding those here means a part is built with one argument, and
attaching a session reaches every part at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from desktop_app.models.document_session import DocumentSession
    from desktop_app.ui.panels.side_panel import SidePanel
    from desktop_app.ui.reader.article_view import ArticleView


@dataclass(eq=False)
class ReadingContext:
    """The reader, the side panel, the undo stack, the status line, and the session (or None)."""

    reader: ArticleView
    panel: SidePanel
    undo_stack: QUndoStack
    status: Callable[[str], None]
    session: DocumentSession | None = None

    def focus_reader(self) -> None:
        """Give the keyboard back to the article."""
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)
