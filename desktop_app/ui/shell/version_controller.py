"""New versions of an article: noticing them on import, and carrying annotations across.

When an imported article has the canonical URL or the title of one in the library, the reader
is asked whether it is a new version. If so, the annotations of the latest version are
re-anchored onto it in the background; the ones that could not be placed with confidence wait
in the review list of the side panel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from desktop_app.core.bylines import readable_date
from desktop_app.ui.shell.background import BackgroundTask

if TYPE_CHECKING:
    from desktop_app.models.document_session import DocumentSession
    from desktop_app.storage.version_carrying import CarryReport, Progress
    from desktop_app.ui.shell.main_window import MainWindow


class VersionController(QObject):
    """Asks about new versions and runs the carrying of annotations.

    Signals:
        carried(object): a CarryReport, once the annotations are stored on the new version.
    """

    carried = Signal(object)

    def __init__(self, window: MainWindow, session: DocumentSession) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._task: BackgroundTask | None = None

    def offer(self, document_id: int) -> bool:
        """If `document_id` looks like a new version of an article, ask; True if carrying."""
        library = self._session.library
        document = library.document(document_id)
        candidates = [
            d
            for d in library.version_candidates(document.canonical_url, document.title)
            if d.id != document_id and d.version_group != document.id
        ]
        if not candidates:
            return False
        previous = candidates[-1]
        when = readable_date(previous.imported_at.date().isoformat())
        answer = QMessageBox.question(
            self._window,
            "New version?",
            f"“{document.title}” looks like a new version of “{previous.title}” "
            f"(imported {when}, {previous.annotation_count} annotations). Make it version "
            f"{previous.version_number + 1} and carry the annotations over?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.carry(previous.id, document_id)
        return True

    def carry(self, previous_id: int, new_id: int) -> None:
        """Re-anchor `previous_id`'s annotations onto `new_id` in the background."""
        library = self._session.library
        progress = self._window.carry_progress

        def work(report_progress: Progress) -> CarryReport:
            return library.carry_annotations(previous_id, new_id, report_progress)

        task = BackgroundTask(work, self)
        task.progress.connect(
            lambda done, total: progress.show_work("Carrying annotations", done, total)
        )
        task.done.connect(self._on_carried)
        task.failed.connect(self._on_failed)
        progress.cancel_button.clicked.connect(task.cancel)
        self._task = task
        progress.show_work("Carrying annotations", 0, 0)
        task.start()

    def _on_carried(self, report: CarryReport) -> None:
        self._finish()
        self._session.absorb(report.changes)
        self._window.show_status(report.summary())
        self.carried.emit(report)

    def _on_failed(self, error: object) -> None:
        from desktop_app.core.reanchor import Cancelled
        from desktop_app.storage.errors import NotFoundError

        self._finish()
        if isinstance(error, Cancelled):
            self._window.show_status("Carrying cancelled: the new version kept no annotations.")
            return
        if isinstance(error, NotFoundError):
            self._window.show_status(
                "A version was deleted while its annotations were being carried: none were."
            )
            return
        raise error if isinstance(error, BaseException) else RuntimeError(error)

    def _finish(self) -> None:
        self._window.carry_progress.hide()
        if self._task is not None:
            self._window.carry_progress.cancel_button.clicked.disconnect(self._task.cancel)
            self._task.deleteLater()
            self._task = None

    def shutdown(self) -> None:
        """Stop carrying (the application is quitting); nothing half-stored remains."""
        if self._task is not None:
            self._task.cancel()
            self._task.wait()
