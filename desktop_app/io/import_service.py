"""One way in for articles and annotations, for the command line and the window alike.

A file (or the clipboard's contents) goes in; one typed outcome comes out, saying what was
imported and, in its `ChangeReport`, exactly what in the library changed. The command line
prints outcomes, the window's import worker collects them: neither decides any more which
reader, importer or version rule applies, so the two cannot drift apart.

A refusal (a file the user can fix: missing, too big, a format we do not read, a name that is
not UTF-8, an empty clipboard) is an outcome, `Refused`, with the one line `ImportRefused`
gives. Anything else (a bug, a locked or full library) propagates to the caller, which
already turns it into one line. Qt-free, so the headless command line can use it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from desktop_app.core.change_report import NO_CHANGE, ChangeReport
from desktop_app.io.annotation_imports import AnnotationsImported
from desktop_app.io.file_reader import DEFAULT_SIZE_LIMIT
from desktop_app.io.imported import ImportedDocument, ImportRefused

if TYPE_CHECKING:
    from desktop_app.storage.library_store import LibraryStore
    from desktop_app.storage.version_carrying import CarryReport

__all__ = [
    "AnnotationsImported",
    "Cancelled",
    "DocumentFound",
    "DocumentImported",
    "ImportOutcome",
    "ImportService",
    "Refused",
    "StoredDocument",
    "VersionCarried",
    "store_imported",
]


@dataclass(frozen=True, slots=True)
class DocumentImported:
    """A new document: its id, title and length (code points), and the reader's notes.

    `version_hint` is an article this one may be a new version of (the same canonical URL,
    else the same title), offered when no `version_of` was asked for; None when there is none.
    """

    document_id: int
    title: str
    length: int
    notes: tuple[str, ...] = ()
    version_hint: int | None = None
    changes: ChangeReport = NO_CHANGE
    already_present: ClassVar[bool] = False


@dataclass(frozen=True, slots=True)
class DocumentFound:
    """The library holds this very text already, as `document_id`: nothing was added.

    `not_carried` says, in a few words, why `version_of` carried nothing onto it ("it is
    already a version of document 3"); "" when no version was asked for.
    """

    document_id: int
    title: str
    length: int
    not_carried: str = ""
    changes: ChangeReport = NO_CHANGE
    already_present: ClassVar[bool] = True
    notes: ClassVar[tuple[str, ...]] = ()


@dataclass(frozen=True, slots=True)
class VersionCarried:
    """The document became the next version of an article, with its annotations carried over.

    `already_present` is True when the library held the text already (it was linked, not
    added); `notes` are then empty. `carried` counts how the annotations of `previous_id`
    (the article's latest version before) fared.
    """

    document_id: int
    title: str
    length: int
    notes: tuple[str, ...]
    already_present: bool
    previous_id: int
    version_number: int
    carried: CarryReport
    changes: ChangeReport = NO_CHANGE

    @property
    def placed(self) -> int:
        """Annotations placed with confidence."""
        return self.carried.counts.get("ok", 0)

    @property
    def to_review(self) -> int:
        """Annotations placed where the reader should check them."""
        return self.carried.counts.get("needs_review", 0)

    @property
    def orphaned(self) -> int:
        """Annotations kept without a place in the new text."""
        return self.carried.counts.get("orphaned", 0)


@dataclass(frozen=True, slots=True)
class Refused:
    """Nothing was imported, for a reason the user can act on; the library is unchanged.

    `message` is one line, "<file as the user gave it>: <reason>" (or the clipboard's line).
    """

    message: str
    changes: ClassVar[ChangeReport] = NO_CHANGE


@dataclass(frozen=True, slots=True)
class Cancelled:
    """The caller cancelled while the file was read: it was not stored."""

    name: str
    changes: ClassVar[ChangeReport] = NO_CHANGE


StoredDocument = DocumentImported | DocumentFound | VersionCarried
"""The outcomes that leave a document to open."""

ImportOutcome = StoredDocument | AnnotationsImported | Refused | Cancelled
"""Every outcome of one item."""

OnStored = Callable[[DocumentImported | DocumentFound], None]
KeepGoing = Callable[[], bool]


class ImportService:
    """Imports files and clipboard contents into one library, one item per call.

    `changes` is the merge of what every call so far committed, kept even when a call then
    fails (a document stored before carrying onto it failed is still in the library, and the
    window must hear of it).
    """

    def __init__(
        self,
        store: LibraryStore,
        *,
        size_limit: int = DEFAULT_SIZE_LIMIT,
        hint_versions: bool = True,
    ) -> None:
        self._store = store
        self._size_limit = size_limit
        self._hint_versions = hint_versions
        self._changes = NO_CHANGE

    @property
    def changes(self) -> ChangeReport:
        """Everything the calls so far changed in the library."""
        return self._changes

    def import_path(
        self,
        path: Path,
        *,
        version_of: int | None = None,
        annotations_for: int | None = None,
        keep_going: KeepGoing | None = None,
        on_stored: OnStored | None = None,
    ) -> ImportOutcome:
        """Import one file: an annotations file (W3C JSON, .qdpx, .qdc) or an article.

        `version_of` makes an article the next version of that document's article and carries
        the annotations of its latest version over (NotFoundError, before anything is read,
        when there is no such document). `annotations_for` attaches a W3C file's annotations
        to that document. `keep_going()` is asked once an article is read, before it is
        stored: False gives `Cancelled` and stores nothing. `on_stored` hears of the document
        as soon as it is stored or found, before any carrying: carrying may still fail, and
        the document is in the library all the same.
        """
        # Looked up when called (not bound at import), so that a stand-in set later is used.
        from desktop_app.io.annotation_imports import import_annotations_file, is_annotations_file
        from desktop_app.io.file_reader import read_document_file
        from desktop_app.io.imported import check_file_name

        if version_of is not None:
            self._store.document(version_of)  # NotFoundError (one line) before reading anything
        try:
            check_file_name(path)
            if is_annotations_file(path):
                annotations = import_annotations_file(self._store, path, annotations_for)
                self._note(annotations.changes)
                return annotations
            imported = read_document_file(path, self._size_limit)
        except ImportRefused as refusal:
            return Refused(str(refusal))
        if keep_going is not None and not keep_going():
            return Cancelled(path.name)
        return self._store_document(imported, version_of, on_stored)

    def import_clipboard(self, html: str | None, text: str | None) -> ImportOutcome:
        """Make a document of the clipboard's HTML (preferred) or plain text."""
        from desktop_app.io.readers.clipboard import EmptyClipboard, from_clipboard

        try:
            imported = from_clipboard(html, text)
        except EmptyClipboard as empty:
            return Refused(str(empty))
        return self._store_document(imported, None, None)

    def _store_document(
        self, imported: ImportedDocument, version_of: int | None, on_stored: OnStored | None
    ) -> StoredDocument:
        stored = store_imported(self._store, imported)
        self._note(stored.changes)
        if on_stored is not None:
            on_stored(stored)
        if version_of is not None:
            return self._carried_onto(stored, version_of)
        if isinstance(stored, DocumentImported) and self._hint_versions:
            hint = self._version_hint(stored, imported.canonical_url)
            return dataclasses.replace(stored, version_hint=hint)
        return stored

    def _carried_onto(
        self, stored: DocumentImported | DocumentFound, version_of: int
    ) -> StoredDocument:
        """Link the document as the next version of `version_of`'s article and carry its
        annotations, unless the text the library had already cannot be (see `_not_carried`)."""
        if isinstance(stored, DocumentFound):
            reason = self._not_carried(stored.document_id, version_of)
            if reason:
                return dataclasses.replace(stored, not_carried=reason)
        return self._carry(stored, version_of)

    def _not_carried(self, existing: int, version_of: int) -> str:
        """Why a text already in the library is not made a version of `version_of`, or ""."""
        if any(d.id == existing for d in self._store.versions(version_of)):
            return f"it is already a version of document {version_of}"
        if len(self._store.versions(existing)) > 1:
            return f"document {existing} has versions of its own"
        return ""

    def _carry(self, stored: DocumentImported | DocumentFound, version_of: int) -> VersionCarried:
        """Carry the annotations of the article's latest version onto the document and make it
        the next version, in one transaction (a failure leaves it a separate article)."""
        from desktop_app.storage.version_carrying import carry_annotations

        latest = self._store.versions(version_of)[-1].id
        carried = carry_annotations(self._store, latest, stored.document_id, link=True)
        # The link may give the article's first version its group: name it too.
        changes = carried.changes.merged(ChangeReport.of(documents=(version_of,)))
        self._note(changes)
        return VersionCarried(
            document_id=stored.document_id,
            title=stored.title,
            length=stored.length,
            notes=stored.notes,
            already_present=stored.already_present,
            previous_id=latest,
            version_number=self._store.document(stored.document_id).version_number,
            carried=carried,
            changes=changes,
        )

    def _version_hint(self, stored: DocumentImported, canonical_url: str) -> int | None:
        others = [
            d.id
            for d in self._store.version_candidates(canonical_url, stored.title)
            if d.id != stored.document_id
        ]
        return others[0] if others else None

    def _note(self, changes: ChangeReport) -> None:
        self._changes = self._changes.merged(changes)


def store_imported(
    store: LibraryStore, imported: ImportedDocument
) -> DocumentImported | DocumentFound:
    """Add an imported document (from a file or the clipboard), unless it is already there.

    The look-up and the addition are one transaction: two processes importing the same
    article at once store it once, and the second finds the first's.
    """
    with store.transaction():
        return _store_new_or_find(store, imported)


def _store_new_or_find(
    store: LibraryStore, imported: ImportedDocument
) -> DocumentImported | DocumentFound:
    existing = store.find_document_with_text(imported.text)
    if existing is not None:
        document = store.document(existing)
        return DocumentFound(existing, document.title, len(document.text))
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
    )
    return DocumentImported(
        document.id,
        document.title,
        len(document.text),
        notes=imported.notes,
        changes=ChangeReport.of(documents=(document.id,)),
    )
