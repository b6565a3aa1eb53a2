"""Sentence segmentation and J/K navigation over a document's text (no Qt)."""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path

import pysbd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core import sentences
from desktop_app.core.sentences import (
    WHOLE_PARAGRAPH_CHARS,
    ParagraphSentences,
    Sentence,
    SentenceIndex,
    _join_quoted_clauses,
    _match_end_after,
    _one_sentence,
    pysbd_spans,
    sentence_around,
    sentence_spans,
    split_sentences,
)

# conftest.py has a function-scoped autouse fixture; it holds no state hypothesis could leak.
PROPERTY_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def texts(text: str, index: SentenceIndex) -> list[str]:
    return [text[s.start : s.end] for s in index]


def assert_clean_span(text: str, sentence: Sentence) -> None:
    piece = text[sentence.start : sentence.end]
    assert 0 <= sentence.start < sentence.end <= len(text)
    assert piece == piece.strip()
    assert "\n" not in piece


# --- the sample article ---------------------------------------------------------------------


def test_sample_article_has_one_sentence_per_line(sample_text: str) -> None:
    lines = sample_text.split("\n")
    lines = [line for line in lines if line.strip()]
    assert len(lines) == 20
    index = SentenceIndex(sample_text)
    sentences = list(index)
    assert [sample_text[s.start : s.end] for s in sentences] == lines
    # Each sentence starts where its line starts in the text (found independently).
    position = 0
    for sentence, line in zip(sentences, lines, strict=True):
        line_start = sample_text.index(line, position)
        assert sentence.start == line_start
        assert sentence.end == line_start + len(line)
        position = sentence.end
    assert sample_text[sentences[0].start :].startswith("Japan's freshly appointed leader")
    assert sample_text[sentences[-1].start :].startswith("A passionate urban explorer")


def test_sample_article_j_j_lands_on_the_second_sentence(sample_text: str) -> None:
    index = SentenceIndex(sample_text)
    first = index.next_sentence(None)
    assert first is not None
    assert first.start == 0
    assert sample_text[first.start : first.end].startswith("Japan's freshly appointed leader, ")
    second = index.next_sentence(first)
    assert second is not None
    quote = sample_text[second.start : second.end]
    assert quote.startswith("The focus of their summit is expected to center on trade and security")
    assert second.start == sample_text.index("\n") + 1


def test_sample_article_walks_forward_and_back(sample_text: str) -> None:
    index = SentenceIndex(sample_text)
    lines = sample_text.split("\n")
    forward: list[Sentence] = []
    current = index.next_sentence(None)
    while current is not None:
        forward.append(current)
        current = index.next_sentence(current)
    assert [sample_text[s.start : s.end] for s in forward] == lines
    assert index.next_sentence(forward[-1]) is None

    backward: list[Sentence] = []
    current = index.previous_sentence(None)
    while current is not None:
        backward.append(current)
        current = index.previous_sentence(current)
    assert backward == forward[::-1]
    assert index.previous_sentence(forward[0]) is None
    for earlier, later in itertools.pairwise(forward):
        assert index.previous_sentence(later) == earlier


def test_paragraph_count_counts_lines_including_blank_ones() -> None:
    assert SentenceIndex("A.\n\nB.\n").paragraph_count == 4
    assert SentenceIndex("").paragraph_count == 1
    assert list(SentenceIndex("")) == []


# --- what stays whole, and where sentences end ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Smith met Dr. Jones in the U.S. on Monday.",
        "Growth was 2.5% and exports reached 1.5bn yen.",
    ],
)
def test_abbreviations_and_decimals_do_not_end_a_sentence(text: str) -> None:
    assert split_sentences(text) == [(0, len(text))]
    assert texts(text, SentenceIndex(text)) == [text]


def test_a_quoted_sentence_end_stays_with_its_sentence() -> None:
    text = 'He said "Stop." Then he left.'
    spans = split_sentences(text)
    assert len(spans) == 2
    cut = text.index('"Stop."') + len('"Stop."')
    assert spans[0] == (0, cut)
    assert text[spans[0][0] : spans[0][1]].endswith('."')
    assert spans[1] == (cut + 1, len(text))
    assert text[spans[1][0] : spans[1][1]] == "Then he left."


