"""The headless command line: import, list and export, their one-line failures, and no display."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from desktop_app.cli import run_command
from desktop_app.core.anchors import anchor_for
from desktop_app.storage.library_store import LibraryStore

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "resources" / "sample-article.txt"
MARKDOWN = """# Grain corridor talks resume

Negotiators met in *Istanbul* on Monday.

Exports could double by spring, officials said.
"""


class Run:
    """What one `run_command` call returned and printed."""

    def __init__(self, argv: list[str]) -> None:
        out, err = io.StringIO(), io.StringIO()
        self.code = run_command(argv, stdout=out, stderr=err)
        self.out = out.getvalue()
        self.err = err.getvalue()

    @property
    def out_lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def dump(path: Path) -> list[str]:
    """Every table and row of the library, as SQL text."""
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())


def headless_env() -> dict[str, str]:
    """The environment of a terminal with no display at all."""
    env = dict(os.environ)
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    return env


def run_app(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        cwd=cwd,
        env=headless_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def markdown_file(tmp_path: Path) -> Path:
    path = tmp_path / "grain.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    return path


@pytest.fixture
def two_documents(library_path: Path, markdown_file: Path) -> Path:
    """A library holding the sample article (id 1) and the Markdown file (id 2)."""
    result = Run(["import", str(SAMPLE), str(markdown_file), "--db", str(library_path)])
    assert result.code == 0, result.err
    return library_path


def annotate(library_path: Path, document_id: int, quotes: list[str]) -> None:
    """Add one annotation per quote through the store, tagged with the first tag."""
    store = LibraryStore.open(library_path)
    try:
        text = store.document(document_id).text
        trade = store.tags()[0].id
        for quote in quotes:
            start = text.index(quote)
            store.create_annotation(
                document_id, anchor_for(text, start, start + len(quote)), [trade]
            )
    finally:
        store.close()


# --- import and list ------------------------------------------------------------------------


def test_import_names_each_new_document(library_path: Path, markdown_file: Path) -> None:
    result = Run(["import", str(SAMPLE), str(markdown_file), "--db", str(library_path)])

    assert result.code == 0
    assert result.err == ""
    assert len(result.out_lines) == 2
    first, second = result.out_lines
    assert first.startswith(f"{SAMPLE}: imported as document 1 ")
    assert second.startswith(f"{markdown_file}: imported as document 2 ")
    assert "Grain corridor talks resume" in second
    assert "3,072 characters" in first
    store = LibraryStore.open(library_path)
    try:
        assert [(d.id, d.title) for d in store.documents()] == [
            (1, "sample article"),
            (2, "Grain corridor talks resume"),
        ]
        assert store.document(1).text == SAMPLE.read_text(encoding="utf-8")
    finally:
        store.close()


def test_list_shows_the_documents_with_their_titles(two_documents: Path) -> None:
    annotate(two_documents, 2, ["Istanbul", "Exports could double"])

    result = Run(["list", "--db", str(two_documents)])

    assert result.code == 0
    assert result.err == ""
    header, *rows = result.out_lines
    assert "TITLE" in header and "ID" in header
    assert len(rows) == 2
    assert re.match(r"^\s*1\s+0\s+3,072\s+\d{4}-\d{2}-\d{2}\s+sample article$", rows[0])
    assert re.match(r"^\s*2\s+2\s+\S+\s+\d{4}-\d{2}-\d{2}\s+Grain corridor talks resume$", rows[1])


def test_list_of_an_empty_library_says_so(library_path: Path) -> None:
    result = Run(["list", "--db", str(library_path)])
    assert result.code == 0
    assert "empty" in result.out
    assert len(result.out_lines) == 1


def test_importing_the_same_file_again_adds_no_duplicate(
    two_documents: Path, tmp_path: Path
) -> None:
    crlf_copy = tmp_path / "copy.txt"
    crlf_copy.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes().replace(b"\n", b"\r\n"))

    again = Run(["import", str(SAMPLE), str(crlf_copy), "--db", str(two_documents)])

    assert again.code == 0
    assert again.out_lines == [
        f"{SAMPLE}: already in the library as document 1",
        f"{crlf_copy}: already in the library as document 1",
    ]
    listed = Run(["list", "--db", str(two_documents)])
    assert len(listed.out_lines) == 3  # header and two documents


# --- export ---------------------------------------------------------------------------------

QUOTES = ["crucial discussions in Tokyo", "the true challenge", "trade and security matters"]


def front_matter(markdown: str) -> list[str]:
    lines = markdown.splitlines()
    assert lines[0] == "---"
    return lines[1 : lines.index("---", 1)]


def test_export_markdown_of_one_document_to_a_file(two_documents: Path, tmp_path: Path) -> None:
    annotate(two_documents, 1, QUOTES)
    output = tmp_path / "notes.md"

    result = Run(
        [
            "export",
            "--db",
            str(two_documents),
            "--format",
            "markdown",
            "--document",
            "1",
            "-o",
            str(output),
        ]
    )

    assert result.code == 0, result.err
    assert result.out == "" and result.err == ""
    written = output.read_text(encoding="utf-8")
    header = front_matter(written)
    assert 'title: "sample article"' in header
    assert "annotations: 3" in header
    for quote in QUOTES:
        assert f"> {quote}" in written
    assert "Grain corridor" not in written
    assert written.endswith("\n")


def test_export_to_stdout_with_a_dash(two_documents: Path, tmp_path: Path) -> None:
    annotate(two_documents, 2, ["Istanbul"])
    output = tmp_path / "notes.md"
    to_file = Run(["export", "--db", str(two_documents), "--document", "2", "-o", str(output)])

    to_stdout = Run(["export", "--db", str(two_documents), "--document", "2", "-o", "-"])

    assert (to_file.code, to_stdout.code) == (0, 0)
    assert to_stdout.err == ""
    assert 'title: "Grain corridor talks resume"' in front_matter(to_stdout.out)
    assert "> Istanbul" in to_stdout.out
    assert not (tmp_path / "-").exists()

    def without_time(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("exported_at:")]

    assert without_time(to_stdout.out) == without_time(output.read_text(encoding="utf-8"))


def test_export_without_document_of_a_one_document_library(
    library_path: Path, tmp_path: Path
) -> None:
    assert Run(["import", str(SAMPLE), "--db", str(library_path)]).code == 0
    result = Run(["export", "--db", str(library_path), "-o", "-"])
    assert result.code == 0
    assert 'title: "sample article"' in front_matter(result.out)


def test_export_without_document_of_two_documents_asks_for_one(
    two_documents: Path, tmp_path: Path
) -> None:
    output = tmp_path / "notes.md"
    result = Run(["export", "--db", str(two_documents), "-o", str(output)])
    assert result.code == 1
    assert len(result.err_lines) == 1
    assert "2 documents" in result.err and "--document" in result.err
    assert result.out == ""
    assert not output.exists()


def test_export_of_an_unknown_document_fails_in_one_line(
    two_documents: Path, tmp_path: Path
) -> None:
    output = tmp_path / "notes.md"
    result = Run(["export", "--db", str(two_documents), "--document", "999", "-o", str(output)])
    assert result.code == 1
    assert len(result.err_lines) == 1
    assert "999" in result.err
    assert "Traceback" not in result.err
    assert not output.exists()
    assert list(tmp_path.glob(".notes.md.*")) == []


def test_export_into_a_missing_folder_fails_in_one_line(
    two_documents: Path, tmp_path: Path
) -> None:
    output = tmp_path / "no-such-folder" / "notes.md"
    result = Run(["export", "--db", str(two_documents), "--document", "1", "-o", str(output)])
    assert result.code == 1
    assert len(result.err_lines) == 1
    assert str(output) in result.err


# --- bad input ------------------------------------------------------------------------------


def bad_file(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"bad-{kind}.txt"
    if kind == "directory":
        path.mkdir()
    elif kind == "binary":
        path.write_bytes(b"\x00\x01\x02binary\x00\xff\xfe" * 64)
    elif kind == "empty":
        path.write_bytes(b"")
    return path  # "missing": never created


BAD_KINDS = ["missing", "directory", "binary", "empty"]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_a_bad_file_fails_in_one_line_naming_it(
    library_path: Path, tmp_path: Path, kind: str
) -> None:
    path = bad_file(tmp_path, kind)
    result = Run(["import", str(path), "--db", str(library_path)])
    assert result.code == 1
    assert len(result.err_lines) == 1
    assert str(path) in result.err
    assert "Traceback" not in result.err
    assert result.out == ""
    store = LibraryStore.open(library_path)
    try:
        assert store.document_count() == 0
    finally:
        store.close()


def test_a_mixed_batch_imports_the_good_files_and_exits_1(
    library_path: Path, tmp_path: Path, markdown_file: Path
) -> None:
    bad = [bad_file(tmp_path, kind) for kind in BAD_KINDS]

    files = [bad[0], SAMPLE, bad[1], bad[2], markdown_file, bad[3]]

    result = Run(["import", *map(str, files), "--db", str(library_path)])

    assert result.code == 1
    assert len(result.err_lines) == 4
    for line, path in zip(result.err_lines, bad, strict=True):
        assert str(path) in line
    assert "Traceback" not in result.err
    assert len(result.out_lines) == 2
    assert "document 1" in result.out_lines[0] and "document 2" in result.out_lines[1]
    listed = Run(["list", "--db", str(library_path)])
    assert "sample article" in listed.out and "Grain corridor talks resume" in listed.out


def test_a_failed_import_leaves_the_library_unchanged(two_documents: Path, tmp_path: Path) -> None:
    annotate(two_documents, 1, QUOTES)
    before = dump(two_documents)
    bad = [str(bad_file(tmp_path, kind)) for kind in BAD_KINDS]

    result = Run(["import", *bad, "--db", str(two_documents)])

    assert result.code == 1
    assert len(result.err_lines) == 4
    assert dump(two_documents) == before


def test_a_db_that_is_not_sqlite_fails_in_one_line(tmp_path: Path) -> None:
    not_a_db = tmp_path / "library.db"
    content = b"These are notes, not a database.\n" * 100
    not_a_db.write_bytes(content)
    for argv in (["list"], ["import", str(SAMPLE)], ["export", "-o", "-"]):
        result = Run([*argv, "--db", str(not_a_db)])
        assert result.code == 1
        assert len(result.err_lines) == 1
        assert str(not_a_db) in result.err
        assert "Traceback" not in result.err
        assert result.out == ""
    assert not_a_db.read_bytes() == content


def test_a_db_that_is_a_folder_fails_in_one_line(tmp_path: Path) -> None:
    result = Run(["list", "--db", str(tmp_path)])
    assert result.code == 1
    assert len(result.err_lines) == 1


def test_a_db_whose_folder_cannot_be_created_fails_in_one_line(tmp_path: Path) -> None:
    in_the_way = tmp_path / "notes.txt"
    in_the_way.write_text("a file, not a folder", encoding="utf-8")
    result = Run(["list", "--db", str(in_the_way / "library.db")])
    assert result.code == 1
    assert len(result.err_lines) == 1


def test_an_unknown_format_is_an_argument_error_in_one_line(two_documents: Path) -> None:
    result = Run(["export", "--db", str(two_documents), "--format", "docx", "-o", "-"])
    assert result.code == 2
    assert result.out == ""
    assert len(result.err_lines) == 1
    assert "docx" in result.err


# --- as a real process, without a display ---------------------------------------------------


def test_commands_run_as_a_process_without_a_display(tmp_path: Path, markdown_file: Path) -> None:
    library = tmp_path / "cli-library.db"
    imported = run_app(
        "import", str(SAMPLE), str(markdown_file), "--db", str(library), cwd=tmp_path
    )
    assert imported.returncode == 0, imported.stderr
    assert len(imported.stdout.splitlines()) == 2
    assert imported.stderr == ""

    listed = run_app("list", "--db", str(library), cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "Grain corridor talks resume" in listed.stdout

    exported = run_app("export", "--db", str(library), "--document", "2", "-o", "-", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert 'title: "Grain corridor talks resume"' in exported.stdout


def test_failures_as_a_process_are_one_line_without_traceback(tmp_path: Path) -> None:
    library = tmp_path / "cli-library.db"
    missing = tmp_path / "missing.txt"

    refused = run_app("import", str(missing), "--db", str(library), cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [f"desktop-app: {missing}: no such file"]

    unknown = run_app("export", "--db", str(library), "--document", "999", "-o", "-", cwd=tmp_path)
    assert unknown.returncode == 1
    assert len(unknown.stderr.splitlines()) == 1
    assert "Traceback" not in unknown.stderr

    bad_format = run_app(
        "export", "--db", str(library), "--format", "docx", "-o", "-", cwd=tmp_path
    )
    assert bad_format.returncode != 0
    assert len(bad_format.stderr.splitlines()) == 1
    assert "Traceback" not in bad_format.stderr


def test_headless_commands_import_no_pyside6(tmp_path: Path, markdown_file: Path) -> None:
    library = tmp_path / "cli-library.db"
    output = tmp_path / "n.md"
    code = f"""
        import io, sys
        from desktop_app.app import main
        from desktop_app.cli import run_command
        codes = []
        for argv in (
            ["import", {str(SAMPLE)!r}, {str(markdown_file)!r}, "--db", {str(library)!r}],
            ["list", "--db", {str(library)!r}],
            ["export", "--db", {str(library)!r}, "--document", "1", "-o", {str(output)!r}],
        ):
            codes.append(run_command(argv, stdout=io.StringIO(), stderr=io.StringIO()))
        codes.append(main(["list", "--db", {str(library)!r}]))
        print(codes)
        print(sorted(m for m in sys.modules if m.startswith("PySide6")))
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=tmp_path,
        env=headless_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    *_, codes, pyside_modules = result.stdout.splitlines()
    assert codes == "[0, 0, 0, 0]"
    assert pyside_modules == "[]"
    assert output.is_file()


