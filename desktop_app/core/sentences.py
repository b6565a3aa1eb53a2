"""What a sentence is, for the whole app: the reader's J/K, the analysis and re-anchoring.

A paragraph is a line of the text (split at "\n" only) and sentences never cross one; within
a paragraph, `split_sentences` decides, with pysbd, a rule-based segmenter that keeps
abbreviations (Mr., Dr., U.S.), decimals (2.5%) and quoted or bracketed sentence ends whole and
ends sentences at 。！？. Everything else here is a way of asking that one definition cheaply:

- `SentenceIndex`: the sentences of one document, a paragraph segmented when the reader first
  needs a sentence in it (J/K, a click, tagging): a book-length text (2 MB) would take seconds
  to segment up front.
- `sentence_spans` with `ParagraphSentences`: every sentence of a text, a paragraph met again
  (in the same or another document) segmented once, for counting a library.
- `sentence_around`: the sentence(s) holding a span, looked for only a bounded distance from
  it, for re-anchoring, which asks for the sentences of every copy of a quote.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pysbd

_LINE_BREAK = re.compile("\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a code-point span of the document text, without surrounding white space."""

    start: int
    end: int

    def contains(self, offset: int) -> bool:
        """True when `offset` falls on this sentence (its end counts, for a caret after it)."""
        return self.start <= offset <= self.end


@cache
def _segmenter() -> pysbd.Segmenter:
    import pysbd  # imported on first use: it costs ~40 ms that start-up need not pay

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


# A paragraph with none of these before its one closing mark holds one sentence: pysbd has
# nothing to split on (a property test holds the shortcut to pysbd's answer). One-sentence
# paragraphs, common in news, then skip pysbd, which was most of a library analysis's time.
# The marks, then a single quote that is not an apostrophe inside a word ("Japan's" is fine),
# which can open a quote. Every branch starts with a character class, so that the regex
# engine skips to candidate characters: four times faster than a loop over the characters.
_SPLITTER = re.compile(r"""[.!?。！？…‽)"“”‘]|['’](?:(?<!\w['’])|(?!\w))""")
_CLOSING = ".!?。！？…‽"


def _one_sentence(stripped: str) -> bool:
    end = len(stripped) - 1 if stripped[-1] in _CLOSING else len(stripped)  # one closing mark
    # endpos makes the search see the text as if cut there, lookahead included.
    return end > 0 and _SPLITTER.search(stripped, 0, end) is None


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in code points of one paragraph, trimmed of white space.

    pysbd returns sentence strings; they are located in the paragraph in order rather than
    trusting pysbd's own character spans, which go wrong when a sentence occurs twice.
    """
    stripped = paragraph.strip()
    if not stripped:
        return []
    if _one_sentence(stripped):
        start = paragraph.find(stripped)
        return [(start, start + len(stripped))]
    return pysbd_spans(paragraph)


def pysbd_spans(paragraph: str) -> list[tuple[int, int]]:
    """The spans pysbd finds (split_sentences without its one-sentence shortcut)."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _segmented(paragraph):
        stripped = piece.strip()
        if not stripped:
            continue
        found = paragraph.find(stripped, cursor)
        if found < 0:
            # pysbd changed the text (it should not with clean=False): keep the rest whole.
            rest_start = len(paragraph) - len(paragraph[cursor:].lstrip())
            rest_end = len(paragraph.rstrip())
            if rest_end > rest_start:
                spans.append((rest_start, rest_end))
            return spans
        spans.append((found, found + len(stripped)))
        cursor = found + len(stripped)
    return _join_quoted_clauses(paragraph, spans)


_TRAILING_SPACE = re.compile(r"\s*")


