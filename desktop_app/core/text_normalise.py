"""Normalising a document's text once, on import, so that every offset stays valid forever."""

BYTE_ORDER_MARK = "\ufeff"


def normalise_text(raw: str) -> str:
    """Return `raw` with line endings as `\\n` and no leading byte-order mark.

    The stored text is the truth every anchor counts against, so this runs exactly once, on
    import; running it again is harmless (it is idempotent) but never changes stored text.
    """
    text = raw[1:] if raw.startswith(BYTE_ORDER_MARK) else raw
    return text.replace("\r\n", "\n").replace("\r", "\n")
