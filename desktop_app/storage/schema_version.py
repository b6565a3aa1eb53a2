"""Which schema a library file has, read cheaply, so start-up migrates only when it must.

Importing Alembic costs ~0.3 s; reading one row with the standard `sqlite3` module costs almost
nothing. Revisions are numbered ("0001", "0002", ...) so "newer than this program" is a number
comparison, and a database from a newer Claimmark can be refused before anything touches it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

# The newest migration in storage/migrations/versions; a test checks that Alembic agrees.
HEAD_REVISION = "0003"


def read_only_connection(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection that cannot change the file at `path` (nor create it).

    The path is quoted into the URI: a name with '#', '?' or '%' must open that very file.
    """
    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=timeout)


def stored_revision(path: Path) -> str | None:
    """The Alembic revision recorded in the database at `path`; None for a new or empty file.

    Raises sqlite3.DatabaseError when the file is not a database SQLite can read, and
    ForeignDatabaseError when it is another program's SQLite database (tables, but not ours).
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    connection = read_only_connection(path)
    try:
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if "alembic_version" not in tables:
            if tables:
                raise ForeignDatabaseError(sorted(tables))
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    finally:
        connection.close()


class ForeignDatabaseError(Exception):
    """An SQLite file with tables of its own and no Claimmark schema version."""

    def __init__(self, tables: list[str]) -> None:
        super().__init__(", ".join(tables[:5]))
        self.tables = tables


def is_newer_than_head(revision: str) -> bool:
    """True when `revision` comes from a later Claimmark than this one."""
    try:
        return int(revision) > int(HEAD_REVISION)
    except ValueError:
        # Not one of our numbered revisions: we cannot know what it holds, so do not touch it.
        return True
