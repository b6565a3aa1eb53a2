"""The HTML export is one inert, self-contained page that shows the text exactly, highlighted.

Every check parses the page (lxml's HTML parser) and compares what a browser would build with
the records that went in: nothing is compared against a stored copy of the output.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

import lxml.html
import pytest
from export_samples import (
    CLAIMS,
    EXPORTED_AT,
    HOSTILE_SPEAKERS,
    HOSTILE_TAG,
    NESTED_TAG,
    PARENT_TAG,
    make_library,
    sample_bundle,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from desktop_app.core.codebook import load_default_codebook
from desktop_app.core.highlight_layers import LAYER_OPACITY, composite, contrast_ratio
from desktop_app.core.records import (
    ANCHOR_NEEDS_REVIEW,
    ANCHOR_OK,
    ANCHOR_ORPHANED,
    AnnotationRecord,
    DocumentRecord,
    TagRecord,
)
from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.export_bundle import ExportBundle
from desktop_app.io.html_export import (
    DARK_OPACITY,
    DARK_PAPER,
    LIGHT_PAPER,
    UNTAGGED_COLOUR,
    export_html,
    render_note,
)
from desktop_app.resources import resource_path
from desktop_app.storage.library_store import LibraryStore

CREATED = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '"><svg onload=alert(1)>',
    "</style><style>body{background:url(http://evil.example/x)}</style>",
    "--><!-- ",
    "<iframe src=http://evil.example></iframe>",
    "<a href=\"javascript:alert(1)\" onclick='alert(1)'>click</a>",
    "![pic](http://evil.example/p.png)",
    "<link rel=stylesheet href=http://evil.example/s.css>",
    "<object data=x></object><embed src=x>",
)
FORBIDDEN_ELEMENTS = ("script", "iframe", "object", "embed", "img", "link", "svg", "math", "base")
TRADE, SECURITY, COALITION = "#e69f00", "#0072b2", "#009e73"


# ---- building bundles from records ------------------------------------------------------------


def tag(tag_id: int, name: str, colour: str, position: int) -> TagRecord:
    """A codebook entry."""
    return TagRecord(id=tag_id, name=name, colour=colour, position=position)


CODEBOOK = (
    tag(1, "trade", TRADE, 0),
    tag(2, "security", SECURITY, 1),
    tag(3, "coalition", COALITION, 2),
)


def document(
    doc_id: int, text: str, title: str = "An article", blocks: Sequence[tuple[int, int, str]] = ()
) -> DocumentRecord:
    """A document as storage hands it over."""
    return DocumentRecord(
        id=doc_id,
        title=title,
        source="https://example.org/a",
        text=text,
        imported_at=CREATED,
        author="Ana Ruiz",
        blocks=tuple(blocks),
    )


def annotation(
    doc: DocumentRecord,
    number: int,
    quote: str,
    tag_ids: Sequence[int] = (),
    note: str = "",
    status: str = ANCHOR_OK,
    occurrence: int = 0,
) -> AnnotationRecord:
    """An annotation over the `occurrence`-th copy of `quote` in the document."""
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(quote, start + 1)
    end = start + len(quote)
    return AnnotationRecord(
        id=doc.id * 1000 + number,
        uuid=f"00000000-0000-4000-8000-{doc.id * 1000 + number:012d}",
        document_id=doc.id,
        start=start,
        end=end,
        exact=quote,
        prefix=doc.text[max(0, start - 32) : start],
        suffix=doc.text[end : end + 32],
        note=note,
        tag_ids=tuple(tag_ids),
        created=CREATED,
        updated=CREATED,
        anchor_status=status,
    )


def bundle_of(
    documents: Sequence[DocumentRecord],
    annotations: Sequence[AnnotationRecord],
    tags: Sequence[TagRecord] = CODEBOOK,
) -> ExportBundle:
    """A bundle as `collect_bundle` builds it (annotations grouped per document, in order)."""
    grouped = {
        d.id: tuple(
            sorted(
                (a for a in annotations if a.document_id == d.id),
                key=lambda a: (a.start, a.end, a.id),
            )
        )
        for d in documents
    }
    return ExportBundle(tuple(documents), grouped, tuple(tags), EXPORTED_AT)


def sample_text() -> str:
    """The bundled sample article, normalised as on import."""
    return normalise_text(resource_path("sample-article.txt").read_text(encoding="utf-8"))


def overlap_bundle() -> ExportBundle:
    """The sample article with nested, crossing, multi-tag and untagged annotations."""
    doc = document(1, sample_text(), "Takaichi faces her first big test")
    sentence = (
        "The focus of their summit is expected to center on trade and security matters, "
        "representing a critical moment for Japan's relationship with its powerful partner."
    )
    annotations = [
        annotation(doc, 1, sentence, [1, 2], "Both **trade** and security."),
        annotation(doc, 2, "trade and security matters", [1], "Nested, same tag as outer."),
        annotation(doc, 3, "security matters, representing a critical", [3], "Crosses the end."),
        annotation(doc, 4, "Takaichi has stated her determination", [], "untagged"),
        annotation(doc, 5, "Takaichi has stated", [2], ""),
        annotation(doc, 6, "world.", [1]),  # the very end of the text
        annotation(doc, 7, "Japan's freshly", [2]),  # the very start
        annotation(doc, 8, "Asean summit.\nBut, her", [1], "Runs over a line break."),
    ]
    return bundle_of([doc], annotations)


def hostile_bundle() -> ExportBundle:
    """Hostile titles, bylines, tag names, quotes and notes; one note per hostile string."""
    text = "\n".join(f"Claim {i}: {h} ends here." for i, h in enumerate(HOSTILE))
    doc = DocumentRecord(
        id=7,
        title=HOSTILE[0] + HOSTILE[3],
        source="javascript:alert(1)",
        text=text,
        imported_at=CREATED,
        author=HOSTILE[1],
        site=HOSTILE[4],
    )
    tags = (
        tag(1, "<script>alert(1)</script>", TRADE, 0),
        tag(2, '"><svg onload=alert(1)>', SECURITY, 1),
        tag(3, "</style>-->", "red; background: url(http://evil.example/x)", 2),
    )
    annotations = [
        annotation(doc, i + 1, h, [1 + i % 3], HOSTILE[(i + 1) % len(HOSTILE)])
        for i, h in enumerate(HOSTILE)
    ]
    return bundle_of([doc], annotations, tags)


@pytest.fixture
def library_bundle(store: LibraryStore) -> ExportBundle:
    """The shared sample library (four documents, one annotation under review) as a bundle."""
    make_library(store)
    return sample_bundle(store)


# ---- reading the page back -------------------------------------------------------------------


def parse(page: str) -> HtmlElement:
    """The page as a browser-like tree."""
    return lxml.html.document_fromstring(page)


def has_class(element: HtmlElement, name: str) -> bool:
    """True when `element` carries the class `name`."""
    return name in (element.get("class") or "").split()


def shown_text(element: HtmlElement) -> str:
    """The text of `element` as read, without note markers (superscript links to notes)."""
    parts = [element.text or ""]
    for child in element:
        if not (child.tag == "sup" and has_class(child, "ref")):
            parts.append(shown_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def text_lines(article: HtmlElement) -> list[HtmlElement]:
    """The elements that hold the document's text, one per line, in order."""
    return [e for e in article.iter() if isinstance(e.tag, str) and has_class(e, "line")]


