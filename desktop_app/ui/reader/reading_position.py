"""Where the reader was in a document, kept in the library so reopening it goes back there.

A reading position is the code-point offset at the top of the view and the span under focus.
Both are code points, never Qt positions, so a position saved at one font size, zoom or window
width is still right at another, and survives the title block changing height.
"""

from __future__ import annotations

from desktop_app.ui.reader.reading_context import ReadingContext
from desktop_app.ui.reader.sentence_focus import SentenceFocus


def save_reading_position(
    context: ReadingContext, focus: SentenceFocus, document_id: int | None = None
) -> None:
    """Remember where the reader is in the open document (before switching or quitting).

    With `document_id`, only if that is the open document: a late call for a document that is
    no longer shown must not file this one's place under it.
    """
    session = context.session
    if session is None or session.document is None:
        return
    if document_id is not None and document_id != session.document.id:
        return
    session.library.set_reading_position(
        session.document.id, context.reader.top_offset(), focus.span
    )


def restore_reading_position(
    context: ReadingContext, focus: SentenceFocus, document_id: int
) -> None:
    """Go back to where the reader was in `document_id`, just opened: the focus, then the view.

    A saved focus that does not lie inside the text is dropped, and the view alone restored.
    """
    session = context.session
    assert session is not None and session.sentences is not None
    offset, saved_focus = session.library.reading_position(document_id)
    reader = context.reader
    if saved_focus is not None and 0 <= saved_focus[0] < saved_focus[1] <= reader.positions.length:
        sentence = session.sentences.sentence_at(saved_focus[0])
        focus.set(sentence, saved_focus)
        focus.sync_panel_to_focus()
    if offset:
        reader.scroll_to_offset(offset)
