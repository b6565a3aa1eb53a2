"""Counting what a codebook found: per-tag totals, co-occurrence and change over time.

The numbers are meant to be checked by hand, so every one has a plain definition:

- Only annotations whose `anchor_status` is "ok" count; the others are waiting for the reader
  to confirm where they belong, and could be on the wrong words.
- A sentence (a span of `sentences.sentence_spans`: the sentences the reader moves by) is
  *touched* by an annotation when the two share at least one character:
  `sentence.start < annotation.end and annotation.start < sentence.end` (code points, ends
  exclusive). An annotation that stops at the line break before a sentence
  does not touch it; one that runs across two sentences touches both.
- An annotation *carries* a tag when the tag is among its `tag_ids`; with `rollup=True` it also
  carries every ancestor of those tags (`tariffs` nested under `trade` makes it carry `trade`).
  An annotation carries a tag once however many of its tags lead to it.
- Two tags *co-occur* on a sentence when the sentence is touched by annotations carrying each of
  them; one annotation carrying both counts too.

Sentences are found per document and counted per document: the same words in two articles are
two sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol, TypedDict

from desktop_app.core.records import ANCHOR_OK, TagRecord
from desktop_app.core.sentences import ParagraphSentences, sentence_spans

UNDATED = "undated"
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])")


class AnalysedDocument(Protocol):
    """What `analyse` reads of a document (a DocumentRecord has it all).

    Only these fields, so that a library count can load them alone rather than every
    document's full record.
    """

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def published(self) -> str: ...


class AnalysedAnnotation(Protocol):
    """What `analyse` reads of an annotation (an AnnotationRecord has it all)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def anchor_status(self) -> str: ...
    @property
    def tag_ids(self) -> Sequence[int]: ...


class TagRow(TypedDict):
    """One tag's line of the per-tag table."""

    tag_id: int
    tag: str
    parent_id: int | None
    parent: str  # "" for a top-level tag
    colour: str
    annotations: int
    sentences: int
    coverage: float


class PairRow(TypedDict):
    """One line of the co-occurrence table."""

    tag_a_id: int
    tag_a: str
    tag_b_id: int
    tag_b: str
    sentences: int


class PeriodRow(TypedDict):
    """One line of the over-time table: a tag's annotations in one month (or "undated")."""

    period: str
    tag_id: int
    tag: str
    annotations: int


@dataclass(frozen=True, slots=True)
class AnalysisTables:
    """An analysis as the flat tables that exports write, tags named and with their ids."""

    tags: list[TagRow]
    cooccurrence: list[PairRow]
    over_time: list[PeriodRow]


@dataclass(frozen=True, slots=True)
class TagStats:
    """What one tag found in the documents analysed."""

    tag_id: int
    name: str
    colour: str
    parent_id: int | None
    annotations: int  # ok annotations carrying the tag (rolled up: or any of its descendants)
    sentences: int  # sentences touched by at least one of those annotations
    coverage: float  # sentences / the analysis's sentence_count (0.0 when there are none)


@dataclass(frozen=True, slots=True)
class Analysis:
    """The numbers of one document or of a library, as `analyse` defines them."""

    title: str  # the document's title, or "Library (12 articles)"
    documents: int
    sentence_count: int
    annotation_count: int  # ok annotations in scope, tagged or not
    tagged_sentences: int  # sentences touched by any ok annotation, tagged or not
    per_tag: tuple[TagStats, ...]  # every tag, in codebook order
    # (tag_a, tag_b, sentences where both occur): tag_a before tag_b in codebook order, only
    # pairs that co-occur at least once, sorted by codebook order of tag_a then tag_b.
    cooccurrence: tuple[tuple[int, int, int], ...]
    # ("2026-03", ((tag_id, annotations), ...)): every tag in codebook order for each month
    # some document was published in, months sorted, then "undated" for documents without one.
    over_time: tuple[tuple[str, tuple[tuple[int, int], ...]], ...]
    rollup: bool = True


def analyse(
    documents: Sequence[AnalysedDocument],
    annotations: Mapping[int, Sequence[AnalysedAnnotation]],
    tags: Sequence[TagRecord],
    *,
    rollup: bool = True,
) -> Analysis:
    """Count the ok annotations of `documents` (`annotations` maps a document id to its own)
    by tag, by sentence, by pair of tags and by month of publication (see the module docstring).

    Tag ids that `tags` does not hold are ignored; `tags` is put in codebook order (`position`).
    Segmenting the paragraphs that are not plainly one sentence (pysbd, about 0.5 ms each) is
    nearly all the cost: seconds for 2 MB of text, so call it off the GUI thread. A paragraph
    met again (a byline, boilerplate, a syndicated copy) is segmented once per call.
    Annotations are placed on sentences by binary search (10,000 in about 50 ms).
    """
    codebook = sorted(tags, key=lambda tag: tag.position)
    tally = _Tally(codebook, _carried_tags(codebook, rollup))
    paragraphs = ParagraphSentences()
    for document in documents:
        tally.count_document(document, annotations.get(document.id, ()), paragraphs)
    return tally.analysis(
        documents[0].title if len(documents) == 1 else f"Library ({len(documents)} articles)",
        len(documents),
        rollup,
    )


