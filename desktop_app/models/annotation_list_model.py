"""The open document's annotations in reading order, as a list model.

Changes arrive one at a time from DocumentSession; rows are inserted, removed and updated
individually (never a reset), so the selection and scroll position survive every edit, and a
document with 10,000 annotations stays responsive.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop_app.core.records import AnnotationRecord, TagRecord
from desktop_app.models.document_session import reading_order


class AnnotationRole(IntEnum):
    """Data roles beyond Qt's own."""

    Record = Qt.ItemDataRole.UserRole + 1
    Tags = Qt.ItemDataRole.UserRole + 2
    Note = Qt.ItemDataRole.UserRole + 3
    Id = Qt.ItemDataRole.UserRole + 4


Index = QModelIndex | QPersistentModelIndex


class AnnotationListModel(QAbstractListModel):
    """One row per annotation, in reading order."""

    def __init__(self, tag_lookup: Callable[[int], TagRecord | None], parent: Any = None) -> None:
        super().__init__(parent)
        self._tag_lookup = tag_lookup
        self._rows: list[AnnotationRecord] = []
        self._keys: list[tuple[int, int, int]] = []

    def set_annotations(self, annotations: Sequence[AnnotationRecord]) -> None:
        """Show a newly opened document's annotations."""
        self.beginResetModel()
        self._rows = sorted(annotations, key=reading_order)
        self._keys = [reading_order(a) for a in self._rows]
        self.endResetModel()

    def add(self, record: AnnotationRecord) -> int:
        """Insert an annotation at its place in reading order; returns its row."""
        key = reading_order(record)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, record)
        self._keys.insert(row, key)
        self.endInsertRows()
        return row

    def remove(self, record: AnnotationRecord) -> None:
        """Remove an annotation's row."""
        row = self.row_of(record.id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._keys[row]
        self.endRemoveRows()

    def update(self, record: AnnotationRecord) -> None:
        """Show an annotation's new tags or note (its span never changes)."""
        row = self.row_of(record.id)
        if row is None:
            return
        self._rows[row] = record
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def refresh_all(self) -> None:
        """Redraw every row (tag names or colours changed)."""
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def row_of(self, annotation_id: int) -> int | None:
        """The row showing `annotation_id`, or None."""
        for row, record in enumerate(self._rows):
            if record.id == annotation_id:
                return row
        return None

    def record_at(self, row: int) -> AnnotationRecord:
        """The annotation on `row`."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(record.exact.split())
        if role == Qt.ItemDataRole.ToolTipRole:
            return record.note or record.exact
        if role == Qt.ItemDataRole.AccessibleTextRole:
            names = ", ".join(t.name for t in self.tags_of(record))
            return f"{names or 'untagged'}: {record.exact}"
        if role == AnnotationRole.Record:
            return record
        if role == AnnotationRole.Tags:
            return self.tags_of(record)
        if role == AnnotationRole.Note:
            return record.note
        if role == AnnotationRole.Id:
            return record.id
        return None

    def tags_of(self, record: AnnotationRecord) -> list[TagRecord]:
        """The annotation's tags that still exist, in codebook order."""
        tags = [self._tag_lookup(t) for t in record.tag_ids]
        return [t for t in tags if t is not None]
