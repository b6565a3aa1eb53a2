"""Saved web pages: the article body (found by trafilatura) and the metadata the page declares.

A saved page is mostly not the article: menus, adverts, footers and scripts surround it, so
trafilatura picks the body out and `html_to_text` flattens it. The metadata comes only from the
page's own tags, never from a guess: a publication date read off "© 2026" would be stored as a
fact. Nothing is fetched: every library is handed a parsed tree, never a string (htmldate
downloads a string that looks like a URL), and the parser has the network switched off.
"""

from __future__ import annotations

import codecs
import copy
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.html_text import FlatText, html_to_text
from desktop_app.io.imported import Block, ImportedDocument, ImportRefused
from desktop_app.io.readers import title_from_name
from desktop_app.io.text_decoding import UndecodableText, decode_text, looks_binary

# Where the HTML standard's prescan looks for a <meta> charset declaration.
_PRESCAN_BYTES = 4096
_BYTE_ORDER_MARKS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Browsers read these labels as Windows-1252 (a page "in Latin-1" is nearly always cp1252).
_READ_AS_CP1252 = frozenset({"ascii", "iso8859-1"})
# Labels browsers refuse (UTF-7 smuggles markup past filters) or that are not text encodings
# a page can be written in; a declaration of one is ignored and the bytes are sniffed instead.
_REFUSED_CODECS = frozenset(
    {"utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined"}
)
# What a browser never shows as text; trafilatura keeps a <template>'s content, for one.
_NEVER_SHOWN = ("script", "style", "template", "noscript", "iframe")
# What a browser never shows as the article when the whole body has to be flattened.
_NOT_CONTENT = (
    "head",
    "script",
    "style",
    "noscript",
    "iframe",
    "form",
    "nav",
    "header",
    "footer",
    "aside",
    "template",
    "svg",
    "object",
    "embed",
)
# Elements that never have content (HTML's void elements, and obsolete ones browsers treat so).
_VOID_ELEMENTS = (
    *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"),
    *("source", "track", "wbr", "keygen", "bgsound", "image", "param", "basefont", "frame"),
)
# Elements that mark HTML as a whole page rather than a passage selected from one.
_PAGE_LANDMARKS = ("article", "main", "nav", "header", "footer", "aside")
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " · ")
WHOLE_PAGE_NOTE = "No article body was recognised, so the text of the whole page was kept."


@dataclass(frozen=True, slots=True)
class WebPage:
    """The readable text of an HTML page or fragment and what it says about itself.

    Empty strings stand for what the page does not declare; `title` is "" when the page has no
    title of its own, so that each caller chooses its fallback (file name, first line).
    """

    text: str
    blocks: tuple[Block, ...]
    title: str = ""
    author: str = ""
    site: str = ""
    published: str = ""
    canonical_url: str = ""
    whole_page: bool = False


def read(path: Path, data: bytes) -> ImportedDocument:
    """A saved .html/.htm page as a document: its article body, title and declared metadata."""
    html, encoding = _decode_or_refuse(path, data)
    page = extract_page(html)
    if not page.text.strip():
        raise ImportRefused(path, "has no article text to read")
    return ImportedDocument(
        title=page.title or title_from_name(path),
        source=str(path.resolve()),
        text=page.text,
        format="html",
        encoding=encoding,
        author=page.author,
        site=page.site,
        published=page.published,
        canonical_url=page.canonical_url,
        blocks=page.blocks,
        notes=(WHOLE_PAGE_NOTE,) if page.whole_page else (),
    )


