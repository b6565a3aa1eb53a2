"""Turning the bytes of a text file into text: byte-order marks first, then UTF-8, then a
detector for legacy encodings; and telling text from binary data.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.imported import ImportRefused

# Byte-order marks in the order they are tested: (mark, codec for the rest, name we report).
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
# Unicode category Cc (C0, DEL, C1) minus the controls real text uses: \t \n \f \r.
_UNEXPECTED_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Real text has a stray escape or form feed at most; random bytes are ~24% controls.
_MAX_CONTROL_SHARE = 0.10
# Share of ASCII bytes above which a non-UTF-8 file is taken for Western European text.
_WESTERN_ASCII_SHARE = 0.7


class UndecodableText(ValueError):
    """Bytes that declare an encoding with a byte-order mark but break it.

    The message is the reason alone, without a file name: `decode_text` never sees one.
    """


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return the text (no byte-order mark) and the encoding's name.

    A byte-order mark is the file's own declaration, so it wins and is held to strictly: bytes
    that break it raise UndecodableText rather than fall through to a guess that would store
    mojibake. Without a mark: strict UTF-8, which almost never accepts a legacy file by
    accident. Then, for text that is mostly ASCII, cp1252 (the superset of Latin-1 that Windows
    editors write) or Latin-1, which maps every byte and so never fails; for the rest, the
    encoding charset-normalizer recognises (KOI8-R, Shift JIS, Windows-1251...).
    """
    for mark, codec, name in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(codec), name
            except UnicodeDecodeError:
                label = codec.removesuffix("-le").removesuffix("-be").upper()
                raise UndecodableText(
                    f"it starts with a {label} byte-order mark but is not valid {label}"
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly ASCII with a few accented letters or curly quotes: Western European text, where
    # detectors are least sure (a short cp1252 text can look like anything to them).
    if _ascii_share(data) >= _WESTERN_ASCII_SHARE:
        return _western(data)
    guessed = _detect_legacy(data)
    return guessed if guessed is not None else _western(data)


def _ascii_share(data: bytes) -> float:
    return sum(1 for byte in data if byte < 0x80) / len(data) if data else 1.0


def _western(data: bytes) -> tuple[str, str]:
    """cp1252 (what Windows editors write), else Latin-1, which decodes every byte."""
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _detect_legacy(data: bytes) -> tuple[str, str] | None:
    """A legacy encoding chosen by charset-normalizer (cp1252, Latin-1, KOI8-R, Shift JIS...)."""
    from charset_normalizer import from_bytes  # ~20 ms to import: only for non-UTF-8 files

    best = from_bytes(data).best()
    if best is None or best.encoding in ("utf_8", "utf_16", "utf_32", "ascii"):
        return None
    return str(best), best.encoding.replace("_", "-")


def looks_binary(text: str) -> bool:
    """True for decoded content no one wrote as text: NUL characters or many control codes.

    Checked on the decoded text, so a NUL byte in a UTF-8 or legacy file counts, while the
    zero bytes that UTF-16 puts in every ASCII character do not.
    """
    if "\x00" in text:
        return True
    controls = len(text) - len(_UNEXPECTED_CONTROLS.sub("", text))
    return controls > len(text) * _MAX_CONTROL_SHARE


def text_or_refuse(path: Path, data: bytes) -> tuple[str, str]:
    """Decoded, normalised text of a text-like file and its encoding, or ImportRefused."""
    try:
        raw, encoding = decode_text(data)
    except UndecodableText as error:
        raise ImportRefused(path, f"cannot be decoded ({error})") from None
    if looks_binary(raw):
        raise ImportRefused(path, "not a text file (it contains binary data)")
    text = normalise_text(raw)
    if not text.strip():
        raise ImportRefused(path, "the file is empty (it contains only white space)")
    return text, encoding