def test_japanese_sentence_ends() -> None:
    text = "日本の首相は東京にいる。彼は行った！本当に？はい。"
    index = SentenceIndex(text)
    pieces = texts(text, index)
    assert pieces == ["日本の首相は東京にいる。", "彼は行った！", "本当に？", "はい。"]
    assert [p[-1] for p in pieces] == ["。", "！", "？", "。"]
    assert "".join(pieces) == text


def test_j_and_k_visit_adjacent_japanese_sentences() -> None:
    # Japanese sentences touch (no space after 。), so one's end is the next one's start.
    # At commit 81ba1b4 J and K skipped them (strict > and < comparisons); fixed since.
    text = "日本の首相は東京にいる。彼は行った！本当に？はい。"
    index = SentenceIndex(text)
    expected = list(index)
    assert len(expected) == 4
    forward: list[Sentence] = []
    current = index.next_sentence(None)
    while current is not None and len(forward) < 10:
        forward.append(current)
        current = index.next_sentence(current)
    assert forward == expected
    backward: list[Sentence] = []
    current = index.previous_sentence(None)
    while current is not None and len(backward) < 10:
        backward.append(current)
        current = index.previous_sentence(current)
    assert backward == expected[::-1]
    assert index.previous_sentence(expected[1]) == expected[0]
    assert index.next_sentence(expected[-1]) is None


def test_astral_characters_do_not_shift_spans() -> None:
    text = "I saw 😀 at 𠮷野家 today. Then 😀😀 we left! 𠮷 is rare."
    index = SentenceIndex(text)
    pieces = texts(text, index)
    assert pieces == ["I saw 😀 at 𠮷野家 today.", "Then 😀😀 we left!", "𠮷 is rare."]
    starts = [s.start for s in index]
    # Python str indices, counted independently of the code under test.
    assert starts == [0, text.index("Then"), text.index("𠮷 is")]
    for sentence in index:
        assert_clean_span(text, sentence)


def test_repeated_sentence_gets_distinct_increasing_spans() -> None:
    text = "Yes. Yes. Yes."
    spans = [(s.start, s.end) for s in SentenceIndex(text)]
    assert spans == [(0, 4), (5, 9), (10, 14)]
    assert split_sentences(text) == spans


# --- lines, blank lines and offsets -----------------------------------------------------------


def test_spans_never_cross_a_line_break_and_blank_lines_yield_nothing() -> None:
    text = "First half\nsecond half. Next one.\n\n   \n\nLast line"
    index = SentenceIndex(text)
    pieces = texts(text, index)
    assert pieces == ["First half", "second half.", "Next one.", "Last line"]
    for sentence in index:
        assert_clean_span(text, sentence)
    for blank in (3, 4):  # the empty line and the line of spaces
        assert index.sentences_in_paragraph(blank) == []


def test_sentence_at_inside_start_and_end() -> None:
    text = "Alpha beta.  Gamma delta.\nEpsilon."
    index = SentenceIndex(text)
    first, second, third = list(index)
    assert (first.start, first.end) == (0, 11)
    assert (second.start, second.end) == (13, 25)
    assert (third.start, third.end) == (26, 34)
    assert index.sentence_at(0) == first
    assert index.sentence_at(5) == first
    assert index.sentence_at(11) == first  # a caret just after the full stop
    assert index.sentence_at(13) == second
    assert index.sentence_at(20) == second
    assert index.sentence_at(25) == second  # on the line break, right after the sentence
    assert index.sentence_at(26) == third
    assert index.sentence_at(len(text)) == third


def test_sentence_at_between_sentences_is_none_or_a_neighbour() -> None:
    text = "Alpha beta.  Gamma delta."
    index = SentenceIndex(text)
    first, second = list(index)
    # Offset 11 is the first space (the end of "Alpha beta."); 12 is the second space.
    assert index.sentence_at(11) == first
    assert index.sentence_at(12) is None
    assert index.first_sentence_from(12) == second


def test_sentence_at_on_blank_line_is_none_and_click_goes_to_next() -> None:
    text = "One.\n\n\nTwo three."
    index = SentenceIndex(text)
    one, two = list(index)
    assert index.sentence_at(5) is None
    assert index.sentence_at(6) is None
    assert index.first_sentence_from(5) == two
    assert index.first_sentence_from(6) == two
    assert text[two.start : two.end] == "Two three."
    assert index.first_sentence_from(2) == one
    assert index.first_sentence_from(len(text)) == two


