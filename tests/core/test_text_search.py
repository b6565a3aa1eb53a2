"""The find bar's matching, in code points."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.text_search import find_all, next_match, previous_match


def test_find_all_is_case_insensitive() -> None:
    text = "Trade talks. TRADE deal. trade-off. Tirade."
    assert find_all(text, "trade") == [(0, 5), (13, 18), (25, 30)]
    assert find_all(text, "TrAdE") == find_all(text, "trade")
    assert [text[a:b] for a, b in find_all(text, "trade")] == ["Trade", "TRADE", "trade"]


def test_find_all_sample_article(sample_text: str) -> None:
    matches = find_all(sample_text, "Takaichi")
    expected = [m.start() for m in re.finditer("Takaichi", sample_text)]
    assert [a for a, _ in matches] == expected
    assert len(expected) >= 3
    assert all(b - a == len("Takaichi") for a, b in matches)


@pytest.mark.parametrize(
    ("text", "query", "expected_starts"),
    [
        ("Growth was 2.5% or 2x5%, then 2.5%.", "2.5%", [11, 30]),
        ("Talks (U.S.) and (UAS) and (U.S.).", "(U.S.)", [6, 27]),
        ("a+b a+b aab", "a+b", [0, 4]),
        ("[x] x [x]", "[x]", [0, 6]),
        ("cost $5 or 5", "$5", [5]),
        ("back\\slash", "\\", [4]),
        ("axxb ab", ".*", []),
    ],
)
def test_regex_metacharacters_are_literal(
    text: str, query: str, expected_starts: list[int]
) -> None:
    matches = find_all(text, query)
    assert [a for a, _ in matches] == expected_starts
    for a, b in matches:
        assert text[a:b] == query


def test_offsets_are_code_points_after_astral_characters() -> None:
    text = "😀😀 𠮷 the claim, 👩\u200d👩\u200d👧 the CLAIM"
    matches = find_all(text, "claim")
    first = text.index("claim")
    second = text.index("CLAIM")
    assert matches == [(first, first + 5), (second, second + 5)]
    # Code points, not UTF-16 units: the UTF-16 position of the first match is larger.
    assert len(text[:first].encode("utf-16-le")) // 2 > first
    assert find_all(text, "𠮷") == [(3, 4)]


def test_matches_do_not_overlap() -> None:
    assert find_all("aaaa", "aa") == [(0, 2), (2, 4)]


def test_empty_query_finds_nothing() -> None:
    assert find_all("anything", "") == []
    assert find_all("", "x") == []


MATCHES = [(2, 5), (10, 13), (20, 23)]


def test_next_match() -> None:
    assert next_match(MATCHES, 0) == 0
    assert next_match(MATCHES, 2) == 0  # a match starting at the offset counts
    assert next_match(MATCHES, 3) == 1
    assert next_match(MATCHES, 10) == 1
    assert next_match(MATCHES, 20) == 2
    assert next_match(MATCHES, 21) == 0  # wraps
    assert next_match(MATCHES, 1000) == 0
    assert next_match([], 5) is None


def test_previous_match() -> None:
    assert previous_match(MATCHES, 1000) == 2
    assert previous_match(MATCHES, 21) == 2
    assert previous_match(MATCHES, 20) == 1  # strictly before the offset
    assert previous_match(MATCHES, 11) == 1
    assert previous_match(MATCHES, 10) == 0
    assert previous_match(MATCHES, 3) == 0
    assert previous_match(MATCHES, 2) == 2  # wraps
    assert previous_match(MATCHES, 0) == 2
    assert previous_match([], 5) is None


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    starts=st.lists(st.integers(0, 50), unique=True, max_size=8).map(sorted),
    offset=st.integers(-5, 60),
)
def test_next_and_previous_match_by_brute_force(starts: list[int], offset: int) -> None:
    matches = [(s, s + 1) for s in starts]
    after = [i for i, (s, _) in enumerate(matches) if s >= offset]
    before = [i for i, (s, _) in enumerate(matches) if s < offset]
    if not matches:
        assert next_match(matches, offset) is None
        assert previous_match(matches, offset) is None
        return
    assert next_match(matches, offset) == (after[0] if after else 0)
    assert previous_match(matches, offset) == (before[-1] if before else len(matches) - 1)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(alphabet=st.sampled_from(list("abAB .()%😀𠮷\n")), max_size=40),
    query=st.text(alphabet=st.sampled_from(list("abAB .()%😀𠮷")), min_size=1, max_size=3),
)
def test_find_all_by_brute_force(text: str, query: str) -> None:
    # Case-insensitive here means ASCII case for this alphabet.
    folded_text, folded_query = text.lower(), query.lower()
    expected: list[tuple[int, int]] = []
    i = 0
    while i + len(query) <= len(text):
        if folded_text[i : i + len(query)] == folded_query:
            expected.append((i, i + len(query)))
            i += len(query)
        else:
            i += 1
    assert find_all(text, query) == expected
