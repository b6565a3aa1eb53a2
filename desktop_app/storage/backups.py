"""Rotating backups of the library, and getting back to work when the library file is broken.

Backups are made with SQLite's online backup API from a read-only connection, so a backup is
one consistent snapshot even while the window keeps writing (WAL lets the writer go on). Each
copy is checked with `PRAGMA integrity_check` before it is kept: a library that is already
damaged never pushes a good backup out of the rotation.

They live beside the library, in `<library stem>-backups/`, named by the UTC time they were
taken, so the newest sorts last and the folder explains itself to someone browsing it.

Recovery never deletes or overwrites the broken file: it is renamed to
`<library name>.broken-<UTC time>` (with its `-wal`/`-shm` companions, which belong to it) and
only then does a restored copy or a new library take its place.

Nothing here imports Qt, and SQLAlchemy only where an engine is handed in, so the command line
can use it too.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.storage.errors import BackupError
from desktop_app.storage.schema_version import (
    ForeignDatabaseError,
    is_newer_than_head,
    read_only_connection,
    stored_revision,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

DEFAULT_BACKUPS_KEPT = 5
DEFAULT_CHANGES_BETWEEN_BACKUPS = 100
DEFAULT_MINIMUM_INTERVAL = 5 * 60.0  # seconds: a burst of tagging is one stretch, not many

# SQLite keeps a database's uncommitted or uncheckpointed pages in files named after it; they
# are part of the database and travel with it when it is moved aside.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
_STAMP_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_STAMP_PATTERN = r"(\d{8}T\d{6}\.\d{6}Z)"


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file and the UTC time it was taken."""

    path: Path
    taken_at: datetime

    def label(self) -> str:
        """The time in the reader's own time zone, for a button or a message."""
        return self.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")


def backup_folder(library: Path) -> Path:
    """Where the backups of `library` live: a folder beside it, named after it."""
    return library.parent / f"{library.stem}-backups"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_STAMP_FORMAT)


def _backup_name_pattern(library: Path) -> re.Pattern[str]:
    return re.compile(re.escape(library.stem) + "-" + _STAMP_PATTERN + re.escape(".db"))


def list_backups(library: Path) -> list[Backup]:
    """The backups of `library`, newest first; files that are not ours are ignored."""
    folder = backup_folder(library)
    pattern = _backup_name_pattern(library)
    found: list[Backup] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or not entry.is_file():
            continue
        taken_at = datetime.strptime(match.group(1), _STAMP_FORMAT).replace(tzinfo=UTC)
        found.append(Backup(entry, taken_at))
    return sorted(found, key=lambda backup: backup.taken_at, reverse=True)


def _integrity_problem(connection: sqlite3.Connection) -> str | None:
    """None when SQLite finds the whole file sound, else its first complaint."""
    rows = connection.execute("PRAGMA integrity_check").fetchall()
    if rows == [("ok",)]:
        return None
    return str(rows[0][0]) if rows else "no answer from the integrity check"


def is_good_backup(path: Path) -> bool:
    """True when `path` is a sound SQLite file holding a library this version can open.

    Reads the whole file (integrity_check is O(size)): for the moment something already went
    wrong, never for every start-up.
    """
    try:
        revision = stored_revision(path)
        if revision is None or is_newer_than_head(revision):
            return False
        connection = read_only_connection(path, timeout=1.0)
        try:
            return _integrity_problem(connection) is None
        finally:
            connection.close()
    except (sqlite3.Error, OSError, ForeignDatabaseError):
        return False


def newest_good_backup(library: Path) -> Backup | None:
    """The newest backup of `library` that passes the checks of `is_good_backup`, if any."""
    for backup in list_backups(library):
        if is_good_backup(backup.path):
            return backup
    return None


def make_backup(
    library: Path, keep: int = DEFAULT_BACKUPS_KEPT, now: datetime | None = None
) -> Backup:
    """Copy `library` into its backup folder, check the copy, and keep the `keep` newest.

    The copy is written under a temporary name and renamed only once SQLite calls it sound,
    so the folder never holds half a backup under a backup's name. Raises BackupError (the
    library is damaged, the disk is full, ...); the library itself is only read.

    Run it off the GUI thread: its connections are made here, in the thread that uses them.
    """
    taken_at = now or datetime.now(UTC)
    folder = backup_folder(library)
    target = folder / f"{library.stem}-{_stamp(taken_at)}.db"
    partial = folder / f".{target.name}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise BackupError(f"A backup named {target.name} already exists.")
        source = read_only_connection(library)
        try:
            # Take the read lock first, within SQLite's busy timeout: Python's backup() retries
            # a busy source forever, so a library locked by another program would hang here.
            source.execute("BEGIN")
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
            destination = sqlite3.connect(partial)
            try:
                # pages=-1: every page in one step under that one read transaction, so the
                # copy is a single moment of the library even while the window commits.
                source.backup(destination, pages=-1)
                # One self-contained file: no -wal beside the backup to lose when copying it.
                destination.execute("PRAGMA journal_mode=DELETE")
                problem = _integrity_problem(destination)
            finally:
                destination.close()
        finally:
            source.close()
        if problem is not None:
            raise BackupError(
                f"{library} did not pass SQLite's integrity check ({problem}); "
                "the earlier backups were kept."
            )
        _flush_to_disk(partial)
        partial.rename(target)
    except sqlite3.Error as error:
        raise BackupError(f"Could not back up {library}: {error}.") from error
    except OSError as error:
        raise BackupError(f"Could not back up {library}: {error.strerror or error}.") from error
    finally:
        # Only ever our own temporary file: a failed copy must not pile up in the folder.
        partial.unlink(missing_ok=True)
    rotate_backups(library, keep)
    return Backup(target, taken_at)


