"""Code points <-> Qt UTF-16 positions, checked by hand and against a real QTextDocument."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from desktop_app.core.offsets import PositionMap, plain_from_qt
from desktop_app.core.text_normalise import normalise_text

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SAMPLES = [
    "",
    "plain ASCII text",
    "café",  # precomposed é
    "cafe\u0301 au lait",  # e + combining acute
    "日本の首相",
    "𠮷野家",  # U+20BB7, astral CJK
    "a😀b",
    "family 👩\u200d👩\u200d👧 here",
    "flag 🇯🇵!",
    "😀😀😀",
    "\n𠮷\nx😀\n\n",
]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def astral_utf16_starts(text: str) -> list[int]:
    """UTF-16 positions (from the text's start) where each surrogate pair begins."""
    return [utf16_len(text[:i]) for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("base", [0, 6])
def test_to_qt_counts_utf16_units(text: str, base: int) -> None:
    pm = PositionMap(text, base)
    assert pm.utf16_length == utf16_len(text)
    for i in range(len(text) + 1):
        assert pm.to_qt(i) == base + utf16_len(text[:i])
        assert pm.from_qt(pm.to_qt(i)) == i


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("base", [0, 6])
def test_from_qt_inside_a_surrogate_pair_rounds_down(text: str, base: int) -> None:
    pm = PositionMap(text, base)
    for unit in astral_utf16_starts(text):
        character = len(text.encode("utf-16-le")[: unit * 2].decode("utf-16-le"))
        assert ord(text[character]) > 0xFFFF
        assert pm.from_qt(base + unit) == character
        assert pm.from_qt(base + unit + 1) == character
        assert pm.from_qt(base + unit + 2) == character + 1


def test_known_positions_by_hand() -> None:
    text = "a😀b𠮷c"
    pm = PositionMap(text, 10)
    assert [pm.to_qt(i) for i in range(6)] == [10, 11, 13, 14, 16, 17]
    assert [pm.from_qt(p) for p in range(10, 18)] == [0, 1, 1, 2, 3, 3, 4, 5]


def test_clamping() -> None:
    text = "x😀y"
    pm = PositionMap(text, 6)
    assert pm.to_qt(-5) == 6
    assert pm.to_qt(100) == 6 + 4
    assert pm.from_qt(0) == 0
    assert pm.from_qt(5) == 0
    assert pm.from_qt(6 + 4) == 3
    assert pm.from_qt(1000) == 3


def test_span_from_qt_orders_a_backwards_selection() -> None:
    text = "ab😀cd"
    pm = PositionMap(text, 6)
    forward = pm.span_from_qt(pm.to_qt(1), pm.to_qt(4))
    backward = pm.span_from_qt(pm.to_qt(4), pm.to_qt(1))
    assert forward == backward == (1, 4)
    assert text[1:4] == "b😀c"


def test_selection_ending_inside_a_surrogate_pair_takes_the_whole_character() -> None:
    text = "ab😀cd"
    pm = PositionMap(text, 6)
    emoji_start_qt = 6 + 2
    assert pm.span_from_qt(6, emoji_start_qt + 1) == (0, 3)
    assert pm.span_from_qt(emoji_start_qt + 1, 6) == (0, 3)
    # Starting inside the pair also takes the whole character.
    assert pm.span_from_qt(emoji_start_qt + 1, emoji_start_qt + 3) == (2, 4)
    # Both ends inside the same pair: the end is inside a pair, so the emoji is taken whole.
    assert pm.span_from_qt(emoji_start_qt + 1, emoji_start_qt + 1) == (2, 3)
    # A selection past the end of the text is clamped to it.
    assert pm.span_from_qt(6, 1000) == (0, len(text))
    assert pm.span_from_qt(0, 3) == (0, 0)


def test_plain_from_qt_only_turns_paragraph_separators_into_newlines() -> None:
    assert plain_from_qt("one\u2029two\u2029") == "one\ntwo\n"
    untouched = "line\u2028sep \t 😀 \ufdd0 \ufffc é"
    assert plain_from_qt(untouched) == untouched


# --- property: round trips on arbitrary text ----------------------------------------------------

any_text = st.lists(
    st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from(["\r\n", "\r", "\n", "😀", "𠮷", "\u0301", "\ufeff"]),
    ),
    max_size=60,
).map("".join)


@SETTINGS
@given(raw=any_text, base=st.integers(min_value=0, max_value=20), data=st.data())
def test_round_trips_on_normalised_text(raw: str, base: int, data: st.DataObject) -> None:
    text = normalise_text(raw)
    pm = PositionMap(text, base)
    assert pm.utf16_length == utf16_len(text)
    for i in range(len(text) + 1):
        assert pm.to_qt(i) == base + utf16_len(text[:i])
        assert pm.from_qt(pm.to_qt(i)) == i
    # Every Qt position maps to the character it is on (or inside).
    for unit in range(utf16_len(text) + 1):
        decoded = text.encode("utf-16-le")[: unit * 2].decode("utf-16-le", errors="ignore")
        assert pm.from_qt(base + unit) == len(decoded)
    if text:
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(0, len(text)))
        assert pm.span_from_qt(pm.to_qt(i), pm.to_qt(j)) == (min(i, j), max(i, j))