def _segmented(paragraph: str) -> Iterator[str]:
    r"""The sentences pysbd's `segment(paragraph)` returns, less the white space after each.

    segment() runs pysbd's Processor, then places each sentence with a regex built from it,
    `re.escape(sentence) + r"\s*"`, taking the first of its non-overlapping matches from the
    start of the text that ends past the previous sentence's match, and drops a sentence with
    no such match. Compiling a regex for every sentence was a third of the time, and those
    patterns pushed pysbd's own (~200) out of `re`'s cache; str.find walks the same matches.
    """
    previous_end = 0
    for sentence in _segmenter().processor(paragraph).process():
        end = _match_end_after(paragraph, sentence, previous_end)
        if end is not None:
            previous_end = end
            yield sentence


def _match_end_after(text: str, sentence: str, previous_end: int) -> int | None:
    r"""End of the first of `re.finditer(re.escape(sentence) + r"\s*", text)` past previous_end."""
    if not sentence:  # the pattern is then `\s*` alone, with finditer's empty-match rules
        ends = (match.end() for match in _TRAILING_SPACE.finditer(text))
        return next((end for end in ends if end > previous_end), None)
    start = text.find(sentence)
    while start >= 0:
        match = _TRAILING_SPACE.match(text, start + len(sentence))
        assert match is not None  # `\s*` matches anywhere
        if match.end() > previous_end:
            return match.end()
        start = text.find(sentence, match.end())  # finditer resumes after a match
    return None


# Japanese and Chinese close a quotation after its 。: 「勝つ。」と言った。 is one sentence, which
# pysbd cuts after 。 (leaving 」 to start the next one). A piece that starts with a closing
# bracket gives the bracket back; when the rest goes on with a quoting particle or a comma,
# the quotation was inside the sentence and the two pieces are one.
_CLOSERS = '」』）〕】》〉"”’'
_QUOTE_CONTINUES = ("と", "って", "、", "，", "という", "とい")


