"""Opening the Analysis view on the library: counting the open article at once and the whole
library on a worker thread (about four seconds for 1,000 articles), so the window never stalls.

The worker belongs to this launcher, which lives as long as the main window: closing the view
while the library is being counted drops the result instead of destroying a running thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from desktop_app.core.analysis import Analysis
    from desktop_app.core.analysis_figures import Scope
    from desktop_app.models.document_session import DocumentSession
    from desktop_app.ui.analysis.analysis_view import AnalysisView
    from desktop_app.ui.shell.background import BackgroundTask


class AnalysisLauncher(QObject):
    """Builds the Analysis view for a session and feeds it counts.

    The window makes one at start-up, so this module imports nothing of the view, the charts
    or the counting until Ctrl+Shift+A.
    """

    def __init__(
        self,
        on_error: Callable[[str], object],
        on_exported: Callable[[Path], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_error = on_error
        self._on_exported = on_exported
        self._tasks: list[BackgroundTask] = []
        self.view: AnalysisView | None = None

    def open(self, session: DocumentSession, export_folder: str, parent: QWidget) -> AnalysisView:
        """Show the view: the open article's counts, or the library's when none is open."""
        from desktop_app.ui.analysis.analysis_view import AnalysisView  # charts load on first use

        document = session.document

        def compute(scope: Scope) -> Analysis | None:
            if scope == "document" and document is not None and session.document is not None:
                return session.library.analyse(session.document.id)
            self._count_library(session)
            return None

        view = AnalysisView(
            compute, has_document=document is not None, export_folder=export_folder, parent=parent
        )
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.exported.connect(self._on_exported)
        view.finished.connect(self._forget_view)  # closed: a late library count is dropped
        self.view = view
        view.open()
        return view

    def _forget_view(self) -> None:
        self.view = None

    def _count_library(self, session: DocumentSession) -> None:
        from desktop_app.ui.shell.background import BackgroundTask

        library = session.library
        task = BackgroundTask(lambda _progress: library.analyse(), self)
        task.done.connect(lambda analysis: self._deliver(task, analysis))
        task.failed.connect(lambda error: self._fail(task, error))
        self._tasks.append(task)
        task.start()

    def _deliver(self, task: BackgroundTask, analysis: Analysis) -> None:
        self._finish(task)
        if self.view is not None:
            self.view.show_analysis(analysis, "library")

    def _fail(self, task: BackgroundTask, error: object) -> None:
        self._finish(task)
        self._on_error(f"Could not count the library: {error}")

    def _finish(self, task: BackgroundTask) -> None:
        if task in self._tasks:
            self._tasks.remove(task)
        task.deleteLater()

    def wait(self) -> None:
        """Let counting still under way end (quitting)."""
        for task in list(self._tasks):
            task.wait()
