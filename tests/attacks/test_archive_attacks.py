"""Zip bombs in .qdpx, .epub and .docx files: refused in one line, in bounded memory.

Each bomb is a real file of that kind with one member replaced: its compressed data unpacks to
hundreds of megabytes (or gigabytes), while its headers declare 1,000 bytes and the CRC of
those first 1,000 bytes, so that a reader trusting the headers would hand back a plausible
member after unpacking the whole of it. The streams are built from repeated pieces (deflate
blocks after a full flush, whole bzip2 blocks), so a 4 GB bomb takes milliseconds to make.
"""

from __future__ import annotations

import bz2
import io
import lzma
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import docx
import pytest
from attack_support import (
    assert_refused,
    headless_env,
    library_dump,
    make_library,
    run_cli,
)
from ebooklib import epub

MIB = 1024 * 1024
DECLARED = 1000
METHODS = {
    "stored": zipfile.ZIP_STORED,
    "deflate": zipfile.ZIP_DEFLATED,
    "bzip2": zipfile.ZIP_BZIP2,
    "lzma": zipfile.ZIP_LZMA,
}
# What each bomb unpacks to: enough to show on a memory graph, small enough for a test run.
BOMB_SIZES = {"stored": 4 * MIB, "deflate": 256 * MIB, "bzip2": 280 * MIB, "lzma": 64 * MIB}
MEMORY_HEADROOM = 200 * MIB


# ---- the hostile bytes ----------------------------------------------------------------------


def deflate_zeros(size: int) -> bytes:
    """A raw deflate stream of `size` zero bytes (a whole number of MiB), built in milliseconds."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    # After a full flush the compressor forgets everything, so every MiB packs the same way.
    first = compressor.compress(b"\0" * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(b"\0" * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert first == again
    return first * (size // MIB) + compressor.flush()


_BLOCK_MAGIC = format(0x314159265359, "048b")
_END_MAGIC = format(0x177245385090, "048b")
_BZIP2_BLOCK = 40 * MIB  # zeros that bzip2 packs into one block of its stream


def bzip2_zeros(size: int) -> bytes:
    """A bzip2 stream of `size` zero bytes (a multiple of 40 MiB): one block, repeated."""
    one = bz2.compress(b"\0" * _BZIP2_BLOCK, 9)
    bits = format(int.from_bytes(one, "big"), f"0{len(one) * 8}b")
    assert bits[32:80] == _BLOCK_MAGIC and bits.count(_BLOCK_MAGIC) == 1
    # Blocks are not byte-aligned: the end-of-stream marker sits 80 bits before 0-7 pad bits.
    end = next(
        len(bits) - pad - 80
        for pad in range(8)
        if bits[len(bits) - pad - 80 : len(bits) - pad - 32] == _END_MAGIC
    )
    block = bits[32:end]
    block_crc, stream_crc = int(block[48:80], 2), 0
    blocks = size // _BZIP2_BLOCK
    for _ in range(blocks):
        stream_crc = (((stream_crc << 1) | (stream_crc >> 31)) & 0xFFFFFFFF) ^ block_crc
    stream = bits[:32] + block * blocks + _END_MAGIC + format(stream_crc, "032b")
    stream += "0" * (-len(stream) % 8)
    return int(stream, 2).to_bytes(len(stream) // 8, "big")


def lzma_zeros(size: int) -> bytes:
    """`size` zero bytes as zip stores LZMA: version, properties, then a raw LZMA1 stream."""
    dictionary = 1 << 20
    compressor = lzma.LZMACompressor(
        lzma.FORMAT_RAW,
        filters=[{"id": lzma.FILTER_LZMA1, "preset": 0, "dict_size": dictionary}],
    )
    chunk = b"\0" * MIB
    stream = b"".join(compressor.compress(chunk) for _ in range(size // MIB))
    properties = bytes([(2 * 5 + 0) * 9 + 3]) + dictionary.to_bytes(4, "little")  # pb 2 lp 0 lc 3
    return struct.pack("<BBH", 9, 4, len(properties)) + properties + stream + compressor.flush()


@cache
def packed_zeros(method: str, size: int) -> bytes:
    """`size` zero bytes as the member data of a zip entry compressed by `method`."""
    packers: dict[str, Callable[[int], bytes]] = {
        "stored": lambda n: b"\0" * n,
        "deflate": deflate_zeros,
        "bzip2": bzip2_zeros,
        "lzma": lzma_zeros,
    }
    return packers[method](size)


def lying_zip(
    members: dict[str, bytes], bomb: str, method: str, packed: bytes, declared: int, crc: int
) -> bytes:
    """A zip of `members` whose member `bomb` holds `packed` data compressed by `method`, and
    whose local and central headers both declare `declared` bytes with CRC `crc`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if name == bomb:
                # Written stored, so that zipfile copies the packed bytes as they are.
                archive.writestr(zipfile.ZipInfo(name), packed, zipfile.ZIP_STORED)
            else:
                archive.writestr(name, content)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local = archive.getinfo(bomb).header_offset
    # The headers' fields: method, CRC-32, uncompressed size (the compressed size is true).
    struct.pack_into("<H", data, local + 8, METHODS[method])
    struct.pack_into("<L", data, local + 14, crc)
    struct.pack_into("<L", data, local + 22, declared)
    end = data.rfind(b"PK\x05\x06")
    (count,) = struct.unpack_from("<H", data, end + 10)
    (entry,) = struct.unpack_from("<L", data, end + 16)
    for _ in range(count):
        assert data[entry : entry + 4] == b"PK\x01\x02"
        lengths = struct.unpack_from("<3H", data, entry + 28)
        if data[entry + 46 : entry + 46 + lengths[0]].decode() == bomb:
            struct.pack_into("<H", data, entry + 10, METHODS[method])
            struct.pack_into("<L", data, entry + 16, crc)
            struct.pack_into("<L", data, entry + 24, declared)
        entry += 46 + sum(lengths)
    return bytes(data)


