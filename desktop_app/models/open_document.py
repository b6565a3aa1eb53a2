"""The open document's part of the session: its text, sentences, annotations and their counts.

This is the in-memory copy the reader and the side panel draw from. It never writes to the
library: the session stores a change first and then hands the stored record here, so this
copy only ever shows what the library holds. Every change here is announced by a signal.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QObject, Signal

from desktop_app.core.records import AnnotationRecord, DocumentRecord, reading_order
from desktop_app.core.sentences import SentenceIndex
from desktop_app.core.span_index import SpanIndex


class OpenDocument(QObject):
    """The document shown in the window and its annotations, indexed by id and by place.

    Signals:
        documentOpened(): a (possibly different) document is now open.
        documentClosing(int): the open document is about to be replaced or closed.
        documentClosed(): no document is open any more (the last one was deleted).
        documentRetitled(): the open document was renamed.
        annotationAdded(object): an AnnotationRecord of the open document was added.
        annotationRemoved(object): an AnnotationRecord of the open document was removed.
        annotationUpdated(object, object): old and new record of a changed annotation.
    """

    documentOpened = Signal()
    documentClosing = Signal(int)
    documentClosed = Signal()
    documentRetitled = Signal()
    annotationAdded = Signal(object)
    annotationRemoved = Signal(object)
    annotationUpdated = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: DocumentRecord | None = None
        self.sentences: SentenceIndex | None = None
        self._annotations: dict[int, AnnotationRecord] = {}
        self._spans = SpanIndex()  # the same annotations by place
        self._review_count = 0
        self._tag_counts: Counter[int] = Counter()

    # -- reading -------------------------------------------------------------------------------

    def shows(self, document_id: int) -> bool:
        """True when `document_id` is the open document."""
        return self.document is not None and self.document.id == document_id

    def annotations(self) -> list[AnnotationRecord]:
        """The open document's annotations in reading order."""
        return sorted(self._annotations.values(), key=reading_order)

    @property
    def annotation_count(self) -> int:
        """How many annotations the open document has."""
        return len(self._annotations)

    @property
    def review_count(self) -> int:
        """How many of them wait to be confirmed or placed (carried from an older version)."""
        return self._review_count

    def annotation(self, annotation_id: int) -> AnnotationRecord | None:
        """An annotation of the open document, or None."""
        return self._annotations.get(annotation_id)

    def annotation_with_span(self, start: int, end: int) -> AnnotationRecord | None:
        """The annotation covering exactly `[start, end)`, if there is one."""
        found = self._spans.exact(start, end)
        return None if found is None else self._annotations[found]

    def annotations_overlapping(self, start: int, end: int) -> list[AnnotationRecord]:
        """Annotations that share at least one character with `[start, end)`, in reading order."""
        return [self._annotations[i] for i in self._spans.overlapping(start, end)]

    def tag_counts(self) -> Counter[int]:
        """How many annotations of the open document carry each tag id (kept up to date)."""
        return Counter(self._tag_counts)

    # -- changing what is shown ----------------------------------------------------------------

    def show(self, document: DocumentRecord, records: list[AnnotationRecord]) -> None:
        """Show `document` with its stored annotations (replacing what was open)."""
        self.document = document
        self.sentences = SentenceIndex(document.text)
        self._annotations = {a.id: a for a in records}
        self._spans = SpanIndex(map(reading_order, self._annotations.values()))
        self._tag_counts = Counter(t for a in self._annotations.values() for t in a.tag_ids)
        self._review_count = sum(1 for a in self._annotations.values() if a.needs_attention)
        self.documentOpened.emit()

    def announce_closing(self) -> None:
        """Say the open document is going, then let its records go.

        Dropped before the next document loads: otherwise both sets are alive at once,
        +15 MiB at the peak when a 10,000-annotation article reopens.
        """
        if self.document is not None:
            self.documentClosing.emit(self.document.id)
            self._forget_records()

    def close(self) -> None:
        """Show no document (the library is empty)."""
        if self.document is not None:
            self.documentClosing.emit(self.document.id)
        self.document = None
        self._forget_records()
        self._tag_counts = Counter()
        self._review_count = 0
        self.documentClosed.emit()

    def retitle(self, document: DocumentRecord) -> None:
        """The open document was renamed: keep the new record."""
        self.document = document
        self.documentRetitled.emit()

    def _forget_records(self) -> None:
        """Drop the open document's sentences, records and their index."""
        self.sentences = None
        self._annotations = {}
        self._spans = SpanIndex()

    # -- changing annotations (records the library already holds) ------------------------------

    def add(self, record: AnnotationRecord) -> None:
        """Show a stored annotation of the open document."""
        self._annotations[record.id] = record
        self._spans.add(reading_order(record))
        self._count(record, +1)
        self.annotationAdded.emit(record)

    def remove(self, annotation_id: int) -> AnnotationRecord | None:
        """Stop showing an annotation; the record that was shown, or None."""
        removed = self._annotations.pop(annotation_id, None)
        if removed is not None:
            self._spans.remove(reading_order(removed))
            self._count(removed, -1)
            self.annotationRemoved.emit(removed)
        return removed

    def replace(self, new: AnnotationRecord) -> AnnotationRecord | None:
        """Show the stored `new` record in place of the old one; the old one, or None."""
        old = self._annotations.get(new.id)
        self._annotations[new.id] = new
        if old is not None:
            self._spans.remove(reading_order(old))
            self._count(old, -1)
        self._spans.add(reading_order(new))
        self._count(new, +1)
        if old is not None:
            self.annotationUpdated.emit(old, new)
        return old

    def _count(self, record: AnnotationRecord, sign: int) -> None:
        """Keep the per-tag and review counts in step (the status bar reads them on every
        change; summing over 10,000 annotations per key press showed in the latency)."""
        if record.needs_attention:
            self._review_count += sign
        for tag_id in record.tag_ids:
            self._tag_counts[tag_id] += sign
        self._tag_counts = +self._tag_counts  # drop zeros
