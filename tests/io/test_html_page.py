"""Saved web pages: the article body without the page around it, and only declared metadata."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from desktop_app.io.file_reader import read_document_file
from desktop_app.io.imported import BLOCK_KINDS, ImportedDocument, ImportRefused
from desktop_app.io.readers.html_page import WHOLE_PAGE_NOTE

TESTS = Path(__file__).resolve().parents[1]
RAIL_STRIKE = TESTS / "data" / "corpus" / "rail_strike.html"
RAIL_PARAGRAPHS = [
    "Two rail unions called a 48-hour strike for next week, the first national stoppage in a "
    "decade.",
    "The operators' association said it would run a reduced timetable — roughly one train in "
    "three — on main lines.",
    "Talks broke down over a proposed 3.5% pay offer, which the unions called “an insult”.",
    "The transport minister urged both sides to return to the table & said she would not "
    "intervene <for now>.",
]
# Long enough that trafilatura recognises an article rather than a fragment.
ARTICLE = """
<p>The port reopened on Tuesday after three days of closure, harbour officials said in a
statement that blamed the storm for damage to two cranes and the main breakwater.</p>
<p>Shipping lines said they expected delays to last at least a week while the backlog of
container ships anchored offshore is cleared, and warned customers to plan for it.</p>
<p>The harbour master said the breakwater would be inspected again on Friday before larger
vessels are allowed to enter the inner basin at night.</p>
"""
ARTICLE_LINE = "The port reopened on Tuesday after three days of closure"


def write(tmp_path: Path, html: str, name: str = "page.html") -> Path:
    """Write `html` as UTF-8 to a file called `name` in the test's own folder."""
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def page(head: str = "", body: str = f"<article>{ARTICLE}</article>") -> str:
    """A complete page with `head` and `body` inside."""
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def refusal(path: Path) -> str:
    """The one-line reason read_document_file refuses `path` with."""
    with pytest.raises(ImportRefused) as caught:
        read_document_file(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


# --- the corpus page --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rail_strike() -> ImportedDocument:
    return read_document_file(RAIL_STRIKE)


def test_corpus_page_title_and_headline(rail_strike: ImportedDocument) -> None:
    assert rail_strike.title == "Rail unions call 48-hour strike"
    assert rail_strike.format == "html"
    assert rail_strike.encoding == "utf-8"
    assert rail_strike.source == str(RAIL_STRIKE.resolve())
    headline = rail_strike.blocks[0]
    assert headline.kind == "heading1"
    assert rail_strike.text[headline.start : headline.end] == "Rail unions call 48-hour strike"


def test_corpus_page_keeps_the_four_paragraphs_in_order(rail_strike: ImportedDocument) -> None:
    lines = rail_strike.text.split("\n")
    positions = [lines.index(paragraph) for paragraph in RAIL_PARAGRAPHS]
    assert positions == sorted(positions)


@pytest.mark.parametrize("entity", ["—", "&", "<for now>", "“an insult”"])
def test_corpus_page_entities_are_decoded(rail_strike: ImportedDocument, entity: str) -> None:
    assert entity in rail_strike.text


@pytest.mark.parametrize(
    "furniture",
    [
        "Front page",  # navigation
        "Log in",
        "Business",
        "Terms",  # footer
        "©",
        "Example Daily",
        "Advertisement",  # the advert inside the article
        "Subscribe",
        "analytics",  # script
        "display",  # style
        "&mdash;",  # undecoded entities
        "&amp;",
    ],
)
def test_corpus_page_drops_page_furniture(rail_strike: ImportedDocument, furniture: str) -> None:
    assert furniture not in rail_strike.text
    assert furniture not in rail_strike.title


def test_copyright_year_is_not_a_publication_date(rail_strike: ImportedDocument) -> None:
    # The corpus page's only date is "© 2026" in its footer; htmldate would guess 2026-01-01.
    assert rail_strike.published == ""


def test_copyright_footer_alone_gives_no_date(tmp_path: Path) -> None:
    html = page(body=f"<article>{ARTICLE}</article><footer>© 2026 Harbour Times</footer>")
    imported = read_document_file(write(tmp_path, html))
    assert ARTICLE_LINE in imported.text
    assert imported.published == ""


# --- metadata ---------------------------------------------------------------------------------

METADATA_HEAD = """
<meta charset="utf-8">
<title>Port reopens | Harbour Times</title>
<meta property="og:title" content="Port reopens after storm &mdash; update">
<meta property="og:site_name" content="Harbour Times">
<meta property="og:url" content="https://harbour.example/og-address">
<meta name="author" content="Ana Ruiz">
<meta property="article:published_time" content=" 2025-03-04T22:30:00+01:00 ">
<link rel="canonical" href="https://harbour.example/news/port-reopens">
"""


def test_declared_metadata_is_kept(tmp_path: Path) -> None:
    imported = read_document_file(write(tmp_path, page(METADATA_HEAD)))
    assert imported.title == "Port reopens after storm — update"
    assert imported.author == "Ana Ruiz"
    assert imported.site == "Harbour Times"
    assert imported.published == "2025-03-04"  # the date as written, not moved to UTC
    assert imported.canonical_url == "https://harbour.example/news/port-reopens"
    assert ARTICLE_LINE in imported.text


@pytest.mark.parametrize(
    ("head", "title"),
    [
        (
            '<title>Port reopens | Harbour Times</title><meta property="og:site_name" '
            'content="Harbour Times">',
            "Port reopens",
        ),
        (
            '<title>Port reopens - harbour times</title><meta property="og:site_name" '
            'content="Harbour Times">',
            "Port reopens",
        ),
        # The suffix is not the site's name: it is part of the headline.
        (
            '<title>Port reopens | Storm damage</title><meta property="og:site_name" '
            'content="Harbour Times">',
            "Port reopens | Storm damage",
        ),
        ("<title>Port reopens | Harbour Times</title>", "Port reopens | Harbour Times"),
        ("<title>\n  Port   reopens &amp; cranes\n</title>", "Port reopens & cranes"),
    ],
)
def test_title_loses_only_the_site_name_suffix(tmp_path: Path, head: str, title: str) -> None:
    assert read_document_file(write(tmp_path, page(head))).title == title


def test_title_falls_back_to_first_heading_then_file_name(tmp_path: Path) -> None:
    with_heading = page(body=f"<article><h1>Storm &amp; port</h1>{ARTICLE}</article>")
    assert read_document_file(write(tmp_path, with_heading)).title == "Storm & port"
    no_heading = write(tmp_path, page(), "harbour_news-today.html")
    assert read_document_file(no_heading).title == "harbour news today"


def test_site_falls_back_to_canonical_host(tmp_path: Path) -> None:
    head = '<link rel="Canonical" href="https://harbour.example/news/1">'
    imported = read_document_file(write(tmp_path, page(head)))
    assert imported.site == "harbour.example"
    assert imported.canonical_url == "https://harbour.example/news/1"


@pytest.mark.parametrize(
    ("head", "canonical"),
    [
        (
            '<link rel="canonical" href="/news/1"><meta property="og:url" '
            'content="http://harbour.example/1">',
            "http://harbour.example/1",
        ),
        ('<link rel="canonical" href="javascript:alert(1)">', ""),
        ('<meta property="og:url" content="file:///etc/passwd">', ""),
        ('<link rel="canonical" href="https://">', ""),
    ],
)
def test_canonical_url_must_be_absolute_http(tmp_path: Path, head: str, canonical: str) -> None:
    imported = read_document_file(write(tmp_path, page(head)))
    assert imported.canonical_url == canonical
    assert imported.site in ("", "harbour.example")


@pytest.mark.parametrize(
    ("head", "body", "published"),
    [
        ('<meta name="date" content="2024-11-05">', f"<article>{ARTICLE}</article>", "2024-11-05"),
        (
            "",
            f'<article><time datetime="2024-02-29T08:00Z">Thu</time>{ARTICLE}</article>',
            "2024-02-29",
        ),
        (
            "",
            f'<article><time datetime="2024-02-29T08:00:00.123456789Z">x</time>{ARTICLE}</article>',
            "2024-02-29",
        ),
        ('<meta property="article:published_time" content="yesterday">', "", ""),
        ('<meta property="article:published_time" content="2023-02-30">', "", ""),
        # A <time> outside the article (a clock in the page header) is not the article's date.
        (
            "",
            f'<header><time datetime="2024-01-01">Now</time></header><article>{ARTICLE}</article>',
            "",
        ),
    ],
)
def test_published_date(tmp_path: Path, head: str, body: str, published: str) -> None:
    html = page(head, body or f"<article>{ARTICLE}</article>")
    assert read_document_file(write(tmp_path, html)).published == published


@pytest.mark.parametrize(
    ("head", "author"),
    [
        ('<meta property="article:author" content="Ana Ruiz">', "Ana Ruiz"),
        (
            '<meta name="author" content="Ana  Ruiz\n"><meta property="article:author" '
            'content="Someone Else">',
            "Ana Ruiz",
        ),
        # A profile address names no one.
        ('<meta property="article:author" content="https://social.example/ana">', ""),
        ("", ""),
    ],
)
def test_author(tmp_path: Path, head: str, author: str) -> None:
    assert read_document_file(write(tmp_path, page(head))).author == author


def test_author_from_byline_when_undeclared(rail_strike: ImportedDocument) -> None:
    # trafilatura reads the corpus page's byline (class="byline") as its author.
    assert rail_strike.author == "Transport correspondent"


# --- decoding ---------------------------------------------------------------------------------

CAFE = "Café owners said “prices” will rise by €5 — blaming rent."


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="windows-1252">',
        "<meta charset=windows-1252>",
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
        # Browsers read Latin-1 labels as cp1252 (the curly quotes and € are cp1252-only).
        '<meta http-equiv="content-type" content="text/html; charset=ISO-8859-1">',
    ],
)
def test_legacy_charset_declaration_is_honoured(tmp_path: Path, declaration: str) -> None:
    html = page(f"{declaration}<title>{CAFE}</title>", f"<article><p>{CAFE}</p>{ARTICLE}</article>")
    path = tmp_path / "legacy.html"
    path.write_bytes(html.encode("cp1252"))
    imported = read_document_file(path)
    assert imported.title == CAFE
    assert CAFE in imported.text
    assert imported.encoding == "cp1252"


