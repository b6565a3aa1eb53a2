"""Re-anchoring annotations onto a new version of a text: placed, sent for review, or orphaned."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from desktop_app.core.anchors import Anchor, AnchorError, anchor_for
from desktop_app.core.reanchor import (
    ACCEPT,
    REVIEW_MIN,
    Cancelled,
    Reanchored,
    Reanchorer,
    reanchor_all,
)
from desktop_app.core.records import ANCHOR_NEEDS_REVIEW, ANCHOR_OK, ANCHOR_ORPHANED

SUMMIT = 1  # "The focus of their summit is expected to center on trade and security matters, ..."
COALITION = 4  # "The prime minister confronts a potentially unstable government situation, ..."


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def line_span(lines: list[str], index: int) -> tuple[int, int]:
    start = sum(len(line) + 1 for line in lines[:index])
    return start, start + len(lines[index])


def sentence_anchor(text: str, index: int) -> Anchor:
    start, end = line_span(lines_of(text), index)
    return anchor_for(text, start, end)


def words_anchor(text: str, words: str, after: int = 0) -> Anchor:
    start = text.index(words, after)
    return anchor_for(text, start, start + len(words))


def reanchor(old: str, new: str, anchor: Anchor) -> Reanchored:
    return Reanchorer(old, new).reanchor(anchor)


# --- position -------------------------------------------------------------------------------


def test_unchanged_text_keeps_every_anchor_in_place(sample_text: str) -> None:
    lines = lines_of(sample_text)
    anchors = [sentence_anchor(sample_text, i) for i in range(len(lines))]
    anchors.append(words_anchor(sample_text, "trade and security"))
    results = reanchor_all(sample_text, sample_text, anchors)
    for anchor, result in zip(anchors, results, strict=True):
        assert (result.start, result.end) == (anchor.start, anchor.end)
        assert (result.status, result.method, result.score) == (ANCHOR_OK, "position", 1.0)


def test_text_inserted_before_shifts_the_anchor(sample_text: str) -> None:
    anchor = sentence_anchor(sample_text, COALITION)
    inserted = "Tokyo, Monday.\nA new opening paragraph, written later.\n"
    result = reanchor(sample_text, inserted + sample_text, anchor)
    assert (result.status, result.method, result.score) == (ANCHOR_OK, "position", 1.0)
    assert (result.start, result.end) == (anchor.start + len(inserted), anchor.end + len(inserted))


def test_text_inserted_inside_the_same_line_still_finds_the_words(sample_text: str) -> None:
    anchor = words_anchor(sample_text, "trade and security matters")
    new = sample_text.replace("The focus of their summit", "The focus of their long-awaited summit")
    result = reanchor(sample_text, new, anchor)
    assert result.status == ANCHOR_OK
    assert result.method == "exact"
    assert new[result.start : result.end] == "trade and security matters"


def test_astral_characters_before_the_anchor_shift_by_code_points(sample_text: str) -> None:
    anchor = sentence_anchor(sample_text, COALITION)
    emoji = "😀 𠮷 Breaking 🇯🇵\n"  # 🇯🇵 is two code points
    result = reanchor(sample_text, emoji + sample_text, anchor)
    assert result.status == ANCHOR_OK
    assert result.start == anchor.start + len(emoji)
    new = emoji + sample_text
    assert new[result.start : result.end] == anchor.exact


def test_astral_characters_inside_an_edited_line_shift_by_code_points() -> None:
    old = "Intro line.\nShe said 🙂 the talks were fine and the deal is done.\nEnd."
    new = "Intro line.\nShe said 😀😀 𠮷 the talks were fine and the deal is done.\nEnd."
    anchor = words_anchor(old, "the talks were fine")
    result = reanchor(old, new, anchor)
    assert result.status == ANCHOR_OK
    assert new[result.start : result.end] == "the talks were fine"
    assert result.start == new.index("the talks")


# --- fuzzy ----------------------------------------------------------------------------------


def test_lightly_edited_sentence_is_found_fuzzily(sample_text: str) -> None:
    lines = lines_of(sample_text)
    anchor = sentence_anchor(sample_text, COALITION)
    lines[COALITION] = lines[COALITION].replace("unstable", "shaky")
    new = "\n".join(lines)
    result = reanchor(sample_text, new, anchor)
    assert result.method == "fuzzy"
    assert result.status in {ANCHOR_OK, ANCHOR_NEEDS_REVIEW}
    assert (result.start, result.end) == line_span(lines, COALITION)
    assert result.score >= REVIEW_MIN


def test_sentence_that_grew_is_covered_whole(sample_text: str) -> None:
    lines = lines_of(sample_text)
    anchor = sentence_anchor(sample_text, SUMMIT)
    lines[SUMMIT] = lines[SUMMIT].replace("trade and security", "trade, energy and security")
    new = "\n".join(lines)
    result = reanchor(sample_text, new, anchor)
    assert (result.status, result.method) == (ANCHOR_OK, "fuzzy")
    assert (result.start, result.end) == line_span(lines, SUMMIT)


def test_edited_sentence_score_stays_below_its_text_similarity(sample_text: str) -> None:
    lines = lines_of(sample_text)
    anchor = sentence_anchor(sample_text, COALITION)
    lines[COALITION] = "The prime minister leads a fragile coalition, two seats short in the Diet."
    new = "\n".join(lines)
    result = reanchor(sample_text, new, anchor)
    placed = new[result.start : result.end]
    if result.status != ANCHOR_ORPHANED:
        assert result.score <= fuzz.ratio(anchor.exact, placed) / 100 + 1e-9
    assert result.status != ANCHOR_OK


# --- deleted and missing --------------------------------------------------------------------


@pytest.mark.parametrize("index", range(20))
def test_deleted_sentence_is_orphaned_not_moved_to_a_neighbour(
    sample_text: str, index: int
) -> None:
    lines = lines_of(sample_text)
    anchor = sentence_anchor(sample_text, index)
    del lines[index]
    new = "\n".join(lines)
    result = reanchor(sample_text, new, anchor)
    assert result.status == ANCHOR_ORPHANED
    assert result.method == "none"
    assert result.score < REVIEW_MIN
    # The orphan still marks where the sentence was, inside the new text.
    assert 0 <= result.start < result.end <= len(new)
    assert result.start == min(line_span(lines_of(sample_text), index)[0], len(new) - 1)


def test_empty_new_text_orphans_everything(sample_text: str) -> None:
    anchors = [sentence_anchor(sample_text, i) for i in (0, COALITION, 19)]
    for result in reanchor_all(sample_text, "", anchors):
        assert (result.status, result.method, result.start, result.end) == (
            ANCHOR_ORPHANED,
            "none",
            0,
            0,
        )
        with pytest.raises(AnchorError):
            result.anchor("")


def test_orphan_span_is_clipped_into_a_shorter_text(sample_text: str) -> None:
    anchor = sentence_anchor(sample_text, 19)
    result = reanchor(sample_text, "Something else entirely.", anchor)
    assert result.status == ANCHOR_ORPHANED
    assert 0 <= result.start < result.end <= len("Something else entirely.")


def test_quote_elsewhere_in_an_unrelated_sentence_is_not_accepted(sample_text: str) -> None:
    # "trade" in the summit sentence; the sentence goes, "trade" remains far below in
    # "Not many anticipate major concessions on trade matters this week, ...".
    anchor = words_anchor(sample_text, "trade")
    assert anchor.start < 400
    lines = lines_of(sample_text)
    del lines[SUMMIT]
    new = "\n".join(lines)
    result = reanchor(sample_text, new, anchor)
    assert result.status != ANCHOR_OK
    if result.status == ANCHOR_NEEDS_REVIEW:
        assert new[result.start : result.end] == "trade"


# --- duplicates -----------------------------------------------------------------------------


def test_duplicated_sentence_with_identical_context_needs_review(sample_text: str) -> None:
    lines = lines_of(sample_text)
    anchor = sentence_anchor(sample_text, COALITION)
    lines.insert(COALITION, lines[COALITION])
    new = "\n".join(lines)
    result = reanchor(sample_text, new, anchor)
    assert result.status == ANCHOR_NEEDS_REVIEW
    assert new[result.start : result.end] == anchor.exact


def test_duplicated_paragraph_block_needs_review(sample_text: str) -> None:
    lines = lines_of(sample_text)
    anchor = sentence_anchor(sample_text, COALITION)
    block = lines[COALITION - 1 : COALITION + 2]
    lines[COALITION + 2 : COALITION + 2] = block
    new = "\n".join(lines)
    result = reanchor(sample_text, new, anchor)
    assert result.status == ANCHOR_NEEDS_REVIEW


def test_copy_far_away_with_other_context_leaves_the_original_in_place(sample_text: str) -> None:
    lines = lines_of(sample_text)
    anchor = sentence_anchor(sample_text, COALITION)
    lines.append("Quoted again at the end: " + lines[COALITION] + " That was all.")
    new = "\n".join(lines)
    result = reanchor(sample_text, new, anchor)
    assert (result.status, result.method) == (ANCHOR_OK, "position")
    assert (result.start, result.end) == (anchor.start, anchor.end)


def test_duplicate_with_other_context_loses_to_the_matching_context(sample_text: str) -> None:
    lines = lines_of(sample_text)
    anchor = sentence_anchor(sample_text, COALITION)
    original = lines[COALITION]
    # The original's line changes (a sentence joins it), so position alone cannot place it, and
    # a copy goes in two lines earlier between other sentences.
    lines[COALITION] = original + " Analysts agree."
    lines.insert(COALITION - 2, original)
    new = "\n".join(lines)
    result = reanchor(sample_text, new, anchor)
    assert result.status == ANCHOR_OK
    assert result.method == "exact"
    assert result.start == new.index(original + " Analysts agree.")
    assert new[result.start : result.end] == original


def test_short_quote_repeated_nearby_needs_context_to_decide() -> None:
    old = "Tariffs rose.\nThe minister spoke.\nTariffs fell."
    # Each "Tariffs" loses its context: the lines around change.
    new = "Tariffs\nWe heard the minister.\nTariffs"
    anchor = words_anchor(old, "Tariffs", after=10)
    result = reanchor(old, new, anchor)
    assert result.status != ANCHOR_OK


def test_short_quote_with_intact_context_is_placed() -> None:
    old = "On trade, the talks went well.\nOn security, trade was not mentioned."
    new = "On trade, the talks went well today.\nOn security, trade was not mentioned."
    anchor = words_anchor(old, "trade", after=10)
    result = reanchor(old, new, anchor)
    assert result.status == ANCHOR_OK
    assert result.start == new.index("trade", 10)


# --- many anchors -----------------------------------------------------------------------------


def test_reanchor_all_reports_progress_and_can_cancel(sample_text: str) -> None:
    anchors = [sentence_anchor(sample_text, i % 20) for i in range(1_200)]
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return True

    assert len(reanchor_all(sample_text, sample_text, anchors, progress)) == 1_200
    assert calls == [(500, 1_200), (1_000, 1_200), (1_200, 1_200)]

    with pytest.raises(Cancelled):
        reanchor_all(sample_text, sample_text, anchors, lambda done, total: done < 1_000)


def test_fresh_anchor_describes_the_new_place(sample_text: str) -> None:
    anchor = sentence_anchor(sample_text, COALITION)
    new = "New first line.\n" + sample_text
    result = reanchor(sample_text, new, anchor)
    fresh = result.anchor(new)
    assert fresh.exact == anchor.exact
    assert fresh.start == result.start
    assert fresh.prefix.endswith(anchor.prefix[-10:])


def test_thresholds_are_ordered() -> None:
    assert 0 < REVIEW_MIN < ACCEPT <= 1


# --- found by the property tests, and other edges ----------------------------------------------


def test_a_few_words_are_not_carried_into_a_new_sentence_sharing_its_opening() -> None:
    old = "The summit follows months of tense negotiations. Trade will dominate the summit."
    new = "The prime minister met the president in Tokyo. Trade will dominate the summit."
    result = reanchor(old, new, anchor_for(old, 0, 3))  # "The", the first sentence's
    assert result.status != ANCHOR_OK


def test_whole_sentence_keeps_its_place_when_both_neighbours_change(sample_text: str) -> None:
    lines = lines_of(sample_text)
    anchor = sentence_anchor(sample_text, COALITION)
    lines[COALITION - 1] = "An entirely new sentence replaces the one before."
    lines[COALITION + 1] = "And another one replaces the one after it."
    new = "\n".join(lines)
    result = reanchor(sample_text, new, anchor)
    assert (result.status, result.method) == (ANCHOR_OK, "position")


def test_sentence_moved_far_away_is_found_exactly(sample_text: str) -> None:
    lines = lines_of(sample_text)
    anchor = sentence_anchor(sample_text, SUMMIT)
    moved = lines.pop(SUMMIT)
    lines.insert(17, moved)
    new = "\n".join(lines)
    result = reanchor(sample_text, new, anchor)
    assert (result.status, result.method) == (ANCHOR_OK, "exact")
    assert (result.start, result.end) == line_span(lines, 17)


def test_every_line_edited_still_places_each_sentence(sample_text: str) -> None:
    lines = [line.replace(" the ", " a ", 1) + " (rev)" for line in lines_of(sample_text)]
    new = "\n".join(lines)
    for index in (0, COALITION, 12):
        result = reanchor(sample_text, new, sentence_anchor(sample_text, index))
        assert result.status == ANCHOR_OK
        start, end = line_span(lines, index)
        assert start == result.start and result.end <= end


def test_edited_cjk_sentence_is_found_fuzzily() -> None:
    old = "前の文です。\n日本の新しい首相は東京で大統領と会談する予定だ。\n後の文です。"
    new = "前の文です。\n日本の新しい首相は大阪で大統領と会談する予定だ。\n後の文です。"
    anchor = words_anchor(old, "日本の新しい首相は東京で大統領と会談する予定だ。")
    result = reanchor(old, new, anchor)
    assert (result.status, result.method) == (ANCHOR_OK, "fuzzy")
    assert new[result.start : result.end] == "日本の新しい首相は大阪で大統領と会談する予定だ。"


def test_very_common_word_is_searched_near_its_place_only() -> None:
    filler = "and the cat sat on the mat with the dog.\n" * 800  # 2,400 times "the"
    old = filler + "Here the claim is made.\n" + filler
    new = filler + "Here, today, the claim is made.\n" + filler
    anchor = words_anchor(old, "the claim", after=len(filler))
    result = reanchor(old, new, anchor)
    assert result.status == ANCHOR_OK
    assert result.start == new.index("the claim")
    lone = words_anchor(old, "the", after=len(filler))
    result = reanchor(old, new, lone)
    assert 0 <= result.start < result.end <= len(new)
    if result.status == ANCHOR_OK:
        assert result.start == new.index("the claim")


# --- the same words in another sentence -------------------------------------------------------

MINISTER = "The minister said tariffs will rise next year."
ADVISER = "The adviser said tariffs will rise next year."
TARIFFS = "tariffs will rise next year."
BEIJING = "Officials in Beijing said the talks would resume in March."
SEOUL = "Officials in Seoul said the talks would resume in March."
TOKYO = "Officials in Tokyo said nothing had been agreed."


def assert_not_placed_on_another_sentence(old: str, new: str, anchor: Anchor) -> None:
    """The annotated sentence is gone: the other sentences' copies of its words are not it."""
    result = reanchor(old, new, anchor)
    assert result.status != ANCHOR_OK, result
    if result.status == ANCHOR_NEEDS_REVIEW:
        assert result.score >= REVIEW_MIN


