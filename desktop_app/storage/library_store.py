"""The library's services: every read and every change, each change committed as it happens.

Each public method is one user-level action in one transaction (`with Session(...) as s,
s.begin()`), so there is nothing to save and nothing to lose on quit or crash. Results are
plain records (desktop_app.core.records), never live ORM objects, so callers can keep them
across actions and threads.
"""

from __future__ import annotations

import hashlib
import uuid as uuid_module
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.orm import Session

from desktop_app.core.anchors import Anchor
from desktop_app.core.codebook import (
    TagSpec,
    check_unique_name,
    clean_colour,
    clean_tag_name,
)
from desktop_app.core.records import AnnotationRecord, DocumentRecord, DocumentSummary, TagRecord
from desktop_app.core.text_normalise import normalise_text
from desktop_app.storage.database import open_library_engine
from desktop_app.storage.errors import NotFoundError
from desktop_app.storage.orm import (
    Annotation,
    AppSetting,
    Document,
    Tag,
    annotation_tags,
    utc_now,
)

LAST_DOCUMENT_KEY = "last_document_id"


def text_digest(text: str) -> str:
    """SHA-256 of a normalised text: how the same article imported twice is recognised."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _tag_record(tag: Tag) -> TagRecord:
    return TagRecord(tag.id, tag.name, tag.colour, tag.position, tag.description)


class LibraryStore:
    """Reads and changes one library file."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path

    @classmethod
    def open(cls, path: Path) -> LibraryStore:
        """Open the library at `path`, creating and migrating it as needed."""
        return cls(open_library_engine(path), path)

    def close(self) -> None:
        """Release the file (pending WAL content is checkpointed by SQLite)."""
        self.engine.dispose()

    # -- documents -----------------------------------------------------------------------------

    def add_document(self, title: str, source: str, text: str) -> DocumentRecord:
        """Store a new document; `text` is normalised here if the importer has not done so."""
        text = normalise_text(text)
        with Session(self.engine) as session, session.begin():
            document = Document(
                title=title,
                source=source,
                text=text,
                text_sha256=text_digest(text),
                imported_at=utc_now(),
            )
            session.add(document)
            session.flush()
            return DocumentRecord(document.id, title, source, text, document.imported_at)

    def find_document_with_text(self, text: str) -> int | None:
        """Id of a document whose text equals `text` (after normalisation), if any."""
        digest = text_digest(normalise_text(text))
        with Session(self.engine) as session:
            return session.scalar(
                select(Document.id).where(Document.text_sha256 == digest).order_by(Document.id)
            )

    def document(self, document_id: int) -> DocumentRecord:
        """The document with its full text, or NotFoundError."""
        with Session(self.engine) as session:
            document = session.get(Document, document_id)
            if document is None:
                raise NotFoundError(f"There is no document {document_id} in this library.")
            return DocumentRecord(
                document.id, document.title, document.source, document.text, document.imported_at
            )

    def documents(self) -> list[DocumentSummary]:
        """Every document, oldest first, without loading texts."""
        counts = (
            select(Annotation.document_id, func.count().label("n"))
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
            )
            .outerjoin(counts, counts.c.document_id == Document.id)
            .order_by(Document.id)
        )
        with Session(self.engine) as session:
            return [DocumentSummary(*row) for row in session.execute(query)]

    def document_count(self) -> int:
        """How many documents the library holds."""
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(Document)) or 0

    # -- tags ----------------------------------------------------------------------------------

    def tags(self) -> list[TagRecord]:
        """The codebook in panel order."""
        with Session(self.engine) as session:
            return [_tag_record(t) for t in session.scalars(select(Tag).order_by(Tag.position))]

    def add_tag(
        self, spec: TagSpec, *, tag_id: int | None = None, position: int | None = None
    ) -> TagRecord:
        """Add a tag at the end of the codebook (or at `position`, shifting later tags down).

        `tag_id` restores a tag with its old id, which is how undoing its removal brings
        back the annotations' links to it.
        """
        name = clean_tag_name(spec.name)
        colour = clean_colour(spec.colour)
        with Session(self.engine) as session, session.begin():
            existing = list(session.scalars(select(Tag).order_by(Tag.position)))
            check_unique_name(name, (t.name for t in existing))
            if position is None or position >= len(existing):
                position = len(existing)
            else:
                for later in existing[position:]:
                    later.position += 1
            tag = Tag(name=name, colour=colour, position=position, description=spec.description)
            if tag_id is not None:
                tag.id = tag_id
            session.add(tag)
            session.flush()
            return _tag_record(tag)

    def remove_tag(self, tag_id: int) -> None:
        """Remove a tag and its links to annotations, closing the gap in positions."""
        with Session(self.engine) as session, session.begin():
            tag = session.get(Tag, tag_id)
            if tag is None:
                raise NotFoundError(f"There is no tag {tag_id} in this library.")
            position = tag.position
            session.delete(tag)
            session.flush()
            for later in session.scalars(select(Tag).where(Tag.position > position)):
                later.position -= 1

    def tag_counts(self, document_id: int) -> dict[int, int]:
        """How many annotations of the document carry each tag."""
        query = (
            select(annotation_tags.c.tag_id, func.count())
            .join(Annotation, Annotation.id == annotation_tags.c.annotation_id)
            .where(Annotation.document_id == document_id)
            .group_by(annotation_tags.c.tag_id)
        )
        with Session(self.engine) as session:
            return {tag_id: count for tag_id, count in session.execute(query)}

    def seed_codebook(self, specs: Iterable[TagSpec]) -> list[TagRecord]:
        """Give an empty codebook its default tags (does nothing when tags exist)."""
        if self.tags():
            return self.tags()
        for spec in specs:
            self.add_tag(spec)
        return self.tags()

    # -- annotations ---------------------------------------------------------------------------

    def annotations(self, document_id: int) -> list[AnnotationRecord]:
        """The document's annotations in reading order (by start, then end).

        Read with two flat queries rather than ORM objects: 10,000 annotations load in tens of
        milliseconds this way.
        """
        columns = (
            Annotation.id,
            Annotation.uuid,
            Annotation.document_id,
            Annotation.start,
            Annotation.end,
            Annotation.exact,
            Annotation.prefix,
            Annotation.suffix,
            Annotation.note,
            Annotation.created,
            Annotation.updated,
        )
        with Session(self.engine) as session:
            rows = session.execute(
                select(*columns)
                .where(Annotation.document_id == document_id)
                .order_by(Annotation.start, Annotation.end, Annotation.id)
            ).all()
            links = session.execute(
                select(annotation_tags.c.annotation_id, annotation_tags.c.tag_id)
                .join(Annotation, Annotation.id == annotation_tags.c.annotation_id)
                .join(Tag, Tag.id == annotation_tags.c.tag_id)
                .where(Annotation.document_id == document_id)
                .order_by(Tag.position)
            ).all()
        tags_of: dict[int, list[int]] = {}
        for annotation_id, tag_id in links:
            tags_of.setdefault(annotation_id, []).append(tag_id)
        return [
            AnnotationRecord(
                id=row[0],
                uuid=row[1],
                document_id=row[2],
                start=row[3],
                end=row[4],
                exact=row[5],
                prefix=row[6],
                suffix=row[7],
                note=row[8],
                tag_ids=tuple(tags_of.get(row[0], ())),
                created=row[9],
                updated=row[10],
            )
            for row in rows
        ]

    def annotation(self, annotation_id: int) -> AnnotationRecord:
        """One annotation as a record, or NotFoundError."""
        with Session(self.engine) as session:
            return self._annotation_record(session, annotation_id)

    def _annotation_record(self, session: Session, annotation_id: int) -> AnnotationRecord:
        annotation = session.get(Annotation, annotation_id)
        if annotation is None:
            raise NotFoundError(f"There is no annotation {annotation_id} in this library.")
        return AnnotationRecord(
            id=annotation.id,
            uuid=annotation.uuid,
            document_id=annotation.document_id,
            start=annotation.start,
            end=annotation.end,
            exact=annotation.exact,
            prefix=annotation.prefix,
            suffix=annotation.suffix,
            note=annotation.note,
            tag_ids=tuple(t.id for t in annotation.tags),
            created=annotation.created,
            updated=annotation.updated,
        )

    def create_annotation(
        self, document_id: int, anchor: Anchor, tag_ids: Sequence[int], note: str = ""
    ) -> AnnotationRecord:
        """Add an annotation with the given tags; the anchor must match the document's text."""
        now = utc_now()
        with Session(self.engine) as session, session.begin():
            document = session.get(Document, document_id)
            if document is None:
                raise NotFoundError(f"There is no document {document_id} in this library.")
            if not anchor.matches(document.text):
                raise ValueError("the anchor's quote is not at its position in the document")
            annotation = Annotation(
                uuid=str(uuid_module.uuid4()),
                document_id=document_id,
                start=anchor.start,
                end=anchor.end,
                exact=anchor.exact,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
                note=note,
                created=now,
                updated=now,
            )
            annotation.tags = self._tags_by_id(session, tag_ids)
            session.add(annotation)
            session.flush()
            return self._annotation_record(session, annotation.id)

    def restore_annotation(self, record: AnnotationRecord) -> AnnotationRecord:
        """Put back a deleted annotation exactly as it was (same id, uuid, times): undo."""
        with Session(self.engine) as session, session.begin():
            session.execute(
                insert(Annotation).values(
                    id=record.id,
                    uuid=record.uuid,
                    document_id=record.document_id,
                    start=record.start,
                    end=record.end,
                    exact=record.exact,
                    prefix=record.prefix,
                    suffix=record.suffix,
                    note=record.note,
                    created=record.created,
                    updated=record.updated,
                )
            )
            existing = set(session.scalars(select(Tag.id).where(Tag.id.in_(record.tag_ids))))
            rows = [
                {"annotation_id": record.id, "tag_id": t} for t in record.tag_ids if t in existing
            ]
            if rows:
                session.execute(insert(annotation_tags), rows)
            return self._annotation_record(session, record.id)

    def set_annotation_tags(self, annotation_id: int, tag_ids: Sequence[int]) -> AnnotationRecord:
        """Replace an annotation's tags."""
        with Session(self.engine) as session, session.begin():
            annotation = session.get(Annotation, annotation_id)
            if annotation is None:
                raise NotFoundError(f"There is no annotation {annotation_id} in this library.")
            annotation.tags = self._tags_by_id(session, tag_ids)
            annotation.updated = utc_now()
            session.flush()
            return self._annotation_record(session, annotation_id)

    def set_note(self, annotation_id: int, note: str) -> AnnotationRecord:
        """Replace an annotation's note."""
        with Session(self.engine) as session, session.begin():
            annotation = session.get(Annotation, annotation_id)
            if annotation is None:
                raise NotFoundError(f"There is no annotation {annotation_id} in this library.")
            annotation.note = note
            annotation.updated = utc_now()
            session.flush()
            return self._annotation_record(session, annotation_id)

    def delete_annotation(self, annotation_id: int) -> AnnotationRecord:
        """Delete an annotation, returning it as it was so that the deletion can be undone."""
        with Session(self.engine) as session, session.begin():
            record = self._annotation_record(session, annotation_id)
            session.execute(delete(Annotation).where(Annotation.id == annotation_id))
            return record

    @staticmethod
    def _tags_by_id(session: Session, tag_ids: Sequence[int]) -> list[Tag]:
        tags = {t.id: t for t in session.scalars(select(Tag).where(Tag.id.in_(tag_ids)))}
        missing = [t for t in tag_ids if t not in tags]
        if missing:
            raise NotFoundError(f"There is no tag {missing[0]} in this library.")
        # Codebook order, as every read of the annotation returns them.
        return sorted(tags.values(), key=lambda tag: tag.position)

    # -- small state ---------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """A stored per-library setting, or None."""
        with Session(self.engine) as session:
            item = session.get(AppSetting, key)
            return None if item is None else item.value

    def set_setting(self, key: str, value: str) -> None:
        """Store a per-library setting."""
        with Session(self.engine) as session, session.begin():
            session.merge(AppSetting(key=key, value=value))
