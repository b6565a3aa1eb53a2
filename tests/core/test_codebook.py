"""The codebook's rules: default tags, tag names, colours, and the next colour a tag gets."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from desktop_app.core.codebook import (
    MAX_TAG_NAME,
    CodebookError,
    check_unique_name,
    clean_colour,
    clean_tag_name,
    load_default_codebook,
    next_colour,
)
from desktop_app.resources import resource_path

HEX = re.compile(r"^#[0-9a-f]{6}$")


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


# --- the shipped codebook ---------------------------------------------------------------------


def test_default_codebook_has_trade_security_coalition_in_order() -> None:
    codebook = load_default_codebook(resource_path("codebook.json"))
    assert [t.name for t in codebook.tags] == ["trade", "security", "coalition"]
    for tag in codebook.tags:
        assert HEX.match(tag.colour), tag.colour
        assert tag.description.strip()
    assert len({t.colour for t in codebook.tags}) == 3


def test_default_palette_has_at_least_eight_distinct_colours() -> None:
    codebook = load_default_codebook(resource_path("codebook.json"))
    assert len(codebook.palette) >= 8
    assert len(set(codebook.palette)) == len(codebook.palette)
    for colour in codebook.palette:
        assert HEX.match(colour), colour
    # The default tags take the palette's first colours, so a new tag gets a fresh one.
    tag_colours = [t.colour for t in codebook.tags]
    assert list(codebook.palette[: len(tag_colours)]) == tag_colours
    assert next_colour(codebook.palette, tag_colours) == codebook.palette[3]


def test_default_codebook_is_read_from_the_file_as_written() -> None:
    path = resource_path("codebook.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    codebook = load_default_codebook(path)
    assert [t.colour for t in codebook.tags] == [t["colour"].lower() for t in raw["tags"]]
    assert list(codebook.palette) == [c.lower() for c in raw["palette"]]


def test_default_palette_colours_are_pairwise_distinguishable() -> None:
    palette = load_default_codebook(resource_path("codebook.json")).palette
    for first, second in itertools.combinations(palette, 2):
        distance = sum((a - b) ** 2 for a, b in zip(rgb(first), rgb(second), strict=True)) ** 0.5
        assert distance > 60, (first, second, distance)


def test_load_cleans_and_refuses(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "tags": [{"name": "  Big   Claims ", "colour": " #ABCDEF "}],
                "palette": ["#FFFFFF", "#000000"],
            }
        ),
        encoding="utf-8",
    )
    codebook = load_default_codebook(good)
    assert codebook.tags[0].name == "Big Claims"
    assert codebook.tags[0].colour == "#abcdef"
    assert codebook.tags[0].description == ""
    assert codebook.palette == ("#ffffff", "#000000")

    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"tags": [{"name": "x", "colour": "red"}], "palette": []}), encoding="utf-8"
    )
    with pytest.raises(CodebookError):
        load_default_codebook(bad)


# --- tag names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("trade", "trade"),
        ("  trade  ", "trade"),
        ("foreign   policy", "foreign policy"),
        ("foreign\tpolicy\nclaims", "foreign policy claims"),
        ("Économie 日本 😀", "Économie 日本 😀"),
        ("x" * MAX_TAG_NAME, "x" * MAX_TAG_NAME),
        ("  " + "y" * MAX_TAG_NAME + "  ", "y" * MAX_TAG_NAME),
    ],
)
def test_clean_tag_name(raw: str, expected: str) -> None:
    assert clean_tag_name(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "\t\n",
        "x" * (MAX_TAG_NAME + 1),
        "bad\x00name",
        "bell\x07",
        "\x1bescape",
    ],
)
def test_clean_tag_name_refuses(raw: str) -> None:
    with pytest.raises(CodebookError):
        clean_tag_name(raw)


def test_max_length_counts_characters_not_utf16_units() -> None:
    name = "😀" * MAX_TAG_NAME
    assert clean_tag_name(name) == name
    with pytest.raises(CodebookError):
        clean_tag_name("😀" * (MAX_TAG_NAME + 1))


def test_codebook_error_is_a_value_error_with_a_message() -> None:
    with pytest.raises(ValueError, match=str(MAX_TAG_NAME)):
        clean_tag_name("z" * 100)


@pytest.mark.parametrize("raw", ["del\x7fete", "c1\x80x", "csi\x9b"])
def test_clean_tag_name_refuses_del_and_c1_controls(raw: str) -> None:
    with pytest.raises(CodebookError):
        clean_tag_name(raw)


# --- colours ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("#E69F00", "#e69f00"), ("#abcdef", "#abcdef"), (" #0072B2 ", "#0072b2")],
)
def test_clean_colour(raw: str, expected: str) -> None:
    assert clean_colour(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "e69f00", "#e69f0", "#e69f000", "#gggggg", "#fff", "red", "#e69f00\nx", "##e69f0"],
)
def test_clean_colour_refuses(raw: str) -> None:
    with pytest.raises(CodebookError):
        clean_colour(raw)


# --- unique names -----------------------------------------------------------------------------


def test_check_unique_name_is_case_insensitive() -> None:
    existing = ["trade", "Security"]
    check_unique_name("coalition", existing)
    check_unique_name("trades", existing)
    for clash in ("trade", "TRADE", "Trade", "security", "SECURITY"):
        with pytest.raises(CodebookError):
            check_unique_name(clash, existing)
    # Case folding, not just lower-casing.
    with pytest.raises(CodebookError):
        check_unique_name("STRASSE", ["Straße"])
    check_unique_name("anything", [])


# --- next colour ------------------------------------------------------------------------------

PALETTE = ("#E69F00", "#0072B2", "#009E73", "#CC79A7")


def test_next_colour_takes_the_first_unused() -> None:
    assert next_colour(PALETTE, []) == "#e69f00"
    assert next_colour(PALETTE, ["#e69f00"]) == "#0072b2"
    assert next_colour(PALETTE, ["#E69F00", "#0072b2"]) == "#009e73"
    # Skips used colours wherever they are, and ignores colours outside the palette.
    assert next_colour(PALETTE, ["#0072B2", "#123456"]) == "#e69f00"
    assert next_colour(PALETTE, ["#e69f00", "#009e73"]) == "#0072b2"


def test_next_colour_cycles_when_all_are_used() -> None:
    used = [c.lower() for c in PALETTE]
    assert next_colour(PALETTE, used) == "#e69f00"
    assert next_colour(PALETTE, [*used, "#e69f00"]) == "#0072b2"
    assert next_colour(PALETTE, [*used, *used[:2]]) == "#009e73"
    picked: list[str] = list(used)
    sequence = []
    for _ in range(len(PALETTE) * 2):
        colour = next_colour(PALETTE, picked)
        sequence.append(colour)
        picked.append(colour)
    assert sequence == used * 2
