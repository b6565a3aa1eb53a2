"""The library's services on a real SQLite file: documents, the codebook, annotations, undo."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from desktop_app.core.anchors import Anchor, anchor_for
from desktop_app.core.codebook import CodebookError, TagSpec
from desktop_app.core.records import AnnotationRecord
from desktop_app.core.text_normalise import normalise_text
from desktop_app.storage import annotation_queries, document_queries
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LAST_DOCUMENT_KEY, LibraryStore
from desktop_app.storage.orm import Annotation, annotation_tags

TOKYO = timezone(timedelta(hours=9))


def span_of(text: str, quote: str) -> Anchor:
    """The anchor of the first occurrence of `quote` in `text`."""
    start = text.index(quote)
    return anchor_for(text, start, start + len(quote))


def tag_ids_by_name(store: LibraryStore) -> dict[str, int]:
    return {tag.name: tag.id for tag in store.tags()}


def raw_rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Rows read with the standard sqlite3 module, bypassing SQLAlchemy and the store."""
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql, params).fetchall()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[datetime]]:
    """Make the store's clock return the queued times, one per call (then the real time)."""
    queue: list[datetime] = []

    def fake_now() -> datetime:
        return queue.pop(0) if queue else datetime.now(UTC)

    for module in (annotation_queries, document_queries):
        monkeypatch.setattr(module, "utc_now", fake_now)
    yield queue


# --- documents ------------------------------------------------------------------------------


def test_a_text_normalised_where_it_is_built_is_stored_as_it_is(store: LibraryStore) -> None:
    # The importer normalises (line endings, byte-order mark); add_document only checks.
    raw = "\ufeffLine one\r\nLine two\rLine three\n"
    record = store.add_document("Notes", "notes.txt", normalise_text(raw))
    assert record.text == "Line one\nLine two\nLine three\n"
    assert store.document(record.id).text == "Line one\nLine two\nLine three\n"
    stored = raw_rows(store.path, "SELECT text FROM documents WHERE id = ?", record.id)
    assert stored == [("Line one\nLine two\nLine three\n",)]


def test_documents_lists_titles_lengths_and_annotation_counts(store: LibraryStore) -> None:
    first = store.add_document("First", "a.txt", "Alpha beta gamma.")
    second = store.add_document("Second", "b.txt", normalise_text("ab\U0001f600\U00020bb7\r\ncd"))
    trade = tag_ids_by_name(store)["trade"]
    store.create_annotation(first.id, anchor_for(first.text, 0, 5), [trade])
    store.create_annotation(first.id, anchor_for(first.text, 6, 10), [])

    listed = store.documents()

    assert [(d.id, d.title, d.source) for d in listed] == [
        (first.id, "First", "a.txt"),
        (second.id, "Second", "b.txt"),
    ]
    # 17 characters; the second is 7 code points once CRLF is one \n (not 9 UTF-16 units).
    assert [d.length for d in listed] == [17, 7]
    assert [d.annotation_count for d in listed] == [2, 0]
    assert store.document_count() == 2


def test_find_document_with_text_recognises_the_same_text(
    store: LibraryStore, sample_text: str
) -> None:
    assert store.find_document_with_text(sample_text) is None
    added = store.add_document("Sample", "sample.txt", sample_text)
    store.add_document("Other", "other.txt", "Something else entirely.")

    assert store.find_document_with_text(sample_text) == added.id
    # The same file saved with CRLF or a byte-order mark is the same text once normalised.
    crlf = normalise_text(sample_text.replace("\n", "\r\n"))
    assert store.find_document_with_text(crlf) == added.id
    assert store.find_document_with_text(normalise_text("\ufeff" + sample_text)) == added.id
    assert store.find_document_with_text(sample_text + " ") is None


# --- the codebook ---------------------------------------------------------------------------


