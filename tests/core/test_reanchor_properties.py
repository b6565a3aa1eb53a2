"""Properties of re-anchoring over random articles and random edits (hypothesis).

An article is paragraphs of sentences drawn from a fixed vocabulary; annotations cover whole
sentences or a few words of one; the edits insert, delete, duplicate and lightly change
sentences and move white space and line breaks. The model keeps track of which old sentence
each new sentence came from, so the checks know the truth:

- an ok anchor's text reads at least `ACCEPT` alike to its old quote (and is the quote itself
  when found by position or exact search); every span lies inside the new text;
- an annotation whose sentence was deleted, with no similar sentence left, is never ok;
- an annotation on a sentence the edits did not touch, whose quote occurs once in both versions
  and has no near copy elsewhere, comes back ok, by position or exact search, on exactly the
  same words, provided it is a whole sentence, more than a few words, or has one side of its
  context unchanged. (A few words whose surroundings changed on both sides cannot be told from
  the same words in a new sentence: those may come back for review.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from desktop_app.core.anchors import Anchor, anchor_for
from desktop_app.core.reanchor import ACCEPT, SHORT_QUOTE_WORDS, reanchor_all
from desktop_app.core.records import ANCHOR_NEEDS_REVIEW, ANCHOR_OK, ANCHOR_ORPHANED

# conftest.py has a function-scoped autouse fixture; it holds no state hypothesis could leak.
PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EPSILON = 1e-6
Draw = Callable[..., Any]  # st.DrawFn, or DataObject.draw
SIMILAR_SENTENCE = 60  # fuzz.ratio at which another sentence may stand in for a deleted one

VOCABULARY = (
    "The prime minister met the president in Tokyo on Monday.",
    "The prime minister said the talks on trade had gone well.",
    "Trade and security matters will dominate the summit.",
    "Analysts expect few concessions on trade this week.",
    "The coalition is two seats short of a majority in the Diet.",
    "Opposition lawmakers will have to approve every new law.",
    "Defence spending is set to reach two percent of GDP.",
    "The treaty on defence remains a source of strain.",
    "Japan plans to buy more soybeans, trucks and gas.",
    "Personal chemistry could work in the prime minister's favour.",
    "The emperor will receive the president at the palace.",
    "After Tokyo, the president flies on to South Korea.",
    "A ceasefire was agreed between Thailand and Cambodia.",
    "Markets cheered the news 📈 as the yen slipped 😀 against the dollar.",
    "Reporters waited outside 🏛️ for more than three hours.",
    "The spokesperson declined to comment 🙊 on the rumours.",
    "日本の新しい首相は東京で大統領と会談する予定だ。",
    "首脳会談では貿易と安全保障が主な議題になる。",
    "連立政権は国会で過半数に二議席足りない。",
    "𠮷野家の牛丼は記者たちの昼食になった。",
    "Officials said the meeting would last about an hour.",
    "Officials said the dinner would be held at the residence.",
    "The minister for trade will travel to Seoul next week.",
    "Security at the airport was tightened overnight.",
    "Critics say the deal favours exporters over farmers.",
    "Farmers protested outside the ministry on Tuesday.",
    "The yen rose sharply after the announcement.",
    "Stock prices in Tokyo closed higher for a third day.",
    "The president praised the late prime minister warmly.",
    "Both leaders are expected to hold a joint press conference.",
    "A joint statement is not expected before Thursday.",
    "The talks were described as frank and constructive.",
    "Protesters gathered near the embassy carrying banners.",
    "Police said the demonstration ended peacefully.",
    "The summit follows months of tense negotiations.",
    "Negotiators worked through the night on the final text.",
    "The final text includes a clause on semiconductors.",
    "Industry groups welcomed the clause on chips.",
    "The opposition leader called the agreement a surrender.",
    "Voters will have their say at the next election.",
)


@dataclass(frozen=True, slots=True)
class Piece:
    """A sentence of a version: `origin` is the old sentence it still is, None when new."""

    text: str
    origin: int | None
    edited: bool = False


@dataclass(frozen=True, slots=True)
class Article:
    """Paragraphs of sentences; `joiners[i]` separates the sentences of paragraph i."""

    paragraphs: tuple[tuple[Piece, ...], ...]
    joiners: tuple[str, ...]

    def render(self) -> tuple[str, list[tuple[Piece, int]]]:
        """The text, and every sentence with its start offset."""
        parts: list[str] = []
        placed: list[tuple[Piece, int]] = []
        at = 0
        for number, (paragraph, joiner) in enumerate(
            zip(self.paragraphs, self.joiners, strict=True)
        ):
            if number:
                parts.append("\n")
                at += 1
            for index, piece in enumerate(paragraph):
                if index:
                    parts.append(joiner)
                    at += len(joiner)
                placed.append((piece, at))
                parts.append(piece.text)
                at += len(piece.text)
        return "".join(parts), placed

    def pieces(self) -> list[Piece]:
        return [piece for paragraph in self.paragraphs for piece in paragraph]


@st.composite
def articles(draw: st.DrawFn) -> Article:
    chosen = draw(
        st.lists(st.integers(0, len(VOCABULARY) - 1), min_size=3, max_size=12, unique=True)
    )
    paragraphs: list[tuple[Piece, ...]] = []
    current: list[Piece] = []
    for number, vocabulary_index in enumerate(chosen):
        current.append(Piece(VOCABULARY[vocabulary_index], number))
        if len(current) == 3 or draw(st.booleans()):
            paragraphs.append(tuple(current))
            current = []
    if current:
        paragraphs.append(tuple(current))
    return Article(tuple(paragraphs), tuple(" " for _ in paragraphs))


def _flat_position(article: Article, flat: int) -> tuple[int, int]:
    for p, paragraph in enumerate(article.paragraphs):
        if flat < len(paragraph):
            return p, flat
        flat -= len(paragraph)
    raise IndexError(flat)


def _with_paragraph(article: Article, p: int, pieces: tuple[Piece, ...]) -> Article:
    paragraphs = list(article.paragraphs)
    joiners = list(article.joiners)
    if pieces:
        paragraphs[p] = pieces
    else:
        del paragraphs[p]
        del joiners[p]
    return Article(tuple(paragraphs), tuple(joiners))


def _mutate(draw: Draw, text: str) -> str:
    """One to three character substitutions, insertions or deletions, keeping the text long."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text) - 1))
        kind = draw(st.sampled_from(["substitute", "insert", "delete"]))
        letter = draw(st.sampled_from("xqzkéß"))
        if kind == "substitute":
            text = text[:at] + letter + text[at + 1 :]
        elif kind == "insert":
            text = text[:at] + letter + text[at:]
        elif len(text) > 10:
            text = text[:at] + text[at + 1 :]
    return text