def test_first_sentence_from_past_the_last_sentence_is_none() -> None:
    text = "One.\n\n"
    index = SentenceIndex(text)
    assert index.first_sentence_from(5) is None
    assert index.first_sentence_from(len(text)) is None


def test_leading_and_trailing_spaces_on_a_line_are_not_in_the_sentence() -> None:
    text = "   Indented sentence.   \n\tTabbed one.\t"
    index = SentenceIndex(text)
    assert texts(text, index) == ["Indented sentence.", "Tabbed one."]
    first, second = list(index)
    assert first.start == 3
    assert second.start == text.index("Tabbed")


# --- property: spans are always clean and cover the text --------------------------------------

VOCABULARY = [
    "Mr. Smith met Dr. Jones in the U.S. on Monday.",
    "Growth was 2.5% and exports reached 1.5bn yen.",
    'He said "Stop."',
    "Then he left.",
    "Yes.",
    "Why?",
    "Tokyo (the capital) is big!",
    "日本の首相は東京にいる。",
    "彼は行った！",
    "本当に？",
    "I saw 😀 there.",
    "𠮷野家 opened at 9 a.m. today.",
    "The 👩‍👩‍👧 family waved 🇯🇵 flags.",
    "Café crème costs €3.50.",
    "no full stop here",
]

separators = st.sampled_from([" ", "  ", "\n", "\n\n", " \n ", "\t"])


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.sampled_from(VOCABULARY), min_size=0, max_size=8))
    text = ""
    for piece in pieces:
        text += piece + draw(separators)
    leading = draw(st.sampled_from(["", " ", "\n"]))
    return leading + text


@PROPERTY_SETTINGS
@given(paragraphs())
def test_sentence_spans_are_clean_ordered_and_cover_the_text(text: str) -> None:
    index = SentenceIndex(text)
    sentences = list(index)
    for sentence in sentences:
        assert_clean_span(text, sentence)
    for earlier, later in itertools.pairwise(sentences):
        assert earlier.end <= later.start
        assert earlier.start < later.start
    covered = [False] * len(text)
    for sentence in sentences:
        for i in range(sentence.start, sentence.end):
            assert not covered[i]
            covered[i] = True
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert covered[i], f"{ch!r} at {i} is in no sentence"
    # sentence_at finds each sentence from its first character and its middle.
    for sentence in sentences:
        assert index.sentence_at(sentence.start) == sentence
        assert index.sentence_at((sentence.start + sentence.end) // 2) == sentence


WORDS = [
    "the",
    "Prime",
    "Minister",
    "Mr",
    "Dr",
    "U.S.",
    "said",
    "trade",
    "talks",
    "3.5%",
    "e.g.",
    "Inc",
    "Ltd",
    "Jan",
    "St",
    "no",
    "vs",
    "etc",
    "Japan's",
    "don't",
    "o'clock",
    "—",
    "–",
    "-",
    ",",
    ";",
    ":",
    "(",
    ")",
    "[",
    "]",
    "'",
    "‘",
    "’",
    '"',
    "“",
    "”",
    "東京",
    "会談",
    "🙂",
    "1",
    "2",
    "2024",
    "A",
    "B",
]


@st.composite
def one_line(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=20))
    space = draw(st.sampled_from([" ", "  ", "\t", "\u00a0"]))
    end = draw(st.sampled_from(["", ".", "?", "!", "。", "…", "...", '."', ".)", " "]))
    return draw(st.sampled_from(["", " "])) + space.join(words) + end


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_line())
def test_the_one_sentence_shortcut_agrees_with_pysbd(paragraph: str) -> None:
    assert split_sentences(paragraph) == pysbd_spans(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Japan's leader met the U.S. president.",  # an abbreviation: pysbd decides
        "'Quoted' words open this one.",
        "It ends twice...",
        "No closing mark at all",
        "The talks (in Tokyo) went on.",
    ],
)
def test_the_shortcut_gives_pysbds_spans_on_news_lines(paragraph: str) -> None:
    assert split_sentences(paragraph) == pysbd_spans(paragraph)


