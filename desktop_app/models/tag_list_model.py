"""The codebook as a list model: colour swatch, key number, name and count per tag."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop_app.core.records import TagRecord


class TagRole(IntEnum):
    """Data roles beyond Qt's own."""

    Record = Qt.ItemDataRole.UserRole + 1
    Colour = Qt.ItemDataRole.UserRole + 2
    KeyNumber = Qt.ItemDataRole.UserRole + 3
    Count = Qt.ItemDataRole.UserRole + 4
    Depth = Qt.ItemDataRole.UserRole + 5


Index = QModelIndex | QPersistentModelIndex


class TagListModel(QAbstractListModel):
    """Rows are tags in codebook order; counts are for the open document."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._tags: list[TagRecord] = []
        self._counts: dict[int, int] = {}

    def set_tags(self, tags: Sequence[TagRecord], counts: Mapping[int, int]) -> None:
        """Replace the codebook (it is small: a reset is the honest signal)."""
        self.beginResetModel()
        self._tags = list(tags)
        self._counts = dict(counts)
        self.endResetModel()

    def set_counts(self, counts: Mapping[int, int]) -> None:
        """Update the per-tag counts without disturbing selection."""
        self._counts = dict(counts)
        if self._tags:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._tags) - 1), [TagRole.Count.value]
            )

    def tag_at(self, row: int) -> TagRecord:
        """The tag on `row`."""
        return self._tags[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tags)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tags):
            return None
        tag = self._tags[index.row()]
        count = self._counts.get(tag.id, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            return tag.name
        if role == Qt.ItemDataRole.ToolTipRole:
            key = f"Key {tag.key_number}. " if tag.key_number else ""
            return f"{key}{tag.description}".strip() or tag.name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            key = f", key {tag.key_number}" if tag.key_number else ""
            return f"{tag.name}{key}, {count} in this document"
        if role == Qt.ItemDataRole.DecorationRole or role == TagRole.Colour:
            return QColor(tag.colour)
        if role == TagRole.Record:
            return tag
        if role == TagRole.KeyNumber:
            return tag.key_number
        if role == TagRole.Count:
            return count
        if role == TagRole.Depth:
            return self._depth(tag)
        return None

    def _depth(self, tag: TagRecord) -> int:
        """How deeply the tag is nested (0 at the top level)."""
        by_id = {t.id: t for t in self._tags}
        depth, parent = 0, tag.parent_id
        while parent is not None and parent in by_id and depth < len(self._tags):
            depth += 1
            parent = by_id[parent].parent_id
        return depth