def test_prepare_library_seeds_trade_security_coalition(store: LibraryStore) -> None:
    tags = store.tags()
    assert [(t.name, t.position, t.key_number) for t in tags] == [
        ("trade", 0, 1),
        ("security", 1, 2),
        ("coalition", 2, 3),
    ]
    assert [t.colour for t in tags] == ["#e69f00", "#0072b2", "#009e73"]
    assert all(t.description for t in tags)


def test_prepare_library_twice_does_not_seed_again(store: LibraryStore) -> None:
    prepare_library(store)
    assert [t.name for t in store.tags()] == ["trade", "security", "coalition"]


def test_add_tag_appends_at_the_end(store: LibraryStore) -> None:
    added = store.add_tag(TagSpec("  economy   policy ", "#CC79A7", "Money."))
    assert (added.name, added.colour, added.position, added.key_number) == (
        "economy policy",
        "#cc79a7",
        3,
        4,
    )
    assert [t.name for t in store.tags()] == ["trade", "security", "coalition", "economy policy"]


@pytest.mark.parametrize("name", ["trade", "TRADE", " Security ", "Coalition"])
def test_add_tag_refuses_a_duplicate_name_whatever_its_case(store: LibraryStore, name: str) -> None:
    before = store.tags()
    with pytest.raises(CodebookError):
        store.add_tag(TagSpec(name, "#cc79a7"))
    assert store.tags() == before


def test_add_tag_at_a_position_shifts_the_later_tags(store: LibraryStore) -> None:
    ids = tag_ids_by_name(store)
    added = store.add_tag(TagSpec("economy", "#cc79a7"), position=1)
    assert added.position == 1
    assert [(t.id, t.name, t.position) for t in store.tags()] == [
        (ids["trade"], "trade", 0),
        (added.id, "economy", 1),
        (ids["security"], "security", 2),
        (ids["coalition"], "coalition", 3),
    ]
    assert [t.key_number for t in store.tags()] == [1, 2, 3, 4]


def test_remove_tag_closes_the_gap_and_unlinks_annotations(
    store: LibraryStore, sample_text: str
) -> None:
    ids = tag_ids_by_name(store)
    document = store.add_document("Sample", "sample.txt", sample_text)
    both = store.create_annotation(
        document.id,
        span_of(sample_text, "trade and security matters"),
        [ids["trade"], ids["security"]],
    )
    only = store.create_annotation(
        document.id, span_of(sample_text, "military expansion"), [ids["security"]]
    )

    store.remove_tag(ids["security"])

    assert [(t.name, t.position) for t in store.tags()] == [("trade", 0), ("coalition", 1)]
    assert store.annotation(both.id).tag_ids == (ids["trade"],)
    assert store.annotation(only.id).tag_ids == ()
    assert len(store.annotations(document.id)) == 2
    links = raw_rows(
        store.path, "SELECT COUNT(*) FROM annotation_tags WHERE tag_id = ?", ids["security"]
    )
    assert links == [(0,)]
    assert store.tag_counts(document.id) == {ids["trade"]: 1}


# --- annotations ----------------------------------------------------------------------------


def test_create_annotation_stores_the_anchor_and_tags_in_codebook_order(
    store: LibraryStore, sample_text: str
) -> None:
    ids = tag_ids_by_name(store)
    document = store.add_document("Sample", "sample.txt", sample_text)
    anchor = span_of(sample_text, "crucial discussions in Tokyo")

    created = store.create_annotation(
        document.id, anchor, [ids["coalition"], ids["trade"]], note="Check the venue."
    )

    stored = store.annotation(created.id)
    assert (stored.start, stored.end) == (152, 180)
    assert stored.exact == "crucial discussions in Tokyo"
    assert stored.prefix == "h ex-President Donald Trump for "
    assert stored.suffix == ".\nThe focus of their summit is e"
    assert stored.note == "Check the venue."
    assert stored.tag_ids == (ids["trade"], ids["coalition"])
    assert stored.document_id == document.id
    assert len(stored.uuid) == 36
    row = raw_rows(
        store.path,
        'SELECT start, "end", exact, prefix, suffix, note FROM annotations WHERE id = ?',
        created.id,
    )
    assert row == [
        (
            152,
            180,
            "crucial discussions in Tokyo",
            "h ex-President Donald Trump for ",
            ".\nThe focus of their summit is e",
            "Check the venue.",
        )
    ]


