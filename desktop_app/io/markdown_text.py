"""Turning Markdown into the plain text Claimmark stores: one paragraph a line, no markup.

The reader treats every line of a document's text as a paragraph and counts anchors in code
points of that text, so the text must carry no syntax at all. The `markdown` package, which knows
Markdown's many rules, renders the source to HTML; the HTML is then flattened here with the
standard library's tolerant `HTMLParser`, never with regular expressions over markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown

from desktop_app.core.text_normalise import normalise_text

BULLET = "• "
CELL_SEPARATOR = " | "

_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tr",
        "ul",
    }
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Content a browser never shows as text; raw HTML in Markdown passes straight through the renderer.
_DROPPED_TAGS = frozenset({"script", "style", "template"})
# HTML collapses only ASCII white space: a no-break space is the author's content and stays.
_HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


def markdown_to_text(source: str) -> tuple[str, str | None]:
    """Render Markdown `source` to plain document text, one paragraph a line.

    Returns the text (no blank lines, stripped at both ends) and the text of the first non-empty
    heading, or None when there is none, so the caller can use it as the document's title.
    Deeply nested input can make the renderer raise RecursionError; the caller decides what that
    means for the user.
    """
    builder = _PlainTextBuilder()
    builder.feed(markdown.markdown(source))
    builder.close()
    return "\n".join(builder.paragraphs).strip(), builder.first_heading


class _PlainTextBuilder(HTMLParser):
    """Collects the paragraphs of an HTML fragment as plain lines, the way a reader sees them.

    Block elements end the current paragraph; inline elements (emphasis, links, code) just let
    their text flow into it. A list item's marker waits until the item's first line of text,
    so that loose lists (`<li><p>...`) still get exactly one marker.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.first_heading: str | None = None
        self._pieces: list[str] = []
        self._pending_marker: str | None = None
        # One entry per open list: None for a bulleted list, else the next item's number.
        self._lists: list[int | None] = []
        self._pre_depth = 0
        self._dropped_depth = 0
        self._heading_starts_at: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element: maybe end the paragraph, start a list, or add alt text."""
        if tag in _DROPPED_TAGS:
            self._dropped_depth += 1
            return
        if self._dropped_depth:
            return
        if tag == "br":
            self._line_break()
            return
        if tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self._pieces.append(f"[{alt}]")
            return
        if tag in ("td", "th"):
            # Cells are inline within their row; without a separator their words would merge.
            if any(piece.strip() for piece in self._pieces):
                self._pieces.append(CELL_SEPARATOR)
            return
        if tag in _BLOCK_TAGS:
            self._end_paragraph()
        if tag == "ul":
            self._lists.append(None)
        elif tag == "ol":
            self._lists.append(_start_number(attrs))
        elif tag == "li":
            self._pending_marker = self._next_marker()
        elif tag == "pre":
            self._pre_depth += 1
        elif (
            tag in _HEADING_TAGS and self.first_heading is None and self._heading_starts_at is None
        ):
            self._heading_starts_at = len(self.paragraphs)

    def handle_endtag(self, tag: str) -> None:
        """Close an element: end its paragraph and undo what its start tag opened."""
        if tag in _DROPPED_TAGS:
            self._dropped_depth = max(0, self._dropped_depth - 1)
            return
        if self._dropped_depth:
            return
        if tag in _BLOCK_TAGS:
            # Before `pre` is closed below, so that its text is still kept verbatim.
            self._end_paragraph()
        if tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
        elif tag == "li":
            self._pending_marker = None
        elif tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
        elif tag in _HEADING_TAGS and self._heading_starts_at is not None:
            heading = " ".join(self.paragraphs[self._heading_starts_at :]).strip()
            self.first_heading = heading or None
            self._heading_starts_at = None

    def handle_data(self, data: str) -> None:
        """Text (entities already decoded) flows into the current paragraph."""
        if not self._dropped_depth:
            self._pieces.append(data)

    def close(self) -> None:
        """Finish parsing and keep the text after the last block element too."""
        super().close()
        self._end_paragraph()

    def _line_break(self) -> None:
        # Every line is a paragraph to the reader, so outside `pre` a <br> simply ends one.
        if self._pre_depth:
            self._pieces.append("\n")
        else:
            self._end_paragraph()

    def _end_paragraph(self) -> None:
        raw = "".join(self._pieces)
        self._pieces.clear()
        if self._pre_depth:
            # Keep code as written (indentation included) but never emit a blank line.
            lines = [line.rstrip() for line in normalise_text(raw).split("\n")]
            lines = [line for line in lines if line.strip()]
        else:
            collapsed = _HTML_WHITESPACE.sub(" ", raw).strip(" ")
            lines = [collapsed] if collapsed.strip() else []
        if not lines:
            return
        if self._pending_marker:
            lines[0] = self._pending_marker + lines[0]
            self._pending_marker = None
        self.paragraphs.extend(lines)

    def _next_marker(self) -> str:
        if not self._lists or self._lists[-1] is None:
            return BULLET
        number = self._lists[-1]
        self._lists[-1] = number + 1
        return f"{number}. "


def _start_number(attrs: list[tuple[str, str | None]]) -> int:
    """The first number of an ordered list: its `start` attribute when that is a number."""
    try:
        return int(dict(attrs).get("start") or 1)
    except ValueError:
        return 1
