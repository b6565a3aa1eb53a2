"""Start-up and file opening: the window first, then the library behind it.

The first paint shows the article (read with plain sqlite3, or the sample from resources);
SQLAlchemy, migrations and annotations load right after, on the next turn of the event loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from desktop_app.resources import sample_article
from desktop_app.storage.quick_peek import peek_last_document
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import AppSettings

if TYPE_CHECKING:
    from desktop_app.models.document_session import DocumentSession
    from desktop_app.storage.library_store import LibraryStore


class ClaimmarkApplication(QObject):
    """Owns the window, the library store and the open-document session.

    Signals:
        ready(): the library is open and the window is interactive.
        failed(str): the library could not be opened; the window says why, then closes.
    """

    ready = Signal()
    failed = Signal(str)

    def __init__(self, database: Path, settings_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.window = MainWindow(AppSettings(settings_file))
        self.store: LibraryStore | None = None
        self.session: DocumentSession | None = None
        self.window.openFileRequested.connect(self.on_open_file_requested)

    def start(self, file: Path | None = None) -> None:
        """Show the window at once, then open the library on the next event-loop turn."""
        if file is None:
            self._show_preview()
        self.window.show()
        QTimer.singleShot(0, lambda: self.finish_startup(file))

    def _show_preview(self) -> None:
        preview = peek_last_document(self.database)
        if preview is not None:
            self.window.show_preview(preview.title, preview.byline, preview.text, preview.blocks)
        elif not self.database.exists():
            self.window.show_preview(*sample_article())

    def finish_startup(self, file: Path | None = None) -> None:
        """Open (or create) the library, then the named file or the last document."""
        from desktop_app.models.document_session import DocumentSession
        from desktop_app.storage.errors import LibraryError
        from desktop_app.storage.library_setup import prepare_library, start_document
        from desktop_app.storage.library_store import LibraryStore

        try:
            store = LibraryStore.open(self.database)
            prepare_library(store)
        except LibraryError as error:
            box = self.window.show_error(str(error))
            box.finished.connect(lambda _code: QApplication.exit(1))
            self.failed.emit(str(error))
            return
        self.store = store
        self.session = DocumentSession(store, self)
        document_id = self._import(file) if file is not None else None
        self.session.open_document(document_id or start_document(store))
        self.window.attach_session(self.session)
        self.ready.emit()

    def _import(self, path: Path) -> int | None:
        """Import `path` (or find it in the library); on refusal, say why and return None."""
        from desktop_app.io.imported import ImportRefused
        from desktop_app.io.library_transfer import import_file

        assert self.store is not None
        try:
            return import_file(self.store, path).document_id
        except ImportRefused as refusal:
            self.window.show_error(str(refusal))
            return None

    def on_open_file_requested(self, path: str) -> None:
        """File › Open…: import the file and show it; a refused file leaves everything as it was."""
        if self.session is None:
            return
        self.window.side_panel.note_editor.flush()
        document_id = self._import(Path(path))
        if document_id is not None:
            self.session.open_document(document_id)

    def shutdown(self) -> None:
        """Release the library file (called after the event loop ends)."""
        if self.store is not None:
            self.store.close()
