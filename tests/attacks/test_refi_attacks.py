"""Hostile and odd REFI-QDA projects and codebooks, through the real command line.

What must hold: a write that fails half-way leaves the library exactly as it was (the import
is one transaction); a time at the edge of the calendar is left out and said, not a
traceback; the text after a DTD entity is kept; a byte-order mark counts the same inline and
in a `sources/` file; a skipped source says why; a big codebook is summed up on a short line.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from attack_support import library_dump, make_library, run_cli

from desktop_app.core.codebook import TagSpec
from desktop_app.core.records import TagRecord
from desktop_app.io.refi_export import CODEBOOK_NS, PROJECT_NS
from desktop_app.storage.library_store import LibraryStore

CODE = "11111111-1111-4111-8111-111111111111"
SOURCE = "44444444-4444-4444-8444-444444444444"
TEXT = "First claim: tariffs rise.\nSecond claim: troops leave.\n"


def selection(number: int, start: int, end: int, *, name: str = "", when: str = "") -> str:
    named = f' name="{name}"' if name else ""
    dated = f' creationDateTime="{when}" modifiedDateTime="{when}"' if when else ""
    return (
        f'<PlainTextSelection guid="00000000-0000-4000-8000-{number:012d}" '
        f'startPosition="{start}" endPosition="{end}"{named}{dated}>'
        f'<Coding guid="00000000-0000-4000-8000-{900 + number:012d}">'
        f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>'
    )


def project(source: str, doctype: str = "") -> bytes:
    """A project with one code ("economy") and the given TextSource XML."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{doctype}'
        f'<Project xmlns="{PROJECT_NS}" name="Attack">'
        f'<CodeBook><Codes><Code guid="{CODE}" name="economy" isCodable="true"/></Codes>'
        f"</CodeBook><Sources>{source}</Sources></Project>"
    ).encode()


def inline_source(text: str, *selections: str, name: str = "Inline") -> str:
    return (
        f'<TextSource guid="{SOURCE}" name="{name}"><PlainTextContent>{text}</PlainTextContent>'
        f"{''.join(selections)}</TextSource>"
    )


def file_source(*selections: str, name: str = "Filed") -> str:
    return (
        f'<TextSource guid="{SOURCE}" name="{name}" plainTextPath="internal://{SOURCE}.txt">'
        f"{''.join(selections)}</TextSource>"
    )


def write_qdpx(path: Path, project_xml: bytes, files: dict[str, bytes] | None = None) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def codebook(count: int) -> bytes:
    codes = "".join(
        f'<Code guid="00000000-0000-4000-8000-{n:012d}" name="code {n}" isCodable="true"/>'
        for n in range(1, count + 1)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="{CODEBOOK_NS}">'
        f"<Codes>{codes}</Codes></CodeBook>"
    ).encode()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    make_library(path)
    return path


def imported(db: Path) -> list[tuple[str, str]]:
    """(document title, quote) of every annotation in the library."""
    store = LibraryStore.open(db)
    try:
        return [
            (document.title, annotation.exact)
            for document in store.documents()
            for annotation in store.annotations(document.id)
        ]
    finally:
        store.close()


def text_of(db: Path, title: str) -> str:
    """The text of the library's document called `title`."""
    store = LibraryStore.open(db)
    try:
        (found,) = [d.id for d in store.documents() if d.title == title]
        return store.document(found).text
    finally:
        store.close()


# ---- one transaction -----------------------------------------------------------------------------