def test_declared_charset_wins_over_guessing(tmp_path: Path) -> None:
    # Mostly ASCII markup: undeclared, these KOI8-R bytes would be read as Western European.
    russian = "Президент встретился с премьер-министром."
    html = page('<meta charset="koi8-r">', f"<article><p>{russian}</p>{ARTICLE}</article>")
    path = tmp_path / "russian.html"
    path.write_bytes(html.encode("koi8_r"))
    imported = read_document_file(path)
    assert russian in imported.text
    assert imported.encoding == "koi8-r"


def test_byte_order_mark_wins_over_declaration(tmp_path: Path) -> None:
    html = page('<meta charset="windows-1252">', f"<article><p>{CAFE}</p>{ARTICLE}</article>")
    path = tmp_path / "bom.html"
    path.write_bytes(codecs.BOM_UTF8 + html.encode("utf-8"))
    imported = read_document_file(path)
    assert CAFE in imported.text
    assert imported.encoding == "utf-8-sig"
    assert not imported.text.startswith("\ufeff")


def test_declaration_the_bytes_break_is_not_believed(tmp_path: Path) -> None:
    html = page('<meta charset="utf-8">', f"<article><p>{CAFE}</p>{ARTICLE}</article>")
    path = tmp_path / "mislabelled.html"
    path.write_bytes(html.encode("cp1252"))
    imported = read_document_file(path)
    assert CAFE in imported.text
    assert "\ufffd" not in imported.text


