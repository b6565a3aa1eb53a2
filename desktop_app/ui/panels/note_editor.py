"""The note editor of the side panel: saves as the reader types, never on the wrong annotation."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

NOTE_SAVE_DELAY_MS = 400


class NoteEditor(QPlainTextEdit):
    """The note of one annotation. Edits are saved after a pause in typing and whenever the
    editor is left or given another note, always for the annotation they were typed on.

    Signals:
        noteEdited(int, str): annotation id and its note text, to be saved.
        editingFinished(): Escape, Ctrl+Enter, or focus moved away.
    """

    noteEdited = Signal(int, str)
    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteEditor")
        self.setPlaceholderText("Select an annotation to write a note on it.")
        self.setTabChangesFocus(True)
        self._annotation_id: int | None = None
        self._dirty = False
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._on_text_changed)
        self.load(None, None)

    @property
    def annotation_id(self) -> int | None:
        """The annotation whose note is shown, or None."""
        return self._annotation_id

    def load(self, annotation_id: int | None, text: str | None) -> None:
        """Show an annotation's note (None: none selected, editor disabled).

        A pending edit of the note shown before is saved first, for that annotation. When the
        same note is reloaded (undo while editing), the caret stays where it was.
        """
        self.flush()
        same = annotation_id is not None and annotation_id == self._annotation_id
        caret = self.textCursor().position()
        self._loading = True
        try:
            self._annotation_id = annotation_id
            if text != self.toPlainText():
                self.setPlainText(text or "")
                if same:
                    cursor = self.textCursor()
                    cursor.setPosition(min(caret, len(self.toPlainText())))
                    self.setTextCursor(cursor)
                else:
                    self.moveCursor(QTextCursor.MoveOperation.End)
            self.setEnabled(annotation_id is not None)
        finally:
            self._loading = False
        self._dirty = False

    def _on_text_changed(self) -> None:
        if not self._loading:
            self._dirty = True
            self._timer.start()

    def flush(self) -> None:
        """Save the pending edit now, if there is one."""
        self._timer.stop()
        if self._dirty and self._annotation_id is not None:
            self._dirty = False
            self.noteEdited.emit(self._annotation_id, self.toPlainText())

    def event(self, event: QEvent) -> bool:
        # Ctrl+Z with nothing left to undo in the note goes to the window's undo, as a reader
        # expects after pressing N right after tagging; likewise Ctrl+Shift+Z for redo.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            document = self.document()
            undo = event.matches(QKeySequence.StandardKey.Undo)
            redo = event.matches(QKeySequence.StandardKey.Redo)
            if (undo and not document.isUndoAvailable()) or (
                redo and not document.isRedoAvailable()
            ):
                event.ignore()
                return False
        return super().event(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        self.editingFinished.emit()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape or (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.flush()
            self.editingFinished.emit()
            self.clearFocus()
            return
        super().keyPressEvent(event)
