"""Search results as a list model: one row per hit, best first, replaced by every search."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop_app.core.search_hit import SearchHit

Index = QModelIndex | QPersistentModelIndex


class SearchRole(IntEnum):
    """Data roles beyond Qt's own."""

    Hit = Qt.ItemDataRole.UserRole + 1
    Title = Qt.ItemDataRole.UserRole + 2
    Kind = Qt.ItemDataRole.UserRole + 3
    Snippet = Qt.ItemDataRole.UserRole + 4
    Marks = Qt.ItemDataRole.UserRole + 5


def kind_label(hit: SearchHit) -> str:
    """Where the words were found, as the list shows it: quote, note, speaker, tag, text, title."""
    return hit.field


def count_text(count: int) -> str:
    """ "12 results", "1 result" or "No results"."""
    if count == 0:
        return "No results"
    return f"{count} result{'s' if count != 1 else ''}"


class SearchResultModel(QAbstractListModel):
    """Rows are the hits of the last search, in the order the store ranked them.

    Every search replaces all rows (a reset): results of two queries have nothing in common
    worth keeping a selection for, and at most a few hundred rows come back.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        """Show the hits of a new search (an empty sequence clears the list)."""
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit_at(self, row: int) -> SearchHit:
        """The hit on `row`."""
        return self._hits[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.document_title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.document_title}\n{hit.snippet}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{kind_label(hit)} in {hit.document_title}: {hit.snippet}"
        if role == SearchRole.Hit:
            return hit
        if role == SearchRole.Title:
            return hit.document_title
        if role == SearchRole.Kind:
            return kind_label(hit)
        if role == SearchRole.Snippet:
            return hit.snippet
        if role == SearchRole.Marks:
            return hit.marks
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
