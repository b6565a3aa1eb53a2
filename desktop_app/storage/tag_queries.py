"""The codebook part of the library store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.core.codebook import TagSpec, check_unique_name, clean_colour, clean_tag_name
from desktop_app.core.records import TagRecord
from desktop_app.storage.errors import NotFoundError
from desktop_app.storage.orm import Annotation, Tag, annotation_tags
from desktop_app.storage.store_base import StoreBase


def tag_record(tag: Tag) -> TagRecord:
    """The plain record of a Tag row."""
    return TagRecord(tag.id, tag.name, tag.colour, tag.position, tag.description)


def tags_by_id(session: Session, tag_ids: Sequence[int]) -> list[Tag]:
    """Tag rows for `tag_ids`, in codebook order; NotFoundError for an unknown id."""
    tags = {t.id: t for t in session.scalars(select(Tag).where(Tag.id.in_(tag_ids)))}
    missing = [t for t in tag_ids if t not in tags]
    if missing:
        raise NotFoundError(f"There is no tag {missing[0]} in this library.")
    # Codebook order, as every read of an annotation returns them.
    return sorted(tags.values(), key=lambda tag: tag.position)


class TagQueries(StoreBase):
    """Reading and changing the codebook."""

    def tags(self) -> list[TagRecord]:
        """The codebook in panel order."""
        with Session(self.engine) as session:
            return [tag_record(t) for t in session.scalars(select(Tag).order_by(Tag.position))]

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
            return tag_record(tag)

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
