"""Which schema a library file has, read cheaply, so start-up migrates only when it must.

Importing Alembic costs ~0.3 s; reading one row with the standard `sqlite3` module costs almost
nothing. Revisions are numbered ("0001", "0002", ...) so "newer than this program" is a number
comparison, and a database from a newer Claimmark can be refused before anything touches it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# The newest migration in storage/migrations/versions; a test checks that Alembic agrees.
HEAD_REVISION = "0001"


def stored_revision(path: Path) -> str | None:
    """The Alembic revision recorded in the database at `path`; None for a new or empty file.

    Raises sqlite3.DatabaseError when the file is not a database SQLite can read.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        has_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    finally:
        connection.close()


def is_newer_than_head(revision: str) -> bool:
    """True when `revision` comes from a later Claimmark than this one."""
    try:
        return int(revision) > int(HEAD_REVISION)
    except ValueError:
        # Not one of our numbered revisions: we cannot know what it holds, so do not touch it.
        return True
