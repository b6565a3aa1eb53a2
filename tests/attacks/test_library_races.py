"""Many processes on one library: creating, migrating and importing at once loses nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from attack_support import (
    SAMPLE,
    assert_refused,
    headless_env,
    library_dump,
    run_cli,
)

from desktop_app.io import file_reader
from desktop_app.storage.database import create_library_engine, migrate
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LibraryStore
from desktop_app.storage.schema_version import HEAD_REVISION, stored_revision

PROCESSES = 10


def schema(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """The library's tables, indexes and triggers, each statement's lines sorted.

    Alembic's batch rebuild lists a table's constraints in an order that varies from run to
    run (serial runs too), so lines are compared as a set, not in order.
    """
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master")
        return sorted(
            (kind, name, tuple(sorted(line.strip().rstrip(",") for line in sql.splitlines())))
            for kind, name, sql in rows
        )


def article(folder: Path, number: int) -> Path:
    path = folder / f"article-{number}.txt"
    path.write_text(f"Report {number}.\nTalks in round {number} ended without a deal.\n", "utf-8")
    return path


def imports_at_once(library: Path, files: list[Path]) -> list[tuple[int, str]]:
    """Start one `desktop-app import FILE --db library` per file, all at once; (exit code,
    standard error) of each, once all have ended."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "desktop_app", "import", str(f), "--db", str(library)],
            env=headless_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    results = []
    for process in processes:
        _, err = process.communicate(timeout=300)
        results.append((process.returncode, err))
    return results


def test_a_refused_first_import_keeps_what_another_process_stored(tmp_path: Path) -> None:
    """The library a refused import created is kept: another process may already use it."""
    library = tmp_path / "new.db"
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    real_read = file_reader.read_document_file

    def read_while_another_process_imports(path: Path, limit: int) -> object:
        # The race of the issue, made certain: a second process stores a document after this
        # command created the library and before it refuses its own file.
        other = LibraryStore.open(library)
        try:
            prepare_library(other, purge_deleted=False)
            other.add_document("Other", "other.txt", "Another process's article.\n")
        finally:
            other.close()
        return real_read(path, limit)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "desktop_app.io.file_reader.read_document_file", read_while_another_process_imports
        )
        outcome = run_cli("import", bad, "--db", library)
    assert_refused(outcome, str(bad))
    assert library.exists()
    assert any("Another process" in line for line in library_dump(library))


def test_a_refused_import_into_a_new_library_deletes_no_file(tmp_path: Path) -> None:
    library = tmp_path / "fresh.db"
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert_refused(run_cli("import", bad, "--db", library), str(bad))
    # What is left is an empty library, not a deleted file: the next command opens it.
    assert run_cli("list", "--db", library).code == 0


def test_ten_processes_create_one_library_at_once(tmp_path: Path) -> None:
    library = tmp_path / "shared.db"
    files = [article(tmp_path, n) for n in range(PROCESSES)]
    results = imports_at_once(library, files)
    assert [code for code, _ in results] == [0] * PROCESSES, results
    serial = tmp_path / "serial.db"
    for f in files:
        assert run_cli("import", f, "--db", serial).code == 0
    assert schema(library) == schema(serial)
    with closing(sqlite3.connect(library)) as connection:
        assert connection.execute("SELECT count(*) FROM documents").fetchone() == (PROCESSES,)
        tags = [row[0] for row in connection.execute("SELECT name FROM tags ORDER BY position")]
    assert tags == ["trade", "security", "coalition"]  # seeded once, not once per process
    assert not [name for _, name, _ in schema(library) if name.startswith("_alembic_tmp")]


def test_the_same_file_imported_by_ten_processes_is_stored_once(tmp_path: Path) -> None:
    library = tmp_path / "shared.db"
    results = imports_at_once(library, [SAMPLE] * PROCESSES)
    assert [code for code, _ in results] == [0] * PROCESSES, results
    with closing(sqlite3.connect(library)) as connection:
        assert connection.execute("SELECT count(*) FROM documents").fetchone() == (1,)


def test_a_failed_migration_leaves_the_schema_it_started_from(tmp_path: Path) -> None:
    library = tmp_path / "old.db"
    engine = create_library_engine(library)
    migrate(engine, "0001")
    engine.dispose()
    with closing(sqlite3.connect(library)) as connection:
        # An object in the way of the last migration, so the upgrade fails after 0002 has run.
        connection.execute("CREATE TABLE documents_fts (x)")
        connection.commit()
    before = schema(library)
    dump = library_dump(library)
    outcome = run_cli("list", "--db", library)
    assert outcome.code == 1
    assert "Traceback" not in outcome.err and len(outcome.err_lines) == 1, outcome.err
    assert str(library) in outcome.err
    assert stored_revision(library) == "0001"
    assert schema(library) == before
    assert library_dump(library) == dump
    assert HEAD_REVISION != "0001"