def test_an_offset_where_two_sentences_touch_belongs_to_the_one_it_starts() -> None:
    text = "日本の首相は東京にいる。彼は行った！"
    index = SentenceIndex(text)
    first, second = list(index)
    assert first.end == second.start
    assert index.sentence_at(second.start) == second
    assert index.sentence_at(first.start) == first
    # Just after the last sentence (a caret at the end of the line), it is still that sentence.
    assert index.sentence_at(second.end) == second


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("日本は「勝つ。」と言った。", ["日本は「勝つ。」と言った。"]),
        (
            "首相は「勝つ。」、そう語った。次に進む。",
            ["首相は「勝つ。」、そう語った。", "次に進む。"],
        ),
        ("「行け。」彼は去った。", ["「行け。」", "彼は去った。"]),
    ],
)
def test_a_closing_bracket_stays_with_its_sentence(text: str, expected: list[str]) -> None:
    assert texts(text, SentenceIndex(text)) == expected


# --- property: the same spans as the segment()-based code they replaced ---------------------
# pysbd_spans runs pysbd's Processor and locates its sentences with str.find; it used to call
# Segmenter.segment(), which places every sentence with a regex compiled from it. The old path
# is kept here as the reference. The Japanese post-pass did not change, so both share it.

_REFERENCE_SEGMENTER = pysbd.Segmenter(language="en", clean=False, char_span=True)
_OLD_SPLITTERS = frozenset('.!?。！？…‽)"“”‘')
_OLD_QUOTE_MARK = re.compile(r"(?<!\w)['’]|['’](?!\w)")
CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def reference_pysbd_spans(paragraph: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _REFERENCE_SEGMENTER.segment(paragraph):
        stripped = piece.sent.strip()
        if not stripped:
            continue
        found = paragraph.find(stripped, cursor)
        if found < 0:
            rest_start = len(paragraph) - len(paragraph[cursor:].lstrip())
            rest_end = len(paragraph.rstrip())
            if rest_end > rest_start:
                spans.append((rest_start, rest_end))
            return spans
        spans.append((found, found + len(stripped)))
        cursor = found + len(stripped)
    return _join_quoted_clauses(paragraph, spans)


def reference_one_sentence(stripped: str) -> bool:
    core = stripped[:-1] if stripped[-1] in ".!?。！？…‽" else stripped
    return (
        bool(core)
        and not any(c in _OLD_SPLITTERS for c in core)
        and not _OLD_QUOTE_MARK.search(core)
    )


def reference_split_sentences(paragraph: str) -> list[tuple[int, int]]:
    stripped = paragraph.strip()
    if not stripped:
        return []
    if reference_one_sentence(stripped):
        start = paragraph.find(stripped)
        return [(start, start + len(stripped))]
    return reference_pysbd_spans(paragraph)


def assert_same_spans_as_reference(text: str) -> None:
    # The whole text (line breaks and all) and each line, as SentenceIndex hands them over.
    for paragraph in [text, *text.split("\n")]:
        assert pysbd_spans(paragraph) == reference_pysbd_spans(paragraph), paragraph
        assert split_sentences(paragraph) == reference_split_sentences(paragraph), paragraph


MIXED_TOKENS = [
    *("Mr.", "Dr.", "U.S.", "e.g.", "i.e.", "Inc.", "St.", "No.", "vs.", "a.m.", "Jan."),
    *("Smith", "said", "the", "talks", "in", "Tokyo", "ended", "Japan's", "don't", "A", "I"),
    *("3.5%", "2.5", "$1.2bn", "10", "2024", "1."),
    *(".", "!", "?", "...", "…", "?!", ",", ";", ":", "—", "-"),
    *("(", ")", "[", "]", '"', "“", "”", "'", "‘", "’"),
    *("Yes.", "Why?", "Stop!", '"Stop."', "(Really.)", "'Quoted.'"),
    *("東京", "首相は", "言った", "と", "、", "「", "」", "『", "』", "。", "！", "？"),
    "「勝つ。」",
    *("😀", "👩‍👩‍👧", "🇯🇵", "𠮷野家", "🙄"),
]
# " " three times over: the usual separator, drawn most often.
MIXED_SEPARATORS = ["", " ", " ", " ", "  ", "   ", "\n", "\n\n", "\t", "\u00a0", "\u3000", " \n "]


@st.composite
def mixed_texts(draw: st.DrawFn) -> str:
    """English with abbreviations, quotes and numbers, Japanese, emoji and odd white space."""
    tokens = draw(st.lists(st.sampled_from(MIXED_TOKENS), min_size=1, max_size=40))
    separators = draw(
        st.lists(st.sampled_from(MIXED_SEPARATORS), min_size=len(tokens), max_size=len(tokens))
    )
    return "".join(token + separator for token, separator in zip(tokens, separators, strict=True))


# Characters one at a time, for the corners tokens miss: sentences that repeat inside the ones
# before them, and the marks pysbd substitutes internally (∯ ȸ ƪ ☏ ...), which it gives back
# changed, so that a sentence is not in the text and segment() dropped it.
odd_texts = st.text(
    alphabet=list("aAb .!?'\"()%1-。「」と\n\t😀𠮷∯ȸƪ☏♭☉&ᓴ⎋ȹ∮"), min_size=1, max_size=40
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_texts())
def test_spans_match_the_segment_based_reference_on_mixed_text(text: str) -> None:
    assert_same_spans_as_reference(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_texts)
def test_spans_match_the_segment_based_reference_on_odd_text(text: str) -> None:
    assert_same_spans_as_reference(text)


@settings(max_examples=1000, deadline=None)
@given(
    st.text(alphabet="ab. \t\n", max_size=16),
    st.text(alphabet="ab. \t", max_size=4),
    st.integers(min_value=0, max_value=17),
)
def test_match_end_after_walks_the_matches_segment_compiled(
    text: str, sentence: str, previous_end: int
) -> None:
    # Empty, space-edged and self-overlapping sentences, which pysbd seldom gives.
    ends = (match.end() for match in re.finditer(re.escape(sentence) + r"\s*", text))
    expected = next((end for end in ends if end > previous_end), None)
    assert _match_end_after(text, sentence, previous_end) == expected


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab1_ '\u02bc’‘\"“”).!?。é東", min_size=1, max_size=10))
def test_the_one_sentence_regex_decides_as_the_character_loop_did(stripped: str) -> None:
    # Apostrophes and quotes at either edge, where the search's endpos cuts the closing mark.
    assert _one_sentence(stripped) == reference_one_sentence(stripped)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*")), ids=lambda path: path.name)
def test_spans_match_the_segment_based_reference_on_the_corpus(path: Path) -> None:
    data = path.read_bytes()
    assert_same_spans_as_reference(data.decode("utf-8", errors="replace"))
    assert_same_spans_as_reference(data.decode("latin-1"))


def test_spans_match_the_segment_based_reference_on_the_sample_article(sample_text: str) -> None:
    assert_same_spans_as_reference(sample_text)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Yes. Yes. Yes.",  # a sentence found again before the previous one's end
        "No. No.  No.\tNo.",
        "It was a. a. a. a.",
        'He said "Stop." Stop. "Stop."',
        "「勝つ。」と言った。「勝つ。」と言った。",
        "😀. 😀. 😀!",
    ],
)
def test_repeated_sentences_match_the_segment_based_reference(paragraph: str) -> None:
    assert_same_spans_as_reference(paragraph)


