"""The open document's annotations in reading order, as a list model.

It is a QStandardItemModel: item views ask a model for its row count once per row whenever
they lay out, and with 10,000 annotations a Python `rowCount` makes every tag key cost ~15 ms
of layout. Here rows live in C++; Python keeps only a sorted index of keys to find a row.
Changes arrive one at a time from DocumentSession; rows are inserted, removed and updated
individually (never a reset), so the selection and scroll position survive every edit.

Each row stores only what C++ must answer without Python: the quote it shows, the record, its
anchor status (the review list filters on it in C++) and the text a screen reader speaks.
Everything else a card shows (tag colours, the note, the tooltip) is read from the record when
the row is painted: filling 10,000 rows is part of opening a document, and each `setData` costs.
Rows are read-only (`flags`); the views showing them have no edit triggers either.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from desktop_app.core.records import AnnotationRecord, TagRecord
from desktop_app.models.document_session import reading_order


class AnnotationRole(IntEnum):
    """Data roles beyond Qt's own."""

    Record = Qt.ItemDataRole.UserRole + 1
    Status = Qt.ItemDataRole.UserRole + 5


TagLookup = Callable[[int], TagRecord | None]

_ROW_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled


class AnnotationListModel(QStandardItemModel):
    """One row per annotation, in reading order."""

    def __init__(self, tag_lookup: TagLookup, parent: Any = None) -> None:
        super().__init__(parent)
        self._tag_lookup = tag_lookup
        self._keys: list[tuple[int, int, int]] = []
        self._key_of: dict[int, tuple[int, int, int]] = {}

    def set_tag_lookup(self, tag_lookup: TagLookup) -> None:
        """Where tag ids are turned into tags (names and colours) for display."""
        self._tag_lookup = tag_lookup

    def set_annotations(self, annotations: Sequence[AnnotationRecord]) -> None:
        """Show a newly opened document's annotations."""
        keyed = sorted((reading_order(r), r) for r in annotations)
        self._keys = [key for key, _record in keyed]
        self._key_of = {key[2]: key for key in self._keys}
        self.clear()  # a reset: the views drop rows, selection and scroll position
        if keyed:
            self.invisibleRootItem().appendRows([self._item(r) for _key, r in keyed])

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """Selectable and enabled, never editable (a row shows an annotation, it is not one)."""
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def _item(self, record: AnnotationRecord) -> QStandardItem:
        item = QStandardItem(self._quote(record))
        item.setData(record, AnnotationRole.Record)
        item.setData(record.anchor_status, AnnotationRole.Status)
        item.setData(self._spoken(record), Qt.ItemDataRole.AccessibleTextRole)
        return item

    def _fill(self, item: QStandardItem, record: AnnotationRecord) -> None:
        item.setData(self._quote(record), Qt.ItemDataRole.DisplayRole)
        item.setData(record, AnnotationRole.Record)
        item.setData(record.anchor_status, AnnotationRole.Status)
        item.setData(self._spoken(record), Qt.ItemDataRole.AccessibleTextRole)

    @staticmethod
    def _quote(record: AnnotationRecord) -> str:
        """The card's quote on one line; a placement to settle shows what it quoted."""
        quote = record.exact
        if record.needs_attention:
            status = "orphaned" if record.anchor_status == "orphaned" else "to review"
            quote = f"[{status}] {record.previous_exact or record.exact}"
        return " ".join(quote.split())

    def _spoken(self, record: AnnotationRecord) -> str:
        """What a screen reader says for the row: its tags, then the quote."""
        names = ", ".join(t.name for t in self.tags_of(record))
        return f"{names or 'untagged'}: {record.exact}"

    def add(self, record: AnnotationRecord) -> int:
        """Insert an annotation at its place in reading order; returns its row."""
        key = reading_order(record)
        row = bisect_left(self._keys, key)
        self._keys.insert(row, key)
        self._key_of[record.id] = key
        self.insertRow(row, self._item(record))
        return row

    def remove(self, record: AnnotationRecord) -> None:
        """Remove an annotation's row."""
        row = self.row_of_record(record)
        if row is None:
            return
        del self._keys[row]
        self._key_of.pop(record.id, None)
        self.removeRow(row)

    def update(self, old: AnnotationRecord, new: AnnotationRecord) -> None:
        """Show an annotation's new tags, note or place (a moved one changes rows)."""
        if reading_order(old) != reading_order(new):
            self.remove(old)
            self.add(new)
            return
        row = self.row_of_record(new)
        item = None if row is None else self.item(row)
        if item is not None:
            self._fill(item, new)

    def refresh_all(self) -> None:
        """Re-read every row's tags (tag names or colours changed)."""
        for row in range(self.rowCount()):
            item = self.item(row)
            if item is not None:
                self._fill(item, item.data(AnnotationRole.Record))

    def row_of_record(self, record: AnnotationRecord) -> int | None:
        """The row showing `record` (found by its place in reading order), or None."""
        row = bisect_left(self._keys, reading_order(record))
        if row < len(self._keys) and self._keys[row][2] == record.id:
            return row
        return None

    def row_of(self, annotation_id: int) -> int | None:
        """The row showing `annotation_id`, or None."""
        key = self._key_of.get(annotation_id)
        if key is None:
            return None
        row = bisect_left(self._keys, key)
        return row if row < len(self._keys) and self._keys[row] == key else None

    def record_at(self, row: int) -> AnnotationRecord:
        """The annotation on `row`."""
        item = self.item(row)
        if item is None:
            raise IndexError(row)
        record: AnnotationRecord = item.data(AnnotationRole.Record)
        return record

    def tags_of(self, record: AnnotationRecord) -> list[TagRecord]:
        """The annotation's tags that still exist, in codebook order."""
        tags = [self._tag_lookup(t) for t in record.tag_ids]
        return [t for t in tags if t is not None]