def extract_page(html: str, *, selection: bool = False) -> WebPage:
    """The article text and metadata of an HTML page or fragment (also used for the clipboard).

    With `selection`, HTML that has none of a page's landmarks (a passage copied from a page,
    not the whole page) is kept whole: the reader chose every word of it, and trafilatura drops
    a fragment's leading heading and short paragraphs as if they were page furniture.
    """
    tree = parse_html(html)
    if tree is None:
        return WebPage("", ())
    metas = _meta_contents(tree)
    site = _clean(metas.get("og:site_name", ""))
    canonical_url = _canonical_url(tree, metas)
    if not site and canonical_url:
        site = urlsplit(canonical_url).hostname or ""
    keep_whole = selection and next(tree.iter(*_PAGE_LANDMARKS), None) is None
    body = None if keep_whole else _article_body(tree)
    whole_page = body is None
    if body is None:
        body = _whole_body(tree)
    title = _clean(metas.get("og:title", "")) or _clean(tree.findtext("head/title") or "")
    title = _without_site_suffix(title, site) or body.first_heading or _first_h1(tree)
    return WebPage(
        text=body.text,  # already normalised: renormalising here would shift the blocks
        blocks=body.blocks,
        title=_clean(title),
        author=_author(tree, metas),
        site=site,
        published=_published(tree, metas),
        canonical_url=canonical_url,
        whole_page=whole_page,
    )


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """The document tree of `html`, parsed with the network off; None for an empty document.

    The text is handed over as UTF-8 bytes with the encoding stated, so a `<meta charset>` in
    text that is already decoded cannot make the parser decode it a second time.
    """
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        default_doctype=False,
    )
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except etree.ParserError:
        return None
    _unnest_void_elements(tree)
    return tree


def _unnest_void_elements(tree: lxml.html.HtmlElement) -> None:
    """Move what libxml2 wrongly put inside `<embed>`, `<wbr>`, `<source>`... back after them.

    libxml2 does not know that these elements never have content, so it nests the rest of
    their parent inside them: removing an `<embed>` would then remove the article after it.
    """
    for element in list(tree.iter(*_VOID_ELEMENTS)):
        parent = element.getparent()
        if parent is None or (element.text is None and len(element) == 0):
            continue
        children = list(element)
        after = element.tail
        element.tail, element.text = element.text, None
        index = parent.index(element)
        for offset, child in enumerate(children, start=1):
            parent.insert(index + offset, child)
        last = children[-1] if children else element
        last.tail = (last.tail or "") + (after or "")


# -- decoding --------------------------------------------------------------------------------


def _decode_or_refuse(path: Path, data: bytes) -> tuple[str, str]:
    """The page's text and encoding: byte-order mark, declared charset, then a detector."""
    try:
        html, encoding = _decode_page(data)
    except UndecodableText as error:
        raise ImportRefused(path, f"cannot be decoded ({error})") from None
    if looks_binary(html):
        raise ImportRefused(path, "not a text file (it contains binary data)")
    html = normalise_text(html)
    if not html.strip():
        raise ImportRefused(path, "the file is empty (it contains only white space)")
    return html, encoding


def _decode_page(data: bytes) -> tuple[str, str]:
    """Decode like a browser: a byte-order mark wins, then the page's own declaration.

    A declaration the bytes break (a page saved as cp1252 that still says UTF-8) is not
    believed: the bytes are decoded as a text file would be rather than with replacement marks.
    """
    if data.startswith(_BYTE_ORDER_MARKS):
        return decode_text(data)
    declared = _declared_codec(data[:_PRESCAN_BYTES])
    if declared is not None:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass
    return decode_text(data)


def _declared_codec(head: bytes) -> str | None:
    """The codec named by the first usable `<meta charset>` or `http-equiv` in `head`."""
    # Charset labels are ASCII, and Latin-1 maps every byte: the prescan cannot fail to decode.
    parser = lxml.html.HTMLParser(encoding="iso-8859-1", no_network=True, default_doctype=False)
    try:
        tree = lxml.html.document_fromstring(head, parser=parser)
    except etree.ParserError:
        return None
    for meta in tree.iter("meta"):
        label = meta.get("charset")
        if label is None and (meta.get("http-equiv") or "").strip().lower() == "content-type":
            label = _charset_parameter(meta.get("content") or "")
        codec = _codec(label or "")
        if codec is not None:
            return codec
    return None


def _charset_parameter(content_type: str) -> str:
    """The charset of a Content-Type value: "text/html; charset=windows-1252" -> the label."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return ""


def _codec(label: str) -> str | None:
    """Python's name for a charset label, as a browser would read it; None if unusable."""
    try:
        info = codecs.lookup(label.strip())
    except (LookupError, ValueError):
        return None
    if info.name in _REFUSED_CODECS or not getattr(info, "_is_text_encoding", True):
        return None
    if info.name in _READ_AS_CP1252:
        return "cp1252"
    if info.name.startswith(("utf-16", "utf-32")):
        # Bytes that were really UTF-16 would have started with a byte-order mark.
        return "utf-8"
    return info.name


