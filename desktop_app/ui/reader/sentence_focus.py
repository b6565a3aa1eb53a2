"""The current-sentence focus: what J and K move, what a click picks, what a digit tags.

The focus is a span of the text, usually a sentence: the first J lands on the first sentence,
J and K step from the sentence holding the caret (so a click or a find match moves where they
continue from), and choosing an annotation in the panel focuses its span. The focus and the
panel's selection follow each other, without echoing back: selecting in the panel on the
focus's behalf is flagged, so it does not move the focus again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_app.core.records import AnnotationRecord
from desktop_app.core.sentences import Sentence
from desktop_app.ui.reader.qt_positions import text_offset
from desktop_app.ui.reader.reading_context import ReadingContext


class SentenceFocus(QObject):
    """Holds the sentence and span under focus, moves them, and shows them in the panel."""

    def __init__(self, context: ReadingContext, parent: QObject) -> None:
        super().__init__(parent)
        self._context = context
        self._sentence: Sentence | None = None
        # What a digit tags when nothing is selected: the current sentence, or the annotation
        # chosen in the panel (whose span is what the reader marks as focused).
        self._span: tuple[int, int] | None = None
        self._syncing_selection = False

    @property
    def sentence(self) -> Sentence | None:
        """The sentence under focus, or None before the first J or click."""
        return self._sentence

    @property
    def span(self) -> tuple[int, int] | None:
        """The span under focus (a sentence, or an annotation chosen in the panel), or None."""
        return self._span

    def set(self, sentence: Sentence | None, span: tuple[int, int] | None) -> None:
        """Focus `span` (with the sentence it is in) and mark it in the reader."""
        self._sentence = sentence
        self._span = span
        self._context.reader.set_focus_span(span)

    def reapply(self) -> None:
        """Mark the focus again in a reader that has just been given a new document."""
        if self._span is not None:
            self.set(self._sentence, self._span)

    def _caret_offset(self) -> int | None:
        """Code-point offset of the reader's caret, or None while it is in the title."""
        reader = self._context.reader
        return text_offset(reader.positions, reader.textCursor().position())

    # -- moving it -----------------------------------------------------------------------------

    def on_next_sentence(self) -> None:
        """J: the sentence after the one holding the caret (the first, from the title)."""
        session = self._context.session
        if session is None or session.sentences is None:
            return
        sentences = session.sentences
        caret = self._caret_offset()
        if caret is None:
            found = sentences.next_sentence(None)
        else:
            here = sentences.sentence_at(caret)
            found = (
                sentences.next_sentence(here)
                if here is not None
                else sentences.first_sentence_from(caret)
            )
        if found is None:
            self._context.status("End of the article.")
            return
        self.set_current_sentence(found)

    def on_previous_sentence(self) -> None:
        """K: the sentence before the one holding the caret."""
        session = self._context.session
        if session is None or session.sentences is None:
            return
        sentences = session.sentences
        caret = self._caret_offset()
        here = None if caret is None else sentences.sentence_at(caret)
        if here is None and caret is not None:
            following = sentences.first_sentence_from(caret)
            found = (
                sentences.previous_sentence(following)
                if following is not None
                else sentences.previous_sentence(None)
            )
        else:
            found = None if here is None else sentences.previous_sentence(here)
        if found is None:
            self._context.status("Start of the article.")
            return
        self.set_current_sentence(found)

    def on_sentence_clicked(self, offset: int) -> None:
        """A click (not a drag) in the text: focus the sentence under it."""
        session = self._context.session
        if session is None or session.sentences is None:
            return
        found = session.sentences.sentence_at(offset)
        if found is not None:
            self.set_current_sentence(found)

    def set_current_sentence(self, sentence: Sentence) -> None:
        """Move the sentence focus (J/K, a click) and show its annotation in the panel."""
        self.set(sentence, (sentence.start, sentence.end))
        self.sync_panel_to_focus()

    def on_annotation_selected(self, record: AnnotationRecord | None) -> None:
        """An annotation chosen in the panel (not on the focus's behalf): focus its span."""
        session = self._context.session
        if self._syncing_selection or record is None or session is None:
            return
        sentences = session.sentences
        sentence = None if sentences is None else sentences.sentence_at(record.start)
        self.set(sentence, (record.start, record.end))

    def on_review_selected(self, record: AnnotationRecord | None) -> None:
        """Show where re-anchoring found the annotation (or where it was expected)."""
        if record is not None:
            self.set(None, (record.start, record.end))

    # -- the panel -----------------------------------------------------------------------------

    def focused_annotation(self) -> AnnotationRecord | None:
        """The annotation N and Delete act on: the one selected in the panel."""
        return self._context.panel.selected_annotation()

    def sync_panel_to_focus(self) -> None:
        """Select, in the panel, the annotation of the current sentence (the one under focus)."""
        session = self._context.session
        if session is None:
            return
        target = None
        sentence = self._sentence
        if sentence is not None:
            target = session.annotation_with_span(sentence.start, sentence.end)
            if target is None:
                overlapping = session.annotations_overlapping(sentence.start, sentence.end)
                target = overlapping[0] if overlapping else None
        self.select_in_panel(None if target is None else target.id)

    def select_in_panel(self, annotation_id: int | None) -> None:
        """Select an annotation in the panel on the focus's behalf (None clears)."""
        self._syncing_selection = True
        try:
            self._context.panel.select_annotation(annotation_id)
        finally:
            self._syncing_selection = False
