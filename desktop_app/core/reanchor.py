"""Re-anchoring: carry annotations from one version of a text to the next, or say they are lost.

For each anchor, in order of preference (the Hypothesis client's strategy, plus a minimum score):

1. **position**: the quote is still at its old offset, carried through the lines both versions
   share (`LineDiff`). Accepted with score 1, unless the edit put a new copy of the quote nearby
   whose context fits as well, in which case the diff's pick is arbitrary and needs review.
2. **exact**: the quote occurs elsewhere; every occurrence is scored by its context and by its
   distance from where the diff expects it.
3. **fuzzy**: the best-matching stretch of text near the expected place (the changed region plus
   a margin, never the whole text), snapped to word boundaries. Its work is bounded (see
   `fuzzy_bounds`): a quote longer than MAX_FUZZY_QUOTE_CHARS is placed by the pieces of it
   the text holds verbatim, and every alignment is paid from a per-anchor `WorkBudget`. When the
   budget refuses a step the anchor is not placed ("ok") on the strength of the partial search;
   `Reanchored.reason` then says why.

A few words (at most SHORT_QUOTE_WORDS) say little by themselves, so they also need one side of
their context intact, and both sides when they occur more than once.

A candidate's score is `quote_similarity * (QUOTE_FLOOR + (1 - QUOTE_FLOOR) * support)`, where
support mixes context similarity and proximity. The score can never exceed the similarity of the
candidate's own text to the quote, so text unlike the quote can never reach `REVIEW_MIN` (let
alone `ACCEPT`) on the strength of its context, and every accepted span reads at least `ACCEPT`
alike to the old quote (fuzz.ratio). The best candidate must also beat the runner-up by
`MARGIN`; when it does not, the anchor needs review rather than silently picking one.

The quote may also stand in other sentences. A candidate that is another old occurrence's text
is never placed, only offered for review: one that an unchanged line carries over from another
old copy of the quote (it still rivals the others), and one whose sentence reads more like the
sentence of another old copy than like the annotation's own. So when the annotated sentence is
deleted, its words are not silently carried onto a sentence that already held them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from desktop_app.core.anchors import CONTEXT_CHARS, Anchor, anchor_for
from desktop_app.core.fuzzy_bounds import (
    WorkBudget,
    alignment_cost,
    locate_by_pieces,
    piece_search_cost,
    ratio_cost,
)
from desktop_app.core.records import ANCHOR_NEEDS_REVIEW, ANCHOR_OK, ANCHOR_ORPHANED
from desktop_app.core.sentences import ParagraphSentences, sentence_around
from desktop_app.core.text_diff import LineDiff

# Score at or above which an anchor is placed without asking: one changed word in a sentence of
# a dozen words still passes, two or three do not. A far-away copy of the quote with intact
# context but no other support scores 0.88, just short of it.
ACCEPT = 0.90
# Below this an anchor is orphaned. Unrelated sentences of the same length score 0.4-0.5 against
# each other (fuzz.ratio), so a deleted sentence is never carried onto its neighbour.
REVIEW_MIN = 0.60
# A stretch of text less alike to the quote than this is not a candidate at all.
QUOTE_MIN = 0.70
# Share of the score that the quote's own similarity earns before context and proximity count.
QUOTE_FLOOR = 0.70
# Within the support, how much is context (the rest is proximity to the expected place).
CONTEXT_WEIGHT = 0.60
# Within the context, how much the better-matching side counts (the rest is the weaker side).
BETTER_SIDE_WEIGHT = 0.65
# The similarity of a context side the old anchor did not have (it began or ended the text).
NO_CONTEXT = 0.5
# Proximity falls linearly from 1 at the expected offset to 0 this many characters away.
PROXIMITY_CHARS = 2_000
# The winner must beat the runner-up (a distinct place) by this much score.
MARGIN = 0.03
# A quote of at most this many words says little by itself: it is only accepted when one side
# of its context (all 32 characters) or the context as a whole is at least SHORT_CONTEXT_MIN
# alike; when it occurs more than once (in either text) both sides must be, with a lead of
# SHORT_MARGIN.
SHORT_QUOTE_WORDS = 3
SHORT_CONTEXT_MIN = 0.80
SHORT_MARGIN = 0.06
# A quote of at least this many words (two CJK characters making a word) that occurs exactly
# once in both texts is itself evidence (a whole sentence, say): its support is at least
# UNIQUE_SUPPORT wherever it went, enough to be accepted when both neighbouring sentences changed.
DISTINCTIVE_WORDS = 6
UNIQUE_SUPPORT = 0.75
# A new copy of the quote this close to a position match, with context as good (within the
# margin), makes the position match ambiguous.
NEARBY_CHARS = 2_000
POSITION_CONTEXT_MARGIN = 0.10
# Fuzzy search: margin around the changed region, and the largest window searched.
WINDOW_MARGIN = 2 * CONTEXT_CHARS + 128
MAX_WINDOW_CHARS = 16_000
# Longer quotes (a long paragraph and more) are not aligned whole, which costs the square of
# their length, but placed by their intact pieces (`fuzzy_bounds.locate_by_pieces`).
MAX_FUZZY_QUOTE_CHARS = 2_000
# The cells (see `fuzzy_bounds`) one anchor's fuzzy search may spend. A quote of
# MAX_FUZZY_QUOTE_CHARS in the largest window, with its runner-up searches, needs 2.6e9, so a
# quote under the cap is never refused; what the budget stops is the whole-quote comparisons of
# quotes of hundreds of kilobytes (tests/core/test_reanchor_bounds.py holds the two together).
FUZZY_WORK_CELLS = 3_000_000_000
# The last guard, should a machine be far slower than the cell counts assume.
FUZZY_SECONDS = 3.0
# Cells one refinement of an alignment's edges may spend (it is a cheap polish, never needed
# for the result to be valid, so it simply stops there).
REFINE_CELLS = 200_000_000
# A long quote's edges are found by aligning this much of its head and tail around them.
EDGE_CHARS = 256
# Occurrences of a very common quote beyond this many are only looked for near the expected place.
MAX_EXACT_CANDIDATES = 1_000
# A quote's sentence is looked for at most this many characters either side of it (see
# `Reanchorer._sentence`): a sentence that runs on past them is compared without the rest.
SENTENCE_CHARS = 300
# The best score an exact copy beyond PROXIMITY_CHARS can reach without UNIQUE_SUPPORT.
FAR_BOUND = QUOTE_FLOOR + (1 - QUOTE_FLOOR) * CONTEXT_WEIGHT
# reanchor_all reports progress after this many anchors.
PROGRESS_EVERY = 500

METHOD_POSITION = "position"
METHOD_EXACT = "exact"
METHOD_FUZZY = "fuzzy"
METHOD_NONE = "none"


class Cancelled(Exception):
    """Re-anchoring was stopped by the progress callback."""


@dataclass(frozen=True, slots=True)
class Reanchored:
    """Where an anchor landed in the new text, and how sure that is.

    `start`/`end` are code points of the new text. With status ok the span is the annotation's
    new place; with needs_review it is the best candidate, for the reader to confirm (an
    ambiguous match needs review whatever its score); when
    orphaned it only marks where the annotation used to be (the expected offset, at least one
    character long unless the new text is empty).

    `reason` is empty unless the search was limited (a bound of the fuzzy search was reached,
    or the quote was too long to compare whole) and the anchor is not ok: then it says so in one
    line that continues "annotation N: ...", for an importer's report.
    """

    start: int
    end: int
    status: str
    method: str
    score: float
    reason: str = ""

    def anchor(self, new_text: str) -> Anchor:
        """A fresh anchor (quote and context) of the span in `new_text`.

        Raises AnchorError for an empty span, which only an orphan in an empty text has.
        """
        return anchor_for(new_text, self.start, self.end)


@dataclass(frozen=True, slots=True)
class _Context:
    """How alike a candidate's surroundings are to the anchor's.

    `overall` weighs both sides, nearer characters more; `better_side` and `weaker_side` are the
    two sides compared over all their characters (32, or fewer at an edge of the text).
    """

    overall: float
    better_side: float
    weaker_side: float


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    method: str
    context: _Context
    score: float
    # The text descends from another old occurrence of the quote (see `Reanchorer._foreign`).
    foreign: bool = False

    def overlaps(self, other: _Candidate) -> bool:
        return self.start < other.end and other.start < self.end


def _similarity(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100


_CONTEXT_SIZES = (8, 16, CONTEXT_CHARS)


def _side_similarity(old: str, new: str, *, before: bool) -> tuple[float, float]:
    """One side of the context (`before` the quote, or after it): (near-weighted, whole).

    The near-weighted similarity averages the nearest 8, 16 and 32 characters; the whole one
    compares all 32. An old side cut short by the edge of the text is compared over the
    characters it has; an empty one (the quote began or ended the text) says nothing either
    way and scores NO_CONTEXT.
    """
    if not old:
        return NO_CONTEXT, NO_CONTEXT
    scores = []
    for size in _CONTEXT_SIZES:
        size = min(size, len(old))
        if before:
            scores.append(_similarity(old[-size:], new[-size:]))
        else:
            scores.append(_similarity(old[:size], new[:size]))
    return sum(scores) / len(scores), scores[-1]


def _context_similarity(anchor: Anchor, prefix: str, suffix: str) -> _Context:
    """Compare a candidate's prefix and suffix with the anchor's.

    Nearer characters weigh more, so the rest of the quote's own sentence counts most and a
    changed neighbouring sentence less. The better side counts more than the weaker: one side
    intact is strong evidence (a neighbouring sentence was edited), both sides changed is weak
    (another sentence sharing the words).
    """
    before = _side_similarity(anchor.prefix, prefix, before=True)
    after = _side_similarity(anchor.suffix, suffix, before=False)
    near = sorted((before[0], after[0]))
    overall = BETTER_SIDE_WEIGHT * near[1] + (1 - BETTER_SIDE_WEIGHT) * near[0]
    whole = sorted((before[1], after[1]))
    return _Context(overall, whole[1], whole[0])


def _word_count(quote: str) -> int:
    """Words in `quote`; two CJK characters count as one word, as they have no spaces."""
    wide = sum(1 for char in quote if ord(char) >= 0x2E80)
    return len(quote.split()) + wide // 2


class _Search:
    """What is known about one anchor while its candidates are scored."""

    def __init__(
        self, anchor: Anchor, expected: int, *, unique: bool, short: bool, repeated: bool
    ) -> None:
        self.anchor = anchor
        self.expected = expected
        # Exactly once in both texts and long enough to be evidence on its own.
        self.unique = unique
        # A few words (context must decide), occurring more than once in either text.
        self.short = short
        self.repeated = repeated
        # Repeated text repeats contexts: each distinct (prefix, suffix) is compared once.
        self._contexts: dict[tuple[str, str], _Context] = {}

    def candidate(
        self,
        text: str,
        start: int,
        end: int,
        method: str,
        quote_similarity: float,
        *,
        foreign: bool = False,
    ) -> _Candidate:
        """Score new[start:end] as the anchor's new place (see the module docstring)."""
        prefix = text[max(start - CONTEXT_CHARS, 0) : start]
        suffix = text[end : end + CONTEXT_CHARS]
        context = self._contexts.get((prefix, suffix))
        if context is None:
            context = self._contexts[prefix, suffix] = _context_similarity(
                self.anchor, prefix, suffix
            )
        proximity = self._proximity(start)
        support = CONTEXT_WEIGHT * context.overall + (1 - CONTEXT_WEIGHT) * proximity
        if self.unique and method == METHOD_EXACT:
            support = max(support, UNIQUE_SUPPORT)
        score = quote_similarity * (QUOTE_FLOOR + (1 - QUOTE_FLOOR) * support)
        return _Candidate(start, end, method, context, score, foreign)

    def _proximity(self, start: int) -> float:
        return max(0.0, 1 - abs(start - self.expected) / PROXIMITY_CHARS)

    def bound(self, start: int) -> float:
        """The highest score an exact match at `start` could reach, whatever its context."""
        support = CONTEXT_WEIGHT + (1 - CONTEXT_WEIGHT) * self._proximity(start)
        if self.unique:
            support = max(support, UNIQUE_SUPPORT)
        return QUOTE_FLOOR + (1 - QUOTE_FLOOR) * support


