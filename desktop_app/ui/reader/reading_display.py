"""What is shown of the open document: its text and highlights, and the panel's lists and counts.

The session says what changed (an annotation added, removed or updated, the tags changed) and
this part redraws only that: the highlights over the changed span, the changed row, the tag
counts. An annotation that re-anchoring could not settle is listed for review but not drawn,
until the reader confirms or moves it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_app.core.highlight_layers import Layer
from desktop_app.core.reading_colours import UNTAGGED_COLOUR
from desktop_app.core.records import AnnotationRecord
from desktop_app.ui.reader.reading_context import ReadingContext


class ReadingDisplay(QObject):
    """Keeps the reader's highlights and the panel's tag and annotation lists as the session is."""

    def __init__(self, context: ReadingContext, parent: QObject) -> None:
        super().__init__(parent)
        self._context = context
        panel = context.panel
        self._lists = (panel.annotation_model, panel.review_model)

    def layers(self, annotations: list[AnnotationRecord]) -> list[Layer]:
        """One layer per tag of each annotation, in reading order."""
        session = self._context.session
        assert session is not None
        colours = {t.id: t.colour for t in session.tags}
        layers: list[Layer] = []
        for annotation in annotations:
            if annotation.needs_attention:
                continue  # not drawn as settled until the reader confirms or moves it
            tag_colours = [colours[t] for t in annotation.tag_ids if t in colours]
            for colour in tag_colours or [UNTAGGED_COLOUR]:
                layers.append(Layer(annotation.start, annotation.end, colour))
        return layers

    # -- a whole document ----------------------------------------------------------------------

    def show_opened(self) -> None:
        """Show the session's document, its highlights, its tags and its annotations.

        The start-up preview may already show this very text: then only the highlights are
        drawn, and the reader keeps the session's copy of the text instead of the preview's.
        """
        session = self._context.session
        assert session is not None and session.document is not None
        reader = self._context.reader
        document = session.document
        annotations = session.annotations()
        shown = (document.title, document.byline, document.text, document.blocks)
        if reader.keep_if_shown(*shown):
            reader.refresh_layers(self.layers(annotations), 0, len(document.text))
        else:
            reader.show_document(
                document.title,
                document.byline,
                document.text,
                self.layers(annotations),
                document.blocks,
            )
        self._context.panel.tag_model.set_tags(session.tags, session.tag_counts())
        for model in self._lists:
            model.set_annotations(annotations)

    def show_again(self) -> None:
        """Show the document anew (its title or byline changed), the caret at its start."""
        session = self._context.session
        assert session is not None and session.document is not None
        document = session.document
        self._context.reader.show_document(
            document.title,
            document.byline,
            document.text,
            self.layers(session.annotations()),
            document.blocks,
        )

    def clear_lists(self) -> None:
        """Empty the annotation lists, so they hold no records of a document that is going."""
        for model in self._lists:
            model.set_annotations([])

    # -- what changed --------------------------------------------------------------------------

    def add(self, record: AnnotationRecord) -> None:
        """Draw and list an annotation the session added."""
        self._refresh_span(record.start, record.end)
        for model in self._lists:
            model.add(record)
        self._refresh_counts()

    def remove(self, record: AnnotationRecord) -> None:
        """Undraw and unlist an annotation the session removed."""
        self._refresh_span(record.start, record.end)
        for model in self._lists:
            model.remove(record)
        self._refresh_counts()

    def update(self, old: AnnotationRecord, new: AnnotationRecord) -> None:
        """Redraw where an annotation was and is, if its tags or place changed; update its row."""
        placed = (old.start, old.end, old.anchor_status) != (new.start, new.end, new.anchor_status)
        if old.tag_ids != new.tag_ids or placed:
            self._refresh_span(new.start, new.end)
            if placed:
                self._refresh_span(old.start, old.end)
            self._refresh_counts()
        for model in self._lists:
            model.update(old, new)

    def refresh_tags(self) -> None:
        """The codebook changed: the tag list, the rows, and every highlight in its colours."""
        session = self._context.session
        assert session is not None and session.document is not None
        self._context.panel.tag_model.set_tags(session.tags, session.tag_counts())
        for model in self._lists:
            model.refresh_all()
        everything = self.layers(session.annotations())
        self._context.reader.refresh_layers(everything, 0, len(session.document.text))

    def _refresh_span(self, start: int, end: int) -> None:
        session = self._context.session
        assert session is not None
        overlapping = session.annotations_overlapping(start, end)
        self._context.reader.refresh_layers(self.layers(overlapping), start, end)

    def _refresh_counts(self) -> None:
        session = self._context.session
        assert session is not None
        self._context.panel.tag_model.set_counts(session.tag_counts())