def edit(draw: Draw, article: Article) -> Article:
    """Apply one random edit to `article`."""
    count = len(article.pieces())
    kind = draw(
        st.sampled_from(["insert", "delete", "duplicate", "typo", "space", "merge", "split"])
    )
    if count == 0 or kind == "insert":
        sentence = Piece(draw(st.sampled_from(VOCABULARY)), None)
        if count == 0 or draw(st.booleans()):
            at = draw(st.integers(0, len(article.paragraphs)))
            return Article(
                (*article.paragraphs[:at], (sentence,), *article.paragraphs[at:]),
                (*article.joiners[:at], " ", *article.joiners[at:]),
            )
        p, i = _flat_position(article, draw(st.integers(0, count - 1)))
        paragraph = article.paragraphs[p]
        return _with_paragraph(article, p, (*paragraph[:i], sentence, *paragraph[i:]))
    p, i = _flat_position(article, draw(st.integers(0, count - 1)))
    paragraph = article.paragraphs[p]
    piece = paragraph[i]
    if kind == "delete":
        return _with_paragraph(article, p, paragraph[:i] + paragraph[i + 1 :])
    if kind == "duplicate":
        copy = Piece(piece.text, None)
        if draw(st.booleans()):  # right after itself
            return _with_paragraph(article, p, (*paragraph[: i + 1], copy, *paragraph[i + 1 :]))
        at = draw(st.integers(0, len(article.paragraphs)))
        return Article(
            (*article.paragraphs[:at], (copy,), *article.paragraphs[at:]),
            (*article.joiners[:at], " ", *article.joiners[at:]),
        )
    if kind == "typo":
        changed = _mutate(draw, piece.text)
        if changed == piece.text:
            return article
        edited = replace(piece, text=changed, edited=True)
        return _with_paragraph(article, p, (*paragraph[:i], edited, *paragraph[i + 1 :]))
    if kind == "space":
        spaced = list(article.joiners)
        spaced[p] = draw(st.sampled_from([" ", "  ", " \u00a0", "\t"]))
        return Article(article.paragraphs, tuple(spaced))
    if kind == "merge" and p + 1 < len(article.paragraphs):
        merged = article.paragraphs[p] + article.paragraphs[p + 1]
        paragraphs = (*article.paragraphs[:p], merged, *article.paragraphs[p + 2 :])
        joiners = (*article.joiners[: p + 1], *article.joiners[p + 2 :])
        return Article(paragraphs, joiners)
    if kind == "split" and i > 0:
        paragraphs = (
            *article.paragraphs[:p],
            paragraph[:i],
            paragraph[i:],
            *article.paragraphs[p + 1 :],
        )
        joiners = (*article.joiners[: p + 1], *article.joiners[p:])
        return Article(paragraphs, joiners)
    return article