def test_create_annotation_returns_the_record_as_stored(
    store: LibraryStore, sample_text: str
) -> None:
    ids = tag_ids_by_name(store)
    document = store.add_document("Sample", "sample.txt", sample_text)
    created = store.create_annotation(
        document.id, span_of(sample_text, "Tokyo"), [ids["coalition"], ids["trade"]]
    )
    assert created.tag_ids == (ids["trade"], ids["coalition"])
    assert created == store.annotation(created.id)


def test_set_annotation_tags_returns_the_record_as_stored(
    store: LibraryStore, sample_text: str
) -> None:
    ids = tag_ids_by_name(store)
    document = store.add_document("Sample", "sample.txt", sample_text)
    created = store.create_annotation(document.id, span_of(sample_text, "Tokyo"), [])
    changed = store.set_annotation_tags(created.id, [ids["security"], ids["trade"]])
    assert changed.tag_ids == (ids["trade"], ids["security"])
    assert changed == store.annotation(created.id)


def test_create_annotation_refuses_an_anchor_that_does_not_match(
    store: LibraryStore, sample_text: str
) -> None:
    document = store.add_document("Sample", "sample.txt", sample_text)
    good = span_of(sample_text, "Tokyo")
    moved = Anchor(good.start + 1, good.end + 1, good.exact, good.prefix, good.suffix)
    misquoted = Anchor(good.start, good.end, "Kyoto", good.prefix, good.suffix)
    outside = Anchor(len(sample_text), len(sample_text) + 5, "Tokyo", "", "")

    for anchor in (moved, misquoted, outside):
        with pytest.raises(ValueError):
            store.create_annotation(document.id, anchor, [])
    assert store.annotations(document.id) == []
    assert raw_rows(store.path, "SELECT COUNT(*) FROM annotations") == [(0,)]


def test_set_tags_and_note_change_updated_but_not_created(
    store: LibraryStore, sample_text: str, clock: list[datetime]
) -> None:
    ids = tag_ids_by_name(store)
    document = store.add_document("Sample", "sample.txt", sample_text)
    t0 = datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)
    t1 = datetime(2026, 3, 1, 9, 5, tzinfo=UTC)
    t2 = datetime(2026, 3, 2, 18, 30, tzinfo=TOKYO)  # 09:30 UTC
    clock.extend([t0, t1, t2])

    created = store.create_annotation(document.id, span_of(sample_text, "Tokyo"), [ids["trade"]])
    assert (created.created, created.updated) == (t0, t0)

    tagged = store.set_annotation_tags(created.id, [ids["security"]])
    assert tagged.tag_ids == (ids["security"],)
    assert (tagged.created, tagged.updated) == (t0, t1)

    noted = store.set_note(created.id, "A second look.")
    assert noted.note == "A second look."
    assert noted.created == t0
    assert noted.updated == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

    again = store.annotation(created.id)
    assert (again.created, again.updated, again.note) == (t0, t2, "A second look.")
    assert again.tag_ids == (ids["security"],)