@pytest.mark.parametrize("label", ["utf-7", "x-no-such-charset", "base64"])
def test_unusable_declarations_are_ignored(tmp_path: Path, label: str) -> None:
    html = page(
        f'<meta charset="{label}">', f"<article><p>{CAFE} +ADw-b+AD4-</p>{ARTICLE}</article>"
    )
    imported = read_document_file(write(tmp_path, html))
    assert f"{CAFE} +ADw-b+AD4-" in imported.text
    assert imported.encoding == "utf-8"


# --- refusals ---------------------------------------------------------------------------------


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.html"
    path.write_bytes(bytes(range(256)) * 4)
    assert refusal(path) == f"{path}: not a text file (it contains binary data)"


def test_white_space_only_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, " \n\t\r\n ")
    assert refusal(path) == f"{path}: the file is empty (it contains only white space)"


@pytest.mark.parametrize(
    "html",
    [
        page("<title>Only a title</title>", ""),
        page("", "<script>var text = 'words';</script><style>p { color: red }</style>"),
        page("", "<template><p>Never shown</p></template><noscript>Enable scripts</noscript>"),
        "<!-- a comment and nothing else -->",
    ],
)
def test_page_without_text_is_refused(tmp_path: Path, html: str) -> None:
    path = write(tmp_path, html)
    assert refusal(path) == f"{path}: has no article text to read"


