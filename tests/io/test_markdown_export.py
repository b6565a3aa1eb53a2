"""The Markdown export parses back (CommonMark, markdown-it-py) to exactly the annotated text.

Nothing here compares against a stored copy of the output: every check parses the export and
compares what a Markdown reader would see with the records that went in.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from desktop_app.core.records import STANCES, AnnotationRecord, DocumentRecord, TagRecord
from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.markdown_escape import block_quote, escape_inline, escape_line, yaml_scalar
from desktop_app.io.markdown_export import export_markdown
from desktop_app.resources import resource_path

EXPORTED_AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
CREATED = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
EN_DASH = "\u2013"

HOSTILE = [
    "# heading",
    "> quote",
    "* list",
    "- dash item",
    "+ plus item",
    "1. item",
    "2) item",
    "`code` and ``double``",
    "```python\nprint(1)\n```",
    "~~~\nfenced\n~~~",
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "&amp; &lt; &#32; &copy",
    "[link](http://x)",
    "![img](x)",
    "<http://autolink.example>",
    "---",
    "===",
    "title\n===",
    "title\n---",
    "| table | row |\n|---|---|",
    "    indented code",
    "  leading and trailing  ",
    "\ttabs\t",
    "para one\n\npara two",
    "\n\nstarts with blank lines",
    "ends with blank lines\n\n",
    "back\\slash \\* and trailing\\",
    "*emphasis* _under_ **strong** __strong__",
    "{braces} ~tilde~ ~~strike~~",
    "a  \nhard break by spaces",
    "emoji 😀 and astral CJK 𠮷",
    "日本の首相は「貿易」と『安全保障』について話した。",
    "carriage\rreturn and\u2028separators\u2029",
    "\u00a0non-breaking\u3000ideographic\u00a0",
]

MD = MarkdownIt("commonmark")
FORBIDDEN_BLOCKS = {
    "bullet_list_open",
    "ordered_list_open",
    "html_block",
    "code_block",
    "fence",
    "hr",
    "table_open",
}
PUNCTUATION_HEAVY = st.text(
    alphabet=st.sampled_from(list("#>*-+_`~[]()!<>&=|\\ \t\n.1aZ😀𠮷")), min_size=1
)
# Everything CommonMark can carry: U+0000 has no representation at all, and a vertical tab has no
# character reference, so it is trimmed at a paragraph's edge (see markdown_escape).
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00\x0b"), min_size=1)


# ---- building records -------------------------------------------------------------------------


def make_document(
    text: str, title: str = "Trump meets Takaichi", source: str = ""
) -> DocumentRecord:
    """A document record as storage would hand it over."""
    return DocumentRecord(
        id=1, title=title, source=source or "https://example.org/a", text=text, imported_at=CREATED
    )


def make_tag(tag_id: int, name: str, position: int) -> TagRecord:
    """A codebook entry."""
    return TagRecord(id=tag_id, name=name, colour="#336699", position=position)


def make_annotation(
    annotation_id: int,
    text: str,
    start: int,
    end: int,
    note: str = "",
    tag_ids: tuple[int, ...] = (),
) -> AnnotationRecord:
    """An annotation over `text[start:end]`, with its quote taken from the text itself."""
    return AnnotationRecord(
        id=annotation_id,
        uuid=f"00000000-0000-4000-8000-{annotation_id:012d}",
        document_id=1,
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - 32) : start],
        suffix=text[end : end + 32],
        note=note,
        tag_ids=tag_ids,
        created=CREATED,
        updated=CREATED,
    )


def annotate_pieces(
    pieces: Sequence[str], notes: Sequence[str]
) -> tuple[str, list[AnnotationRecord]]:
    """A text made of `pieces` (with a separator between them) and one annotation per piece."""
    separator = " | "
    text = separator.join(pieces)
    annotations, cursor = [], 0
    for number, (piece, note) in enumerate(zip(pieces, notes, strict=True), start=1):
        annotations.append(make_annotation(number, text, cursor, cursor + len(piece), note))
        cursor += len(piece) + len(separator)
    return text, annotations


def sample_article() -> str:
    """The bundled sample article, normalised as on import."""
    return normalise_text(resource_path("sample-article.txt").read_text(encoding="utf-8"))


# ---- reading the export back -------------------------------------------------------------------


def split_front_matter(markdown: str) -> tuple[dict[str, object], str]:
    """The front matter as a dict (each value is a JSON scalar) and the Markdown body after it."""
    assert markdown.startswith("---\n")
    head, separator, body = markdown[4:].partition("\n---\n")
    assert separator, "front matter is not closed"
    fields: dict[str, object] = {}
    for line in head.split("\n"):
        key, colon, value = line.partition(": ")
        assert colon, f"not a `key: value` line: {line!r}"
        fields[key] = json.loads(value)
    return fields, body


def inline_text(inline: Token) -> str:
    """What a reader sees in an inline token; any markup other than line breaks is a failure."""
    pieces = []
    for child in inline.children or []:
        if child.type == "text":
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append("\n")
        else:
            raise AssertionError(f"user text produced {child.type}: {inline.content!r}")
    return "".join(pieces)


def quotes_in(tokens: Sequence[Token]) -> list[str]:
    """The text of every block quote, in document order (each must hold one paragraph at most)."""
    quotes: list[str] = []
    inside: list[Token] | None = None
    for token in tokens:
        if token.type == "blockquote_open":
            assert inside is None, "nested block quote"
            inside = []
        elif token.type == "blockquote_close":
            assert inside is not None
            assert len(inside) <= 1, "a quote split into several paragraphs"
            quotes.append(inline_text(inside[0]) if inside else "")
            inside = None
        elif inside is not None and token.type == "inline":
            inside.append(token)
    return quotes


def meaningful_children(inline: Token) -> list[Token]:
    """The inline's children without the empty text tokens markdown-it leaves around emphasis."""
    return [c for c in inline.children or [] if c.type != "text" or c.content]


