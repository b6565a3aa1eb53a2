"""A glance at the library with the standard sqlite3 module, so the first window shows the
article before SQLAlchemy (~0.2 s to import) and the full library are loaded behind it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop_app.storage.schema_version import (
    HEAD_REVISION,
    ForeignDatabaseError,
    read_only_connection,
    stored_revision,
)


@dataclass(frozen=True, slots=True)
class Preview:
    """What the first paint shows: the last open document's title, source and text."""

    title: str
    source: str
    text: str


def peek_last_document(path: Path) -> Preview | None:
    """The last open document of the library at `path`, or None if there is none to show.

    Any doubt (missing file, other schema, locked, corrupt) gives None: the full start-up that
    follows deals with it properly and explains it to the user.
    """
    try:
        if stored_revision(path) != HEAD_REVISION:
            return None
        connection = read_only_connection(path, timeout=0.2)
        try:
            row = connection.execute(
                "SELECT d.title, d.source, d.text FROM documents d "
                "JOIN app_settings s ON s.key = 'last_document_id' "
                "AND d.id = CAST(s.value AS INTEGER)"
            ).fetchone()
        finally:
            connection.close()
    except (sqlite3.Error, OSError, ForeignDatabaseError):
        return None
    return None if row is None else Preview(*row)
