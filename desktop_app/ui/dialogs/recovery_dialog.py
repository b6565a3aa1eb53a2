"""What to do when the library file cannot be opened: restore a backup, start anew, or quit.

The dialog only asks; ClaimmarkApplication does what was chosen (through the Qt-free
desktop_app.storage.backups), so the choice can be tested apart from the file work. It opens
window-modal with open(), never exec(), so the event loop (and a test) keeps running.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app import APP_NAME


class RecoveryChoice(Enum):
    """The ways out of a library that cannot be opened."""

    RESTORE = "restore"
    START_NEW = "start-new"
    RETRY = "retry"
    QUIT = "quit"


class RecoveryDialog(QDialog):
    """Explains why the library cannot be opened and offers the ways out that fit.

    A damaged file gets "Restore the newest backup (<date>)" when there is a good backup, and
    "Start a new library"; a locked one gets "Try again" instead, since the file is sound and
    only in use. Both get "Quit". Closing the dialog (Escape, the title bar) means Quit: the
    safe choice that changes nothing.

    The chosen RecoveryChoice is `choice` once `finished` has been emitted.
    """

    def __init__(
        self,
        message: str,
        *,
        backup_label: str | None,
        locked: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle(f"{APP_NAME}: the library cannot be opened")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.choice = RecoveryChoice.QUIT
        self._init_widgets(message, backup_label, locked)
        self._init_layout()
        self._connect_signals()
        first = next(iter(self.buttons.values()))
        first.setDefault(True)
        first.setFocus()

    def _init_widgets(self, message: str, backup_label: str | None, locked: bool) -> None:
        self._message = QLabel(message + "\n\n" + self._advice(backup_label, locked), self)
        self._message.setObjectName("recoveryMessage")
        self._message.setWordWrap(True)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[RecoveryChoice, QPushButton] = {}
        if locked:
            self._add_button(RecoveryChoice.RETRY, "&Try again", "retryButton")
        else:
            if backup_label is not None:
                self._add_button(
                    RecoveryChoice.RESTORE,
                    f"&Restore the newest backup ({backup_label})",
                    "restoreButton",
                )
            self._add_button(RecoveryChoice.START_NEW, "Start a &new library", "newButton")
        self._add_button(RecoveryChoice.QUIT, "&Quit", "quitButton")

    def _init_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self._message)
        for button in self.buttons.values():
            layout.addWidget(button)

    def _connect_signals(self) -> None:
        for choice, button in self.buttons.items():
            self._connect_choice(button, choice)

    def _connect_choice(self, button: QPushButton, choice: RecoveryChoice) -> None:
        # A closure of its own per button: clicked(bool) would fill a default argument.
        button.clicked.connect(lambda: self.choose(choice))

    @staticmethod
    def _advice(backup_label: str | None, locked: bool) -> str:
        if locked:
            return "Close the other program, then try again."
        kept = "The damaged file is kept beside the library under a new name, never deleted."
        if backup_label is None:
            return f"No good backup was found. {kept}"
        return f"The newest good backup is from {backup_label}. {kept}"

    def _add_button(self, choice: RecoveryChoice, text: str, name: str) -> None:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        self.buttons[choice] = button

    def choose(self, choice: RecoveryChoice) -> None:
        """Record `choice` and close (what each button does)."""
        self.choice = choice
        if choice is RecoveryChoice.QUIT:
            super().reject()
        else:
            self.accept()

    def reject(self) -> None:
        """Escape or the close button: Quit, which changes nothing."""
        self.choice = RecoveryChoice.QUIT
        super().reject()