@pytest.mark.parametrize("size", ["nan", "inf", "-1", "0", "1e30"])
def test_a_size_limit_that_is_not_a_sensible_number_is_one_line(tmp_path: Path, size: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Talks went on.\n", encoding="utf-8")
    result = run_app(
        "import", str(article), "--db", str(tmp_path / "l.db"), "--max-size", size, cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--max-size" in result.stderr, result.stderr


def test_a_command_leaves_a_deletion_the_window_can_still_undo(tmp_path: Path) -> None:
    database = tmp_path / "l.db"
    store = LibraryStore.open(database)
    try:
        kept = store.add_document("Kept", "kept.txt", "Kept text.")
        deleted = store.add_document("Deleted", "deleted.txt", "Deleted text.")
        store.delete_document(deleted.id)  # undoable in the window that did it
        assert run_command(["list", "--db", str(database)], io.StringIO(), io.StringIO()) == 0
        store.restore_document(deleted.id)  # the window's Ctrl+Z
        assert {d.id for d in store.documents()} == {kept.id, deleted.id}
    finally:
        store.close()


def test_a_refused_import_into_a_new_library_keeps_the_library_it_made(tmp_path: Path) -> None:
    """Claimmark never deletes a library file: another process may be using it already."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    database = tmp_path / "new" / "library.db"
    code = run_command(["import", str(empty), "--db", str(database)], io.StringIO(), io.StringIO())
    assert code == 1
    assert database.exists()
    opened = LibraryStore.open(database)
    try:
        assert opened.documents() == []  # an empty library, and a sound one
    finally:
        opened.close()
    article = tmp_path / "a.txt"
    article.write_text("Talks went on.\n", encoding="utf-8")
    args = ["import", str(article), str(empty), "--db", str(database)]
    assert run_command(args, io.StringIO(), io.StringIO()) == 1  # one refused, one kept
    assert database.exists()