# --- one definition: the bulk and the bounded ways of asking agree with SentenceIndex ---------

REACH = 300  # re-anchoring's SENTENCE_CHARS
SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
GROUND_TRUTH = SHARED_CORPUS / "article-extraction-benchmark" / "ground-truth.json"
# Paragraphs of what sentence ends are made of: abbreviations, decimals, quotes, Japanese with
# and without closing brackets, astral characters (offsets are code points, not UTF-16 units).
MIXED_ARTICLE = "\n".join(
    [
        "Mr. Smith met Dr. Jones in the U.S. on Monday. They spoke for 2.5 hours. Then they left.",
        'He said "Stop." Then he left! Was it over? Nobody knew (at 9 a.m. it was not.)',
        "",
        "日本の首相は東京にいる。彼は行った！本当に？はい。日本は「勝つ。」と言った。",
        "「行け。」彼は去った。首相は「勝つ。」、そう語った。次に進む。",
        "   I saw 😀 at 𠮷野家 today. Then 😀😀 we left! 𠮷 is rare.   ",
        "The 👩‍👩‍👧 family waved 🇯🇵 flags. Café crème costs €3.50. No full stop here",
        "Prices rose 3.5% in Jan. and St. Louis (Mo.) reported gains, e.g. in steel, vs. 2024.",
    ]
)


