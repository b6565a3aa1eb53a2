"""A glance at the library with the standard sqlite3 module, so the first window shows the
article before SQLAlchemy (~0.2 s to import) and the full library are loaded behind it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.bylines import byline
from desktop_app.storage.schema_version import HEAD_REVISION, read_only_connection


@dataclass(frozen=True, slots=True)
class Preview:
    """What the first paint shows: the last open document as the reader will show it."""

    title: str
    byline: str
    text: str
    blocks: tuple[tuple[int, int, str], ...]


def peek_last_document(path: Path) -> Preview | None:
    """The last open document of the library at `path`, or None if there is none to show.

    Any doubt (missing file, other schema, locked, corrupt) gives None: the full start-up that
    follows deals with it properly and explains it to the user.
    """
    try:
        if not path.is_file():
            return None
        # One connection with a short busy wait for both reads: a library another program
        # holds locked must not keep the first paint waiting for SQLite's usual 5 s.
        connection = read_only_connection(path, timeout=0.2)
        try:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or revision[0] != HEAD_REVISION:
                return None
            row = connection.execute(
                "SELECT d.title, d.author, d.site, d.published, d.source, d.text, d.blocks "
                "FROM documents d JOIN app_settings s ON s.key = 'last_document_id' "
                "AND d.id = CAST(s.value AS INTEGER) WHERE d.deleted_at IS NULL"
            ).fetchone()
        finally:
            connection.close()
        if row is None:
            return None
        title, author, site, published, source, text, blocks = row
        stored = json.loads(blocks or "[]")
        return Preview(
            title,
            byline(author, site, published, source),
            text,
            tuple((int(a), int(b), str(kind)) for a, b, kind in stored),
        )
    except (sqlite3.Error, OSError, ValueError):
        return None
