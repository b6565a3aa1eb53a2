"""Start-up, imports and opening: the window first, then the library behind it.

The first paint shows the article (read with plain sqlite3, or the sample from resources);
SQLAlchemy, migrations and annotations load right after, on the next turn of the event loop.
Files and clipboard contents are imported on a worker thread (ImportController).
"""

from __future__ import annotations

from collections.abc import Sequence
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
    from desktop_app.ui.import_controller import ImportController, ImportReport
    from desktop_app.ui.version_controller import VersionController

EMPTY_LIBRARY = (
    "The library is empty. Open an article with Ctrl+O, drop a file on this window, "
    "or paste one with Ctrl+Shift+V."
)


class ClaimmarkApplication(QObject):
    """Owns the window, the library store, the open-document session and the importer.

    Signals:
        ready(): the library is open and the start document is shown (after importing the
            file named on the command line, if any).
        failed(str): the library could not be opened; the window says why, then closes.
        imported(object): an import finished (its ImportReport), after its document opened.
    """

    ready = Signal()
    failed = Signal(str)
    imported = Signal(object)

    def __init__(self, database: Path, settings_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.window = MainWindow(AppSettings(settings_file))
        self.store: LibraryStore | None = None
        self.session: DocumentSession | None = None
        self.imports: ImportController | None = None
        self.versions: VersionController | None = None
        self._starting = False
        self.window.openFilesRequested.connect(self.import_files)
        self.window.pasteRequested.connect(self.import_clipboard)

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
            title, source, text = sample_article()
            self.window.show_preview(title, source, text)

    def finish_startup(self, file: Path | None = None) -> None:
        """Open (or create) the library, then the last document, and import `file` if named."""
        from desktop_app.models.document_session import DocumentSession
        from desktop_app.storage.errors import LibraryError
        from desktop_app.storage.library_setup import prepare_library, start_document
        from desktop_app.storage.library_store import LAST_DOCUMENT_KEY, LibraryStore
        from desktop_app.ui.import_controller import ImportController
        from desktop_app.ui.version_controller import VersionController

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
        limit = int(self.window.settings.import_limit_mb * 1024 * 1024)
        self.imports = ImportController(store, self.window.import_progress, self, limit)
        self.imports.finished.connect(self.on_import_finished)
        self.versions = VersionController(self.window, self.session)
        if file is None or (store.setting(LAST_DOCUMENT_KEY) is not None and store.documents()):
            self.session.open_document(start_document(store))
        self.window.attach_session(self.session)
        if self.session.document is None:
            self.window.show_placeholder(EMPTY_LIBRARY)
        if file is None:
            self.ready.emit()
            return
        self._starting = True
        self.imports.import_paths([file])

    # -- imports -------------------------------------------------------------------------------

    def import_files(self, paths: Sequence[str]) -> None:
        """File › Open…, a drop, or the command line: import in the background, then open."""
        if self.imports is None:
            return
        self.window.side_panel.note_editor.flush()
        self.imports.import_paths([Path(p) for p in paths])

    def import_clipboard(self, html: str | None, text: str | None) -> None:
        """Ctrl+Shift+V: a new document from the clipboard."""
        if self.imports is not None:
            self.imports.import_clipboard(html, text)

    def on_import_finished(self, report: ImportReport) -> None:
        """Open what was imported; explain what was refused, one line a file."""
        assert self.session is not None
        added = [o for o in report.outcomes if not o.already_present]
        if report.annotations:
            # Annotations (and maybe tags and documents) arrived: show them where they belong.
            self.session.reload_codebook()
            touched = [i for outcome in report.annotations for i in outcome.document_ids]
            if not report.outcomes and touched:
                self._open_first_remaining(touched)
            else:
                self.session.reload_annotations_of_open_document()
            self.session.libraryChanged.emit()
        if report.outcomes:
            self.session.libraryChanged.emit()
            self._open_first_remaining([o.document_id for o in report.outcomes])
        if report.failures:
            header = (
                f"{len(report.failures)} of {len(report.failures) + len(report.outcomes)} "
                "files could not be imported:\n"
                if len(report.failures) + len(report.outcomes) > 1
                else ""
            )
            self.window.show_error(header + "\n".join(report.failures))
        if report.annotations:
            lines = [o.summary for o in report.annotations]
            notes = [n for o in report.annotations for n in o.notes]
            self.window.show_status("Annotations: " + "; ".join(lines))
            if notes:
                self.window.show_error("\n".join(["Some annotations were not imported:", *notes]))
        if report.cancelled:
            self.window.show_status(f"Import cancelled; {len(added)} imported before that.")
        elif added:
            notes = [note for outcome in added for note in outcome.notes]
            count = f"Imported {len(added)} document{'s' if len(added) != 1 else ''}."
            self.window.show_status(" ".join([count, *notes[:1]]))
        elif report.outcomes:
            self.window.show_status("Already in the library: opened it.")
        if self.session.document is None and self._starting and self.store is not None:
            # The file named at start-up was refused: fall back to what a plain start opens.
            from desktop_app.storage.library_setup import start_document

            self.session.open_document(start_document(self.store))
            self.session.libraryChanged.emit()
        if self.session.document is None:
            self.window.show_placeholder(EMPTY_LIBRARY)
        if len(added) == 1 and not report.failures and self.versions is not None:
            self.versions.offer(added[0].document_id)
        self.imported.emit(report)
        if self._starting:
            self._starting = False
            self.ready.emit()

    def _open_first_remaining(self, document_ids: Sequence[int]) -> None:
        """Open the first imported document still in the library (one may have been deleted
        while the rest were read)."""
        from desktop_app.storage.errors import NotFoundError

        assert self.session is not None
        for document_id in document_ids:
            try:
                self.session.open_document(document_id)
            except NotFoundError:
                continue
            return

    def shutdown(self) -> None:
        """Stop imports and release the library file (called after the event loop ends)."""
        if self.imports is not None:
            self.imports.shutdown()
        if self.versions is not None:
            self.versions.shutdown()
        self.window.analysis.wait()
        if self.store is not None:
            self.store.close()
