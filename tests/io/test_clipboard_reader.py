"""Pasting from the clipboard: HTML first, plain text otherwise, never an empty document."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.io.imported import BLOCK_KINDS
from desktop_app.io.readers.clipboard import (
    TITLE_LENGTH,
    EmptyClipboard,
    first_line_title,
    from_clipboard,
)

RAIL_STRIKE = Path(__file__).resolve().parents[1] / "data" / "corpus" / "rail_strike.html"

# What a browser puts on the clipboard for a selected passage: inline styles, no page around it.
SELECTION = """<html><body><!--StartFragment--><h2 style="font-size: 2em">Port reopens after
storm</h2><p style="color: #333">The port reopened on Tuesday after three days of closure,
officials said.</p><p>Shipping lines expect delays to last a week &mdash; or longer.</p>
<!--EndFragment--></body></html>"""


def test_html_selection_is_kept_whole_with_its_heading() -> None:
    pasted = from_clipboard(SELECTION, "plain version")
    assert pasted.text == (
        "Port reopens after storm\n"
        "The port reopened on Tuesday after three days of closure, officials said.\n"
        "Shipping lines expect delays to last a week — or longer."
    )
    assert pasted.title == "Port reopens after storm"
    assert pasted.format == "html"
    assert pasted.source == "clipboard"
    assert [(block.start, block.end, block.kind) for block in pasted.blocks] == [
        (0, 24, "heading2")
    ]


def test_html_title_prefers_the_page_title() -> None:
    html = '<html><head><meta property="og:title" content="Harbour news"></head>' + SELECTION
    assert from_clipboard(html, None).title == "Harbour news"
    html = "<html><head><title>Port &amp; storm</title></head><body><p>Words.</p></body></html>"
    assert from_clipboard(html, None).title == "Port & storm"


def test_html_without_heading_takes_its_first_line_as_title() -> None:
    html = "<p>" + "Officials said the port would reopen on Tuesday " * 4 + "</p><p>Second.</p>"
    pasted = from_clipboard(html, None)
    assert pasted.title.startswith("Officials said the port would reopen on Tuesday Officials")
    assert len(pasted.title) <= TITLE_LENGTH
    assert pasted.title.endswith("…")


def test_a_whole_copied_page_loses_its_furniture() -> None:
    html = RAIL_STRIKE.read_text(encoding="utf-8")
    pasted = from_clipboard(html, None)
    assert pasted.title == "Rail unions call 48-hour strike"
    assert "which the unions called “an insult”." in pasted.text
    for furniture in ("Front page", "Log in", "Terms", "©", "Advertisement", "analytics"):
        assert furniture not in pasted.text


def test_page_metadata_is_kept_when_the_clipboard_has_it() -> None:
    html = (
        '<html><head><meta name="author" content="Ana Ruiz">'
        '<link rel="canonical" href="https://harbour.example/news/1"></head>'
        "<body><p>Port reopens.</p></body></html>"
    )
    pasted = from_clipboard(html, None)
    assert (pasted.author, pasted.site, pasted.canonical_url) == (
        "Ana Ruiz",
        "harbour.example",
        "https://harbour.example/news/1",
    )


def test_plain_text_is_normalised_and_titled_by_its_first_line() -> None:
    pasted = from_clipboard(None, "\r\n  Port reopens  after storm \r\nSecond line.\rThird.")
    assert pasted.text == "\n  Port reopens  after storm \nSecond line.\nThird."
    assert pasted.title == "Port reopens after storm"
    assert pasted.format == "text"
    assert pasted.source == "clipboard"
    assert pasted.blocks == ()


def test_html_without_text_falls_back_to_plain_text() -> None:
    html = "<html><body><script>alert(1)</script><img src=x></body></html>"
    pasted = from_clipboard(html, "The plain words.")
    assert pasted.text == "The plain words."
    assert pasted.format == "text"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (None, None),
        ("", ""),
        ("  \n", " \t\r\n"),
        ("<p> </p><script>alert(1)</script>", None),
        (None, "\ufeff"),
    ],
)
def test_nothing_usable_is_an_empty_clipboard(html: str | None, text: str | None) -> None:
    with pytest.raises(EmptyClipboard) as caught:
        from_clipboard(html, text)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == "The clipboard holds no text."


def test_fragment_with_scripts_and_handlers_leaves_nothing_executable() -> None:
    html = (
        '<div onmouseover="alert(1)"><script>alert(2)</script>'
        '<p onclick="alert(3)">Hello <img src="http://127.0.0.1:9/x.png" onerror="alert(4)">'
        '<a href="javascript:alert(5)">click</a> there</p>'
        "<style>p { background: url(http://127.0.0.1:9/y.png) }</style>"
        '<iframe src="javascript:alert(6)">frame text</iframe>'
        '<svg onload="alert(7)"><text>svg text</text></svg>'
        "<noscript>noscript text</noscript><template>template text</template></div>"
    )
    pasted = from_clipboard(html, None)
    assert pasted.text == "Hello click there"
    assert pasted.title == "Hello click there"
    assert all(block.kind in BLOCK_KINDS for block in pasted.blocks)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("\n\n  First   line \nsecond", "First line"),
        ("x" * 200, "x" * (TITLE_LENGTH - 1) + "…"),
        ("word " * 40, ("word " * 16).strip() + "…"),
        ("   ", "Untitled"),
    ],
)
def test_first_line_title(text: str, title: str) -> None:
    assert first_line_title(text) == title
    assert len(first_line_title(text)) <= TITLE_LENGTH
