"""Imports run on a worker thread, with progress and Cancel in the status bar.

Reading a 20 MB file or a folder of articles must never freeze the window. The worker reads
and stores documents through desktop_app.io.import_service, the same service the command line
uses (each document in its own transaction, so a cancelled or failed import leaves nothing
half-written), and hands plain results back to the GUI thread by signal; it never touches a
widget.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from desktop_app.core.change_report import NO_CHANGE, ChangeReport

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from desktop_app.io.import_service import (
        AnnotationsImported,
        ImportOutcome,
        ImportService,
        StoredDocument,
    )
    from desktop_app.storage.library_store import LibraryStore


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """Files to import, or the clipboard's HTML and text."""

    paths: tuple[Path, ...] = ()
    clipboard: tuple[str | None, str | None] | None = None
    version_of: int | None = None

    @property
    def total(self) -> int:
        """How many items the request holds."""
        return len(self.paths) + (1 if self.clipboard is not None else 0)


@dataclass(slots=True)
class ImportReport:
    """What an import did: documents added or found, refusals (one line each), cancellation.

    `changes` names everything the import changed in the library, including what an item
    stored before it failed, for the session to absorb.
    """

    outcomes: list[StoredDocument] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    cancelled: bool = False
    annotations: list[AnnotationsImported] = field(default_factory=list)
    changes: ChangeReport = NO_CHANGE


class ImportWorker(QObject):
    """Imports the items of one request, in order, on the thread it is moved to.

    Signals:
        progress(int, int, str): items done, items in all, the item being read now.
        finished(object): the ImportReport.
    """

    progress = Signal(int, int, str)
    finished = Signal(object)

    def __init__(
        self,
        store: LibraryStore,
        request: ImportRequest,
        cancel: threading.Event,
        size_limit: int,
    ) -> None:
        super().__init__()
        self._store = store
        self._request = request
        self._cancel = cancel
        self._size_limit = size_limit

    @Slot()
    def run(self) -> None:
        """Import everything, stopping between items when cancelled; always report back."""
        from desktop_app.io.import_service import ImportService

        report = ImportReport()
        # The window offers new versions itself (VersionController), so no hint is looked up.
        service = ImportService(self._store, size_limit=self._size_limit, hint_versions=False)
        try:
            self._import_all(service, report)
        finally:
            report.changes = service.changes
            self.progress.emit(self._request.total, self._request.total, "")
            self.finished.emit(report)

    def _import_all(self, service: ImportService, report: ImportReport) -> None:
        request = self._request
        total = request.total
        done = 0
        if request.clipboard is not None:
            self.progress.emit(done, total, "the clipboard")
            try:
                self._collect(report, service.import_clipboard(*request.clipboard))
            except Exception as error:  # a bug or the environment: one line, logged in full
                report.failures.append(_unexpected("the clipboard", error))
            done += 1
        for path in request.paths:
            if self._cancel.is_set():
                report.cancelled = True
                return
            self.progress.emit(done, total, path.name)
            try:
                outcome = service.import_path(
                    path,
                    version_of=request.version_of,
                    # Cancel pressed while this file was read: keep it out of the library.
                    keep_going=lambda: not self._cancel.is_set(),
                )
            except Exception as error:
                report.failures.append(_unexpected(path.name, error))
            else:
                if not self._collect(report, outcome):
                    return
            done += 1

    @staticmethod
    def _collect(report: ImportReport, outcome: ImportOutcome) -> bool:
        """Add one item's outcome to the report; False when it says the import was cancelled."""
        from desktop_app.io.import_service import AnnotationsImported, Cancelled, Refused

        if isinstance(outcome, Cancelled):
            report.cancelled = True
            return False
        if isinstance(outcome, Refused):
            report.failures.append(outcome.message)
        elif isinstance(outcome, AnnotationsImported):
            report.annotations.append(outcome)
        else:
            report.outcomes.append(outcome)
        return True


