"""Opening library files: migration, schema checks, refusing files we must not touch, quick peek."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from desktop_app.storage.database import MIGRATIONS_DIR, open_library_engine
from desktop_app.storage.errors import NewerSchemaError, UnreadableDatabaseError
from desktop_app.storage.library_setup import prepare_library, start_document
from desktop_app.storage.library_store import LAST_DOCUMENT_KEY, LibraryStore
from desktop_app.storage.orm import Base
from desktop_app.storage.quick_peek import Preview, peek_last_document
from desktop_app.storage.schema_version import HEAD_REVISION

REPO = Path(__file__).resolve().parents[2]
EXPECTED_TABLES = {
    "alembic_version",
    "documents",
    "tags",
    "annotations",
    "annotation_tags",
    "app_settings",
    # full-text search (FTS5 creates its shadow tables beside each index)
    *(
        f"{index}{part}"
        for index in ("documents_fts", "annotations_fts")
        for part in ("", "_data", "_idx", "_docsize", "_config")
    ),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


def make_library(path: Path, *, documents: int = 1) -> None:
    """A prepared library file with `documents` small documents, closed (WAL checkpointed)."""
    store = LibraryStore.open(path)
    try:
        prepare_library(store)
        for number in range(1, documents + 1):
            store.add_document(f"Doc {number}", f"doc{number}.txt", f"Text of document {number}.")
    finally:
        store.close()


def set_revision(path: Path, revision: str) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- migration and schema -------------------------------------------------------------------


def test_a_new_file_is_created_at_the_head_revision(library_path: Path) -> None:
    engine = open_library_engine(library_path)
    engine.dispose()
    assert library_path.is_file()
    assert query(library_path, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    tables = {
        row[0] for row in query(library_path, "SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert tables == EXPECTED_TABLES


def test_head_revision_is_the_head_of_the_shipped_migrations() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_heads() == [HEAD_REVISION]
    assert scripts.get_current_head() == HEAD_REVISION


def test_orm_metadata_matches_the_migrated_schema(library_path: Path) -> None:
    engine = open_library_engine(library_path)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    # The FTS5 search tables are made by raw SQL in the migration, not models.
                    "include_name": lambda name, kind, _parent: (
                        not (kind == "table" and "_fts" in (name or ""))
                    ),
                },
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_opening_a_current_database_does_not_import_alembic(library_path: Path) -> None:
    make_library(library_path)
    code = f"""
        import sys
        from pathlib import Path
        from desktop_app.storage.database import open_library_engine
        engine = open_library_engine(Path({str(library_path)!r}))
        engine.dispose()
        print("alembic" in sys.modules)
    """
    result = run_python(code, REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_opening_a_new_database_does_import_alembic(tmp_path: Path) -> None:
    """The control for the test above: the check can see Alembic when migration runs."""
    code = f"""
        import sys
        from pathlib import Path
        from desktop_app.storage.database import open_library_engine
        engine = open_library_engine(Path({str(tmp_path / "new.db")!r}))
        engine.dispose()
        print("alembic" in sys.modules)
    """
    result = run_python(code, REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


# --- files we must refuse without touching --------------------------------------------------


def test_a_database_from_a_newer_claimmark_is_refused_untouched(library_path: Path) -> None:
    make_library(library_path)
    set_revision(library_path, "0999")
    before = digest(library_path)
    dump_before = query(library_path, "SELECT * FROM documents")

    with pytest.raises(NewerSchemaError) as caught:
        open_library_engine(library_path)

    message = str(caught.value)
    assert "0999" in message
    assert HEAD_REVISION in message
    assert str(library_path) in message
    assert (caught.value.stored, caught.value.supported) == ("0999", HEAD_REVISION)
    assert digest(library_path) == before
    assert query(library_path, "SELECT * FROM documents") == dump_before
    assert query(library_path, "SELECT version_num FROM alembic_version") == [("0999",)]


@pytest.mark.parametrize("revision", ["ffe1b2c3d4", "abc", "", "  "])
def test_an_unnumbered_revision_is_refused_as_foreign_not_newer(
    library_path: Path, revision: str
) -> None:
    """No Claimmark writes such a version: "update Claimmark" would send the user astray."""
    make_library(library_path)
    set_revision(library_path, revision)
    before = digest(library_path)
    with pytest.raises(UnreadableDatabaseError) as caught:
        open_library_engine(library_path)
    assert not isinstance(caught.value, NewerSchemaError)
    assert "schema version no Claimmark writes" in str(caught.value)
    assert "newer" not in str(caught.value)
    assert digest(library_path) == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("random.db", bytes(range(256)) * 16 + b"\x00\xff" * 512),
        ("notes.db", b"This is a text file, not a library.\n" * 50),
        ("short.db", b"SQLite"),
    ],
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableDatabaseError) as caught:
        open_library_engine(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(name)) == [name]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "library.db"
    folder.mkdir()
    with pytest.raises(UnreadableDatabaseError) as caught:
        open_library_engine(folder)
    assert "folder" in str(caught.value)
    assert list(folder.iterdir()) == []


def test_a_foreign_sqlite_file_that_cannot_be_migrated_is_refused_untouched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "other-app.sqlite"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE tags (label TEXT)")
        connection.execute("INSERT INTO tags VALUES ('mine')")
        connection.commit()
    before = digest(path)
    with pytest.raises(UnreadableDatabaseError):
        open_library_engine(path)
    assert query(path, "SELECT name FROM sqlite_master WHERE type='table'") == [("tags",)]
    assert digest(path) == before


# --- paths with characters that mean something in a URL -------------------------------------

# The path is quoted into every URL: these names must open exactly that file.
SPECIAL_NAMES = [
    pytest.param("my library.db", id="space"),
    pytest.param("lib@home (1).db", id="at-and-parentheses"),
    pytest.param("C# notes.db", id="hash"),
    pytest.param("why?.db", id="question"),
    pytest.param("100%41.db", id="percent"),
]


def library_copy_at(tmp_path: Path, name: str, *, revision: str | None = None) -> Path:
    """A library built at a plain path, then copied to `folder/name` by the file system."""
    plain = tmp_path / "plain.db"
    make_library(plain)
    store = LibraryStore.open(plain)
    store.set_setting(LAST_DOCUMENT_KEY, "1")
    store.close()
    if revision is not None:
        set_revision(plain, revision)
    folder = tmp_path / "folder"
    folder.mkdir()
    target = folder / name
    shutil.copyfile(plain, target)
    return target


@pytest.mark.parametrize("name", SPECIAL_NAMES)
def test_a_library_is_stored_exactly_at_the_path_given(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    path = folder / name
    store = LibraryStore.open(path)
    store.add_document("Kept", "kept.txt", "A document to find again.")
    store.close()
    assert path.is_file()

    reopened = LibraryStore.open(path)
    try:
        assert [d.title for d in reopened.documents()] == ["Kept"]
    finally:
        reopened.close()
    assert sorted(os.listdir(folder)) == [name]
    # Nothing was created beside the folder either (the XDG folders belong to conftest).
    assert set(os.listdir(tmp_path)) - {"xdg-config", "xdg-data"} == {"folder"}


@pytest.mark.parametrize("name", SPECIAL_NAMES)
def test_a_newer_database_is_refused_whatever_its_path(tmp_path: Path, name: str) -> None:
    path = library_copy_at(tmp_path, name, revision="0999")
    before = digest(path)
    with pytest.raises(NewerSchemaError):
        open_library_engine(path)
    assert digest(path) == before


@pytest.mark.parametrize("name", SPECIAL_NAMES)
def test_peek_reads_a_library_whatever_its_path(tmp_path: Path, name: str) -> None:
    path = library_copy_at(tmp_path, name)
    assert peek_last_document(path) == Preview("Doc 1", "doc1.txt", "Text of document 1.", ())


# --- quick peek -----------------------------------------------------------------------------


def test_peek_is_none_for_a_missing_file(tmp_path: Path) -> None:
    assert peek_last_document(tmp_path / "missing.db") is None
    assert not (tmp_path / "missing.db").exists()


def test_peek_is_none_for_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Not a database at all.\n" * 20, encoding="utf-8")
    assert peek_last_document(path) is None
    assert path.read_text(encoding="utf-8") == "Not a database at all.\n" * 20


def test_peek_is_none_without_a_last_document(library_path: Path) -> None:
    make_library(library_path, documents=2)
    assert peek_last_document(library_path) is None


def test_peek_is_none_for_another_schema(library_path: Path) -> None:
    make_library(library_path)
    store = LibraryStore.open(library_path)
    store.set_setting(LAST_DOCUMENT_KEY, "1")
    store.close()
    set_revision(library_path, "0999")
    assert peek_last_document(library_path) is None


def test_peek_shows_the_last_document(library_path: Path, sample_text: str) -> None:
    make_library(library_path, documents=2)
    store = LibraryStore.open(library_path)
    added = store.add_document("Takaichi meets Trump", "sample.txt", sample_text)
    store.set_setting(LAST_DOCUMENT_KEY, str(added.id))
    store.close()

    preview = peek_last_document(library_path)

    assert preview == Preview("Takaichi meets Trump", "sample.txt", sample_text, ())

    store = LibraryStore.open(library_path)
    store.set_setting(LAST_DOCUMENT_KEY, "2")
    store.close()
    assert peek_last_document(library_path) == Preview(
        "Doc 2", "doc2.txt", "Text of document 2.", ()
    )


def test_peek_sees_a_setting_while_the_library_is_open(store: LibraryStore) -> None:
    added = store.add_document("Open", "open.txt", "Still open in the window.")
    store.set_setting(LAST_DOCUMENT_KEY, str(added.id))
    assert store.path is not None
    assert peek_last_document(store.path) == Preview(
        "Open", "open.txt", "Still open in the window.", ()
    )


# --- the document to open at start-up -------------------------------------------------------


def test_start_document_imports_the_sample_article_into_an_empty_library(
    store: LibraryStore, sample_text: str
) -> None:
    meta = json.loads((REPO / "resources" / "sample-article.json").read_text(encoding="utf-8"))

    document_id = start_document(store)

    document = store.document(document_id)
    assert (
        document.title
        == meta["title"]
        == ("Takaichi faces her first big test as Trump arrives in Tokyo")
    )
    assert document.source == meta["source"]
    assert document.text == sample_text
    assert store.document_count() == 1
    assert start_document(store) == document_id
    assert store.document_count() == 1


def test_start_document_returns_the_last_open_document(store: LibraryStore) -> None:
    ids = [store.add_document(f"Doc {n}", "", f"Body {n}.").id for n in range(3)]
    store.set_setting(LAST_DOCUMENT_KEY, str(ids[1]))
    assert start_document(store) == ids[1]
    assert store.document_count() == 3


@pytest.mark.parametrize("stored", ["999", "-1", "two", ""])
def test_start_document_falls_back_to_the_first_document(store: LibraryStore, stored: str) -> None:
    ids = [store.add_document(f"Doc {n}", "", f"Body {n}.").id for n in range(3)]
    store.set_setting(LAST_DOCUMENT_KEY, stored)
    assert start_document(store) == ids[0]
    assert store.document_count() == 3
