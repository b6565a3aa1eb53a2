"""Backups and recovery on real SQLite files: rotation, consistency under writes, damaged and
locked libraries explained, and a broken file that is only ever moved aside."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.storage.backups import (
    BackupPolicy,
    backup_folder,
    copy_backup_to,
    is_good_backup,
    library_changed_since_last_backup,
    list_backups,
    make_backup,
    move_aside,
    newest_good_backup,
    restore_backup,
    start_new_library,
)
from desktop_app.storage.database import database_errors_explained, open_library_engine
from desktop_app.storage.errors import BackupError, DamagedDatabaseError, LockedDatabaseError
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LAST_DOCUMENT_KEY, LibraryStore
from desktop_app.storage.quick_peek import peek_last_document

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
PAGE = 4096


def make_library(path: Path, documents: int = 40) -> None:
    """A closed library of many pages (so that damage can sit past the first ones)."""
    store = LibraryStore.open(path)
    try:
        prepare_library(store)
        for number in range(documents):
            store.add_document(f"Doc {number}", f"doc{number}.txt", f"Sentence {number}. " * 150)
        store.set_setting(LAST_DOCUMENT_KEY, "1")
    finally:
        store.close()


def titles(path: Path) -> list[str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return [row[0] for row in connection.execute("SELECT title FROM documents ORDER BY id")]


def overwrite_page(path: Path, page: int, fill: bytes = b"\xab") -> None:
    data = bytearray(path.read_bytes())
    data[page * PAGE : (page + 1) * PAGE] = fill * PAGE
    path.write_bytes(bytes(data))


@contextmanager
def locked_exclusively(path: Path) -> Iterator[None]:
    """Another connection that takes the file for itself (EXCLUSIVE locking and a write) and
    keeps it until the block ends, as a program holding the library open would."""
    holder = sqlite3.connect(path)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("UPDATE app_settings SET value = value")
        holder.commit()
        yield
    finally:
        holder.close()


# --- making, checking, rotating -----------------------------------------------------------------


def test_a_backup_is_made_checked_and_rotated_to_the_number_kept(library_path: Path) -> None:
    make_library(library_path)
    made = [make_backup(library_path, keep=3, now=T0 + timedelta(minutes=n)) for n in range(7)]

    kept = list_backups(library_path)
    assert [b.taken_at for b in kept] == [T0 + timedelta(minutes=n) for n in (6, 5, 4)]
    assert [b.path for b in kept] == [b.path for b in reversed(made[4:])]
    assert all(not b.path.exists() for b in made[:4])
    folder = backup_folder(library_path)
    assert folder == library_path.parent / "library-backups"
    # Only the backups themselves: no temporary copies, no -wal beside a backup.
    assert sorted(p.name for p in folder.iterdir()) == sorted(b.path.name for b in kept)
    for backup in kept:
        assert titles(backup.path) == titles(library_path)
        assert is_good_backup(backup.path)
        with closing(sqlite3.connect(backup.path)) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert kept[0].path.name == "library-20250301T093600.000000Z.db"


def test_a_library_that_fails_the_integrity_check_keeps_the_older_backups(
    library_path: Path,
) -> None:
    make_library(library_path)
    good = make_backup(library_path, keep=2, now=T0)
    overwrite_page(library_path, 20)

    with pytest.raises(BackupError) as caught:
        make_backup(library_path, keep=2, now=T0 + timedelta(hours=1))

    assert str(library_path) in str(caught.value)
    assert list_backups(library_path) == [good]
    assert [p.name for p in backup_folder(library_path).iterdir()] == [good.path.name]


def test_a_backup_taken_while_another_connection_writes_is_consistent(
    library_path: Path,
) -> None:
    make_library(library_path, documents=60)
    with closing(sqlite3.connect(library_path)) as setup:
        setup.execute("INSERT INTO app_settings VALUES ('count', '0')")
        setup.commit()
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        # Each transaction adds a row and the count of rows: a copy made page by page
        # while this runs would see one without the other.
        connection = sqlite3.connect(library_path, timeout=5)
        try:
            number = 0
            while not stop.is_set():
                number += 1
                connection.execute("INSERT INTO app_settings VALUES (?, 'x')", (f"row{number}",))
                connection.execute(
                    "UPDATE app_settings SET value = ? WHERE key = 'count'", (str(number),)
                )
                connection.execute(
                    "UPDATE documents SET title = title || '.' WHERE id = ?", (1 + number % 60,)
                )
                connection.commit()
                written.append(number)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 20:
            time.sleep(0.005)
        counts = []
        for n in range(5):
            backup = make_backup(library_path, keep=10, now=T0 + timedelta(seconds=n))
            with closing(sqlite3.connect(backup.path)) as copy:
                count = int(
                    copy.execute("SELECT value FROM app_settings WHERE key='count'").fetchone()[0]
                )
                rows = copy.execute(
                    "SELECT count(*) FROM app_settings WHERE key LIKE 'row%'"
                ).fetchone()[0]
                dots = copy.execute(
                    "SELECT sum(length(title) - length(rtrim(title, '.'))) FROM documents"
                ).fetchone()[0]
            assert rows == count == dots
            counts.append(count)
    finally:
        stop.set()
        writer.join()
    # The writer really was writing while the backups were taken.
    assert len(set(counts)) > 1
    assert counts == sorted(counts)


# --- finding a good backup ------------------------------------------------------------------------


def test_newest_good_backup_skips_a_damaged_newer_one(library_path: Path) -> None:
    make_library(library_path)
    older = make_backup(library_path, now=T0)
    newer = make_backup(library_path, now=T0 + timedelta(days=1))
    newer.path.write_bytes(newer.path.read_bytes()[: newer.path.stat().st_size // 2])

    assert not is_good_backup(newer.path)
    assert newest_good_backup(library_path) == older
    assert list_backups(library_path) == [newer, older]


def test_no_good_backup_when_every_backup_is_damaged(library_path: Path) -> None:
    make_library(library_path)
    only = make_backup(library_path, now=T0)
    overwrite_page(only.path, 10)
    assert newest_good_backup(library_path) is None


def test_files_in_the_backup_folder_that_are_not_backups_are_ignored(library_path: Path) -> None:
    make_library(library_path)
    folder = backup_folder(library_path)
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    (folder / "other-20250101T000000.000000Z.db").write_bytes(b"x")
    backup = make_backup(library_path, keep=1, now=T0)
    make_backup(library_path, keep=1, now=T0 + timedelta(seconds=1))
    assert not backup.path.exists()
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (folder / "other-20250101T000000.000000Z.db").exists()


def test_changed_since_last_backup(library_path: Path) -> None:
    assert not library_changed_since_last_backup(library_path)  # nothing to back up yet
    make_library(library_path)
    assert library_changed_since_last_backup(library_path)  # never backed up
    make_backup(library_path)
    assert not library_changed_since_last_backup(library_path)
    time.sleep(0.01)
    store = LibraryStore.open(library_path)
    store.set_setting("touched", "yes")
    store.close()
    assert library_changed_since_last_backup(library_path)


# --- recovery: the broken file is moved aside, never lost -----------------------------------------


def test_restore_puts_the_backup_in_place_and_keeps_the_broken_file(library_path: Path) -> None:
    make_library(library_path, documents=3)
    backup = make_backup(library_path, now=T0)
    broken = b"not a library any more\n" * 100
    library_path.write_bytes(broken)
    wal = Path(f"{library_path}-wal")
    wal.write_bytes(b"its write-ahead log")

    aside = restore_backup(backup, library_path)

    assert aside is not None
    assert aside.name.startswith("library.db.broken-")
    assert aside.read_bytes() == broken
    assert Path(f"{aside}-wal").read_bytes() == b"its write-ahead log"
    assert not wal.exists()
    assert titles(library_path) == ["Doc 0", "Doc 1", "Doc 2"]
    assert backup.path.exists()  # still in the rotation
    assert not [p for p in library_path.parent.iterdir() if p.name.startswith(".")]
    store = LibraryStore.open(library_path)  # and it opens as a library
    try:
        assert [d.title for d in store.documents()] == ["Doc 0", "Doc 1", "Doc 2"]
    finally:
        store.close()


def test_start_new_moves_the_broken_file_aside(library_path: Path) -> None:
    broken = bytes(range(256)) * 64
    library_path.write_bytes(broken)
    aside = start_new_library(library_path)
    assert aside is not None and aside.read_bytes() == broken
    assert not library_path.exists()
    assert start_new_library(library_path) is None  # nothing there: nothing to move


def test_moving_aside_never_overwrites_an_earlier_broken_file(library_path: Path) -> None:
    library_path.write_bytes(b"first")
    first = move_aside(library_path, now=T0)
    library_path.write_bytes(b"second")
    second = move_aside(library_path, now=T0)
    assert first is not None and second is not None and first != second
    assert (first.read_bytes(), second.read_bytes()) == (b"first", b"second")


def test_copying_a_backup_refuses_to_overwrite(library_path: Path, tmp_path: Path) -> None:
    make_library(library_path, documents=1)
    backup = make_backup(library_path, now=T0)
    target = tmp_path / "copy.db"
    assert copy_backup_to(backup, target) == target
    assert titles(target) == ["Doc 0"]
    target.write_bytes(b"someone else's")
    with pytest.raises(BackupError):
        copy_backup_to(backup, target)
    assert target.read_bytes() == b"someone else's"


# --- when a backup is due -------------------------------------------------------------------------


def test_a_backup_is_due_after_a_stretch_of_commits_and_an_interval(library_path: Path) -> None:
    now = [1000.0]
    policy = BackupPolicy(changes_between=3, minimum_interval=60, clock=lambda: now[0])
    store = LibraryStore.open(library_path)
    try:
        policy.attach(store.engine)
        store.set_setting("a", "1")
        store.set_setting("b", "2")
        assert (policy.changes, policy.due()) == (2, False)
        store.set_setting("c", "3")
        assert (policy.changes, policy.due()) == (3, True)
        policy.backed_up()
        for n in range(3):
            store.set_setting("d", str(n))
        assert not policy.due()  # enough changes, but too soon after the last backup
        now[0] += 61
        assert policy.due()
        policy.detach(store.engine)
        store.set_setting("e", "5")
        assert policy.changes == 3
    finally:
        store.close()


# --- damaged and locked libraries are explained, and left untouched -------------------------------


def half_of_a_library(path: Path) -> bytes:
    make_library(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path.read_bytes()


DAMAGE = {
    "truncated": half_of_a_library,
    "zero-filled": lambda p: (p.write_bytes(bytes(64 * PAGE)), p.read_bytes())[1],
    "garbage": lambda p: (p.write_bytes(bytes(range(256)) * 64), p.read_bytes())[1],
    "text": lambda p: (p.write_text("Shopping list\n" * 200, encoding="utf-8"), p.read_bytes())[1],
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_library_is_named_as_such_and_untouched(library_path: Path, kind: str) -> None:
    before = DAMAGE[kind](library_path)
    with pytest.raises(DamagedDatabaseError) as caught:
        open_library_engine(library_path)
    message = str(caught.value)
    assert str(library_path) in message and "damaged" in message and "\n" not in message
    assert caught.value.path == library_path
    assert library_path.read_bytes() == before
    assert peek_last_document(library_path) is None


def test_damage_past_the_first_pages_is_explained_when_first_read(library_path: Path) -> None:
    make_library(library_path)
    pages = library_path.stat().st_size // PAGE
    overwrite_page(library_path, pages - 2)
    before = library_path.read_bytes()
    store = LibraryStore.open(library_path)  # the first pages are sound
    try:
        with pytest.raises(DamagedDatabaseError), database_errors_explained(library_path):
            prepare_library(store)
            for document in store.documents():
                store.document(document.id)
    finally:
        store.close()
    assert library_path.read_bytes() == before


def test_other_database_errors_pass_through_unexplained(library_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError), database_errors_explained(library_path):
        sqlite3.connect(":memory:").execute("SELECT * FROM nowhere")


def test_a_locked_library_says_it_is_in_use(library_path: Path) -> None:
    make_library(library_path)
    before = library_path.read_bytes()
    with locked_exclusively(library_path):
        started = time.monotonic()
        assert peek_last_document(library_path) is None
        assert time.monotonic() - started < 1.5  # the first paint does not wait 5 s
        with pytest.raises(LockedDatabaseError) as caught:
            open_library_engine(library_path)
        with pytest.raises(BackupError):
            make_backup(library_path)
    message = str(caught.value)
    assert "in use by another program" in message and str(library_path) in message
    assert "\n" not in message
    assert library_path.read_bytes() == before
    assert list_backups(library_path) == []