def article_text(article: HtmlElement) -> str:
    """The document text as the page shows it: its lines joined with newlines."""
    return "\n".join(shown_text(line) for line in text_lines(article))


def marks_of(root: HtmlElement, uuid: str) -> list[HtmlElement]:
    """Every highlight that belongs to the annotation `uuid`, in page order."""
    return [m for m in root.iter("mark") if uuid in (m.get("data-annotations") or "").split()]


def highlighted(root: HtmlElement, uuid: str) -> str:
    """The text an annotation's highlights cover, lines joined by newlines as in the text."""
    per_line = [
        "".join(shown_text(m) for m in line.iter("mark") if m in marks_of(line, uuid))
        for article in root.iter("article")
        for line in text_lines(article)
    ]
    touched = [i for i, piece in enumerate(per_line) if piece]
    if not touched:
        return ""
    return "\n".join(per_line[touched[0] : touched[-1] + 1])


def articles(root: HtmlElement) -> dict[str, HtmlElement]:
    """The page's articles by id."""
    return {a.get("id"): a for a in root.iter("article")}


def placed(bundle: ExportBundle) -> Iterator[tuple[DocumentRecord, AnnotationRecord]]:
    """Every annotation settled in its text, with its document."""
    for doc in bundle.documents:
        for a in bundle.annotations_of(doc.id):
            if a.anchor_status == ANCHOR_OK:
                yield doc, a


