"""How the window tells the reader what happens: in the status bar, short messages that go by
themselves, the annotation count at the right and, left of it, a progress strip for each kind
of background work (imports, carrying annotations to a new version); a problem in a box.

The bar has its final height in the first frame, so the article does not move when a strip
appears; the strips themselves are built only when first asked for, after the first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QStatusBar, QToolButton, QWidget

from desktop_app import APP_NAME

if TYPE_CHECKING:
    from desktop_app.ui.shell.import_controller import ImportProgress

STATUS_MS = 6000  # how long a status-bar message stays


class WindowStatus:
    """The window's status bar: messages, the annotation count and the progress strips."""

    def __init__(self, bar: QStatusBar) -> None:
        self._bar = bar
        self.count_label = QLabel("")
        # As tall as the progress strips' Cancel button: the status bar then has its final
        # height in the first frame, and the article does not move up 5 px when the import
        # strip is added as the library opens.
        self.count_label.setMinimumHeight(QToolButton().sizeHint().height())
        bar.addPermanentWidget(self.count_label)
        self._import_progress: ImportProgress | None = None
        self._carry_progress: ImportProgress | None = None

    def show_message(self, message: str, duration_ms: int = STATUS_MS) -> None:
        """A message that goes by itself after `duration_ms`."""
        self._bar.showMessage(message, duration_ms)

    def show_count(self, count: int) -> None:
        """The open article's number of annotations."""
        self.count_label.setText(f"{count} annotation{'s' if count != 1 else ''}")

    @property
    def import_progress(self) -> ImportProgress:
        """The strip of imports, left of the annotation count."""
        if self._import_progress is None:
            self._import_progress = self._progress_strip(0)
        return self._import_progress

    @property
    def carry_progress(self) -> ImportProgress:
        """The strip of carrying annotations to a new version, right of the import strip (one
        Cancel must never stop the other job)."""
        if self._carry_progress is None:
            self._carry_progress = self._progress_strip(0 if self._import_progress is None else 1)
        return self._carry_progress

    def _progress_strip(self, index: int) -> ImportProgress:
        from desktop_app.ui.shell.import_controller import ImportProgress

        strip = ImportProgress()
        self._bar.insertPermanentWidget(index, strip)
        return strip


def open_error_box(parent: QWidget, message: str) -> QMessageBox:
    """A problem in the reader's environment or input (a file unreadable, a disk full), in one
    line. The box is window-modal but does not block the event loop, so work already committed
    keeps flowing (and tests can close it)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, APP_NAME, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
