"""Pasting an article (Ctrl+Shift+V): the clipboard's HTML when it has readable text, else its
plain text.

HTML is preferred because it keeps headings, lists and quotes, and a browser's copy of a whole
page carries its title and metadata. It goes through the same extraction as a saved page
(desktop_app.io.readers.html_page), so a pasted page is read like a saved one and a pasted
script never becomes text; a passage selected from a page is kept whole, since the reader
chose every word of it.
"""

from __future__ import annotations

from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.imported import ImportedDocument
from desktop_app.io.readers.html_page import extract_page

SOURCE = "clipboard"
TITLE_LENGTH = 80


class EmptyClipboard(ValueError):
    """The clipboard holds nothing to import: no text, or only white space."""

    def __init__(self) -> None:
        super().__init__("The clipboard holds no text.")


def from_clipboard(html: str | None, text: str | None) -> ImportedDocument:
    """The clipboard's contents as a document; raise EmptyClipboard when there is no text.

    `html` and `text` are what the clipboard offers as text/html and text/plain (None when it
    offers no such format).
    """
    if html and html.strip():
        page = extract_page(html, selection=True)
        if page.text.strip():
            return ImportedDocument(
                title=page.title or first_line_title(page.text),
                source=SOURCE,
                text=page.text,
                format="html",
                author=page.author,
                site=page.site,
                published=page.published,
                canonical_url=page.canonical_url,
                blocks=page.blocks,
            )
    plain = normalise_text(text or "")
    if not plain.strip():
        raise EmptyClipboard
    return ImportedDocument(title=first_line_title(plain), source=SOURCE, text=plain, format="text")


def first_line_title(text: str) -> str:
    """The first line with text on it, on one line and at most TITLE_LENGTH characters.

    A longer line is cut at a word boundary where there is one, and ends with an ellipsis so
    that the cut shows.
    """
    line = next((line for line in text.split("\n") if line.strip()), "")
    title = " ".join(line.split())
    if len(title) <= TITLE_LENGTH:
        return title or "Untitled"
    cut = title[: TITLE_LENGTH - 1]
    if title[len(cut)] != " " and " " in cut:  # the cut falls inside a word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"
