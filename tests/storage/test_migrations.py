"""Upgrading old library files: a database built at every earlier schema revision, filled with
annotations the way that revision stored them, must reach the newest schema with nothing lost.

The revisions come from the migrations shipped in the package, so a new migration adds a case
here by itself; the fill adapts to the columns each revision has.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from desktop_app.storage import database
from desktop_app.storage.database import MIGRATIONS_DIR, create_library_engine, migrate
from desktop_app.storage.library_store import LAST_DOCUMENT_KEY, LibraryStore
from desktop_app.storage.orm import Base
from desktop_app.storage.schema_version import HEAD_REVISION, stored_revision

CONTEXT = 32  # characters of prefix and suffix, as the app stores them


def alembic_config() -> Config:
    """The configuration database.migrate() uses (the connection is added per run)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def earlier_revisions() -> list[str]:
    """Every shipped revision but the newest, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config())
    head = scripts.get_current_head()
    return [r.revision for r in reversed(list(scripts.walk_revisions())) if r.revision != head]


def build_at_revision(path: Path, revision: str) -> None:
    """A new library file upgraded to exactly `revision`, by the same road migrate() takes."""
    engine = create_library_engine(path)
    try:
        migrate(engine, revision)
    finally:
        engine.dispose()


def columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


# --- what the old file holds ------------------------------------------------------------------


@dataclass(frozen=True)
class OldDocument:
    id: int
    title: str
    text: str
    imported_at: str  # as SQLAlchemy's SQLite DateTime stores it


@dataclass(frozen=True)
class OldTag:
    id: int
    name: str
    colour: str
    position: int
    description: str


@dataclass(frozen=True)
class OldAnnotation:
    id: int
    uuid: str
    document_id: int
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    note: str
    created: str
    updated: str
    tag_ids: frozenset[int]


ARTICLE = (
    "Japan's freshly appointed leader met the president in Tokyo \U00020bb7野家 district.\n"
    "The focus of their summit 🤝 is expected to center on trade and security matters.\n"
    "Analysts 📈 say the coalition is two seats short of a majority 🗳️ in parliament.\n"
    "Soybean tariffs were described as “non-negotiable” by the delegation."
)
SECOND = (
    "Fisheries ministers 🐟 met in Reykjavík to discuss quotas.\n"
    "The 𩸽𠮷🐠 council said harbour inspections would double next spring."
)
DOCUMENTS = (
    OldDocument(1, "Summit 🗾 in Tokyo", ARTICLE, "2025-03-01 09:15:30.123456"),
    OldDocument(2, "Fisheries talks", SECOND, "2025-03-02 18:00:00.000000"),
)
TAGS = (
    OldTag(1, "trade", "#1f77b4", 0, "Claims about trade 💱"),
    OldTag(2, "security", "#d62728", 1, ""),
    OldTag(3, "coalition", "#2ca02c", 2, "Who governs with whom"),
    OldTag(4, "𠮷 culture 🎌", "#9467bd", 3, "Astral name"),
)


def timestamp(day: int, second: int) -> str:
    return f"2025-03-{day:02d} 10:00:{second:02d}.{second * 1111:06d}"


def annotation(
    number: int,
    document: OldDocument,
    quote: str,
    *,
    tags: tuple[int, ...],
    note: str = "",
) -> OldAnnotation:
    """An annotation of the first occurrence of `quote` in `document`."""
    start = document.text.index(quote)
    end = start + len(quote)
    return OldAnnotation(
        id=number,
        uuid=f"00000000-0000-4000-8000-{number:012d}",
        document_id=document.id,
        start=start,
        end=end,
        exact=document.text[start:end],
        prefix=document.text[max(0, start - CONTEXT) : start],
        suffix=document.text[end : end + CONTEXT],
        note=note,
        created=timestamp(document.id, number),
        updated=timestamp(document.id + 2, number),
        tag_ids=frozenset(tags),
    )


ANNOTATIONS = (
    # Astral characters inside the quote (the offsets are code points, not UTF-16 units).
    annotation(1, DOCUMENTS[0], "Tokyo \U00020bb7野家 district", tags=(4,), note="Where 🗾"),
    # Two overlapping annotations on the same sentence, with several tags.
    annotation(
        2,
        DOCUMENTS[0],
        "The focus of their summit 🤝 is expected to center on trade and security matters.",
        tags=(1, 2),
        note="Both topics; the 🤝 emoji is in the source.\nSecond line of the note.",
    ),
    annotation(3, DOCUMENTS[0], "summit 🤝 is expected to center on trade", tags=(1,)),
    annotation(
        4,
        DOCUMENTS[0],
        "the coalition is two seats short of a majority 🗳️",
        tags=(3, 1, 2),
        note="Verify the seat count: 🪑🪑 pendulum",
    ),
    # No tags at all (an annotation may lose its tags to a deleted tag), and one at the end.
    annotation(5, DOCUMENTS[0], "Soybean tariffs", tags=()),
    annotation(6, DOCUMENTS[0], "by the delegation.", tags=(1,), note="ends the text"),
    # The start of another document, and a quote made only of astral letters.
    annotation(7, DOCUMENTS[1], "Fisheries ministers 🐟", tags=(1, 4), note="mackerel"),
    annotation(8, DOCUMENTS[1], "𩸽𠮷🐠", tags=(2,)),
)
SETTINGS = {LAST_DOCUMENT_KEY: "2", "reading.font": "Serif 🅰"}


def as_datetime(stored: str) -> datetime:
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


def fill(path: Path) -> None:
    """Write the documents, tags, annotations and settings above with plain SQL, using only
    the columns the file's revision has (later ones keep their defaults)."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA foreign_keys=ON")
        document_columns = columns(connection, "documents")
        for document in DOCUMENTS:
            values = {
                "id": document.id,
                "title": document.title,
                "source": f"/articles/{document.id}.txt",
                "text": document.text,
                "text_sha256": f"{document.id:064d}",
                "imported_at": document.imported_at,
            }
            if "author" in document_columns:  # revision 0002 added article metadata
                values["author"] = "Ana Ruiz 🖋"
            insert(connection, "documents", values)
        for tag in TAGS:
            insert(connection, "tags", vars(tag))
        for item in ANNOTATIONS:
            row = {k: v for k, v in vars(item).items() if k != "tag_ids"}
            insert(connection, "annotations", row)
            for tag_id in sorted(item.tag_ids):
                insert(connection, "annotation_tags", {"annotation_id": item.id, "tag_id": tag_id})
        for key, value in SETTINGS.items():
            insert(connection, "app_settings", {"key": key, "value": value})
        connection.commit()
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        # Leave one file, as a closed app does: nothing pending in a WAL.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def insert(connection: sqlite3.Connection, table: str, values: dict[str, object]) -> None:
    names = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join("?" for _ in values)
    connection.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(values.values()))