# --- against a real QTextDocument ---------------------------------------------------------------

TITLE = "Title\n"
BASE = len(TITLE)


def qt_safe(ch: str) -> bool:
    """Characters Qt keeps as they are in a document (others it rewrites or treats as markers)."""
    if ch in "\n\t":
        return True
    if ch in "\u2028\u2029\ufdd0\ufdd1\ufffc\r":
        return False
    return not (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0)


qt_text = st.lists(
    st.one_of(
        st.characters(exclude_categories=["Cs", "Cc"]).filter(qt_safe),
        st.sampled_from(
            [
                "\n",
                "\t",
                " ",
                "\ufeff",
                "\ufffe",
                "😀",
                "👩\u200d👩\u200d👧",
                "🇯🇵",
                "𠮷",
                "\u0301",
                "日本",
                "é",
                "a",
            ]
        ),
    ),
    min_size=1,
    max_size=60,
).map("".join)


@SETTINGS
@given(raw=qt_text, data=st.data())
def test_positions_match_a_real_qtextdocument(qapp: object, raw: str, data: st.DataObject) -> None:
    from PySide6.QtGui import QTextCursor, QTextDocument

    text = normalise_text(raw)
    assume(text)
    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertText(TITLE)
    cursor.insertText(text)
    pm = PositionMap(text, BASE)
    assert document.characterCount() - 1 == BASE + utf16_len(text)

    whole = QTextCursor(document)
    whole.setPosition(pm.to_qt(0))
    whole.setPosition(pm.to_qt(len(text)), QTextCursor.MoveMode.KeepAnchor)
    assert plain_from_qt(whole.selectedText()) == text

    i = data.draw(st.integers(0, len(text) - 1), label="i")
    j = data.draw(st.integers(i + 1, len(text)), label="j")
    selection = QTextCursor(document)
    selection.setPosition(pm.to_qt(i))
    selection.setPosition(pm.to_qt(j), QTextCursor.MoveMode.KeepAnchor)
    assert plain_from_qt(selection.selectedText()) == text[i:j]
    assert pm.span_from_qt(selection.anchor(), selection.position()) == (i, j)
    # The same selection made backwards.
    selection.setPosition(pm.to_qt(j))
    selection.setPosition(pm.to_qt(i), QTextCursor.MoveMode.KeepAnchor)
    assert plain_from_qt(selection.selectedText()) == text[i:j]
    assert pm.span_from_qt(selection.anchor(), selection.position()) == (i, j)


def test_sample_article_positions_match_qt(qapp: object, sample_text: str) -> None:
    from PySide6.QtGui import QTextCursor, QTextDocument

    text = sample_text + "\n😀 𠮷 end"
    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertText(TITLE)
    cursor.insertText(text)
    pm = PositionMap(text, BASE)
    assert document.characterCount() - 1 == BASE + utf16_len(text)
    start = text.index("😀")
    end = len(text)
    selection = QTextCursor(document)
    selection.setPosition(pm.to_qt(start))
    selection.setPosition(pm.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    assert selection.selectedText() == "😀 𠮷 end"


def qt_round_trip(text: str) -> tuple[int, str]:
    """Qt's length of `text` put below the title, and what selecting all of it gives back."""
    from PySide6.QtGui import QTextCursor, QTextDocument

    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertText(TITLE)
    cursor.insertText(text)
    pm = PositionMap(text, BASE)
    selection = QTextCursor(document)
    selection.setPosition(pm.to_qt(0))
    end = min(pm.to_qt(len(text)), document.characterCount() - 1)  # no out-of-range warning
    selection.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return document.characterCount() - 1 - BASE, plain_from_qt(selection.selectedText())


@pytest.mark.parametrize("raw", ["\ufeffClaim 😀 here.", "Claim \ufeff😀\ufffe here.\ufeff"])
def test_byte_order_marks_survive_into_qt_when_not_leading(qapp: object, raw: str) -> None:
    text = normalise_text(raw)
    assert qt_round_trip(text) == (utf16_len(text), text)


@pytest.mark.parametrize(
    "raw", ["\ufeff\ufeffClaim here.", "\ufeff\ufeffClaim 😀 here.", "\ufffeClaim here."]
)
def test_normalised_text_with_a_leading_mark_survives_into_qt(qapp: object, raw: str) -> None:
    text = normalise_text(raw)
    assert qt_round_trip(text) == (utf16_len(text), text)


@given(st.text(alphabet=st.characters(codec=None), max_size=60))
def test_utf16_length_is_qt_length_for_any_text(text: str) -> None:
    """The no-astral shortcut (ASCII, BMP-only, lone surrogates) agrees with the count."""
    positions = PositionMap(text)
    assert positions.utf16_length == len(text.encode("utf-16-le", "surrogatepass")) // 2
    assert positions.to_qt(len(text)) == positions.utf16_length


def test_bmp_only_text_maps_one_to_one() -> None:
    text = "“Tokyo” — 東京 in ‘quotes’ \ud800 alone"
    positions = PositionMap(text, 5)
    assert [positions.to_qt(i) for i in range(len(text) + 1)] == list(range(5, 6 + len(text)))
