"""Errors the library database reports in words a reader can act on."""

from __future__ import annotations

from pathlib import Path


class LibraryError(Exception):
    """A problem with the library database that is the user's environment, not a bug."""


class NewerSchemaError(LibraryError):
    """The database was written by a newer Claimmark; opening it could damage it."""

    def __init__(self, path: str, stored: str, supported: str) -> None:
        super().__init__(
            f"{path} was written by a newer version of Claimmark (database schema {stored}; "
            f"this version supports up to {supported}). Update Claimmark to open it."
        )
        self.stored = stored
        self.supported = supported


class UnreadableDatabaseError(LibraryError):
    """The file is not a Claimmark database SQLite can read (corrupt, truncated, foreign)."""


class DamagedDatabaseError(UnreadableDatabaseError):
    """The file is damaged, truncated or not SQLite at all: what a backup can repair.

    Kept apart from its parent (a folder, another program's database) because only this case
    should offer to restore a backup or start a new library; `path` is the file concerned.
    """

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class LockedDatabaseError(LibraryError):
    """Another program holds the library file locked; trying again later may well work.

    Not a damaged file: nothing should be restored over it or moved aside while it is in use.
    """

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class UnwritableDatabaseError(LibraryError):
    """The library cannot be written: a read-only file or folder, a full or failing disk.

    The file is sound: nothing should be restored over it; the user frees space or fixes
    permissions and tries again.
    """

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class BackupError(LibraryError):
    """A backup could not be made or restored (disk full, the library itself damaged)."""


class NotFoundError(LibraryError):
    """A document, tag or annotation that is not (or no longer) in the library."""
