"""Opening a library file: the engine, its SQLite settings, and migration to the current schema."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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
    UnwritableDatabaseError,
)
from desktop_app.storage.schema_version import (
    HEAD_REVISION,
    ForeignDatabaseError,
    is_newer_than_head,
    stored_revision,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
PAGE_CACHE_KIB = 512  # per connection; SQLite's default is 2,000 KiB
BUSY_TIMEOUT_MS = 5_000  # how long a write waits for another process's write to finish
# Creating a library while nine other processes queue to create it too waits for all of them.
MIGRATION_BUSY_TIMEOUT_MS = 120_000


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
    # The busy wait first: switching a new file to WAL takes a lock another process may hold.
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
    cursor.close()


def create_library_engine(path: Path) -> Engine:
    """An engine on the SQLite file at `path` with Claimmark's connection settings.

    `hide_parameters`: an error message must never carry the statement's values (a full disk
    once printed a whole article's text as the "reason").
    """
    engine = create_engine(URL.create("sqlite", database=str(path)), hide_parameters=True)
    event.listen(engine, "connect", _configure_connection)
    return engine


def _describe(path: Path, error: Exception) -> str:
    return f"{path} is not a Claimmark library SQLite can read ({error})."


# SQLite's primary result codes (the low byte of an extended code) for the files a user can
# do something about: another program holds the lock, or the file itself is damaged.
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


def _sqlite_code(error: BaseException) -> int | None:
    """The primary SQLite result code behind `error` (a sqlite3 or a SQLAlchemy error)."""
    original = error.orig if isinstance(error, DBAPIError) else error
    code = getattr(original, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def known_database_error(path: Path, error: BaseException) -> LibraryError | None:
    """The user-facing error for a locked, damaged or unwritable file; None for any other.

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
    if code in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
        return UnwritableDatabaseError(
            f"{path} cannot be written: the file or its folder is read-only or not yours "
            f"(SQLite: {original}); nothing was changed.",
            path,
        )
    if code == _SQLITE_FULL:
        return UnwritableDatabaseError(
            f"The disk holding {path} is full; nothing was changed. Free some space and try again.",
            path,
        )
    if code == _SQLITE_IOERR:
        return UnwritableDatabaseError(
            f"{path} could not be written (SQLite: {original}): the disk may be full, "
            "over a size limit or failing; nothing was changed.",
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
        known = _first_known_in_chain(path, error)
        if known is None:
            raise
        raise known from error


def _first_known_in_chain(path: Path, error: BaseException) -> LibraryError | None:
    """The user-facing error for `error` or for what caused it.

    On a full or failing disk SQLite rolls the whole transaction back by itself; rolling back
    to a savepoint then fails with "no such savepoint", and the disk's error is only the cause.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        known = known_database_error(path, current)
        if known is not None:
            return known
        current = current.__cause__ or current.__context__
    return None


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
    except OSError as error:
        raise UnreadableDatabaseError(
            f"{path} cannot be read: {error.strerror or error}; it was left untouched."
        ) from error
    if revision is not None and not revision.isdecimal():
        shown = repr(revision[:40]) if revision.strip() else "an empty one"
        raise UnreadableDatabaseError(
            f"{path} records a schema version no Claimmark writes ({shown}): it is damaged "
            "or another program changed it; it was left untouched."
        )
    if revision is not None and is_newer_than_head(revision):
        raise NewerSchemaError(str(path), revision, HEAD_REVISION)
    engine = create_library_engine(path)
    if revision != HEAD_REVISION:
        try:
            migrate(engine)
        except SqlAlchemyDatabaseError as error:
            engine.dispose()
            known = _first_known_in_chain(path, error)
            described = UnreadableDatabaseError(_describe(path, error.orig or error))
            raise (known or described) from error
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to `revision` (the newest by default) with the shipped migrations.

    All of it is one exclusive transaction: any number of processes may open a new or old
    library at once, and one migrates while the others wait, then find it done; a migration
    that fails (or a process killed half-way) leaves the schema it started from. Foreign keys
    are off meanwhile (SQLite rebuilds a table to alter it, which must not trip them half-way;
    the pragma is ignored inside a transaction, so it is set before) and checked at the end.
    """
    from alembic import command  # ~0.3 s to import: only paid when the schema differs
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as connection:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={MIGRATION_BUSY_TIMEOUT_MS}")
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        try:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise MigrationError(
                    f"the migration left rows that break foreign keys: {problems[:5]}"
                )
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            # The connection goes back to the pool: it must not keep foreign keys off. On a
            # full or failing disk this can fail too; the first error is the one to report.
            with suppress(SqlAlchemyDatabaseError):
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                connection.commit()


class MigrationError(Exception):
    """A migration step that did not leave a sound library (a bug: it was rolled back)."""
