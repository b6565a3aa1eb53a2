"""The codebook part of the library store: tags, their order, nesting, merging and removal.

Every change that can be undone returns what undoing needs (a record of the removed tag and
of the links it had), so the undo commands never have to read the database before a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from desktop_app.core.codebook import (
    CodebookError,
    TagSpec,
    check_unique_name,
    clean_colour,
    clean_tag_name,
    name_taken,
)
from desktop_app.core.records import TagRecord
from desktop_app.storage.errors import NotFoundError
from desktop_app.storage.orm import Annotation, Tag, annotation_tags
from desktop_app.storage.store_base import StoreBase


def tag_record(tag: Tag) -> TagRecord:
    """The plain record of a Tag row."""
    return TagRecord(tag.id, tag.name, tag.colour, tag.position, tag.description, tag.parent_id)


@dataclass(frozen=True, slots=True)
class TagRemoval:
    """A removed (or merged-away) tag and everything needed to put it back as it was."""

    tag: TagRecord
    annotation_ids: tuple[int, ...]  # annotations that carried it
    children: tuple[int, ...]  # tags nested under it, lifted to its parent
    added_to_target: tuple[int, ...] = ()  # merge only: annotations that gained the target


class TagQueries(StoreBase):
    """Reading and changing the codebook."""

    def tags(self) -> list[TagRecord]:
        """The codebook in panel order."""
        with self._reading() as session:
            return [tag_record(t) for t in session.scalars(select(Tag).order_by(Tag.position))]

    def add_tag(
        self,
        spec: TagSpec,
        *,
        tag_id: int | None = None,
        position: int | None = None,
        parent_id: int | None = None,
    ) -> TagRecord:
        """Add a tag at the end of the codebook (or at `position`, shifting later tags down).

        `tag_id` restores a tag with its old id, which is how undoing its removal brings
        back the annotations' links to it.
        """
        name = clean_tag_name(spec.name)
        colour = clean_colour(spec.colour)
        with self._writing() as session:
            existing = list(session.scalars(select(Tag).order_by(Tag.position)))
            check_unique_name(name, (t.name for t in existing))
            if parent_id is not None and session.get(Tag, parent_id) is None:
                raise NotFoundError(f"There is no tag {parent_id} in this library.")
            if position is None or position >= len(existing):
                position = len(existing)
            else:
                for later in existing[position:]:
                    later.position += 1
            tag = Tag(
                name=name,
                colour=colour,
                position=position,
                description=spec.description,
                parent_id=parent_id,
            )
            if tag_id is not None:
                tag.id = tag_id
            session.add(tag)
            session.flush()
            if parent_id is not None and position == len(existing):
                self._keep_subtrees_together(session)  # listed under its parent, not last
            return tag_record(tag)

    def add_tags(self, specs: Sequence[TagSpec]) -> list[TagRecord]:
        """Add many tags at the end of the codebook, in order, in one transaction.

        What an import of a codebook of thousands needs: `add_tag` reads the whole codebook
        to check one name, so adding n tags with it costs n² row loads. Here the names are
        checked once against the library and each other; one bad name and nothing is added.
        """
        names = [clean_tag_name(spec.name) for spec in specs]
        colours = [clean_colour(spec.colour) for spec in specs]
        with self._writing() as session:
            taken = {name.casefold() for name in session.scalars(select(Tag.name))}
            for name in names:
                if name.casefold() in taken:
                    raise name_taken(name)
                taken.add(name.casefold())
            first = session.scalar(select(func.count()).select_from(Tag)) or 0
            tags = [
                Tag(name=name, colour=colour, position=first + index, description=spec.description)
                for index, (name, colour, spec) in enumerate(
                    zip(names, colours, specs, strict=True)
                )
            ]
            session.add_all(tags)
            session.flush()
            return [tag_record(tag) for tag in tags]

    def nest_tags(self, pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """Nest each tag under its parent (tag id, parent id), in one transaction; the pairs
        applied. A pair that would put a tag inside itself is left out, not refused: codes
        merged by name can make such a loop, and the tag then stays where it is."""
        with self._writing() as session:
            tags = {tag.id: tag for tag in session.scalars(select(Tag))}
            parent_of = {tag.id: tag.parent_id for tag in tags.values()}
            applied: list[tuple[int, int]] = []
            for tag_id, parent_id in pairs:
                if tag_id not in tags:
                    raise NotFoundError(f"There is no tag {tag_id} in this library.")
                if parent_id not in tags:
                    raise NotFoundError(f"There is no tag {parent_id} in this library.")
                if self._is_within(parent_id, tag_id, parent_of):
                    continue
                parent_of[tag_id] = parent_id
                tags[tag_id].parent_id = parent_id
                applied.append((tag_id, parent_id))
            session.flush()
            self._keep_subtrees_together(session)
            return applied

    @staticmethod
    def _is_within(tag_id: int, ancestor_id: int, parent_of: dict[int, int | None]) -> bool:
        """Whether `tag_id` is `ancestor_id` or nested (at any depth) under it."""
        seen: set[int] = set()
        current: int | None = tag_id
        while current is not None and current not in seen:
            if current == ancestor_id:
                return True
            seen.add(current)
            current = parent_of.get(current)
        return False

    def update_tag(
        self,
        tag_id: int,
        *,
        name: str | None = None,
        colour: str | None = None,
        description: str | None = None,
    ) -> TagRecord:
        """Rename, recolour or describe a tag (annotations keep it: they link by id)."""
        with self._writing() as session:
            tag = self._tag(session, tag_id)
            if name is not None:
                cleaned = clean_tag_name(name)
                others = session.scalars(select(Tag.name).where(Tag.id != tag_id))
                check_unique_name(cleaned, others)
                tag.name = cleaned
            if colour is not None:
                tag.colour = clean_colour(colour)
            if description is not None:
                tag.description = description.strip()
            session.flush()
            return tag_record(tag)

    def move_tag(self, tag_id: int, position: int) -> None:
        """Put a tag at `position` in the codebook order (which renumbers the 1-9 keys)."""
        with self._writing() as session:
            ordered = list(session.scalars(select(Tag).order_by(Tag.position)))
            tag = self._tag(session, tag_id)
            ordered.remove(tag)
            ordered.insert(max(0, min(position, len(ordered))), tag)
            for index, item in enumerate(ordered):
                item.position = index

    def set_tag_parent(self, tag_id: int, parent_id: int | None) -> TagRecord:
        """Nest a tag under another (`trade` › `tariffs`), or lift it to the top (None)."""
        with self._writing() as session:
            tag = self._tag(session, tag_id)
            if parent_id is not None:
                ancestor: Tag | None = self._tag(session, parent_id)
                while ancestor is not None:
                    if ancestor.id == tag_id:
                        raise CodebookError("A tag cannot be nested inside itself.")
                    ancestor = session.get(Tag, ancestor.parent_id) if ancestor.parent_id else None
            tag.parent_id = parent_id
            session.flush()
            self._keep_subtrees_together(session)
            return tag_record(tag)

    @staticmethod
    def _keep_subtrees_together(session: Session) -> None:
        """Renumber positions so that each tag's subtree follows it (siblings keep their order).

        The panel lists tags in position order, indented by depth, and the 1-9 keys follow
        that order; a nested tag left where it was would look like a child of whatever tag
        stood above it.
        """
        ordered = list(session.scalars(select(Tag).order_by(Tag.position)))
        known = {item.id for item in ordered}
        children: dict[int | None, list[Tag]] = {}
        for item in ordered:
            parent = item.parent_id if item.parent_id in known else None
            children.setdefault(parent, []).append(item)
        new_order: list[Tag] = []
        # Depth-first without recursion: an imported codebook may nest thousands deep.
        pending = list(reversed(children.get(None, [])))
        while pending:
            item = pending.pop()
            new_order.append(item)
            pending.extend(reversed(children.get(item.id, [])))
        for index, item in enumerate(new_order):
            item.position = index

    def set_tag_order(self, tag_ids: Sequence[int]) -> None:
        """Put the codebook in exactly this order (undo of a change that reordered it)."""
        with self._writing() as session:
            ordered = list(session.scalars(select(Tag).order_by(Tag.position)))
            rank = {tag_id: index for index, tag_id in enumerate(tag_ids)}
            ordered.sort(key=lambda item: rank.get(item.id, len(rank) + item.position))
            for index, item in enumerate(ordered):
                item.position = index

    def remove_tag(self, tag_id: int) -> TagRemoval:
        """Remove a tag and its links (its annotations stay, its children move up a level)."""
        with self._writing() as session:
            return self._remove(session, tag_id)

    def merge_tags(self, source_id: int, target_id: int) -> TagRemoval:
        """Give every annotation of `source_id` the tag `target_id`, then remove the source."""
        if source_id == target_id:
            raise CodebookError("A tag cannot be merged into itself.")
        with self._writing() as session:
            self._tag(session, target_id)
            carried = set(self._annotations_with(session, source_id))
            had_target = set(self._annotations_with(session, target_id))
            gained = sorted(carried - had_target)
            if gained:
                session.execute(
                    insert(annotation_tags),
                    [{"annotation_id": a, "tag_id": target_id} for a in gained],
                )
            removal = self._remove(session, source_id)
            return TagRemoval(removal.tag, removal.annotation_ids, removal.children, tuple(gained))

    def restore_tag(self, removal: TagRemoval, *, merged_into: int | None = None) -> TagRecord:
        """Undo a removal or a merge: the tag back at its place, its links, its children."""
        tag = removal.tag
        with self._writing() as session:
            ordered = list(session.scalars(select(Tag).order_by(Tag.position)))
            check_unique_name(tag.name, (t.name for t in ordered))
            restored = Tag(
                id=tag.id,
                name=tag.name,
                colour=tag.colour,
                position=tag.position,
                description=tag.description,
                parent_id=tag.parent_id if session.get(Tag, tag.parent_id or -1) else None,
            )
            ordered.insert(min(tag.position, len(ordered)), restored)
            session.add(restored)
            for index, item in enumerate(ordered):
                item.position = index
            session.flush()
            existing = set(
                session.scalars(
                    select(Annotation.id).where(Annotation.id.in_(removal.annotation_ids))
                )
            )
            links = [
                {"annotation_id": a, "tag_id": tag.id}
                for a in removal.annotation_ids
                if a in existing
            ]
            if links:
                session.execute(insert(annotation_tags), links)
            for child in session.scalars(select(Tag).where(Tag.id.in_(removal.children))):
                child.parent_id = tag.id
            if merged_into is not None and removal.added_to_target:
                session.execute(
                    delete(annotation_tags).where(
                        annotation_tags.c.tag_id == merged_into,
                        annotation_tags.c.annotation_id.in_(removal.added_to_target),
                    )
                )
            session.flush()
            return tag_record(restored)

    def annotations_with_tag(self, tag_id: int) -> list[int]:
        """Ids of the annotations (in any document) that carry the tag."""
        with self._reading() as session:
            return self._annotations_with(session, tag_id)

    def tag_counts(self, document_id: int) -> dict[int, int]:
        """How many annotations of the document carry each tag."""
        query = (
            select(annotation_tags.c.tag_id, func.count())
            .join(Annotation, Annotation.id == annotation_tags.c.annotation_id)
            .where(Annotation.document_id == document_id)
            .group_by(annotation_tags.c.tag_id)
        )
        with self._reading() as session:
            return {tag_id: count for tag_id, count in session.execute(query)}

    def library_tag_counts(self) -> dict[int, int]:
        """How many annotations in the whole library carry each tag."""
        query = select(annotation_tags.c.tag_id, func.count()).group_by(annotation_tags.c.tag_id)
        with self._reading() as session:
            return {tag_id: count for tag_id, count in session.execute(query)}

    def seed_codebook(self, specs: Iterable[TagSpec]) -> list[TagRecord]:
        """Give an empty codebook its default tags (does nothing when tags exist).

        One transaction with the write lock taken first: processes opening a new library at
        once seed it once, and the others find the tags.
        """
        with self.transaction():
            if not self.tags():
                for spec in specs:
                    self.add_tag(spec)
            return self.tags()

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _tag(session: Session, tag_id: int) -> Tag:
        tag = session.get(Tag, tag_id)
        if tag is None:
            raise NotFoundError(f"There is no tag {tag_id} in this library.")
        return tag

    @staticmethod
    def _annotations_with(session: Session, tag_id: int) -> list[int]:
        return list(
            session.scalars(
                select(annotation_tags.c.annotation_id)
                .where(annotation_tags.c.tag_id == tag_id)
                .order_by(annotation_tags.c.annotation_id)
            )
        )

    def _remove(self, session: Session, tag_id: int) -> TagRemoval:
        tag = self._tag(session, tag_id)
        record = tag_record(tag)
        annotation_ids = tuple(self._annotations_with(session, tag_id))
        children = tuple(session.scalars(select(Tag.id).where(Tag.parent_id == tag_id)))
        for child in session.scalars(select(Tag).where(Tag.parent_id == tag_id)):
            child.parent_id = tag.parent_id
        position = tag.position
        session.delete(tag)
        session.flush()
        for later in session.scalars(select(Tag).where(Tag.position > position)):
            later.position -= 1
        return TagRemoval(record, annotation_ids, children)
