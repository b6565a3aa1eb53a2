"""Line diff (offset mapping across versions) and the sentence comparison of the versions view."""

from __future__ import annotations

import time
from pathlib import Path

from desktop_app.core.text_diff import LineDiff, SentenceChange, compare_sentences

SEED = Path(__file__).resolve().parents[2] / "resources" / "sample-article.txt"


# --- LineDiff -------------------------------------------------------------------------------


def test_identical_texts_map_every_offset_to_itself() -> None:
    text = "One.\nTwo.\n\nThree 😀 𠮷."
    diff = LineDiff(text, text)
    for offset in range(len(text) + 1):
        assert diff.map_unchanged(offset) == offset
        assert diff.map_offset(offset) == offset
        assert diff.unchanged_origin(offset) == offset
    assert diff.changed_ranges(0, len(text)) == []


def test_inserted_line_shifts_the_lines_after_it() -> None:
    old = "Alpha.\nBeta.\nGamma."
    new = "Alpha.\nInserted 😀.\nBeta.\nGamma."
    diff = LineDiff(old, new)
    shift = len("Inserted 😀.\n")
    assert diff.map_unchanged(old.index("Beta")) == new.index("Beta")
    assert diff.map_unchanged(old.index("Gamma") + 2) == new.index("Gamma") + 2
    assert diff.map_unchanged(0) == 0
    assert diff.unchanged_origin(new.index("Beta")) == old.index("Beta")
    assert diff.unchanged_origin(new.index("Inserted") + 3) is None
    ranges = diff.changed_ranges(0, len(new))
    assert len(ranges) == 1
    low, high = ranges[0]
    assert "Inserted 😀." in new[low:high]
    assert high - low <= shift + 1


def test_offsets_in_a_changed_line_follow_a_character_diff() -> None:
    old = "Alpha.\nThe minister said the talks were fine.\nOmega."
    new = "Alpha.\nThe prime minister said on Monday the talks were fine.\nOmega."
    diff = LineDiff(old, new)
    assert diff.map_unchanged(old.index("minister")) is None
    assert diff.map_offset(old.index("minister")) == new.index("minister")
    assert diff.map_offset(old.index("the talks")) == new.index("the talks")
    assert diff.map_offset(old.index("Omega")) == new.index("Omega")


def test_deleted_line_collapses_onto_where_it_was() -> None:
    old = "Alpha.\nGone for good.\nOmega."
    new = "Alpha.\nOmega."
    diff = LineDiff(old, new)
    assert diff.map_unchanged(old.index("Gone") + 2) is None
    mapped = diff.map_offset(old.index("Gone") + 2)
    assert new.index("Alpha.") + len("Alpha.") <= mapped <= new.index("Omega")


def test_empty_texts() -> None:
    assert LineDiff("", "").map_offset(0) == 0
    assert LineDiff("Some text.", "").map_offset(5) == 0
    diff = LineDiff("", "New text.")
    assert diff.map_offset(0) == 0
    assert diff.changed_ranges(0, 9) == [(0, 9)]


def test_two_megabytes_of_repeated_lines_diff_fast() -> None:
    article = SEED.read_text(encoding="utf-8").split("\n")
    old_lines: list[str] = []
    for repeat in range(700):
        old_lines.extend([*article[:-1], f"{article[-1]} {repeat}"])
    new_lines = list(old_lines)
    for index in range(50, len(new_lines), 97):
        new_lines[index] = new_lines[index].replace("the", "teh", 1)
    del new_lines[5000:5003]
    new_lines.insert(9000, "An inserted line.")
    old, new = "\n".join(old_lines), "\n".join(new_lines)
    began = time.perf_counter()
    diff = LineDiff(old, new)
    elapsed = time.perf_counter() - began
    assert elapsed < 1.0
    last = old.rindex("A passionate")
    assert diff.map_unchanged(last) == new.rindex("A passionate")


# --- compare_sentences ------------------------------------------------------------------------


def kinds(changes: list[SentenceChange]) -> list[str]:
    return [change.kind for change in changes]


def test_unchanged_article_is_all_same() -> None:
    text = SEED.read_text(encoding="utf-8")
    changes = compare_sentences(text, text)
    assert kinds(changes) == ["same"] * 20
    assert all(change.old_span == change.new_span for change in changes)


def test_sentence_changes_of_an_article_are_classified() -> None:
    old = SEED.read_text(encoding="utf-8")
    lines = old.split("\n")
    lines[4] = lines[4].replace("unstable", "shaky")  # edited
    del lines[8]  # removed
    lines.insert(12, "A brand new sentence about tariffs appears here.")  # added
    new = "\n".join(lines)
    began = time.perf_counter()
    changes = compare_sentences(old, new)
    assert time.perf_counter() - began < 0.5
    assert kinds(changes).count("same") == 18
    edited = [c for c in changes if c.kind == "edited"]
    removed = [c for c in changes if c.kind == "removed"]
    added = [c for c in changes if c.kind == "added"]
    assert len(edited) == len(removed) == len(added) == 1
    assert edited[0].old_span is not None and edited[0].new_span is not None
    assert "shaky" in new[edited[0].new_span[0] : edited[0].new_span[1]]
    assert "unstable" in old[edited[0].old_span[0] : edited[0].old_span[1]]
    assert removed[0].new_span is None and removed[0].old_span is not None
    assert old[removed[0].old_span[0] :].startswith("Takaichi has stated")
    assert added[0].old_span is None and added[0].new_span is not None
    assert new[added[0].new_span[0] : added[0].new_span[1]].startswith("A brand new sentence")


def test_dissimilar_replacement_is_removed_plus_added() -> None:
    old = "First sentence stays. The weather was cold and grey. Last one stays."
    new = "First sentence stays. Markets rallied on Friday. Last one stays."
    assert kinds(compare_sentences(old, new)) == ["same", "removed", "added", "same"]


def test_changes_come_in_reading_order() -> None:
    old = "A one. B two.\nC three. D four."
    new = "A one. B twos.\nC three. New. D four."
    changes = compare_sentences(old, new)
    assert kinds(changes) == ["same", "edited", "same", "added", "same"]
    new_spans = [c.new_span for c in changes if c.new_span is not None]
    assert new_spans == sorted(new_spans)


def test_large_gap_with_every_line_edited_pairs_the_lines() -> None:
    old_lines = [
        f"Line {n} says the minister spoke about trade at length today." for n in range(600)
    ]
    new_lines = [line.replace("the minister", "a minister") for line in old_lines]
    old, new = "\n".join(old_lines), "\n".join(new_lines)
    assert len(old) > 20_000
    diff = LineDiff(old, new)
    offset = old.index("spoke", old.index("Line 300 "))
    assert diff.is_refined(offset)
    assert diff.map_offset(offset) == new.index("spoke", new.index("Line 300 "))


def test_large_gap_of_unequal_lines_is_mapped_roughly() -> None:
    old = "\n".join(f"Old paragraph number {n} about trade." for n in range(900))
    new = "\n".join(
        f"A rewritten paragraph {n}, longer than before, about security." for n in range(700)
    )
    diff = LineDiff(old, new)
    middle = len(old) // 2
    assert not diff.is_refined(middle)
    assert 0 <= diff.map_offset(middle) <= len(new)
    assert diff.gap_of(middle) == (0, len(new))