@dataclass(frozen=True, slots=True)
class Annotation:
    sentence: int  # origin number of the old sentence
    start: int  # offsets inside that sentence
    end: int


def annotation_on(draw: Draw, sentence: int, text: str) -> Annotation:
    """A whole sentence, or a few words (a few characters of CJK) inside it."""
    if draw(st.booleans()):
        return Annotation(sentence, 0, len(text))
    if " " in text:
        words = text.split(" ")
        first = draw(st.integers(0, len(words) - 1))
        last = draw(st.integers(first, min(first + 4, len(words) - 1)))
        start = len(" ".join(words[:first])) + (1 if first else 0)
        return Annotation(sentence, start, start + len(" ".join(words[first : last + 1])))
    start = draw(st.integers(0, len(text) - 4))
    return Annotation(sentence, start, draw(st.integers(start + 2, min(start + 10, len(text)))))


def context_kept(anchor: Anchor, new_text: str, start: int) -> bool:
    """True when one side of the anchor's context is still right next to `start`."""
    end = start + len(anchor.exact)
    before = bool(anchor.prefix) and new_text[:start].endswith(anchor.prefix)
    after = bool(anchor.suffix) and new_text.startswith(anchor.suffix, end)
    return before or after


@PROPERTY_SETTINGS
@given(st.data())
def test_reanchoring_never_lands_silently_on_the_wrong_words(data: st.DataObject) -> None:
    draw = data.draw
    old_article = draw(articles(), label="old article")
    old_text, old_placed = old_article.render()
    starts = {number: at for number, (_, at) in enumerate(old_placed)}
    texts = {number: piece.text for number, (piece, _) in enumerate(old_placed)}
    picked = draw(st.lists(st.sampled_from(sorted(starts)), min_size=1, max_size=8))
    annotations = [annotation_on(draw, n, texts[n]) for n in picked]

    new_article = old_article
    for _ in range(draw(st.integers(1, 6), label="edits")):
        new_article = edit(draw, new_article)
    new_text, new_placed = new_article.render()

    anchors = [
        anchor_for(old_text, starts[a.sentence] + a.start, starts[a.sentence] + a.end)
        for a in annotations
    ]
    results = reanchor_all(old_text, new_text, anchors)

    for annotation, anchor, result in zip(annotations, anchors, results, strict=True):
        quote = anchor.exact
        placed = new_text[result.start : result.end]
        event(f"{result.status} by {result.method}")
        note = f"{annotation} {quote!r} -> {result} {placed!r}\nOLD {old_text!r}\nNEW {new_text!r}"
        assert 0 <= result.start <= result.end <= len(new_text), note
        assert 0.0 <= result.score <= 1.0, note
        if result.status in (ANCHOR_OK, ANCHOR_NEEDS_REVIEW):
            assert result.start < result.end, note
        if result.status == ANCHOR_ORPHANED and new_text:
            assert result.start < result.end, note
        if result.status == ANCHOR_OK:
            assert fuzz.ratio(placed, quote) >= ACCEPT * 100 - EPSILON, note
            if result.method in ("position", "exact"):
                assert placed == quote, note

        sentence = texts[annotation.sentence]
        origins = [piece for piece, _ in new_placed if piece.origin == annotation.sentence]
        if not origins and all(
            fuzz.ratio(sentence, piece.text) < SIMILAR_SENTENCE for piece, _ in new_placed
        ):
            assert result.status != ANCHOR_OK, f"deleted sentence placed: {note}"

        survivors = [
            at
            for piece, at in new_placed
            if piece.origin == annotation.sentence and not piece.edited
        ]
        # A near copy of the quote in another sentence (a duplicate with a typo, say) is a fair
        # rival: then review is an acceptable answer too.
        near_copies = [
            piece
            for piece, _ in new_placed
            if not (piece.origin == annotation.sentence and not piece.edited)
            and fuzz.partial_ratio(quote, piece.text) >= ACCEPT * 100
        ]
        if (
            survivors
            and not near_copies
            and old_text.count(quote) == 1
            and new_text.count(quote) == 1
            and (
                annotation.end - annotation.start == len(sentence)
                or len(quote.split()) > SHORT_QUOTE_WORDS
                or context_kept(anchor, new_text, survivors[0] + annotation.start)
            )
        ):
            expected = survivors[0] + annotation.start
            assert result.status == ANCHOR_OK, f"untouched sentence not placed: {note}"
            assert result.method in ("position", "exact"), note
            assert (result.start, result.end) == (expected, expected + len(quote)), note


