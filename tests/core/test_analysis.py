"""The analysis counts, checked against numbers worked out by hand on the sample article.

The sample has 20 lines and each line is one sentence, so "line 13" below is sentence 13.
Tag ids deliberately do not follow codebook order (trade is id 7 but first), so a count keyed
or ordered by id instead of by position shows up.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop_app.core.analysis import (
    Analysis,
    TagStats,
    analyse,
    analysis_rows,
    publication_month,
)
from desktop_app.core.records import AnnotationRecord, DocumentRecord, TagRecord
from desktop_app.core.sentences import SentenceIndex

TRADE, SECURITY, COALITION, TARIFFS = 7, 3, 5, 2
TAGS = (
    # Given out of order on purpose: analyse() puts them in codebook (position) order.
    TagRecord(TARIFFS, "tariffs", "#cc79a7", 3, parent_id=TRADE),
    TagRecord(TRADE, "trade", "#e69f00", 0),
    TagRecord(COALITION, "coalition", "#009e73", 2),
    TagRecord(SECURITY, "security", "#0072b2", 1),
)
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def line_span(text: str, line: int) -> tuple[int, int]:
    """Start and end (exclusive) of 1-based `line` of `text`, without its line break."""
    lines = text.split("\n")
    start = sum(len(earlier) + 1 for earlier in lines[: line - 1])
    return start, start + len(lines[line - 1])


def phrase(text: str, words: str) -> tuple[int, int]:
    """Span of `words`, which must occur exactly once in `text`."""
    assert text.count(words) == 1, words
    start = text.find(words)
    return start, start + len(words)


class Annotations:
    """Builds AnnotationRecords with distinct ids for one document."""

    next_id = 1

    def __init__(self, document_id: int, text: str) -> None:
        self.document_id = document_id
        self.text = text
        self.made: list[AnnotationRecord] = []

    def add(self, span: tuple[int, int], *tag_ids: int, status: str = "ok") -> AnnotationRecord:
        start, end = span
        record = AnnotationRecord(
            id=Annotations.next_id,
            uuid=f"uuid-{Annotations.next_id}",
            document_id=self.document_id,
            start=start,
            end=end,
            exact=self.text[start:end],
            prefix="",
            suffix="",
            note="",
            tag_ids=tag_ids,
            created=NOW,
            updated=NOW,
            anchor_status=status,
        )
        Annotations.next_id += 1
        self.made.append(record)
        return record


def document(document_id: int, text: str, published: str, title: str = "") -> DocumentRecord:
    return DocumentRecord(
        id=document_id,
        title=title or f"Article {document_id}",
        source="test",
        text=text,
        imported_at=NOW,
        published=published,
    )


def article_a(text: str) -> list[AnnotationRecord]:
    """The annotations of the main case (lines touched in brackets):

    a1 trade       "trade and security matters"          [2]
    a2 security    "security matters"                     [2]  two tags' annotations on one line
    a3 coalition   "having formed a coalition … laws"     [5, 6]  spans two sentences
    a4 security    the whole of line 9                    [9]
    a5 trade+security  the whole of line 12               [12]  one annotation, two tags
    a6 tariffs     "latest duty adjustments"              [13]  child only
    a7 tariffs+trade "increased acquisitions of US products" [14]  child and parent
    a8 trade       "pickup trucks, soybeans, and gas"     [14]
    a9 coalition   line 3, needs_review                   ignored
    a10 (no tag)   "set to meet Chinese president Xi"     [19]
    a11 security   line 7 and its line break, ending where line 8 starts  [7] only
    """
    notes = Annotations(1, text)
    notes.add(phrase(text, "trade and security matters"), TRADE)
    notes.add(phrase(text, "security matters"), SECURITY)
    notes.add(
        (phrase(text, "having formed a coalition")[0], phrase(text, "to approve laws")[1]),
        COALITION,
    )
    notes.add(line_span(text, 9), SECURITY)
    notes.add(line_span(text, 12), TRADE, SECURITY)
    notes.add(phrase(text, "latest duty adjustments"), TARIFFS)
    notes.add(phrase(text, "increased acquisitions of US products"), TARIFFS, TRADE)
    notes.add(phrase(text, "pickup trucks, soybeans, and gas"), TRADE)
    notes.add(line_span(text, 3), COALITION, status="needs_review")
    notes.add(phrase(text, "set to meet Chinese president Xi"))
    notes.add((line_span(text, 7)[0], line_span(text, 8)[0]), SECURITY)
    return notes.made


def stats_of(analysis: Analysis) -> dict[str, tuple[int, int, float]]:
    return {t.name: (t.annotations, t.sentences, t.coverage) for t in analysis.per_tag}


def test_the_sample_has_one_sentence_per_line(sample_text: str) -> None:
    sentences = list(SentenceIndex(sample_text))
    assert [(s.start, s.end) for s in sentences] == [
        line_span(sample_text, n) for n in range(1, 21)
    ]


def test_one_article_with_rollup(sample_text: str) -> None:
    result = analyse(
        [document(1, sample_text, "2026-03-12", "Takaichi")], {1: article_a(sample_text)}, TAGS
    )

    assert result.title == "Takaichi"
    assert (result.documents, result.sentence_count) == (1, 20)
    assert result.annotation_count == 10  # a9 needs review
    assert result.tagged_sentences == 9  # lines 2, 5, 6, 7, 9, 12, 13, 14, 19
    assert [t.tag_id for t in result.per_tag] == [TRADE, SECURITY, COALITION, TARIFFS]
    assert stats_of(result) == {
        "trade": (5, 4, 0.2),  # a1 a5 a6 a7 a8 on lines 2, 12, 13, 14
        "security": (4, 4, 0.2),  # a2 a4 a5 a11 on lines 2, 9, 12, 7 (not 8)
        "coalition": (1, 2, 0.1),  # a3 on lines 5 and 6
        "tariffs": (2, 2, 0.1),  # a6 a7 on lines 13, 14
    }
    assert result.per_tag[3] == TagStats(TARIFFS, "tariffs", "#cc79a7", TRADE, 2, 2, 0.1)
    # trade+security on lines 2 and 12; trade (rolled up) + tariffs on lines 13 and 14.
    assert result.cooccurrence == ((TRADE, SECURITY, 2), (TRADE, TARIFFS, 2))
    assert result.over_time == (
        ("2026-03", ((TRADE, 5), (SECURITY, 4), (COALITION, 1), (TARIFFS, 2))),
    )


def test_one_article_without_rollup(sample_text: str) -> None:
    result = analyse(
        [document(1, sample_text, "2026-03-12")], {1: article_a(sample_text)}, TAGS, rollup=False
    )

    assert (result.annotation_count, result.tagged_sentences) == (10, 9)
    assert stats_of(result) == {
        "trade": (4, 3, 0.15),  # a1 a5 a7 a8 on lines 2, 12, 14
        "security": (4, 4, 0.2),
        "coalition": (1, 2, 0.1),
        "tariffs": (2, 2, 0.1),
    }
    # Line 13 has tariffs alone now; line 14 still has both (a7 carries both).
    assert result.cooccurrence == ((TRADE, SECURITY, 2), (TRADE, TARIFFS, 1))
    assert result.rollup is False


def test_an_annotation_carrying_parent_and_child_counts_once_for_the_parent(
    sample_text: str,
) -> None:
    notes = Annotations(1, sample_text)
    notes.add(line_span(sample_text, 14), TARIFFS, TRADE)
    result = analyse([document(1, sample_text, "")], {1: notes.made}, TAGS)
    assert stats_of(result)["trade"] == (1, 1, 0.05)
    assert result.cooccurrence == ((TRADE, TARIFFS, 1),)


def test_touching_means_sharing_a_character(sample_text: str) -> None:
    start_8, end_8 = line_span(sample_text, 8)
    notes = Annotations(1, sample_text)
    notes.add((start_8 - 1, start_8), SECURITY)  # only the line break before line 8
    notes.add((end_8 - 1, end_8 + 1), COALITION)  # the last "." of line 8 and the break
    notes.add((start_8, start_8), TRADE)  # empty: touches nothing
    result = analyse([document(1, sample_text, "")], {1: notes.made}, TAGS)
    assert stats_of(result)["security"] == (1, 0, 0.0)
    assert stats_of(result)["coalition"] == (1, 1, 0.05)
    assert stats_of(result)["trade"] == (1, 0, 0.0)
    assert result.tagged_sentences == 1


def test_a_library_by_month_with_an_undated_article(sample_text: str) -> None:
    """Four articles on the sample text: A (2026-03-12) as above, B (2026-03-28),
    C (2026-02-05) and D (no date), given out of date order."""
    b = Annotations(2, sample_text)
    b.add(line_span(sample_text, 11), SECURITY)
    b.add(phrase(sample_text, "duty adjustments"), TARIFFS)
    c = Annotations(3, sample_text)
    c.add(phrase(sample_text, "formed a coalition"), COALITION)
    c.add(phrase(sample_text, "major concessions"), TRADE)
    d = Annotations(4, sample_text)
    # From "security" on line 2 into line 3: lines 2 and 3.
    d.add(
        (phrase(sample_text, "security matters")[0], line_span(sample_text, 3)[0] + 8),
        TRADE,
        COALITION,
    )
    documents = [
        document(1, sample_text, "2026-03-12"),
        document(4, sample_text, ""),
        document(3, sample_text, "2026-02-05"),
        document(2, sample_text, "2026-03-28T09:00:00Z"),
    ]
    annotations = {1: article_a(sample_text), 2: b.made, 3: c.made, 4: d.made}

    result = analyse(documents, annotations, TAGS)

    assert result.title == "Library (4 articles)"
    assert (result.documents, result.sentence_count) == (4, 80)
    assert result.annotation_count == 10 + 2 + 2 + 1
    assert result.tagged_sentences == 9 + 2 + 2 + 2
    assert stats_of(result) == {
        # annotations A5 + B1 (tariffs) + C1 + D1; sentences A4 + B13 + C13 + D2,3
        "trade": (8, 8, 0.1),
        # A4 + B1 (line 11)
        "security": (5, 5, 0.0625),
        # A1 (lines 5, 6) + C1 (line 5) + D1 (lines 2, 3)
        "coalition": (3, 5, 0.0625),
        # A2 + B1 (line 13)
        "tariffs": (3, 3, 0.0375),
    }
    # A: trade+security 2, trade+tariffs 2; B: trade+tariffs on line 13;
    # D: trade+coalition on lines 2 and 3.
    assert result.cooccurrence == (
        (TRADE, SECURITY, 2),
        (TRADE, COALITION, 2),
        (TRADE, TARIFFS, 3),
    )
    assert result.over_time == (
        ("2026-02", ((TRADE, 1), (SECURITY, 0), (COALITION, 1), (TARIFFS, 0))),
        ("2026-03", ((TRADE, 6), (SECURITY, 5), (COALITION, 1), (TARIFFS, 3))),
        ("undated", ((TRADE, 1), (SECURITY, 0), (COALITION, 1), (TARIFFS, 0))),
    )


def test_annotations_of_documents_out_of_scope_are_not_counted(sample_text: str) -> None:
    others = Annotations(9, sample_text)
    others.add(line_span(sample_text, 1), TRADE)
    result = analyse([document(1, sample_text, "")], {9: others.made}, TAGS)
    assert (result.annotation_count, result.tagged_sentences) == (0, 0)
    assert result.cooccurrence == ()


def test_an_empty_library() -> None:
    result = analyse([], {}, TAGS)
    assert (result.title, result.sentence_count, result.annotation_count) == (
        "Library (0 articles)",
        0,
        0,
    )
    assert [t.coverage for t in result.per_tag] == [0.0] * 4
    assert result.over_time == ()


@pytest.mark.parametrize(
    ("published", "month"),
    [
        ("2026-03-12", "2026-03"),
        ("2026-03", "2026-03"),
        ("2026-11-30T23:00:00+09:00", "2026-11"),
        ("", "undated"),
        ("2026", "undated"),
        ("2026-13-01", "undated"),
        ("March 2026", "undated"),
    ],
)
def test_publication_month(published: str, month: str) -> None:
    assert publication_month(published) == month


def test_rows_name_tags_and_parents(sample_text: str) -> None:
    result = analyse([document(1, sample_text, "2026-03-12")], {1: article_a(sample_text)}, TAGS)
    tables = analysis_rows(result)
    assert tables.tags[3] == {
        "tag_id": TARIFFS,
        "tag": "tariffs",
        "parent_id": TRADE,
        "parent": "trade",
        "colour": "#cc79a7",
        "annotations": 2,
        "sentences": 2,
        "coverage": 0.1,
    }
    assert tables.tags[0]["parent"] == ""
    assert tables.cooccurrence[1] == {
        "tag_a_id": TRADE,
        "tag_a": "trade",
        "tag_b_id": TARIFFS,
        "tag_b": "tariffs",
        "sentences": 2,
    }
    assert [(r["period"], r["tag"], r["annotations"]) for r in tables.over_time] == [
        ("2026-03", "trade", 5),
        ("2026-03", "security", 4),
        ("2026-03", "coalition", 1),
        ("2026-03", "tariffs", 2),
    ]


def test_a_paragraph_shared_by_two_documents_counts_in_each(sample_text: str) -> None:
    """A paragraph met again is segmented once per analysis; each document still gets its own
    sentences at its own offsets, so the library is the sum of its documents."""
    shared = 'He said "we will win." Then he left. Mr. Abe agreed on Jan. 5.'
    first_text = f"{shared}\n\n{sample_text}"
    second_text = f"Intro line.\n  {shared}\n「勝つ。」と言った。次の文。\n{shared}"
    first = Annotations(1, first_text)
    first.add(phrase(first_text, "security matters"), SECURITY, TRADE)
    first.add((0, len(shared)), COALITION)  # the three sentences of the shared paragraph
    second = Annotations(2, second_text)
    second.add(phrase(second_text, "Intro line.\n  He said"), TARIFFS, SECURITY)
    second.add((second_text.rindex("Then"), len(second_text)), TRADE)
    second.add(phrase(second_text, "と言った"), COALITION)
    documents = [document(1, first_text, "2026-03-01"), document(2, second_text, "")]
    annotations = {1: first.made, 2: second.made}

    together = analyse(documents, annotations, TAGS)
    alone = [analyse([d], annotations, TAGS) for d in documents]

    assert [a.sentence_count for a in alone] == [
        len(list(SentenceIndex(first_text))),
        len(list(SentenceIndex(second_text))),
    ]
    assert together.sentence_count == sum(a.sentence_count for a in alone)
    assert together.tagged_sentences == sum(a.tagged_sentences for a in alone)
    assert [t.sentences for t in together.per_tag] == [
        sum(pair) for pair in zip(*([t.sentences for t in a.per_tag] for a in alone), strict=True)
    ]
    pairs: dict[tuple[int, int], int] = {}
    for single in alone:
        for a, b, count in single.cooccurrence:
            pairs[(a, b)] = pairs.get((a, b), 0) + count
    assert {(a, b): n for a, b, n in together.cooccurrence} == pairs
