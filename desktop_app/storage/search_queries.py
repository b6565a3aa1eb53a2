"""The search part of the library store: full-text search over articles, quotes, notes, speakers
and tag names (SQLite FTS5, see migration 0003).

What the user types is never handed to FTS5 as it is: it is cut into terms (white space) and
each term into tokens the way the `unicode61` tokenizer cuts them (letters and digits), and each
term becomes a quoted phrase, so `"`, `*`, `NEAR(`, `AND`, `-`, `:` or `^` are just characters.
All terms must match (AND); a trailing `*` makes the last term a prefix (`tok*` finds Tokyo).
Case and accents are ignored on both sides (the tokenizer's `remove_diacritics 2`).

FTS5 gives no offsets, so where a hit is in the text is found again in Python with a regular
expression built from the folded query: each letter becomes the class of every character that
folds to it (`e` matches é, È, ë…), optionally followed by combining marks; offsets therefore
index the original text's code points, whatever it holds (emoji, decomposed accents).

Limitation: `unicode61` does not segment scripts written without spaces (Japanese, Chinese,
Thai…): a run of kana and kanji is one token, so "東京" would not match "東京で会談した". A
query holding such characters is answered by a substring scan (`instr`) over the texts and
annotations instead: exact for those characters (no folding; the rest of the query is still
matched ignoring case and accents), and linear in the library's size, but fast enough: over
1,000 articles of 3 KB with 10,000 annotations, the two scans take about 3 ms each and the
whole search under 10 ms (tests/benchmarks/search_bench.py).

Ranking: annotation hits come first (a quote, note or speaker the reader recorded is the more
precise answer), ordered by bm25; then annotations whose tag names match; then articles by
bm25 (the title weighs more than the text). The two FTS tables have different statistics, so
their bm25 scores cannot be compared with each other; instead neither kind may crowd the other
out: when both have many hits, each keeps at least half of `limit`. A tag hit needs every term
in the tag's name. Deleted documents never appear, nor do earlier versions of an article:
the reader wants the article as it now reads, once, not every version it went through.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import TextClause, exists, func, or_, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, aliased

from desktop_app.core.search_hit import HitField as HitField
from desktop_app.core.search_hit import HitKind as HitKind
from desktop_app.core.search_hit import Marks as Marks
from desktop_app.core.search_hit import SearchHit as SearchHit
from desktop_app.storage.orm import Annotation, Document, Tag, annotation_tags
from desktop_app.storage.store_base import StoreBase

CONTEXT_CHARS = 60  # of a snippet, either side of the hit
TITLE_WEIGHT = 5.0  # bm25 column weights: a word in the title says more than one in the text
SPEAKER_WEIGHT = 2.0

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
_MARK = f"[{_MARKS}]*"
# Not preceded (checked after the first character) or followed by a letter or digit; FTS5
# splits words at "_" too.
_AFTER_WORD_START = r"(?<![^\W_].)"
_WORD_END = r"(?![^\W_])"
_REST_OF_WORD = f"(?:[^\\W_]|[{_MARKS}])*"
_SPACE = re.compile(r"\s+")
# Scripts written without spaces between words, which unicode61 cannot segment.
_UNSEGMENTED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+"
)
# Code points whose folded forms are tabulated (Latin, Greek, Cyrillic and their extensions,
# letter-like symbols, ligatures, full-width forms); others match themselves and their case.
_FOLDED_RANGES = ((0, 0x3000), (0xA640, 0xA800), (0xFB00, 0xFB50), (0xFF00, 0xFFF0))


# -- the query ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One white-space separated word of a query, as the tokens FTS5 would see in it."""

    tokens: tuple[str, ...]
    prefix: bool = False

    @property
    def unsegmented(self) -> bool:
        """True for a term in a script without spaces (searched as a substring)."""
        return any(_UNSEGMENTED.search(token) for token in self.tokens)

    def fts(self) -> str:
        """The term as an FTS5 phrase: tokens hold only letters, digits and marks."""
        return f'"{" ".join(self.tokens)}"' + ("*" if self.prefix else "")


def _is_token_char(char: str) -> bool:
    return char != "_" and (char.isalnum() or unicodedata.category(char).startswith("M"))


def _tokens(word: str) -> tuple[str, ...]:
    """Runs of letters, digits and combining marks: what unicode61 keeps as tokens (marks
    alone are dropped, as its remove_diacritics does)."""
    tokens: list[str] = []
    current: list[str] = []
    for char in word:
        if _is_token_char(char):
            current.append(char)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tuple(t for t in tokens if any(not unicodedata.combining(c) for c in t))


