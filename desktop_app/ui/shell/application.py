"""Start-up, imports and opening: the window first, then the library behind it.

The first paint shows the article (read with plain sqlite3, or the sample from resources);
SQLAlchemy, migrations and annotations load right after that paint (see `start`).
Files and clipboard contents are imported on a worker thread (ImportController).

A library that is damaged or locked gets the RecoveryDialog instead of the window's contents;
a library that opens is backed up on a thread of its own, soon after start-up (when it changed
since the last backup) and after each stretch of changes (see storage.backups.BackupPolicy).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from desktop_app.resources import sample_article
from desktop_app.storage.quick_peek import peek_last_document
from desktop_app.ui.shell.main_window import MainWindow
from desktop_app.ui.shell.settings import AppSettings

if TYPE_CHECKING:
    from desktop_app.models.document_session import DocumentSession
    from desktop_app.storage.backups import Backup, BackupPolicy
    from desktop_app.storage.errors import DamagedDatabaseError, LockedDatabaseError
    from desktop_app.storage.library_store import LibraryStore
    from desktop_app.ui.dialogs.recovery_dialog import RecoveryChoice, RecoveryDialog
    from desktop_app.ui.shell.backup_run import BackupRun
    from desktop_app.ui.shell.import_controller import ImportController, ImportReport
    from desktop_app.ui.shell.version_controller import VersionController

log = logging.getLogger(__name__)

# How long start-up waits for the first paint before opening the library all the same.
FIRST_PAINT_WAIT_MS = 500
# The start-up backup waits until the reader has the article and the window is idle.
STARTUP_BACKUP_DELAY_MS = 1500
# How often the window asks the backup policy whether a stretch of changes is complete.
BACKUP_CHECK_MS = 60_000

EMPTY_LIBRARY = (
    "The library is empty. Open an article with Ctrl+O, drop a file on this window, "
    "or paste one with Ctrl+Shift+V."
)


class ClaimmarkApplication(QObject):
    """Owns the window, the library store, the open-document session and the importer.

    Signals:
        painted(): the window's first frame is painted (or FIRST_PAINT_WAIT_MS passed);
            sent just before the library is opened.
        ready(): the library is open and the start document is shown (after importing the
            file named on the command line, if any).
        failed(str): the library could not be opened; the window says why, then closes.
        imported(object): an import finished (its ImportReport), after its document opened.
        recoveryOffered(object): the library is damaged or locked; the RecoveryDialog is open.
        backedUp(object): a backup was made and checked (its storage.backups.Backup).
        backupFailed(str): a backup could not be made; the status bar says why.
    """

    painted = Signal()
    ready = Signal()
    failed = Signal(str)
    imported = Signal(object)
    recoveryOffered = Signal(object)
    backedUp = Signal(object)
    backupFailed = Signal(str)

    def __init__(self, database: Path, settings_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.window = MainWindow(AppSettings(settings_file))
        self.store: LibraryStore | None = None
        self.session: DocumentSession | None = None
        self.imports: ImportController | None = None
        self.versions: VersionController | None = None
        self._starting = False
        self.recovery_dialog: RecoveryDialog | None = None
        self._recovery_note = ""
        self.backup_policy: BackupPolicy | None = None
        self._backup_run: BackupRun | None = None
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(BACKUP_CHECK_MS)
        self._backup_timer.timeout.connect(self.back_up_if_due)
        self._startup_backup = QTimer(self)
        self._startup_backup.setSingleShot(True)
        self._startup_backup.setInterval(STARTUP_BACKUP_DELAY_MS)
        self._startup_backup.timeout.connect(self.back_up_now)
        self._shut_down = False
        self.window.openFilesRequested.connect(self.import_files)
        self.window.pasteRequested.connect(self.import_clipboard)

    def start(self, file: Path | None = None) -> None:
        """Show the window at once, then open the library once the article is on screen.

        Opening the library imports SQLAlchemy and reads every annotation (tenths of a
        second); done on the next event-loop turn it ran before the first paint and held the
        window back. A window that is never painted (minimised at start) still gets its
        library after FIRST_PAINT_WAIT_MS.
        """
        if file is None:
            self._show_preview()
        self.window.show()
        once = _AfterFirstPaint(self.window.reader.viewport(), lambda: self._on_painted(file))
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, once.run)

    def _on_painted(self, file: Path | None) -> None:
        self.painted.emit()
        self.finish_startup(file)

    def _show_preview(self) -> None:
        preview = peek_last_document(self.database)
        if preview is not None:
            self.window.show_preview(preview.title, preview.byline, preview.text, preview.blocks)
        elif not self.database.exists():
            title, source, text = sample_article()
            self.window.show_preview(title, source, text)

    def finish_startup(self, file: Path | None = None) -> None:
        """Open (or create) the library, then the last document, and import `file` if named."""
        self.window.complete()  # the panels, now that the article is on screen
        from desktop_app.models.document_session import DocumentSession
        from desktop_app.storage.backups import library_changed_since_last_backup
        from desktop_app.storage.errors import (
            DamagedDatabaseError,
            LibraryError,
            LockedDatabaseError,
        )
        from desktop_app.storage.library_setup import start_document
        from desktop_app.storage.library_store import LAST_DOCUMENT_KEY
        from desktop_app.ui.shell.import_controller import ImportController
        from desktop_app.ui.shell.version_controller import VersionController

        # Asked before opening, which itself writes (the last document, its reading place).
        changed_since_backup = library_changed_since_last_backup(self.database)
        try:
            store = self._open_library()
        except (DamagedDatabaseError, LockedDatabaseError) as error:
            self._offer_recovery(error, file)
            return
        except LibraryError as error:
            self._give_up(str(error))
            return
        self.store = store
        self.session = DocumentSession(store, self)
        limit = int(self.window.settings.import_limit_mb * 1024 * 1024)
        self.imports = ImportController(store, self.window.import_progress, self, limit)
        self.imports.finished.connect(self.on_import_finished)
        self.versions = VersionController(self.window, self.session)
        if file is None or (store.setting(LAST_DOCUMENT_KEY) is not None and store.documents()):
            # The preview's text, if it is this document's, is not read a second time.
            shown = self.window.reader.text or None
            self.session.open_document(start_document(store), known_text=shown)
        self.window.attach_session(self.session)
        if self.session.document is None:
            self.window.show_placeholder(EMPTY_LIBRARY)
        if self._recovery_note:
            self.window.show_status(self._recovery_note)
            self._recovery_note = ""
        self._schedule_backups(store, changed_since_backup)
        if file is None:
            self.ready.emit()
            return
        self._starting = True
        self.imports.import_paths([file])

    def _open_library(self) -> LibraryStore:
        """Open and prepare the library; damage past its first pages shows up while preparing
        (its first real reads), so that reading is explained like the opening."""
        from desktop_app.storage.database import database_errors_explained
        from desktop_app.storage.library_setup import prepare_library
        from desktop_app.storage.library_store import LibraryStore

        store = LibraryStore.open(self.database)
        try:
            with database_errors_explained(self.database):
                prepare_library(store)
        except BaseException:
            store.close()
            raise
        return store

    def _give_up(self, message: str) -> None:
        """Say why the library cannot be used, then end the program once the box is closed."""
        box = self.window.show_error(message)
        box.finished.connect(lambda _code: QApplication.exit(1))
        self.failed.emit(message)

    # -- recovery ------------------------------------------------------------------------------

    def _offer_recovery(
        self, error: DamagedDatabaseError | LockedDatabaseError, file: Path | None
    ) -> None:
        """Ask what to do about a damaged or locked library; nothing is touched until asked."""
        from desktop_app.storage.backups import newest_good_backup
        from desktop_app.storage.errors import LockedDatabaseError
        from desktop_app.ui.dialogs.recovery_dialog import RecoveryDialog

        locked = isinstance(error, LockedDatabaseError)
        # Checking backups reads them whole, but only now that something has already failed.
        backup = None if locked else newest_good_backup(self.database)
        dialog = RecoveryDialog(
            str(error),
            backup_label=None if backup is None else backup.label(),
            locked=locked,
            parent=self.window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(
            lambda _code: self.on_recovery_chosen(dialog.choice, backup, str(error), file)
        )
        self.recovery_dialog = dialog
        dialog.open()
        self.recoveryOffered.emit(dialog)

    def on_recovery_chosen(
        self, choice: RecoveryChoice, backup: Backup | None, reason: str, file: Path | None
    ) -> None:
        """Do what the RecoveryDialog's reader chose, then carry on starting (or quit).

        The broken file is only ever renamed aside, never deleted or written over.
        """
        from desktop_app.storage.backups import restore_backup, start_new_library
        from desktop_app.storage.errors import BackupError
        from desktop_app.ui.dialogs.recovery_dialog import RecoveryChoice

        self.recovery_dialog = None
        if choice is RecoveryChoice.QUIT:
            self.failed.emit(reason)
            QApplication.exit(1)
            return
        try:
            if choice is RecoveryChoice.RESTORE and backup is not None:
                aside = restore_backup(backup, self.database)
                note = f"Restored the backup of {backup.label()}."
            elif choice is RecoveryChoice.START_NEW:
                aside = start_new_library(self.database)
                note = "Started a new library."
            else:
                aside, note = None, ""
        except BackupError as error:
            self._give_up(str(error))
            return
        if aside is not None:
            note += f" The damaged file was kept as {aside}."
        self._recovery_note = note.strip()
        self.finish_startup(file)

    # -- backups -------------------------------------------------------------------------------

    def _schedule_backups(self, store: LibraryStore, changed_since_backup: bool) -> None:
        """Count the library's commits, check for a due backup now and then, and make one soon
        after start-up when the library changed since its newest backup."""
        from desktop_app.storage.backups import BackupPolicy

        if self.backup_policy is None:
            self.backup_policy = BackupPolicy(
                changes_between=self.window.settings.changes_between_backups
            )
        self.backup_policy.attach(store.engine)
        self._backup_timer.start()
        if changed_since_backup:
            self._startup_backup.start()

    def back_up_if_due(self) -> None:
        """Make a backup when the policy says a stretch of changes is complete."""
        if self.backup_policy is not None and self.backup_policy.due():
            self.back_up_now()

    def back_up_now(self) -> bool:
        """Start a backup on its own thread; False when one is already running (or quitting)."""
        if self._backup_run is not None or self.store is None or self._shut_down:
            return False
        from desktop_app.ui.shell.backup_run import BackupRun

        run = BackupRun(self.database, self.window.settings.backups_kept, self)
        run.succeeded.connect(self.on_backup_made)
        run.failed.connect(self.on_backup_failed)
        run.finished.connect(run.deleteLater)
        self._backup_run = run
        run.start()
        return True

    def on_backup_made(self, backup: Backup) -> None:
        """A backup was made and checked: the next stretch of changes starts now."""
        self._backup_run = None
        if self.backup_policy is not None:
            self.backup_policy.backed_up()
        self.backedUp.emit(backup)

    def on_backup_failed(self, message: str) -> None:
        """Say so in the status bar; the earlier backups are still there."""
        self._backup_run = None
        log.warning("backup failed: %s", message)
        self.window.show_status(f"Backup failed: {message}")
        self.backupFailed.emit(message)

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
        self.session.absorb(report.changes)
        touched = [i for outcome in report.annotations for i in outcome.document_ids]
        if report.outcomes:
            self._open_first_remaining([o.document_id for o in report.outcomes])
        elif touched:
            self._open_first_remaining(touched)
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
        self._shut_down = True
        self._backup_timer.stop()
        self._startup_backup.stop()
        if self._backup_run is not None:
            # A backup only reads the library; it ends on its own, usually in milliseconds.
            self._backup_run.wait()
        if self.imports is not None:
            self.imports.shutdown()
        if self.versions is not None:
            self.versions.shutdown()
        if self.window.completed:
            self.window.analysis.wait()
        if self.store is not None:
            self.store.close()


class _AfterFirstPaint(QObject):
    """Calls `action` once, on the turn of the event loop after `widget` is first painted
    (the frame is then on its way to the screen), or when `run` is called first."""

    def __init__(self, widget: QObject, action: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._action: Callable[[], None] | None = action
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self.run)
        return False

    def run(self) -> None:
        """Do the action, if it has not been done yet."""
        action, self._action = self._action, None
        if action is not None:
            self._widget.removeEventFilter(self)
            action()