def test_timestamps_come_back_aware_in_utc_and_are_stored_naive_utc(
    store: LibraryStore, sample_text: str, clock: list[datetime]
) -> None:
    document = store.add_document("Sample", "sample.txt", "Some words here.")
    clock.append(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=TOKYO))

    created = store.create_annotation(document.id, anchor_for(document.text, 0, 4), [])

    reread = store.annotation(created.id)
    listed = store.annotations(document.id)[0]
    for moment in (reread.created, reread.updated, listed.created, listed.updated):
        assert moment.tzinfo is not None
        assert moment.utcoffset() == timedelta(0)
        assert moment == datetime(2026, 1, 1, 18, 4, 5, 678901, tzinfo=UTC)
    summary = store.documents()[0]
    assert summary.imported_at.utcoffset() == timedelta(0)
    assert store.document(document.id).imported_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - summary.imported_at) < timedelta(minutes=5)
    raw = raw_rows(store.path, "SELECT created FROM annotations WHERE id = ?", created.id)
    assert raw == [("2026-01-01 18:04:05.678901",)]


def test_remember_opened_sets_the_start_document_and_the_recent_order(
    store: LibraryStore,
) -> None:
    first = store.add_document("First", "a.txt", "One.")
    second = store.add_document("Second", "b.txt", "Two.")
    store.remember_opened(second.id)
    store.remember_opened(first.id)
    assert store.setting(LAST_DOCUMENT_KEY) == str(first.id)
    assert [d.id for d in store.recent_documents()] == [first.id, second.id]


def test_bulk_reads_agree_field_for_field_with_single_reads(
    store: LibraryStore, clock: list[datetime]
) -> None:
    """Both bulk reads and the single read give every field as it was written: timestamps
    with and without a fraction, claim fields, tags in codebook order."""
    document = store.add_document("Fields", "f.txt", "One claim. Two claims. Three 🎌 claims.")
    tags = tag_ids_by_name(store)
    # A timestamp on a whole second is stored without a fraction: both forms must parse.
    clock.extend([datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)] * 2)
    first = store.create_annotation(document.id, span_of(document.text, "One claim."), [])
    second = store.create_annotation(
        document.id, span_of(document.text, "Three 🎌"), [tags["security"], tags["trade"]]
    )
    store.set_note(second.id, "why it matters")
    store.set_claim_fields(second.id, stance="opposes", speaker="Mr. Kato", checkworthiness=4)

    single = [store.annotation(first.id), store.annotation(second.id)]
    assert store.annotations(document.id) == single
    assert store.all_annotations() == single
    assert single[0].created == datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert single[1].checkworthiness == 4 and single[1].speaker == "Mr. Kato"
    assert single[1].tag_ids == (tags["trade"], tags["security"])  # codebook order


def test_a_bulk_read_shares_each_tag_combination_and_the_document_text_it_is_given(
    store: LibraryStore,
) -> None:
    """Memory for a 10,000-annotation article: one tuple per tag combination, and reopening
    a document reuses the text the caller holds instead of reading a second copy."""
    text = "One claim. Two claims. Three claims. Four claims."
    document = store.add_document("Shared", "s.txt", text)
    tags = tag_ids_by_name(store)
    for phrase, tag_ids in [
        ("One claim.", [tags["trade"], tags["security"]]),
        ("Two claims.", [tags["trade"], tags["security"]]),
        ("Three claims.", [tags["trade"]]),
        ("Four claims.", [tags["trade"]]),
    ]:
        store.create_annotation(document.id, span_of(text, phrase), tag_ids)
    first, second, third, fourth = store.annotations(document.id)
    assert first.tag_ids == second.tag_ids and first.tag_ids is second.tag_ids
    assert third.tag_ids is fourth.tag_ids and third.tag_ids is not first.tag_ids

    held = "".join(["One claim. Two claims.", " Three claims. Four claims."])  # a copy
    assert held is not text
    assert store.document(document.id, known_text=held).text is held
    other = store.document(document.id, known_text="Some other text.")
    assert other.text == text


