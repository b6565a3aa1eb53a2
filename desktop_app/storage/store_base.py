"""What every part of the library store shares: the engine, and the conventions of its methods.

Each public method of the store is one user-level action in one transaction (`with
self._writing() as session:`), so there is nothing to save and nothing to lose on quit or
crash. Results are plain records (desktop_app.core.records), never live ORM objects.

An import is many such actions that must land together or not at all: inside `with
store.transaction():` every method joins one SQLite transaction (each method in a savepoint of
its own, so a method that refuses leaves the others' work in place, as it would outside), and
nothing is committed until the block ends.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session


def text_digest(text: str) -> str:
    """SHA-256 of a normalised text: how the same article imported twice is recognised."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StoreBase:
    """The engine (and file) the store's parts work on."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        # Per thread: a worker's import must not swallow the window's own key presses.
        self._units = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the store calls inside the block as one transaction: all of them, or none.

        The write lock is taken at the start (`BEGIN IMMEDIATE`), so another process cannot
        slip a change in between this block's reads and its writes; it waits (SQLite's busy
        timeout) instead. A block inside another joins the outer one.
        """
        if self._unit() is not None:
            yield
            return
        with self.engine.connect() as connection:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            self._units.connection = connection
            try:
                yield
            except BaseException:
                connection.rollback()
                raise
            else:
                connection.commit()
            finally:
                self._units.connection = None

    def _unit(self) -> Connection | None:
        """The connection of this thread's open `transaction()`, if there is one."""
        connection: Connection | None = getattr(self._units, "connection", None)
        return connection

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A session in a transaction of its own, or in a savepoint of the open unit."""
        unit = self._unit()
        if unit is None:
            with Session(self.engine) as session, session.begin():
                yield session
            return
        with (
            Session(bind=unit, join_transaction_mode="create_savepoint") as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """A session for reads; inside a unit it sees the unit's own uncommitted writes."""
        if self._unit() is None:
            with Session(self.engine) as session:
                yield session
            return
        with self._writing() as session:
            yield session

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """A Core connection in a transaction (a savepoint inside a unit), for row-level work."""
        unit = self._unit()
        if unit is None:
            with self.engine.begin() as connection:
                yield connection
            return
        with unit.begin_nested():
            yield unit