def parse_query(query: str) -> list[Term]:
    """The terms of a free-text query; a trailing `*` makes the last one a prefix."""
    terms = [Term(tokens) for tokens in map(_tokens, query.split()) if tokens]
    if terms and query.rstrip().endswith("*"):
        terms[-1] = Term(terms[-1].tokens, prefix=True)
    return terms


def fts_query(terms: Sequence[Term]) -> str:
    """The FTS5 MATCH expression of `terms`: quoted phrases, all required."""
    return " ".join(term.fts() for term in terms)


def phrase_query(terms: Sequence[Term]) -> str:
    """The most literal FTS5 query: every token in one quoted phrase (the fallback)."""
    return '"' + " ".join(token for term in terms for token in term.tokens) + '"'


# -- folding and matching ------------------------------------------------------------------------


@cache
def fold_char(char: str) -> str:
    """One character without accents and case, as one character where possible (É -> e)."""
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    if not base:
        return char
    for folded in (base.casefold(), base.lower(), char.lower()):
        if len(folded) == 1:
            return folded
    return char


@cache
def _variants() -> dict[str, str]:
    """For each folded character, every tabulated character that folds to it (e: eEéÉèÈ…)."""
    table: dict[str, list[str]] = {}
    for first, last in _FOLDED_RANGES:
        for point in range(first, last):
            table.setdefault(fold_char(chr(point)), []).append(chr(point))
    return {key: "".join(chars) for key, chars in table.items()}


def _letter_pattern(char: str) -> str:
    """What matches one letter of the query in any case and with any accent."""
    if _UNSEGMENTED.match(char):  # kana and kanji have no case, and が is not か
        return re.escape(char)
    folded = fold_char(char)
    upper = folded.upper() if len(folded.upper()) == 1 else ""
    variants = dict.fromkeys(_variants().get(folded, "") + folded + upper)
    if len(variants) == 1:
        return re.escape(folded)
    return "[" + "".join(re.escape(c) for c in variants) + "]"


def _term_pattern(term: Term) -> str:
    bounded = not term.unsegmented
    words = []
    for i, token in enumerate(term.tokens):
        composed = unicodedata.normalize("NFC", token)  # が typed as か + U+3099 is が
        letters = [_letter_pattern(c) for c in composed if not unicodedata.combining(c)]
        if bounded and i == 0:
            # Checked after the first letter rather than before it: a pattern that starts
            # with a character class lets `re` skip ahead to candidates (ten times faster).
            letters[0] += _AFTER_WORD_START
        words.append("".join(letter + _MARK for letter in letters))
    if not bounded:
        return r"[\W_]+".join(words)
    # A prefix matches through to the end of its word: "tok*" marks all of "Tokyo".
    return r"[\W_]+".join(words) + (_REST_OF_WORD if term.prefix else _WORD_END)


class Matcher:
    """Where the words of a query are in a text, in its code points, ignoring case and accents.

    Each term is a regular expression over the original text in which every letter is the class
    of the characters that fold to it, followed by any combining marks: no folded copy of the
    text is made, so offsets need no mapping back, whatever the text holds (emoji, decomposed
    accents). One pattern per term: an alternation would be several times slower to scan.
    """

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = tuple(terms)
        self._patterns = tuple(re.compile(_term_pattern(t)) for t in self.terms)

    def first(self, value: str) -> tuple[int, int] | None:
        """The span of the first match of any term, or None."""
        found = [m.span() for p in self._patterns if (m := p.search(value))]
        return min(found, default=None)

    def spans(self, value: str) -> Marks:
        """The spans of every match of any term, in order, without overlaps."""
        spans = sorted(m.span() for p in self._patterns for m in p.finditer(value))
        kept: list[tuple[int, int]] = []
        for start, end in spans:
            if end > start and (not kept or start >= kept[-1][1]):
                kept.append((start, end))
        return tuple(kept)

    def count(self, value: str) -> int:
        """How many times the terms occur."""
        return len(self.spans(value))

    def matches_all(self, value: str) -> bool:
        """True when every term occurs in `value`."""
        return all(pattern.search(value) for pattern in self._patterns)

    def snippet(self, value: str, start: int, end: int) -> tuple[str, Marks]:
        """The context of `value[start:end]` on one line, and the matches in it."""
        first = max(0, start - CONTEXT_CHARS)
        last = min(len(value), end + CONTEXT_CHARS)
        if first > 0:  # begin and end between words where one is near
            space = _SPACE.search(value, first, start)
            first = space.end() if space is not None and space.start() - first < 20 else first
        if last < len(value):
            spaces = [m.start() for m in _SPACE.finditer(value, max(end, last - 20), last)]
            last = spaces[-1] if spaces else last
        lead = "…" if first > 0 else ""
        tail = "…" if last < len(value) else ""
        snippet = lead + _SPACE.sub(" ", value[first:last]).strip() + tail
        return snippet, self.spans(snippet)