# --- the same clause in several sentences ----------------------------------------------------

LEADS = (
    "The minister",
    "The adviser",
    "Officials in Beijing",
    "Officials in Seoul",
    "A spokesperson",
    "The governor",
    "Two analysts",
    "The opposition leader",
)
CLAUSES = (
    "tariffs will rise next year.",
    "the talks would resume in March.",
    "nothing had been agreed.",
    "prices rose.",
)
CLAUSE_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=120)


@CLAUSE_SETTINGS
@given(st.data())
def test_a_deleted_sentence_never_lands_on_another_sentence_with_the_same_words(
    data: st.DataObject,
) -> None:
    """Annotate the clause of "X said <clause>", delete that sentence: never ok on another.

    Other sentences hold the same clause after other lead-ins; they and the rest of the article
    may then be edited further (see `edit`). The annotation may only be placed on a sentence
    that is new in the new version; every sentence carried over from the old one is another
    sentence's text.
    """
    draw = data.draw
    leads = draw(st.lists(st.sampled_from(LEADS), min_size=2, max_size=6, unique=True))
    clauses = [draw(st.sampled_from(CLAUSES)) for _ in leads]
    target = draw(st.integers(0, len(leads) - 1), label="annotated sentence")
    twin = draw(st.integers(0, len(leads) - 1).filter(lambda i: i != target), label="twin")
    clauses[twin] = clauses[target]
    paragraphs: list[tuple[Piece, ...]] = []
    current: list[Piece] = []
    for number, (lead, clause) in enumerate(zip(leads, clauses, strict=True)):
        current.append(Piece(f"{lead} said {clause}", number))
        if draw(st.booleans()):
            paragraphs.append(tuple(current))
            current = []
    if current:
        paragraphs.append(tuple(current))
    old_article = Article(tuple(paragraphs), tuple(" " for _ in paragraphs))
    old_text, old_placed = old_article.render()

    quote = draw(st.sampled_from([clauses[target], f"said {clauses[target]}"]), label="quote")
    sentence_start = dict((piece.origin, at) for piece, at in old_placed)[target]
    start = sentence_start + old_placed[target][0].text.index(quote)
    anchor = anchor_for(old_text, start, start + len(quote))

    p, i = _flat_position(old_article, target)
    paragraph = old_article.paragraphs[p]
    new_article = _with_paragraph(old_article, p, paragraph[:i] + paragraph[i + 1 :])
    for _ in range(draw(st.integers(0, 3), label="further edits")):
        new_article = edit(draw, new_article)
    new_text, new_placed = new_article.render()

    result = reanchor_all(old_text, new_text, [anchor])[0]
    event(f"{result.status} by {result.method}")
    placed = new_text[result.start : result.end]
    note = f"{quote!r} -> {result} {placed!r}\nOLD {old_text!r}\nNEW {new_text!r}"
    if result.status == ANCHOR_OK:
        holder = [
            piece
            for piece, at in new_placed
            if at <= result.start and result.end <= at + len(piece.text)
        ]
        assert holder, f"placed across sentences: {note}"
        assert holder[0].origin is None, f"placed on another old sentence: {note}"