def index_run(
    text: str, start: int, end: int, reach: int, found: list[Sentence] | None = None
) -> tuple[int, int]:
    """What `sentence_around` promises, worked out from SentenceIndex's sentences (`found`)."""
    found = list(SentenceIndex(text)) if found is None else found
    touched = [s for s in found if s.start < end and start < s.end]
    if start == end or not touched:
        return start, start
    begin, finish = touched[0].start, touched[-1].end
    if begin < start - reach:
        begin = start - reach
        begin += len(text[begin:finish]) - len(text[begin:finish].lstrip())
    if finish > end + reach:
        finish = end + reach
        finish = begin + len(text[begin:finish].rstrip())
    return begin, finish


def real_articles() -> list[tuple[str, str]]:
    """(name, text): the sample corpus in the tree, and the 181 real articles when present."""
    articles = [
        (path.name, path.read_bytes().decode("utf-8", errors="replace"))
        for path in sorted(CORPUS.glob("*"))
    ]
    if GROUND_TRUTH.exists():
        truth = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
        articles += [(key[:12], page["articleBody"]) for key, page in sorted(truth.items())]
    return articles


def assert_around_agrees_with_the_index(text: str, places: int, seed: int) -> None:
    rng = random.Random(seed)
    index = SentenceIndex(text)
    known = ParagraphSentences()
    found = list(index)
    for _ in range(places):
        # Inside one sentence: the sentence around it is that sentence, whole or cut at REACH.
        sentence = rng.choice(found)
        start = rng.randrange(sentence.start, sentence.end)
        end = rng.randrange(start, sentence.end) + 1
        whole = sentence_around(text, start, end, reach=len(text), paragraphs=known)
        assert whole == (sentence.start, sentence.end), (text[start:end], whole)
        assert index.sentence_at(start) == sentence
        around = sentence_around(text, start, end, reach=REACH, paragraphs=known)
        assert around == index_run(text, start, end, REACH, found)
        # Anywhere at all: across sentences, lines, blank lines and spaces.
        start = rng.randrange(len(text))
        end = min(start + rng.choice([1, 3, 12, 40, 150, 700]), len(text))
        expected = index_run(text, start, end, REACH, found)
        assert sentence_around(text, start, end, reach=REACH, paragraphs=known) == expected
        assert sentence_around(text, start, end, reach=REACH) == expected  # without a cache


def test_the_sentence_around_a_span_is_the_index_sentence_in_mixed_text() -> None:
    assert_around_agrees_with_the_index(MIXED_ARTICLE, places=400, seed=1)


def test_the_sentence_around_a_span_is_the_index_sentence_in_the_sample(sample_text: str) -> None:
    assert_around_agrees_with_the_index(sample_text, places=200, seed=2)


@pytest.mark.parametrize(
    "text", [pytest.param(text, id=name) for name, text in real_articles() if text.strip()]
)
def test_the_sentence_around_a_span_is_the_index_sentence_in_real_articles(text: str) -> None:
    assert_around_agrees_with_the_index(text, places=30, seed=len(text))


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("Jones", "Mr. Smith met Dr. Jones in the U.S. on Monday."),  # abbreviations stay inside
        ("2.5 hours", "They spoke for 2.5 hours."),
        ('"Stop."', 'He said "Stop."'),
        ("勝つ", "日本は「勝つ。」と言った。"),  # the closing bracket and と stay with it
        ("行った！本当", "彼は行った！本当に？"),  # touching sentences: a run of two
        ("𠮷野家", "I saw 😀 at 𠮷野家 today."),
        ("Then 😀😀", "Then 😀😀 we left!"),
        (
            "St. Louis",
            "Prices rose 3.5% in Jan. and St. Louis (Mo.) reported gains, e.g. in steel, vs. 2024.",
        ),
    ],
)
def test_the_sentence_around_a_quote_keeps_what_the_reader_keeps(quote: str, expected: str) -> None:
    start = MIXED_ARTICLE.index(quote)
    begin, finish = sentence_around(MIXED_ARTICLE, start, start + len(quote), reach=REACH)
    assert MIXED_ARTICLE[begin:finish] == expected