@pytest.mark.parametrize("layout", ["\n", " "])
def test_deleted_sentence_is_not_placed_on_another_sentence_with_its_words(layout: str) -> None:
    # The reviewer's case: the minister's line goes, the adviser's (same clause) stays.
    old = MINISTER + layout + ADVISER
    assert_not_placed_on_another_sentence(old, ADVISER, words_anchor(old, TARIFFS))
    # The same with the annotated sentence second.
    old = ADVISER + layout + MINISTER
    anchor = words_anchor(old, TARIFFS, after=len(ADVISER))
    assert_not_placed_on_another_sentence(old, ADVISER, anchor)


@pytest.mark.parametrize("quote", ["the talks would resume in March.", "said the talks would"])
def test_deleted_beijing_sentence_is_not_placed_on_the_seoul_one(quote: str) -> None:
    old = BEIJING + "\n" + SEOUL
    assert_not_placed_on_another_sentence(old, SEOUL, words_anchor(old, quote))
    # Three sentences in one paragraph; Seoul's goes, Beijing's takes its place in the diff.
    old = f"{BEIJING} {SEOUL} {TOKYO}"
    anchor = words_anchor(old, quote, after=len(BEIJING))
    assert_not_placed_on_another_sentence(old, f"{BEIJING} {TOKYO}", anchor)


