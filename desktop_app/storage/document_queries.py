"""The documents part of the library store: articles, their metadata, versions and positions."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.interfaces import ORMOption

from desktop_app.core.records import ANCHOR_OK, DocumentRecord, DocumentSummary
from desktop_app.core.text_normalise import is_normalised
from desktop_app.storage.errors import NotFoundError
from desktop_app.storage.orm import Annotation, Document, utc_now
from desktop_app.storage.store_base import StoreBase, text_digest

Blocks = Sequence[tuple[int, int, str]]


def document_record(document: Document, text: str | None = None) -> DocumentRecord:
    """The plain record of a Document row (with `text` in place of the row's, when given)."""
    blocks = tuple(
        (int(a), int(b), str(kind)) for a, b, kind in json.loads(document.blocks or "[]")
    )
    notes = tuple(line for line in document.import_notes.split("\n") if line)
    return DocumentRecord(
        id=document.id,
        title=document.title,
        source=document.source,
        text=document.text if text is None else text,
        imported_at=document.imported_at,
        format=document.format,
        encoding=document.encoding,
        author=document.author,
        site=document.site,
        published=document.published,
        canonical_url=document.canonical_url,
        blocks=blocks,
        import_notes=notes,
        version_group=document.version_group,
        version_number=document.version_number,
    )


def live_document(
    session: Session, document_id: int, options: Sequence[ORMOption] = ()
) -> Document:
    """The document row, or NotFoundError when there is none or it was deleted."""
    document = session.get(Document, document_id, options=options)
    if document is None or document.deleted_at is not None:
        raise NotFoundError(f"There is no document {document_id} in this library.")
    return document


def next_version(session: Session, previous_id: int) -> tuple[int, int]:
    """The version group and number a new version of `previous_id`'s article gets."""
    earlier = live_document(session, previous_id)
    group = earlier.version_group or earlier.id
    latest = session.scalar(
        select(func.max(Document.version_number)).where(
            (Document.version_group == group) | (Document.id == group)
        )
    )
    if earlier.version_group is None:
        earlier.version_group = group
    return group, (latest or 1) + 1


def check_normalised(text: str) -> None:
    """Refuse (ValueError) a text that is not normalised: a caller's bug, never the user's."""
    if not is_normalised(text):
        raise ValueError(
            "a document's text must be normalised before it is stored "
            "(desktop_app.core.text_normalise.normalise_text, where the text is built)"
        )


class DocumentQueries(StoreBase):
    """Reading and changing the library's documents."""

    def add_document(
        self,
        title: str,
        source: str,
        text: str,
        *,
        format: str = "text",
        encoding: str = "",
        author: str = "",
        site: str = "",
        published: str = "",
        canonical_url: str = "",
        blocks: Blocks = (),
        import_notes: Sequence[str] = (),
        version_of: int | None = None,
    ) -> DocumentRecord:
        """Store a new document; `text` must be normalised already (ValueError otherwise).

        Text is normalised once, where it is built (the reader, the REFI importer, the sample
        article), because that is where the blocks that must line up with it are counted:
        normalising here again would shift the text under them. With `version_of`, the
        document becomes the next version of that document's article.
        """
        check_normalised(text)
        with self._writing() as session:
            group, number = None, 1
            if version_of is not None:
                group, number = self._next_version(session, version_of)
            document = Document(
                title=" ".join(title.split()) or "Untitled",
                source=source,
                text=text,
                text_sha256=text_digest(text),
                imported_at=utc_now(),
                format=format,
                encoding=encoding,
                author=author,
                site=site,
                published=published,
                canonical_url=canonical_url,
                blocks=json.dumps([list(block) for block in blocks]),
                import_notes="\n".join(" ".join(n.split()) for n in import_notes),
                version_group=group,
                version_number=number,
            )
            session.add(document)
            session.flush()
            return document_record(document)

    def _next_version(self, session: Session, previous_id: int) -> tuple[int, int]:
        return next_version(session, previous_id)

    def link_as_version(self, document_id: int, previous_id: int) -> DocumentRecord:
        """Make an imported document the next version of `previous_id`'s article."""
        if document_id == previous_id:
            raise ValueError("a document cannot be a new version of itself")
        with self._writing() as session:
            document = self._live(session, document_id)
            document.version_group, document.version_number = self._next_version(
                session, previous_id
            )
            session.flush()
            return document_record(document)

    @staticmethod
    def _live(session: Session, document_id: int) -> Document:
        return live_document(session, document_id)

    def find_document_with_text(self, text: str) -> int | None:
        """Id of a document whose text equals `text`, if any.

        `text` is normalised already, as everything stored is (see `add_document`); it is
        compared as it is.
        """
        digest = text_digest(text)
        with self._reading() as session:
            return session.scalar(
                select(Document.id)
                .where(Document.text_sha256 == digest, Document.deleted_at.is_(None))
                .order_by(Document.id)
            )

    def find_document_with_digest(self, digest: str) -> int | None:
        """Id of a live document whose text has this SHA-256 (what exports carry), if any."""
        with self._reading() as session:
            return session.scalar(
                select(Document.id)
                .where(Document.text_sha256 == digest, Document.deleted_at.is_(None))
                .order_by(Document.id)
            )

    def version_candidates(self, canonical_url: str, title: str) -> list[DocumentSummary]:
        """Latest versions of articles that a newly imported one may be a new version of:
        the same canonical URL, else the same title (ignoring case and spacing)."""
        key = " ".join(title.split()).casefold()
        return [
            d
            for d in self.documents()
            if (canonical_url and d.canonical_url == canonical_url)
            or (key and " ".join(d.title.split()).casefold() == key)
        ]

    def document(self, document_id: int, *, known_text: str | None = None) -> DocumentRecord:
        """The document with its full text, or NotFoundError (also for a deleted one).

        `known_text` is a text the caller holds already (the window's start-up preview, or
        the document open now). When its digest is the stored one, the record carries that
        very string and the stored copy is not read: a 2 MB article is not held twice while
        it opens again.
        """
        with self._reading() as session:
            if known_text is None:
                return document_record(live_document(session, document_id))
            document = live_document(session, document_id, [defer(Document.text)])
            if document.text_sha256 == text_digest(known_text):
                return document_record(document, known_text)
            return document_record(document)  # reads the deferred text

    def documents(self, *, all_versions: bool = False) -> list[DocumentSummary]:
        """The library, oldest first, without texts: by default one row per article (its
        latest version); with `all_versions`, every version."""
        counts = (
            select(
                Annotation.document_id,
                func.count().label("n"),
                func.sum(func.iif(Annotation.anchor_status != ANCHOR_OK, 1, 0)).label("review"),
            )
            .group_by(Annotation.document_id)
            .subquery()
        )
        query = (
            select(
                Document.id,
                Document.title,
                Document.source,
                Document.imported_at,
                func.length(Document.text),
                func.coalesce(counts.c.n, 0),
                Document.site,
                Document.published,
                Document.format,
                Document.version_group,
                Document.version_number,
                func.coalesce(counts.c.review, 0),
                Document.opened_at,
                Document.canonical_url,
            )
            .outerjoin(counts, counts.c.document_id == Document.id)
            .where(Document.deleted_at.is_(None))
            .order_by(Document.id)
        )
        with self._reading() as session:
            rows = session.execute(query).all()
        summaries = [DocumentSummary(*row) for row in rows]
        if all_versions:
            return summaries
        latest: dict[int, DocumentSummary] = {}
        for summary in summaries:
            group = summary.version_group or summary.id
            if group not in latest or summary.version_number > latest[group].version_number:
                latest[group] = summary
        return sorted(latest.values(), key=lambda s: s.id)

    def versions(self, document_id: int) -> list[DocumentSummary]:
        """Every version of the article `document_id` belongs to, oldest first."""
        group = self.document(document_id).group
        return [d for d in self.documents(all_versions=True) if (d.version_group or d.id) == group]

    def document_count(self) -> int:
        """How many articles the library holds (versions of one article count once)."""
        return len(self.documents())

    def rename_document(self, document_id: int, title: str) -> DocumentRecord:
        """Give a document another title (its text never changes)."""
        title = " ".join(title.split())
        if not title:
            raise ValueError("a document needs a title")
        with self._writing() as session:
            document = self._live(session, document_id)
            document.title = title
            session.flush()
            return document_record(document)

    def delete_document(self, document_id: int) -> None:
        """Delete a document with its annotations, undoably until the library is next opened."""
        with self._writing() as session:
            self._live(session, document_id).deleted_at = utc_now()

    def restore_document(self, document_id: int) -> None:
        """Undo `delete_document`."""
        with self._writing() as session:
            document = session.get(Document, document_id)
            if document is None:
                raise NotFoundError(f"There is no document {document_id} in this library.")
            document.deleted_at = None

    def purge_deleted_documents(self) -> int:
        """Remove documents deleted in an earlier session for good; returns how many."""
        with self._writing() as session:
            doomed = session.scalars(select(Document).where(Document.deleted_at.is_not(None)))
            count = 0
            for document in doomed:
                session.delete(document)
                count += 1
            return count

    def recent_documents(self, limit: int = 10) -> list[DocumentSummary]:
        """The documents opened most recently, newest first."""
        opened = [d for d in self.documents(all_versions=True) if d.opened_at is not None]
        opened.sort(key=lambda d: d.opened_at, reverse=True)  # type: ignore[arg-type, return-value]
        return opened[:limit]

    def set_reading_position(
        self, document_id: int, offset: int, focus: tuple[int, int] | None
    ) -> None:
        """Remember where the reader was in a document (scroll offset and sentence focus)."""
        with self._writing() as session:
            session.execute(
                update(Document)
                .where(and_(Document.id == document_id))
                .values(
                    reading_offset=max(0, offset),
                    focus_start=None if focus is None else focus[0],
                    focus_end=None if focus is None else focus[1],
                )
            )

    def reading_position(self, document_id: int) -> tuple[int, tuple[int, int] | None]:
        """The remembered scroll offset (code points) and sentence focus of a document."""
        with self._reading() as session:
            row = session.execute(
                select(Document.reading_offset, Document.focus_start, Document.focus_end).where(
                    Document.id == document_id
                )
            ).first()
        if row is None:
            return 0, None
        offset, start, end = row
        return offset, (None if start is None or end is None else (start, end))
