"""The annotations part of the library store."""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import String, bindparam, delete, func, insert, select, type_coerce, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from desktop_app.core.anchors import Anchor
from desktop_app.core.records import ANCHOR_OK, STANCES, AnnotationRecord
from desktop_app.storage.document_queries import live_document, next_version
from desktop_app.storage.errors import NotFoundError
from desktop_app.storage.orm import Annotation, Document, Tag, annotation_tags, utc_now
from desktop_app.storage.store_base import StoreBase

# Every field of AnnotationRecord but tag_ids, which is read separately.
_COLUMNS = (
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
    Annotation.anchor_status,
    Annotation.anchor_score,
    Annotation.anchor_method,
    Annotation.previous_exact,
    Annotation.carried_from,
    Annotation.stance,
    Annotation.speaker,
    Annotation.checkworthiness,
)


# _COLUMNS with the two timestamps read as SQLite stores them (ISO text). Every read of records
# (one or 10,000, through _bulk_records) parses them with `datetime.fromisoformat`, in C:
# SQLAlchemy's DateTime processing plus UtcDateTime's `replace` cost 0.15 s per 10,000
# annotations, a third of opening a large document.
_BULK_COLUMNS = tuple(
    type_coerce(column, String).label(column.key)
    if column.key in ("created", "updated")
    else column
    for column in _COLUMNS
)


_BATCH = 1000  # rows fetched at a time by bulk reads

# Built once: every key press reads its annotation back, and building these statements anew
# (SQLAlchemy coerces each clause) cost more than running them.
_ONE_ANNOTATION = select(*_BULK_COLUMNS).where(Annotation.id == bindparam("annotation_id"))
_ONE_ANNOTATIONS_TAGS = (
    select(annotation_tags.c.annotation_id, annotation_tags.c.tag_id)
    .join(Tag, Tag.id == annotation_tags.c.tag_id)
    .where(annotation_tags.c.annotation_id == bindparam("annotation_id"))
    .order_by(Tag.position)
)


def _stored_utc(text: str) -> datetime:
    """A timestamp as UtcDateTime stores it (naive ISO text in UTC), aware again.

    The offset is appended to the text rather than set with `replace(tzinfo=...)`, which
    costs five times the parse itself.
    """
    return datetime.fromisoformat(text + "+00:00")


def _bulk_records(rows: Iterable[Any], links: Iterable[Any]) -> list[AnnotationRecord]:
    """Records from rows of _BULK_COLUMNS and (annotation id, tag id) links in tag order.

    Each row is unpacked by name rather than zipped into a dict of keyword arguments, which
    cost as much as the query. Single reads come through here too, so there is one builder.
    `rows` may be a live result: rows are consumed one at a time, so the whole batch is never
    held twice. The few values that repeat (status, method, stance, speaker, the tag
    combinations; an unchanged `updated`) are shared between records rather than copied:
    10,000 records are 10 MiB, and opening a document holds them all.
    """
    tags_of = _shared_tag_tuples(links)
    no_tags: tuple[int, ...] = ()
    shared: dict[str, str] = {}
    share = shared.setdefault
    records = []
    for row in rows:
        (
            id_,
            uuid,
            document_id,
            start,
            end,
            exact,
            prefix,
            suffix,
            note,
            created_text,
            updated_text,
            anchor_status,
            anchor_score,
            anchor_method,
            previous_exact,
            carried_from,
            stance,
            speaker,
            checkworthiness,
        ) = row
        created = _stored_utc(created_text)
        records.append(
            AnnotationRecord(
                id=id_,
                uuid=uuid,
                document_id=document_id,
                start=start,
                end=end,
                exact=exact,
                prefix=prefix,
                suffix=suffix,
                note=note,
                tag_ids=tags_of.get(id_, no_tags),
                created=created,
                updated=created if updated_text == created_text else _stored_utc(updated_text),
                anchor_status=share(anchor_status, anchor_status),
                anchor_score=anchor_score,
                anchor_method=share(anchor_method, anchor_method),
                previous_exact=previous_exact,
                carried_from=share(carried_from, carried_from),
                stance=share(stance, stance),
                speaker=share(speaker, speaker),
                checkworthiness=checkworthiness,
            )
        )
    return records


