"""Moving documents and notes between files and the library, shared by the window and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.io.file_reader import DEFAULT_SIZE_LIMIT, read_document_file
from desktop_app.io.imported import ImportedDocument
from desktop_app.io.markdown_export import export_markdown

if TYPE_CHECKING:
    from desktop_app.storage.library_store import LibraryStore


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """Where an imported file went: a new document, or one the library already had."""

    document_id: int
    title: str
    length: int
    already_present: bool
    notes: tuple[str, ...] = ()


def import_file(
    store: LibraryStore,
    path: Path,
    *,
    version_of: int | None = None,
    size_limit: int = DEFAULT_SIZE_LIMIT,
) -> ImportOutcome:
    """Read `path` and add it to the library, unless the library holds the same text already.

    Raises ImportRefused (with a one-line reason) and writes nothing when the file is refused.
    """
    return store_imported(store, read_document_file(path, size_limit), version_of=version_of)


def store_imported(
    store: LibraryStore, imported: ImportedDocument, *, version_of: int | None = None
) -> ImportOutcome:
    """Add an imported document (from a file or the clipboard), unless it is already there.

    The look-up and the addition are one transaction: two processes importing the same
    article at once store it once, and the second finds the first's.
    """
    with store.transaction():
        return _store_new_or_find(store, imported, version_of)


def _store_new_or_find(
    store: LibraryStore, imported: ImportedDocument, version_of: int | None
) -> ImportOutcome:
    existing = store.find_document_with_text(imported.text)
    if existing is not None:
        document = store.document(existing)
        return ImportOutcome(existing, document.title, len(document.text), already_present=True)
    document = store.add_document(
        imported.title,
        imported.source,
        imported.text,
        format=imported.format,
        encoding=imported.encoding,
        author=imported.author,
        site=imported.site,
        published=imported.published,
        canonical_url=imported.canonical_url,
        blocks=[(b.start, b.end, b.kind) for b in imported.blocks],
        import_notes=imported.notes,
        version_of=version_of,
    )
    return ImportOutcome(
        document.id, document.title, len(document.text), already_present=False, notes=imported.notes
    )


def render_markdown(store: LibraryStore, document_id: int, now: datetime | None = None) -> str:
    """The annotated notes of one document as Markdown."""
    return export_markdown(
        store.document(document_id),
        store.annotations(document_id),
        store.tags(),
        now or datetime.now(UTC),
    )
