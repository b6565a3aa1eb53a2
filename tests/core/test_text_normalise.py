"""Normalising text once on import: line endings and the byte-order mark."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.text_normalise import normalise_text

BOM = "\ufeff"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("plain", "plain"),
        ("a\r\nb\r\n", "a\nb\n"),
        ("a\rb\r", "a\nb\n"),
        ("a\r\nb\rc\nd", "a\nb\nc\nd"),
        ("a\r\r\nb", "a\n\nb"),  # a lone CR, then a CRLF: two line breaks
        ("a\n\rb", "a\n\nb"),  # LF then CR is two line breaks, not one
        ("\r\n\r\n", "\n\n"),
        (BOM + "text", "text"),
        (BOM + "a\r\nb", "a\nb"),
        ("te" + BOM + "xt", "te" + BOM + "xt"),  # a BOM in the middle is kept
        ("text" + BOM, "text" + BOM),
        ("😀\r\n𠮷", "😀\n𠮷"),
        ("\u2028\u2029\x85", "\u2028\u2029\x85"),  # other separators are not line endings here
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


raw_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(["\r", "\n", BOM, "a", " ", "😀"]),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=40,
)

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(raw_text)
def test_normalised_text_has_no_cr_and_no_leading_bom(raw: str) -> None:
    text = normalise_text(raw)
    assert "\r" not in text
    assert not text.startswith((BOM, "\ufffe"))


@SETTINGS
@given(raw_text)
def test_normalise_keeps_lines_and_counts_breaks(raw: str) -> None:
    text = normalise_text(raw)
    body = raw.lstrip(BOM + "\ufffe")  # all leading byte-order marks go, either byte order
    # Every CRLF, lone CR and LF becomes exactly one "\n"; nothing else changes.
    breaks = (
        body.count("\r\n")
        + (body.count("\r") - body.count("\r\n"))
        + (body.count("\n") - body.count("\r\n"))
    )
    assert text.count("\n") == breaks
    expected_lines = [
        line for part in body.split("\r\n") for line in part.replace("\r", "\n").split("\n")
    ]
    assert text.split("\n") == expected_lines


@SETTINGS
@given(raw_text)
def test_normalise_is_idempotent(raw: str) -> None:
    once = normalise_text(raw)
    assert normalise_text(once) == once


def test_normalise_is_idempotent_with_two_leading_boms() -> None:
    once = normalise_text(BOM + BOM + "text")
    assert not once.startswith(BOM)
    assert normalise_text(once) == once
