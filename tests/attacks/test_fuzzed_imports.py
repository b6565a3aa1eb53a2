"""Random bytes and random damage to good files: never a traceback, never a changed library.

The good files are made here: a W3C JSON-LD and a REFI-QDA project exported from a library
with tagged claims, a Word file and an EPUB book. Each example imports one damaged copy into
a fresh copy of a library; a refusal must be one line and leave that library byte-for-byte as
it was (every table and row); an import that succeeds is fine (a flipped byte in a note is
still a valid file).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from attack_support import SAMPLE, Outcome, library_dump, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.anchors import anchor_for
from desktop_app.storage.annotation_queries import NewAnnotation
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LibraryStore

SETTINGS = settings(
    max_examples=int(os.environ.get("CLAIMMARK_FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,  # no .hypothesis folder in the tree; failures print their example
)


def _annotated_library(path: Path) -> None:
    store = LibraryStore.open(path)
    try:
        prepare_library(store, purge_deleted=False)
        text = SAMPLE.read_text(encoding="utf-8")
        document = store.add_document("Sample", str(SAMPLE), text)
        tags = [t.id for t in store.tags()]
        now = datetime(2026, 12, 1, tzinfo=UTC)
        items = []
        for number, start in enumerate((0, 200, 400)):
            items.append(
                NewAnnotation(
                    document_id=document.id,
                    uuid=f"00000000-0000-4000-8000-00000000000{number}",
                    anchor=anchor_for(document.text, start, start + 60),
                    tag_ids=(tags[number % len(tags)],),
                    note=f"Note {number} with ünïcode and 🇯🇵",
                    created=now,
                    updated=now,
                )
            )
        store.add_annotations(items)
    finally:
        store.close()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "Summit"
    document.add_heading("Summit in Tokyo", 1)
    for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:6]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _epub(folder: Path) -> bytes:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("claimmark-fuzz")
    book.set_title("Summit")
    book.set_language("en")
    chapter = epub.EpubHtml(title="One", file_name="one.xhtml", lang="en")
    paragraphs = "".join(f"<p>{line}</p>" for line in SAMPLE.read_text("utf-8").splitlines()[:6])
    chapter.content = f"<html><body><h1>Summit</h1>{paragraphs}</body></html>"
    book.add_item(chapter)
    book.toc = [chapter]
    book.spine = ["nav", chapter]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    target = folder / "book.epub"
    epub.write_epub(str(target), book)
    return target.read_bytes()


class Samples(dict[str, object]):
    """The fixture's value; a short repr, since Hypothesis prints it with a failing example."""

    def __repr__(self) -> str:
        return "<good sample files>"


@pytest.fixture(scope="module")
def samples() -> Iterator[dict[str, object]]:
    """The good files by suffix, and a library to import them into (the sample article)."""
    folder = Path(tempfile.mkdtemp(prefix="claimmark-fuzz-"))
    try:
        source = folder / "source.db"
        _annotated_library(source)
        files: dict[str, bytes] = {}
        for fmt, suffix in (("json", ".json"), ("qdpx", ".qdpx")):
            target = folder / f"export{suffix}"
            exported = run_cli("export", "--db", source, "--format", fmt, "--all", "-o", target)
            assert exported.code == 0, exported.err
            files[suffix] = target.read_bytes()
        files[".docx"] = _docx()
        files[".epub"] = _epub(folder)
        template = folder / "template.db"
        imported = run_cli("import", SAMPLE, "--db", template)
        assert imported.code == 0, imported.err
        yield Samples(files=files, template=template)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _import_into_copy(template: Path, name: str, data: bytes) -> tuple[Outcome, list[str], Path]:
    work = Path(tempfile.mkdtemp(prefix="claimmark-fuzz-case-"))
    library = work / "library.db"
    shutil.copyfile(template, library)
    before = library_dump(library)
    damaged = work / name
    damaged.write_bytes(data)
    return run_cli("import", damaged, "--db", library), before, library


def _check(outcome: Outcome, before: list[str], library: Path, name: str) -> None:
    try:
        assert "unexpected error" not in outcome.err, outcome.err
        assert "Traceback" not in outcome.err, outcome.err
        if outcome.code != 0:
            assert outcome.code == 1, outcome
            lines = outcome.err_lines
            assert len(lines) == 1 and name in lines[0], lines
            assert library_dump(library) == before
    finally:
        shutil.rmtree(library.parent, ignore_errors=True)


def _mutate(data: bytes, edits: list[tuple[int, int, int]], cut: int | None) -> bytes:
    """Overwrite, insert or delete bytes at positions spread over the file; maybe truncate."""
    buffer = bytearray(data)
    for kind, where, value in edits:
        if not buffer:
            break
        at = where % len(buffer)
        if kind == 0:
            buffer[at] = value
        elif kind == 1:
            buffer.insert(at, value)
        else:
            del buffer[at]
    if cut is not None and buffer:
        del buffer[cut % len(buffer) :]
    return bytes(buffer)


EDITS = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 2**31), st.integers(0, 255)), max_size=12
)
SUFFIXES = st.sampled_from([".json", ".qdpx", ".docx", ".epub"])


@SETTINGS
@given(suffix=SUFFIXES, edits=EDITS, cut=st.none() | st.integers(0, 2**31))
def test_damaged_good_files_are_refused_cleanly(
    samples: dict[str, object], suffix: str, edits: list[tuple[int, int, int]], cut: int | None
) -> None:
    files = samples["files"]
    assert isinstance(files, dict)
    template = samples["template"]
    assert isinstance(template, Path)
    name = f"damaged{suffix}"
    outcome, before, library = _import_into_copy(template, name, _mutate(files[suffix], edits, cut))
    _check(outcome, before, library, name)


@SETTINGS
@given(suffix=SUFFIXES, data=st.binary(max_size=4096))
def test_random_bytes_are_refused_cleanly(
    samples: dict[str, object], suffix: str, data: bytes
) -> None:
    template = samples["template"]
    assert isinstance(template, Path)
    name = f"random{suffix}"
    outcome, before, library = _import_into_copy(template, name, data)
    _check(outcome, before, library, name)


def test_the_good_files_import(samples: dict[str, object]) -> None:
    """The control: undamaged, every sample imports, so the fuzzing starts from sound files."""
    files = samples["files"]
    assert isinstance(files, dict)
    template = samples["template"]
    assert isinstance(template, Path)
    for suffix, data in files.items():
        outcome, _, library = _import_into_copy(template, f"good{suffix}", data)
        shutil.rmtree(library.parent, ignore_errors=True)
        assert outcome.code == 0, (suffix, outcome.err)
