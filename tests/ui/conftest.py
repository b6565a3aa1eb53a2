"""Fixtures that start the real application (window, library, session) offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.ui.shell.application import ClaimmarkApplication

Launcher = Callable[..., ClaimmarkApplication]


@pytest.fixture
def launch(qtbot: QtBot, tmp_path: Path) -> Iterator[Launcher]:
    """Start Claimmark like `desktop-app [FILE] --db PATH` and wait until it is ready.

    Call it again with the same `database` to simulate quitting and starting again.
    """
    started: list[ClaimmarkApplication] = []

    def start(
        file: Path | None = None, database: Path | None = None, settings: Path | None = None
    ) -> ClaimmarkApplication:
        app = ClaimmarkApplication(
            database or tmp_path / "library.db", settings or tmp_path / "settings.ini"
        )
        qtbot.addWidget(app.window)
        with qtbot.waitSignal(app.ready, timeout=10_000):
            app.start(file)
        qtbot.waitExposed(app.window)
        started.append(app)
        return app

    yield start
    for app in started:
        app.window.close()
        app.shutdown()
    QApplication.processEvents()


def quit_app(app: ClaimmarkApplication) -> None:
    """Close the window and release the library, as quitting does."""
    app.window.close()
    app.shutdown()
