"""Real input for GUI tests: mouse drags and clicks on the reader at code-point offsets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from desktop_app.ui.reader.article_view import ArticleView


def point_of(view: ArticleView, offset: int) -> QPoint:
    """Viewport point on the left edge of the character at code-point `offset`."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.positions.to_qt(offset))
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())


def _send(view: ArticleView, kind: QEvent.Type, point: QPoint, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    local = QPointF(point)
    global_point = QPointF(view.viewport().mapToGlobal(point))
    event = QMouseEvent(kind, local, global_point, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def drag_select(view: ArticleView, start: int, end: int) -> None:
    """Press at `start`, move to `end`, release: a real mouse selection of `[start, end)`."""
    begin, finish = point_of(view, start), point_of(view, end)
    _send(view, QEvent.Type.MouseButtonPress, begin, Qt.MouseButton.LeftButton)
    for step in range(1, 6):
        middle = begin + (finish - begin) * (step / 5)
        _send(view, QEvent.Type.MouseMove, middle, Qt.MouseButton.LeftButton)
    _send(view, QEvent.Type.MouseButtonRelease, finish, Qt.MouseButton.NoButton)


def click(view: ArticleView, offset: int) -> None:
    """A left click (press and release in place) on the character at `offset`."""
    point = point_of(view, offset)
    _send(view, QEvent.Type.MouseButtonPress, point, Qt.MouseButton.LeftButton)
    _send(view, QEvent.Type.MouseButtonRelease, point, Qt.MouseButton.NoButton)


def import_and_wait(qtbot: object, app: object, *paths: object) -> object:
    """Open files as File › Open… does, and wait for the background import to finish."""
    with qtbot.waitSignal(app.imported, timeout=20_000) as blocker:  # type: ignore[attr-defined]
        app.window.openFilesRequested.emit([str(p) for p in paths])  # type: ignore[attr-defined]
    return blocker.args[0]


def library_dump(path: Path) -> list[str]:
    """Every table and row of the library file, as SQL text: what "unchanged" is checked by."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()