# -- body ------------------------------------------------------------------------------------


def _article_body(tree: lxml.html.HtmlElement) -> FlatText | None:
    """The article body as trafilatura finds it, or None when it finds none (fragments)."""
    import trafilatura  # ~0.14 s to import: only when a page is read

    body = trafilatura.extract(
        _without(tree, _NEVER_SHOWN),
        output_format="html",
        include_images=False,
        include_links=False,
        include_tables=True,
        favor_precision=True,
        include_comments=False,
        with_metadata=False,
    )
    if not body:
        return None
    flat = html_to_text(body)
    return flat if flat.text.strip() else None


def _whole_body(tree: lxml.html.HtmlElement) -> FlatText:
    """Everything a reader would see in `<body>`, minus scripts, forms and page furniture."""
    found = tree.find(".//body")
    body = _without(found if found is not None else tree, _NOT_CONTENT)
    return html_to_text(lxml.html.tostring(body, encoding="unicode", with_tail=False))


def _without(element: lxml.html.HtmlElement, tags: tuple[str, ...]) -> lxml.html.HtmlElement:
    """A copy of `element` without the elements named (and their content)."""
    copied = copy.deepcopy(element)
    for found in list(copied.iter(*tags)):
        if found is not copied:
            found.drop_tree()  # keeps the text that follows the element
    return copied


def _first_h1(tree: lxml.html.HtmlElement) -> str:
    heading = tree.find(".//h1")
    return _clean(heading.text_content()) if heading is not None else ""


# -- metadata --------------------------------------------------------------------------------


def _meta_contents(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """`<meta>` contents by lower-case property or name; the first declaration of each wins."""
    contents: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = (meta.get("content") or "").strip()
        for key in (meta.get("property"), meta.get("name")):
            if key and content:
                contents.setdefault(key.strip().lower(), content)
    return contents


def _author(tree: lxml.html.HtmlElement, metas: dict[str, str]) -> str:
    """The declared author, else the one trafilatura reads from bylines and JSON-LD."""
    for key in ("author", "article:author"):
        author = _clean(metas.get(key, ""))
        # article:author is often a profile URL, which names no one.
        if author and urlsplit(author).scheme.lower() not in ("http", "https"):
            return author
    from trafilatura import extract_metadata

    # A tree, never a string: trafilatura's date helper downloads a string that is a URL.
    found = extract_metadata(copy.deepcopy(tree), extensive=False).author
    return _clean(found or "")


def _published(tree: lxml.html.HtmlElement, metas: dict[str, str]) -> str:
    """The publication date the page declares, as YYYY-MM-DD; "" when it declares none."""
    candidates = [metas.get("article:published_time", ""), metas.get("date", "")]
    candidates += [time.get("datetime") or "" for time in tree.iterfind(".//article//time")]
    for candidate in candidates:
        published = _iso_date(candidate)
        if published:
            return published
    return ""


def _iso_date(value: str) -> str:
    """`value` as an ISO date if it is an ISO 8601 date or timestamp, else ""."""
    value = value.strip()
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    # Timestamps finer than Python reads (nanoseconds) still start with a valid date.
    if len(value) > 10 and value[10] in "T ":
        try:
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            pass
    return ""


def _canonical_url(tree: lxml.html.HtmlElement, metas: dict[str, str]) -> str:
    """`link rel=canonical`, else og:url; only an absolute http(s) address counts."""
    candidates = [
        link.get("href") or ""
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    candidates.append(metas.get("og:url", ""))
    for candidate in candidates:
        url = candidate.strip()
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        if parts.scheme.lower() in ("http", "https") and parts.hostname and _one_word(url):
            return url
    return ""


def _one_word(value: str) -> bool:
    """No spaces or control characters: an address, not a sentence with a URL in it."""
    return value.isprintable() and " " not in value


def _without_site_suffix(title: str, site: str) -> str:
    """The title without a " | Site" or " - Site" ending that only repeats the site's name."""
    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and head.strip() and site and tail.strip().casefold() == site.casefold():
            return head.strip()
    return title


def _clean(value: str) -> str:
    """Metadata on one line: runs of white space (newlines included) become one space."""
    return " ".join(normalise_text(value).split())