def _unexpected(name: str, error: Exception) -> str:
    """One line for a failure that is not a refusal (a locked library, a bug); logged fully.

    The library's own errors (locked, full disk, read-only) say what to do; anything else is
    a bug, and its line says where the log with the traceback is.
    """
    from desktop_app.diagnostics import log_path
    from desktop_app.storage.errors import LibraryError

    log.exception("importing %s failed", name)
    reason = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, LibraryError):
        return f"{name}: could not be imported: {reason}"
    return f"{name}: could not be imported ({reason[:200]}); the details are in {log_path()}"


class ImportProgress(QWidget):
    """The status-bar strip shown while an import runs: what is read, how far, and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importProgress")
        self.label = QLabel("")
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop after the file being read now")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

    def show_work(self, what: str, done: int, total: int) -> None:
        """Show other long work (carrying annotations, say) the same way."""
        self.show()
        if total <= 0:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        self.label.setText(f"{what}…")

    def show_progress(self, done: int, total: int, name: str) -> None:
        """Show the current item; a single item shows a busy bar (its progress is unknown)."""
        self.show()
        if total <= 1:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        counter = f"{done + 1} of {total}: " if total > 1 and name else ""
        self.label.setText(f"Importing {counter}{name}…" if name else "Finishing…")


class ImportController(QObject):
    """Runs import requests one after another on a worker thread.

    Signals:
        finished(object): an ImportReport, on the GUI thread, after each request.
    """

    finished = Signal(object)

    def __init__(
        self,
        store: LibraryStore,
        progress: ImportProgress,
        parent: QObject,
        size_limit: int = 20 * 1024 * 1024,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._size_limit = size_limit
        self._progress = progress
        self._queue: list[ImportRequest] = []
        self._thread: QThread | None = None
        self._worker: ImportWorker | None = None
        self._cancel = threading.Event()
        progress.cancel_button.clicked.connect(self.cancel)

    @property
    def busy(self) -> bool:
        """True while a request is being imported."""
        return self._thread is not None

    def import_paths(self, paths: Sequence[Path], version_of: int | None = None) -> None:
        """Import files (in the background); `finished` reports the outcome."""
        self._submit(ImportRequest(paths=tuple(paths), version_of=version_of))

    def import_clipboard(self, html: str | None, text: str | None) -> None:
        """Make a document of the clipboard's contents (HTML preferred)."""
        self._submit(ImportRequest(clipboard=(html, text)))

    def cancel(self) -> None:
        """Stop the running request after its current item; drop queued ones."""
        self._queue.clear()
        self._cancel.set()

    def _submit(self, request: ImportRequest) -> None:
        self._queue.append(request)
        if not self.busy:
            self._start_next()

    def _start_next(self) -> None:
        if not self._queue:
            self._progress.hide()
            return
        request = self._queue.pop(0)
        self._cancel = threading.Event()
        thread = QThread(self)
        worker = ImportWorker(self._store, request, self._cancel, self._size_limit)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self._progress.show_progress)
        worker.finished.connect(self._on_worker_finished)
        worker.finished.connect(thread.quit)
        thread.finished.connect(worker.deleteLater)
        thread.finished.connect(thread.deleteLater)
        self._thread, self._worker = thread, worker
        self._progress.show_progress(0, request.total, "")
        thread.start()

    def _on_worker_finished(self, report: ImportReport) -> None:
        thread = self._thread
        self._thread, self._worker = None, None
        if thread is not None:
            thread.quit()
            thread.wait()
        self.finished.emit(report)
        self._start_next()

    def shutdown(self) -> None:
        """Cancel and wait for the worker (the application is quitting).

        The wait has no time limit: a file being read cannot be interrupted, and closing the
        library under a running worker would crash. Each of its writes is short and atomic, and
        a file read after Cancel is not stored.
        """
        self.cancel()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
