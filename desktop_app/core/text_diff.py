"""How two versions of a text line up: offsets carried across lines, and sentences compared.

`LineDiff` aligns the lines (paragraphs) of an old and a new text, which is what re-anchoring
needs: inside a line both versions share, an offset moves by an exact shift; inside a changed
region it is placed by a word diff of that region (or proportionally when the region is
too large to diff). Lines are compared as integer ids with rapidfuzz's bit-parallel LCS, so a
2 MB text whose lines repeat hundreds of times aligns in tens of milliseconds (difflib either
junks the repeated lines or goes quadratic).

`compare_sentences` is the sentence-by-sentence comparison shown in the versions view.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from desktop_app.core.sentences import SentenceIndex

# A changed region up to this many characters on each side is aligned word by word (LCS memory
# grows with the product of the two token counts: 20,000 characters are ~7,000 tokens, 6 MB).
GAP_DIFF_CHARS = 20_000
# Removed and added sentences this similar (fuzz.ratio / 100) are shown as one edited sentence.
EDITED_MIN = 0.6
# Above this many removed x added pairs in one changed run, pairing is greedy, not optimal.
_PAIRING_CELLS = 40_000


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    at = find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = find("\n", at + 1)
    return starts


@dataclass(frozen=True, slots=True)
class _Gap:
    """A changed region: old[old_start:old_end] became new[new_start:new_end].

    It holds old lines [old_line, old_line + old_lines) and new lines likewise.
    """

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    old_line: int
    old_lines: int
    new_line: int
    new_lines: int


@dataclass(frozen=True, slots=True)
class _Runs:
    """Equal runs between two strings: old[source : source + length] == new[dest : ...]."""

    sources: list[int]
    dests: list[int]
    lengths: list[int]

    def map(self, offset: int) -> int:
        """The new offset of an old one; text that was removed collapses onto where it was."""
        run = bisect_right(self.sources, offset) - 1
        if run < 0:
            return 0
        return self.dests[run] + min(offset - self.sources[run], self.lengths[run])


_TOKEN = re.compile(r"[\u2e80-\U0002ffff]|\w+|\s+|.", re.DOTALL)


def _word_runs(old: str, new: str) -> _Runs:
    """Equal runs of two strings from a diff of their words.

    White space, punctuation and each CJK character are tokens of their own; a diff of single
    characters would happily align the "m" of "prime" with the "m" of "minister".
    """
    ids: dict[str, int] = {}
    starts: list[list[int]] = []
    tokens: list[list[int]] = []
    for text in (old, new):
        matches = list(_TOKEN.finditer(text))
        starts.append([m.start() for m in matches] + [len(text)])
        tokens.append([ids.setdefault(m.group(), len(ids)) for m in matches])
    old_starts, new_starts = starts
    runs = _Runs([], [], [])
    for op in Indel.opcodes(tokens[0], tokens[1]):
        if op.tag in ("equal", "delete"):
            runs.sources.append(old_starts[op.src_start])
            runs.dests.append(new_starts[op.dest_start])
            size = old_starts[op.src_end] - old_starts[op.src_start]
            runs.lengths.append(size if op.tag == "equal" else 0)
    return runs


class LineDiff:
    """Maps code-point offsets of an old text into a new text through their shared lines.

    An unchanged block is a run of whole lines present in both texts; its offsets map exactly,
    the end of its last line included. Everything between two unchanged blocks is a gap. A gap
    of up to `GAP_DIFF_CHARS` is mapped by a word diff; a larger one with as many lines on both
    sides (every line edited) pairs its lines in order and word-diffs each pair; any other is
    mapped proportionally, and `is_refined` says so.
    """

    def __init__(self, old_text: str, new_text: str) -> None:
        self.old_text = old_text
        self.new_text = new_text
        self._old_starts = _line_starts(old_text)
        self._new_starts = _line_starts(new_text)
        self._old_lines = old_text.split("\n")
        self._new_lines = new_text.split("\n")
        ids: dict[str, int] = {}
        old_ids = [ids.setdefault(line, len(ids)) for line in self._old_lines]
        new_ids = [ids.setdefault(line, len(ids)) for line in self._new_lines]
        # Unchanged blocks in characters: old[o : o + n] == new[m : m + n], n without the
        # line break after the block's last line (that break may be missing in one version).
        self._old_block: list[int] = []
        self._new_block: list[int] = []
        self._block_len: list[int] = []
        self._gaps: list[_Gap] = []
        old_at = new_at = old_line = new_line = 0
        for op in Indel.opcodes(old_ids, new_ids):
            if op.tag != "equal":
                continue
            o, m = self._old_starts[op.src_start], self._new_starts[op.dest_start]
            last = op.src_end - 1
            size = self._old_starts[last] + len(self._old_lines[last]) - o
            self._gaps.append(
                _Gap(
                    old_at,
                    o,
                    new_at,
                    m,
                    old_line,
                    op.src_start - old_line,
                    new_line,
                    op.dest_start - new_line,
                )
            )
            self._old_block.append(o)
            self._new_block.append(m)
            self._block_len.append(size)
            old_at, new_at, old_line, new_line = o + size, m + size, op.src_end, op.dest_end
        self._gaps.append(
            _Gap(
                old_at,
                len(old_text),
                new_at,
                len(new_text),
                old_line,
                len(self._old_lines) - old_line,
                new_line,
                len(self._new_lines) - new_line,
            )
        )
        self._gap_new_starts = [gap.new_start for gap in self._gaps]
        self._gap_runs: dict[int, _Runs | None] = {}
        self._line_runs: dict[int, _Runs] = {}

    def _locate(self, offset: int) -> tuple[int, bool]:
        """(block index, True) inside an unchanged block, else (gap index, False)."""
        index = bisect_right(self._old_block, offset) - 1
        if index >= 0 and offset <= self._old_block[index] + self._block_len[index]:
            return index, True
        return index + 1, False

    def map_unchanged(self, offset: int) -> int | None:
        """The new offset of an old `offset` that lies in an unchanged line, else None."""
        index, unchanged = self._locate(offset)
        if not unchanged:
            return None
        return self._new_block[index] + offset - self._old_block[index]

    def unchanged_origin(self, offset: int) -> int | None:
        """The old offset of a new `offset` that lies in an unchanged line, else None."""
        index = bisect_right(self._new_block, offset) - 1
        if index >= 0 and offset <= self._new_block[index] + self._block_len[index]:
            return self._old_block[index] + offset - self._new_block[index]
        return None

    def map_offset(self, offset: int) -> int:
        """Where an old `offset` is expected in the new text (always a valid new offset)."""
        offset = min(max(offset, 0), len(self.old_text))
        index, unchanged = self._locate(offset)
        if unchanged:
            return self._new_block[index] + offset - self._old_block[index]
        gap = self._gaps[index]
        runs = self._runs(index)
        if runs is not None:
            return gap.new_start + runs.map(offset - gap.old_start)
        if self._paired(gap):
            line = bisect_right(self._old_starts, offset) - 1
            return self._map_in_line(gap, line, offset - self._old_starts[line])
        old_size, new_size = gap.old_end - gap.old_start, gap.new_end - gap.new_start
        relative = offset - gap.old_start
        return gap.new_start + (relative * new_size // old_size if old_size else 0)

    def is_refined(self, offset: int) -> bool:
        """False when `offset` lies in a gap that is only mapped proportionally (roughly)."""
        index, unchanged = self._locate(min(max(offset, 0), len(self.old_text)))
        return unchanged or self._runs(index) is not None or self._paired(self._gaps[index])

    def gap_of(self, offset: int) -> tuple[int, int]:
        """The new-text range of the gap (or unchanged block) that holds the old `offset`."""
        index, unchanged = self._locate(min(max(offset, 0), len(self.old_text)))
        if unchanged:
            start = self._new_block[index]
            return start, start + self._block_len[index]
        gap = self._gaps[index]
        return gap.new_start, gap.new_end

    def changed_ranges(self, start: int, end: int) -> list[tuple[int, int]]:
        """The parts of new[start:end] outside unchanged lines, as (start, end) ranges."""
        found: list[tuple[int, int]] = []
        index = max(bisect_right(self._gap_new_starts, start) - 1, 0)
        while index < len(self._gaps) and self._gaps[index].new_start < end:
            gap = self._gaps[index]
            low, high = max(gap.new_start, start), min(gap.new_end, end)
            if low < high:
                found.append((low, high))
            index += 1
        return found

    def _runs(self, index: int) -> _Runs | None:
        """The word diff of a small gap (None for a large one), cached."""
        if index not in self._gap_runs:
            gap = self._gaps[index]
            small = max(gap.old_end - gap.old_start, gap.new_end - gap.new_start) <= GAP_DIFF_CHARS
            self._gap_runs[index] = (
                _word_runs(
                    self.old_text[gap.old_start : gap.old_end],
                    self.new_text[gap.new_start : gap.new_end],
                )
                if small
                else None
            )
        return self._gap_runs[index]

    @staticmethod
    def _paired(gap: _Gap) -> bool:
        return gap.old_lines == gap.new_lines > 0

    def _map_in_line(self, gap: _Gap, line: int, column: int) -> int:
        """Map a column of old `line` (in a paired gap) into the new line paired with it."""
        line = min(max(line, gap.old_line), gap.old_line + gap.old_lines - 1)
        partner = gap.new_line + line - gap.old_line
        runs = self._line_runs.get(line)
        if runs is None:
            runs = self._line_runs[line] = _word_runs(
                self._old_lines[line], self._new_lines[partner]
            )
        return self._new_starts[partner] + runs.map(column)


# --- sentence comparison for the versions view ---------------------------------------------

ChangeKind = Literal["same", "added", "removed", "edited"]


@dataclass(frozen=True, slots=True)
class SentenceChange:
    """One row of the versions view: a sentence kept, added, removed or edited.

    Spans are code points (end exclusive) in the old and the new text; an added sentence has no
    old span and a removed one no new span.
    """

    kind: ChangeKind
    old_span: tuple[int, int] | None
    new_span: tuple[int, int] | None


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in SentenceIndex(text)]


def compare_sentences(old_text: str, new_text: str) -> list[SentenceChange]:
    """Compare two versions sentence by sentence, in reading order.

    Sentences are aligned by their exact text; within each run of changes, removed and added
    sentences that are at least `EDITED_MIN` similar are paired (in order, maximising the total
    similarity) and reported as edited.
    """
    old_spans = _sentence_spans(old_text)
    new_spans = _sentence_spans(new_text)
    old_sentences = [old_text[a:b] for a, b in old_spans]
    new_sentences = [new_text[a:b] for a, b in new_spans]
    ids: dict[str, int] = {}
    old_ids = [ids.setdefault(s, len(ids)) for s in old_sentences]
    new_ids = [ids.setdefault(s, len(ids)) for s in new_sentences]

    changes: list[SentenceChange] = []
    old_at = new_at = 0

    def flush_changed(old_to: int, new_to: int) -> None:
        removed = list(range(old_at, old_to))
        added = list(range(new_at, new_to))
        for i, j in _pair_edits(
            [old_sentences[i] for i in removed], [new_sentences[j] for j in added]
        ):
            old_span = old_spans[removed[i]] if i is not None else None
            new_span = new_spans[added[j]] if j is not None else None
            kind: ChangeKind = (
                "edited" if old_span and new_span else "removed" if old_span else "added"
            )
            changes.append(SentenceChange(kind, old_span, new_span))

    for op in Indel.opcodes(old_ids, new_ids):
        if op.tag != "equal":
            continue
        flush_changed(op.src_start, op.dest_start)
        for k in range(op.src_end - op.src_start):
            changes.append(
                SentenceChange("same", old_spans[op.src_start + k], new_spans[op.dest_start + k])
            )
        old_at, new_at = op.src_end, op.dest_end
    flush_changed(len(old_spans), len(new_spans))
    return changes


def _pair_edits(removed: list[str], added: list[str]) -> list[tuple[int | None, int | None]]:
    """Order-preserving pairing of removed and added sentences (None marks an unpaired side)."""
    rows, cols = len(removed), len(added)
    if rows * cols == 0 or rows * cols > _PAIRING_CELLS:
        return _pair_greedily(removed, added)
    cutoff = EDITED_MIN * 100
    similarity = [[fuzz.ratio(r, a, score_cutoff=cutoff) / 100 for a in added] for r in removed]
    # best[i][j]: the most total similarity pairing removed[i:] with added[j:].
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            paired = similarity[i][j] + best[i + 1][j + 1] if similarity[i][j] else 0.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < rows and j < cols:
        if similarity[i][j] and best[i][j] == similarity[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs.extend((k, None) for k in range(i, rows))
    pairs.extend((None, k) for k in range(j, cols))
    return pairs


def _pair_greedily(removed: list[str], added: list[str]) -> list[tuple[int | None, int | None]]:
    """Pair each removed sentence with the added one at the same place when they are similar."""
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < len(removed) and j < len(added):
        if fuzz.ratio(removed[i], added[j]) >= EDITED_MIN * 100:
            pairs.append((i, j))
            j += 1
        else:
            pairs.append((i, None))
        i += 1
    pairs.extend((k, None) for k in range(i, len(removed)))
    pairs.extend((None, k) for k in range(j, len(added)))
    return pairs
