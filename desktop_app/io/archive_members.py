"""Zip archives from elsewhere (.qdpx, .epub, .docx): each member unpacked as a bounded stream.

`zipfile` believes the sizes an archive declares, and it unpacks bzip2 and LZMA members a whole
read at a time, deflate ones up to 2 GB at a time, however far they grow: a 6 KB member that
declares a few bytes can take gigabytes before its checksum is ever compared. Here a member's
compressed bytes are read from behind its local header and unpacked one small piece at a time,
counting what actually comes out. A member is refused the moment it yields more than it
declares, and before it is unpacked at all if it is encrypted, uses a method we do not know,
or declares a size out of all proportion to its compressed size (a zip bomb that tells the
truth). At the end its size and CRC-32 must match what it declares.

A member that passes has proven its declared size, so callers cap an archive by the sum of the
declared sizes, and a library (EbookLib, python-docx) that reads a verified archive afterwards
through `zipfile` reads no more than that: every one of its unpacking calls is bounded by the
member's whole output.
"""

from __future__ import annotations

import bz2
import lzma
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, Protocol

# A member may come out this many times larger than it is packed. Text and XML pack 3 to 20
# times; Apache POI refuses Office files beyond 100 times, and so do we.
MAX_RATIO = 100
# Below this a member is too small to matter, whatever its ratio (a tiny, very regular part).
RATIO_GRACE = 1024 * 1024

ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,  # an unsupported compression method
    RuntimeError,  # a member encrypted with a zip password
)
"""What `zipfile` raises for a damaged archive, opening it or reading a member."""

_PIECE = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_NAME_LENGTH, _EXTRA_LENGTH = 10, 11
_ENCRYPTED, _PATCHED, _STRONG_ENCRYPTION = 0x01, 0x20, 0x40
_LZMA_PROPERTIES = 5
# An LZMA member names the dictionary its decoder allocates; one larger than both the member
# and this is never needed, only a way to make the reader allocate it.
_LZMA_DICTIONARY_FLOOR = 64 * 1024 * 1024
_MIN_LZMA_DICTIONARY = 4096
_SHOWN_NAME = 120


class ArchiveRefused(Exception):
    """A member (or the whole archive) that must not be unpacked, with a one-line reason.

    `str(error)` reads "cannot unpack NAME: REASON" for a member, or just the reason for the
    archive as a whole; names are shown on one line, however they are spelled.
    """

    def __init__(self, reason: str, member: str | None = None) -> None:
        shown = reason if member is None else f"cannot unpack {shown_name(member)}: {reason}"
        super().__init__(shown)
        self.reason = reason
        self.member = member


def shown_name(name: str) -> str:
    """A member's name for a one-line message: control characters escaped, long names cut."""
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in name)
    return shown if len(shown) <= _SHOWN_NAME else shown[: _SHOWN_NAME - 1] + "…"


def verify_archive(archive: zipfile.ZipFile, limit: int) -> None:
    """Refuse an archive that declares more than `limit` bytes, or any member that lies.

    Every member is unpacked and thrown away, so memory stays at one piece whatever it holds.
    """
    members = archive.infolist()
    if sum(member.file_size for member in members) > limit:
        raise ArchiveRefused(f"unpacks to more than {limit // (1024 * 1024)} MB (or it is damaged)")
    for member in members:
        for _piece in unpacked_pieces(archive, member):
            pass