def is_label(inline: Token, label: str) -> bool:
    """Whether an inline token starts with the export's own bold label, e.g. `**Note:**`."""
    children = meaningful_children(inline)
    return [c.type for c in children[:3]] == ["strong_open", "text", "strong_close"] and (
        children[1].content == label
    )


def notes_in(tokens: Sequence[Token]) -> list[str]:
    """The text of the paragraph after every `**Note:**` paragraph."""
    inlines = [t for t in tokens if t.type == "inline"]
    return [
        inline_text(following)
        for current, following in itertools.pairwise(inlines)
        if is_label(current, "Note:") and len(meaningful_children(current)) == 3
    ]


def tag_lines_in(tokens: Sequence[Token]) -> list[str]:
    """The text after `**Tags:**` in every tags paragraph."""
    inlines = [t for t in tokens if t.type == "inline" and is_label(t, "Tags:")]
    return [inline_text(_without_label(t)) for t in inlines]


def claim_lines_in(tokens: Sequence[Token]) -> list[tuple[str, str, int | None]]:
    """(stance, speaker, check-worthiness) read back from every `**Claim:**` paragraph."""
    inlines = [t for t in tokens if t.type == "inline" and is_label(t, "Claim:")]
    return [parse_claim(inline_text(_without_label(t))) for t in inlines]


def parse_claim(text: str) -> tuple[str, str, int | None]:
    """ " supports · speaker: Ana Ruiz · check-worthiness 4/5" as its three fields.

    The stance is one of a few words and comes first, the check-worthiness is last and has a
    fixed form, so the speaker is whatever lies between, after its "speaker: " label.
    """
    assert text.startswith(" "), text
    rest, stance, checkworthiness = text[1:], "", None
    for candidate in STANCES:
        if rest == candidate or rest.startswith(candidate + " · "):
            stance, rest = candidate, rest[len(candidate) + 3 :]
            break
    found = re.search(r"(?:^| · )check-worthiness ([1-5])/5$", rest)
    if found:
        checkworthiness, rest = int(found.group(1)), rest[: found.start()]
    assert not rest or rest.startswith("speaker: "), text
    assert stance or rest or checkworthiness is not None, "an empty claim line"
    return stance, rest.removeprefix("speaker: "), checkworthiness


def _without_label(inline: Token) -> Token:
    """A copy of `inline` without its leading bold label, so the rest can be checked as text."""
    copy = Token(inline.type, inline.tag, inline.nesting, content=inline.content)
    copy.children = meaningful_children(inline)[3:]
    return copy


def heading_texts(tokens: Sequence[Token], tag: str) -> list[str]:
    """The text of every heading of the given level (`h1`, `h2`)."""
    return [
        inline_text(tokens[index + 1])
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == tag
    ]