def test_delete_then_restore_brings_back_the_identical_annotation(
    store: LibraryStore, sample_text: str
) -> None:
    ids = tag_ids_by_name(store)
    document = store.add_document("Sample", "sample.txt", sample_text)
    keep = store.create_annotation(document.id, span_of(sample_text, "Japan's"), [ids["trade"]])
    target = store.create_annotation(
        document.id,
        span_of(sample_text, "a coalition that puts her two seats short"),
        [ids["coalition"], ids["security"]],
        note="Count the seats.",
    )
    target = store.set_note(target.id, "Count the seats again.")
    before = store.annotations(document.id)

    deleted = store.delete_annotation(target.id)

    assert deleted == store_record_like(before, target.id)
    assert store.annotations(document.id) == [keep]
    assert raw_rows(
        store.path, "SELECT COUNT(*) FROM annotation_tags WHERE annotation_id = ?", target.id
    ) == [(0,)]

    restored = store.restore_annotation(deleted)

    assert restored == deleted
    assert (restored.id, restored.uuid, restored.created, restored.updated) == (
        deleted.id,
        deleted.uuid,
        deleted.created,
        deleted.updated,
    )
    assert restored.tag_ids == (ids["security"], ids["coalition"])
    assert restored.note == "Count the seats again."
    assert store.annotations(document.id) == before


def store_record_like(records: list[AnnotationRecord], annotation_id: int) -> AnnotationRecord:
    (match,) = [r for r in records if r.id == annotation_id]
    return match


def test_deleting_a_document_cascades_to_its_annotations_and_their_tags(
    store: LibraryStore, sample_text: str
) -> None:
    ids = tag_ids_by_name(store)
    doomed = store.add_document("Doomed", "a.txt", sample_text)
    kept = store.add_document("Kept", "b.txt", "Another article about trade.")
    for quote in ("Tokyo", "Trump", "coalition"):
        store.create_annotation(
            doomed.id, span_of(sample_text, quote), [ids["trade"], ids["coalition"]]
        )
    survivor = store.create_annotation(kept.id, anchor_for(kept.text, 0, 7), [ids["security"]])
    assert raw_rows(store.path, "SELECT COUNT(*) FROM annotation_tags") == [(7,)]

    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM documents WHERE id = :id"), {"id": doomed.id})

    assert raw_rows(store.path, "SELECT COUNT(*) FROM annotations") == [(1,)]
    assert raw_rows(store.path, "SELECT annotation_id, tag_id FROM annotation_tags") == [
        (survivor.id, ids["security"])
    ]
    assert store.annotations(doomed.id) == []
    assert store.annotations(kept.id) == [survivor]
    assert [d.id for d in store.documents()] == [kept.id]


def test_fresh_connections_use_wal_and_enforce_foreign_keys(store: LibraryStore) -> None:
    store.engine.dispose()  # the next connection is a new one, configured from scratch
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        # A small page cache (a negative size is KiB): the default 2 MiB held pages read once.
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -512
    # Foreign keys are a per-connection setting: a plain connection does not have them.
    assert raw_rows(store.path, "PRAGMA foreign_keys") == [(0,)]


def test_offsets_are_code_points_in_text_with_astral_characters(store: LibraryStore) -> None:
    body = (
        "\U0001f600\U0001f1ef\U0001f1f5 \U00020bb7野家 reports: tariffs will rise by 15%. "
        "\U0001f4c8"
    )
    document = store.add_document("Astral", "astral.txt", body)
    anchor = span_of(body, "tariffs will rise")
    assert (anchor.start, anchor.end) == (17, 34)

    created = store.create_annotation(document.id, anchor, [])

    stored = store.annotation(created.id)
    assert (stored.start, stored.end) == (17, 34)
    assert body[stored.start : stored.end] == stored.exact == "tariffs will rise"
    # The UTF-16 offset an editor widget uses would differ: four astral characters come first.
    assert len(body[:17].encode("utf-16-le")) // 2 == 21
    # SQLite's own character functions agree with the stored offsets.
    checked = raw_rows(
        store.path,
        'SELECT substr(d.text, a.start + 1, a."end" - a.start) FROM annotations a '
        "JOIN documents d ON d.id = a.document_id WHERE a.id = ?",
        created.id,
    )
    assert checked == [("tariffs will rise",)]
    assert store.documents()[0].length == len(body) == 44


