"""Starting the real window in this process (offscreen) and waiting for paint, for benchmarks.

The window benchmarks measure what a user waits for: the call, then the event loop running
until nothing is pending, then a forced synchronous repaint of the whole window. That is the
moment the new state is painted and the window answers input again.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.ui.shell.application import ClaimmarkApplication


def qt_app() -> QApplication:
    """The process's QApplication (created offscreen-agnostic: `make bench` sets the platform)."""
    existing = QApplication.instance()
    return existing if isinstance(existing, QApplication) else QApplication(["bench"])


def settle(window: QWidget) -> None:
    """Run pending events, then repaint the window synchronously: painted and interactive.

    `processEvents` outside `exec()` never runs deferred deletions, which the real event loop
    does: without them every replaced 2 MB document stayed alive and went on laying itself out
    in the background, and each run of a benchmark was slower than the one before.
    """
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    window.repaint()


def start_app(database: Path, settings: Path, timeout: float = 60.0) -> ClaimmarkApplication:
    """Start Claimmark on `database` as `desktop-app --db` does and wait until it is ready."""
    qt_app()
    app = ClaimmarkApplication(database, settings)
    ready: list[bool] = []
    failures: list[str] = []
    app.ready.connect(lambda: ready.append(True))
    app.failed.connect(failures.append)
    app.start()
    began = time.perf_counter()
    while not ready:
        if failures:
            raise RuntimeError(f"Claimmark could not open the library: {failures[0]}")
        if time.perf_counter() - began > timeout:
            raise RuntimeError("Claimmark did not become ready")
        QApplication.processEvents()
    settle(app.window)
    return app


def stop_app(app: ClaimmarkApplication) -> None:
    """Close the window and release the library, as quitting does."""
    app.window.close()
    app.shutdown()
    QApplication.processEvents()
