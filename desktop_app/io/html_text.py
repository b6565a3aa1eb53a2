"""Flattening HTML into Claimmark's document text: one paragraph a line, no markup, with each
paragraph's role (heading, list item, quote, code) kept beside the text as blocks for display.

Used for rendered Markdown, for the body extracted from a web page, for e-book chapters and for
HTML pasted from the clipboard. The standard library's tolerant `HTMLParser` does the parsing,
never regular expressions over markup; nothing here can fetch anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.imported import Block

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
_LEADING_MARKS = "\ufeff\ufffe"
_HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass(frozen=True, slots=True)
class FlatText:
    """Text of an HTML fragment, one paragraph a line, with the blocks that are not plain."""

    text: str
    blocks: tuple[Block, ...]
    first_heading: str | None


def html_to_text(html: str) -> FlatText:
    """Flatten an HTML document or fragment into lines and blocks (no blank lines)."""
    builder = _PlainTextBuilder()
    builder.feed(html)
    builder.close()
    blocks: list[Block] = []
    offset = 0
    lines: list[str] = []
    for line, kind in builder.paragraphs:
        if kind != "paragraph":
            blocks.append(Block(offset, offset + len(line), kind))
        lines.append(line)
        offset += len(line) + 1
    return FlatText("\n".join(lines), tuple(blocks), builder.first_heading)


class _PlainTextBuilder(HTMLParser):
    """Collects the paragraphs of an HTML fragment as plain lines, the way a reader sees them.

    Block elements end the current paragraph; inline elements (emphasis, links, code) just let
    their text flow into it. A list item's marker waits until the item's first line of text,
    so that loose lists (`<li><p>...`) still get exactly one marker.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[tuple[str, str]] = []
        self.first_heading: str | None = None
        self._pieces: list[str] = []
        self._pending_marker: str | None = None
        # One entry per open list: None for a bulleted list, else the next item's number.
        self._lists: list[int | None] = []
        self._pre_depth = 0
        self._dropped_depth = 0
        self._heading_starts_at: int | None = None
        self._heading_level: int | None = None
        self._quote_depth = 0
        self._item_depth = 0

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
            self._item_depth += 1
        elif tag == "pre":
            self._pre_depth += 1
        elif tag == "blockquote":
            self._quote_depth += 1
        elif tag in _HEADING_TAGS:
            self._heading_level = int(tag[1])
            if self.first_heading is None and self._heading_starts_at is None:
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
            self._item_depth = max(0, self._item_depth - 1)
        elif tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
        elif tag == "blockquote":
            self._quote_depth = max(0, self._quote_depth - 1)
        elif tag in _HEADING_TAGS:
            self._heading_level = None
            if self._heading_starts_at is not None:
                lines = self.paragraphs[self._heading_starts_at :]
                heading = " ".join(line for line, _kind in lines).strip()
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
        # A byte-order mark opening a line is junk, and at the start of the text Qt would drop it
        # (normalise_text strips it there): remove it now, before block offsets are counted.
        lines = [line.lstrip(_LEADING_MARKS) for line in lines]
        lines = [line for line in lines if line.strip()]
        if not lines:
            return
        if self._pending_marker:
            lines[0] = self._pending_marker + lines[0]
            self._pending_marker = None
        kind = self._kind()
        self.paragraphs.extend((line, kind) for line in lines)

    def _kind(self) -> str:
        """The role of the paragraph being ended, innermost structure first."""
        if self._heading_level is not None:
            return f"heading{self._heading_level}"
        if self._pre_depth:
            return "preformatted"
        if self._item_depth:
            return "list_item"
        if self._quote_depth:
            return "quote"
        return "paragraph"

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
