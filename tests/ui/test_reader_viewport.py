"""The reader paints on a viewport Python made (wrapping Qt's own cost 10-28 ms at start-up,
see reading_surface._viewport_like_qts); it must be set up exactly as QTextBrowser sets up
its own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from desktop_app.ui.reader.article_view import ArticleView


def setup_of(viewport: QWidget, owner: QWidget) -> dict[str, object]:
    """Everything about a viewport that shows: roles, cursor, input and the attributes set."""
    return {
        "name": viewport.objectName(),
        "background": viewport.backgroundRole(),
        "foreground": viewport.foregroundRole(),
        "fills": viewport.autoFillBackground(),
        "tracks mouse": viewport.hasMouseTracking(),
        "cursor": viewport.cursor().shape(),
        "focus proxy": viewport.focusProxy() is owner,
        "focus": viewport.focusPolicy(),
        "drops": viewport.acceptDrops(),
        "context menu": viewport.contextMenuPolicy(),
        "attributes": [a for a in Qt.WidgetAttribute if viewport.testAttribute(a)],
        "parent": viewport.parentWidget() is owner,
    }


def test_the_readers_viewport_is_set_up_like_qts_own(qtbot) -> None:
    reader = ArticleView()
    qtbot.addWidget(reader)
    reference = QTextBrowser()  # the same calls as ArticleView makes, on Qt's own viewport
    qtbot.addWidget(reference)
    reference.setObjectName("articleView")
    reference.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    reference.setOpenLinks(False)
    reference.setOpenExternalLinks(False)
    reference.setUndoRedoEnabled(False)
    reference.setFrameShape(QFrame.Shape.NoFrame)
    reference.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    for view in (reader, reference):
        view.resize(400, 300)
        view.show()
    qtbot.waitExposed(reader)
    qtbot.waitExposed(reference)
    assert setup_of(reader.viewport(), reader) == setup_of(reference.viewport(), reference)
    assert reader.viewport().geometry() == reference.viewport().geometry()


def test_the_first_document_is_laid_out_on_the_new_viewport(qtbot) -> None:
    """QTextEdit measures its first document on the viewport it made, which setViewport
    deletes: laying that document out then read freed memory (a crash in the window)."""
    reader = ArticleView()
    qtbot.addWidget(reader)
    reader.setPlainText("A sentence to lay out. " * 200)
    reader.resize(320, 200)
    reader.show()
    qtbot.waitExposed(reader)
    reader.resize(260, 240)
    assert reader.document().documentLayout().documentSize().height() > 200
    device = reader.document().documentLayout().paintDevice()
    assert device is not None and device.logicalDpiY() == reader.viewport().logicalDpiY()