def assert_inert(page: str) -> None:
    """Nothing on the page can run, fetch or restyle from outside."""
    root = parse(page)
    assert "<script" not in page.lower()
    for name in FORBIDDEN_ELEMENTS:
        assert not root.xpath(f"//{name}"), name
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), (element.tag, attribute)
            assert attribute.lower() not in {"src", "srcset", "action", "formaction", "srcdoc"}
            if attribute == "href":
                assert value.startswith(("#", "http://", "https://", "mailto:")), value
            if attribute == "style":
                assert "url(" not in value.lower() and "http" not in value.lower(), value
                assert "expression" not in value.lower() and "@import" not in value.lower()
    styles = root.xpath("//style")
    assert len(styles) == 1
    css = styles[0].text_content()
    assert (
        "url(" not in css and "http" not in css and "@import" not in css and "@font-face" not in css
    )
    assert page.count("</style>") == 1
    policy = root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert len(policy) == 1 and "default-src 'none'" in policy[0]
    assert "script-src" not in policy[0] and "style-src 'unsafe-inline'" in policy[0]


# ---- the page as a whole ---------------------------------------------------------------------


def test_single_document_page_is_a_standalone_html5_document() -> None:
    page = export_html(overlap_bundle())
    assert page.startswith("<!DOCTYPE html>\n")
    root = parse(page)
    assert root.get("lang") == "en"
    assert root.xpath("//meta[@charset='utf-8']")
    assert root.xpath("//meta[@name='viewport']")
    assert root.findtext(".//title") == "Takaichi faces her first big test"
    assert len(root.xpath("//h1")) == 1
    assert root.xpath("//h1")[0].text_content() == "Takaichi faces her first big test"
    assert len(list(root.iter("article"))) == 1
    assert not root.xpath("//nav")
    assert_inert(page)
    footer = root.xpath("//footer")[0]
    assert footer.text_content() == "Exported from Claimmark on 25 November 2026."
    assert footer.xpath(".//time/@datetime") == ["2026-11-25T10:00:00Z"]


def test_several_documents_get_a_table_of_contents(library_bundle: ExportBundle) -> None:
    page = export_html(library_bundle)
    root = parse(page)
    found = articles(root)
    assert list(found) == [f"doc-{d.id}" for d in library_bundle.documents]
    toc = root.xpath("//nav//a")
    assert [a.get("href") for a in toc] == [f"#doc-{d.id}" for d in library_bundle.documents]
    assert [a.text_content() for a in toc] == [d.title for d in library_bundle.documents]
    assert root.xpath("//h1")[0].text_content() == "Claimmark export"
    for doc in library_bundle.documents:
        assert found[f"doc-{doc.id}"].xpath(".//h2")[0].text_content() == doc.title
    assert_inert(page)


def test_export_is_deterministic(library_bundle: ExportBundle) -> None:
    assert export_html(library_bundle) == export_html(library_bundle)


def test_empty_bundle_still_makes_a_page() -> None:
    page = export_html(ExportBundle((), {}, CODEBOOK, EXPORTED_AT))
    assert parse(page).xpath("//h1")[0].text_content() == "Claimmark export"
    assert_inert(page)


# ---- the text and its highlights -------------------------------------------------------------


@pytest.mark.parametrize("make", [overlap_bundle, hostile_bundle])
def test_highlighting_never_changes_the_text(make: Callable[[], ExportBundle]) -> None:
    bundle = make()
    found = articles(parse(export_html(bundle)))
    for doc in bundle.documents:
        assert article_text(found[f"doc-{doc.id}"]) == doc.text


def test_library_texts_survive_emoji_cjk_and_review(library_bundle: ExportBundle) -> None:
    found = articles(parse(export_html(library_bundle)))
    assert any("𠮷" in d.text and "👍🏽" in d.text for d in library_bundle.documents)
    for doc in library_bundle.documents:
        assert article_text(found[f"doc-{doc.id}"]) == doc.text


@pytest.mark.parametrize("make", [overlap_bundle, hostile_bundle])
def test_each_highlight_holds_exactly_its_quote(make: Callable[[], ExportBundle]) -> None:
    bundle = make()
    root = parse(export_html(bundle))
    assert any("\n" in a.exact for _, a in placed(bundle)) or make is hostile_bundle
    for _, a in placed(bundle):
        assert highlighted(root, a.uuid) == a.exact


