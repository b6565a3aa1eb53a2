"""Logs and unexpected errors: the log rotates, and a bug shows a dialog, not a vanished window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop_app import diagnostics
from desktop_app.ui.dialogs.error_dialog import show_unexpected_error


@pytest.fixture
def restore_hook():
    saved = sys.excepthook
    yield
    sys.excepthook = saved
    logger = logging.getLogger("desktop_app")
    for handler in list(logger.handlers):
        if getattr(handler, "claimmark", False):
            logger.removeHandler(handler)
            handler.close()


def test_the_log_goes_to_the_user_log_folder_and_rotates(tmp_path: Path, restore_hook) -> None:
    path = diagnostics.start_logging(tmp_path / "logs" / "claimmark.log")
    logger = logging.getLogger("desktop_app.test")
    for number in range(4000):
        logger.info("line %d %s", number, "x" * 400)
    files = sorted(p.name for p in path.parent.iterdir())
    assert files[0] == "claimmark.log" and "claimmark.log.1" in files
    assert len(files) <= 1 + diagnostics.LOG_BACKUPS
    assert all(p.stat().st_size <= diagnostics.LOG_BYTES + 1000 for p in path.parent.iterdir())


def test_default_log_path_follows_the_platform(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert diagnostics.log_path().is_relative_to(tmp_path / "state")


def test_an_unwritable_log_folder_does_not_stop_the_program(tmp_path: Path, restore_hook) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be")
    path = diagnostics.start_logging(blocker / "claimmark.log")
    logging.getLogger("desktop_app").info("still running")
    assert not path.exists()


def test_an_unexpected_error_is_logged_with_its_traceback_and_shown(
    qtbot, tmp_path: Path, restore_hook
) -> None:
    path = diagnostics.start_logging(tmp_path / "claimmark.log")
    diagnostics.install_excepthook(show_unexpected_error, path)
    try:
        raise RuntimeError("the reader exploded")
    except RuntimeError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    box = next(w for w in qtbot_widgets() if w.objectName() == "unexpectedErrorBox")
    qtbot.addWidget(box)
    assert "RuntimeError: the reader exploded" in box.text()
    assert str(path) in box.informativeText() and "safe" in box.informativeText()
    assert "Traceback" in box.detailedText()
    logged = path.read_text(encoding="utf-8")
    assert "unexpected error" in logged and "the reader exploded" in logged
    assert "Traceback (most recent call last)" in logged


def qtbot_widgets() -> list[QMessageBox]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