def check_structure(tokens: Sequence[Token], annotation_count: int) -> None:
    """Only the export's own structure: one title, one heading and one quote per annotation."""
    types = [t.type for t in tokens]
    assert not FORBIDDEN_BLOCKS & set(types), types
    assert len(heading_texts(tokens, "h1")) == 1
    assert len(heading_texts(tokens, "h2")) == annotation_count
    assert types.count("heading_open") == annotation_count + 1
    assert types.count("blockquote_open") == annotation_count
    labels = sum(
        is_label(t, "Tags:") or is_label(t, "Note:") or is_label(t, "Claim:")
        for t in tokens
        if t.type == "inline"
    )
    strong = sum(c.type == "strong_open" for t in tokens if t.children for c in t.children)
    assert strong == labels, "user text produced bold text"


def parse_export(markdown: str, annotation_count: int) -> list[Token]:
    """Parse an export's body and check it has nothing but the export's own structure."""
    _, body = split_front_matter(markdown)
    tokens = MD.parse(body)
    check_structure(tokens, annotation_count)
    return tokens


# ---- the export -------------------------------------------------------------------------------


def test_sample_article_round_trips() -> None:
    text = sample_article()
    second_line = text.split("\n")[1]
    sentence = "Takaichi has stated her determination to accelerate Japan's military expansion"
    first, second = text.find(second_line), text.find(sentence)
    assert first > 0 and second > 0
    tags = [make_tag(10, "security", 1), make_tag(11, "trade", 0)]
    annotations = [
        make_annotation(2, text, second, second + len(sentence), "Defence *spending* > 2%", (10,)),
        make_annotation(1, text, first, first + len(second_line), "", (10, 11)),
    ]

    markdown = export_markdown(make_document(text), annotations, tags, EXPORTED_AT)
    tokens = parse_export(markdown, 2)

    assert quotes_in(tokens) == [second_line, sentence]
    assert notes_in(tokens) == ["Defence *spending* > 2%"]
    assert tag_lines_in(tokens) == [" trade, security", " security"]
    assert heading_texts(tokens, "h1") == ["Trump meets Takaichi"]
    assert heading_texts(tokens, "h2") == [
        f"1 · characters {first}{EN_DASH}{first + len(second_line)}",
        f"2 · characters {second}{EN_DASH}{second + len(sentence)}",
    ]
    summary = [t for t in tokens if t.type == "inline"][1]
    assert inline_text(summary) == "2 annotated passages · tags: trade (1), security (2)"


def test_hostile_quotes_and_notes_round_trip() -> None:
    notes = list(reversed(HOSTILE))
    text, annotations = annotate_pieces(HOSTILE, notes)

    markdown = export_markdown(make_document(text), annotations, [], EXPORTED_AT)
    tokens = parse_export(markdown, len(HOSTILE))

    assert quotes_in(tokens) == HOSTILE
    assert notes_in(tokens) == notes
    assert tag_lines_in(tokens) == [" none"] * len(HOSTILE)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_titles_and_tag_names_stay_text(name: str) -> None:
    text = "Claim one. Claim two."
    tags = [make_tag(1, name, 0), make_tag(2, "plain", 1)]
    annotations = [make_annotation(1, text, 0, 10, tag_ids=(2, 1))]

    markdown = export_markdown(make_document(text, title=name), annotations, tags, EXPORTED_AT)
    tokens = parse_export(markdown, 1)

    one_line = " ".join(name.split())
    assert heading_texts(tokens, "h1") == [one_line]
    assert tag_lines_in(tokens) == [f" {one_line}, plain"]


@pytest.mark.parametrize(
    "title",
    ['He said "no"', "Key: value", "line one\nline two", "---", "a\u2028b\u0085c\x7f", "😀 𠮷"],
)
def test_front_matter_round_trips(title: str) -> None:
    tokyo = timezone(timedelta(hours=9))
    document = make_document("Text.", title=title, source='file:///tmp/a "b": c.txt')
    annotations = [make_annotation(1, "Text.", 0, 4)]

    markdown = export_markdown(document, annotations, [], EXPORTED_AT.astimezone(tokyo))
    fields, _ = split_front_matter(markdown)

    assert fields == {
        "title": title,
        "source": document.source,
        "exported_at": "2026-11-25T10:00:00Z",
        "annotations": 1,
    }
    front = markdown.split("\n---\n", 1)[0]
    assert not set(front) & set("\u2028\u2029\u0085\x7f"), "YAML 1.1 line break or control left raw"


