"""The dialog shown for an unexpected error: what happened, that work is safe, where the log is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app import APP_NAME

_open_boxes: set[QMessageBox] = set()


def show_unexpected_error(summary: str, details: str, log_file: Path) -> None:
    """Tell the user about a bug without losing the window (non-blocking, details on demand)."""
    parent: QWidget | None = QApplication.activeWindow()
    box = QMessageBox(parent)
    box.setObjectName("unexpectedErrorBox")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(f"{APP_NAME}: something went wrong")
    box.setText(f"Something went wrong: {summary}")
    box.setInformativeText(
        "Your annotations are safe: every change was saved when you made it. "
        f"The details are in the log file:\n{log_file}"
    )
    box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # Without a parent window Python owns the box: keep it alive until it is closed.
    _open_boxes.add(box)
    box.finished.connect(lambda _result: _open_boxes.discard(box))
    box.open()
