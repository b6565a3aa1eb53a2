"""The library's services: every read and every change, each change committed as it happens.

The store is assembled from one part per kind of thing (documents, tags, annotations) that all
work on the same engine; see desktop_app.storage.store_base for the conventions they share.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from desktop_app.storage.annotation_queries import AnnotationQueries, NewAnnotation, Placement
from desktop_app.storage.database import open_library_engine
from desktop_app.storage.document_queries import DocumentQueries
from desktop_app.storage.orm import AppSetting, Document, utc_now
from desktop_app.storage.search_queries import SearchQueries
from desktop_app.storage.store_base import text_digest
from desktop_app.storage.tag_queries import TagQueries

__all__ = ["LAST_DOCUMENT_KEY", "LibraryStore", "NewAnnotation", "Placement", "text_digest"]

LAST_DOCUMENT_KEY = "last_document_id"


class LibraryStore(DocumentQueries, TagQueries, AnnotationQueries, SearchQueries):
    """Reads and changes one library file."""

    @classmethod
    def open(cls, path: Path) -> LibraryStore:
        """Open the library at `path`, creating and migrating it as needed."""
        return cls(open_library_engine(path), path)

    def close(self) -> None:
        """Release the file (pending WAL content is checkpointed by SQLite)."""
        self.engine.dispose()

    def setting(self, key: str) -> str | None:
        """A stored per-library setting, or None."""
        with self._reading() as session:
            item = session.get(AppSetting, key)
            return None if item is None else item.value

    def set_setting(self, key: str, value: str) -> None:
        """Store a per-library setting."""
        with self._writing() as session:
            session.merge(AppSetting(key=key, value=value))

    def remember_opened(self, document_id: int) -> None:
        """The document was just opened: reopen it at the next start, and put it first in
        File › Open Recent. One transaction, so one sync to disk: opening waits on it."""
        with self._writing() as session:
            session.merge(AppSetting(key=LAST_DOCUMENT_KEY, value=str(document_id)))
            session.execute(
                update(Document).where(Document.id == document_id).values(opened_at=utc_now())
            )
