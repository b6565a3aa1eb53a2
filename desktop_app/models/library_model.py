"""The library as a list model: one row per article (its latest version), filterable by title."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from desktop_app.core.bylines import readable_date
from desktop_app.core.records import DocumentSummary


class LibraryRole(IntEnum):
    """Data roles beyond Qt's own."""

    Summary = Qt.ItemDataRole.UserRole + 1
    Details = Qt.ItemDataRole.UserRole + 2
    DocumentId = Qt.ItemDataRole.UserRole + 3


def details_line(summary: DocumentSummary) -> str:
    """Site, date, annotation count and review count, as the library shows under a title."""
    parts = [p for p in (summary.site, readable_date(summary.published)) if p]
    count = summary.annotation_count
    parts.append(f"{count} annotation{'s' if count != 1 else ''}")
    if summary.version_number > 1:
        parts.append(f"version {summary.version_number}")
    if summary.review_count:
        parts.append(f"{summary.review_count} to review")
    return " · ".join(parts)


class LibraryModel(QStandardItemModel):
    """Rows are the library's articles in the order they were imported."""

    def set_documents(self, documents: Sequence[DocumentSummary]) -> None:
        """Show the library's documents."""
        self.clear()
        for summary in documents:
            item = QStandardItem(summary.title)
            item.setEditable(False)
            item.setData(summary, LibraryRole.Summary)
            item.setData(details_line(summary), LibraryRole.Details)
            item.setData(summary.id, LibraryRole.DocumentId)
            item.setData(f"{summary.title}\n{details_line(summary)}", Qt.ItemDataRole.ToolTipRole)
            self.appendRow(item)

    def update_counts(self, document_id: int, annotations: int, to_review: int) -> None:
        """Show new counts for one document (the open one changed) without re-reading all."""
        row = self.row_of(document_id)
        item = None if row is None else self.item(row)
        if item is None:
            return
        summary: DocumentSummary = item.data(LibraryRole.Summary)
        if (summary.annotation_count, summary.review_count) == (annotations, to_review):
            return
        summary = replace(summary, annotation_count=annotations, review_count=to_review)
        item.setData(summary, LibraryRole.Summary)
        item.setData(details_line(summary), LibraryRole.Details)
        item.setData(f"{summary.title}\n{details_line(summary)}", Qt.ItemDataRole.ToolTipRole)

    def row_of(self, document_id: int) -> int | None:
        """The row of a document, or None."""
        for row in range(self.rowCount()):
            if self.index(row, 0).data(LibraryRole.DocumentId) == document_id:
                return row
        return None


class LibraryFilter(QSortFilterProxyModel):
    """Shows the documents whose title contains the filter text (any case)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterRole(Qt.ItemDataRole.DisplayRole)
