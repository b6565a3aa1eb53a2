"""Every annotation of the library as a table, behind a filter for the claims review.

The table model holds plain records and is updated one annotation at a time from the session's
`annotationStored` signal; the filter proxy narrows it by tag (a parent includes its children),
words in the quote or note (case- and accent-insensitive), claim fields and document.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from desktop_app.core.reading_colours import UNTAGGED_COLOUR
from desktop_app.core.records import AnnotationRecord, TagRecord

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Article", "Quote", "Tags", "Stance", "Speaker", "Check", "Note", "Created")


class Column(IntEnum):
    """Column numbers."""

    Article = 0
    Quote = 1
    Tags = 2
    Stance = 3
    Speaker = 4
    Check = 5
    Note = 6
    Created = 7


RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


def fold(text: str) -> str:
    """Text for matching: no accents, no case (café and CAFE match)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class ClaimsModel(QAbstractTableModel):
    """One row per annotation of the library."""

    def __init__(
        self,
        tags: Callable[[], Sequence[TagRecord]],
        titles: Callable[[], dict[int, str]],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._tags_source = tags
        self._titles_source = titles
        self._rows: list[AnnotationRecord] = []
        self._row_of: dict[int, int] = {}
        self._tags: dict[int, TagRecord] = {}
        self._titles: dict[int, str] = {}

    # -- content -------------------------------------------------------------------------------

    def set_annotations(self, annotations: Iterable[AnnotationRecord]) -> None:
        """Show these annotations (the library's, typically)."""
        self.beginResetModel()
        self._tags = {t.id: t for t in self._tags_source()}
        self._titles = self._titles_source()
        self._rows = list(annotations)
        self._row_of = {a.id: row for row, a in enumerate(self._rows)}
        self.endResetModel()

    def refresh_labels(self) -> None:
        """Re-read tag names and document titles (the codebook or a title changed)."""
        self._tags = {t.id: t for t in self._tags_source()}
        self._titles = self._titles_source()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )

    def apply(self, old: AnnotationRecord | None, new: AnnotationRecord | None) -> None:
        """Follow one change: an annotation added (old None), changed, or deleted (new None)."""
        key = (new or old).id if (new or old) is not None else None  # type: ignore[union-attr]
        if key is None:
            return
        row = self._row_of.get(key)
        if new is None:
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self._row_of = {a.id: r for r, a in enumerate(self._rows)}
                self.endRemoveRows()
            return
        if row is None:
            row = len(self._rows)
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.append(new)
            self._row_of[new.id] = row
            self.endInsertRows()
            return
        self._rows[row] = new
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def record_at(self, row: int) -> AnnotationRecord:
        """The annotation of a row."""
        return self._rows[row]

    def tags_of(self, record: AnnotationRecord) -> list[TagRecord]:
        """An annotation's tags, in codebook order, that still exist."""
        return [self._tags[t] for t in record.tag_ids if t in self._tags]

    def descendants(self, tag_id: int) -> set[int]:
        """A tag and every tag nested under it."""
        found = {tag_id}
        grew = True
        while grew:
            grew = False
            for tag in self._tags.values():
                if tag.parent_id in found and tag.id not in found:
                    found.add(tag.id)
                    grew = True
        return found

    # -- Qt ------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = index.column()
        if role == RECORD_ROLE:
            return record
        if role == SORT_ROLE:
            return self._sort_key(record, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.Quote, Column.Note):
            return record.exact if column == Column.Quote else record.note or None
        if role == Qt.ItemDataRole.DecorationRole and column == Column.Tags:
            tags = self.tags_of(record)
            return QColor(tags[0].colour) if tags else QColor(UNTAGGED_COLOUR)
        return None

    def _text(self, record: AnnotationRecord, column: int) -> str:
        if column == Column.Article:
            return self._titles.get(record.document_id, "")
        if column == Column.Quote:
            return " ".join(record.exact.split())
        if column == Column.Tags:
            return ", ".join(t.name for t in self.tags_of(record)) or "untagged"
        if column == Column.Stance:
            return record.stance
        if column == Column.Speaker:
            return record.speaker
        if column == Column.Check:
            return "" if record.checkworthiness is None else str(record.checkworthiness)
        if column == Column.Note:
            return " ".join(record.note.split())
        return record.created.strftime("%Y-%m-%d %H:%M")

    def _sort_key(self, record: AnnotationRecord, column: int) -> Any:
        if column == Column.Article or column == Column.Quote:
            # "By position": article, then place in it.
            return (
                self._titles.get(record.document_id, "").casefold(),
                record.document_id,
                record.start,
            )
        if column == Column.Tags:
            tags = self.tags_of(record)
            return (tags[0].position if tags else 1 << 30, record.document_id, record.start)
        if column == Column.Check:
            return record.checkworthiness or 0
        if column == Column.Created:
            return record.created.timestamp()
        return self._text(record, column).casefold()


@dataclass(slots=True)
class ClaimFilter:
    """What the review shows; empty fields do not filter."""

    tag_ids: set[int] = field(default_factory=set)  # with their descendants already added
    untagged: bool = False
    words: str = ""
    stance: str = ""
    speaker: str = ""
    min_checkworthiness: int = 0
    document_id: int | None = None


class ClaimsFilter(QSortFilterProxyModel):
    """The claims table narrowed by a ClaimFilter, sortable by any column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.criteria = ClaimFilter()
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_criteria(self, criteria: ClaimFilter) -> None:
        """Filter again with new criteria."""
        # beginFilterChange/endFilterChange replace the deprecated invalidateFilter (Qt 6.10).
        self.beginFilterChange()
        self.criteria = criteria
        self.endFilterChange()

    def lessThan(self, left: Index, right: Index) -> bool:
        # Sort keys are Python tuples, which QVariant cannot order; compare them here.
        left_key = left.data(SORT_ROLE)
        right_key = right.data(SORT_ROLE)
        try:
            return bool(left_key < right_key)
        except TypeError:
            return str(left_key) < str(right_key)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ClaimsModel):
            return True
        record = model.record_at(source_row)
        wanted = self.criteria
        if wanted.document_id is not None and record.document_id != wanted.document_id:
            return False
        if wanted.untagged and model.tags_of(record):
            return False
        if wanted.tag_ids and not wanted.tag_ids.intersection(record.tag_ids):
            return False
        if wanted.stance and record.stance != wanted.stance:
            return False
        if wanted.speaker and fold(wanted.speaker) not in fold(record.speaker):
            return False
        if (
            wanted.min_checkworthiness
            and (record.checkworthiness or 0) < wanted.min_checkworthiness
        ):
            return False
        if wanted.words:
            haystack = fold(f"{record.exact}\n{record.note}")
            return all(word in haystack for word in fold(wanted.words).split())
        return True

    def records(self, rows: Iterable[int]) -> list[AnnotationRecord]:
        """The annotations on these proxy rows."""
        model = self.sourceModel()
        assert isinstance(model, ClaimsModel)
        return [model.record_at(self.mapToSource(self.index(row, 0)).row()) for row in rows]