def test_everything_survives_closing_and_reopening(
    library_path: Path, store: LibraryStore, sample_text: str
) -> None:
    ids = tag_ids_by_name(store)
    first = store.add_document("Sample", "sample.txt", sample_text)
    second = store.add_document(
        "Astral", "astral.txt", "\U0001f600 \U00020bb7 claims and more claims"
    )
    store.add_tag(TagSpec("economy", "#cc79a7", "Money matters."), position=0)
    store.create_annotation(
        first.id, span_of(sample_text, "Tokyo"), [ids["trade"], ids["coalition"]], note="n1"
    )
    store.create_annotation(first.id, span_of(sample_text, "Takaichi"), [])
    store.create_annotation(second.id, span_of(second.text, "claims"), [ids["security"]])
    store.set_setting("last_document_id", str(second.id))
    snapshot = (
        store.documents(),
        [store.document(d.id) for d in store.documents()],
        store.tags(),
        store.annotations(first.id),
        store.annotations(second.id),
    )
    store.close()

    reopened = LibraryStore.open(library_path)
    try:
        assert (
            reopened.documents(),
            [reopened.document(d.id) for d in reopened.documents()],
            reopened.tags(),
            reopened.annotations(first.id),
            reopened.annotations(second.id),
        ) == snapshot
        assert reopened.setting("last_document_id") == str(second.id)
        assert len(snapshot[3]) == 2 and len(snapshot[4]) == 1
    finally:
        reopened.close()