def test_library_highlights_hold_their_quotes(library_bundle: ExportBundle) -> None:
    root = parse(export_html(library_bundle))
    pairs = list(placed(library_bundle))
    assert any("𠮷" in a.exact for _, a in pairs) and any("👍🏽" in a.exact for _, a in pairs)
    for doc, a in pairs:
        assert a.exact == doc.text[a.start : a.end]
        assert highlighted(root, a.uuid) == a.exact


def test_every_annotation_has_an_anchor_a_marker_and_a_note(library_bundle: ExportBundle) -> None:
    root = parse(export_html(library_bundle))
    ids = [e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) == len(set(ids)), "ids must be unique"
    for doc in library_bundle.documents:
        for a in library_bundle.annotations_of(doc.id):
            anchor = root.get_element_by_id(f"a-{a.uuid}")
            note = root.get_element_by_id(f"n-{a.uuid}")
            assert note.tag == "li"
            if a.anchor_status == ANCHOR_OK:
                assert anchor.tag == "span" and has_class(anchor, "anchor")
                marker = root.get_element_by_id(f"r-{a.uuid}")
                assert marker.get("href") == f"#n-{a.uuid}"
                assert marker.getparent().tag == "sup"
                assert note.xpath(".//a[@class='back']/@href") == [f"#a-{a.uuid}"]
    # every link inside the page leads somewhere
    for href in root.xpath("//a/@href"):
        if href.startswith("#"):
            assert root.get_element_by_id(href[1:]) is not None, href


def test_anchor_sits_where_the_passage_starts_and_marker_where_it_ends() -> None:
    bundle = overlap_bundle()
    root = parse(export_html(bundle))
    for doc, a in placed(bundle):
        line_start = doc.text.rfind("\n", 0, a.start) + 1
        anchor = root.get_element_by_id(f"a-{a.uuid}")
        line = next(p for p in anchor.iterancestors() if has_class(p, "line"))
        assert _text_before(line, anchor) == doc.text[line_start : a.start]
        marker = root.get_element_by_id(f"r-{a.uuid}").getparent()
        end_line = next(p for p in marker.iterancestors() if has_class(p, "line"))
        end_line_start = doc.text.rfind("\n", 0, a.end - 1) + 1
        end_line_end = doc.text.find("\n", a.end - 1)
        end_line_end = len(doc.text) if end_line_end < 0 else end_line_end
        expected = doc.text[end_line_start : min(a.end, end_line_end)]
        assert _text_before(end_line, marker) == expected


def _text_before(container: HtmlElement, target: HtmlElement) -> str:
    """The shown text of `container` that comes before `target`."""
    parts: list[str] = []

    def walk(element: HtmlElement) -> bool:
        if element is target:
            return True
        parts.append(element.text or "")
        for child in element:
            if child is target:
                return True
            if not (child.tag == "sup" and has_class(child, "ref")) and walk(child):
                return True
            parts.append(child.tail or "")
        return False

    walk(container)
    return "".join(parts)


def _paint(style: str, mode: str) -> str:
    match = re.search(rf"--{mode}:\s*([^;]+)", style)
    assert match, style
    return match.group(1).strip()


def test_overlaps_show_every_colour_as_stacked_bands() -> None:
    bundle = overlap_bundle()
    colours = {t.id: t.colour for t in bundle.tags}
    by_uuid = {a.uuid: a for _, a in placed(bundle)}
    root = parse(export_html(bundle))
    marks = list(root.iter("mark"))
    assert marks
    saw_overlap = False
    for mark in marks:
        covering = [by_uuid[u] for u in mark.get("data-annotations").split()]
        depth = Counter(
            c for a in covering for c in ([colours[t] for t in a.tag_ids] or [UNTAGGED_COLOUR])
        )
        light = _paint(mark.get("style"), "hl")
        dark = _paint(mark.get("style"), "hd")
        for colour, count in depth.items():
            assert composite([colour] * count, LIGHT_PAPER, LAYER_OPACITY) in light
            assert composite([colour] * count, DARK_PAPER, DARK_OPACITY) in dark
        if len(depth) > 1:
            saw_overlap = True
            for paint in (light, dark):
                assert paint.startswith("linear-gradient(")
                stops = re.findall(r"#[0-9a-f]{6} ([\d.]+)% ([\d.]+)%", paint)
                assert len(stops) == len(depth)
                # hard stops: each band starts where the previous ends, from 0 % to 100 %
                assert float(stops[0][0]) == 0 and float(stops[-1][1]) == 100
                for (_, end), (start, _) in itertools.pairwise(stops):
                    assert float(end) == float(start)
        else:
            assert not light.startswith("linear-gradient(")
    assert saw_overlap
    # the crossing of "trade and security matters" (trade twice, security) and coalition
    crossing = [m for m in marks if shown_text(m) == "security matters"]
    assert len(crossing) == 1
    bands = re.findall(r"#[0-9a-f]{6}", _paint(crossing[0].get("style"), "hl"))
    assert bands == [
        composite([TRADE, TRADE], LIGHT_PAPER, LAYER_OPACITY),
        composite([SECURITY], LIGHT_PAPER, LAYER_OPACITY),
        composite([COALITION], LIGHT_PAPER, LAYER_OPACITY),
    ]


