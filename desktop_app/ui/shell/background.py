"""One small helper for slow work off the GUI thread (re-anchoring, say).

The work is a plain function that gets a `progress(done, total) -> bool` callback (False means
the user cancelled); its result or its exception comes back to the GUI thread by signal. The
function must not touch widgets; it may use the library store, whose methods each open their
own session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

Work = Callable[[Callable[[int, int], bool]], Any]


class _Worker(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work, cancel: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._cancel = cancel

    def _progress(self, done: int, total: int) -> bool:
        self.progress.emit(done, total)
        return not self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except Exception as error:  # handed to the GUI thread, which decides what it means
            self.failed.emit(error)
            return
        self.done.emit(result)


class BackgroundTask(QObject):
    """Runs one function on its own thread.

    Signals:
        progress(int, int): done and total, as the function reports them.
        done(object): the function's result (GUI thread).
        failed(object): the exception it raised (GUI thread).
    """

    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._thread = QThread(self)
        self._worker = _Worker(work, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        # Slots of this object (which lives on the GUI thread), so the connections are queued:
        # a plain function would run on the worker thread and wait for itself to finish.
        self._worker.progress.connect(self._on_progress)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progress.emit(done, total)

    @Slot(object)
    def _on_done(self, value: object) -> None:
        self._stop_thread()
        self.done.emit(value)

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self._stop_thread()
        self.failed.emit(error)

    def _stop_thread(self) -> None:
        self._thread.quit()
        self._thread.wait()
        self._worker.deleteLater()

    def start(self) -> None:
        """Begin the work."""
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._cancel.set()

    def wait(self, milliseconds: int = 10_000) -> None:
        """Block until the thread has ended (used when quitting)."""
        self._thread.wait(milliseconds)