# --- short pages and hostile markup -----------------------------------------------------------


def test_short_page_keeps_its_text_without_page_furniture(tmp_path: Path) -> None:
    html = page(
        "<title>Notice</title>",
        "<header>Site header</header><div><h2>Closed today</h2>The office is closed."
        "<script>track()</script></div><footer>Footer</footer>",
    )
    imported = read_document_file(write(tmp_path, html))
    assert imported.text == "Closed today\nThe office is closed."
    assert imported.blocks[0].kind == "heading2"
    assert imported.title == "Notice"


def test_page_of_links_falls_back_to_its_whole_body(tmp_path: Path) -> None:
    # trafilatura finds no article in a page that is all links (an index page).
    html = page(
        "",
        "<header><a href='/'>Site header</a></header>"
        "<div><a href='/a'>Port reopens</a><br><a href='/b'>Rail strike called</a></div>"
        "<script>track()</script><footer><a href='/terms'>Terms</a></footer>",
    )
    imported = read_document_file(write(tmp_path, html, "index.html"))
    assert imported.text == "Port reopens\nRail strike called"
    assert imported.notes == (WHOLE_PAGE_NOTE,)
    assert imported.title == "index"


def test_article_page_has_no_fallback_note(tmp_path: Path) -> None:
    assert read_document_file(write(tmp_path, page())).notes == ()


HOSTILE_FRAGMENTS = """
<script>alert(1)</script>
<img src="http://127.0.0.1:9/x.png" onerror="alert(2)" alt="">
<iframe src="http://127.0.0.1:9/frame">iframe fallback</iframe>
<style>@import url(http://127.0.0.1:9/s.css); p { color: red }</style>
<a href="javascript:alert(3)" onclick="alert(4)">click</a>
<form action="http://127.0.0.1:9/post"><input name="q" value="form value">
<button>Send</button></form>
<object data="http://127.0.0.1:9/obj.swf">object fallback</object>
<embed src="http://127.0.0.1:9/embed">
<svg onload="alert(5)"><text>svg text</text></svg>
<noscript>noscript text</noscript>
<template><p>template text</p></template>
"""
FORBIDDEN = [
    "alert",
    "onload",
    "onerror",
    "onclick",
    "javascript",
    "127.0.0.1",
    "http",
    "@import",
    "url(",
    "color",
    "iframe fallback",
    "object fallback",
    "form value",
    "Send",
    "svg text",
    "noscript text",
    "template text",
    "<",
    ">",
]


@pytest.mark.parametrize(
    "article",
    [ARTICLE, "<a href='/more'>Visible words stay.</a>"],
    # A page whose only text is links is one trafilatura finds no article in.
    ids=["trafilatura", "whole-body"],
)
def test_hostile_page_leaves_nothing_executable(tmp_path: Path, article: str) -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Hostile page</title>"
        '<link rel="stylesheet" href="http://127.0.0.1:9/style.css">'
        "<script>alert(0)</script></head>"
        f'<body onload="alert(6)"><div><a href="/">Hostile page</a>{HOSTILE_FRAGMENTS}'
        f"{article}</div></body></html>"
    )
    imported = read_document_file(write(tmp_path, html))
    assert imported.title == "Hostile page"
    for forbidden in FORBIDDEN:
        assert forbidden not in imported.text, forbidden
        assert forbidden not in imported.title, forbidden
    assert all(block.kind in BLOCK_KINDS for block in imported.blocks)
    if article == ARTICLE:
        assert ARTICLE_LINE in imported.text
        assert imported.notes == ()
    else:
        assert imported.notes == (WHOLE_PAGE_NOTE,)
        assert "Visible words stay." in imported.text
        assert "click" in imported.text  # a link's words are text like any other


def test_blocks_still_match_the_text_when_a_line_opens_with_a_byte_order_mark() -> None:
    from desktop_app.io.readers.html_page import extract_page

    page = extract_page(
        "<html><body><h2>&#xFEFF;Breaking 😀 news</h2><p>&#xFEFF;Second para.</p>"
        "<h3>Third</h3></body></html>"
    )
    assert page.text == "Breaking 😀 news\nSecond para.\nThird"
    assert [(page.text[b.start : b.end], b.kind) for b in page.blocks] == [
        ("Breaking 😀 news", "heading2"),
        ("Third", "heading3"),
    ]
