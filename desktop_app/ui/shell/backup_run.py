"""A backup of the library on a thread of its own (see storage.backups for the copy itself).

Imported when the first backup starts, not with the window: QThread is one more Qt class for
start-up to build.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

log = logging.getLogger(__name__)


class BackupRun(QThread):
    """One backup on a thread of its own, ending when the backup ends.

    Not BackgroundTask: this thread runs no event loop, so waiting for it while quitting
    (when the GUI thread no longer delivers signals) returns as soon as the copy is done. Its
    sqlite3 connections are made in run(), on the thread that uses them.

    Signals:
        succeeded(object): the Backup made (queued to the GUI thread).
        failed(str): why no backup was made.
    """

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, library: Path, keep: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._keep = keep

    def run(self) -> None:
        from desktop_app.storage.backups import make_backup
        from desktop_app.storage.errors import BackupError

        try:
            backup = make_backup(self._library, self._keep)
        except BackupError as error:
            self.failed.emit(str(error))
            return
        except Exception as error:  # a bug: logged with its traceback, the window carries on
            log.exception("unexpected error while backing up %s", self._library)
            self.failed.emit(f"unexpected error ({error}); see the log")
            return
        self.succeeded.emit(backup)
