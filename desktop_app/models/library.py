"""The library's part of the session: its documents and its codebook, behind one private store.

The window asks this object, never the store: so the library can later be a shared server,
or another coder's work can arrive, without any widget learning where the data lives. Reads
go straight to the store (each one its own short transaction); the codebook is kept here
because the side panel and the number keys read it on every row and key press.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop_app.core.codebook import TagSpec
from desktop_app.core.records import AnnotationRecord, DocumentRecord, TagRecord

if TYPE_CHECKING:
    from desktop_app.core.analysis import Analysis
    from desktop_app.core.search_hit import SearchHit
    from desktop_app.io.exports import ExportOptions, Rendered
    from desktop_app.storage.document_queries import DocumentSummary
    from desktop_app.storage.library_store import LibraryStore
    from desktop_app.storage.tag_queries import TagRemoval
    from desktop_app.storage.version_carrying import CarryReport, Progress


class Library(QObject):
    """Documents and codebook of the open library.

    Signals:
        libraryChanged(): documents were added, renamed, deleted, restored or given other
            annotations (the library list and the claims review re-read).
        tagsChanged(): the codebook changed (added, removed, renamed, reordered, nested).
        annotationStored(object, object): any annotation of any document was added (None,
            new), changed (old or None, new) or deleted (old, None); for library-wide views.
    """

    libraryChanged = Signal()
    tagsChanged = Signal()
    annotationStored = Signal(object, object)

    def __init__(self, store: LibraryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._tags: list[TagRecord] = []
        self._tag_by_id: dict[int, TagRecord] = {}
        self._set_codebook(store.tags())

    # -- the codebook --------------------------------------------------------------------------

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

    def library_tag_counts(self) -> dict[int, int]:
        """How many annotations of the whole library carry each tag id."""
        return self._store.library_tag_counts()

    def annotations_with_tag(self, tag_id: int) -> list[int]:
        """Ids of the annotations that carry `tag_id`, in any document."""
        return self._store.annotations_with_tag(tag_id)

    def add_tag(
        self,
        spec: TagSpec,
        *,
        tag_id: int | None = None,
        position: int | None = None,
        parent_id: int | None = None,
    ) -> TagRecord:
        """Add a tag to the codebook (with `tag_id`, restore one that was removed)."""
        record = self._store.add_tag(spec, tag_id=tag_id, position=position, parent_id=parent_id)
        self.reload_codebook()
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
        record = self._store.update_tag(tag_id, name=name, colour=colour, description=description)
        self.reload_codebook()
        return record

    def move_tag(self, tag_id: int, position: int) -> None:
        """Reorder the codebook (the 1-9 keys follow the order)."""
        self._store.move_tag(tag_id, position)
        self.reload_codebook()

    def set_tag_order(self, tag_ids: Sequence[int]) -> None:
        """Put the codebook back in an earlier order (the 1-9 keys follow)."""
        self._store.set_tag_order(tag_ids)
        self.reload_codebook()

    def set_tag_parent(self, tag_id: int, parent_id: int | None) -> TagRecord:
        """Nest a tag under another, or lift it to the top level."""
        record = self._store.set_tag_parent(tag_id, parent_id)
        self.reload_codebook()
        return record

    def remove_tag(self, tag_id: int) -> TagRemoval:
        """Remove a tag from the codebook and from its annotations (the codebook is re-read by
        the session, which also re-reads the open document's annotations that changed)."""
        return self._store.remove_tag(tag_id)

    def merge_tags(self, source_id: int, target_id: int) -> TagRemoval:
        """Give the source tag's annotations the target tag, then remove the source."""
        return self._store.merge_tags(source_id, target_id)

    def restore_tag(self, removal: TagRemoval, *, merged_into: int | None = None) -> TagRecord:
        """Undo a removal or merge: the tag, its links and its children come back."""
        return self._store.restore_tag(removal, merged_into=merged_into)

    def reload_codebook(self, *, announce: bool = True) -> None:
        """Re-read the codebook; `announce` sends tagsChanged."""
        self._set_codebook(self._store.tags())
        if announce:
            self.tagsChanged.emit()

    def _set_codebook(self, tags: list[TagRecord]) -> None:
        """Keep the codebook, and an index by id (the side panel looks tags up per row)."""
        self._tags = tags
        self._tag_by_id = {t.id: t for t in tags}

    # -- documents -----------------------------------------------------------------------------

    def documents(self, *, all_versions: bool = False) -> list[DocumentSummary]:
        """Every article (its latest version, or every version), for lists and menus."""
        return self._store.documents(all_versions=all_versions)

    def document(self, document_id: int, *, known_text: str | None = None) -> DocumentRecord:
        """One document with its text (NotFoundError when the library does not hold it)."""
        return self._store.document(document_id, known_text=known_text)

    def versions(self, document_id: int) -> list[DocumentSummary]:
        """The versions of `document_id`'s article, oldest first."""
        return self._store.versions(document_id)

    def version_candidates(self, canonical_url: str, title: str) -> list[DocumentSummary]:
        """Articles an import with this URL or title may be a new version of."""
        return self._store.version_candidates(canonical_url, title)

    def recent_documents(self, limit: int = 10) -> list[DocumentSummary]:
        """The documents opened last, newest first (File › Open Recent)."""
        return self._store.recent_documents(limit)

    def annotations_of(self, document_id: int) -> list[AnnotationRecord]:
        """Every annotation of one document, read from the library (not the open copy)."""
        return self._store.annotations(document_id)

    def annotation(self, annotation_id: int) -> AnnotationRecord:
        """One annotation of any document (NotFoundError when it is gone)."""
        return self._store.annotation(annotation_id)

    def all_annotations(self) -> list[AnnotationRecord]:
        """Every annotation of every document (the claims review, the codebook editor)."""
        return self._store.all_annotations()

    def speakers(self) -> list[str]:
        """Every speaker named on a claim, for the speaker field's completion."""
        return self._store.speakers()

    def search(self, query: str) -> list[SearchHit]:
        """Full-text search of the whole library."""
        return self._store.search(query)

    def reading_position(self, document_id: int) -> tuple[int, tuple[int, int] | None]:
        """Where the reader was in `document_id`: the top offset and the focused sentence."""
        return self._store.reading_position(document_id)

    def set_reading_position(
        self, document_id: int, offset: int, focus: tuple[int, int] | None
    ) -> None:
        """Remember where the reader is in `document_id`."""
        self._store.set_reading_position(document_id, offset, focus)

    # -- slow work, called from a worker thread (each store call is its own transaction) -------

    def analyse(self, document_id: int | None = None) -> Analysis:
        """The Analysis view's counts for one document, or the whole library when None."""
        from desktop_app.storage.library_analysis import analyse_store

        return analyse_store(self._store, document_id)

    def render_export(
        self, format_name: str, document_ids: list[int] | None, options: ExportOptions
    ) -> Rendered:
        """An export of `document_ids` (None: the whole library) in one format."""
        from desktop_app.io.exports import render

        return render(self._store, format_name, document_ids, options)

    def carry_annotations(
        self, previous_id: int, new_id: int, progress: Progress | None = None
    ) -> CarryReport:
        """Re-anchor `previous_id`'s annotations onto `new_id`, making it the next version."""
        from desktop_app.storage.version_carrying import carry_annotations

        return carry_annotations(self._store, previous_id, new_id, progress, link=True)
