"""Hostile Word files: relationships that point outside the file, and DTDs Word never writes.

External hyperlinks and linked pictures are normal and must import; a styles or properties
part outside the file is refused in one line. Entities a DTD declares are never expanded, and
the text after one is kept, with a note that names what was left out.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import docx
import pytest
from attack_support import assert_refused, library_dump, make_library, run_cli
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
PACKAGE_RELS = "_rels/.rels"
VML = "urn:schemas-microsoft-com:vml"


def word_file(*paragraphs: str) -> docx.document.Document:
    document = docx.Document()
    document.core_properties.title = "Harbour report"
    for text in paragraphs:
        document.add_paragraph(text)
    return document


def saved(document: docx.document.Document) -> dict[str, bytes]:
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write(tmp_path: Path, name: str, members: dict[str, bytes]) -> Path:
    path = tmp_path / name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    path.write_bytes(buffer.getvalue())
    return path


def made_external(rels: bytes, target: str) -> bytes:
    """The relationships with the one to `target` marked TargetMode="External"."""
    pattern = rf'(<Relationship [^>]*Target="{re.escape(target)}")'.encode()
    changed, count = re.subn(pattern, rb'\1 TargetMode="External"', rels)
    assert count == 1
    return changed


def refused_unchanged(tmp_path: Path, path: Path, reason: str) -> None:
    db = tmp_path / "library.db"
    before = make_library(db)
    outcome = run_cli("import", path, "--db", db)
    assert_refused(outcome, str(path), reason)
    assert library_dump(db) == before


def test_external_hyperlinks_and_linked_pictures_import(tmp_path: Path) -> None:
    document = word_file("The harbour reopened on Friday.")
    paragraph = document.add_paragraph("Read the ")
    link = document.part.relate_to("https://example.org/", RELATIONSHIP_TYPE.HYPERLINK, True)
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{link}">'
            "<w:r><w:t>full statement</w:t></w:r></w:hyperlink>"
        )
    )
    picture = document.part.relate_to("https://example.org/p.png", RELATIONSHIP_TYPE.IMAGE, True)
    paragraph._p.append(
        parse_xml(
            f'<w:r {nsdecls("w", "r")} xmlns:v="{VML}"><w:pict><v:shape>'
            f'<v:imagedata r:id="{picture}"/>'
            "</v:shape></w:pict></w:r>"
        )
    )
    members = saved(document)
    assert members[DOCUMENT_RELS].count(b'TargetMode="External"') == 2
    path = write(tmp_path, "linked.docx", members)
    db = tmp_path / "library.db"
    make_library(db)

    outcome = run_cli("import", path, "--db", db)

    assert outcome.code == 0, outcome.err
    assert "Harbour report" in outcome.out
    assert any("Read the full statement" in line for line in library_dump(db))


@pytest.mark.parametrize(
    ("rels", "target", "label"),
    [(DOCUMENT_RELS, "styles.xml", "styles"), (PACKAGE_RELS, "docProps/core.xml", "properties")],
)
def test_a_part_outside_the_file_is_refused(
    tmp_path: Path, rels: str, target: str, label: str
) -> None:
    members = saved(word_file("The harbour reopened on Friday."))
    members[rels] = made_external(members[rels], target)
    path = write(tmp_path, "external.docx", members)
    refused_unchanged(tmp_path, path, f'its {label} are outside the file (TargetMode="External")')


def test_a_second_styles_part_is_refused(tmp_path: Path) -> None:
    members = saved(word_file("The harbour reopened on Friday."))
    members[DOCUMENT_RELS] = members[DOCUMENT_RELS].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/styles" Target="styles.xml"/></Relationships>',
    )
    path = write(tmp_path, "two-styles.docx", members)
    refused_unchanged(tmp_path, path, "it has 2 styles parts")


def with_dtd(members: dict[str, bytes], declarations: str, old: bytes, new: bytes) -> None:
    """Give document.xml an internal DTD and replace `old` in its text by `new`."""
    xml = members[DOCUMENT]
    declaration_end = xml.index(b"?>") + 2
    doctype = f"<!DOCTYPE w:document [{declarations}]>".encode()
    xml = xml[:declaration_end] + doctype + xml[declaration_end:]
    assert old in xml
    members[DOCUMENT] = xml.replace(old, new)


def test_text_after_a_declared_entity_is_kept_and_the_entity_named(tmp_path: Path) -> None:
    members = saved(word_file("The PORT reopened on Friday, officials said."))
    with_dtd(members, '<!ENTITY co "Harbour Company">', b"PORT", b"&co; port")
    path = write(tmp_path, "entity.docx", members)
    db = tmp_path / "library.db"
    make_library(db)

    outcome = run_cli("import", path, "--db", db)

    assert outcome.code == 0, outcome.err
    assert "1 reference to entities its DTD declares (&co;) were left out" in outcome.out
    assert any("The  port reopened on Friday, officials said." in line for line in library_dump(db))


def test_an_external_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    members = saved(word_file("The PORT reopened."))
    with_dtd(members, f'<!ENTITY x SYSTEM "file://{secret}">', b"PORT", b"&x; port")
    path = write(tmp_path, "xxe.docx", members)
    db = tmp_path / "library.db"
    make_library(db)

    outcome = run_cli("import", path, "--db", db)

    assert outcome.code == 0, outcome.err
    assert "(&x;) were left out" in outcome.out
    assert not any("TOP-SECRET-VALUE" in line for line in library_dump(db))


def test_billion_laughs_is_refused_at_once(tmp_path: Path) -> None:
    laughs = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    )
    members = saved(word_file("The PORT reopened."))
    with_dtd(members, laughs, b"PORT", b"&l9;")
    path = write(tmp_path, "laughs.docx", members)
    started = time.monotonic()
    refused_unchanged(tmp_path, path, "is not a Word .docx file")
    assert time.monotonic() - started < 10