def test_reading_order_ignores_input_order() -> None:
    text = sample_article()
    spans = [(0, 20), (0, 10), (5, 30), (40, 50), (40, 50), (100, 180), (60, 61)]
    annotations = [make_annotation(i, text, s, e) for i, (s, e) in enumerate(spans, start=1)]
    expected = sorted(annotations, key=lambda a: (a.start, a.end, a.id))

    for seed in range(5):
        shuffled = annotations[:]
        random.Random(seed).shuffle(shuffled)
        markdown = export_markdown(make_document(text), shuffled, [], EXPORTED_AT)
        tokens = parse_export(markdown, len(spans))
        assert heading_texts(tokens, "h2") == [
            f"{n} · characters {a.start}{EN_DASH}{a.end}" for n, a in enumerate(expected, start=1)
        ]
        assert quotes_in(tokens) == [a.exact for a in expected]


CLAIMS = [
    ("supports", "Ana Ruiz", 4),
    ("opposes", "", None),
    ("", '=HYPERLINK("x")', None),
    ("", "", 5),
    ("", "", None),
    ("unclear", '<b>Ana</b> "Ruiz"', 1),
    ("neutral", "# Heading * item [link](http://x) · speaker: `x` | a |", 3),
    ("", "1. listed - and + more", None),
    ("", "supports", None),
]


def test_claim_fields_follow_the_tags_and_read_back_exactly() -> None:
    text, annotations = annotate_pieces([f"claim {i}" for i in range(len(CLAIMS))], [""] * 9)
    annotations = [
        replace(a, stance=stance, speaker=speaker, checkworthiness=checkworthiness, tag_ids=(1,))
        for a, (stance, speaker, checkworthiness) in zip(annotations, CLAIMS, strict=True)
    ]
    markdown = export_markdown(make_document(text), annotations, [make_tag(1, "t", 0)], EXPORTED_AT)
    tokens = parse_export(markdown, len(CLAIMS))

    assert claim_lines_in(tokens) == [c for c in CLAIMS if c != ("", "", None)]
    lines = markdown.split("\n\n")
    first = lines.index("**Tags:** t")
    assert lines[first + 1] == "**Claim:** supports · speaker: Ana Ruiz · check-worthiness 4/5"
    # An annotation without claim fields has no claim line: its tags are followed by a heading.
    assert "**Claim:**" not in markdown.split("## 5 ·")[1].split("## 6 ·")[0]


@settings(max_examples=100, deadline=None, database=None)
@given(PUNCTUATION_HEAVY, st.sampled_from(("", *STANCES)), st.none() | st.integers(1, 5))
def test_any_speaker_reads_back(speaker: str, stance: str, checkworthiness: int | None) -> None:
    text, (annotation,) = annotate_pieces(["a claim"], ["a note"])
    annotation = replace(
        annotation, stance=stance, speaker=speaker, checkworthiness=checkworthiness
    )
    tokens = parse_export(export_markdown(make_document(text), [annotation], [], EXPORTED_AT), 1)
    # The store keeps a speaker on one line; the export does the same for any record.
    one_line = " ".join(speaker.split())
    expected = (
        []
        if (stance, one_line, checkworthiness) == ("", "", None)
        else [(stance, one_line, checkworthiness)]
    )
    assert claim_lines_in(tokens) == expected
    assert notes_in(tokens) == ["a note"]


def test_nested_tags_are_named_by_their_path() -> None:
    text = "Tariffs rose. Troops moved."
    tags = [
        make_tag(1, "trade", 0),
        replace(make_tag(2, "tariffs", 2), parent_id=1),
        make_tag(3, "security", 1),
        replace(make_tag(4, "*steel*", 3), parent_id=2),
    ]
    annotations = [
        make_annotation(1, text, 0, 13, tag_ids=(2, 3)),
        make_annotation(2, text, 14, 27, tag_ids=(4, 1)),
    ]
    tokens = parse_export(export_markdown(make_document(text), annotations, tags, EXPORTED_AT), 2)

    assert tag_lines_in(tokens) == [
        " security, trade › tariffs",
        " trade, trade › tariffs › *steel*",
    ]
    summary = [t for t in tokens if t.type == "inline"][1]
    assert inline_text(summary) == (
        "2 annotated passages · tags: trade (1), trade › tariffs (1), "
        "trade › tariffs › *steel* (1), security (1)"
    )


