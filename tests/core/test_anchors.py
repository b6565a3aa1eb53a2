"""Anchors: the quote, its context, and trimming a drag to the words."""

from __future__ import annotations

import pytest

from desktop_app.core.anchors import Anchor, AnchorError, anchor_for, trim_span

CONTEXT = 32
LONG = "".join(chr(ord("a") + i % 26) for i in range(100))


def test_anchor_in_the_middle_has_32_characters_each_side() -> None:
    anchor = anchor_for(LONG, 40, 50)
    assert anchor.start == 40
    assert anchor.end == 50
    assert anchor.exact == LONG[40:50]
    assert len(anchor.prefix) == CONTEXT
    assert len(anchor.suffix) == CONTEXT
    assert anchor.prefix == LONG[8:40]
    assert anchor.suffix == LONG[50:82]
    assert anchor.prefix + anchor.exact + anchor.suffix == LONG[8:82]


def test_anchor_at_the_text_edges_has_less_context() -> None:
    text = "Short text here."
    first = anchor_for(text, 0, 5)
    assert first.prefix == ""
    assert first.exact == "Short"
    assert first.suffix == " text here."
    last = anchor_for(text, 11, len(text))
    assert last.exact == "here."
    assert last.prefix == "Short text "
    assert last.suffix == ""
    whole = anchor_for(text, 0, len(text))
    assert (whole.prefix, whole.exact, whole.suffix) == ("", text, "")


def test_context_counts_an_astral_character_as_one() -> None:
    emoji_run = "😀" * 40
    text = emoji_run + "CLAIM" + "𠮷" * 40
    start = 40
    anchor = anchor_for(text, start, start + 5)
    assert anchor.exact == "CLAIM"
    assert anchor.prefix == "😀" * 32
    assert anchor.suffix == "𠮷" * 32
    # 32 code points, which is 64 UTF-16 units.
    assert len(anchor.prefix.encode("utf-16-le")) // 2 == 64


def test_context_near_an_edge_with_astral_characters() -> None:
    text = "😀a😀b claim c😀"
    start = text.index("claim")
    anchor = anchor_for(text, start, start + 5)
    assert anchor.prefix == "😀a😀b "
    assert anchor.suffix == " c😀"
    assert anchor.matches(text)


@pytest.mark.parametrize(
    ("start", "end"),
    [(3, 3), (5, 2), (-1, 2), (0, 11), (10, 11), (11, 12), (-3, -1)],
)
def test_empty_reversed_or_out_of_range_spans_are_refused(start: int, end: int) -> None:
    with pytest.raises(AnchorError):
        anchor_for("0123456789", start, end)


def test_anchor_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        anchor_for("", 0, 0)


def test_matches_the_text_it_was_made_from_and_not_a_changed_one() -> None:
    text = "The minister said tariffs will fall. Nobody believed it."
    start = text.index("tariffs")
    end = start + len("tariffs will fall")
    anchor = anchor_for(text, start, end)
    assert anchor.matches(text)
    assert not anchor.matches(text.replace("fall", "rise"))
    assert not anchor.matches("Prefix. " + text)  # the quote moved
    assert not anchor.matches(text[: end - 1])  # the text got shorter than the span
    # Only the quote at the position matters, not the context.
    assert anchor.matches("XXX" + text[3:])


def test_matches_refuses_a_corrupt_anchor() -> None:
    assert not Anchor(5, 2, "", "", "").matches("0123456789")
    assert not Anchor(-1, 2, "01", "", "").matches("0123456789")
    assert Anchor(2, 4, "23", "01", "45").matches("0123456789")


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("  word  ", 0, 8, (2, 6)),
        ("\nA sentence.\n", 0, 13, (1, 12)),
        (" \t\n claim \n\t ", 0, 13, (4, 9)),
        ("already", 0, 7, (0, 7)),
        ("a b", 0, 3, (0, 3)),  # inner spaces are kept
        ("x  y  z", 1, 6, (3, 4)),
    ],
)
def test_trim_span_drops_surrounding_white_space(
    text: str, start: int, end: int, expected: tuple[int, int]
) -> None:
    trimmed = trim_span(text, start, end)
    assert trimmed == expected
    piece = text[trimmed[0] : trimmed[1]]
    assert piece == text[start:end].strip()


@pytest.mark.parametrize("text", ["   ", "\n\n", " \t\n ", "\u3000\u00a0"])
def test_trim_span_of_only_white_space_is_empty(text: str) -> None:
    start, end = trim_span(text, 0, len(text))
    assert start == end
    assert 0 <= start <= len(text)


def test_trim_span_of_an_empty_span_stays_empty() -> None:
    assert trim_span("abc", 1, 1) == (1, 1)
