"""What every exporter receives: the documents in scope, their annotations and the codebook.

Exporters are pure functions of a bundle (no database, no Qt), so they can be tested on records
built by hand and run on a worker thread. `collect_bundle` reads one from the library, and
`collect_codebook` one that holds only the codebook, for formats that carry nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from desktop_app.core.records import AnnotationRecord, DocumentRecord, TagRecord, reading_order

if TYPE_CHECKING:
    from desktop_app.storage.library_store import LibraryStore


@dataclass(frozen=True, slots=True)
class ExportBundle:
    """Documents (in library order) with their annotations (in reading order) and all tags."""

    documents: tuple[DocumentRecord, ...]
    annotations: dict[int, tuple[AnnotationRecord, ...]]
    tags: tuple[TagRecord, ...]
    exported_at: datetime

    def annotations_of(self, document_id: int) -> tuple[AnnotationRecord, ...]:
        """The annotations of one document, in reading order."""
        return self.annotations.get(document_id, ())

    def tag(self, tag_id: int) -> TagRecord | None:
        """The tag with `tag_id`, or None."""
        return next((t for t in self.tags if t.id == tag_id), None)

    @property
    def annotation_count(self) -> int:
        """How many annotations the bundle holds."""
        return sum(len(a) for a in self.annotations.values())


def collect_bundle(
    store: LibraryStore, document_ids: Sequence[int] | None, exported_at: datetime
) -> ExportBundle:
    """The bundle of the given documents (None: every article's latest version)."""
    ids = [d.id for d in store.documents()] if document_ids is None else list(document_ids)
    documents = tuple(store.document(i) for i in ids)
    annotations = {
        d.id: tuple(sorted(store.annotations(d.id), key=reading_order)) for d in documents
    }
    return ExportBundle(documents, annotations, tuple(store.tags()), exported_at)


def collect_codebook(store: LibraryStore, exported_at: datetime) -> ExportBundle:
    """A bundle of the library's codebook alone, with no documents or annotations."""
    return ExportBundle((), {}, tuple(store.tags()), exported_at)