def test_needs_review_and_orphaned_are_listed_not_highlighted() -> None:
    doc = document(1, sample_text())
    annotations = [
        annotation(doc, 1, "Japan's freshly appointed leader", [1], "settled"),
        annotation(doc, 2, "trade and security matters", [2], "moved?", ANCHOR_NEEDS_REVIEW),
        annotation(doc, 3, "Asean summit", [3], "lost", ANCHOR_ORPHANED),
    ]
    root = parse(export_html(bundle_of([doc], annotations)))
    for a in annotations[1:]:
        assert not marks_of(root, a.uuid)
        entry = root.get_element_by_id(f"n-{a.uuid}")
        assert entry.xpath("ancestor::section[@class='review']")
        assert root.get_element_by_id(f"a-{a.uuid}").text_content() == a.exact
        assert a.note in entry.text_content()
    assert marks_of(root, annotations[0].uuid)


def test_out_of_range_annotation_is_not_highlighted_past_the_text() -> None:
    doc = document(1, "Short text.")
    broken = annotation(doc, 1, "text.")
    broken = dataclasses.replace(broken, end=50)
    root = parse(export_html(bundle_of([doc], [broken])))
    assert article_text(root.xpath("//article")[0]) == "Short text."
    assert not marks_of(root, broken.uuid)
    assert root.get_element_by_id(f"a-{broken.uuid}") is not None


# ---- blocks, title, legend -------------------------------------------------------------------


def test_blocks_become_headings_list_items_quotes_and_code() -> None:
    lines = ["Intro", "Section", "• first item", "A quoted line", "x = 1", "Plain end."]
    text = "\n".join(lines)
    starts = [sum(len(line) + 1 for line in lines[:i]) for i in range(len(lines))]
    kinds = {1: "heading1", 2: "list_item", 3: "quote", 4: "preformatted"}
    blocks = [(starts[i], starts[i] + len(lines[i]), k) for i, k in kinds.items()]
    doc = document(1, text, "Blocks", blocks)
    note = annotation(doc, 1, "quoted line\nx = 1", [1], "over two blocks")
    root = parse(export_html(bundle_of([doc], [note])))
    article = root.xpath("//article")[0]
    shown = [(e.tag, shown_text(e)) for e in text_lines(article)]
    assert shown == [
        ("p", "Intro"),
        ("h2", "Section"),
        ("p", "• first item"),
        ("blockquote", "A quoted line"),
        ("pre", "x = 1"),
        ("p", "Plain end."),
    ]
    assert has_class(text_lines(article)[2], "list-item")
    assert article_text(article) == text
    assert highlighted(root, note.uuid) == "quoted line\nx = 1"


def test_a_text_that_opens_with_its_title_shows_it_once() -> None:
    text = "Takaichi meets Trump\nThe summit opens today."
    doc = document(1, text, "Takaichi meets Trump", [(0, 20, "heading1")])
    first = annotation(doc, 1, "Takaichi", [1], "in the title")
    root = parse(export_html(bundle_of([doc], [first])))
    headings = root.xpath("//h1")
    assert len(headings) == 1
    assert shown_text(headings[0]) == "Takaichi meets Trump"
    assert article_text(root.xpath("//article")[0]) == text
    assert root.get_element_by_id(f"n-{first.uuid}") is not None


def _path(tag: TagRecord, tags: dict[int, TagRecord]) -> str:
    """How the legend names a tag: its parents' names first, "trade › tariffs"."""
    names = [tag.name]
    while tag.parent_id is not None:
        tag = tags[tag.parent_id]
        names.insert(0, tag.name)
    return " \u203a ".join(names)