@pytest.mark.parametrize("layout", ["\n", " "])
def test_deleted_sentence_is_not_placed_on_a_lightly_edited_other_one(layout: str) -> None:
    old = MINISTER + layout + ADVISER
    new = ADVISER.replace("tariffs", "tarifs")  # found fuzzily, in the adviser's sentence
    assert_not_placed_on_another_sentence(old, new, words_anchor(old, TARIFFS))


def test_deleted_sentence_is_not_placed_on_a_copy_of_another_one() -> None:
    # The adviser's line is duplicated where the minister's was: the line diff may pair the old
    # adviser line with the copy, leaving the original to look like an edit of the minister's.
    old = f"{MINISTER}\n{ADVISER}\n{TOKYO}"
    new = f"{ADVISER}\n{ADVISER}\n{TOKYO}"
    assert_not_placed_on_another_sentence(old, new, words_anchor(old, TARIFFS))


def test_deleted_sentence_in_an_edited_paragraph_is_not_placed_on_a_neighbour() -> None:
    # A new first sentence shares words with the minister's ("The ... minister"), so the word
    # diff of the paragraph pairs the minister's clause with the deleted adviser's.
    beijing = "Officials in Beijing said tariffs will rise next year."
    old = f"{MINISTER} {ADVISER} {beijing}"
    new = f"The prime minister met the president in Tokyo on Monday. {MINISTER} {beijing}"
    anchor = words_anchor(old, TARIFFS, after=len(MINISTER))
    assert_not_placed_on_another_sentence(old, new, anchor)