class Reanchorer:
    """Re-anchors any number of anchors from one old text to one new text (diff computed once)."""

    def __init__(self, old_text: str, new_text: str, *, origin_known: bool = True) -> None:
        """`origin_known` False: the anchors were made on a text we do not have (an imported
        W3C file), so `old_text` is a stand-in (the new text itself, to map positions onto
        themselves) and its other copies of a quote say nothing about where the anchor came
        from; candidates are then judged by quote, context and position alone."""
        self.old_text = old_text
        self.new_text = new_text
        self._origin_known = origin_known
        self._diff = LineDiff(old_text, new_text)
        # Per quote: where it stands in the old text, and in which sentences (`_old_copies`).
        self._copies: dict[str, tuple[int, ...] | None] = {}
        self._sentences: dict[str, frozenset[str]] = {}
        # The two versions share most paragraphs, and a common quote's copies share them too.
        self._paragraphs = ParagraphSentences()

    def reanchor(self, anchor: Anchor) -> Reanchored:
        """Find `anchor` (made on the old text) in the new text."""
        quote = anchor.exact
        new_text = self.new_text
        if not quote or not new_text:
            return self._orphan(anchor, 0.0)

        mapped = self._diff.map_unchanged(anchor.start)
        if mapped is not None and new_text.startswith(quote, mapped):
            return self._by_position(anchor, mapped)

        expected = self._expected_start(anchor)
        words = _word_count(quote)
        short = words <= SHORT_QUOTE_WORDS
        placed_nearby = self._exact_nearby(anchor, expected, short)
        if placed_nearby is not None:
            return placed_nearby

        occurrences, total = self._occurrences(quote, expected)
        distinctive = words >= DISTINCTIVE_WORDS
        # The old text is only counted when that can change the answer (it is a scan).
        counted = (distinctive and total == 1) or (short and total <= 1)
        old_count = self.old_text.count(quote) if counted else total
        search = _Search(
            anchor,
            expected,
            unique=distinctive and total == 1 and old_count <= 1,
            short=short,
            repeated=max(total, old_count) > 1,
        )
        candidates = self._exact_candidates(search, occurrences)
        candidates.sort(key=lambda c: c.score, reverse=True)
        decided = self._decide(search, candidates)
        if decided.status == ANCHOR_OK and abs(decided.start - expected) <= len(quote):
            return decided
        # Not placed yet, or placed far away: an edited version near the expected place may be
        # the better (or a rival) candidate.
        budget = WorkBudget(FUZZY_WORK_CELLS, FUZZY_SECONDS)
        candidates.extend(self._fuzzy_candidates(search, occurrences, budget))
        candidates.sort(key=lambda c: c.score, reverse=True)
        return _limited(self._decide(search, candidates), budget, len(quote))

    def _expected_start(self, anchor: Anchor) -> int:
        """Where the quote should start in the new text, judged by where most of it went.

        Start, middle and end are carried over separately and the median wins: a word diff may
        keep the quote's first word in place while the rest of it moved with a copy.
        """
        start, end = anchor.start, anchor.end
        middle = (start + end) // 2
        guesses = sorted(self._diff.map_offset(p) - (p - start) for p in (start, middle, end))
        return min(max(guesses[1], 0), len(self.new_text))

    # --- 1. position ---------------------------------------------------------------------------

    def _by_position(self, anchor: Anchor, mapped: int) -> Reanchored:
        """Accept the quote at its carried-over offset unless a new copy nearby fits as well."""
        end = mapped + len(anchor.exact)
        search = _Search(anchor, mapped, unique=False, short=False, repeated=False)
        rival = self._nearby_new_copy(search, mapped)
        if rival is None:
            return Reanchored(mapped, end, ANCHOR_OK, METHOD_POSITION, 1.0)
        here = search.candidate(self.new_text, mapped, end, METHOD_POSITION, 1.0)
        if rival.context.overall < here.context.overall - POSITION_CONTEXT_MARGIN:
            return Reanchored(mapped, end, ANCHOR_OK, METHOD_POSITION, 1.0)
        return Reanchored(mapped, end, ANCHOR_NEEDS_REVIEW, METHOD_POSITION, here.score)

    def _nearby_new_copy(self, search: _Search, mapped: int) -> _Candidate | None:
        """The best-context copy of the quote that the edit added near `mapped`, if any.

        A copy counts as new when it overlaps changed lines and is not simply an old occurrence
        carried over: old occurrences were already told apart by the old offsets.
        """
        quote = search.anchor.exact
        length = len(quote)
        low, high = mapped - NEARBY_CHARS, mapped + length + NEARBY_CHARS
        best: _Candidate | None = None
        for changed_start, changed_end in self._diff.changed_ranges(max(low, 0), high):
            # Copies overlapping the changed range: starting in it or reaching into it.
            stop = changed_end + length - 1
            at = self.new_text.find(quote, max(changed_start - length + 1, 0), stop)
            while at >= 0:
                if at != mapped and not self._carried_over(quote, at):
                    copy = search.candidate(self.new_text, at, at + length, METHOD_EXACT, 1.0)
                    if best is None or copy.context.overall > best.context.overall:
                        best = copy
                at = self.new_text.find(quote, at + 1, stop)
        return best

    def _carried_over(self, quote: str, at: int) -> bool:
        origin = self._diff.unchanged_origin(at)
        return origin is not None and self.old_text.startswith(quote, origin)

    def _foreign(self, anchor: Anchor, start: int, end: int) -> bool:
        """True when new[start:end] is the text of another old occurrence of the quote.

        The line diff says where a candidate in an unchanged line came from: its first, middle
        and last characters each vote for the old copy of the quote they lie in, the anchor's
        own span or another. When other copies win, the candidate is the words of another
        sentence that already stood there, and placing the annotation on it would be the silent
        drift re-anchoring must not make. (The word diff of a changed region pairs equal words
        whichever sentence they belong to, so it is not asked; `_another_sentence_fits` judges
        candidates there.)
        """
        if not self._origin_known:
            return False
        quote, old_text = anchor.exact, self.old_text
        length = len(quote)
        own = other = 0
        for point in {start, (start + end) // 2, max(end - 1, start)}:
            origin = self._diff.unchanged_origin(point)
            if origin is None:
                continue
            if anchor.start <= origin < anchor.end:
                own += 1
            elif old_text.find(quote, max(origin - length + 1, 0), origin + length) >= 0:
                other += 1
        return other > own

    def _old_copies(self, quote: str) -> tuple[int, ...] | None:
        """Where `quote` stands in the old text; None when it is too common to compare.

        Cached per quote, as are their sentences (`_old_sentences`): a quote repeated hundreds
        of times mostly repeats its sentences too.
        """
        if quote in self._copies:
            return self._copies[quote]
        old_text = self.old_text
        places: list[int] = []
        at = old_text.find(quote)
        while at >= 0 and len(places) <= MAX_EXACT_CANDIDATES:
            places.append(at)
            at = old_text.find(quote, at + 1)
        found = None if at >= 0 else tuple(places)
        self._copies[quote] = found
        return found

    def _old_sentences(self, quote: str, copies: tuple[int, ...]) -> frozenset[str]:
        """The distinct sentences of the old text that hold `quote` (at `copies`)."""
        found = self._sentences.get(quote)
        if found is None:
            length = len(quote)
            found = frozenset(self._sentence(self.old_text, at, at + length) for at in copies)
            self._sentences[quote] = found
        return found

    def _another_sentence_fits(self, anchor: Anchor, candidate: _Candidate) -> bool:
        """True when another old copy of the quote stood in a sentence more like the candidate's.

        The diff only pairs equal lines and words: a line that repeats another may be paired
        with either, and in a changed paragraph that repeats a clause the words of a surviving
        sentence may be paired with those of the deleted one. The context does not tell them
        apart either, as a deleted sentence's neighbour inherits its context on one side. The
        candidate's whole sentence does: when it reads more like the sentence of another old
        occurrence than like the annotation's own, the candidate may well be that other sentence
        (and when the two read alike, the existing rules decide). A quote too common to compare
        counts as doubt.
        """
        if not self._origin_known:
            return False
        quote = anchor.exact
        copies = self._old_copies(quote)
        if copies is None:
            return True
        if copies == (anchor.start,) and anchor.end == anchor.start + len(quote):
            # The annotation's own copy is the only one: its sentence has no rival, and finding
            # it (segmenting its paragraph) would be wasted.
            return False
        sentences = self._old_sentences(quote, copies)
        own_sentence = self._sentence(self.old_text, anchor.start, anchor.end)
        if len(sentences) == 1 and own_sentence in sentences:
            return False
        here = self._sentence(self.new_text, candidate.start, candidate.end)
        own = fuzz.ratio(here, own_sentence)
        return any(
            fuzz.ratio(here, other, score_cutoff=own) > own
            for other in sentences
            if other != own_sentence
        )

    def _sentence(self, text: str, start: int, end: int) -> str:
        """The sentence (or sentences) of `text` holding text[start:end], as the reader has them.

        Looked for at most SENTENCE_CHARS either side (`sentences.sentence_around`), and each
        paragraph segmented once for both versions: this is asked of every copy of a quote.
        """
        begin, finish = sentence_around(
            text, start, end, reach=SENTENCE_CHARS, paragraphs=self._paragraphs
        )
        return text[begin:finish]

    # --- 2. exact --------------------------------------------------------------------------------

    def _occurrences(self, quote: str, expected: int) -> tuple[list[int], int]:
        """Offsets of the quote in the new text, and how many there are in all.

        A very common quote (a word or two) is only collected near the expected place: far
        copies score too low to be accepted, and its commonness already makes it ambiguous.
        """
        text = self.new_text
        found: list[int] = []
        at = text.find(quote)
        while at >= 0 and len(found) <= MAX_EXACT_CANDIDATES:
            found.append(at)
            at = text.find(quote, at + 1)
        if at < 0:
            return found, len(found)
        return self._near_occurrences(quote, expected), text.count(quote)

    def _near_occurrences(self, quote: str, expected: int) -> list[int]:
        """Offsets of the quote within PROXIMITY_CHARS of `expected`."""
        text = self.new_text
        low = max(expected - PROXIMITY_CHARS, 0)
        high = expected + PROXIMITY_CHARS + len(quote)
        near: list[int] = []
        at = text.find(quote, low, high)
        while at >= 0:
            near.append(at)
            at = text.find(quote, at + 1, high)
        return near

    def _exact_nearby(self, anchor: Anchor, expected: int, short: bool) -> Reanchored | None:
        """The quote placed among its occurrences near `expected` alone, when that is decisive.

        Copies further than PROXIMITY_CHARS away score at most FAR_BOUND, so a nearby match that
        beats FAR_BOUND by SHORT_MARGIN, judged as if the quote were repeated and not unique
        (the stricter reading), is what the full search would return: the common case of a line
        edited around an intact quote then costs no scan of the whole text.
        """
        quote = anchor.exact
        near = self._near_occurrences(quote, expected)
        if not near:
            return None
        search = _Search(anchor, expected, unique=False, short=short, repeated=True)
        candidates = self._exact_candidates(search, near)
        candidates.sort(key=lambda c: c.score, reverse=True)
        decided = self._decide(search, candidates)
        if (
            decided.status == ANCHOR_OK
            and decided.score >= FAR_BOUND + SHORT_MARGIN
            and abs(decided.start - expected) <= len(quote)
        ):
            return decided
        return None

    def _exact_candidates(self, search: _Search, occurrences: list[int]) -> list[_Candidate]:
        """Score the occurrences nearest first, until no further one can be best or runner-up.

        Context can add at most CONTEXT_WEIGHT to the support, so an occurrence's score is
        bounded by its proximity; in a text that repeats a sentence hundreds of times, the far
        copies need not be compared once two candidates beat that bound. An occurrence that is
        not foreign and could still reach ACCEPT can win over foreign ones (see `_decide`), so
        the search only stops early there once a native candidate beats the bound too.
        """
        anchor = search.anchor
        length = len(anchor.exact)
        best: _Candidate | None = None
        runner: _Candidate | None = None
        # The best score of a candidate that `_decide` may prefer to a foreign best.
        best_native = 0.0
        scored: list[_Candidate] = []
        for at in sorted(occurrences, key=lambda at: abs(at - search.expected)):
            bound = search.bound(at)
            if (
                runner is not None
                and bound <= runner.score
                and (bound < ACCEPT or bound <= best_native)
            ):
                break
            foreign = self._foreign(anchor, at, at + length)
            candidate = search.candidate(
                self.new_text, at, at + length, METHOD_EXACT, 1.0, foreign=foreign
            )
            if not foreign:
                best_native = max(best_native, candidate.score)
            scored.append(candidate)
            if best is None or candidate.score > best.score:
                best = candidate
                runner = max(
                    (c for c in scored if not c.overlaps(best)),
                    key=lambda c: c.score,
                    default=None,
                )
            elif not candidate.overlaps(best) and (
                runner is None or candidate.score > runner.score
            ):
                runner = candidate
        return scored

    # --- 3. fuzzy --------------------------------------------------------------------------------

    def _fuzzy_candidates(
        self, search: _Search, occurrences: list[int], budget: WorkBudget
    ) -> list[_Candidate]:
        """Up to two best approximate matches near the expected place, not on an exact one."""
        low, high = self._window(search)
        found: list[_Candidate] = []
        first = self._align(search, low, high, budget)
        if first is None:
            return found
        # The runner-up is the best match left or right of the winner: an ambiguous edit (a
        # sentence duplicated and then changed) shows up there.
        sides = ((low, first.start), (first.end, high))
        rest = [c for c in (self._align(search, *side, budget) for side in sides) if c is not None]
        for candidate in [first, *sorted(rest, key=lambda c: c.score, reverse=True)[:1]]:
            # The exact occurrence nearest before the candidate's end is the only one that
            # could overlap it (occurrences are sorted, and all have the quote's length).
            nearest = bisect_left(occurrences, candidate.end) - 1
            length = len(search.anchor.exact)
            if nearest < 0 or occurrences[nearest] + length <= candidate.start:
                found.append(candidate)
        return found

    def _window(self, search: _Search) -> tuple[int, int]:
        """The stretch of new text where an edited quote can be: its changed region plus margin."""
        diff, anchor, expected = self._diff, search.anchor, search.expected
        length = len(anchor.exact)
        low = expected
        high = max(diff.map_offset(anchor.end), expected + length)
        if not diff.is_refined(anchor.start):
            low = min(low, diff.gap_of(anchor.start)[0])
        if not diff.is_refined(anchor.end):
            high = max(high, diff.gap_of(anchor.end)[1])
        margin = length // 2 + WINDOW_MARGIN
        low, high = low - margin, high + margin
        if high - low > MAX_WINDOW_CHARS:
            half = max(MAX_WINDOW_CHARS // 2, length)
            low, high = expected - half, expected + length + half
        return max(low, 0), min(high, len(self.new_text))

    def _align(self, search: _Search, low: int, high: int, budget: WorkBudget) -> _Candidate | None:
        """The best approximate match of the quote inside new[low:high], refined and scored."""
        quote = search.anchor.exact
        if high - low < max(len(quote) * QUOTE_MIN, 1):
            return None
        if len(quote) > MAX_FUZZY_QUOTE_CHARS:
            return self._align_long(search, low, high, budget)
        if not budget.spend(alignment_cost(len(quote), high - low)):
            budget.refuse()
            return None
        found = self._alignment(quote, low, high)
        if found is None:
            return None
        start, end = self._refine(quote, *found, low, high, budget)
        return self._scored(search, start, end)

    def _alignment(self, quote: str, low: int, high: int) -> tuple[int, int] | None:
        """rapidfuzz's best window of new[low:high] for `quote` (callers pay for it first)."""
        # The alignment has the quote's length; refining may move either edge, so allow slack.
        cutoff = (QUOTE_MIN - 0.1) * 100
        found = fuzz.partial_ratio_alignment(quote, self.new_text[low:high], score_cutoff=cutoff)
        if found is None:
            return None
        return low + found.dest_start, low + found.dest_end

    def _scored(self, search: _Search, start: int, end: int) -> _Candidate | None:
        """new[start:end] as a fuzzy candidate, unless it reads too little like the quote."""
        similarity = _similarity(search.anchor.exact, self.new_text[start:end])
        if similarity < QUOTE_MIN:
            return None
        foreign = self._foreign(search.anchor, start, end)
        return search.candidate(
            self.new_text, start, end, METHOD_FUZZY, similarity, foreign=foreign
        )

    def _align_long(
        self, search: _Search, low: int, high: int, budget: WorkBudget
    ) -> _Candidate | None:
        """A long quote's match in new[low:high]: where its intact pieces put it, edges aligned.

        Aligning it whole would cost the square of its length for every window position; its
        pieces cost a scan each, and its head and tail are aligned only near the edges they
        suggest, so the work grows with the window, not with the quote squared.
        """
        quote, text = search.anchor.exact, self.new_text
        if not budget.spend(piece_search_cost(len(quote), high - low)):
            budget.refuse()
            return None
        match = locate_by_pieces(quote, text, low, high, search.expected)
        if match is None:
            return None
        # An edge is as uncertain as the stretch of quote beyond the outermost piece found.
        head, tail = quote[:EDGE_CHARS], quote[-EDGE_CHARS:]
        slack = match.head_gap // 2 + EDGE_CHARS
        found = self._edge(head, match.start - slack, match.start + len(head) + slack, budget)
        start = match.start if found is None else found[0]
        slack = match.tail_gap // 2 + EDGE_CHARS
        found = self._edge(tail, match.end - len(tail) - slack, match.end + slack, budget)
        end = match.end if found is None else found[1]
        if end - start < len(quote) * QUOTE_MIN:
            return None
        if not budget.spend(ratio_cost(len(quote), end - start)):
            budget.refuse()
            return None
        return self._scored(search, start, end)

    def _edge(self, part: str, low: int, high: int, budget: WorkBudget) -> tuple[int, int] | None:
        """Where `part` (a long quote's head or tail) best aligns in new[low:high], refined.

        None when it is not there or the budget cannot pay: the pieces' estimate stands then.
        """
        low, high = max(low, 0), min(high, len(self.new_text))
        if high - low < len(part) * QUOTE_MIN or not budget.spend(
            alignment_cost(len(part), high - low)
        ):
            return None
        found = self._alignment(part, low, high)
        if found is None:
            return None
        return self._refine(part, *found, low, high, budget)

    def _refine(
        self, quote: str, start: int, end: int, low: int, high: int, budget: WorkBudget
    ) -> tuple[int, int]:
        """Move the edges of an alignment to where the span reads most like the quote.

        The alignment is as long as the quote, so an edited sentence that grew or shrank is cut
        or overshot. Edges step by whole words (white-space boundaries) while that helps, then
        by single characters, which is what CJK text without spaces needs. A step compares four
        spans with the quote: for a long quote the steps are capped by REFINE_CELLS (and the
        budget's deadline), which leaves a valid span, only a less polished one.
        """
        text = self.new_text
        best = _similarity(quote, text[start:end])
        step_cost = 4 * ratio_cost(len(quote), end - start + len(quote) // 4)
        steps = min(4 * len(quote.split()) + 16, REFINE_CELLS // (2 * step_cost) + 1)
        for words in (True, False):
            for _ in range(steps):
                if budget.out_of_time():
                    return start, end
                moves = (
                    (max(_step(text, start, -1, words), low), end),
                    (_step(text, start, 1, words), end),
                    (start, min(_step(text, end, 1, words), high)),
                    (start, _step(text, end, -1, words)),
                )
                scored = [(_similarity(quote, text[s:e]), s, e) for s, e in moves if s < e]
                top = max(scored, default=(best, start, end))
                if top[0] <= best:
                    break
                best, start, end = top
        return start, end

    # --- deciding --------------------------------------------------------------------------------

    def _decide(self, search: _Search, ranked: list[_Candidate]) -> Reanchored:
        """Status of the best of `ranked` (sorted best first), given its runner-up."""
        if not ranked:
            return self._orphan(search.anchor, 0.0)
        # A foreign candidate is another sentence's copy of the words: it is never placed, and
        # a native candidate (the anchor's own text, or new text) good enough to be placed is
        # judged in its stead. Foreign candidates still count as rivals, so one that scores
        # about as well (or better) leaves the native one for review.
        best = next((c for c in ranked if not c.foreign and c.score >= ACCEPT), ranked[0])
        rivals = [c for c in ranked if c is not best]
        if search.unique and best.method == METHOD_EXACT:
            # The only copy of a long quote in either text is not made doubtful by text that
            # merely resembles it (an edited duplicate of the sentence, say).
            rivals = [c for c in rivals if c.method == METHOD_EXACT]
        runner = next((c for c in rivals if not c.overlaps(best)), None)
        lead = best.score - runner.score if runner is not None else 1.0
        ambiguous = lead < MARGIN
        if search.short:
            # A few words say little by themselves: one side of their context must be intact
            # (or both nearly), and when they occur more than once, both, with a clear lead.
            context = best.context
            decided = max(context.better_side, context.overall) >= SHORT_CONTEXT_MIN
            ambiguous = ambiguous or not decided
            if search.repeated:
                ambiguous = (
                    ambiguous or best.context.weaker_side < SHORT_CONTEXT_MIN or lead < SHORT_MARGIN
                )
        if (
            best.score >= ACCEPT
            and not ambiguous
            and not best.foreign
            and not self._another_sentence_fits(search.anchor, best)
        ):
            status = ANCHOR_OK
        elif best.score >= REVIEW_MIN:
            status = ANCHOR_NEEDS_REVIEW
        else:
            return self._orphan(search.anchor, best.score)
        return Reanchored(best.start, best.end, status, best.method, best.score)

    def _orphan(self, anchor: Anchor, score: float) -> Reanchored:
        """An orphan keeps the expected place (clipped, one character at least) for display."""
        size = len(self.new_text)
        if size == 0:
            return Reanchored(0, 0, ANCHOR_ORPHANED, METHOD_NONE, score)
        start = min(self._diff.map_offset(anchor.start), size - 1)
        end = min(max(self._diff.map_offset(anchor.end), start + 1), size)
        return Reanchored(start, end, ANCHOR_ORPHANED, METHOD_NONE, score)


def _limited(decided: Reanchored, budget: WorkBudget, quote_chars: int) -> Reanchored:
    """`decided`, with the reason the fuzzy search was limited, when that may have mattered.

    A refused step may have been the search for a rival, so an ok anchor then needs review.
    """
    if budget.shortfall:
        status = ANCHOR_NEEDS_REVIEW if decided.status == ANCHOR_OK else decided.status
        return replace(decided, status=status, reason=budget.shortfall)
    if decided.status == ANCHOR_ORPHANED and quote_chars > MAX_FUZZY_QUOTE_CHARS:
        return replace(
            decided,
            reason=f"its quote is too long ({quote_chars:,} characters) to compare whole, and "
            "no passage near its place shares enough of its wording",
        )
    return decided


def _step(text: str, at: int, direction: int, words: bool) -> int:
    """`at` moved to the next word boundary (or character) in `direction`, within the text.

    A word boundary is where white space meets non-white space, so punctuation stays with its word.
    """
    moved = at + direction
    if words:
        while 0 < moved < len(text) and text[moved].isspace() == text[moved - 1].isspace():
            moved += direction
    return min(max(moved, 0), len(text))


def reanchor_all(
    old_text: str,
    new_text: str,
    anchors: Sequence[Anchor],
    progress: Callable[[int, int], bool] | None = None,
) -> list[Reanchored]:
    """Re-anchor every anchor of `old_text` in `new_text`, in order.

    `progress(done, total)` is called every `PROGRESS_EVERY` anchors and at the end; when it
    returns False the work stops with `Cancelled`.
    """
    reanchorer = Reanchorer(old_text, new_text)
    total = len(anchors)
    results: list[Reanchored] = []
    for done, anchor in enumerate(anchors, start=1):
        results.append(reanchorer.reanchor(anchor))
        due = done % PROGRESS_EVERY == 0 or done == total
        if progress is not None and due and progress(done, total) is False:
            raise Cancelled(f"re-anchoring cancelled after {done} of {total} anchors")
    return results