def test_legend_counts_each_tag_once_per_passage(library_bundle: ExportBundle) -> None:
    tags = {t.id: t for t in library_bundle.tags}
    found = articles(parse(export_html(library_bundle)))
    for doc in library_bundle.documents:
        annotations = library_bundle.annotations_of(doc.id)
        expected = Counter(_path(tags[t], tags) for a in annotations for t in set(a.tag_ids))
        untagged = sum(1 for a in annotations if not a.tag_ids)
        if untagged:
            expected["untagged"] = untagged
        legend = found[f"doc-{doc.id}"].xpath(".//ul[@class='legend']/li")
        shown = {
            li.xpath(".//*[@class='name']")[0].text_content(): int(
                li.xpath(".//*[@class='count']")[0].text_content()
            )
            for li in legend
        }
        assert shown == dict(expected)
        names = [li.xpath(".//*[@class='name']")[0].text_content() for li in legend]
        # The sample codebook's tree order is its panel order (tariffs sits right after trade).
        ordered = sorted(
            (t for t in tags.values() if _path(t, tags) in names), key=lambda t: (t.position, t.id)
        )
        assert names[: len(ordered)] == [_path(t, tags) for t in ordered]
    assert any(HOSTILE_TAG in n for n in _all_names(found))
    assert f"{PARENT_TAG} \u203a {NESTED_TAG}" in _all_names(found)


def test_legend_follows_the_codebook_tree() -> None:
    """Children right after their parent, named by their path, whatever the panel order."""
    tags = (
        tag(1, "trade", TRADE, 0),
        tag(2, "security", SECURITY, 1),
        dataclasses.replace(tag(3, "tariffs", COALITION, 2), parent_id=1),
        dataclasses.replace(tag(4, "steel", "#cc79a7", 3), parent_id=3),
    )
    doc = document(1, sample_text())
    annotations = [
        annotation(doc, 1, "trade and security matters", [2, 4]),
        annotation(doc, 2, "Japan's freshly appointed leader", [3]),
        annotation(doc, 3, "Asean summit", [1, 3]),
    ]
    root = parse(export_html(bundle_of([doc], annotations, tags)))
    legend = root.xpath("//ul[@class='legend']/li")
    shown = [
        (li.xpath(".//*[@class='name']")[0].text_content(), li.xpath(".//*[@class='count']")[0])
        for li in legend
    ]
    assert [(name, int(count.text_content())) for name, count in shown] == [
        ("trade", 1),
        ("trade \u203a tariffs", 2),
        ("trade \u203a tariffs \u203a steel", 1),
        ("security", 1),
    ]
    # Chips on the notes keep the plain name: names are unique in a library.
    chips = {c.text_content() for c in root.xpath("//span[@class='tag']")}
    assert chips == {"trade", "security", "tariffs", "steel"}


# ---- claim fields ----------------------------------------------------------------------------


def _claim_of(entry: HtmlElement) -> dict[str, str]:
    """The claim line of a note, by part ("" for a part that is not shown)."""
    lines = entry.xpath("./p[@class='claim']")
    assert len(lines) <= 1
    if not lines:
        return {}
    line = lines[0]
    parts = {
        name: "".join(line.xpath(f"./span[@class='{name}']//text()"))
        for name in ("stance", "speaker", "checkworthiness")
        if line.xpath(f"./span[@class='{name}']")
    }
    # The parts are all there is, joined by " · ".
    assert line.text_content() == " · ".join(parts.values())
    return parts


def test_claim_fields_show_with_their_note_exactly(library_bundle: ExportBundle) -> None:
    page = export_html(library_bundle)
    assert_inert(page)
    root = parse(page)
    seen = 0
    for doc in library_bundle.documents:
        for a in library_bundle.annotations_of(doc.id):
            claim = _claim_of(root.get_element_by_id(f"n-{a.uuid}"))
            expected = {}
            if a.stance:
                expected["stance"] = a.stance
            if a.speaker:
                expected["speaker"] = a.speaker
            if a.checkworthiness is not None:
                expected["checkworthiness"] = f"check-worthiness {a.checkworthiness}/5"
            assert claim == expected
            seen += bool(claim)
    assert seen == len(CLAIMS)
    speakers = {s.text_content() for s in root.xpath("//span[@class='speaker']")}
    assert set(HOSTILE_SPEAKERS) <= speakers  # shown as typed, never as markup
    assert not root.xpath("//p[@class='claim']//b")


