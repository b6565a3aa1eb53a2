"""The command line's `show` and `import --version-of`, and the import size limit."""

from __future__ import annotations

import io
import json
from pathlib import Path

from desktop_app.cli import run_command
from desktop_app.core.anchors import anchor_for
from desktop_app.storage.library_store import LibraryStore

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample-article.txt"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_show_prints_metadata_then_the_exact_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Port deal</title>"
        '<meta property="og:site_name" content="Harbour News">'
        '<meta name="author" content="Ana Ruiz">'
        '<meta property="article:published_time" content="2026-03-12T08:00:00Z">'
        '<link rel="canonical" href="https://news.example/port-deal"></head>'
        "<body><article><h1>Port deal</h1><p>The port reopened on Monday after talks.</p>"
        "<p>Unions said the deal holds 😀 for now.</p></article></body></html>",
        encoding="utf-8",
    )
    database = str(tmp_path / "lib.db")
    assert run("import", str(page), "--db", database)[0] == 0
    code, out, err = run("show", "1", "--db", database)
    assert code == 0 and err == ""
    header, text = out.split("---\n", 1)
    assert "title: Port deal" in header
    assert "site: Harbour News" in header and "author: Ana Ruiz" in header
    assert "published: 2026-03-12" in header
    assert "canonical url: https://news.example/port-deal" in header
    store = LibraryStore.open(Path(database))
    try:
        assert text == store.document(1).text  # exactly, with no newline added
    finally:
        store.close()
    code, out, _ = run("show", "1", "--db", database, "--json")
    data = json.loads(out)
    assert code == 0 and data["text"] == text and data["format"] == "html"
    assert data["canonical_url"] == "https://news.example/port-deal"


def test_show_of_an_unknown_document_is_one_line(tmp_path: Path) -> None:
    code, out, err = run("show", "7", "--db", str(tmp_path / "lib.db"))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "7" in err


def test_import_version_of_carries_annotations_and_reports_them(tmp_path: Path) -> None:
    database = tmp_path / "lib.db"
    assert run("import", str(SAMPLE), "--db", str(database))[0] == 0
    store = LibraryStore.open(database)
    text = store.document(1).text
    lines = text.split("\n")
    trade = store.tags()[0].id
    for line in (lines[1], lines[8], lines[18]):
        start = text.index(line)
        store.create_annotation(1, anchor_for(text, start, start + len(line)), [trade])
    store.close()
    lines[8] = ""  # a sentence removed
    edited = tmp_path / "sample_v2.txt"
    edited.write_text("Breaking update.\n" + "\n".join(lines), encoding="utf-8")
    code, out, err = run("import", str(edited), "--db", str(database), "--version-of", "1")
    assert code == 0, err
    assert "version 2: 3 annotations carried: 2 placed, " in out
    store = LibraryStore.open(database)
    try:
        carried = store.annotations(2)
        assert [a.anchor_status for a in carried].count("ok") == 2
        assert all(store.document(2).text[a.start : a.end] == a.exact for a in carried)
        assert [d.version_number for d in store.versions(2)] == [1, 2]
        assert len(store.documents()) == 1  # one article, two versions
    finally:
        store.close()


def test_import_hints_at_a_new_version_without_carrying(tmp_path: Path) -> None:
    database = str(tmp_path / "lib.db")
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text("# Strike called\n\nTwo unions called a strike.\n")
    second.write_text("# Strike called\n\nTwo unions called a strike for Monday.\n")
    run("import", str(first), "--db", database)
    code, out, _ = run("import", str(second), "--db", database)
    assert code == 0 and "--version-of 1" in out
    # Following the hint links the text already imported and carries the annotations over.
    code, out, _ = run("import", str(second), "--db", database, "--version-of", "1")
    assert code == 0 and "already in the library as document 2" in out
    assert "version 2:" in out
    code, out, _ = run("import", str(second), "--db", database, "--version-of", "1")
    assert code == 0 and "already a version of document 1" in out
    store = LibraryStore.open(Path(database))
    try:
        assert [d.version_number for d in store.versions(1)] == [1, 2]
        assert len(store.documents()) == 1
    finally:
        store.close()


def test_version_of_an_unknown_document_reads_nothing(tmp_path: Path) -> None:
    code, _out, err = run(
        "import", str(SAMPLE), "--db", str(tmp_path / "l.db"), "--version-of", "9"
    )
    assert code == 1 and "9" in err and len(err.strip().splitlines()) == 1


def test_max_size_refuses_larger_files(tmp_path: Path) -> None:
    code, _out, err = run(
        "import", str(SAMPLE), "--db", str(tmp_path / "l.db"), "--max-size", "0.001"
    )
    assert code == 1
    assert "over the" in err and "import limit" in err
