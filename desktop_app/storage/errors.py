"""Errors the library database reports in words a reader can act on."""

from __future__ import annotations


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


class NotFoundError(LibraryError):
    """A document, tag or annotation that is not (or no longer) in the library."""
