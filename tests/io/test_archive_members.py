"""Unpacking zip members as bounded streams: honest members come back whole, damage is named."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from desktop_app.io.archive_members import (
    ArchiveRefused,
    member_bytes,
    shown_name,
    unpacked_pieces,
    verify_archive,
)

# Text that packs like prose (about 3 times), long enough to need many 64 KB pieces.
PROSE = b"".join(
    f"Paragraph {n}: the port reopened on Friday, officials said. {os.urandom(8).hex()}\n".encode()
    for n in range(20_000)
)
METHODS = [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]


def archive_of(members: dict[str, bytes], method: int) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("method", METHODS)
def test_honest_members_of_every_method_come_back_whole(method: int) -> None:
    members = {"empty.txt": b"", "one.txt": b"x", "prose.txt": PROSE}
    with archive_of(members, method) as archive:
        verify_archive(archive, 10 * 1024 * 1024)
        for name, content in members.items():
            assert member_bytes(archive, archive.getinfo(name)) == content
        pieces = list(unpacked_pieces(archive, archive.getinfo("prose.txt")))
    assert len(pieces) > 1 and max(map(len, pieces)) <= 64 * 1024


def test_an_archive_declaring_more_than_the_limit_is_refused() -> None:
    with (
        archive_of({"prose.txt": PROSE}, zipfile.ZIP_DEFLATED) as archive,
        pytest.raises(ArchiveRefused, match="unpacks to more than 1 MB"),
    ):
        verify_archive(archive, 1024 * 1024)


@pytest.mark.parametrize("method", METHODS)
def test_a_damaged_member_is_refused_by_name(method: int) -> None:
    with archive_of({"prose.txt": PROSE}, method) as archive:
        info = archive.getinfo("prose.txt")
        info.CRC ^= 1
        with pytest.raises(ArchiveRefused) as refused:
            member_bytes(archive, info)
    assert str(refused.value) == (
        "cannot unpack prose.txt: its checksum does not match (the archive is damaged)"
    )


def test_a_member_whose_data_stops_early_is_refused() -> None:
    with archive_of({"prose.txt": PROSE}, zipfile.ZIP_DEFLATED) as archive:
        info = archive.getinfo("prose.txt")
        info.compress_size //= 2
        with pytest.raises(ArchiveRefused, match=r"unpacks to [\d,]+ bytes, not the"):
            member_bytes(archive, info)


def test_a_member_running_past_the_end_of_the_archive_is_refused() -> None:
    with archive_of({"prose.txt": PROSE}, zipfile.ZIP_STORED) as archive:
        info = archive.getinfo("prose.txt")
        info.compress_size = info.file_size = info.file_size + 10_000_000
        with pytest.raises(ArchiveRefused, match="the archive ends inside it"):
            member_bytes(archive, info)


def test_an_lzma_member_asking_for_a_huge_dictionary_is_refused() -> None:
    with archive_of({"prose.txt": PROSE}, zipfile.ZIP_LZMA) as archive:
        info = archive.getinfo("prose.txt")
        data = bytearray(archive.fp.getvalue())  # type: ignore[union-attr]
    start = info.header_offset + 30 + len(info.filename.encode())
    data[start + 5 : start + 9] = (1 << 31).to_bytes(4, "little")  # the dictionary size
    with (
        zipfile.ZipFile(io.BytesIO(bytes(data))) as archive,
        pytest.raises(ArchiveRefused, match="LZMA dictionary"),
    ):
        member_bytes(archive, archive.getinfo("prose.txt"))


def test_names_are_shown_on_one_line() -> None:
    assert shown_name("a\nb\u2028c.xml") == "a\\nb\\u2028c.xml"
    assert shown_name("é.xhtml") == "é.xhtml"
    assert len(shown_name("x" * 500)) == 120
