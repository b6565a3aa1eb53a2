"""The open document and everything the window shows about it, kept in step with the library.

Every change goes to the library store first (committed at once), then to the in-memory copy
here, and then out as a signal; widgets only react to those signals. Undo commands call the
methods of this class, so an undone change travels exactly the same road as the original.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop_app.core.anchors import Anchor
from desktop_app.core.codebook import TagSpec
from desktop_app.core.collector import collector_paused
from desktop_app.core.records import AnnotationRecord, DocumentRecord, TagRecord, reading_order
from desktop_app.core.sentences import SentenceIndex
from desktop_app.core.span_index import SpanIndex

if TYPE_CHECKING:
    from desktop_app.storage.library_store import LibraryStore
    from desktop_app.storage.tag_queries import TagRemoval

log = logging.getLogger(__name__)


class DocumentSession(QObject):
    """The library store plus the document open in the window.

    Signals:
        documentOpened(): a (possibly different) document is now open.
        annotationAdded(object): an AnnotationRecord of the open document was added.
        annotationRemoved(object): an AnnotationRecord of the open document was removed.
        annotationUpdated(object, object): old and new record of a changed annotation.
        tagsChanged(): the codebook changed (added, removed, reordered).
        documentClosing(int): the open document is about to be replaced or closed.
        documentClosed(): no document is open any more (the last one was deleted).
        documentRetitled(): the open document was renamed.
        libraryChanged(): documents were added, renamed, deleted or restored.
        annotationStored(object, object): any annotation of any document was added (None, new),
            changed (old or None, new) or deleted (old, None); for views of the whole library.
    """

    documentOpened = Signal()
    documentClosing = Signal(int)
    documentClosed = Signal()
    documentRetitled = Signal()
    libraryChanged = Signal()
    annotationStored = Signal(object, object)
    annotationAdded = Signal(object)
    annotationRemoved = Signal(object)
    annotationUpdated = Signal(object, object)
    tagsChanged = Signal()

    def __init__(self, store: LibraryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.document: DocumentRecord | None = None
        self.sentences: SentenceIndex | None = None
        self._annotations: dict[int, AnnotationRecord] = {}
        self._spans = SpanIndex()  # the same annotations by place
        self._review_count = 0
        self._tag_counts: Counter[int] = Counter()
        self._tags: list[TagRecord] = []
        self._tag_by_id: dict[int, TagRecord] = {}
        self._set_codebook(store.tags())

    # -- reading -------------------------------------------------------------------------------

    @property
    def tags(self) -> list[TagRecord]:
        """The codebook in panel order."""
        return list(self._tags)

    def tag(self, tag_id: int) -> TagRecord | None:
        """The tag with `tag_id`, or None."""
        return self._tag_by_id.get(tag_id)

    def tag_for_key(self, number: int) -> TagRecord | None:
        """The tag the digit key `number` (1-9) stands for."""
        return next((t for t in self._tags if t.key_number == number), None)

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

    def _count(self, record: AnnotationRecord, sign: int) -> None:
        """Keep the per-tag and review counts in step (the status bar reads them on every
        change; summing over 10,000 annotations per key press showed in the latency)."""
        if record.needs_attention:
            self._review_count += sign
        for tag_id in record.tag_ids:
            self._tag_counts[tag_id] += sign
        self._tag_counts = +self._tag_counts  # drop zeros

    # -- opening -------------------------------------------------------------------------------

    def open_document(self, document_id: int, *, known_text: str | None = None) -> None:
        """Make `document_id` the open document and load its annotations.

        `known_text` is the text the window shows already (its start-up preview): when it is
        this document's, it is used instead of a second copy read from the library. Opening
        the open document again reuses its text the same way.
        """
        if known_text is None and self.document is not None and self.document.id == document_id:
            known_text = self.document.text
        with collector_paused():  # tens of thousands of acyclic objects: see core/collector
            self._open_document(document_id, known_text)

    def _open_document(self, document_id: int, known_text: str | None) -> None:
        document = self.store.document(document_id, known_text=known_text)
        if self.document is not None:
            self.documentClosing.emit(self.document.id)
            # Let the old document's records go before the new ones load: otherwise both sets
            # are alive at once, +15 MiB at the peak when a 10,000-annotation article reopens.
            self._forget_records()
        self.document = document
        self.sentences = SentenceIndex(document.text)
        self._annotations = {a.id: a for a in self.store.annotations(document_id)}
        self._spans = SpanIndex(map(reading_order, self._annotations.values()))
        self._tag_counts = Counter(t for a in self._annotations.values() for t in a.tag_ids)
        self._review_count = sum(1 for a in self._annotations.values() if a.needs_attention)
        self.store.remember_opened(document_id)
        self.documentOpened.emit()

    def close_document(self) -> None:
        """Show no document (the library is empty)."""
        if self.document is not None:
            self.documentClosing.emit(self.document.id)
        self.document = None
        self._forget_records()
        self._tag_counts = Counter()
        self._review_count = 0
        self.documentClosed.emit()

    def _forget_records(self) -> None:
        """Drop the open document's sentences, records and their index."""
        self.sentences = None
        self._annotations = {}
        self._spans = SpanIndex()

    # -- the library ---------------------------------------------------------------------------

    def add_imported(self, document_id: int) -> None:
        """A document was added to the library (by an import running elsewhere)."""
        self.libraryChanged.emit()

    def rename_document(self, document_id: int, title: str) -> None:
        """Give a document another title."""
        renamed = self.store.rename_document(document_id, title)
        if self.document is not None and self.document.id == document_id:
            self.document = renamed
            self.documentRetitled.emit()
        self.libraryChanged.emit()

    def delete_document(self, document_id: int) -> None:
        """Delete a document (undoably); if it is open, open the next one instead."""
        was_open = self.document is not None and self.document.id == document_id
        self.store.delete_document(document_id)
        if was_open:
            recent = [d.id for d in self.store.recent_documents(2) if d.id != document_id]
            remaining = recent or [d.id for d in self.store.documents()]
            if remaining:
                self.open_document(remaining[0])
            else:
                self.close_document()
        self.libraryChanged.emit()

    def restore_document(self, document_id: int, *, reopen: bool) -> None:
        """Undo a deletion; `reopen` shows the document again if it was open when deleted."""
        self.store.restore_document(document_id)
        if reopen:
            self.open_document(document_id)
        self.libraryChanged.emit()

    def reload_annotations_of_open_document(self) -> None:
        """Re-read every annotation of the open document (after a bulk change elsewhere)."""
        if self.document is not None:
            self.open_document(self.document.id)

    def ensure_open(self, document_id: int) -> None:
        """Open `document_id` unless it is already open (undo of a change made elsewhere)."""
        if self.document is None or self.document.id != document_id:
            self.open_document(document_id)

    # -- changing annotations (each call is committed before it returns) -----------------------
    #
    # `follow` (the default) opens the annotation's document first, so an undo made after
    # switching articles shows what it undoes; bulk edits from the claims review pass False and
    # change other documents in place. Every change is announced by `annotationStored`.

    def _prepare(self, document_id: int, follow: bool) -> bool:
        """Open the document if following; True when the change concerns the open document."""
        if follow:
            self.ensure_open(document_id)
        return self.document is not None and self.document.id == document_id

    def create_annotation(
        self,
        document_id: int,
        anchor: Anchor,
        tag_ids: Sequence[int],
        note: str = "",
        *,
        follow: bool = True,
    ) -> AnnotationRecord:
        """Create an annotation and show it."""
        shown = self._prepare(document_id, follow)
        record = self.store.create_annotation(document_id, anchor, tag_ids, note)
        self._log_change(record, "created")
        self._added(record, shown)
        return record

    def restore_annotation(
        self, record: AnnotationRecord, *, follow: bool = True
    ) -> AnnotationRecord:
        """Bring back a deleted annotation exactly as it was."""
        shown = self._prepare(record.document_id, follow)
        restored = self.store.restore_annotation(record)
        self._log_change(restored, "restored")
        self._added(restored, shown)
        return restored

    def delete_annotation(
        self, document_id: int, annotation_id: int, *, follow: bool = True
    ) -> AnnotationRecord:
        """Delete an annotation; returns it as it was, for undo."""
        shown = self._prepare(document_id, follow)
        record = self.store.delete_annotation(annotation_id)
        log.info("annotation %d deleted", annotation_id)
        removed = self._annotations.pop(annotation_id, None) if shown else None
        if removed is not None:
            self._spans.remove(reading_order(removed))
            self._count(record, -1)
            self.annotationRemoved.emit(record)
        self.annotationStored.emit(record, None)
        return record

    def set_tags(
        self, document_id: int, annotation_id: int, tag_ids: Sequence[int], *, follow: bool = True
    ) -> AnnotationRecord:
        """Replace an annotation's tags."""
        shown = self._prepare(document_id, follow)
        new = self.store.set_annotation_tags(annotation_id, tag_ids)
        self._log_change(new, "retagged")
        return self._changed(new, shown)

    def set_note(
        self, document_id: int, annotation_id: int, note: str, *, follow: bool = True
    ) -> AnnotationRecord:
        """Replace an annotation's note."""
        shown = self._prepare(document_id, follow)
        new = self.store.set_note(annotation_id, note)
        log.info("annotation %d note changed (%d characters)", annotation_id, len(new.note))
        return self._changed(new, shown)

    def set_claim_fields(
        self,
        document_id: int,
        annotation_id: int,
        stance: str,
        speaker: str,
        checkworthiness: int | None,
        *,
        follow: bool = True,
    ) -> AnnotationRecord:
        """Record an annotation's stance, speaker and check-worthiness."""
        shown = self._prepare(document_id, follow)
        new = self.store.set_claim_fields(annotation_id, stance, speaker, checkworthiness)
        log.info("annotation %d claim fields changed", annotation_id)
        return self._changed(new, shown)

    def place_annotation(
        self, document_id: int, annotation_id: int, anchor: Anchor, method: str
    ) -> AnnotationRecord:
        """Settle an annotation under review at `anchor` (its candidate, or where it was moved)."""
        shown = self._prepare(document_id, True)
        new = self.store.place_annotation(annotation_id, anchor, method)
        self._log_change(new, f"placed ({method})")
        return self._changed(new, shown)

    def revert_annotation(self, record: AnnotationRecord) -> AnnotationRecord:
        """Put an existing annotation back exactly as `record` describes it (undo of a place)."""
        shown = self._prepare(record.document_id, True)
        new = self.store.restore_annotation(record)
        self._log_change(new, "reverted")
        return self._changed(new, shown)

    def _log_change(self, record: AnnotationRecord, change: str) -> None:
        """One line in the log per committed change, written after the commit returned, so
        the log never claims more than the library holds (the crash-safety tests rely on it)."""
        names = [tag.name if (tag := self.tag(t)) else str(t) for t in record.tag_ids]
        log.info(
            "annotation %d %s in document %d [%d:%d) tags %s",
            record.id,
            change,
            record.document_id,
            record.start,
            record.end,
            ", ".join(names) or "-",
        )

    def _added(self, record: AnnotationRecord, shown: bool) -> None:
        if shown:
            self._annotations[record.id] = record
            self._spans.add(reading_order(record))
            self._count(record, +1)
            self.annotationAdded.emit(record)
        self.annotationStored.emit(None, record)

    def _changed(self, new: AnnotationRecord, shown: bool) -> AnnotationRecord:
        if shown:
            self._replace(new)
        else:
            self.annotationStored.emit(None, new)
        return new

    def _replace(self, new: AnnotationRecord) -> None:
        old = self._annotations.get(new.id)
        self._annotations[new.id] = new
        if old is not None:
            self._spans.remove(reading_order(old))
            self._count(old, -1)
        self._spans.add(reading_order(new))
        self._count(new, +1)
        if old is not None:
            self.annotationUpdated.emit(old, new)
        self.annotationStored.emit(old, new)

    # -- changing the codebook -----------------------------------------------------------------

    def add_tag(
        self,
        spec: TagSpec,
        *,
        tag_id: int | None = None,
        position: int | None = None,
        parent_id: int | None = None,
    ) -> TagRecord:
        """Add a tag to the codebook (with `tag_id`, restore one that was removed)."""
        record = self.store.add_tag(spec, tag_id=tag_id, position=position, parent_id=parent_id)
        self._reload_tags()
        return record

    def remove_tag(self, tag_id: int) -> TagRemoval:
        """Remove a tag from the codebook and from the annotations that carry it (they stay)."""
        removal = self.store.remove_tag(tag_id)
        self._after_codebook_change(removal.annotation_ids)
        return removal

    def merge_tags(self, source_id: int, target_id: int) -> TagRemoval:
        """Give the source tag's annotations the target tag, then remove the source."""
        removal = self.store.merge_tags(source_id, target_id)
        self._after_codebook_change(removal.annotation_ids)
        return removal

    def restore_tag(self, removal: TagRemoval, *, merged_into: int | None = None) -> TagRecord:
        """Undo a removal or merge: the tag, its links and its children come back."""
        record = self.store.restore_tag(removal, merged_into=merged_into)
        self._after_codebook_change(removal.annotation_ids)
        return record

    def update_tag(
        self,
        tag_id: int,
        *,
        name: str | None = None,
        colour: str | None = None,
        description: str | None = None,
    ) -> TagRecord:
        """Rename, recolour or describe a tag."""
        record = self.store.update_tag(tag_id, name=name, colour=colour, description=description)
        self._reload_tags()
        return record

    def move_tag(self, tag_id: int, position: int) -> None:
        """Reorder the codebook (the 1-9 keys follow the order)."""
        self.store.move_tag(tag_id, position)
        self._reload_tags()

    def set_tag_order(self, tag_ids: Sequence[int]) -> None:
        """Put the codebook back in an earlier order (the 1-9 keys follow)."""
        self.store.set_tag_order(tag_ids)
        self._reload_tags()

    def set_tag_parent(self, tag_id: int, parent_id: int | None) -> TagRecord:
        """Nest a tag under another, or lift it to the top level."""
        record = self.store.set_tag_parent(tag_id, parent_id)
        self._reload_tags()
        return record

    def _after_codebook_change(self, annotation_ids: Iterable[int]) -> None:
        """Re-read the codebook, then the open document's annotations whose tags changed."""
        self._set_codebook(self.store.tags())
        changed = set(annotation_ids)
        for annotation_id in [a for a in self._annotations if a in changed]:
            self._replace(self.store.annotation(annotation_id))
        self.tagsChanged.emit()

    def reload_codebook(self) -> None:
        """Re-read the codebook (tags were added by an import)."""
        self._reload_tags()

    def _reload_tags(self) -> None:
        self._set_codebook(self.store.tags())
        self.tagsChanged.emit()

    def _set_codebook(self, tags: list[TagRecord]) -> None:
        """Keep the codebook, and an index by id (the side panel looks tags up per row)."""
        self._tags = tags
        self._tag_by_id = {t.id: t for t in tags}

    def reload_annotations(self, ids: Iterable[int]) -> None:
        """Re-read annotations from the store (after a change made outside this session)."""
        for annotation_id in ids:
            self._replace(self.store.annotation(annotation_id))