def _flush_to_disk(path: Path) -> None:
    """Make the copy durable before it gets its final name (a power cut must not leave an
    empty file that looks like a backup)."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def rotate_backups(library: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups of `library` (at least one is always kept);
    returns the deleted paths. Only files with our backup names are touched."""
    removed = []
    for backup in list_backups(library)[max(1, keep) :]:
        backup.path.unlink(missing_ok=True)
        removed.append(backup.path)
    return removed


def library_changed_since_last_backup(library: Path) -> bool:
    """True when `library` (or its WAL) was written after its newest backup was taken.

    A stat and a folder listing, cheap enough for start-up: idle start-ups must not rotate
    the older backups away with copies of an unchanged library.
    """
    backups = list_backups(library)
    if not backups:
        return library.exists()
    modified = 0.0
    for path in (library, Path(f"{library}-wal")):
        try:
            modified = max(modified, path.stat().st_mtime)
        except OSError:
            continue
    return modified > backups[0].taken_at.timestamp()


# -- recovery ------------------------------------------------------------------------------------


def _companions(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in COMPANION_SUFFIXES]


def _unused_aside_name(library: Path, moment: datetime) -> Path:
    base = f"{library.name}.broken-{moment.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    candidate = library.with_name(base)
    number = 1
    while any(p.exists() for p in (candidate, *_companions(candidate))):
        number += 1
        candidate = library.with_name(f"{base}-{number}")
    return candidate


def move_aside(library: Path, now: datetime | None = None) -> Path | None:
    """Rename a broken `library` (and its -wal/-shm/-journal) out of the way; returns its new
    path, or None when there was nothing at `library`.

    Renaming, not copying: it is instant whatever the size, and the bytes stay exactly as
    they were for whoever wants to rescue something from them later.
    """
    if not library.exists():
        return None
    aside = _unused_aside_name(library, now or datetime.now(UTC))
    try:
        library.rename(aside)
        for companion, moved in zip(_companions(library), _companions(aside), strict=True):
            if companion.exists():
                companion.rename(moved)
    except OSError as error:
        raise BackupError(
            f"Could not move {library} aside: {error.strerror or error}; nothing was changed."
        ) from error
    return aside


def copy_backup_to(backup: Backup, target: Path) -> Path:
    """Copy `backup` to the new file `target`, refusing to overwrite anything there."""
    partial = target.with_name(f".{target.name}.restoring")
    try:
        shutil.copyfile(backup.path, partial)
        _flush_to_disk(partial)
        if target.exists():
            raise BackupError(f"{target} already exists; the backup was not copied over it.")
        partial.rename(target)
    except OSError as error:
        raise BackupError(
            f"Could not copy the backup {backup.path} to {target}: {error.strerror or error}."
        ) from error
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore_backup(backup: Backup, library: Path) -> Path | None:
    """Put a copy of `backup` where `library` was, after moving the broken file aside.

    The copy is made first, beside the library, so a full disk leaves everything as it was;
    the backup itself stays in the rotation. Returns where the broken file went (None if
    there was none).
    """
    staged = library.with_name(f".{library.name}.restored-{_stamp(datetime.now(UTC))}")
    copy_backup_to(backup, staged)
    try:
        aside = move_aside(library)
        staged.rename(library)
    except (OSError, BackupError):
        staged.unlink(missing_ok=True)
        raise
    return aside


def start_new_library(library: Path) -> Path | None:
    """Make room for a new, empty library at `library`; returns where the broken file went."""
    return move_aside(library)


# -- when to back up -----------------------------------------------------------------------------


@dataclass
class BackupPolicy:
    """Says when a stretch of changes deserves a backup; it keeps no timer of its own.

    Commits are counted by an SQLAlchemy "commit" listener (see `attach`), from whichever
    thread commits, so the count is guarded by a lock. A backup is due after
    `changes_between` commits and at least `minimum_interval` seconds after the last one, so a
    burst of tagging makes one backup rather than one per click. The caller (the window, on a
    timer) asks `due()` and calls `backed_up()` once a backup has been made.
    """

    changes_between: int = DEFAULT_CHANGES_BETWEEN_BACKUPS
    minimum_interval: float = DEFAULT_MINIMUM_INTERVAL
    clock: Callable[[], float] = time.monotonic
    _changes: int = 0
    _last_backup: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def changes(self) -> int:
        """Commits counted since the last backup."""
        with self._lock:
            return self._changes

    def record_change(self, *_args: object) -> None:
        """Count one committed change (the signature fits an SQLAlchemy event listener)."""
        with self._lock:
            self._changes += 1

    def attach(self, engine: Engine) -> None:
        """Count every commit on `engine` from now on."""
        from sqlalchemy import event

        event.listen(engine, "commit", self.record_change)

    def detach(self, engine: Engine) -> None:
        """Stop counting the commits of `engine`."""
        from sqlalchemy import event

        if event.contains(engine, "commit", self.record_change):
            event.remove(engine, "commit", self.record_change)

    def due(self) -> bool:
        """True when enough changes have been committed, long enough after the last backup."""
        with self._lock:
            if self._changes < max(1, self.changes_between):
                return False
            last = self._last_backup
        return last is None or self.clock() - last >= self.minimum_interval

    def backed_up(self) -> None:
        """A backup was made: start counting the next stretch."""
        with self._lock:
            self._changes = 0
            self._last_backup = self.clock()