def test_claim_line_reads_as_one_sentence_and_is_left_out_when_empty() -> None:
    doc = document(1, sample_text())
    full = dataclasses.replace(
        annotation(doc, 1, "trade and security matters", [1], "a note"),
        stance="supports",
        speaker="Ana Ruiz",
        checkworthiness=4,
    )
    only = dataclasses.replace(
        annotation(doc, 2, "Asean summit", [], "", ANCHOR_NEEDS_REVIEW), checkworthiness=2
    )
    bare = annotation(doc, 3, "Japan's freshly appointed leader", [2], "plain")
    root = parse(export_html(bundle_of([doc], [full, only, bare])))
    full_note = root.get_element_by_id(f"n-{full.uuid}")
    claim = full_note.xpath("./p[@class='claim']")[0]
    assert claim.text_content() == "supports · Ana Ruiz · check-worthiness 4/5"
    # The claim comes with the note: after the note's head, before its text.
    assert [p.get("class") for p in full_note.xpath("./p")] == ["note-head", "claim", None]
    review = root.get_element_by_id(f"n-{only.uuid}")
    assert review.xpath("ancestor::section[@class='review']")
    assert _claim_of(review) == {"checkworthiness": "check-worthiness 2/5"}
    assert not root.get_element_by_id(f"n-{bare.uuid}").xpath(".//p[@class='claim']")


def _all_names(found: dict[str, HtmlElement]) -> list[str]:
    return [e.text_content() for a in found.values() for e in a.xpath(".//*[@class='name']")]


def test_byline_and_web_source_are_shown_but_local_paths_are_not() -> None:
    doc = document(1, "Text.")
    local = DocumentRecord(
        id=2, title="Local", source="/home/ana/secret/a.txt", text="Text.", imported_at=CREATED
    )
    root = parse(export_html(bundle_of([doc, local], [])))
    found = articles(root)
    assert found["doc-1"].xpath(".//*[@class='byline']")[0].text_content() == "By Ana Ruiz"
    assert "https://example.org/a" in found["doc-1"].xpath(".//*[@class='source']")[0].text
    assert "/home/ana" not in export_html(bundle_of([local], []))


# ---- hostile input --------------------------------------------------------------------------


def test_hostile_titles_tags_quotes_and_notes_stay_text() -> None:
    bundle = hostile_bundle()
    page = export_html(bundle)
    assert_inert(page)
    root = parse(page)
    doc = bundle.documents[0]
    assert root.findtext(".//title") == doc.title
    assert root.xpath("//h1")[0].text_content() == doc.title
    byline = root.xpath("//*[@class='byline']")[0].text_content()
    assert byline == doc.byline
    assert not root.xpath("//*[@class='source']")  # javascript: is no web address
    names = {e.text_content() for e in root.xpath("//*[@class='name']")}
    assert {t.name for t in bundle.tags} <= names
    # a colour that is not #rrggbb cannot carry CSS: it falls back to grey
    chips = root.xpath("//span[@class='tag']")
    assert {c.get("style") for c in chips if c.text == "</style>-->"} == {f"--c: {UNTAGGED_COLOUR}"}
    assert "javascript:" not in "".join(root.xpath("//@href"))
    notes = " ".join(li.text_content() for li in root.xpath("//ol[@class='notes']/li"))
    assert "<img src=x onerror=alert(1)>" in notes  # shown as typed, not as an element
    assert "alert(1)" in notes


@pytest.mark.parametrize("hostile", HOSTILE)
def test_each_hostile_note_renders_inert(hostile: str) -> None:
    html = render_note(hostile)
    fragment = lxml.html.fragment_fromstring(f"<div>{html}</div>")
    for name in FORBIDDEN_ELEMENTS:
        assert not fragment.xpath(f".//{name}")
    for element in fragment.iter():
        assert all(not a.startswith("on") for a in element.attrib)
        assert set(element.attrib) <= {"href", "rel"}
    assert all(h.startswith(("http://", "https://", "mailto:")) for h in fragment.xpath("//@href"))
    assert "<style" not in html and "<!--" not in html


