"""Normalising a document's text once, on import, so that every offset stays valid forever."""

BYTE_ORDER_MARK = "\ufeff"
# U+FFFE is a byte-order mark read with the wrong byte order. Qt (through PySide6) treats either
# at the very start of a string as a BOM and drops it, or byte-swaps the text: so none may lead.
_LEADING_MARKS = BYTE_ORDER_MARK + "\ufffe"


def normalise_text(raw: str) -> str:
    """Return `raw` with line endings as `\\n` and no leading byte-order marks.

    The stored text is the truth every anchor counts against, so this runs exactly once, on
    import; running it again is harmless (it is idempotent) but never changes stored text.
    """
    text = raw.lstrip(_LEADING_MARKS)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_normalised(text: str) -> bool:
    """True when `normalise_text(text) == text`, without building a copy of the text.

    Storage checks every text it is given with this, so it must stay cheap on a 20 MB article:
    one scan for a carriage return and a look at the first character.
    """
    return "\r" not in text and not text.startswith(tuple(_LEADING_MARKS))