def test_moved_sentence_is_found_while_another_with_its_words_stays() -> None:
    markets = "Markets were calm on Tuesday after the announcement."
    old = f"{MINISTER}\n{markets}\n{ADVISER}"
    anchor = words_anchor(old, TARIFFS)
    # The minister's line moves below a paragraph inserted between, and is edited (so position
    # alone cannot place it); the adviser's line stays as it was.
    new = f"{markets}\nA new paragraph.\n{MINISTER} He was firm.\n{ADVISER}"
    result = reanchor(old, new, anchor)
    assert (result.status, result.method) == (ANCHOR_OK, "exact")
    assert result.start == new.index(MINISTER) + MINISTER.index(TARIFFS)
    # A paragraph inserted between the minister's edited line and the rest.
    new = f"{MINISTER} He was firm.\nA new paragraph about other things.\n{markets}\n{ADVISER}"
    result = reanchor(old, new, anchor)
    assert (result.status, result.method) == (ANCHOR_OK, "exact")
    assert result.start == MINISTER.index(TARIFFS)


def test_surviving_sentence_is_placed_when_the_other_with_its_words_goes() -> None:
    # The word diff of the changed paragraph may pair the spokesperson's clause with the deleted
    # analysts' one; the sentence is still the spokesperson's, untouched.
    spokesperson = "A spokesperson said tariffs will rise next year."
    analysts = "Two analysts said tariffs will rise next year."
    old = f"{spokesperson} {analysts}\nThe adviser said prices rose."
    new = f"Markets cheered the news.\n{spokesperson}\nThe adviser said prices rose."
    quote = "said " + TARIFFS
    result = reanchor(old, new, words_anchor(old, quote))
    assert result.status == ANCHOR_OK
    assert result.start == new.index(quote)
    # The analysts' annotation is not carried onto it.
    assert_not_placed_on_another_sentence(old, new, words_anchor(old, quote, after=20))