def test_a_project_whose_annotations_fail_to_write_leaves_nothing(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tag and the document are written before the annotations: both must go too."""
    before = library_dump(db)

    def failing(self: LibraryStore, items: object) -> list[int]:
        raise OSError("disk full")

    monkeypatch.setattr(LibraryStore, "add_annotations", failing)
    path = write_qdpx(tmp_path / "p.qdpx", project(inline_source(TEXT, selection(1, 0, 11))))
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 1
    assert "disk full" in outcome.err
    assert library_dump(db) == before


def test_a_codebook_failing_half_way_leaves_no_tag_behind(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = library_dump(db)
    original = LibraryStore.add_tags

    def add_then_fail(self: LibraryStore, specs: list[TagSpec]) -> list[TagRecord]:
        added = original(self, specs)
        assert len(added) == 50  # written (inside the import's transaction) ...
        raise KeyboardInterrupt  # ... and then Ctrl+C, half-way through the import

    monkeypatch.setattr(LibraryStore, "add_tags", add_then_fail)
    path = tmp_path / "codes.qdc"
    path.write_bytes(codebook(50))
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 130
    assert library_dump(db) == before


def nested_codebook(depth: int, then_flat: int) -> bytes:
    """`depth` codes each nested in the one before, then `then_flat` codes at the top."""
    opening = "".join(
        f'<Code guid="00000000-0000-4000-8000-{n:012d}" name="code {n}" isCodable="true">'
        for n in range(1, depth + 1)
    )
    flat = "".join(
        f'<Code guid="00000000-0000-4000-8000-{n:012d}" name="code {n}" isCodable="true"/>'
        for n in range(depth + 1, depth + then_flat + 1)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="{CODEBOOK_NS}">'
        f"<Codes>{opening}{'</Code>' * depth}{flat}</Codes></CodeBook>"
    ).encode()


@pytest.mark.parametrize("shape", ["flat", "nested"])
def test_ten_thousand_codes_import_in_seconds(tmp_path: Path, db: Path, shape: str) -> None:
    """1,000 codes took 7 s and 10,000 did not finish in 5 minutes (n² row loads)."""
    path = tmp_path / "codes.qdc"
    # Nested: 200 deep, under the 256 levels libxml2 parses; 10,000 flat codes beside them.
    count = 10_000 if shape == "flat" else 10_200
    data = codebook(10_000) if shape == "flat" else nested_codebook(200, then_flat=10_000)
    path.write_bytes(data)
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 0, outcome.err
    assert f"{count:,} tags added: code 1, code 2, code 3 and {count - 3:,} more" in outcome.out
    assert len(outcome.out) < 500
    store = LibraryStore.open(db)
    try:
        tags = store.tags()
    finally:
        store.close()
    assert len(tags) == count + 3
    if shape == "nested":
        by_name = {tag.name: tag for tag in tags}
        assert by_name["code 2"].parent_id == by_name["code 1"].id
        assert by_name["code 200"].parent_id == by_name["code 199"].id
        assert by_name["code 201"].parent_id is None
        assert [t.name for t in tags[3:6]] == ["code 1", "code 2", "code 3"]


# ---- times, entities, byte-order marks -----------------------------------------------------------


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_time_off_the_calendar_is_left_out_and_said(
    tmp_path: Path, db: Path, moment: str
) -> None:
    source = inline_source(TEXT, selection(1, 0, 11, when=moment))
    path = write_qdpx(tmp_path / "p.qdpx", project(source))
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 0, outcome.err
    assert "1 document, 1 annotation and 1 tag imported" in outcome.out
    assert "2 times not usable" in outcome.out
    assert ("Inline", "First claim") in imported(db)


def test_the_text_after_a_declared_entity_is_kept(tmp_path: Path, db: Path) -> None:
    doctype = '<!DOCTYPE Project [<!ENTITY who "The minister">]>'
    text = "&who; said: tariffs rise.<!-- a comment --> Troops leave."
    start = len("The minister said: ")
    source = inline_source(text, selection(1, start, start + len("tariffs rise")))
    path = write_qdpx(tmp_path / "p.qdpx", project(source, doctype))
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 0, outcome.err
    assert text_of(db, "Inline") == "The minister said: tariffs rise. Troops leave."
    assert ("Inline", "tariffs rise") in imported(db)
    assert "Left out" not in outcome.out


def test_an_external_entity_is_not_read_and_the_report_says_so(tmp_path: Path, db: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    doctype = f'<!DOCTYPE Project [<!ENTITY x SYSTEM "file://{secret}">]>'
    source = inline_source("Before &x; after, all kept.", selection(1, 0, 6))
    path = write_qdpx(tmp_path / "p.qdpx", project(source, doctype))
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 0, outcome.err
    assert "SECRET" not in "".join(library_dump(db))
    assert "Left out: &x; in the text of “Inline” (an external entity: never read)." in outcome.out
    assert text_of(db, "Inline") == "Before  after, all kept."


@pytest.mark.parametrize("where", ["inline", "file"])
def test_a_byte_order_mark_is_not_counted_inline_or_in_a_file(
    tmp_path: Path, db: Path, where: str
) -> None:
    raw = "\ufeff" + TEXT
    start = TEXT.index("tariffs")
    chosen = selection(1, start, start + len("tariffs rise"))
    if where == "inline":
        path = write_qdpx(tmp_path / "p.qdpx", project(inline_source(raw, chosen, name="T")))
    else:
        files = {f"sources/{SOURCE}.txt": raw.encode("utf-8")}
        path = write_qdpx(tmp_path / "p.qdpx", project(file_source(chosen, name="T")), files)
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 0, outcome.err
    assert ("T", "tariffs rise") in imported(db)


def test_names_that_fit_only_with_the_mark_counted_are_followed(tmp_path: Path, db: Path) -> None:
    """A tool that counted the BOM: every selection's name says so, and the report too."""
    raw = "\ufeff" + TEXT
    picks = ["tariffs rise", "troops leave"]
    selections = [
        selection(n, raw.index(quote), raw.index(quote) + len(quote), name=quote)
        for n, quote in enumerate(picks, start=1)
    ]
    files = {f"sources/{SOURCE}.txt": raw.encode("utf-8")}
    path = write_qdpx(tmp_path / "p.qdpx", project(file_source(*selections, name="T")), files)
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 0, outcome.err
    assert sorted(q for _, q in imported(db)) == picks
    assert "“T” (count its byte-order mark)" in outcome.out


# ---- what the report says ------------------------------------------------------------------------


def test_a_source_that_is_not_utf8_is_reported_as_such(tmp_path: Path, db: Path) -> None:
    files = {f"sources/{SOURCE}.txt": "Déjà vu: tariffs rise.".encode("latin-1")}
    path = write_qdpx(tmp_path / "p.qdpx", project(file_source(selection(1, 0, 4))), files)
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 0, outcome.err
    assert (
        f"1 text source skipped, with 1 selection: “Filed” (internal://{SOURCE}.txt is not "
        "UTF-8 text)." in outcome.out
    )
    assert "other kinds" not in outcome.out and "PDF" not in outcome.out


def test_a_big_codebook_is_summed_up_on_a_short_line(tmp_path: Path, db: Path) -> None:
    path = tmp_path / "codes.qdc"
    path.write_bytes(codebook(300))
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 0, outcome.err
    assert outcome.out.splitlines() == [
        f"{path}: 300 tags added: code 1, code 2, code 3 and 297 more"
    ]
