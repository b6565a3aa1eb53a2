"""PDF files: the text layer rebuilt into paragraphs, metadata, and refusals in one line.

The PDFs are written by Qt (QPdfWriter) in the test, so they have a real text layer and fonts.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from document_factories import encrypted_pdf, pdf_file, pdf_with_metadata, pdf_without_text

from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.file_reader import read_document_file
from desktop_app.io.imported import ImportedDocument, ImportRefused

NOTE = (
    "PDF: the text was extracted page by page; columns, tables, footnotes and page layout "
    "may not have been kept."
)
DAMAGED = "is not a PDF file (or it is damaged)"

TWO_PAGES = [
    [
        "Grain corridor talks resume",
        "Ministers met in Istanbul on Tuesday to resume the nego-",
        "tiations on grain exports, the foreign ministry said.",
        "The talks lasted six hours and ended late in the evening",
        "without a final agreement on insurance for the ships.",
        "A second meeting is planned for the week after next, and",
    ],
    [
        "officials expect the corridor to reopen by the end of May.",
        "Shipping companies said they would wait for the details.",
    ],
]
TWO_PAGES_TEXT = [
    "Grain corridor talks resume",
    "Ministers met in Istanbul on Tuesday to resume the negotiations on grain exports, "
    "the foreign ministry said.",
    "The talks lasted six hours and ended late in the evening without a final agreement "
    "on insurance for the ships.",
    "A second meeting is planned for the week after next, and officials expect the corridor "
    "to reopen by the end of May.",
    "Shipping companies said they would wait for the details.",
]

pytestmark = pytest.mark.usefixtures("qapp")


def read_pdf(path: Path) -> ImportedDocument:
    """The PDF read through the importer, checked to be one paragraph a line, normalised."""
    imported = read_document_file(path)
    assert imported.text == normalise_text(imported.text)
    assert imported.text.split("\n") == [line for line in imported.text.split("\n") if line.strip()]
    return imported


def refusal(path: Path) -> str:
    """The one-line message the importer refuses `path` with."""
    with pytest.raises(ImportRefused) as caught:
        read_document_file(path)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path}: ")
    return message


def test_prose_over_two_pages_is_rebuilt_into_paragraphs(tmp_path: Path) -> None:
    path = pdf_file(tmp_path / "talks.pdf", TWO_PAGES, title="Grain talks, day one")
    imported = read_pdf(path)
    # The hyphenated word is rejoined, the sentence carried over the page break goes on, and
    # the page numbers ("1", "2") at the foot of each page are gone.
    assert imported.text.split("\n") == TWO_PAGES_TEXT
    assert imported.title == "Grain talks, day one"
    assert imported.format == "pdf"
    assert imported.notes == (NOTE,)
    assert imported.blocks == ()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", imported.published)  # Qt stamps the date.


def test_author_and_creation_date_come_from_the_document_information(tmp_path: Path) -> None:
    plain = pdf_file(tmp_path / "plain.pdf", TWO_PAGES)
    metadata = {
        "/Title": "  Grain talks:\n day one ",
        "/Author": "Ana Ruiz",
        "/CreationDate": "D:20240305120000+01'00'",
    }
    imported = read_pdf(pdf_with_metadata(plain, tmp_path / "described.pdf", metadata))
    assert (imported.title, imported.author, imported.published) == (
        "Grain talks: day one",
        "Ana Ruiz",
        "2024-03-05",
    )


@pytest.mark.parametrize("title", ["untitled", "talks_v2.pdf", "Microsoft Word - talks.docx"])
def test_a_file_name_in_the_title_metadata_is_not_a_title(tmp_path: Path, title: str) -> None:
    plain = pdf_file(tmp_path / "plain.pdf", TWO_PAGES)
    metadata = {"/Title": title, "/CreationDate": "D:2024"}
    imported = read_pdf(pdf_with_metadata(plain, tmp_path / "named.pdf", metadata))
    assert imported.title == "Grain corridor talks resume"
    assert imported.published == ""


def test_title_is_the_file_name_when_the_first_line_is_a_paragraph(tmp_path: Path) -> None:
    long_line = "Ministers met in Istanbul " * 6
    path = pdf_file(tmp_path / "grain_talks.pdf", [[long_line.strip() + "."]])
    assert read_pdf(path).title == "grain talks"


def test_a_line_ending_a_sentence_ends_the_paragraph_only_before_a_new_one(
    tmp_path: Path,
) -> None:
    lines = [
        "The minister arrived at 10 a.m. and spoke to the press.",
        "“We are close,” she said, adding that the talks were",
        "going well. officials in Kyiv were more cautious about it.",
    ]
    path = pdf_file(tmp_path / "quotes.pdf", [lines], page_numbers=False)
    assert read_pdf(path).text.split("\n") == [
        lines[0],
        " ".join(lines[1:]),
    ]


def test_a_hyphen_before_a_capital_or_digit_is_part_of_the_word(tmp_path: Path) -> None:
    lines = ["The Franco-", "German proposal caps prices at pre-", "2022 levels for a year."]
    path = pdf_file(tmp_path / "compound.pdf", [lines], page_numbers=False)
    assert (
        read_pdf(path).text
        == "The Franco-German proposal caps prices at pre-2022 levels for a year."
    )


def test_running_headers_and_footers_are_dropped(tmp_path: Path) -> None:
    pages = [
        [
            "Grain Monitor, 5 March 2024",
            f"Paragraph {number} says the ships sailed on day {number}.",
            f"https://example.org/grain-monitor page {number} of 3",
        ]
        for number in (1, 2, 3)
    ]
    path = pdf_file(tmp_path / "printed.pdf", pages, page_numbers=False)
    assert read_pdf(path).text.split("\n") == [
        "Paragraph 1 says the ships sailed on day 1.",
        "Paragraph 2 says the ships sailed on day 2.",
        "Paragraph 3 says the ships sailed on day 3.",
    ]


def test_japanese_lines_join_without_spaces(tmp_path: Path) -> None:
    from PySide6.QtGui import QFontDatabase

    if not QFontDatabase.families(QFontDatabase.WritingSystem.Japanese):
        pytest.skip("no Japanese font installed for Qt to draw with")
    lines = ["首相は東京で米大統領と会談し、貿易と安全保", "障について協議した。"]
    imported = read_pdf(pdf_file(tmp_path / "ja.pdf", [lines]))
    # Qt's fonts map some ideographs to look-alike Kangxi radicals (⽇ for 日); they are undone.
    assert imported.text == "首相は東京で米大統領と会談し、貿易と安全保障について協議した。"


def test_pdf_without_a_text_layer_is_refused(tmp_path: Path) -> None:
    path = pdf_without_text(tmp_path / "scan.pdf")
    assert refusal(path) == (
        f"{path}: has no text layer (it may be a scan); Claimmark cannot read images of text"
    )


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    plain = pdf_file(tmp_path / "plain.pdf", TWO_PAGES)
    path = encrypted_pdf(plain, tmp_path / "locked.pdf", user="secret", owner="owner")
    assert refusal(path) == f"{path}: is password-protected"


def test_pdf_encrypted_without_a_user_password_is_read(tmp_path: Path) -> None:
    plain = pdf_file(tmp_path / "plain.pdf", TWO_PAGES)
    path = encrypted_pdf(plain, tmp_path / "no-copying.pdf", user="", owner="owner")
    assert read_pdf(path).text.split("\n") == TWO_PAGES_TEXT


def test_aes_without_the_cryptography_package_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    def needs_cryptography(self: PdfReader, password: str) -> None:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    plain = pdf_file(tmp_path / "plain.pdf", TWO_PAGES)
    path = encrypted_pdf(plain, tmp_path / "aes.pdf", user="", owner="owner")
    monkeypatch.setattr(PdfReader, "decrypt", needs_cryptography)
    message = refusal(path)
    assert (
        message
        == f"{path}: is encrypted with AES, which this installation of Claimmark cannot read"
    )


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 or anything", bytes(range(256)) * 8, b"%PDF-1.4\n1 0 obj\n<<>>\n%%EOF\n"],
    ids=["header-only", "random", "no-pages"],
)
def test_not_a_pdf_is_refused_in_one_line(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    assert refusal(path) == f"{path}: {DAMAGED}"


def test_truncated_pdf_is_refused_in_one_line(tmp_path: Path) -> None:
    whole = pdf_file(tmp_path / "whole.pdf", TWO_PAGES).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    assert refusal(path) == f"{path}: {DAMAGED}"


def test_pypdf_loads_only_when_a_pdf_is_read() -> None:
    code = "import sys, desktop_app.io.readers.pdf_document; print('pypdf' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_damaged_pdf_is_refused_in_one_line_without_pypdf_chatter(
    qapp: object, tmp_path: Path
) -> None:
    import subprocess
    import sys

    whole = pdf_file(tmp_path / "whole.pdf", [["The talks went on.", "Nobody left."]])
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) * 2 // 3])
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "import", str(damaged), "--db", str(tmp_path / "l")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "damaged.pdf" in result.stderr, result.stderr
