"""The open document's annotations in reading order, as a list model.

Item views ask a model for its row count once per row whenever they lay out, and with 10,000
annotations a Python `rowCount` makes every tag key cost ~15 ms of layout. So the rows are
counted in C++: this is a QStandardItemModel whose rows hold no items at all (`insertRows`
without items), and `data` answers from a Python list of records kept row for row beside them.
Filling 10,000 items with their roles was a third of opening a large document and 10 MiB of
memory; empty rows cost neither.

The list follows the C++ rows exactly: it changes in the model's own `rowsInserted` and
`rowsRemoved` handlers, connected before any view's, so every other listener (the selection
model moving the current row, the count in the panel) reads the rows as Qt numbers them.

Changes arrive one at a time from DocumentSession; rows are inserted, removed and updated
individually (never a reset), so the selection and scroll position survive every edit.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItemModel

from desktop_app.core.records import AnnotationRecord, TagRecord, reading_order


class AnnotationRole(IntEnum):
    """Data roles beyond Qt's own."""

    Record = Qt.ItemDataRole.UserRole + 1
    Status = Qt.ItemDataRole.UserRole + 5


TagLookup = Callable[[int], TagRecord | None]

_ROW_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_SPOKEN = Qt.ItemDataRole.AccessibleTextRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole


class AnnotationListModel(QStandardItemModel):
    """One row per annotation, in reading order; rows are read-only.

    `keep` narrows the list to the annotations it accepts (the review list holds only those
    whose placement is unsettled): a second small model fed the same changes, rather than a
    filter proxy, which would ask this model's Python `data` about every row of a document.
    """

    def __init__(
        self,
        tag_lookup: TagLookup,
        parent: Any = None,
        *,
        keep: Callable[[AnnotationRecord], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self._tag_lookup = tag_lookup
        self._keep = keep
        # Row for row with the model's rows, in reading order (searched with bisect's key=,
        # not through a list of key tuples: 10,000 of those were 0.7 MiB).
        self._records: list[AnnotationRecord] = []
        self._record_of: dict[int, AnnotationRecord] = {}
        self._incoming: list[AnnotationRecord] = []  # rows being inserted, until they are
        # First connections: they run before any view's (see the module docstring).
        self.rowsInserted.connect(self._on_rows_inserted)
        self.rowsRemoved.connect(self._on_rows_removed)
        self.setColumnCount(1)

    def set_tag_lookup(self, tag_lookup: TagLookup) -> None:
        """Where tag ids are turned into tags (names and colours) for display."""
        self._tag_lookup = tag_lookup

    def set_annotations(self, annotations: Sequence[AnnotationRecord]) -> None:
        """Show a newly opened document's annotations."""
        # A reset: the views drop rows, selection and scroll position. Not clear(), which
        # reports every row's removal one by one (10,000 signals to every listener).
        self.beginResetModel()
        self.removeRows(0, self.rowCount())  # one rowsRemoved: the handler empties the lists
        self.endResetModel()
        kept = annotations if self._keep is None else [a for a in annotations if self._keep(a)]
        self._insert(0, sorted(kept, key=reading_order))

    def _insert(self, row: int, records: list[AnnotationRecord]) -> None:
        if records:
            self._incoming = records
            self.insertRows(row, len(records))

    def _on_rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        records, self._incoming = self._incoming, []
        if len(records) != last - first + 1:
            # Rows added behind _insert's back (insertRow, appendRow, setItem) have no record:
            # a bug in the caller, which data() would answer with None and a delegate trip on.
            raise RuntimeError("annotation rows are added only through add() and set_annotations()")
        self._records[first:first] = records
        self._record_of.update((r.id, r) for r in records)

    def _on_rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        for record in self._records[first : last + 1]:
            self._record_of.pop(record.id, None)
        del self._records[first : last + 1]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> object:
        """What a row shows, read from its record when a view asks."""
        row = index.row()
        if not index.isValid() or index.column() != 0 or row >= len(self._records):
            return None
        record = self._records[row]
        if role == _DISPLAY:
            return self._quote(record)
        if role == AnnotationRole.Record:
            return record
        if role == AnnotationRole.Status:
            return record.anchor_status
        if role == _TOOLTIP:
            return record.note or record.exact
        if role == _SPOKEN:
            names = ", ".join(t.name for t in self.tags_of(record))
            return f"{names or 'untagged'}: {record.exact}"
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: object, role: int = _EDIT
    ) -> bool:
        """Refused: rows show records, which change through the session."""
        return False

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """Selectable and enabled, never editable (a row shows an annotation, it is not one)."""
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    @staticmethod
    def _quote(record: AnnotationRecord) -> str:
        """The card's quote on one line; a placement to settle shows what it quoted."""
        quote = record.exact
        if record.needs_attention:
            status = "orphaned" if record.anchor_status == "orphaned" else "to review"
            quote = f"[{status}] {record.previous_exact or record.exact}"
        return " ".join(quote.split())

    def add(self, record: AnnotationRecord) -> int | None:
        """Insert an annotation at its place in reading order; returns its row (None when
        this list does not keep it)."""
        if self._keep is not None and not self._keep(record):
            return None
        row = bisect_left(self._records, reading_order(record), key=reading_order)
        self._insert(row, [record])
        return row

    def remove(self, record: AnnotationRecord) -> None:
        """Remove an annotation's row."""
        row = self.row_of_record(record)
        if row is not None:
            self.removeRows(row, 1)

    def update(self, old: AnnotationRecord, new: AnnotationRecord) -> None:
        """Show an annotation's new tags, note or place (a moved one changes rows)."""
        row = self.row_of_record(old)
        if row is None or reading_order(old) != reading_order(new):
            self.remove(old)
            self.add(new)
        elif self._keep is not None and not self._keep(new):
            self.remove(old)
        else:
            self._records[row] = new
            self._record_of[new.id] = new
            changed = self.index(row, 0)
            self.dataChanged.emit(changed, changed, [])

    def refresh_all(self) -> None:
        """Repaint every row (tag names or colours changed)."""
        if self._records:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._records) - 1, 0), [])

    def row_of_record(self, record: AnnotationRecord) -> int | None:
        """The row showing `record` (found by its place in reading order), or None."""
        row = bisect_left(self._records, reading_order(record), key=reading_order)
        if row < len(self._records) and self._records[row].id == record.id:
            return row
        return None

    def row_of(self, annotation_id: int) -> int | None:
        """The row showing `annotation_id`, or None."""
        record = self._record_of.get(annotation_id)
        return None if record is None else self.row_of_record(record)

    def record_at(self, row: int) -> AnnotationRecord:
        """The annotation on `row`."""
        if not 0 <= row < len(self._records):
            raise IndexError(row)
        return self._records[row]

    def tag(self, tag_id: int) -> TagRecord | None:
        """The tag with `tag_id` as this list shows it, or None."""
        return self._tag_lookup(tag_id)

    def tags_of(self, record: AnnotationRecord) -> list[TagRecord]:
        """The annotation's tags that still exist, in codebook order."""
        tags = [self._tag_lookup(t) for t in record.tag_ids]
        return [t for t in tags if t is not None]