def zip_bomb(members: dict[str, bytes], bomb: str, method: str, size: int) -> bytes:
    """`members` with `bomb` unpacking to `size` zeros while it declares 1,000 of them."""
    packed = packed_zeros(method, size)
    return lying_zip(members, bomb, method, packed, DECLARED, zlib.crc32(b"\0" * DECLARED))


# ---- real files to hide the bombs in --------------------------------------------------------


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_file() -> bytes:
    document = docx.Document()
    document.add_heading("Port reopens", 1)
    document.add_paragraph("The port reopened on Friday, officials said.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def epub_file() -> bytes:
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:claimmark-attack-book")
    book.set_title("Port reopens")
    book.set_language("en")
    chapter = epub.EpubHtml(title="One", file_name="one.xhtml", lang="en")
    chapter.content = "<h1>Port reopens</h1><p>The port reopened on Friday, officials said.</p>"
    book.add_item(chapter)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.toc = (chapter,)
    book.spine = ["nav", chapter]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book)
    return buffer.getvalue()


def qdpx_file(tmp_path: Path) -> bytes:
    """A REFI-QDA project as our own export writes it (the sample article and its tags)."""
    db, out = tmp_path / "source.db", tmp_path / "source.qdpx"
    make_library(db)
    outcome = run_cli("export", "--format", "qdpx", "--all", "-o", out, "--db", db)
    assert outcome.code == 0, outcome.err
    return out.read_bytes()


def source_member(members: dict[str, bytes]) -> str:
    return next(name for name in members if name.startswith("sources/"))


def honest_file(kind: str, tmp_path: Path) -> tuple[dict[str, bytes], str]:
    """A real file's members, and the member a bomb replaces (the one read first)."""
    if kind == "docx":
        return zip_members(docx_file()), "word/document.xml"
    if kind == "epub":
        return zip_members(epub_file()), "EPUB/one.xhtml"
    return zip_members(qdpx_file(tmp_path)), "project.qde"


def write_bomb(tmp_path: Path, kind: str, method: str, size: int | None = None) -> tuple[Path, str]:
    members, bomb = honest_file(kind, tmp_path)
    path = tmp_path / f"bomb-{method}.{kind}"
    path.write_bytes(zip_bomb(members, bomb, method, size or BOMB_SIZES[method]))
    return path, bomb


# ---- the attacks ----------------------------------------------------------------------------


def test_the_bombs_are_what_they_claim() -> None:
    """Without this, a refusal below could be of a broken bomb rather than of a lie."""
    assert zlib.decompress(packed_zeros("deflate", 256 * MIB), -zlib.MAX_WBITS) == bytes(256 * MIB)
    assert bz2.BZ2Decompressor().decompress(packed_zeros("bzip2", 280 * MIB), 300 * MIB) == bytes(
        280 * MIB
    )
    data = packed_zeros("lzma", 64 * MIB)
    assert lzma.LZMADecompressor(
        lzma.FORMAT_RAW,
        filters=[{"id": lzma.FILTER_LZMA1, "dict_size": 1 << 20, "lc": 3, "lp": 0, "pb": 2}],
    ).decompress(data[9:]) == bytes(64 * MIB)
    bomb = zip_bomb({"a.xml": b""}, "a.xml", "bzip2", 280 * MIB)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        info = archive.getinfo("a.xml")
        assert (info.file_size, info.compress_type) == (DECLARED, zipfile.ZIP_BZIP2)
        assert len(bomb) < 8 * 1024


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("kind", ["qdpx", "epub", "docx"])
def test_a_member_that_unpacks_to_more_than_it_declares_is_refused(
    tmp_path: Path, kind: str, method: str
) -> None:
    db = tmp_path / "library.db"
    before = make_library(db)
    path, bomb = write_bomb(tmp_path, kind, method)

    outcome = run_cli("import", path, "--db", db)

    assert_refused(outcome, str(path), "declares")
    assert bomb in outcome.err
    assert library_dump(db) == before