def test_unknown_tags_are_skipped_and_blank_notes_left_out() -> None:
    text = "One claim. Another claim."
    tags = [make_tag(1, "trade", 0)]
    annotations = [
        make_annotation(1, text, 0, 10, note=" \n\t ", tag_ids=(99, 1, 1)),
        make_annotation(2, text, 11, 25, tag_ids=(98,)),
    ]

    markdown = export_markdown(make_document(text), annotations, tags, EXPORTED_AT)
    tokens = parse_export(markdown, 2)

    assert tag_lines_in(tokens) == [" trade", " none"]
    assert notes_in(tokens) == []
    summary = [t for t in tokens if t.type == "inline"][1]
    assert inline_text(summary) == "2 annotated passages · tags: trade (1)"


def test_empty_export_is_well_formed() -> None:
    markdown = export_markdown(make_document("Nothing tagged.", title=""), [], [], EXPORTED_AT)
    fields, body = split_front_matter(markdown)
    tokens = parse_export(markdown, 0)

    assert fields["annotations"] == 0
    assert heading_texts(tokens, "h1") == ["Untitled document"]
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")
    assert body.startswith("\n# ")


def test_ends_with_exactly_one_newline() -> None:
    text, annotations = annotate_pieces(["ends with blank lines\n\n"], ["note ends too\n\n"])
    markdown = export_markdown(make_document(text), annotations, [], EXPORTED_AT)
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def test_naive_export_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        export_markdown(make_document("x"), [], [], datetime(2026, 11, 25, 10, 0))


# ---- the escaping helpers ----------------------------------------------------------------------


def test_ordinary_prose_is_left_alone() -> None:
    prose = "It's 5 o'clock, isn't it: yes? \"Quite\" (AP) — wow! 😀 𠮷 日本語 well-known 3.5%"
    assert escape_inline(prose) == prose


def test_escape_line_collapses_line_breaks() -> None:
    assert escape_line("  two\nlines  ") == "two lines"


def single_paragraph(markdown: str) -> str:
    """The text of `markdown` embedded between two paragraphs, checked to stay one paragraph."""
    tokens = MD.parse(f"Before.\n\n{markdown}\n\nAfter.")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"] * 3
    assert inline_text(tokens[1]) == "Before." and inline_text(tokens[7]) == "After."
    return inline_text(tokens[4])


def single_quote(markdown: str) -> str:
    """The text of the one block quote that `markdown` must consist of."""
    tokens = MD.parse(markdown)
    assert [t.type for t in tokens] == [
        "blockquote_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "blockquote_close",
    ]
    return inline_text(tokens[2])


@settings(max_examples=300, deadline=None, database=None)
@given(PUNCTUATION_HEAVY)
def test_block_quote_round_trips(text: str) -> None:
    assert single_quote(block_quote(text)) == text


@settings(max_examples=300, deadline=None, database=None)
@given(PUNCTUATION_HEAVY)
def test_escaped_paragraph_round_trips(text: str) -> None:
    assert single_paragraph(escape_inline(text)) == text


@settings(max_examples=300, deadline=None, database=None)
@given(ANY_TEXT)
def test_any_text_round_trips(text: str) -> None:
    assert single_quote(block_quote(text)) == text
    assert single_paragraph(escape_inline(text)) == text


@settings(max_examples=100, deadline=None, database=None)
@given(st.lists(st.tuples(PUNCTUATION_HEAVY, PUNCTUATION_HEAVY | st.just("")), max_size=4))
def test_whole_export_round_trips(pairs: list[tuple[str, str]]) -> None:
    pieces, notes = [p for p, _ in pairs], [n for _, n in pairs]
    text, annotations = annotate_pieces(pieces, notes)

    markdown = export_markdown(make_document(text), annotations, [], EXPORTED_AT)
    tokens = parse_export(markdown, len(pairs))

    assert quotes_in(tokens) == pieces
    assert notes_in(tokens) == [note for note in notes if note.strip()]


@settings(max_examples=300, deadline=None, database=None)
@given(st.text())
def test_yaml_scalar_is_one_json_line(value: str) -> None:
    scalar = yaml_scalar(value)
    assert json.loads(scalar) == value
    assert "\n" not in scalar and not set(scalar) & set("\u2028\u2029\u0085\x7f\ufeff")
