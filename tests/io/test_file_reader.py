"""Reading files into stored text: exact text, honest decoding, and one-line refusals."""

from __future__ import annotations

import codecs
import os
import random
from pathlib import Path

import pytest

from desktop_app.io.file_reader import DEFAULT_SIZE_LIMIT, SUPPORTED_SUFFIXES, read_document_file
from desktop_app.io.imported import ImportedDocument, ImportRefused
from desktop_app.io.text_decoding import decode_text

TESTS = Path(__file__).resolve().parents[1]
SEED_ARTICLE = TESTS.parent / "resources" / "sample-article.txt"  # the seed, as shipped
CORPUS = TESTS / "data" / "corpus"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    """Write `data` to a file called `name` in the test's own folder."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path: Path, size_limit: int = DEFAULT_SIZE_LIMIT) -> str:
    """The message read_document_file refuses `path` with, checked to be one line."""
    with pytest.raises(ImportRefused) as caught:
        read_document_file(path, size_limit)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path}: ")
    assert path.name in message
    return message


# --- reading --------------------------------------------------------------------------------


def test_seed_article_reads_back_exactly() -> None:
    imported = read_document_file(SEED_ARTICLE)
    assert imported.text == SEED_ARTICLE.read_bytes().decode("utf-8")
    assert imported.format == "text"
    assert imported.encoding == "utf-8"
    assert imported.source == str(SEED_ARTICLE.resolve())
    assert imported.title == "sample article"
    assert imported.text.startswith("Japan's freshly appointed leader, Takaichi,")


def test_plain_text_keeps_its_lines_and_white_space(tmp_path: Path) -> None:
    content = "\n  Indented first line.  \n\n\tTabbed   line with  gaps.\n\n\n"
    imported = read_document_file(write(tmp_path, "notes.txt", content.encode()))
    assert imported.text == content


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_windows_and_old_mac_line_endings_become_newlines(tmp_path: Path, newline: bytes) -> None:
    data = newline.join([b"First line.", b"Second line.", b""])
    imported = read_document_file(write(tmp_path, "endings.txt", data))
    assert imported.text == "First line.\nSecond line.\n"


def test_utf8_byte_order_mark_is_stripped(tmp_path: Path) -> None:
    imported = read_document_file(write(tmp_path, "bom.txt", codecs.BOM_UTF8 + "Café\r\n".encode()))
    assert imported.text == "Café\n"
    assert imported.encoding == "utf-8-sig"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_utf16_with_byte_order_mark(tmp_path: Path, bom: bytes, codec: str) -> None:
    content = "Tromsø talks 😀\r\nsecond line"
    imported = read_document_file(write(tmp_path, "wide.txt", bom + content.encode(codec)))
    assert imported.text == "Tromsø talks 😀\nsecond line"
    assert imported.encoding == codec


def test_latin1_sample_decodes_through_the_legacy_path() -> None:
    imported = read_document_file(CORPUS / "fisheries_latin1.txt")
    assert imported.encoding == "cp1252"
    assert imported.title == "fisheries latin1"
    assert imported.text.startswith("Fisheries quota talks resume in Tromsø\n")
    assert "A résumé of the last round" in imported.text
    assert "\ufffd" not in imported.text


def test_bytes_cp1252_does_not_define_fall_back_to_latin1(tmp_path: Path) -> None:
    data = b"Caf\xe9 au lait, " * 10 + b"\x81 end"
    imported = read_document_file(write(tmp_path, "legacy.txt", data))
    assert imported.encoding == "latin-1"
    assert imported.text.startswith("Café au lait, ")


def test_cp1252_curly_quotes_and_euro(tmp_path: Path) -> None:
    imported = read_document_file(write(tmp_path, "win.txt", b"\x93Quoted\x94 costs \x8010"))
    assert imported.text == "\u201cQuoted\u201d costs €10"
    assert imported.encoding == "cp1252"


def test_astral_and_japanese_text_survive(tmp_path: Path) -> None:
    content = "日本の首相は貿易について語った。\n😀 and 𠮷 are outside the BMP.\n"
    imported = read_document_file(write(tmp_path, "japan.txt", content.encode()))
    assert imported.text == content


def test_markdown_sample_article() -> None:
    imported = read_document_file(CORPUS / "grain_corridor.md")
    assert imported.format == "markdown"
    assert imported.title == "Ministers extend the grain corridor 🌾"
    for syntax in ("#", "**", "]("):
        assert syntax not in imported.text
    for emoji in ("🌾", "🙄", "📉"):
        assert emoji in imported.text
    lines = imported.text.split("\n")
    assert "• Inspections move to a joint centre in the strait." in lines
    assert "• Either side may suspend the deal with 30 days' notice." in lines
    assert "" not in lines


def test_markdown_script_never_reaches_the_text(tmp_path: Path) -> None:
    source = (
        "# Title\n\nSafe text.\n\n<script>stealCookies()</script>\n\n"
        "Inline <script>x()</script> end."
    )
    imported = read_document_file(write(tmp_path, "page.md", source.encode()))
    assert "stealCookies" not in imported.text
    assert "x()" not in imported.text
    assert "script" not in imported.text
    assert imported.text == "Title\nSafe text.\nInline end."


def test_markdown_without_heading_is_titled_by_its_file_name(tmp_path: Path) -> None:
    imported = read_document_file(write(tmp_path, "rail-strike_notes.markdown", b"Just *text*."))
    assert imported.title == "rail strike notes"
    assert imported.text == "Just text."


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    assert read_document_file(write(tmp_path, "LOUD.MD", b"# Hi")).format == "markdown"
    assert read_document_file(write(tmp_path, "LOUD.TXT", b"Hi")).format == "text"


def test_file_exactly_at_the_limit_is_read(tmp_path: Path) -> None:
    imported = read_document_file(write(tmp_path, "ten.txt", b"0123456789"), size_limit=10)
    assert imported.text == "0123456789"


def test_imported_text_is_frozen() -> None:
    imported = read_document_file(SEED_ARTICLE)
    assert isinstance(imported, ImportedDocument)
    with pytest.raises(AttributeError):
        imported.text = "changed"  # type: ignore[misc]


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {
        ".txt",
        ".md",
        ".markdown",
        ".html",
        ".htm",
        ".epub",
        ".docx",
        ".pdf",
    }


# --- decoding on its own --------------------------------------------------------------------


def test_decode_text_prefers_strict_utf8() -> None:
    assert decode_text("Tromsø".encode()) == ("Tromsø", "utf-8")


def test_decode_text_never_fails() -> None:
    every_byte = bytes(range(256))
    text, encoding = decode_text(every_byte)
    assert text.encode(encoding) == every_byte


@pytest.mark.parametrize(
    ("content", "codec"),
    [
        ("Президент встретился с премьер-министром в Токио. Переговоры продолжатся.", "koi8_r"),
        ("日本の首相は東京で米大統領と会談した。貿易と安全保障が議題となった。", "shift_jis"),
    ],
)
def test_decode_text_recognises_non_western_legacy_encodings(content: str, codec: str) -> None:
    text, _encoding = decode_text(content.encode(codec))
    assert text == content


# --- refusals -------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert refusal(tmp_path / "missing.txt").endswith("missing.txt: no such file")


def test_name_is_the_one_the_user_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ImportRefused) as caught:
        read_document_file(Path("missing.txt"))
    assert str(caught.value) == "missing.txt: no such file"


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    assert refusal(folder).endswith("articles: is a folder, not a file")


def test_directory_with_a_supported_suffix(tmp_path: Path) -> None:
    folder = tmp_path / "archive.md"
    folder.mkdir()
    assert refusal(folder).endswith("archive.md: is a folder, not a file")


def test_empty_file(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "notes.txt", b"")).endswith("notes.txt: the file is empty")


@pytest.mark.parametrize("data", [b" \n\t\r\n  ", codecs.BOM_UTF8, "\u3000\n".encode()])
def test_white_space_only_file(tmp_path: Path, data: bytes) -> None:
    assert "the file is empty" in refusal(write(tmp_path, "blank.txt", data))


def test_markdown_that_renders_to_nothing(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "hidden.md", b"<script>x()</script>\n\n---\n"))
    assert "no text" in message


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    png_header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    data = png_header + random.Random(7).randbytes(2048)
    message = refusal(write(tmp_path, "fisheries.txt", data))
    assert message.endswith("fisheries.txt: not a text file (it contains binary data)")


def test_binary_made_of_control_codes_without_nul(tmp_path: Path) -> None:
    data = bytes(range(1, 32)) * 40
    assert "binary data" in refusal(write(tmp_path, "controls.md", data))


def test_nul_in_utf16_text_is_binary_too(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "text\x00more".encode("utf-16-le")
    assert "binary data" in refusal(write(tmp_path, "wide.txt", data))


def test_broken_utf16_is_refused_not_guessed(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8"  # lone high surrogate
    message = refusal(write(tmp_path, "broken.txt", data))
    assert "cannot be decoded" in message
    assert "UTF-16" in message


def test_broken_utf8_after_a_byte_order_mark_is_refused(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "broken.txt", codecs.BOM_UTF8 + b"caf\xe9"))
    assert "cannot be decoded" in message


def test_over_the_size_limit(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "big.txt", b"x" * 100), size_limit=10)
    assert message.endswith("big.txt: 100 bytes is over the 10 bytes import limit")


def test_over_the_default_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open("big.txt", "wb") as file:
        file.truncate(int(25.3 * 1024 * 1024))  # sparse: no disk space used
    with pytest.raises(ImportRefused) as caught:
        read_document_file(Path("big.txt"))
    assert str(caught.value) == "big.txt: 25.3 MB is over the 20 MB import limit"


def test_just_over_the_limit_does_not_say_twenty_over_twenty(tmp_path: Path) -> None:
    limit = 20 * 1024 * 1024
    path = tmp_path / "edge.txt"
    with path.open("wb") as file:
        file.truncate(limit + 1)
    assert "20,971,521 bytes is over the 20,971,520 bytes import limit" in refusal(path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.odt", "report.odt: .odt files cannot be imported"),
        ("page.xhtml5", "page.xhtml5: .xhtml5 files cannot be imported"),
        ("README", "README: files without an extension cannot be imported"),
    ],
)
def test_unsupported_suffix(tmp_path: Path, name: str, expected: str) -> None:
    message = refusal(write(tmp_path, name, b"%PDF-1.7 or anything"))
    assert expected in message
    assert message.endswith("(supported: .txt, .md, .markdown, .html, .htm, .epub, .docx, .pdf)")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root can read a file whatever its permissions; Windows ignores mode 000",
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "x.txt", b"secret")
    path.chmod(0)
    try:
        assert refusal(path).endswith("x.txt: cannot be read (permission denied)")
    finally:
        path.chmod(0o600)


def test_permission_error_while_reading_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root can read anything, so simulate what an unreadable file raises on open.
    path = write(tmp_path, "x.txt", b"secret")

    def deny(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    with monkeypatch.context() as patch:
        patch.setattr(Path, "open", deny)
        with pytest.raises(ImportRefused) as caught:
            read_document_file(path)
    assert str(caught.value) == f"{path}: cannot be read (permission denied)"


def test_other_os_errors_become_one_line_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "x.txt", b"text")

    def fail(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    with monkeypatch.context() as patch:
        patch.setattr(Path, "open", fail)
        with pytest.raises(ImportRefused) as caught:
            read_document_file(path)
    assert str(caught.value) == f"{path}: cannot be read (input/output error)"


def test_a_line_break_in_the_file_name_cannot_break_the_message(tmp_path: Path) -> None:
    path = tmp_path / "two\nlines.txt"
    with pytest.raises(ImportRefused) as caught:
        read_document_file(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.endswith("two\\nlines.txt: no such file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert refusal(path).endswith("pipe.txt: is not a regular file")