@pytest.mark.parametrize("layout", ["\n", " "])
def test_an_abbreviation_does_not_make_two_sentences_look_the_same(layout: str) -> None:
    # Sentences are the reader's (core/sentences): "Mr." ends none. Cut there, as a regex of
    # sentence ends once did, both sentences read "Abe, said tariffs will rise next year.", so
    # the minister's words were carried onto the adviser's sentence as if it were their own.
    minister = "The minister, Mr. Abe, said tariffs will rise next year."
    adviser = "The adviser, Mr. Abe, said tariffs will rise next year."
    old = minister + layout + adviser
    assert_not_placed_on_another_sentence(old, adviser, words_anchor(old, TARIFFS))
    old = adviser + layout + minister
    anchor = words_anchor(old, TARIFFS, after=len(adviser))
    assert_not_placed_on_another_sentence(old, adviser, anchor)


def test_reanchoring_compares_the_sentences_the_reader_moves_by() -> None:
    text = (
        "Mr. Smith met Dr. Jones in the U.S. on Monday. 日本は「勝つ。」と言った。Then 😀 we left."
    )
    reanchorer = Reanchorer(text, text)
    for quote, sentence in [
        ("Jones", "Mr. Smith met Dr. Jones in the U.S. on Monday."),
        ("勝つ", "日本は「勝つ。」と言った。"),
        ("😀", "Then 😀 we left."),
    ]:
        start = text.index(quote)
        assert reanchorer._sentence(text, start, start + len(quote)) == sentence