def test_ten_thousand_annotations_on_a_two_megabyte_text(
    store: LibraryStore, sample_text: str
) -> None:
    body = sample_text * (2_000_000 // len(sample_text) + 1)
    assert len(body) > 2_000_000
    document = store.add_document("Long", "long.txt", body)
    economy = store.add_tag(TagSpec("economy", "#cc79a7"), position=0)  # ids no longer in order
    tags = store.tags()
    position_of = {t.id: t.position for t in tags}
    rng = random.Random(20261125)
    moment = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    rows, links = [], []
    for number in range(1, 10_001):
        start = rng.randrange(0, len(body) - 60)
        end = start + rng.randint(1, 50)
        anchor = anchor_for(body, start, end)
        rows.append(
            {
                "id": number,
                "uuid": f"00000000-0000-4000-8000-{number:012d}",
                "document_id": document.id,
                "start": anchor.start,
                "end": anchor.end,
                "exact": anchor.exact,
                "prefix": anchor.prefix,
                "suffix": anchor.suffix,
                "note": f"note {number}" if number % 7 == 0 else "",
                "created": moment + timedelta(seconds=number),
                "updated": moment + timedelta(seconds=number, minutes=1),
            }
        )
        for tag in rng.sample(tags, rng.randint(0, len(tags))):
            links.append({"annotation_id": number, "tag_id": tag.id})
    rng.shuffle(rows)
    rng.shuffle(links)
    with Session(store.engine) as session, session.begin():
        session.execute(insert(Annotation.__table__), rows)
        session.execute(insert(annotation_tags), links)
    with Session(store.engine) as session:
        assert session.scalar(select(func.count()).select_from(Annotation)) == 10_000

    loaded = store.annotations(document.id)

    assert len(loaded) == 10_000
    assert [(a.start, a.end, a.id) for a in loaded] == sorted(
        (r["start"], r["end"], r["id"]) for r in rows
    )
    tags_of: dict[int, list[int]] = {}
    for link in links:
        tags_of.setdefault(link["annotation_id"], []).append(link["tag_id"])
    by_id = {r["id"]: r for r in rows}
    for record in loaded:
        row = by_id[record.id]
        assert body[record.start : record.end] == record.exact == row["exact"]
        assert (record.prefix, record.suffix, record.note, record.uuid) == (
            row["prefix"],
            row["suffix"],
            row["note"],
            row["uuid"],
        )
        assert record.created == row["created"] and record.updated == row["updated"]
        assert record.tag_ids == tuple(sorted(tags_of.get(record.id, []), key=position_of.get))
    assert any(record.tag_ids[:1] == (economy.id,) for record in loaded)
    assert store.documents()[0].annotation_count == 10_000


def test_carrying_onto_a_deleted_version_stores_nothing(
    store: LibraryStore, sample_text: str
) -> None:
    from desktop_app.storage.errors import NotFoundError
    from desktop_app.storage.version_carrying import carry_annotations

    old = store.add_document("v1", "v1.txt", sample_text)
    trade = store.tags()[0].id
    store.create_annotation(old.id, anchor_for(sample_text, 0, 20), [trade])
    new = store.add_document("v2", "v2.txt", "Breaking.\n" + sample_text)
    store.delete_document(new.id)
    with pytest.raises(NotFoundError):
        carry_annotations(store, old.id, new.id, link=True)
    store.restore_document(new.id)
    assert store.annotations(new.id) == []
    assert store.document(new.id).version_number == 1
    report = carry_annotations(store, old.id, new.id, link=True)
    assert report.total == 1 and store.document(new.id).version_number == 2


def test_a_new_version_carries_claim_fields_and_an_orphan_keeps_its_words(
    store: LibraryStore, sample_text: str
) -> None:
    from desktop_app.io.exports import render
    from desktop_app.storage.version_carrying import carry_annotations

    lines = sample_text.split("\n")
    old = store.add_document("v1", "v1.txt", sample_text)
    trade = store.tags()[0].id
    kept_start = sample_text.index(lines[1])
    gone_start = sample_text.index(lines[2])
    kept = store.create_annotation(
        old.id, anchor_for(sample_text, kept_start, kept_start + len(lines[1])), [trade]
    )
    gone = store.create_annotation(
        old.id, anchor_for(sample_text, gone_start, gone_start + len(lines[2])), [trade]
    )
    store.set_claim_fields(kept.id, "supports", "Sanae Takaichi", 4)
    store.set_claim_fields(gone.id, "opposes", "A minister", 2)
    new_text = "\n".join(line for i, line in enumerate(lines) if i != 2)
    new = store.add_document("v2", "v2.txt", new_text)
    carry_annotations(store, old.id, new.id, link=True)

    carried = {a.previous_exact: a for a in store.annotations(new.id)}
    assert set(carried) == {lines[1], lines[2]}
    assert (carried[lines[1]].stance, carried[lines[1]].speaker) == ("supports", "Sanae Takaichi")
    assert carried[lines[1]].checkworthiness == 4
    orphan = carried[lines[2]]
    assert orphan.anchor_status == "orphaned"
    assert (orphan.stance, orphan.speaker, orphan.checkworthiness) == ("opposes", "A minister", 2)
    assert orphan.marked_words == lines[2] != orphan.exact
    for format_name in ("markdown", "csv", "html"):
        exported = render(store, format_name, [new.id]).data.decode("utf-8")
        assert lines[2].split(",")[0] in exported, format_name


def test_a_tag_added_under_a_parent_is_listed_under_it(store: LibraryStore) -> None:
    from desktop_app.core.codebook import TagSpec

    trade = store.tags()[0]
    store.add_tag(TagSpec("tariffs", "#cc79a7"), parent_id=trade.id)
    store.add_tag(TagSpec("purchases", "#d55e00"), parent_id=trade.id)
    assert [t.name for t in store.tags()] == [
        "trade",
        "tariffs",
        "purchases",
        "security",
        "coalition",
    ]
    assert [t.position for t in store.tags()] == [0, 1, 2, 3, 4]