def member_bytes(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than it declares (the caller caps the declared sizes)."""
    return b"".join(unpacked_pieces(archive, member))


def unpacked_pieces(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes in pieces of at most 64 KB; ArchiveRefused as soon as it lies."""
    name, declared = member.filename, member.file_size
    decoder = _decoder_for(member)
    produced = 0
    crc = 0
    try:
        for packed in _packed_pieces(archive, member):
            data = packed
            while not decoder.eof:
                piece = decoder.decompress(data, _PIECE)
                data = b""
                produced += len(piece)
                if produced > declared:
                    raise ArchiveRefused(
                        f"it unpacks to more than the {declared:,} bytes it declares "
                        "(a zip bomb, or a damaged archive)",
                        name,
                    )
                crc = zlib.crc32(piece, crc)
                if piece:
                    yield piece
                if decoder.needs_input:
                    break
            if decoder.eof:
                break
    except (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError):
        # bz2 reports bad data as OSError, lzma as LZMAError, zlib as zlib.error.
        raise ArchiveRefused("its compressed data is damaged", name) from None
    if produced != declared:
        raise ArchiveRefused(
            f"it unpacks to {produced:,} bytes, not the {declared:,} it declares "
            "(the archive is damaged)",
            name,
        )
    if crc != member.CRC:
        raise ArchiveRefused("its checksum does not match (the archive is damaged)", name)


class _Decoder(Protocol):
    """What bz2.BZ2Decompressor and lzma.LZMADecompressor offer, and our adapters copy."""

    @property
    def eof(self) -> bool: ...

    @property
    def needs_input(self) -> bool: ...

    def decompress(self, data: bytes, max_length: int = -1) -> bytes: ...


def _decoder_for(member: zipfile.ZipInfo) -> _Decoder:
    """A decoder for the member's method, after the checks that need no unpacking."""
    name, declared, packed = member.filename, member.file_size, member.compress_size
    if member.flag_bits & (_ENCRYPTED | _STRONG_ENCRYPTION):
        raise ArchiveRefused("it is encrypted", name)
    if member.flag_bits & _PATCHED:
        raise ArchiveRefused("it holds patch data, which Claimmark cannot unpack", name)
    method = member.compress_type
    if method == zipfile.ZIP_STORED:
        if packed != declared:
            raise ArchiveRefused(
                f"it declares {declared:,} bytes but stores {packed:,} "
                "(a zip bomb, or a damaged archive)",
                name,
            )
        return _Stored()
    if declared > RATIO_GRACE and declared > MAX_RATIO * packed:
        ratio = declared // max(packed, 1)
        raise ArchiveRefused(
            f"it declares {declared:,} bytes packed into {packed:,}, {ratio:,} times smaller, "
            f"more than the {MAX_RATIO} times real documents pack (a zip bomb)",
            name,
        )
    if method == zipfile.ZIP_DEFLATED:
        return _Deflated()
    if method == zipfile.ZIP_BZIP2:
        return bz2.BZ2Decompressor()
    if method == zipfile.ZIP_LZMA:
        return _ZipLzma(name, declared)
    raise ArchiveRefused(
        f"it uses compression method {method}, which Claimmark cannot unpack", name
    )


def _packed_pieces(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's compressed bytes, found as `zipfile` finds them, in pieces of 64 KB."""
    source: IO[bytes] | None = archive.fp
    if source is None:
        raise RuntimeError("the archive was closed before its members were read")  # a bug
    source.seek(member.header_offset)
    header = source.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise ArchiveRefused("its header is missing (the archive is damaged)", member.filename)
    fields = _LOCAL_HEADER.unpack(header)
    position = member.header_offset + _LOCAL_HEADER.size
    position += fields[_NAME_LENGTH] + fields[_EXTRA_LENGTH]
    left = member.compress_size
    while left > 0:
        # Seek each time: the caller may read other members between our pieces.
        source.seek(position)
        packed = source.read(min(left, _PIECE))
        if not packed:
            raise ArchiveRefused("the archive ends inside it (it is damaged)", member.filename)
        position += len(packed)
        left -= len(packed)
        yield packed


class _Stored:
    """A stored member: its bytes are its content (each piece is already at most 64 KB)."""

    eof = False
    needs_input = True

    def decompress(self, data: bytes, max_length: int = -1) -> bytes:
        return data


class _Deflated:
    """zlib's raw inflater with the needs_input of the bz2 and lzma decompressors."""

    def __init__(self) -> None:
        self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        self._full = False

    @property
    def eof(self) -> bool:
        return self._inflater.eof

    @property
    def needs_input(self) -> bool:
        # A full piece may leave output inside zlib even when all input was taken.
        return not self._inflater.unconsumed_tail and not self._full

    def decompress(self, data: bytes, max_length: int = -1) -> bytes:
        piece = self._inflater.decompress(self._inflater.unconsumed_tail + data, max_length)
        self._full = len(piece) == max_length
        return piece


class _ZipLzma:
    """LZMA as zip stores it: version, properties size, LZMA1 properties, then raw data."""

    def __init__(self, name: str, declared: int) -> None:
        self._name = name
        self._declared = declared
        self._header = b""
        self._decoder: lzma.LZMADecompressor | None = None

    @property
    def eof(self) -> bool:
        return self._decoder is not None and self._decoder.eof

    @property
    def needs_input(self) -> bool:
        return self._decoder is None or self._decoder.needs_input

    def decompress(self, data: bytes, max_length: int = -1) -> bytes:
        if self._decoder is None:
            self._header += data
            start = 4 + _LZMA_PROPERTIES
            if len(self._header) < start:
                return b""
            if struct.unpack("<H", self._header[2:4])[0] != _LZMA_PROPERTIES:
                raise ValueError("not LZMA1 properties")
            self._decoder = lzma.LZMADecompressor(
                lzma.FORMAT_RAW, filters=[self._filter(self._header[4:start])]
            )
            data = self._header[start:]
            self._header = b""
        return self._decoder.decompress(data, max_length)

    def _filter(self, properties: bytes) -> dict[str, int]:
        """The LZMA1 filter the properties describe, its dictionary no larger than needed."""
        packed, dictionary = properties[0], int.from_bytes(properties[1:], "little")
        if packed >= 9 * 5 * 5:
            raise ValueError("bad LZMA properties")
        if dictionary > max(self._declared, _LZMA_DICTIONARY_FLOOR):
            raise ArchiveRefused(
                f"it asks for a {dictionary:,}-byte LZMA dictionary to unpack "
                f"{self._declared:,} bytes (a zip bomb, or a damaged archive)",
                self._name,
            )
        # No back-reference reaches before the start, so a member never needs a dictionary
        # larger than what it declares; a liar then fails as damaged data.
        dictionary = max(min(dictionary, self._declared), _MIN_LZMA_DICTIONARY)
        literal_context, rest = packed % 9, packed // 9
        return {
            "id": lzma.FILTER_LZMA1,
            "dict_size": dictionary,
            "lc": literal_context,
            "lp": rest % 5,
            "pb": rest // 5,
        }
