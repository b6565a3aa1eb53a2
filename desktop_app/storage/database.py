"""Opening a library file: the engine, its SQLite settings, and migration to the current schema."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SqlAlchemyDatabaseError
from sqlalchemy.exc import DBAPIError

from desktop_app.storage.errors import (
    DamagedDatabaseError,
    LibraryError,
    LockedDatabaseError,
    NewerSchemaError,
    UnreadableDatabaseError,
)
from desktop_app.storage.schema_version import (
    HEAD_REVISION,
    ForeignDatabaseError,
    is_newer_than_head,
    stored_revision,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
PAGE_CACHE_KIB = 512  # per connection; SQLite's default is 2,000 KiB


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    """Settings SQLite forgets between connections, applied to every new one.

    Foreign keys are off by default in SQLite; WAL lets the reader and writer overlap; FULL sync
    makes a committed annotation survive a power cut, not just a crash (a tag is one small write).
    The page cache is a quarter of SQLite's default 2 MiB: opening a long article reads every
    page of its text and annotations once, which filled the default cache with pages that are
    not read again (2 MiB of the window's peak memory); pages read again come from the
    operating system's cache.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
    cursor.close()


def create_library_engine(path: Path) -> Engine:
    """An engine on the SQLite file at `path` with Claimmark's connection settings."""
    engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _configure_connection)
    return engine


def _describe(path: Path, error: Exception) -> str:
    return f"{path} is not a Claimmark library SQLite can read ({error})."


# SQLite's primary result codes (the low byte of an extended code) for the files a user can
# do something about: another program holds the lock, or the file itself is damaged.
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


def _sqlite_code(error: BaseException) -> int | None:
    """The primary SQLite result code behind `error` (a sqlite3 or a SQLAlchemy error)."""
    original = error.orig if isinstance(error, DBAPIError) else error
    code = getattr(original, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def known_database_error(path: Path, error: BaseException) -> LibraryError | None:
    """The user-facing error for a locked or damaged file, or None when `error` is not one.

    Decided by SQLite's result code, not by the message text, so a translated or reworded
    message cannot turn a damaged file into a traceback.
    """
    code = _sqlite_code(error)
    original = error.orig if isinstance(error, DBAPIError) else error
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return LockedDatabaseError(
            f"{path} is in use by another program (SQLite: {original}); close that program "
            "and try again. The file was left untouched.",
            path,
        )
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return DamagedDatabaseError(
            f"{path} is damaged or is not a Claimmark library (SQLite: {original}); "
            "it was left untouched.",
            path,
        )
    return None


@contextmanager
def database_errors_explained(path: Path) -> Iterator[None]:
    """Turn SQLite's "locked", "malformed" and "not a database" into LibraryErrors.

    Opening only reads the first pages; damage further in shows up when the library is first
    read (the codebook, the document list), so callers wrap that reading too. Any other
    database error is a bug and passes through unchanged, to be logged with its traceback.
    """
    try:
        yield
    except (sqlite3.Error, DBAPIError) as error:
        known = known_database_error(path, error)
        if known is None:
            raise
        raise known from error


def open_library_engine(path: Path) -> Engine:
    """Open (creating if needed) the library at `path`, migrated to this version's schema.

    Raises NewerSchemaError for a file from a newer Claimmark, LockedDatabaseError for one
    another program holds (after SQLite's 5 s busy wait), DamagedDatabaseError for one that is
    corrupt, truncated or not SQLite, and UnreadableDatabaseError for anything else it cannot
    use (a folder, another program's database); none of these writes to the file.
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
        known = known_database_error(path, error)
        raise (known or UnreadableDatabaseError(_describe(path, error))) from error
    if revision is not None and is_newer_than_head(revision):
        raise NewerSchemaError(str(path), revision, HEAD_REVISION)
    engine = create_library_engine(path)
    if revision != HEAD_REVISION:
        try:
            migrate(engine)
        except SqlAlchemyDatabaseError as error:
            engine.dispose()
            known = known_database_error(path, error)
            described = UnreadableDatabaseError(_describe(path, error.orig or error))
            raise (known or described) from error
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
