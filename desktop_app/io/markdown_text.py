"""Turning Markdown into the plain text Claimmark stores: one paragraph a line, no markup.

The reader treats every line of a document's text as a paragraph and counts anchors in code
points of that text, so the text must carry no syntax at all. The `markdown` package, which knows
Markdown's many rules, renders the source to HTML; the HTML is then flattened by html_text, which
keeps headings, list items, quotes and code as blocks for display.
"""

from __future__ import annotations

import markdown

from desktop_app.io.html_text import FlatText, html_to_text


def render_markdown(source: str) -> FlatText:
    """Render Markdown `source` to document text and display blocks.

    Deeply nested input can make the renderer raise RecursionError; the caller decides what that
    means for the user.
    """
    return html_to_text(markdown.markdown(source, extensions=["tables"]))


def markdown_to_text(source: str) -> tuple[str, str | None]:
    """Render Markdown `source` to plain document text, one paragraph a line.

    Returns the text (no blank lines, stripped at both ends) and the text of the first non-empty
    heading, or None when there is none, so the caller can use it as the document's title.
    """
    flat = render_markdown(source)
    return flat.text.strip(), flat.first_heading