# -- the store part ------------------------------------------------------------------------------

# A live document with no live newer version of its article.
_LATEST_SQL = """d.deleted_at IS NULL AND NOT EXISTS (
        SELECT 1 FROM documents AS newer WHERE newer.version_group = d.version_group
        AND newer.version_number > d.version_number AND newer.deleted_at IS NULL)"""
_newer = aliased(Document)
_LATEST = Document.deleted_at.is_(None) & ~exists().where(
    _newer.version_group == Document.version_group,
    _newer.version_number > Document.version_number,
    _newer.deleted_at.is_(None),
)


_DOCUMENTS_FTS = text(
    f"""SELECT d.id, d.title, bm25(documents_fts, {TITLE_WEIGHT}, 1.0) AS rank_value
    FROM documents_fts JOIN documents AS d ON d.id = documents_fts.rowid
    WHERE documents_fts MATCH :query AND {_LATEST_SQL}
    ORDER BY rank_value, d.id LIMIT :limit"""
)
_ANNOTATIONS_FTS = text(
    f"""SELECT a.id, a.document_id, d.title, a.start, a."end", a.exact, a.note, a.speaker,
        bm25(annotations_fts, 1.0, 1.0, {SPEAKER_WEIGHT}) AS rank_value
    FROM annotations_fts
    JOIN annotations AS a ON a.id = annotations_fts.rowid
    JOIN documents AS d ON d.id = a.document_id
    WHERE annotations_fts MATCH :query AND {_LATEST_SQL}
    ORDER BY rank_value, a.id LIMIT :limit"""
)


