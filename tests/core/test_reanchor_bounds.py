"""The fuzzy search is bounded: long quotes end in seconds, placed or "not placed" with a reason.

A 20 KB quote against a 250 KB article took minutes (rapidfuzz aligned it whole, at a cost of
the square of its length per window position). These tests hold the bound in place: the quotes
are as long as the attack's, the duration is checked only loosely (speed belongs to the
benchmarks), and what matters is the answer and its reason.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rapidfuzz import fuzz

import desktop_app.core.reanchor as reanchor_module
from desktop_app.core.anchors import Anchor, anchor_for
from desktop_app.core.fuzzy_bounds import (
    MAX_PIECE_HITS,
    PIECE_CHARS,
    WorkBudget,
    alignment_cost,
    locate_by_pieces,
    piece_offsets,
)
from desktop_app.core.reanchor import (
    ACCEPT,
    FUZZY_WORK_CELLS,
    MAX_FUZZY_QUOTE_CHARS,
    Reanchorer,
    reanchor_all,
)
from desktop_app.core.records import ANCHOR_NEEDS_REVIEW, ANCHOR_OK, ANCHOR_ORPHANED

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample-article.txt"
ARTICLE_CHARS = 250_000
QUOTE_CHARS = 20_000
QUOTE_AT = 100_000
# Loose on purpose: the unbounded search took minutes; the bounded one takes milliseconds.
SECONDS = 10.0


def article(seed: int = 1, chars: int = ARTICLE_CHARS) -> str:
    """An article of `chars` characters: paragraphs of sentences in the sample's vocabulary.

    Drawn at random, so that (as in real prose) long stretches of it do not repeat.
    """
    rng = random.Random(seed)
    vocabulary = sorted(set(SAMPLE.read_text(encoding="utf-8").split()))
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            words = [rng.choice(vocabulary) for _ in range(rng.randint(8, 25))]
            sentences.append(" ".join(words).capitalize().rstrip(".,") + ".")
        paragraphs.append(" ".join(sentences))
        size += len(paragraphs[-1]) + 1
    return "\n".join(paragraphs)[:chars]


def mangled(text: str, seed: int = 2, every: int = 12) -> str:
    """`text` with about one word in `every` replaced by another word of the text."""
    rng = random.Random(seed)
    words = text.split(" ")
    for index in rng.sample(range(len(words)), len(words) // every):
        words[index] = rng.choice(words)
    return " ".join(words)


def unrelated_quote(chars: int = QUOTE_CHARS) -> str:
    """A quote that matches nothing in any article: words of no language."""
    rng = random.Random(3)
    words = ["zqx", "vvkj", "qwpz", "xjjq", "kzzv"]
    quote = " ".join(rng.choice(words) for _ in range(chars // 4))
    return quote[:chars]


def found(text: str, quote: str, expected: int) -> tuple[reanchor_module.Reanchored, float]:
    """Look for `quote` as the W3C importer does (origin unknown), timed."""
    reanchorer = Reanchorer(text, text, origin_known=False)
    began = time.perf_counter()
    result = reanchorer.reanchor(Anchor(expected, expected + len(quote), quote, "", ""))
    return result, time.perf_counter() - began


@pytest.fixture(scope="module")
def long_article() -> str:
    return article()


@pytest.fixture
def alignments(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, int]]]:
    """Every partial_ratio_alignment the re-anchorer makes, as (quote, window) lengths."""
    calls: list[tuple[int, int]] = []
    real = fuzz.partial_ratio_alignment

    def counted(quote: str, window: str, *, score_cutoff: float | None = None) -> object:
        calls.append((len(quote), len(window)))
        return real(quote, window, score_cutoff=score_cutoff)

    monkeypatch.setattr(reanchor_module.fuzz, "partial_ratio_alignment", counted)
    yield calls


# ---- the attack ---------------------------------------------------------------------------------


def test_a_long_mangled_quote_far_from_its_hint_is_not_placed_with_a_reason(
    long_article: str, alignments: list[tuple[int, int]]
) -> None:
    quote = mangled(long_article[QUOTE_AT : QUOTE_AT + QUOTE_CHARS])

    result, seconds = found(long_article, quote, expected=0)

    assert seconds < SECONDS
    assert result.status == ANCHOR_ORPHANED
    assert result.reason.startswith(f"its quote is too long ({len(quote):,} characters)")
    assert all(length < MAX_FUZZY_QUOTE_CHARS for length, _ in alignments)


def test_a_long_mangled_quote_near_its_hint_is_found_on_its_own_words(long_article: str) -> None:
    original = long_article[QUOTE_AT : QUOTE_AT + QUOTE_CHARS]
    quote = mangled(original)

    result, seconds = found(long_article, quote, expected=QUOTE_AT)

    assert seconds < SECONDS
    # Without context, a copy with one word in twelve changed is offered for review.
    assert result.status in (ANCHOR_OK, ANCHOR_NEEDS_REVIEW)
    assert result.method == "fuzzy"
    assert abs(result.start - QUOTE_AT) < 50 and abs(result.end - QUOTE_AT - QUOTE_CHARS) < 50
    assert fuzz.ratio(long_article[result.start : result.end], original) > 95


@pytest.mark.parametrize("where", ["start", "hint"])
def test_a_long_quote_that_matches_nothing_is_not_placed_with_a_reason(
    long_article: str, where: str
) -> None:
    quote = unrelated_quote()

    result, seconds = found(long_article, quote, expected=0 if where == "start" else QUOTE_AT)

    assert seconds < SECONDS
    assert result.status == ANCHOR_ORPHANED
    assert result.reason.startswith("its quote is too long (20,000 characters)")


def test_a_long_quote_in_a_text_that_repeats_itself_is_not_placed_with_a_reason() -> None:
    # Every piece of the quote occurs dozens of times: none says where it is.
    text = SAMPLE.read_text(encoding="utf-8") * (ARTICLE_CHARS // 3_000)
    quote = mangled(text[QUOTE_AT : QUOTE_AT + QUOTE_CHARS])

    result, seconds = found(text, quote, expected=QUOTE_AT)

    assert seconds < SECONDS
    assert result.status == ANCHOR_ORPHANED
    assert "too long" in result.reason


def test_a_long_edited_paragraph_is_carried_to_the_next_version() -> None:
    old = article(seed=5, chars=60_000)
    start = old.index("\n", 30_000) + 1
    end = old.index("\n", start + 4_000)
    new = old[:start] + mangled(old[start:end], every=40) + old[end:]

    (result,) = reanchor_all(old, new, [anchor_for(old, start, end)])

    assert (result.status, result.method) == (ANCHOR_OK, "fuzzy")
    assert result.score >= ACCEPT
    assert abs(result.start - start) <= 1
    assert result.reason == ""


# ---- the normal fuzzy case is as before ---------------------------------------------------------


def test_a_lightly_edited_sentence_is_still_found_fuzzily_without_a_reason() -> None:
    old = SAMPLE.read_text(encoding="utf-8")
    quote = "Takaichi, who just became Japan's first female leader"
    start = old.index(quote)
    new = old.replace("just became", "has just become")

    (result,) = reanchor_all(old, new, [anchor_for(old, start, start + len(quote))])

    assert (result.status, result.method, result.reason) == (ANCHOR_OK, "fuzzy", "")
    assert (
        new[result.start : result.end]
        == "Takaichi, who has just become Japan's first female leader"
    )


def test_a_small_mangled_quote_is_placed_by_the_importer_search() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    sentence = "The focus of their summit is expected to center on trade and security matters"
    at = text.index(sentence)
    quote = sentence.replace("expected", "expectd").replace("security", "securty")
    prefix, suffix = text[at - 32 : at], text[at + len(sentence) : at + len(sentence) + 32]
    reanchorer = Reanchorer(text, text, origin_known=False)

    result = reanchorer.reanchor(Anchor(at, at + len(quote), quote, prefix, suffix))

    assert (result.status, result.method, result.reason) == (ANCHOR_OK, "fuzzy", "")
    assert text[result.start : result.end] == sentence


# ---- when a bound is reached --------------------------------------------------------------------


def edited_sentence() -> tuple[str, str, Anchor]:
    old = SAMPLE.read_text(encoding="utf-8")
    quote = "Takaichi, who just became Japan's first female leader"
    start = old.index(quote)
    return (
        old,
        old.replace("just became", "has just become"),
        anchor_for(old, start, start + len(quote)),
    )


def test_an_anchor_whose_search_ran_out_of_work_is_not_placed_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, new, anchor = edited_sentence()
    monkeypatch.setattr(reanchor_module, "FUZZY_WORK_CELLS", 1_000)

    (result,) = reanchor_all(old, new, [anchor])

    assert result.status != ANCHOR_OK
    assert "work limit" in result.reason


def test_an_anchor_whose_search_ran_out_of_time_is_not_placed_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, new, anchor = edited_sentence()
    monkeypatch.setattr(reanchor_module, "FUZZY_SECONDS", -1.0)

    (result,) = reanchor_all(old, new, [anchor])

    assert result.status != ANCHOR_OK
    assert "took too long" in result.reason


def test_the_budget_pays_for_the_longest_whole_alignment_with_its_runner_up_searches() -> None:
    # The cap and the budget agree: a quote the cap lets through is never refused a step that
    # could find a rival (which would send it to review for want of work, not of evidence).
    window = 2 * max(reanchor_module.MAX_WINDOW_CHARS // 2, MAX_FUZZY_QUOTE_CHARS)
    window += MAX_FUZZY_QUOTE_CHARS
    needed = 2 * alignment_cost(MAX_FUZZY_QUOTE_CHARS, window)
    assert needed <= FUZZY_WORK_CELLS


# ---- fuzzy_bounds -------------------------------------------------------------------------------


def test_work_budget_spends_only_what_it_has_and_keeps_the_first_reason() -> None:
    now = [0.0]
    budget = WorkBudget(100, 5.0, clock=lambda: now[0])

    assert budget.spend(60) and not budget.spend(50) and budget.remaining == 40
    budget.refuse()
    now[0] = 6.0
    budget.refuse()

    assert not budget.spend(1)
    assert "work limit" in budget.shortfall


def test_work_budget_refuses_everything_after_its_deadline() -> None:
    now = [0.0]
    budget = WorkBudget(10**12, 1.0, clock=lambda: now[0])
    now[0] = 2.0

    assert budget.out_of_time() and not budget.spend(1)
    budget.refuse()
    assert "took too long" in budget.shortfall


def test_pieces_cover_the_quote_from_its_first_to_its_last_character() -> None:
    offsets = piece_offsets(10_000)

    assert offsets[0] == 0 and offsets[-1] == 10_000 - PIECE_CHARS
    assert piece_offsets(PIECE_CHARS - 1) == [] and piece_offsets(PIECE_CHARS) == [0]


def test_pieces_place_an_edited_quote_and_ignore_boilerplate(long_article: str) -> None:
    original = long_article[QUOTE_AT : QUOTE_AT + QUOTE_CHARS]
    boilerplate = original[:PIECE_CHARS]
    # The quote's first piece also stands in many other places, which must not draw it away.
    text = (boilerplate + " ") * (MAX_PIECE_HITS + 1) + long_article
    shift = len(text) - len(long_article)

    match = locate_by_pieces(mangled(original), text, 0, len(text), 0)

    assert match is not None
    assert abs(match.start - QUOTE_AT - shift) < 50
    assert abs(match.end - QUOTE_AT - shift - QUOTE_CHARS) < 50


def test_pieces_find_nothing_of_an_unrelated_quote(long_article: str) -> None:
    assert locate_by_pieces(unrelated_quote(), long_article, 0, len(long_article), 0) is None
