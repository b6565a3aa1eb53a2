"""Opening a library file: the engine, its SQLite settings, and migration to the current schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SqlAlchemyDatabaseError

from desktop_app.storage.errors import NewerSchemaError, UnreadableDatabaseError
from desktop_app.storage.schema_version import (
    HEAD_REVISION,
    ForeignDatabaseError,
    is_newer_than_head,
    stored_revision,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    """Settings SQLite forgets between connections, applied to every new one.

    Foreign keys are off by default in SQLite; WAL lets the reader and writer overlap; FULL sync
    makes a committed annotation survive a power cut, not just a crash (a tag is one small write).
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_library_engine(path: Path) -> Engine:
    """An engine on the SQLite file at `path` with Claimmark's connection settings."""
    engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _configure_connection)
    return engine


def _describe(path: Path, error: Exception) -> str:
    return f"{path} is not a Claimmark library SQLite can read ({error})."


def open_library_engine(path: Path) -> Engine:
    """Open (creating if needed) the library at `path`, migrated to this version's schema.

    Raises NewerSchemaError for a file from a newer Claimmark and UnreadableDatabaseError for
    one that is not a readable SQLite database; neither case writes to the file.
    """
    path = path.expanduser()
    if path.is_dir():
        raise UnreadableDatabaseError(f"{path} is a folder, not a library file.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UnreadableDatabaseError(
            f"Cannot create the folder for {path}: {error.strerror or error}."
        ) from error
    try:
        revision = stored_revision(path)
    except ForeignDatabaseError as error:
        raise UnreadableDatabaseError(
            f"{path} is another program's SQLite database (tables: {error}), "
            "not a Claimmark library; it was left untouched."
        ) from error
    except sqlite3.DatabaseError as error:
        raise UnreadableDatabaseError(_describe(path, error)) from error
    if revision is not None and is_newer_than_head(revision):
        raise NewerSchemaError(str(path), revision, HEAD_REVISION)
    engine = create_library_engine(path)
    if revision != HEAD_REVISION:
        try:
            migrate(engine)
        except SqlAlchemyDatabaseError as error:
            engine.dispose()
            raise UnreadableDatabaseError(_describe(path, error.orig or error)) from error
    return engine


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest revision with the migrations shipped in the package."""
    from alembic import command  # ~0.3 s to import: only paid when the schema differs
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
