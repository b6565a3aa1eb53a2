"""The window's one road to the library: the library's part, the open document's part, and
every change between them.

Every change goes to the library store first (committed at once), then to the in-memory copy
of the open document, and then out as a signal; widgets only react to those signals. Undo
commands call the methods of this class, so an undone change travels exactly the same road
as the original. Work done elsewhere (imports, version carrying, later other coders) does not
patch this state: it hands a ChangeReport to `absorb`, and the session re-reads what it names.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from desktop_app.core.anchors import Anchor
from desktop_app.core.change_report import ChangeReport
from desktop_app.core.codebook import TagSpec
from desktop_app.core.collector import collector_paused
from desktop_app.core.records import AnnotationRecord, DocumentRecord, TagRecord
from desktop_app.core.sentences import SentenceIndex
from desktop_app.models.library import Library
from desktop_app.models.open_document import OpenDocument

if TYPE_CHECKING:
    from desktop_app.storage.library_store import LibraryStore
    from desktop_app.storage.tag_queries import TagRemoval

log = logging.getLogger(__name__)


class DocumentSession(QObject):
    """The library (`library`: documents, codebook) plus the document open in the window
    (`opened`: its annotations, sentences and counts).

    Its signals are those of the two parts, under the same names here (see Library and
    OpenDocument): libraryChanged, tagsChanged, annotationStored; documentOpened,
    documentClosing, documentClosed, documentRetitled, annotationAdded, annotationRemoved,
    annotationUpdated.
    """

    _reportArrived = Signal(object)

    def __init__(self, store: LibraryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.library = Library(store, self)
        self.opened = OpenDocument(self)
        self.libraryChanged = self.library.libraryChanged
        self.tagsChanged = self.library.tagsChanged
        self.annotationStored = self.library.annotationStored
        self.documentOpened = self.opened.documentOpened
        self.documentClosing = self.opened.documentClosing
        self.documentClosed = self.opened.documentClosed
        self.documentRetitled = self.opened.documentRetitled
        self.annotationAdded = self.opened.annotationAdded
        self.annotationRemoved = self.opened.annotationRemoved
        self.annotationUpdated = self.opened.annotationUpdated
        # Auto connection: direct when absorb is called on the session's thread, queued (and so
        # run on that thread) when a worker calls it.
        self._reportArrived.connect(self._apply)

    # -- reading (the open document and the codebook) ------------------------------------------

    @property
    def document(self) -> DocumentRecord | None:
        """The open document, or None when the library is empty."""
        return self.opened.document

    @property
    def sentences(self) -> SentenceIndex | None:
        """The open document's sentences."""
        return self.opened.sentences

    @property
    def tags(self) -> list[TagRecord]:
        """The codebook in panel order."""
        return self.library.tags

    def tag(self, tag_id: int) -> TagRecord | None:
        """The tag with `tag_id`, or None."""
        return self.library.tag(tag_id)

    def tag_for_key(self, number: int) -> TagRecord | None:
        """The tag the digit key `number` (1-9) stands for."""
        return self.library.tag_for_key(number)

    def annotations(self) -> list[AnnotationRecord]:
        """The open document's annotations in reading order."""
        return self.opened.annotations()

    @property
    def annotation_count(self) -> int:
        """How many annotations the open document has."""
        return self.opened.annotation_count

    @property
    def review_count(self) -> int:
        """How many of them wait to be confirmed or placed (carried from an older version)."""
        return self.opened.review_count

    def annotation(self, annotation_id: int) -> AnnotationRecord | None:
        """An annotation of the open document, or None."""
        return self.opened.annotation(annotation_id)

    def annotation_with_span(self, start: int, end: int) -> AnnotationRecord | None:
        """The annotation covering exactly `[start, end)`, if there is one."""
        return self.opened.annotation_with_span(start, end)

    def annotations_overlapping(self, start: int, end: int) -> list[AnnotationRecord]:
        """Annotations that share at least one character with `[start, end)`, in reading order."""
        return self.opened.annotations_overlapping(start, end)

    def tag_counts(self) -> Counter[int]:
        """How many annotations of the open document carry each tag id (kept up to date)."""
        return self.opened.tag_counts()

    # -- opening -------------------------------------------------------------------------------

    def open_document(self, document_id: int, *, known_text: str | None = None) -> None:
        """Make `document_id` the open document and load its annotations.

        `known_text` is the text the window shows already (its start-up preview): when it is
        this document's, it is used instead of a second copy read from the library. Opening
        the open document again reuses its text the same way.
        """
        if known_text is None and self.opened.shows(document_id):
            assert self.opened.document is not None
            known_text = self.opened.document.text
        with collector_paused():  # tens of thousands of acyclic objects: see core/collector
            document = self._store.document(document_id, known_text=known_text)
            self.opened.announce_closing()
            records = self._store.annotations(document_id)
            self._store.remember_opened(document_id)
            self.opened.show(document, records)

    def close_document(self) -> None:
        """Show no document (the library is empty)."""
        self.opened.close()

    def ensure_open(self, document_id: int) -> None:
        """Open `document_id` unless it is already open (undo of a change made elsewhere)."""
        if not self.opened.shows(document_id):
            self.open_document(document_id)

    def _open_another(self, gone_id: int) -> None:
        """The open document `gone_id` is no longer in the library: open the one read most
        recently before it, or any, or none."""
        recent = [d.id for d in self._store.recent_documents(2) if d.id != gone_id]
        remaining = recent or [d.id for d in self._store.documents() if d.id != gone_id]
        if remaining:
            self.open_document(remaining[0])
        else:
            self.close_document()

    # -- the library's documents ---------------------------------------------------------------

    def rename_document(self, document_id: int, title: str) -> None:
        """Give a document another title."""
        renamed = self._store.rename_document(document_id, title)
        if self.opened.shows(document_id):
            self.opened.retitle(renamed)
        self.libraryChanged.emit()

    def delete_document(self, document_id: int) -> None:
        """Delete a document (undoably); if it is open, open the next one instead."""
        was_open = self.opened.shows(document_id)
        self._store.delete_document(document_id)
        if was_open:
            self._open_another(document_id)
        self.libraryChanged.emit()

    def restore_document(self, document_id: int, *, reopen: bool) -> None:
        """Undo a deletion; `reopen` shows the document again if it was open when deleted."""
        self._store.restore_document(document_id)
        if reopen:
            self.open_document(document_id)
        self.libraryChanged.emit()

    # -- changes made elsewhere ----------------------------------------------------------------

    def absorb(self, report: ChangeReport) -> None:
        """Catch up with a change made away from the window's keys (an import, carrying, and
        later another coder or process): re-read what `report` names and send the signals.

        Safe to call from any thread: a report from a worker is applied on the session's
        thread, after the calls already queued there.
        """
        self._reportArrived.emit(report)

    @Slot(object)
    def _apply(self, report: ChangeReport) -> None:
        if report.empty:
            return
        if report.codebook:
            self.library.reload_codebook()
        document = self.opened.document
        if document is not None and document.id in report.documents | report.annotations_of:
            self._refresh_open_document(document, report)
        if report.annotations:
            self._reread_annotations(report.annotations)
        if report.library_list_changed:
            self.libraryChanged.emit()

    def _refresh_open_document(self, document: DocumentRecord, report: ChangeReport) -> None:
        from desktop_app.storage.errors import NotFoundError

        try:
            stored = self._store.document(document.id, known_text=document.text)
        except NotFoundError:
            self._open_another(document.id)
            return
        if document.id in report.annotations_of:
            self.open_document(document.id)
        elif stored.title != document.title:
            self.opened.retitle(stored)

    def _reread_annotations(self, annotation_ids: frozenset[int]) -> None:
        from desktop_app.storage.errors import NotFoundError

        for annotation_id in sorted(annotation_ids):
            try:
                new = self._store.annotation(annotation_id)
            except NotFoundError:
                gone = self.opened.remove(annotation_id)
                if gone is not None:
                    self.annotationStored.emit(gone, None)
                continue
            if self.opened.shows(new.document_id):
                self._replace(new)
            else:
                self.annotationStored.emit(None, new)

    # -- changing annotations (each call is committed before it returns) -----------------------
    #
    # `follow` (the default) opens the annotation's document first, so an undo made after
    # switching articles shows what it undoes; bulk edits from the claims review pass False and
    # change other documents in place. Every change is announced by `annotationStored`.

    def _prepare(self, document_id: int, follow: bool) -> bool:
        """Open the document if following; True when the change concerns the open document."""
        if follow:
            self.ensure_open(document_id)
        return self.opened.shows(document_id)

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
        record = self._store.create_annotation(document_id, anchor, tag_ids, note)
        self._log_change(record, "created")
        self._added(record, shown)
        return record

    def restore_annotation(
        self, record: AnnotationRecord, *, follow: bool = True
    ) -> AnnotationRecord:
        """Bring back a deleted annotation exactly as it was."""
        shown = self._prepare(record.document_id, follow)
        restored = self._store.restore_annotation(record)
        self._log_change(restored, "restored")
        self._added(restored, shown)
        return restored

    def delete_annotation(
        self, document_id: int, annotation_id: int, *, follow: bool = True
    ) -> AnnotationRecord:
        """Delete an annotation; returns it as it was, for undo."""
        shown = self._prepare(document_id, follow)
        record = self._store.delete_annotation(annotation_id)
        log.info("annotation %d deleted", annotation_id)
        if shown:
            self.opened.remove(annotation_id)
        self.annotationStored.emit(record, None)
        return record

    def set_tags(
        self, document_id: int, annotation_id: int, tag_ids: Sequence[int], *, follow: bool = True
    ) -> AnnotationRecord:
        """Replace an annotation's tags."""
        shown = self._prepare(document_id, follow)
        new = self._store.set_annotation_tags(annotation_id, tag_ids)
        self._log_change(new, "retagged")
        return self._changed(new, shown)

    def set_note(
        self, document_id: int, annotation_id: int, note: str, *, follow: bool = True
    ) -> AnnotationRecord:
        """Replace an annotation's note."""
        shown = self._prepare(document_id, follow)
        new = self._store.set_note(annotation_id, note)
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
        new = self._store.set_claim_fields(annotation_id, stance, speaker, checkworthiness)
        log.info("annotation %d claim fields changed", annotation_id)
        return self._changed(new, shown)

    def place_annotation(
        self, document_id: int, annotation_id: int, anchor: Anchor, method: str
    ) -> AnnotationRecord:
        """Settle an annotation under review at `anchor` (its candidate, or where it was moved)."""
        shown = self._prepare(document_id, True)
        new = self._store.place_annotation(annotation_id, anchor, method)
        self._log_change(new, f"placed ({method})")
        return self._changed(new, shown)

    def revert_annotation(self, record: AnnotationRecord) -> AnnotationRecord:
        """Put an existing annotation back exactly as `record` describes it (undo of a place)."""
        shown = self._prepare(record.document_id, True)
        new = self._store.restore_annotation(record)
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
            self.opened.add(record)
        self.annotationStored.emit(None, record)

    def _changed(self, new: AnnotationRecord, shown: bool) -> AnnotationRecord:
        if shown:
            self._replace(new)
        else:
            self.annotationStored.emit(None, new)
        return new

    def _replace(self, new: AnnotationRecord) -> None:
        old = self.opened.replace(new)
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
        return self.library.add_tag(spec, tag_id=tag_id, position=position, parent_id=parent_id)

    def update_tag(
        self,
        tag_id: int,
        *,
        name: str | None = None,
        colour: str | None = None,
        description: str | None = None,
    ) -> TagRecord:
        """Rename, recolour or describe a tag."""
        return self.library.update_tag(tag_id, name=name, colour=colour, description=description)

    def move_tag(self, tag_id: int, position: int) -> None:
        """Reorder the codebook (the 1-9 keys follow the order)."""
        self.library.move_tag(tag_id, position)

    def set_tag_order(self, tag_ids: Sequence[int]) -> None:
        """Put the codebook back in an earlier order (the 1-9 keys follow)."""
        self.library.set_tag_order(tag_ids)

    def set_tag_parent(self, tag_id: int, parent_id: int | None) -> TagRecord:
        """Nest a tag under another, or lift it to the top level."""
        return self.library.set_tag_parent(tag_id, parent_id)

    def remove_tag(self, tag_id: int) -> TagRemoval:
        """Remove a tag from the codebook and from the annotations that carry it (they stay)."""
        removal = self.library.remove_tag(tag_id)
        self._after_codebook_change(removal.annotation_ids)
        return removal

    def merge_tags(self, source_id: int, target_id: int) -> TagRemoval:
        """Give the source tag's annotations the target tag, then remove the source."""
        removal = self.library.merge_tags(source_id, target_id)
        self._after_codebook_change(removal.annotation_ids)
        return removal

    def restore_tag(self, removal: TagRemoval, *, merged_into: int | None = None) -> TagRecord:
        """Undo a removal or merge: the tag, its links and its children come back."""
        record = self.library.restore_tag(removal, merged_into=merged_into)
        self._after_codebook_change(removal.annotation_ids)
        return record

    def _after_codebook_change(self, annotation_ids: Sequence[int]) -> None:
        """Re-read the codebook, then the open document's annotations whose tags changed."""
        self.library.reload_codebook(announce=False)
        changed = set(annotation_ids)
        for record in self.opened.annotations():
            if record.id in changed:
                self._replace(self._store.annotation(record.id))
        self.tagsChanged.emit()