def _shared_tag_tuples(links: Iterable[Any]) -> dict[int, tuple[int, ...]]:
    """Each annotation's tag ids (links come in tag order), one tuple per combination."""
    tag_lists: dict[int, list[int]] = {}
    for annotation_id, tag_id in links:
        tag_lists.setdefault(annotation_id, []).append(tag_id)
    combinations: dict[tuple[int, ...], tuple[int, ...]] = {}
    tags_of: dict[int, tuple[int, ...]] = {}
    for annotation_id, tag_list in tag_lists.items():
        tag_ids = tuple(tag_list)
        tags_of[annotation_id] = combinations.setdefault(tag_ids, tag_ids)
    return tags_of


def _new_row(item: NewAnnotation) -> dict[str, object]:
    """The columns of an annotation added with its own uuid and times (add_annotations)."""
    return {
        "uuid": item.uuid,
        "document_id": item.document_id,
        "start": item.anchor.start,
        "end": item.anchor.end,
        "exact": item.anchor.exact,
        "prefix": item.anchor.prefix,
        "suffix": item.anchor.suffix,
        "note": item.note,
        "created": item.created,
        "updated": item.updated,
        "anchor_status": item.anchor_status,
        "anchor_score": item.anchor_score,
        "anchor_method": item.anchor_method,
        "previous_exact": item.previous_exact,
        "carried_from": "",
        "stance": item.stance,
        "speaker": item.speaker,
        "checkworthiness": item.checkworthiness,
    }


def _check_new_annotations(session: Session, items: Sequence[NewAnnotation]) -> None:
    """Refuse the whole batch when one anchor is not in its document or one tag is missing."""
    texts = {
        document_id: session.scalar(select(Document.text).where(Document.id == document_id))
        for document_id in {item.document_id for item in items}
    }
    for item in items:
        text = texts[item.document_id]
        if text is None:
            raise NotFoundError(f"There is no document {item.document_id} in this library.")
        if not item.anchor.matches(text):
            raise ValueError("an anchor's quote is not at its position in the document")
    known = set(session.scalars(select(Tag.id)))
    missing = {t for item in items for t in item.tag_ids} - known
    if missing:
        raise NotFoundError(f"There is no tag {min(missing)} in this library.")


def _anchor_values(anchor: Anchor) -> dict[str, object]:
    """The columns an anchor fills, for an insert or an update."""
    return {
        "start": anchor.start,
        "end": anchor.end,
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
    }


def _require_tags(connection: Connection, tag_ids: Sequence[int]) -> None:
    """NotFoundError naming the first of `tag_ids` that is not in the codebook."""
    known = set(connection.scalars(select(Tag.id).where(Tag.id.in_(tag_ids))))
    missing = [t for t in tag_ids if t not in known]
    if missing:
        raise NotFoundError(f"There is no tag {missing[0]} in this library.")


def _stored_text_matches(
    connection: Connection | Session, document_id: int, anchor: Anchor
) -> bool:
    """`anchor.matches(text)` for the stored text of `document_id`, without reading it all;
    False for an empty span, which no annotation may have (the table's check refuses it).

    SQLite cuts the quote out itself (substr counts characters, which are code points, as the
    offsets do): loading a 2 MB article into Python was 4.5 of the 6 ms a key press spent
    creating an annotation. substr stops at a NUL character, so a cut that differs is checked
    again on the whole text; a cut that equals the quote is always right. NotFoundError when
    there is no such document.
    """
    start, end = anchor.start, anchor.end
    if not 0 <= start < end or len(anchor.exact) != end - start:
        _require_document(connection, document_id)
        return False
    cut = func.substr(Document.text, start + 1, end - start)
    stored = connection.execute(select(cut).where(Document.id == document_id)).first()
    if stored is None:
        raise NotFoundError(f"There is no document {document_id} in this library.")
    if stored[0] == anchor.exact:
        return True
    text = connection.scalar(select(Document.text).where(Document.id == document_id))
    return text is not None and anchor.matches(text)


