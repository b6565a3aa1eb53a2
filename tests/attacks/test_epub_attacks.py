"""Hostile and extreme EPUB chapters: kept whole, or refused saying why, never cut silently.

libxml2 stops at a text node of 10,000,000 bytes, at 256 levels of nesting, and at entities
that expand too far; recovering, it hands back what it read so far as if that were the chapter.
"""

from __future__ import annotations

import io
import random
import time
import zipfile
from pathlib import Path

from attack_support import assert_refused, library_dump, make_library, run_cli
from ebooklib import epub

CHAPTER = "EPUB/one.xhtml"
HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>{doctype}'
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>One</title></head><body>'
)


def book_with_chapter(tmp_path: Path, body: str, doctype: str = "") -> Path:
    """An EPUB whose one chapter is exactly `body` (EbookLib would rewrite it on saving)."""
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:claimmark-epub-attack")
    book.set_title("Harbour diary")
    book.set_language("en")
    chapter = epub.EpubHtml(title="One", file_name="one.xhtml", lang="en")
    chapter.content = "<p>placeholder</p>"
    book.add_item(chapter)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", chapter]
    saved = io.BytesIO()
    epub.write_epub(saved, book)
    rebuilt = io.BytesIO()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            content = source.read(name)
            if name == CHAPTER:
                content = (HEAD.format(doctype=doctype) + body + "</body></html>").encode()
            target.writestr(name, content)
    path = tmp_path / "book.epub"
    path.write_bytes(rebuilt.getvalue())
    return path


def prose(characters: int) -> str:
    """Words that pack like real text (about 2 times), not like a repeated phrase."""
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(5000)]
    words: list[str] = []
    length = 0
    while length < characters:
        words.append(rng.choice(vocabulary))
        length += len(words[-1]) + 1
    return " ".join(words)


def test_a_chapter_over_ten_million_characters_is_kept_whole(tmp_path: Path) -> None:
    text = prose(11_000_000) + " END"
    path = book_with_chapter(tmp_path, f"<p>{text}</p>")
    db = tmp_path / "library.db"
    make_library(db)

    outcome = run_cli("import", path, "--db", db)

    assert outcome.code == 0, outcome.err
    assert f"(Harbour diary, {len(text):,} characters)" in outcome.out


def test_text_nested_deeper_than_256_levels_is_kept(tmp_path: Path) -> None:
    body = "<div>" * 300 + "<p>Deep in the archive.</p>" + "</div>" * 300
    path = book_with_chapter(tmp_path, body + "<p>The port reopened on Friday.</p>")
    db = tmp_path / "library.db"
    make_library(db)

    outcome = run_cli("import", path, "--db", db)

    assert outcome.code == 0, outcome.err
    stored = "\n".join(library_dump(db))
    assert "Deep in the archive." in stored and "The port reopened on Friday." in stored


def test_billion_laughs_refuses_the_book_naming_the_chapter(tmp_path: Path) -> None:
    laughs = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    )
    path = book_with_chapter(tmp_path, "<p>Before &l9; after.</p>", f"<!DOCTYPE html [{laughs}]>")
    db = tmp_path / "library.db"
    before = make_library(db)
    started = time.monotonic()

    outcome = run_cli("import", path, "--db", db)

    assert time.monotonic() - started < 10
    assert_refused(outcome, str(path), "cannot read chapter one.xhtml in full")
    assert "amplification" in outcome.err
    assert library_dump(db) == before


def test_an_external_entity_in_a_chapter_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    doctype = f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>'
    path = book_with_chapter(tmp_path, "<p>The port &x; reopened.</p>", doctype)
    db = tmp_path / "library.db"
    make_library(db)

    outcome = run_cli("import", path, "--db", db)

    assert outcome.code == 0, outcome.err
    assert not any("TOP-SECRET-VALUE" in line for line in library_dump(db))
