"""Markdown becomes plain text the reader can anchor in: one paragraph a line, no syntax left."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.io.markdown_text import markdown_to_text

GRAIN_CORRIDOR = Path(__file__).resolve().parents[1] / "data" / "corpus" / "grain_corridor.md"


@pytest.fixture(scope="module")
def grain_corridor() -> tuple[str, str | None]:
    """The sample Markdown article, rendered once for the tests that look at it."""
    return markdown_to_text(GRAIN_CORRIDOR.read_text(encoding="utf-8"))


def test_sample_article_heading_is_returned(grain_corridor: tuple[str, str | None]) -> None:
    assert grain_corridor[1] == "Ministers extend the grain corridor 🌾"


@pytest.mark.parametrize("syntax", ["#", "**", "](", "> ", "*Brussels*", "<", "&amp;"])
def test_sample_article_has_no_markup_left(
    grain_corridor: tuple[str, str | None], syntax: str
) -> None:
    assert syntax not in grain_corridor[0]


def test_sample_article_is_one_paragraph_a_line(grain_corridor: tuple[str, str | None]) -> None:
    lines = grain_corridor[0].split("\n")
    assert lines == [
        "Ministers extend the grain corridor 🌾",
        "Brussels — Ministers agreed on Thursday to extend the grain corridor for another six "
        "months.",
        "The deal keeps three ports open and adds naval escorts, officials said. Critics called "
        'it "a stopgap" 🙄 rather than a settlement.',
        "Key terms:",
        "• Inspections move to a joint centre in the strait.",
        "• Insurers get a state-backed guarantee of up to €2 billion.",
        "• Either side may suspend the deal with 30 days' notice.",
        '"We bought time, not peace," one diplomat said.',
        "The full text is due to be published on the council's site next week. Shipping rates "
        "fell 4% 📉 on the news.",
    ]


def test_no_heading_gives_none() -> None:
    assert markdown_to_text("Just a paragraph.") == ("Just a paragraph.", None)


def test_first_non_empty_heading_wins_and_loses_its_emphasis() -> None:
    text, heading = markdown_to_text("#\n\n## The *real* title\n\n# Later heading\n")
    assert heading == "The real title"
    assert text == "The real title\nLater heading"


def test_ordered_and_nested_lists_keep_their_markers() -> None:
    source = '1. first\n2. second\n    - inner\n\n<ol start="7"><li>seventh</li></ol>\n'
    text, _ = markdown_to_text(source)
    assert text.split("\n") == ["1. first", "2. second", "• inner", "7. seventh"]


def test_loose_list_items_get_one_bullet_each() -> None:
    text, _ = markdown_to_text("- one\n\n- two\n")
    assert text == "• one\n• two"


def test_paragraph_white_space_collapses_but_code_keeps_its_indentation() -> None:
    source = "A   paragraph\nwrapped  over\nlines.\n\n    def f():\n\n        return 1\n"
    text, _ = markdown_to_text(source)
    assert text == "A paragraph wrapped over lines.\ndef f():\n    return 1"


def test_hard_line_break_starts_a_new_line() -> None:
    assert markdown_to_text("line one  \nline two")[0] == "line one\nline two"


def test_no_blank_lines_between_paragraphs() -> None:
    text, _ = markdown_to_text("a\n\n\n\nb\n\n---\n\n> c\n\n<br><br>\n\nd")
    assert text == "a\nb\nc\nd"


def test_entities_are_decoded_and_no_break_space_kept() -> None:
    text, _ = markdown_to_text("Fish &amp; chips &copy; 2024&nbsp;AD, 5 &lt; 6")
    assert text == "Fish & chips © 2024\u00a0AD, 5 < 6"


def test_images_give_their_alt_text_or_nothing() -> None:
    text, _ = markdown_to_text("See ![a chart of prices](c.png) and ![](d.png) here.")
    assert text == "See [a chart of prices] and here."


def test_links_give_their_text_only() -> None:
    text, _ = markdown_to_text("Read [the report](https://example.org/r) and <https://x.org>.")
    assert text == "Read the report and https://x.org."


@pytest.mark.parametrize(
    "source",
    [
        "Before\n\n<script>alert('block')</script>\n\nAfter",
        "Before <script>alert('inline')</script> After",
        "Before\n\n<style>p { color: red }</style>\n\nAfter",
        "Before\n\n<script>alert('never closed')",
    ],
)
def test_script_and_style_content_is_dropped(source: str) -> None:
    text, _ = markdown_to_text(source)
    assert "alert" not in text
    assert "color" not in text
    assert "script" not in text
    assert text.startswith("Before")


def test_table_cells_do_not_run_together() -> None:
    text, _ = markdown_to_text(
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>"
    )
    assert text == "A | B\n1 | 2"


def test_astral_and_japanese_text_survive() -> None:
    text, heading = markdown_to_text("# 日本の首相 😀\n\n𠮷野家で **朝食** 🍚。")
    assert heading == "日本の首相 😀"
    assert text == "日本の首相 😀\n𠮷野家で 朝食 🍚。"


def test_empty_source_gives_empty_text() -> None:
    assert markdown_to_text("") == ("", None)
    assert markdown_to_text("<script>x()</script>\n\n---") == ("", None)