def _require_document(connection: Connection | Session, document_id: int) -> None:
    """NotFoundError when the library has no document `document_id`."""
    if connection.scalar(select(Document.id).where(Document.id == document_id)) is None:
        raise NotFoundError(f"There is no document {document_id} in this library.")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an annotation of an older version lands in a new one (from re-anchoring)."""

    source: AnnotationRecord
    anchor: Anchor
    status: str
    method: str
    score: float


@dataclass(frozen=True, slots=True)
class NewAnnotation:
    """An annotation to add as it is, with its own uuid and times (an import, a round trip)."""

    document_id: int
    uuid: str
    anchor: Anchor
    tag_ids: tuple[int, ...]
    note: str
    created: datetime
    updated: datetime
    anchor_status: str = ANCHOR_OK
    anchor_score: float = 1.0
    anchor_method: str = "imported"
    previous_exact: str = ""
    stance: str = ""
    speaker: str = ""
    checkworthiness: int | None = None


class AnnotationQueries(StoreBase):
    """Reading and changing annotations."""

    def annotation_owners(self, uuids: Iterable[str]) -> dict[str, int]:
        """For each of `uuids` the library already has, the document that holds it."""
        wanted = list(set(uuids))
        owners: dict[str, int] = {}
        with self._reading() as session:
            for first in range(0, len(wanted), 500):  # SQLite caps bound parameters
                chunk = wanted[first : first + 500]
                rows = session.execute(
                    select(Annotation.uuid, Annotation.document_id).where(
                        Annotation.uuid.in_(chunk)
                    )
                )
                owners.update({uuid: document_id for uuid, document_id in rows})
        return owners

    def add_annotations(self, items: Sequence[NewAnnotation]) -> list[int]:
        """Add annotations keeping their uuids and times, all in one transaction; their ids.

        Every anchor is checked against its document's text and every tag must exist: one bad
        item and nothing is added. One executemany with RETURNING keeps 10,000 well under a
        second.
        """
        if not items:
            return []
        with self._writing() as session:
            _check_new_annotations(session, items)
            ids = list(
                session.scalars(
                    insert(Annotation).returning(Annotation.id, sort_by_parameter_order=True),
                    [_new_row(item) for item in items],
                )
            )
            links = [
                {"annotation_id": new_id, "tag_id": tag_id}
                for new_id, item in zip(ids, items, strict=True)
                for tag_id in dict.fromkeys(item.tag_ids)
            ]
            if links:
                session.execute(insert(annotation_tags), links)
        return ids

    def annotations(self, document_id: int) -> list[AnnotationRecord]:
        """The document's annotations in reading order (by start, then end).

        Read with two flat Core queries rather than ORM objects or ORM rows, timestamps parsed
        in bulk (`_bulk_records`): opening a document with 10,000 annotations waits on this.
        """
        with self._connection() as connection:  # Core rows: no ORM loading per row
            links = connection.execute(
                select(annotation_tags.c.annotation_id, annotation_tags.c.tag_id)
                .join(Annotation, Annotation.id == annotation_tags.c.annotation_id)
                .join(Tag, Tag.id == annotation_tags.c.tag_id)
                .where(Annotation.document_id == document_id)
                .order_by(Tag.position)
            ).all()
            rows = connection.execute(
                select(*_BULK_COLUMNS)
                .where(Annotation.document_id == document_id)
                .order_by(Annotation.start, Annotation.end, Annotation.id)
            )
            # In batches (fetchmany): a row at a time costs a Python call per row.
            return _bulk_records(chain.from_iterable(rows.partitions(_BATCH)), links)

    def annotation(self, annotation_id: int) -> AnnotationRecord:
        """One annotation as a record, or NotFoundError."""
        with self._reading() as session:
            return self._annotation_record(session, annotation_id)

    def _annotation_record(
        self, session: Session | Connection, annotation_id: int
    ) -> AnnotationRecord:
        which = {"annotation_id": annotation_id}
        row = session.execute(_ONE_ANNOTATION, which).first()
        if row is None:
            raise NotFoundError(f"There is no annotation {annotation_id} in this library.")
        return _bulk_records([row], session.execute(_ONE_ANNOTATIONS_TAGS, which).all())[0]

    def create_annotation(
        self, document_id: int, anchor: Anchor, tag_ids: Sequence[int], note: str = ""
    ) -> AnnotationRecord:
        """Add an annotation with the given tags; the anchor must match the document's text.

        Written with Core statements in one transaction, as a tag change is: this is what a
        tag key press on an untagged sentence waits on.
        """
        now = utc_now()
        wanted = list(dict.fromkeys(tag_ids))
        with self._connection() as connection:  # raising rolls everything back
            if not _stored_text_matches(connection, document_id, anchor):
                raise ValueError("the anchor's quote is not at its position in the document")
            _require_tags(connection, wanted)
            annotation_id = connection.execute(
                insert(Annotation)
                .values(
                    uuid=str(uuid_module.uuid4()),
                    document_id=document_id,
                    **_anchor_values(anchor),
                    note=note,
                    created=now,
                    updated=now,
                )
                .returning(Annotation.id)
            ).scalar_one()
            if wanted:
                connection.execute(
                    insert(annotation_tags),
                    [{"annotation_id": annotation_id, "tag_id": tag_id} for tag_id in wanted],
                )
            return self._annotation_record(connection, annotation_id)

    def carry_annotations(
        self, document_id: int, placements: Sequence[Placement], *, link_to: int | None = None
    ) -> int:
        """Copy annotations of an older version onto `document_id` where re-anchoring put them.

        One transaction for all of them (10,000 take well under a second), so a new version
        either has every carried annotation or none; with `link_to`, the same transaction makes
        `document_id` the next version of that document. Notes, tags, claim fields and creation
        times go along; each copy remembers the annotation it came from and how sure its
        placement is. Both documents must still be in the library (not deleted meanwhile).
        """
        now = utc_now()
        with self._writing() as session:
            document = live_document(session, document_id)
            if link_to is not None:
                if link_to == document_id:
                    raise ValueError("a document cannot be a new version of itself")
                document.version_group, document.version_number = next_version(session, link_to)
            known_tags = set(session.scalars(select(Tag.id)))
            links: list[dict[str, int]] = []
            for placement in placements:
                source = placement.source
                new_id = session.execute(
                    insert(Annotation)
                    .values(
                        uuid=str(uuid_module.uuid4()),
                        document_id=document_id,
                        **_anchor_values(placement.anchor),
                        note=source.note,
                        stance=source.stance,
                        speaker=source.speaker,
                        checkworthiness=source.checkworthiness,
                        created=source.created,
                        updated=now,
                        anchor_status=placement.status,
                        anchor_score=placement.score,
                        anchor_method=placement.method,
                        previous_exact=source.exact,
                        carried_from=source.uuid,
                    )
                    .returning(Annotation.id)
                ).scalar_one()
                links.extend(
                    {"annotation_id": new_id, "tag_id": t}
                    for t in source.tag_ids
                    if t in known_tags
                )
            if links:
                session.execute(insert(annotation_tags), links)
        return len(placements)

    def place_annotation(
        self, annotation_id: int, anchor: Anchor, method: str, status: str = ANCHOR_OK
    ) -> AnnotationRecord:
        """Settle an annotation under review: confirm its candidate, or move it to `anchor`."""
        with self._writing() as session:
            annotation = session.get(Annotation, annotation_id)
            if annotation is None:
                raise NotFoundError(f"There is no annotation {annotation_id} in this library.")
            if not _stored_text_matches(session, annotation.document_id, anchor):
                raise ValueError("the anchor's quote is not at its position in the document")
            session.execute(
                update(Annotation)
                .where(Annotation.id == annotation_id)
                .values(
                    **_anchor_values(anchor),
                    anchor_status=status,
                    anchor_method=method,
                    anchor_score=1.0 if status == ANCHOR_OK else annotation.anchor_score,
                    updated=utc_now(),
                )
            )
            return self._annotation_record(session, annotation_id)

    def restore_annotation(self, record: AnnotationRecord) -> AnnotationRecord:
        """Put back an annotation exactly as it was (same id, uuid, times, anchor state): undo."""
        with self._writing() as session:
            values = {column.key: getattr(record, column.key) for column in _COLUMNS}
            existing = session.get(Annotation, record.id)
            if existing is None:
                session.execute(insert(Annotation).values(**values))
            else:
                session.execute(
                    update(Annotation).where(Annotation.id == record.id).values(**values)
                )
                session.execute(
                    delete(annotation_tags).where(annotation_tags.c.annotation_id == record.id)
                )
            known = set(session.scalars(select(Tag.id).where(Tag.id.in_(record.tag_ids))))
            rows = [{"annotation_id": record.id, "tag_id": t} for t in record.tag_ids if t in known]
            if rows:
                session.execute(insert(annotation_tags), rows)
            return self._annotation_record(session, record.id)

    def set_annotation_tags(self, annotation_id: int, tag_ids: Sequence[int]) -> AnnotationRecord:
        """Replace an annotation's tags.

        Written with Core statements in one transaction rather than an ORM load, a collection
        diff and a flush: this is what every tag key press waits on.
        """
        wanted = list(dict.fromkeys(tag_ids))
        with self._connection() as connection:  # raising rolls the update back
            touched = connection.execute(
                update(Annotation).where(Annotation.id == annotation_id).values(updated=utc_now())
            )
            if touched.rowcount == 0:
                raise NotFoundError(f"There is no annotation {annotation_id} in this library.")
            _require_tags(connection, wanted)
            connection.execute(
                delete(annotation_tags).where(annotation_tags.c.annotation_id == annotation_id)
            )
            if wanted:
                connection.execute(
                    insert(annotation_tags),
                    [{"annotation_id": annotation_id, "tag_id": tag_id} for tag_id in wanted],
                )
            return self._annotation_record(connection, annotation_id)

    def set_note(self, annotation_id: int, note: str) -> AnnotationRecord:
        """Replace an annotation's note."""
        with self._writing() as session:
            annotation = session.get(Annotation, annotation_id)
            if annotation is None:
                raise NotFoundError(f"There is no annotation {annotation_id} in this library.")
            annotation.note = note
            annotation.updated = utc_now()
            session.flush()
            return self._annotation_record(session, annotation_id)

    def set_claim_fields(
        self, annotation_id: int, stance: str, speaker: str, checkworthiness: int | None
    ) -> AnnotationRecord:
        """Record who made the claim, whether the article supports it, and how much it deserves
        checking (1-5, or None)."""
        if stance not in ("", *STANCES):
            raise ValueError(f"not a stance: {stance!r}")
        if checkworthiness is not None and not 1 <= checkworthiness <= 5:
            raise ValueError("check-worthiness is 1 to 5")
        with self._writing() as session:
            annotation = session.get(Annotation, annotation_id)
            if annotation is None:
                raise NotFoundError(f"There is no annotation {annotation_id} in this library.")
            annotation.stance = stance
            annotation.speaker = " ".join(speaker.split())
            annotation.checkworthiness = checkworthiness
            annotation.updated = utc_now()
            session.flush()
            return self._annotation_record(session, annotation_id)

    def speakers(self) -> list[str]:
        """Every speaker named in the library, most often named first (for completion)."""
        with self._reading() as session:
            rows = session.execute(
                select(Annotation.speaker, func.count())
                .where(Annotation.speaker != "")
                .group_by(Annotation.speaker)
                .order_by(func.count().desc(), Annotation.speaker)
            )
            return [speaker for speaker, _count in rows]

    def all_annotations(self) -> list[AnnotationRecord]:
        """Every annotation of every live document, by document then reading order."""
        with self._connection() as connection:
            rows = connection.execute(
                select(*_BULK_COLUMNS)
                .join(Document, Document.id == Annotation.document_id)
                .where(Document.deleted_at.is_(None))
                .order_by(Annotation.document_id, Annotation.start, Annotation.end, Annotation.id)
            ).all()
            links = connection.execute(
                select(annotation_tags.c.annotation_id, annotation_tags.c.tag_id)
                .join(Tag, Tag.id == annotation_tags.c.tag_id)
                .order_by(Tag.position)
            ).all()
        return _bulk_records(rows, links)

    def delete_annotation(self, annotation_id: int) -> AnnotationRecord:
        """Delete an annotation, returning it as it was so that the deletion can be undone."""
        with self._connection() as connection:  # no ORM session: a tag key may wait on this
            record = self._annotation_record(connection, annotation_id)
            connection.execute(delete(Annotation).where(Annotation.id == annotation_id))
            return record