class _Tally:
    """The running counts of one `analyse` call, document by document."""

    def __init__(self, codebook: list[TagRecord], carried: dict[int, tuple[int, ...]]) -> None:
        self.codebook = codebook
        self.order = {tag.id: index for index, tag in enumerate(codebook)}
        self.carried = carried
        self.annotation_totals = dict.fromkeys(self.order, 0)
        self.sentence_totals = dict.fromkeys(self.order, 0)
        self.pair_totals: dict[tuple[int, int], int] = {}
        self.by_period: dict[str, dict[int, int]] = {}
        self.sentence_count = self.annotation_count = self.tagged_sentences = 0

    def count_document(
        self,
        document: AnalysedDocument,
        annotations: Sequence[AnalysedAnnotation],
        paragraphs: ParagraphSentences,
    ) -> None:
        """Add one document's sentences and ok annotations to the counts."""
        starts, ends = _starts_and_ends(document.text, paragraphs)
        self.sentence_count += len(starts)
        period = self.by_period.setdefault(
            publication_month(document.published), dict.fromkeys(self.order, 0)
        )
        tags_on: dict[int, set[int]] = {}  # sentence number -> tags carried by touching ones
        for annotation in annotations:
            if annotation.anchor_status != ANCHOR_OK:
                continue
            self.annotation_count += 1
            own = _union(self.carried.get(tag_id, ()) for tag_id in annotation.tag_ids)
            for tag_id in own:
                self.annotation_totals[tag_id] += 1
                period[tag_id] += 1
            # Touching sentences: those ending after the annotation starts and starting before
            # it ends; sentences are sorted and never overlap, so both bounds are bisections.
            first = bisect_right(ends, annotation.start)
            last = bisect_left(starts, annotation.end)
            for number in range(first, last):
                tags_on.setdefault(number, set()).update(own)
        self._count_sentences(tags_on)

    def _count_sentences(self, tags_on: dict[int, set[int]]) -> None:
        """Count each touched sentence once per tag, and once per pair of its tags."""
        self.tagged_sentences += len(tags_on)
        for found in tags_on.values():
            for tag_id in found:
                self.sentence_totals[tag_id] += 1
            for a, b in combinations(sorted(found, key=self.order.__getitem__), 2):
                self.pair_totals[(a, b)] = self.pair_totals.get((a, b), 0) + 1

    def analysis(self, title: str, documents: int, rollup: bool) -> Analysis:
        """The counts as an Analysis: tags in codebook order, pairs and months sorted."""
        sentence_count = self.sentence_count
        per_tag = tuple(
            TagStats(
                tag_id=tag.id,
                name=tag.name,
                colour=tag.colour,
                parent_id=tag.parent_id,
                annotations=self.annotation_totals[tag.id],
                sentences=self.sentence_totals[tag.id],
                coverage=self.sentence_totals[tag.id] / sentence_count if sentence_count else 0.0,
            )
            for tag in self.codebook
        )
        order = self.order
        pairs = sorted(self.pair_totals.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]]))
        periods = sorted(self.by_period, key=lambda month: (month == UNDATED, month))
        return Analysis(
            title=title,
            documents=documents,
            sentence_count=sentence_count,
            annotation_count=self.annotation_count,
            tagged_sentences=self.tagged_sentences,
            per_tag=per_tag,
            cooccurrence=tuple((a, b, count) for (a, b), count in pairs),
            over_time=tuple((month, tuple(self.by_period[month].items())) for month in periods),
            rollup=rollup,
        )


def publication_month(published: str) -> str:
    """ "2026-03" for a date that starts "2026-03" (ISO 8601), else "undated"."""
    match = _MONTH.match(published.strip())
    return f"{match[1]}-{match[2]}" if match else UNDATED


def analysis_rows(analysis: Analysis) -> AnalysisTables:
    """The per-tag, co-occurrence and over-time tables of `analysis`, in its order."""
    names = {stats.tag_id: stats.name for stats in analysis.per_tag}
    return AnalysisTables(
        tags=[
            TagRow(
                tag_id=stats.tag_id,
                tag=stats.name,
                parent_id=stats.parent_id,
                parent="" if stats.parent_id is None else names.get(stats.parent_id, ""),
                colour=stats.colour,
                annotations=stats.annotations,
                sentences=stats.sentences,
                coverage=stats.coverage,
            )
            for stats in analysis.per_tag
        ],
        cooccurrence=[
            PairRow(tag_a_id=a, tag_a=names[a], tag_b_id=b, tag_b=names[b], sentences=n)
            for a, b, n in analysis.cooccurrence
        ],
        over_time=[
            PeriodRow(period=period, tag_id=tag_id, tag=names[tag_id], annotations=count)
            for period, counts in analysis.over_time
            for tag_id, count in counts
        ],
    )


def _starts_and_ends(text: str, paragraphs: ParagraphSentences) -> tuple[list[int], list[int]]:
    """Starts and ends of the sentences of `text`, apart, for bisection."""
    spans = list(sentence_spans(text, paragraphs))
    return [start for start, _ in spans], [end for _, end in spans]


def _carried_tags(codebook: Sequence[TagRecord], rollup: bool) -> dict[int, tuple[int, ...]]:
    """For each tag, the tags an annotation carrying it counts for: itself, and with `rollup`
    its ancestors (a parent missing from the codebook, or a loop, ends the chain)."""
    parents = {tag.id: tag.parent_id for tag in codebook}
    carried: dict[int, tuple[int, ...]] = {}
    for tag in codebook:
        chain = [tag.id]
        parent = parents[tag.id] if rollup else None
        while parent is not None and parent in parents and parent not in chain:
            chain.append(parent)
            parent = parents[parent]
        carried[tag.id] = tuple(chain)
    return carried


def _union(groups: Iterable[Iterable[int]]) -> set[int]:
    """The ids in any of `groups`."""
    found: set[int] = set()
    for group in groups:
        found.update(group)
    return found