def test_the_sentence_around_white_space_or_nothing() -> None:
    text = "Alpha beta.  Gamma  delta.\n\nEpsilon."
    gap = text.index("  Gamma")
    assert sentence_around(text, gap, gap + 2, reach=REACH) == (gap, gap)  # between sentences
    inner = text.index("  delta")
    assert sentence_around(text, inner, inner + 1, reach=REACH) == (13, 26)  # inside one
    blank = text.index("\n\n")
    assert sentence_around(text, blank, blank + 2, reach=REACH) == (blank, blank)
    assert sentence_around(text, 3, 3, reach=REACH) == (3, 3)  # an empty span
    assert sentence_around("", 0, 0, reach=REACH) == (0, 0)
    # A span that begins and ends on line breaks holds the sentences between them.
    assert text[slice(*sentence_around(text, 11, len(text) - 1, reach=REACH))] == (
        "Gamma  delta.\n\nEpsilon."
    )


def test_the_sentence_around_is_cut_at_its_reach() -> None:
    sentence = " ".join(f"word{n}" for n in range(200)) + "."
    text = f"Before. {sentence} After."
    start = text.index("word100")
    begin, finish = sentence_around(text, start, start + 7, reach=50)
    assert start - 50 <= begin and finish <= start + 7 + 50
    assert text[begin:finish] == text[begin:finish].strip()
    assert (begin, finish) == index_run(text, start, start + 7, 50)


def test_a_long_paragraph_is_segmented_only_around_the_span(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A text without line breaks (2 MB): the work stays near the span, whatever the length.
    unit = "Mr. Smith met Dr. Jones in the U.S. on Monday. They spoke for 2.5 hours. "
    text = unit * (2_000_000 // len(unit))
    seen: list[int] = []
    real_split = sentences.split_sentences
    monkeypatch.setattr(
        sentences, "split_sentences", lambda piece: seen.append(len(piece)) or real_split(piece)
    )
    start = text.index("They spoke", 1_000_000)
    begin, finish = sentence_around(text, start, start + 10, reach=REACH)
    assert text[begin:finish] == "They spoke for 2.5 hours."
    begin, finish = sentence_around(text, start - 5, start + 3000, reach=REACH)
    assert text[begin:].startswith("Monday.") or text[begin:].startswith("Mr. Smith")
    assert text[:finish].endswith("hours.") or text[:finish].endswith("Monday.")
    assert seen and max(seen) < WHOLE_PARAGRAPH_CHARS


def test_a_long_paragraph_of_plain_sentences_agrees_with_the_index() -> None:
    # Windows of a long paragraph agree with the whole unless pysbd's reading reaches further
    # than their margin (a quotation opened far back): not so in plain sentences.
    rng = random.Random(7)
    plain = [v for v in VOCABULARY if '"' not in v and "(" not in v]
    text = " ".join(rng.choice(plain) for _ in range(300))
    assert len(text) > WHOLE_PARAGRAPH_CHARS and "\n" not in text
    assert_around_agrees_with_the_index(text, places=100, seed=8)


@pytest.mark.parametrize("text", [MIXED_ARTICLE, "", "\n\n", "One.\n\n\nTwo three.\n"])
def test_sentence_spans_are_the_index_sentences(text: str) -> None:
    assert list(sentence_spans(text)) == [(s.start, s.end) for s in SentenceIndex(text)]


def test_sentence_spans_share_paragraphs_between_texts(sample_text: str) -> None:
    known = ParagraphSentences()
    for text in (sample_text, MIXED_ARTICLE, sample_text + "\n" + MIXED_ARTICLE):
        expected = [(s.start, s.end) for s in SentenceIndex(text)]
        assert list(sentence_spans(text, known)) == expected
    line = sample_text.split("\n")[0]
    assert known.spans(line) is known.spans(line)  # segmented once, then kept


@PROPERTY_SETTINGS
@given(mixed_texts(), st.data())
def test_the_sentence_around_agrees_with_the_index_on_mixed_tokens(
    text: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    reach = data.draw(st.sampled_from([0, 5, REACH]))
    assert sentence_around(text, start, end, reach=reach) == index_run(text, start, end, reach)