# --- the tests ----------------------------------------------------------------------------------


def test_every_earlier_revision_is_covered() -> None:
    """The parametrisation below sees the shipped migrations (not an empty list)."""
    revisions = earlier_revisions()
    assert revisions[0] == "0001"
    assert HEAD_REVISION not in revisions
    assert len(revisions) == int(HEAD_REVISION) - 1


@pytest.fixture(params=earlier_revisions())
def old_library(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A filled library file at one earlier revision."""
    path = tmp_path / f"library-{request.param}.db"
    build_at_revision(path, request.param)
    assert stored_revision(path) == request.param
    fill(path)
    return path


@pytest.fixture
def upgraded(old_library: Path) -> Iterator[LibraryStore]:
    """The old file opened by the app, which upgrades it to the newest revision."""
    store = LibraryStore.open(old_library)
    yield store
    store.close()


def test_opening_upgrades_to_the_newest_revision(upgraded: LibraryStore) -> None:
    assert upgraded.path is not None
    assert stored_revision(upgraded.path) == HEAD_REVISION


def test_documents_survive(upgraded: LibraryStore) -> None:
    summaries = upgraded.documents()
    assert sorted(s.id for s in summaries) == [d.id for d in DOCUMENTS]
    for old in DOCUMENTS:
        record = upgraded.document(old.id)
        assert record.text == old.text
        assert record.title == old.title
        assert record.source == f"/articles/{old.id}.txt"
        assert record.imported_at == as_datetime(old.imported_at)
        assert record.version_number == 1
    counts = {s.id: s.annotation_count for s in summaries}
    assert counts == {d.id: sum(a.document_id == d.id for a in ANNOTATIONS) for d in DOCUMENTS}


def test_tags_survive(upgraded: LibraryStore) -> None:
    tags = [(t.id, t.name, t.colour, t.position, t.description) for t in upgraded.tags()]
    assert tags == [(t.id, t.name, t.colour, t.position, t.description) for t in TAGS]
    assert all(t.parent_id is None for t in upgraded.tags())


def test_annotations_survive_exactly(upgraded: LibraryStore) -> None:
    stored = {a.id: a for d in DOCUMENTS for a in upgraded.annotations(d.id)}
    assert sorted(stored) == [a.id for a in ANNOTATIONS]
    for old in ANNOTATIONS:
        record = stored[old.id]
        document = next(d for d in DOCUMENTS if d.id == old.document_id)
        assert (record.uuid, record.document_id) == (old.uuid, old.document_id)
        assert (record.start, record.end) == (old.start, old.end)
        assert record.exact == old.exact == document.text[old.start : old.end]
        assert (record.prefix, record.suffix) == (old.prefix, old.suffix)
        assert record.note == old.note
        assert set(record.tag_ids) == old.tag_ids
        assert len(record.tag_ids) == len(old.tag_ids)
        assert record.created == as_datetime(old.created)
        assert record.updated == as_datetime(old.updated)
        # Columns added by later revisions take the values that mean "nothing happened yet".
        assert (record.anchor_status, record.anchor_score) == ("ok", 1.0)
        assert (record.stance, record.speaker, record.checkworthiness) == ("", "", None)


def test_settings_survive(upgraded: LibraryStore) -> None:
    for key, value in SETTINGS.items():
        assert upgraded.setting(key) == value


def test_the_upgraded_file_is_consistent(upgraded: LibraryStore) -> None:
    assert upgraded.path is not None
    assert query(upgraded.path, "PRAGMA integrity_check") == [("ok",)]
    assert query(upgraded.path, "PRAGMA foreign_key_check") == []
    counts = [
        query(upgraded.path, f"SELECT count(*) FROM {table}")[0][0]
        for table in ("documents", "tags", "annotations", "annotation_tags")
    ]
    assert counts == [
        len(DOCUMENTS),
        len(TAGS),
        len(ANNOTATIONS),
        sum(len(a.tag_ids) for a in ANNOTATIONS),
    ]


def test_the_upgraded_schema_is_the_newest_schema(upgraded: LibraryStore, tmp_path: Path) -> None:
    """Same tables, indexes and triggers as a file created new; same columns as the models."""
    fresh = tmp_path / "fresh.db"
    LibraryStore.open(fresh).close()
    objects = "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    assert upgraded.path is not None
    assert sorted(query(upgraded.path, objects)) == sorted(query(fresh, objects))
    with upgraded.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": lambda name, kind, _parent: (
                    not (kind == "table" and "_fts" in (name or ""))
                ),
            },
        )
        assert compare_metadata(context, Base.metadata) == []


def test_the_search_indexes_hold_the_old_rows(upgraded: LibraryStore) -> None:
    """FTS5 came with 0003: the index must be built from the rows already in the file."""
    assert upgraded.path is not None
    with closing(sqlite3.connect(upgraded.path)) as connection:
        for index in ("documents_fts", "annotations_fts"):
            # Raises "database disk image is malformed" when the index and its table differ.
            connection.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
        rows = connection.execute(
            "SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH 'pendulum'"
        ).fetchall()
    assert rows == [(4,)]

    [text_hit] = upgraded.search("harbour inspections")
    assert (text_hit.kind, text_hit.document_id) == ("document", 2)
    assert SECOND[text_hit.start : text_hit.end] == "harbour"

    [title_hit] = upgraded.search("fisheries talks")
    assert (title_hit.kind, title_hit.document_id) == ("document", 2)

    note_hits = upgraded.search("pendulum")
    assert [(h.kind, h.annotation_id, h.field) for h in note_hits] == [("annotation", 4, "note")]

    quote_hits = {h.annotation_id for h in upgraded.search("center trade") if h.annotation_id}
    assert quote_hits == {2, 3}

    tag_hits = {h.annotation_id for h in upgraded.search("coalition") if h.kind == "annotation"}
    assert tag_hits == {4}  # its quote, and its tag's name

    # Kanji (one astral) are found by a substring scan, not the index: offsets in code points.
    astral_hits = {(h.kind, h.annotation_id, h.start) for h in upgraded.search("𠮷野家")}
    start = ARTICLE.index("𠮷野家")
    assert astral_hits == {("annotation", 1, ANNOTATIONS[0].start), ("document", None, start)}


def test_old_rows_stay_searchable_through_later_changes(upgraded: LibraryStore) -> None:
    """The triggers must delete exactly what the rebuild indexed, or FTS5 corrupts."""
    upgraded.set_note(4, "recount ordered")
    upgraded.delete_annotation(2)
    upgraded.rename_document(1, "Summit renamed")
    assert upgraded.search("pendulum") == []
    assert {h.annotation_id for h in upgraded.search("recount")} == {4}
    assert {h.annotation_id for h in upgraded.search("center trade") if h.annotation_id} == {3}
    assert [h.document_id for h in upgraded.search("renamed")] == [1]
    assert upgraded.path is not None
    with closing(sqlite3.connect(upgraded.path)) as connection:
        for index in ("documents_fts", "annotations_fts"):
            connection.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")


def test_a_second_opening_does_not_migrate_again(
    old_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first opening migrates (the spy sees it: the control), the second does not."""
    calls: list[object] = []
    real_migrate = database.migrate

    def spy(engine: object) -> None:
        calls.append(engine)
        real_migrate(engine)  # type: ignore[arg-type]

    monkeypatch.setattr(database, "migrate", spy)
    LibraryStore.open(old_library).close()
    assert len(calls) == 1
    assert stored_revision(old_library) == HEAD_REVISION

    store = LibraryStore.open(old_library)
    try:
        stored = {a.id for d in DOCUMENTS for a in store.annotations(d.id)}
        assert stored == {a.id for a in ANNOTATIONS}
        assert store.document(1).text == ARTICLE
    finally:
        store.close()
    assert len(calls) == 1
    assert stored_revision(old_library) == HEAD_REVISION
