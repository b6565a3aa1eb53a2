"""The find bar (Ctrl+F): typing searches, Enter selects the next match, Escape closes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindLineEdit(QLineEdit):
    """A line edit that reports Enter, Shift+Enter and Escape instead of handling them."""

    nextRequested = Signal()
    previousRequested = Signal()
    closeRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previousRequested.emit()
            else:
                self.nextRequested.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.closeRequested.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """Search box over the reader.

    Signals:
        searchChanged(str): the query changed (search from the current position).
        nextRequested(): Enter: select the next match.
        previousRequested(): Shift+Enter: select the previous match.
        closed(): Escape or the close button; the selection is kept.
    """

    searchChanged = Signal(str)
    nextRequested = Signal()
    previousRequested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._init_widgets()
        self._init_layout()
        self._connect_signals()
        self.hide()

    def _init_widgets(self) -> None:
        self.field = FindLineEdit()
        self.field.setObjectName("findField")
        self.field.setPlaceholderText("Find in article")
        self.field.setClearButtonEnabled(True)
        self.status = QLabel("")
        self.status.setObjectName("findStatus")
        self.status.setMinimumWidth(90)
        self._close_button = QToolButton()
        self._close_button.setText("✕")
        self._close_button.setToolTip("Close (Escape)")
        self._close_button.setAutoRaise(True)

    def _init_layout(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.status)
        layout.addWidget(self._close_button)

    def _connect_signals(self) -> None:
        self.field.textChanged.connect(self.searchChanged)
        self.field.nextRequested.connect(self.nextRequested)
        self.field.previousRequested.connect(self.previousRequested)
        self.field.closeRequested.connect(self.close_bar)
        self._close_button.clicked.connect(self.close_bar)

    def open_bar(self) -> None:
        """Show the bar with its text selected, ready to type over."""
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def close_bar(self) -> None:
        """Hide the bar; the reader keeps the selected match."""
        self.hide()
        self.closed.emit()

    def show_result(self, index: int | None, total: int) -> None:
        """Show "3 of 12", "No matches" or nothing."""
        if not self.field.text():
            self.status.setText("")
        elif total == 0:
            self.status.setText("No matches")
        else:
            self.status.setText(f"{(index or 0) + 1} of {total}")
