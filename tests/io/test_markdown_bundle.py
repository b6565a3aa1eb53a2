"""Markdown for one article or the whole library: reading order or grouped by tag, hashtags,
links back to web articles, review status; parsed back with a CommonMark parser."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import unquote

from markdown_it import MarkdownIt

from desktop_app.core.records import AnnotationRecord, DocumentRecord, TagRecord
from desktop_app.io.export_bundle import ExportBundle
from desktop_app.io.markdown_export import Grouping, export_markdown_bundle, hashtag, place_link

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
TAGS = (
    TagRecord(1, "trade", "#e69f00", 0),
    TagRecord(2, "security", "#0072b2", 1),
    TagRecord(3, "energy policy", "#009e73", 2),
)


def document(doc_id: int, text: str, url: str = "") -> DocumentRecord:
    return DocumentRecord(doc_id, f"Article {doc_id}", "file.txt", text, NOW, canonical_url=url)


def annotation(
    aid: int, doc: DocumentRecord, quote: str, tags: tuple[int, ...], **kw
) -> AnnotationRecord:
    start = doc.text.index(quote)
    return AnnotationRecord(
        aid,
        f"00000000-0000-0000-0000-{aid:012d}",
        doc.id,
        start,
        start + len(quote),
        quote,
        doc.text[max(0, start - 32) : start],
        doc.text[start + len(quote) :][:32],
        kw.get("note", ""),
        tags,
        NOW,
        NOW,
        anchor_status=kw.get("status", "ok"),
    )


def quotes(markdown: str) -> list[str]:
    body = markdown.split("\n---\n", 1)[1]
    found, inside = [], False
    for token in MarkdownIt("commonmark").parse(body):
        if token.type == "blockquote_open":
            inside = True
            found.append("")
        elif token.type == "blockquote_close":
            inside = False
        elif inside and token.type == "inline":
            found[-1] += "".join(
                c.content if c.type == "text" else "\n" for c in token.children or []
            )
    return found


def headings(markdown: str, level: int) -> list[str]:
    tokens = MarkdownIt("commonmark").parse(markdown.split("\n---\n", 1)[1])
    return [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == f"h{level}"
    ]


def bundle() -> ExportBundle:
    first = document(
        1,
        "Tariffs rose 2.5% on Monday. Troops moved north. Gas prices fell.",
        "https://news.example/a?x=1",
    )
    second = document(2, "日本の首相は東京にいる。😀 Talks on LNG, a deal-breaker, went on.")
    return ExportBundle(
        (first, second),
        {
            1: (
                annotation(1, first, "Tariffs rose 2.5% on Monday.", (1, 3)),
                annotation(2, first, "Troops moved north.", (2,), note="*check* <b>this</b>"),
                annotation(3, first, "Gas prices fell.", (), status="needs_review"),
            ),
            2: (annotation(4, second, "Talks on LNG, a deal-breaker, went on.", (3,)),),
        },
        TAGS,
        NOW,
    )


def test_library_export_has_every_quote_once_in_reading_order() -> None:
    text = export_markdown_bundle(bundle())
    assert quotes(text) == [
        "Tariffs rose 2.5% on Monday.",
        "Troops moved north.",
        "Gas prices fell.",
        "Talks on LNG, a deal-breaker, went on.",
    ]
    assert headings(text, 1) == ["Claimmark library"]
    assert headings(text, 2) == ["Article 1", "Article 2"]
    assert "documents: 2" in text and "annotations: 4" in text


def test_grouped_by_tag_lists_an_annotation_under_each_of_its_tags() -> None:
    text = export_markdown_bundle(bundle(), grouping="tag")
    assert headings(text, 3) == [
        "trade (1)",
        "security (1)",
        "energy policy (1)",
        "Untagged (1)",
        "energy policy (1)",
    ]
    assert quotes(text).count("Tariffs rose 2.5% on Monday.") == 2


def test_tags_are_hashtags_and_unsettled_annotations_say_so() -> None:
    text = export_markdown_bundle(bundle())
    assert "**Tags:** #trade #energy-policy" in text
    assert "**Status:** needs review" in text
    assert "\\*check\\*" in text and "<b>" not in text


def test_hashtags_are_safe_for_note_tools() -> None:
    assert hashtag("energy policy") == "#energy-policy"
    assert hashtag("trade › tariffs") == "#trade/tariffs"
    assert hashtag("2026 vote") == "#tag-2026-vote"
    assert hashtag("C#/.NET") == "#C/NET"
    assert hashtag("   ") == "#tag"


def test_web_articles_link_to_their_quote_with_a_text_fragment() -> None:
    data = bundle()
    first = data.documents[0]
    link = place_link(first, data.annotations[1][0])
    assert link == "<https://news.example/a?x=1#:~:text=Tariffs%20rose%202.5%25%20on%20Monday.>"
    long = annotation(
        9,
        document(3, "a b c d e f g h i j k-l, m.", "https://x.example/"),
        "a b c d e f g h i j k-l, m.",
        (),
    )
    target = place_link(document(3, "a b c d e f g h i j k-l, m.", "https://x.example/"), long)
    fragment = target.split("#:~:text=")[1].rstrip(">")
    start, end = fragment.split(",")
    assert unquote(start) == "a b c d" and unquote(end) == "i j k-l, m."
    assert place_link(data.documents[1], data.annotations[2][0]) is None  # not a web article


# ---- nested tags and claim fields --------------------------------------------------------------

NESTED = (
    TagRecord(1, "trade", "#e69f00", 0),
    TagRecord(4, "tariffs", "#d55e00", 1, parent_id=1),
    TagRecord(5, "2026 steel", "#cc79a7", 2, parent_id=4),
    TagRecord(2, "security", "#0072b2", 3),
    TagRecord(3, "energy policy", "#009e73", 4),
)


def nested_bundle() -> ExportBundle:
    """Trade › tariffs › 2026 steel: one passage per level, one on parent and child at once."""
    first = document(
        1, "Tariffs rose 2.5% on Monday. Troops moved north. Gas prices fell. Steel paid more."
    )
    return ExportBundle(
        (first,),
        {
            1: (
                annotation(1, first, "Tariffs rose 2.5% on Monday.", (1, 4)),
                annotation(2, first, "Troops moved north.", (2,)),
                annotation(3, first, "Gas prices fell.", (4,)),
                annotation(4, first, "Steel paid more.", (5,)),
            )
        },
        NESTED,
        NOW,
    )


def paragraphs(markdown: str, label: str) -> list[str]:
    """The text after `**label**` in every paragraph that starts with it (parsed back)."""
    found = []
    for token in MarkdownIt("commonmark").parse(markdown.split("\n---\n", 1)[1]):
        if token.type == "inline" and token.content.startswith(f"**{label}**"):
            children = [c for c in token.children or [] if c.type != "text" or c.content][3:]
            assert all(c.type == "text" for c in children), token.content
            found.append("".join(c.content for c in children))
    return found


def test_nested_tags_are_hashtags_with_their_whole_path() -> None:
    text = export_markdown_bundle(nested_bundle())
    assert paragraphs(text, "Tags:") == [
        " #trade #trade/tariffs",
        " #security",
        " #trade/tariffs",
        " #trade/tariffs/tag-2026-steel",  # each part made safe as hashtag() does
    ]
    assert "tags: trade (1), trade › tariffs (2), trade › tariffs › 2026 steel (1)," in text


def test_grouped_by_tag_nests_children_inside_their_parent() -> None:
    text = export_markdown_bundle(nested_bundle(), grouping="tag")
    tokens = MarkdownIt("commonmark").parse(text.split("\n---\n", 1)[1])
    outline = [
        (int(token.tag[1]), tokens[i + 1].content)
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    assert outline == [
        (1, "Article 1"),
        (2, "trade (3)"),  # its own passage, its children's, each once
        (3, "1 · characters 0\u201328"),
        (3, "tariffs (3)"),
        (4, "1 · characters 0\u201328"),
        (4, "2 · characters 49\u201365"),
        (4, "2026 steel (1)"),
        (5, "1 · characters 66\u201382"),
        (2, "security (1)"),
        (3, "1 · characters 29\u201348"),
    ]


def test_tags_nested_deeper_than_markdown_has_headings_share_the_last_level() -> None:
    chain = tuple(
        TagRecord(i, f"level {i}", "#e69f00", i, parent_id=i - 1 if i > 1 else None)
        for i in range(1, 7)
    )
    first = document(1, "Deep claim.")
    data = ExportBundle((first,), {1: (annotation(1, first, "Deep claim.", (6,)),)}, chain, NOW)
    text = export_markdown_bundle(data, grouping="tag")
    marks = [line.split(" ")[0] for line in text.splitlines() if line.startswith("#")]
    assert max(len(mark) for mark in marks) == 6
    assert headings(text, 5) == [
        "level 4 (1)",
        "level 1 › level 2 › level 3 › level 4 › level 5 (1)",
        "level 1 › level 2 › level 3 › level 4 › level 5 › level 6 (1)",
    ]
    assert headings(text, 6) == ["1 · characters 0\u201311"]


def test_claim_fields_follow_the_tags_line_in_either_grouping() -> None:
    data = bundle()
    first = data.documents[0]
    claimed = replace(
        data.annotations[1][1], stance="opposes", speaker='<b>Ana</b> "Ruiz"', checkworthiness=2
    )
    only_speaker = replace(data.annotations[1][0], speaker='=HYPERLINK("x")')
    data = replace(
        data,
        annotations={**data.annotations, 1: (only_speaker, claimed, data.annotations[1][2])},
    )
    groupings: tuple[Grouping, ...] = ("reading", "tag")
    for grouping in groupings:
        text = export_markdown_bundle(data, grouping=grouping)
        claims = paragraphs(text, "Claim:")
        assert ' speaker: =HYPERLINK("x")' in claims
        assert ' opposes · speaker: <b>Ana</b> "Ruiz" · check-worthiness 2/5' in claims
        assert "<b>" not in text  # escaped, so never raw HTML
        blocks = text.split("\n\n")
        index = blocks.index("**Tags:** #security")
        assert blocks[index + 1].startswith("**Claim:** opposes")
    assert first.canonical_url  # the claim line does not disturb the links back


def test_front_matter_names_the_title_source_and_export_time_of_one_article() -> None:
    doc = replace(document(1, "Talks went on. Nobody left."), source='C:\\notes\\"talks".txt')
    bundle = ExportBundle((doc,), {}, TAGS, NOW)
    front = export_markdown_bundle(bundle).split("\n---\n", 1)[0]
    assert 'title: "Article 1"' in front
    assert 'source: "C:\\\\notes\\\\\\"talks\\".txt"' in front
    assert "exported_at:" in front
    library = ExportBundle((doc, document(2, "Other.")), {}, TAGS, NOW)
    assert "source:" not in export_markdown_bundle(library).split("\n---\n", 1)[0]


def test_the_shipped_export_of_a_hostile_library_parses_back_quote_for_quote(store) -> None:
    """The path the window and the command line take: a real library with emoji, 𠮷, Japanese,
    CRLF-origin text, overlaps and hostile notes, rendered and parsed with CommonMark."""
    from export_samples import make_library

    from desktop_app.io.exports import ExportOptions, render

    ids = make_library(store)
    markdown = render(store, "markdown", ids).data.decode("utf-8")
    expected = [a for i in ids for a in store.annotations(i)]
    assert quotes(markdown) == [a.marked_words for a in expected]
    tokens = MarkdownIt("commonmark").parse(markdown.split("\n---\n", 1)[1])
    inline = [c for t in tokens for c in (t.children or [])]
    assert not [t for t in [*tokens, *inline] if t.type in ("html_block", "html_inline")]
    texts = {i: store.document(i).text for i in ids}
    for annotation in expected:
        if annotation.anchor_status == "ok":
            place = f"characters {annotation.start}–{annotation.end}"
            assert place in markdown
            assert texts[annotation.document_id][annotation.start : annotation.end] == (
                annotation.exact
            )
    grouped = render(store, "markdown", ids, ExportOptions(grouping="tag")).data.decode()
    tagged = [a for a in expected if a.tag_ids]
    assert set(quotes(grouped)) >= {a.marked_words for a in tagged}
