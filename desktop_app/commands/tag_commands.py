"""Undo commands for the codebook: add, rename, recolour, describe, reorder, nest, merge, delete.

Each records what it changed (or what the store handed back for undoing) when it first runs,
so undo and redo never depend on reading the database first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtGui import QUndoCommand

from desktop_app.core.codebook import TagSpec
from desktop_app.core.records import TagRecord
from desktop_app.models.document_session import DocumentSession

if TYPE_CHECKING:
    from desktop_app.storage.tag_queries import TagRemoval


class AddTagCommand(QUndoCommand):
    """Add a tag; undo removes it, redo restores it with the same id and position."""

    def __init__(
        self, session: DocumentSession, spec: TagSpec, parent_id: int | None = None
    ) -> None:
        super().__init__(f"Add tag “{spec.name}”")
        self._session = session
        self._spec = spec
        self._parent_id = parent_id
        self.record: TagRecord | None = None

    def redo(self) -> None:
        if self.record is None:
            self.record = self._session.add_tag(self._spec, parent_id=self._parent_id)
        else:
            self.record = self._session.add_tag(
                self._spec,
                tag_id=self.record.id,
                position=self.record.position,
                parent_id=self._parent_id,
            )

    def undo(self) -> None:
        assert self.record is not None
        self._session.remove_tag(self.record.id)


class UpdateTagCommand(QUndoCommand):
    """Rename, recolour or describe a tag (one field at a time)."""

    LABELS: ClassVar[dict[str, str]] = {
        "name": "Rename",
        "colour": "Recolour",
        "description": "Describe",
    }

    def __init__(self, session: DocumentSession, tag: TagRecord, field: str, value: str) -> None:
        super().__init__(f"{self.LABELS[field]} tag “{tag.name}”")
        self._session = session
        self._tag_id = tag.id
        self._field = field
        self._old = str(getattr(tag, field))
        self._new = value

    def redo(self) -> None:
        self._session.update_tag(self._tag_id, **{self._field: self._new})

    def undo(self) -> None:
        self._session.update_tag(self._tag_id, **{self._field: self._old})


class MoveTagCommand(QUndoCommand):
    """Move a tag up or down the codebook (its number key changes with it)."""

    def __init__(self, session: DocumentSession, tag: TagRecord, position: int) -> None:
        super().__init__(f"Move tag “{tag.name}”")
        self._session = session
        self._tag_id = tag.id
        self._old = tag.position
        self._new = position

    def redo(self) -> None:
        self._session.move_tag(self._tag_id, self._new)

    def undo(self) -> None:
        self._session.move_tag(self._tag_id, self._old)


class NestTagCommand(QUndoCommand):
    """Put a tag under another (`trade` › `tariffs`), or back at the top level."""

    def __init__(self, session: DocumentSession, tag: TagRecord, parent_id: int | None) -> None:
        super().__init__(f"{'Nest' if parent_id else 'Lift'} tag “{tag.name}”")
        self._session = session
        self._tag_id = tag.id
        self._old = tag.parent_id
        self._new = parent_id
        # Nesting moves the tag (and its own children) beside its new parent: undo puts the
        # whole codebook back in this order.
        self._order = [t.id for t in session.tags]

    def redo(self) -> None:
        self._session.set_tag_parent(self._tag_id, self._new)

    def undo(self) -> None:
        self._session.set_tag_parent(self._tag_id, self._old)
        self._session.set_tag_order(self._order)


class MergeTagsCommand(QUndoCommand):
    """Merge one tag into another; undo separates them again exactly as they were."""

    def __init__(self, session: DocumentSession, source: TagRecord, target: TagRecord) -> None:
        super().__init__(f"Merge “{source.name}” into “{target.name}”")
        self._session = session
        self._source_id = source.id
        self._target_id = target.id
        self.removal: TagRemoval | None = None

    def redo(self) -> None:
        self.removal = self._session.merge_tags(self._source_id, self._target_id)

    def undo(self) -> None:
        assert self.removal is not None
        self._session.restore_tag(self.removal, merged_into=self._target_id)


class DeleteTagCommand(QUndoCommand):
    """Delete a tag; its annotations stay (untagged ones are listed), undo restores it all."""

    def __init__(self, session: DocumentSession, tag: TagRecord) -> None:
        super().__init__(f"Delete tag “{tag.name}”")
        self._session = session
        self._tag_id = tag.id
        self.removal: TagRemoval | None = None

    def redo(self) -> None:
        self.removal = self._session.remove_tag(self._tag_id)

    def undo(self) -> None:
        assert self.removal is not None
        self._session.restore_tag(self.removal)