def _join_quoted_clauses(paragraph: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        closers = len(paragraph[start:end]) - len(paragraph[start:end].lstrip(_CLOSERS))
        if joined and closers and joined[-1][1] == start:
            previous_start, _ = joined.pop()
            rest = paragraph[start + closers : end]
            if not rest or rest.startswith(_QUOTE_CONTINUES):
                joined.append((previous_start, end))
                continue
            joined.append((previous_start, start + closers))
            start += closers
        joined.append((start, end))
    return joined


class SentenceIndex:
    """Finds the sentence at, after or before an offset of one document's text."""

    def __init__(self, text: str) -> None:
        self._text = text
        # Paragraph i spans [starts[i], ends[i]); a paragraph is one line of the text. Arrays,
        # not lists: a book-length text has tens of thousands of lines, and a list of ints
        # costs five times the memory.
        breaks = array("q", [m.start() for m in _LINE_BREAK.finditer(text)])
        self._starts = array("q", [0])
        self._starts.extend(b + 1 for b in breaks)
        self._ends = breaks
        self._ends.append(len(text))
        self._cache: dict[int, list[Sentence]] = {}

    @property
    def paragraph_count(self) -> int:
        """How many paragraphs (lines) the text has, blank ones included."""
        return len(self._starts)

    def sentences_in_paragraph(self, index: int) -> list[Sentence]:
        """The sentences of paragraph `index`, segmenting it on first use."""
        cached = self._cache.get(index)
        if cached is None:
            start = self._starts[index]
            paragraph = self._text[start : self._ends[index]]
            cached = [Sentence(start + a, start + b) for a, b in split_sentences(paragraph)]
            self._cache[index] = cached
        return cached

    def paragraph_of(self, offset: int) -> int:
        """Index of the paragraph holding `offset` (clamped into the text)."""
        offset = min(max(offset, 0), len(self._text))
        return max(bisect_right(self._starts, offset) - 1, 0)

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence under `offset`, or None on a blank line or between sentences' spaces.

        Where two sentences touch (Japanese and Chinese put no space after 。), the offset is
        the end of one and the start of the next: it belongs to the one it starts, as J leaves
        the caret at a sentence's start. The end counts only for a caret just after a sentence.
        """
        ending_here = None
        for sentence in self.sentences_in_paragraph(self.paragraph_of(offset)):
            if sentence.start <= offset < sentence.end:
                return sentence
            if sentence.end == offset:
                ending_here = sentence
        return ending_here

    def next_sentence(self, current: Sentence | None) -> Sentence | None:
        """The sentence after `current` (the first sentence when `current` is None)."""
        # Sentences never overlap, but CJK ones touch (no space after 。), hence >= and <=.
        offset = 0 if current is None else current.end
        paragraph = 0 if current is None else self.paragraph_of(current.start)
        for index in range(paragraph, self.paragraph_count):
            for sentence in self.sentences_in_paragraph(index):
                if sentence.start >= offset and sentence != current:
                    return sentence
        return None

    def previous_sentence(self, current: Sentence | None) -> Sentence | None:
        """The sentence before `current` (the last sentence when `current` is None)."""
        offset = len(self._text) if current is None else current.start
        paragraph = self.paragraph_count - 1 if current is None else self.paragraph_of(offset)
        for index in range(paragraph, -1, -1):
            for sentence in reversed(self.sentences_in_paragraph(index)):
                if sentence.end <= offset and sentence != current:
                    return sentence
        return None

    def first_sentence_from(self, offset: int) -> Sentence | None:
        """The sentence at `offset`, else the next one after it: where a click makes focus."""
        found = self.sentence_at(offset)
        if found is not None:
            return found
        for index in range(self.paragraph_of(offset), self.paragraph_count):
            for sentence in self.sentences_in_paragraph(index):
                if sentence.start >= offset:
                    return sentence
        return None

    def __iter__(self) -> Iterator[Sentence]:
        """Every sentence in reading order (segments the whole text: for analysis, not start-up)."""
        for index in range(self.paragraph_count):
            yield from self.sentences_in_paragraph(index)


class ParagraphSentences:
    """The sentence spans of paragraphs, kept by the paragraph's text.

    A paragraph's sentences depend on its text alone, so a paragraph met again (a byline,
    boilerplate, a syndicated copy, the lines a new version kept) is segmented once. The keys
    are the paragraphs themselves: keep one only as long as the work that fills it.
    """

    def __init__(self) -> None:
        self._spans: dict[str, tuple[tuple[int, int], ...]] = {}

    def spans(self, paragraph: str) -> tuple[tuple[int, int], ...]:
        """`split_sentences(paragraph)` (spans relative to the paragraph), segmented once."""
        found = self._spans.get(paragraph)
        if found is None:
            found = self._spans[paragraph] = tuple(split_sentences(paragraph))
        return found


def sentence_spans(
    text: str, paragraphs: ParagraphSentences | None = None
) -> Iterator[tuple[int, int]]:
    """Every sentence of `text` as (start, end), in reading order: those of SentenceIndex(text).

    Pass one `paragraphs` for many texts that share paragraphs (the documents of a library).
    """
    known = ParagraphSentences() if paragraphs is None else paragraphs
    offset = 0
    for paragraph in text.split("\n"):
        for start, end in known.spans(paragraph):
            yield offset + start, offset + end
        offset += len(paragraph) + 1


# A paragraph up to this long is segmented whole to find the sentence around a span, so the
# answer is SentenceIndex's own. pysbd's cost grows faster than a paragraph's length, so a
# longer one (a text without line breaks) is segmented a window at a time instead: what the
# search needs, and WINDOW_MARGIN_CHARS more on both sides for pysbd to read the words around
# the sentence ends it decides there.
WHOLE_PARAGRAPH_CHARS = 4_000
WINDOW_MARGIN_CHARS = 200


class _Piece(NamedTuple):
    """A stretch of text segmented on its own: a whole paragraph, or a window of a long one."""

    low: int
    high: int
    whole: bool


def sentence_around(
    text: str,
    start: int,
    end: int,
    *,
    reach: int,
    paragraphs: ParagraphSentences | None = None,
) -> tuple[int, int]:
    """The sentence, or run of sentences, holding text[start:end], as SentenceIndex(text) has them.

    From the start of the first sentence the span touches (shares a character with) to the end
    of the last, cut at `reach` characters before `start` and after `end` and then trimmed of
    white space; (start, start) when the span is empty or touches no sentence (it is white space
    between sentences). Only the paragraphs of the span's two ends are read, so the cost does
    not grow with the text: re-anchoring asks this of every copy of a quote in a book.

    In a paragraph longer than WHOLE_PARAGRAPH_CHARS only a window around each end is segmented
    (the whole would cost more than the rest of a re-anchoring). It agrees with the whole
    paragraph unless pysbd's reading of a sentence end depends on text beyond the window's
    margin: a quotation or bracket opened further back, which pysbd reads whole. Such
    paragraphs are articles run together on one line, where pysbd's whole reading is itself
    unsure (it may read thousands of characters as one sentence).
    """
    size = len(text)
    start = min(max(start, 0), size)
    end = min(max(end, start), size)
    if start == end:
        return start, start
    first, last = start, end
    if text[start].isspace() or text[end - 1].isspace():
        quote = text[start:end]
        first += len(quote) - len(quote.lstrip())
        last = start + len(quote.rstrip())
        if first == last:  # white space: at most inside one sentence, so one place to look
            first, last = start, start + 1
    # The sentences between the span's two ends lie inside the run: only the ends are looked
    # at, in one piece when one reaches both (a paragraph, or a window over a short span).
    near = last - first <= 2 * WINDOW_MARGIN_CHARS
    head = _piece_around(text, first, first - reach, last + reach if near else first)
    run = _touched(text, head, start, end, paragraphs)
    if last > head.high or not (near or head.whole):
        tail = _piece_around(text, last - 1, last, last + reach)
        found = _touched(text, tail, start, end, paragraphs)
        if run is None or found is None:
            run = run or found
        else:
            run = min(run[0], found[0]), max(run[1], found[1])
    if run is None:
        return start, start
    begin, finish = run
    # Sentences are trimmed already; only a cut can leave white space at an edge.
    if begin < start - reach:
        begin = start - reach
        begin += len(text[begin:finish]) - len(text[begin:finish].lstrip())
    if finish > end + reach:
        finish = end + reach
        finish = begin + len(text[begin:finish].rstrip())
    return begin, finish


def _touched(
    text: str,
    piece: _Piece,
    start: int,
    end: int,
    paragraphs: ParagraphSentences | None,
) -> tuple[int, int] | None:
    """From the first to the last sentence of `piece` touching [start, end), if any."""
    words = text[piece.low : piece.high]
    spans = split_sentences(words) if paragraphs is None else paragraphs.spans(words)
    start, end = start - piece.low, end - piece.low
    touched = [span for span in spans if span[0] < end and start < span[1]]
    if not touched:
        return None
    return piece.low + touched[0][0], piece.low + touched[-1][1]


def _piece_around(text: str, at: int, low: int, high: int) -> _Piece:
    """The paragraph (line) holding `at`, or, when it is long, its window over [low, high).

    The searches for the line breaks are bounded, so a text without any costs no scan of it.
    """
    size = len(text)
    at = min(at, size - 1) if size else 0
    # One more character than the limit, so that a line of exactly the limit is seen whole.
    search_from = max(at - WHOLE_PARAGRAPH_CHARS - 1, 0)
    before = text.rfind("\n", search_from, at)
    if before >= 0 or search_from == 0:
        line_start = before + 1
        limit = line_start + WHOLE_PARAGRAPH_CHARS
        after = text.find("\n", at, limit + 1)
        if after >= 0:
            return _Piece(line_start, after, whole=True)
        if size <= limit:
            return _Piece(line_start, size, whole=True)
    low = max(low - WINDOW_MARGIN_CHARS, 0)
    high = min(high + WINDOW_MARGIN_CHARS, size)
    before = text.rfind("\n", low, at)
    after = text.find("\n", at, high)
    return _Piece(low if before < 0 else before + 1, high if after < 0 else after, whole=False)