def test_a_bomb_in_a_project_source_text_is_refused(tmp_path: Path) -> None:
    """The texts of a project are read later than project.qde, one by one, when referenced."""
    db = tmp_path / "library.db"
    before = make_library(db)
    members = zip_members(qdpx_file(tmp_path))
    path = tmp_path / "bomb.qdpx"
    path.write_bytes(zip_bomb(members, source_member(members), "bzip2", 280 * MIB))

    outcome = run_cli("import", path, "--db", db)

    assert_refused(outcome, str(path), "declares")
    assert library_dump(db) == before


@pytest.mark.parametrize("kind", ["qdpx", "epub", "docx"])
def test_a_bomb_that_declares_its_true_size_is_refused_by_its_ratio(
    tmp_path: Path, kind: str
) -> None:
    """64 MiB packed into 64 KiB is within every size cap, yet no document packs a thousandfold."""
    db = tmp_path / "library.db"
    before = make_library(db)
    members, bomb = honest_file(kind, tmp_path)
    size = 64 * MIB
    packed = packed_zeros("deflate", size)
    path = tmp_path / f"honest-bomb.{kind}"
    path.write_bytes(lying_zip(members, bomb, "deflate", packed, size, zlib.crc32(bytes(size))))

    outcome = run_cli("import", path, "--db", db)

    assert_refused(outcome, str(path), "times smaller")
    assert library_dump(db) == before


@pytest.mark.parametrize("kind", ["qdpx", "epub", "docx"])
def test_an_encrypted_member_is_refused(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "library.db"
    before = make_library(db)
    members, bomb = honest_file(kind, tmp_path)
    data = bytearray(lying_zip(members, bomb, "stored", members[bomb], len(members[bomb]), 0))
    # Set the "encrypted" flag of the member in both of its headers.
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(bomb)] == bomb.encode():
                data[start + flags] |= 1
            start += 4
    path = tmp_path / f"encrypted.{kind}"
    path.write_bytes(bytes(data))

    outcome = run_cli("import", path, "--db", db)

    assert_refused(outcome, str(path), "encrypted")
    assert library_dump(db) == before


# ---- bounded memory -------------------------------------------------------------------------

# Runs the command line with an address-space limit, then writes its peak to a file.
_LIMITED_CLI = """
import atexit, resource, runpy, sys
limit, report = int(sys.argv[1]), sys.argv[2]
del sys.argv[1:3]
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
def write_peak():
    with open("/proc/self/status") as status, open(report, "w") as out:
        out.write(next(l for l in status if l.startswith("VmPeak")).split()[1])
atexit.register(write_peak)
runpy.run_module("desktop_app", run_name="__main__", alter_sys=True)
"""


def limited_import(path: Path, db: Path, limit: int, report: Path) -> tuple[int, str, int]:
    """Exit code, stderr and peak address space (bytes) of `desktop-app import PATH`."""
    command = [sys.executable, "-c", _LIMITED_CLI, str(limit), str(report)]
    completed = subprocess.run(
        [*command, "import", str(path), "--db", str(db)],
        env={**headless_env(), "XDG_STATE_HOME": str(report.parent / "state")},
        capture_output=True,
        timeout=60,
        check=False,
    )
    peak = int(report.read_text()) * 1024 if report.exists() else 0
    return completed.returncode, completed.stderr.decode("utf-8", "replace"), peak


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize(
    ("kind", "method", "size"),
    [
        ("docx", "bzip2", 4000 * MIB),
        ("epub", "bzip2", 4000 * MIB),
        ("qdpx", "bzip2", 4000 * MIB),
        ("docx", "deflate", 2048 * MIB),
    ],
)
def test_a_bomb_is_refused_in_bounded_memory(
    tmp_path: Path, kind: str, method: str, size: int
) -> None:
    """A 4 GB bzip2 bomb (2 GB deflate) is refused with 200 MB more than an honest import."""
    db = tmp_path / "library.db"
    before = make_library(db)
    members, _bomb = honest_file(kind, tmp_path)
    honest = tmp_path / f"honest.{kind}"
    honest.write_bytes(zip_of(members))
    code, err, baseline = limited_import(honest, tmp_path / "scratch.db", 0, tmp_path / "b")
    assert code == 0 and baseline > 0, err
    limit = baseline + MEMORY_HEADROOM
    path, _ = write_bomb(tmp_path, kind, method, size)

    code, err, peak = limited_import(path, db, limit, tmp_path / "peak")

    assert code == 1, err
    assert "Traceback" not in err and "MemoryError" not in err, err
    assert len(err.splitlines()) == 1 and str(path) in err and "declares" in err, err
    assert peak < limit
    assert library_dump(db) == before