class SearchQueries(StoreBase):
    """Searching the whole library."""

    def search(self, query: str, limit: int = 200) -> list[SearchHit]:
        """Hits for free text `query` in live documents and their annotations, best first.

        Never raises for what the user typed; see the module docstring for the query
        language, ranking and the handling of Japanese and Chinese.
        """
        terms = parse_query(query)
        if not terms or limit <= 0:
            return []
        parsed = Matcher(terms)
        scan = any(term.unsegmented for term in terms)
        with self._reading() as session:
            documents = self._scan_documents if scan else self._fts_documents
            document_hits = documents(session, parsed, limit)
            # Annotations get what the documents leave, and at least half the list: only that
            # many are looked up and given snippets (a common word found 400 and kept 100).
            keep = max(0, limit - min(len(document_hits), limit // 2))
            annotations = self._scan_annotations if scan else self._fts_annotations
            hits = annotations(session, parsed, keep)
            if len(hits) < keep:
                found = {hit.annotation_id for hit in hits}
                hits += self._tag_hits(session, parsed, keep - len(hits), found)
        return hits + document_hits[: limit - len(hits)]

    # -- FTS5 -----------------------------------------------------------------------------------

    @staticmethod
    def _match(
        session: Session, statement: TextClause, terms: Sequence[Term], limit: int
    ) -> Sequence[Any]:
        """Rows of an FTS5 statement; should MATCH refuse the query, the tokens as one phrase."""
        try:
            return session.execute(statement, {"query": fts_query(terms), "limit": limit}).all()
        except (OperationalError, sqlite3.OperationalError):
            session.rollback()
        # A second failure is no syntax error (a damaged index, a locked file): let it show.
        return session.execute(statement, {"query": phrase_query(terms), "limit": limit}).all()

    def _fts_annotations(self, session: Session, query: Matcher, limit: int) -> list[SearchHit]:
        rows = self._match(session, _ANNOTATIONS_FTS, query.terms, limit)
        return [
            _annotation_hit(query, a_id, d_id, title, start, end, (exact, note, speaker), -rank)
            for a_id, d_id, title, start, end, exact, note, speaker, rank in rows
        ]

    def _fts_documents(self, session: Session, query: Matcher, limit: int) -> list[SearchHit]:
        rows = self._match(session, _DOCUMENTS_FTS, query.terms, limit)
        if not rows:
            return []
        texts = dict(
            session.execute(
                select(Document.id, Document.text).where(Document.id.in_([r[0] for r in rows]))
            ).all()
        )
        return [_document_hit(query, d_id, title, texts[d_id], -rank) for d_id, title, rank in rows]

    # -- substring scans (scripts without spaces) ---------------------------------------------

    @staticmethod
    def _needles(query: Matcher) -> list[str]:
        """The runs of kana, kanji, hangul… of the query, which `instr` looks for as they are."""
        return [
            run
            for term in query.terms
            for token in term.tokens
            for run in _UNSEGMENTED.findall(unicodedata.normalize("NFC", token))
        ]

    def _scan_documents(self, session: Session, query: Matcher, limit: int) -> list[SearchHit]:
        conditions = [
            or_(func.instr(Document.title, n) > 0, func.instr(Document.text, n) > 0)
            for n in self._needles(query)
        ]
        rows = session.execute(
            select(Document.id, Document.title, Document.text).where(_LATEST, *conditions)
        ).all()
        hits = []
        for d_id, title, body in rows:
            if query.matches_all(f"{title}\n{body}"):
                score = TITLE_WEIGHT * query.count(title)
                score += query.count(body)
                hits.append(_document_hit(query, d_id, title, body, score))
        hits.sort(key=lambda hit: (-hit.score, hit.document_id))
        return hits[:limit]

    def _scan_annotations(self, session: Session, query: Matcher, limit: int) -> list[SearchHit]:
        fields = (Annotation.exact, Annotation.note, Annotation.speaker)
        conditions = [or_(*(func.instr(f, n) > 0 for f in fields)) for n in self._needles(query)]
        rows = session.execute(
            select(
                Annotation.id,
                Annotation.document_id,
                Document.title,
                Annotation.start,
                Annotation.end,
                *fields,
            )
            .join(Document, Document.id == Annotation.document_id)
            .where(_LATEST, *conditions)
            .order_by(Annotation.document_id, Annotation.start, Annotation.id)
        ).all()
        hits = []
        for a_id, d_id, title, start, end, *values in rows:
            if query.matches_all("\n".join(values)):
                score = sum(query.count(v) for v in values)
                hits.append(_annotation_hit(query, a_id, d_id, title, start, end, values, score))
        hits.sort(key=lambda hit: -hit.score)  # stable: reading order among equals
        return hits[:limit]

    # -- tag names ---------------------------------------------------------------------------

    def _tag_hits(
        self, session: Session, query: Matcher, limit: int, found: set[int | None]
    ) -> list[SearchHit]:
        """Annotations carrying a tag whose name holds every term (the codebook is small)."""
        names = {
            tag_id: name
            for tag_id, name in session.execute(select(Tag.id, Tag.name))
            if query.matches_all(name)
        }
        if not names:
            return []
        rows = session.execute(
            select(
                Annotation.id,
                Annotation.document_id,
                Document.title,
                Annotation.start,
                Annotation.end,
                Annotation.exact,
                annotation_tags.c.tag_id,
            )
            .join(Annotation, Annotation.id == annotation_tags.c.annotation_id)
            .join(Document, Document.id == Annotation.document_id)
            .where(annotation_tags.c.tag_id.in_(names), _LATEST)
            .order_by(Annotation.document_id, Annotation.start, Annotation.id)
            .limit((limit + len(found)) * len(names))  # a row per tag of an annotation
        ).all()
        hits: dict[int, SearchHit] = {}
        for a_id, d_id, title, start, end, exact, tag_id in rows:
            if a_id in found or a_id in hits:
                continue
            snippet = f"{names[tag_id]}: {query.snippet(exact, 0, 0)[0]}"
            hits[a_id] = SearchHit(
                "annotation",
                d_id,
                title,
                start,
                end,
                snippet,
                a_id,
                0.0,
                "tag",
                query.spans(snippet),
            )
            if len(hits) == limit:
                break
        return list(hits.values())


def _annotation_hit(
    query: Matcher,
    annotation_id: int,
    document_id: int,
    title: str,
    start: int,
    end: int,
    values: Sequence[str],
    score: float,
) -> SearchHit:
    """The hit of an annotation whose quote, note or speaker (`values`, in that order) matched."""
    fields: tuple[HitField, ...] = ("quote", "note", "speaker")
    # FTS5 may match where the pattern cannot (a rare tokenizer difference): then the quote.
    field: HitField = "quote"
    value, span = values[0], (0, 0)
    for candidate, candidate_value in zip(fields, values, strict=True):
        located = query.first(candidate_value)
        if located is not None:
            field, value, span = candidate, candidate_value, located
            break
    snippet, marks = query.snippet(value, *span)
    return SearchHit(
        "annotation", document_id, title, start, end, snippet, annotation_id, score, field, marks
    )


def _document_hit(
    query: Matcher, document_id: int, title: str, body: str, score: float
) -> SearchHit:
    """The hit of a document: its first match in the text, else its title."""
    span = query.first(body)
    if span is not None:
        snippet, marks = query.snippet(body, *span)
        return SearchHit("document", document_id, title, *span, snippet, None, score, "text", marks)
    marks = query.spans(title)
    if marks:
        return SearchHit("document", document_id, title, 0, 0, title, None, score, "title", marks)
    snippet, marks = query.snippet(body, 0, 0)
    return SearchHit("document", document_id, title, 0, 0, snippet, None, score, "text", marks)