def test_notes_keep_their_markdown() -> None:
    html = render_note(
        "*Key* claim, **disputed**: see [the report](https://example.org/r) or "
        "[mail](mailto:desk@example.org).\n\n- one\n- two\n\n> cited\n\n`code` & <b>raw</b>"
    )
    fragment = lxml.html.fragment_fromstring(f"<div>{html}</div>")
    assert fragment.xpath("//em")[0].text == "Key"
    assert fragment.xpath("//strong")[0].text == "disputed"
    links = fragment.xpath("//a")
    assert [a.get("href") for a in links] == ["https://example.org/r", "mailto:desk@example.org"]
    assert all(a.get("rel") == "noopener noreferrer" for a in links)
    assert [li.text for li in fragment.xpath("//ul/li")] == ["one", "two"]
    assert fragment.xpath("//blockquote")
    assert fragment.xpath("//code")[0].text == "code"
    assert not fragment.xpath("//b")
    assert "& <b>raw</b>" in fragment.text_content()


# ---- colours ---------------------------------------------------------------------------------


def test_highlights_of_the_default_codebook_stay_readable_in_light_and_dark() -> None:
    codebook = load_default_codebook(resource_path("codebook.json"))
    colours = [t.colour for t in codebook.tags] + list(codebook.palette) + [UNTAGGED_COLOUR]
    for colour in colours:
        light = composite([colour], LIGHT_PAPER, LAYER_OPACITY)
        dark = composite([colour], DARK_PAPER, DARK_OPACITY)
        assert contrast_ratio("#1d1d1b", light) >= 4.5, colour
        assert contrast_ratio("#e8e5de", dark) >= 4.5, colour


def test_page_styles_dark_mode_and_a_reading_measure() -> None:
    root = parse(export_html(overlap_bundle()))
    css = root.xpath("//style")[0].text_content()
    assert "@media (prefers-color-scheme: dark)" in css
    assert "max-width: 70ch" in css
    assert re.search(r"line-height: 1\.[5-7]", css)
    assert "serif" in css


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Z09.,;:()%'\"!?-+=/é😀𠮷")), min_size=1))
def test_plain_notes_render_as_markdown_would(note: str) -> None:
    """The fast path for plain notes gives what the Markdown converter and sanitiser give."""
    import nh3

    from desktop_app.io import html_export

    slow = nh3.clean(
        html_export._note_markdown().reset().convert(note),
        tags=set(html_export.NOTE_TAGS),
        attributes={k: set(v) for k, v in html_export.NOTE_ATTRIBUTES.items()},
        url_schemes=set(html_export.NOTE_URL_SCHEMES),
        link_rel="noopener noreferrer",
    )

    def rendered_alike(fragment: str) -> str:  # white space next to a tag is not displayed
        return re.sub(r"\s*(<[^>]+>)\s*", r"\1", " ".join(fragment.split()))

    assert rendered_alike(html_export.render_note(note)) == rendered_alike(slow)


SIMPLE_NOTE_PIECES = [
    *"ab Z9.,;:()%'\"!?-+=/é😀*_`[]#&<>\\\t\xa0\u3000",
    *["*a*", "**b c**", "_d_", "`e`", "`*f*`", "` g`", "x_y", "***", "---", "  "],
    *["[x](https://e.org/a_b?q=1#f)", "[y](mailto:a@b.c)", "[z](javascript:x)", "[a][b]"],
    *["\n", "\n\n", "\n\n\n", "\n- ", "\n* ", "\n1. ", "\n> ", "- ", "1. ", "2) ", "> ", "    "],
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(SIMPLE_NOTE_PIECES), min_size=1, max_size=12).map("".join))
def test_simple_markdown_notes_render_exactly_as_markdown_would(note: str) -> None:
    """The fast path for everyday Markdown gives what the converter and sanitiser give, byte
    for byte, or steps aside (None)."""
    from desktop_app.io import html_export

    fast = html_export._simple_markdown(note)
    if fast is not None:
        slow = html_export._note_markdown().reset().convert(note)
        assert fast == html_export._note_cleaner().clean(slow)


@pytest.mark.parametrize(
    "note",
    [
        "Is *this* the 4% quoted? See the [report](https://example.org/r/1) and **compare**.",
        "Open questions:\n\n- who said it first\n- the [source](https://example.org/s)\n- _when_",
        "Contradicts the `12%` figure in paragraph 3; ask the desk.",
        "1. Find the original release\n2. Compare with *last year's* 3%\n\n> quoted in 4 outlets",
    ],
)
def test_everyday_markdown_notes_take_the_fast_path(note: str) -> None:
    from desktop_app.io import html_export

    fast = html_export._simple_markdown(note)
    slow = html_export._note_cleaner().clean(html_export._note_markdown().reset().convert(note))
    assert fast == slow
