"""Exporting annotated documents as one standalone HTML page that reads like the app.

The page is for reading, printing and sharing: the full text with its highlights drawn as the
reader draws them (one band per tag colour, so an overlap shows every category), a numbered
marker after each passage, and the notes beside the text on a wide screen or under their
paragraph on a narrow one. Notes come right after their paragraph in the source, so a screen
reader meets each note after the passage it belongs to, and the markers and back-links are
ordinary links that a keyboard follows. A claim's fields (stance, speaker, check-worthiness), when
any is set, show as a small line with its note: "supports · Ana Ruiz · check-worthiness 4/5".
The legend names a nested tag by its path from the top of the codebook ("trade › tariffs").

Nothing on the page is fetched or run: the styles are inline, there are no scripts, images or
fonts, and a Content-Security-Policy forbids everything but inline styles should anything slip
through. Every piece of user text (titles, bylines, tag names, quotes) is escaped; notes are
Markdown, rendered and then cut down by nh3 to a short allow-list of harmless elements.
"""

from __future__ import annotations

import html
import re
import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import groupby, pairwise
from operator import attrgetter

import markdown
import nh3

from desktop_app.core.bylines import readable_date as _readable_date
from desktop_app.core.highlight_layers import (
    LAYER_OPACITY,
    bands,
    composite,
    covering_runs,
)
from desktop_app.core.reading_colours import DARK, LIGHT, UNTAGGED_COLOUR
from desktop_app.core.records import ANCHOR_OK, AnnotationRecord, DocumentRecord, TagRecord
from desktop_app.io.export_bundle import ExportBundle, reading_order
from desktop_app.io.markdown_export import (
    PATH_SEPARATOR,
    UNTITLED,
    codebook_tree,
    tag_path,
    utc_timestamp,
)

# A note with none of Markdown's markup characters and no line break renders as one plain
# paragraph; only the others go through the Markdown converter and the sanitiser.
_PLAIN_NOTE = re.compile(r"[^\n*_`\[\]<>&\\|~#]*")
# Lists, rules and setext lines start with these: such notes take the Markdown path too.
_LIST_START = re.compile(r"\s*([-+=]|\d+[.)])")
# The everyday Markdown subset that `_simple_markdown` renders without the converter. Plain text
# leaves out everything with a meaning to Markdown or HTML, control characters, no-break spaces
# (the sanitiser writes them as entities) and anything a parser might change.
_NOT_TEXT = r"\\*_`\[\]<>&|~#\x00-\x1f\x7f-\xa0\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff"
_WORDS = rf"[^\s{_NOT_TEXT}](?:[^{_NOT_TEXT}]*[^\s{_NOT_TEXT}])?"
_CODE = r"[^\s`\\<>&\x00-\x1f\x7f-\xa0\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]"
_INLINE = re.compile(
    rf"(?P<text>[^{_NOT_TEXT}]+)"
    rf"|(?<!\*)\*\*(?P<strong>{_WORDS})\*\*(?!\*)"
    rf"|(?<!\*)\*(?P<em>{_WORDS})\*(?!\*)"
    rf"|(?<![\w_])_(?P<underscored>{_WORDS})_(?![\w_])"
    rf"|(?<!`)`(?P<code>{_CODE}(?:(?:{_CODE}| )*{_CODE})?)`(?!`)"
    rf"|(?<!!)\[(?P<label>{_WORDS})\]"
    r"\((?P<url>(?:https?://|mailto:)[A-Za-z0-9\-._~/?#=%+,;:@]+)\)"
)
# Line starts that make a block something else (list, quote, heading, rule, code, setext line).
_BLOCK_START = re.compile(r"\s|[-+=>#]|\*\s|\d+[.)](?:\s|$)")
_BULLET = re.compile(r"[-+*] \S")
_NUMBERED = re.compile(r"\d+\. \S")
_BLANK_LINES = re.compile(r"\n{2,}")
_NEWLINE = re.compile("\n")

# The reader's papers and highlight strengths, so an exported page looks like the app.
LIGHT_PAPER = LIGHT.paper
DARK_PAPER = DARK.paper
DARK_OPACITY = DARK.highlight_opacity
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)
NOTE_TAGS = frozenset(
    {"p", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "a", "br"}
)
NOTE_ATTRIBUTES = {"a": {"href"}}
NOTE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
NOTE_LINK_REL = "noopener noreferrer"
# What html.escape changes: a line without any is written as it is.
_HTML_SPECIAL = re.compile("[&<>\"']")
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_THREAD = threading.local()
_STATUS_LABELS = {"needs_review": "needs review", "orphaned": "not found in the text"}


def export_html(bundle: ExportBundle) -> str:
    """One self-contained HTML5 page of every document in `bundle`, ending with a newline.

    A single document is the whole page; several get a table of contents and an `<article>`
    each. Annotations that are not settled in the text (needing review, orphaned) are listed
    after their article instead of being highlighted where they may no longer belong.
    """
    codebook = _Codebook({tag.id: tag for tag in bundle.tags})
    several = len(bundle.documents) > 1
    level = 2 if several else 1
    articles = [
        _article(document, bundle.annotations_of(document.id), codebook, level)
        for document in bundle.documents
    ]
    if several:
        page_title = f"Claimmark export: {len(bundle.documents)} documents"
        head = _contents(bundle)
    elif bundle.documents:
        page_title = _title_of(bundle.documents[0])
        head = ""
    else:
        page_title = "Claimmark export"
        head = '<header class="page-head"><h1>Claimmark export</h1><p>No documents.</p></header>'
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="color-scheme" content="light dark">',
            '<meta name="generator" content="Claimmark">',
            f"<title>{_escape(page_title)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            '<main class="page">',
            head,
            *articles,
            _colophon(bundle.exported_at),
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def render_note(note: str) -> str:
    """A Markdown note as sanitised HTML: only simple text markup and http(s)/mailto links.

    Raw HTML in a note is shown as the text the user typed (as in the Markdown export), not
    interpreted; nh3 then removes anything else that is not on the allow-list, such as images
    and `javascript:` links, so no note can add markup that runs or fetches anything.
    """
    if not note.strip():
        return ""
    return _rendered_note(note)


@lru_cache(maxsize=8192)
def _rendered_note(note: str) -> str:
    if _PLAIN_NOTE.fullmatch(note) and not _LIST_START.match(note):
        # Most notes are a plain sentence: what Markdown would make of them, for a fraction of
        # the cost (10,000 notes must export in well under a second).
        return f"<p>{html.escape(note.strip(), quote=False)}</p>"
    simple = _simple_markdown(note)
    if simple is not None:
        return simple
    return _note_cleaner().clean(_note_markdown().reset().convert(note))


def _note_markdown() -> markdown.Markdown:
    """This thread's Markdown converter with raw HTML turned off (building one costs ~1 ms)."""
    converter: markdown.Markdown | None = getattr(_THREAD, "markdown", None)
    if converter is None:
        converter = markdown.Markdown()
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
        _THREAD.markdown = converter
    return converter


@lru_cache(maxsize=1)
def _note_cleaner() -> nh3.Cleaner:
    """The sanitiser for rendered notes, built once (building one per note doubled its cost)."""
    return nh3.Cleaner(
        tags=set(NOTE_TAGS),
        attributes={name: set(allowed) for name, allowed in NOTE_ATTRIBUTES.items()},
        url_schemes=set(NOTE_URL_SCHEMES),
        link_rel=NOTE_LINK_REL,
    )


def _simple_markdown(note: str) -> str | None:
    """The sanitised HTML of a note in the everyday subset of Markdown, or None for any other.

    The subset is what most notes use: paragraphs, tight lists, one-paragraph quotes, and
    `*em*`, `**strong**`, `_em_`, `` `code` `` and `[text](https://...)` on plain text. For
    it this gives exactly what the converter and the sanitiser give (a property test checks
    that) at a tenth of the cost; anything outside it (escapes, entities, HTML, nesting,
    loose lists, headings, odd spacing) returns None and takes the full path.
    """
    out: list[str] = []
    previous = ""
    for block in _BLANK_LINES.split(note.strip("\n")):
        lines = block.split("\n")
        if all(_BULLET.match(line) for line in lines):
            kind, cut = "ul", [line[2:] for line in lines]
        elif all(_NUMBERED.match(line) for line in lines):
            kind, cut = "ol", [line.split(" ", 1)[1] for line in lines]
        elif all(line.startswith("> ") for line in lines):
            kind, cut = "blockquote", [line[2:] for line in lines]
        else:
            kind, cut = "p", lines
        # Lists (or quotes) after a blank line join the one before: leave that to Markdown.
        if (kind == previous and kind != "p") or {kind, previous} == {"ul", "ol"}:
            return None
        previous = kind
        rendered: list[str] = []
        for line in cut:
            inline = _simple_inline(line)
            if inline is None:
                return None
            rendered.append(inline)
        if kind == "p":
            out.append("<p>" + "\n".join(rendered) + "</p>")
        elif kind == "blockquote":
            out.append("<blockquote>\n<p>" + "\n".join(rendered) + "</p>\n</blockquote>")
        else:
            items = "".join(f"<li>{r}</li>\n" for r in rendered)
            out.append(f"<{kind}>\n{items}</{kind}>")
    return "\n".join(out)


def _simple_inline(line: str) -> str | None:
    """One line of a simple note as HTML, or None if it holds anything outside the subset."""
    if not line or line[-1].isspace() or _BLOCK_START.match(line):
        return None
    pieces: list[str] = []
    at = 0
    for match in _INLINE.finditer(line):
        if match.start() != at:
            return None
        at = match.end()
        kind = match.lastgroup
        value = match.group(kind or 0)
        if kind == "text":
            pieces.append(value)
        elif kind == "strong":
            pieces.append(f"<strong>{value}</strong>")
        elif kind == "code":
            pieces.append(f"<code>{value}</code>")
        elif kind == "url":  # the last group of a link
            label = match.group("label")
            pieces.append(f'<a href="{value}" rel="{NOTE_LINK_REL}">{label}</a>')
        else:
            pieces.append(f"<em>{value}</em>")
    return "".join(pieces) if at == len(line) else None


@lru_cache(maxsize=4096)
def _paint(colours: tuple[str, ...], paper: str, opacity: float) -> str:
    return highlight_paint(colours, paper, opacity)


@lru_cache(maxsize=1024)
def _band_fill(colour: str, depth: int, paper: str, opacity: float) -> str:
    """One band's colour: `depth` layers of `colour` over `paper`. A long document has
    thousands of distinct overlaps but only a few dozen distinct bands."""
    return composite([colour] * depth, paper, opacity)


def highlight_paint(colours: Sequence[str], paper: str, opacity: float) -> str:
    """The CSS background of a run covered by `colours` (bottom first), drawn as the app does.

    One colour is a flat fill; several distinct colours are stacked bands with hard stops (top
    band the first tag), so an overlap of trade and security shows both instead of a mixture.
    """
    fills = [_band_fill(colour, depth, paper, opacity) for colour, depth in bands(colours)]
    if len(fills) == 1:
        return fills[0]
    count = len(fills)
    stops = [
        f"{fill} {100 * i / count:.4g}% {100 * (i + 1) / count:.4g}%"
        for i, fill in enumerate(fills)
    ]
    return f"linear-gradient({', '.join(stops)})"


# ---- one document ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class _TagLook:
    """How one combination of tags shows on the page: worked out once per export, since 10,000
    passages share a few dozen combinations. Compared by identity (one per combination)."""

    tags: tuple[TagRecord, ...]  # known tags, each once, in codebook order
    names: tuple[str, ...]
    colours: tuple[str, ...]
    chips: str

    @classmethod
    def of(cls, tags: tuple[TagRecord, ...]) -> _TagLook:
        """The look of `tags` (already in codebook order)."""
        if not tags:
            chips = f'<span class="tag" style="--c: {UNTAGGED_COLOUR}">untagged</span>'
            return cls(tags, ("untagged",), (UNTAGGED_COLOUR,), chips)
        names = tuple(_tag_name(t) for t in tags)
        colours = tuple(_safe_colour(t.colour) for t in tags)
        chips = " ".join(
            f'<span class="tag" style="--c: {colour}">{_escape(name)}</span>'
            for name, colour in zip(names, colours, strict=True)
        )
        return cls(tags, names, colours, chips)


class _Codebook:
    """The tags of an export, with the look of each combination of them remembered."""

    def __init__(self, tags_by_id: Mapping[int, TagRecord]) -> None:
        self.tags_by_id = tags_by_id
        self._looks: dict[tuple[int, ...], _TagLook] = {}

    def look(self, tag_ids: tuple[int, ...]) -> _TagLook:
        """The look of an annotation's tags (unknown ids left out)."""
        look = self._looks.get(tag_ids)
        if look is None:
            look = self._looks[tag_ids] = _TagLook.of(_tags_of(tag_ids, self.tags_by_id))
        return look


@dataclass(slots=True)
class _Entry:
    """An annotation with its number in reading order and the look of its tags."""

    number: int
    annotation: AnnotationRecord
    look: _TagLook
    uuid: str = field(init=False)  # escaped once: every passage writes it four times or more
    start: int = field(init=False)
    end: int = field(init=False)

    def __post_init__(self) -> None:
        self.uuid = _escape(self.annotation.uuid)
        self.start = self.annotation.start
        self.end = self.annotation.end

    @property
    def tags(self) -> tuple[TagRecord, ...]:
        return self.look.tags


class _Marks:
    """The highlighted runs of a text in text order, each with its `<mark>` start tag.

    Kept as parallel lists of numbers and strings rather than an object per run: ten thousand
    small objects that live through the export made the garbage collector walk them again and
    again.
    """

    def __init__(self, placed: Sequence[_Entry]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.openings: list[str] = []  # `<mark ...>`, written once for every piece of the run
        self.first_starts: list[int] = []  # where the earliest passage on the run starts
        # Neighbouring runs are mostly covered by the same few annotations: the title and
        # paint of a `<mark>` are worked out once per combination of tags on it.
        looked: dict[tuple[_TagLook, ...], str] = {}
        for start, end, entries in covering_runs([(e.start, e.end, e) for e in placed]):
            looks = tuple([e.look for e in entries])
            title_and_paint = looked.get(looks)
            if title_and_paint is None:
                title_and_paint = looked[looks] = _title_and_paint(looks)
            ids = " ".join([e.uuid for e in entries])
            self.starts.append(start)
            self.ends.append(end)
            self.openings.append(f'<mark data-annotations="{ids}" {title_and_paint}>')
            self.first_starts.append(min([e.start for e in entries]))


class _Text:
    """A document's text cut into lines, with its highlights and where markers and notes go.

    Everything a line needs is worked out once, up front, by offset: the runs in text order
    (so a line finds its own by bisection), the markup to insert at each offset, and the
    notes that follow each line. Most lines of a long article carry no highlight at all and
    are written in one step.
    """

    def __init__(self, document: DocumentRecord, placed: Sequence[_Entry], level: int) -> None:
        self.text = document.text
        self.level = level
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        self.kinds = self._line_kinds(document.blocks)
        self.marks = _Marks(placed)
        # By offset: the markers of passages ending there, then the anchors of passages
        # starting there (each in reading order). An offset is on one line only (a line's
        # newline counts as part of it), so offsets need no line to go with them.
        end_lines = [self.line_of(entry.end - 1) for entry in placed]
        # The marker follows the passage's last character, on that character's line.
        marker_offsets = [
            min(entry.end, self.line_end(line))
            for entry, line in zip(placed, end_lines, strict=True)
        ]
        self.inserts: dict[int, str] = {}
        by_offset = sorted(range(len(placed)), key=marker_offsets.__getitem__)  # stable
        for at, group in groupby(by_offset, key=marker_offsets.__getitem__):
            self.inserts[at] = _marker([placed[index] for index in group])
        # `placed` is in reading order, so passages starting together are neighbours.
        for at, starting in groupby(placed, key=attrgetter("start")):
            anchors = "".join(f'<span class="anchor" id="a-{e.uuid}"></span>' for e in starting)
            self.inserts[at] = self.inserts.get(at, "") + anchors
        self.insert_offsets = sorted(self.inserts)
        # By line: the notes of the passages whose marker it holds, in reading order.
        self.notes: dict[int, str] = {}
        by_line = sorted(range(len(placed)), key=end_lines.__getitem__)  # stable
        for line, group in groupby(by_line, key=end_lines.__getitem__):
            self.notes[line] = "".join([_note_item(placed[index]) for index in group])

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_of(self, offset: int) -> int:
        """The line holding `offset` (a line's own newline counts as part of it)."""
        return bisect_right(self.line_starts, offset) - 1

    def line_end(self, line: int) -> int:
        """Where `line` ends (its newline, or the end of the text)."""
        if line + 1 < len(self.line_starts):
            return self.line_starts[line + 1] - 1
        return len(self.text)

    def _line_kinds(self, blocks: Iterable[tuple[int, int, str]]) -> dict[int, str]:
        kinds: dict[int, str] = {}
        for start, end, kind in blocks:
            line = self.line_of(max(0, start))
            while line < len(self.line_starts) and self.line_starts[line] < max(end, start + 1):
                kinds[line] = kind
                line += 1
        return kinds

    def line(self, line: int, element: str = "", element_id: str = "") -> str:
        """One line as its element, highlights and markers inside; nothing added to its text.

        The element follows the line's block kind unless `element` is given (the title).
        """
        start, end = self.line_starts[line], self.line_end(line)
        css_class = "line"
        if not element:
            kind = self.kinds.get(line)
            element, css_class = ("p", "line") if kind is None else _element_of(kind, self.level)
        id_attribute = f' id="{element_id}"' if element_id else ""
        opening = f'<{element}{id_attribute} class="{css_class}">'
        closing = f"</{element}>"
        text = self.text
        # The runs on the line: from the first that ends after the line starts (runs do not
        # overlap, so their ends are in order too) to the last that starts before it ends.
        marks = self.marks
        first = bisect_right(marks.ends, start)
        last = bisect_left(marks.starts, end, first)
        offsets = self.insert_offsets
        low, high = bisect_left(offsets, start), bisect_right(offsets, end)
        if low == high and first == last:
            return opening + _escape(text[start:end]) + closing
        cuts = {start, end, *offsets[low:high]}
        for index in range(first, last):
            cuts.add(max(start, marks.starts[index]))
            cuts.add(min(end, marks.ends[index]))
        points = sorted(cuts)
        # Most lines hold nothing to escape: then each piece is a plain slice.
        escape = _escape if _HTML_SPECIAL.search(text, start, end) else str
        inserts = self.inserts
        pieces = [opening]
        index = first
        for left, right in pairwise(points):
            inserted = inserts.get(left, "")
            piece = escape(text[left:right])
            # Points and runs are both in text order, so one pass finds each piece's run.
            while index < last and marks.ends[index] <= left:
                index += 1
            if index < last and marks.starts[index] <= left:
                if marks.first_starts[index] < left:
                    # Inside a passage that goes on: the marker sits on its highlight, not in
                    # a gap.
                    pieces.append(f"{marks.openings[index]}{inserted}{piece}</mark>")
                else:
                    pieces.append(f"{inserted}{marks.openings[index]}{piece}</mark>")
            else:
                pieces.append(inserted + piece)
        pieces.append(inserts.get(points[-1], ""))
        pieces.append(closing)
        return "".join(pieces)

    def notes_after(self, line: int, span: int) -> str:
        """The notes whose marker is on `line`, spanning `span` lines of the margin."""
        items = self.notes.get(line)
        if not items:
            return ""
        style = f' style="grid-row-end: span {span}"' if span > 1 else ""
        return f'<ol class="notes" aria-label="Notes"{style}>{items}</ol>'


def _article(
    document: DocumentRecord,
    annotations: Sequence[AnnotationRecord],
    codebook: _Codebook,
    level: int,
) -> str:
    """The `<article>` of one document: heading, byline, legend, text with notes, review list."""
    ordered = sorted(annotations, key=reading_order)
    entries = [
        _Entry(number, a, codebook.look(a.tag_ids)) for number, a in enumerate(ordered, start=1)
    ]
    placed: list[_Entry] = []
    unplaced: list[_Entry] = []
    for entry in entries:
        (placed if _is_placed(entry.annotation, document.text) else unplaced).append(entry)
    text = _Text(document, placed, level)
    title = _title_of(document)
    doc_id = f"doc-{document.id}"
    blocks = document.blocks
    repeats_title = (
        bool(blocks) and blocks[0][0] == 0 and document.text[: blocks[0][1]].strip() == title
    )
    if repeats_title:
        heading = text.line(0, element=f"h{level}", element_id=f"{doc_id}-title")
    else:
        heading = f'<h{level} id="{doc_id}-title">{_escape(title)}</h{level}>'
    head = [heading]
    if repeats_title:
        head.append(text.notes_after(0, 1))
    if document.byline.strip():
        head.append(f'<p class="byline">{_escape(" ".join(document.byline.split()))}</p>')
    source = document.canonical_url or document.source
    # Only a web address is worth citing; a local file path would leak the exporter's folders.
    if source.startswith(("http://", "https://")) and source not in document.byline:
        head.append(f'<p class="source">Source: {_escape(source)}</p>')
    head.append(_legend(entries, codebook.tags_by_id, doc_id))
    first_body_line = 1 if repeats_title else 0
    body = _body(text, first_body_line)
    parts = [
        f'<article id="{doc_id}" aria-labelledby="{doc_id}-title">',
        f'<header class="doc-head">{"".join(head)}</header>',
        f'<div class="text">{body}</div>',
    ]
    if unplaced:
        parts.append(_review(unplaced, doc_id, level))
    parts.append("</article>")
    return "\n".join(parts)


def _body(text: _Text, first: int) -> str:
    """Every line from `first` on, each followed by the notes whose marker it holds.

    On a wide screen the notes sit in the margin beside their line and may run on beside the
    following lines up to the next note, so a long note rarely opens a gap in the text.
    """
    note_lines = sorted(line for line in text.notes if line >= first)
    ends = [*note_lines[1:], text.line_count] if note_lines else []
    following = dict(zip(note_lines, ends, strict=True))
    out: list[str] = []
    for line in range(first, text.line_count):
        out.append(text.line(line))
        if line in following:
            out.append(text.notes_after(line, following[line] - line))
    return "\n".join(out)


def _title_and_paint(looks: Sequence[_TagLook]) -> str:
    """The `title` (the tag names) and `style` (the paint, drawn as the reader draws it) of
    a run covered by annotations with these tags, bottom first."""
    names = dict.fromkeys(name for look in looks for name in look.names)
    colours = tuple(colour for look in looks for colour in look.colours)
    light = _paint(colours, LIGHT_PAPER, LAYER_OPACITY)
    dark = _paint(colours, DARK_PAPER, DARK_OPACITY)
    return f'title="{_escape(", ".join(names))}" style="--hl: {light}; --hd: {dark}"'


def _marker(entries: Iterable[_Entry]) -> str:
    """The superscript note numbers of the passages ending here, each a link to its note."""
    links = ",".join(
        f'<a href="#n-{e.uuid}" id="r-{e.uuid}" aria-label="Note {e.number}">{e.number}</a>'
        for e in entries
    )
    return f'<sup class="ref">{links}</sup>'


def _note_item(entry: _Entry) -> str:
    """A note in the margin: its number (a link back to the passage), tags and text."""
    number = entry.number
    note = entry.annotation.note
    rendered = render_note(note) if note and not note.isspace() else ""
    return (
        f'<li id="n-{entry.uuid}"><p class="note-head"><a class="back" href="#a-{entry.uuid}" '
        f'aria-label="Back to passage {number}">{number}</a> {entry.look.chips}</p>'
        f"{_claim(entry.annotation)}{rendered}</li>"
    )


def _claim(annotation: AnnotationRecord) -> str:
    """The claim fields that are set, as one small line ("" when none is)."""
    parts = []
    if annotation.stance.strip():
        parts.append(f'<span class="stance" title="Stance">{_escape(annotation.stance)}</span>')
    if annotation.speaker.strip():
        speaker = _escape(annotation.speaker)
        parts.append(f'<span class="speaker" title="Speaker">{speaker}</span>')
    if annotation.checkworthiness is not None:
        parts.append(
            f'<span class="checkworthiness">check-worthiness {annotation.checkworthiness}/5</span>'
        )
    return f'<p class="claim">{" · ".join(parts)}</p>' if parts else ""


def _review(entries: Sequence[_Entry], doc_id: str, level: int) -> str:
    """Annotations that lost their place in the text, with their quote, tags and note."""
    items = []
    for entry in entries:
        status = _STATUS_LABELS.get(entry.annotation.anchor_status, "not placed")
        note = render_note(entry.annotation.note) if entry.annotation.note.strip() else ""
        items.append(
            f'<li id="n-{entry.uuid}">'
            f'<blockquote id="a-{entry.uuid}">{_escape(entry.annotation.marked_words)}</blockquote>'
            f'<p class="note-head"><span class="number">{entry.number}</span> {entry.look.chips} '
            f'<span class="status">{status}</span></p>{_claim(entry.annotation)}{note}</li>'
        )
    heading = min(6, level + 1)
    return (
        f'<section class="review" aria-labelledby="{doc_id}-review">'
        f'<h{heading} id="{doc_id}-review">Not placed in the text</h{heading}>'
        "<p>The text changed since these passages were marked; they wait for review in "
        f'Claimmark.</p><ol class="notes">{"".join(items)}</ol></section>'
    )


def _legend(entries: Sequence[_Entry], tags_by_id: Mapping[int, TagRecord], doc_id: str) -> str:
    """The tags used in the document with their colour and how many passages carry each.

    Tags follow the codebook's tree, and a nested tag is named by its path ("trade › tariffs");
    each count is of the passages carrying that very tag.
    """
    if not entries:
        return '<p class="summary">No annotated passages.</p>'
    counts = Counter(tag.id for e in entries for tag in e.tags)
    items = []
    for tag, _depth in codebook_tree(tags_by_id.values()):
        if tag.id in counts:
            path = PATH_SEPARATOR.join(_tag_name(t) for t in tag_path(tag, tags_by_id))
            items.append(_legend_item(_safe_colour(tag.colour), path, counts[tag.id]))
    untagged = sum(1 for e in entries if not e.tags)
    if untagged:
        items.append(_legend_item(UNTAGGED_COLOUR, "untagged", untagged))
    noun = "passage" if len(entries) == 1 else "passages"
    return (
        f'<p class="summary" id="{doc_id}-tags">{len(entries)} annotated {noun}</p>'
        f'<ul class="legend" aria-labelledby="{doc_id}-tags">{"".join(items)}</ul>'
    )


def _legend_item(colour: str, name: str, count: int) -> str:
    light = highlight_paint([colour], LIGHT_PAPER, opacity=LAYER_OPACITY)
    dark = highlight_paint([colour], DARK_PAPER, opacity=DARK_OPACITY)
    return (
        f'<li><span class="swatch" style="--hl: {light}; --hd: {dark}; --c: {colour}"></span>'
        f'<span class="name">{_escape(name)}</span> <span class="count">{count}</span></li>'
    )


# ---- the page around the articles ----------------------------------------------------------


def _contents(bundle: ExportBundle) -> str:
    items = []
    for document in bundle.documents:
        count = len(bundle.annotations_of(document.id))
        noun = "passage" if count == 1 else "passages"
        items.append(
            f'<li><a href="#doc-{document.id}">{_escape(_title_of(document))}</a> '
            f'<span class="count">{count} annotated {noun}</span></li>'
        )
    return (
        '<header class="page-head"><h1>Claimmark export</h1>'
        f"<p>{len(bundle.documents)} documents, {bundle.annotation_count} annotated passages</p>"
        '<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">Contents</h2>'
        f"<ol>{''.join(items)}</ol></nav></header>"
    )


def _colophon(exported_at: datetime) -> str:
    stamp = utc_timestamp(exported_at)
    day = _readable_date(exported_at.astimezone(UTC).date().isoformat())
    return (
        f'<footer class="colophon"><p>Exported from Claimmark on '
        f'<time datetime="{stamp}">{day}</time>.</p></footer>'
    )


# ---- small helpers -------------------------------------------------------------------------


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _title_of(document: DocumentRecord) -> str:
    return " ".join(document.title.split()) or UNTITLED


def _tag_name(tag: TagRecord) -> str:
    return " ".join(tag.name.split()) or f"tag {tag.id}"


def _safe_colour(colour: str) -> str:
    """The tag colour if it is a plain `#rrggbb`; anything else could smuggle CSS in."""
    return colour if _HEX_COLOUR.fullmatch(colour) else UNTAGGED_COLOUR


def _tags_of(tag_ids: Iterable[int], tags_by_id: Mapping[int, TagRecord]) -> tuple[TagRecord, ...]:
    """An annotation's known tags, each once, in codebook order."""
    known = {tags_by_id[i] for i in set(tag_ids) if i in tags_by_id}
    return tuple(sorted(known, key=lambda tag: (tag.position, tag.id)))


def _is_placed(annotation: AnnotationRecord, text: str) -> bool:
    """True when the annotation is settled on a real span of the text."""
    return annotation.anchor_status == ANCHOR_OK and 0 <= annotation.start < annotation.end <= len(
        text
    )


def _element_of(kind: str, level: int) -> tuple[str, str]:
    """The element and class of a line of the given block kind."""
    if kind.startswith("heading"):
        depth = int(kind[-1]) if kind[-1].isdigit() else 2
        return f"h{min(6, depth + level)}", "line"
    if kind == "list_item":
        return "p", "line list-item"
    if kind == "quote":
        return "blockquote", "line"
    if kind == "preformatted":
        return "pre", "line"
    return "p", "line"


SERIF = (
    '"Literata", "Source Serif 4", "Source Serif Pro", Charter, "Bitstream Charter", '
    '"Iowan Old Style", "Noto Serif", Georgia, "DejaVu Serif", "Noto Serif CJK JP", serif, '
    '"Noto Color Emoji"'
)
SANS = (
    'system-ui, -apple-system, "Segoe UI", Inter, "Noto Sans", Cantarell, "DejaVu Sans", '
    '"Noto Sans CJK JP", sans-serif, "Noto Color Emoji"'
)
STYLE = f"""
:root {{
  color-scheme: light dark;
  --paper: {LIGHT_PAPER}; --ink: {LIGHT.ink}; --muted: {LIGHT.muted}; --rule: {LIGHT.rule};
  --note-bg: #f3f0e8; --accent: #3b5bdb;
}}
* {{ box-sizing: border-box; }}
html {{ background: var(--paper); color: var(--ink); -webkit-text-size-adjust: 100%; }}
body {{
  margin: 0; font-family: {SERIF}; font-size: 1.125rem; line-height: 1.6;
  font-kerning: normal; text-rendering: optimizeLegibility;
}}
.page {{ max-width: 70ch; margin: 0 auto; padding: 3rem 1.25rem 4rem; }}
[id] {{ scroll-margin-top: 1.5rem; }}
a {{ color: var(--accent); }}
a:focus-visible {{ outline: 2px solid var(--accent); outline-offset: 2px; border-radius: 2px; }}
h1, h2, h3, h4, h5, h6 {{ line-height: 1.25; font-weight: 700; }}
.doc-head h1, .doc-head h2 {{
  font-size: clamp(1.6rem, 1rem + 2.5vw, 2.1rem); letter-spacing: -0.01em; margin: 0 0 0.4rem;
}}
.byline, .source, .summary, .legend, .colophon, .toc, .page-head p, .review > p {{
  font-family: {SANS}; font-size: 0.9rem; color: var(--muted);
}}
.byline {{ margin: 0 0 0.2rem; }}
.source {{ margin: 0 0 0.2rem; overflow-wrap: anywhere; }}
.summary {{ margin: 1.2rem 0 0.4rem; }}
.legend {{
  list-style: none; margin: 0 0 2rem; padding: 0 0 1.4rem; border-bottom: 1px solid var(--rule);
  display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem;
}}
.legend li {{ display: inline-flex; align-items: center; gap: 0.45rem; color: var(--ink); }}
.swatch {{
  display: inline-block; width: 1.6em; height: 1em; border-radius: 3px;
  background: var(--hl); box-shadow: inset 0 -3px 0 var(--c);
}}
.legend .count {{
  font-variant-numeric: tabular-nums; color: var(--muted);
  border: 1px solid var(--rule); border-radius: 1em; padding: 0 0.5em; font-size: 0.8rem;
}}
.text > * {{ margin: 0 0 0.9em; }}
.line {{ white-space: pre-wrap; overflow-wrap: break-word; }}
.text h2, .text h3 {{ font-size: 1.35rem; margin-top: 1.6em; }}
.text h4, .text h5, .text h6 {{ font-size: 1.1rem; margin-top: 1.3em; }}
.list-item {{ padding-left: 1.4em; text-indent: -0.9em; }}
blockquote.line {{
  margin-left: 0; padding-left: 1em; border-left: 3px solid var(--rule); font-style: italic;
}}
pre.line {{
  font-family: ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono", monospace; font-size: 0.85em;
  margin-bottom: 0; padding: 0.1em 0.8em; background: var(--note-bg);
}}
mark {{
  color: inherit; background: var(--hl); padding: 0.12em 0;
  -webkit-box-decoration-break: clone; box-decoration-break: clone;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}}
.anchor:target::before {{
  content: ""; display: inline-block; width: 3px; height: 1.1em; margin-right: 2px;
  vertical-align: -0.2em; background: var(--accent);
}}
sup.ref {{
  font-family: {SANS}; font-size: 0.68em; font-weight: 600; line-height: 0; margin-left: 0.1em;
  white-space: nowrap;
}}
sup.ref a {{ text-decoration: none; padding: 0 0.1em; }}
sup.ref a:hover {{ text-decoration: underline; }}
.notes {{
  list-style: none; font-family: {SANS}; font-size: 0.84rem; line-height: 1.45;
  padding: 0.55rem 0.8rem; margin: -0.3rem 0 1.2rem; background: var(--note-bg);
  border-left: 3px solid var(--rule); border-radius: 0 4px 4px 0;
}}
.notes li + li {{ margin-top: 0.7rem; }}
.notes li:target {{ outline: 2px solid var(--accent); outline-offset: 3px; border-radius: 2px; }}
.notes p, .notes ul, .notes ol, .notes pre, .notes blockquote {{ margin: 0.25rem 0 0; }}
.notes ul, .notes ol {{ padding-left: 1.2rem; }}
.notes ul {{ list-style: disc; }}
.notes ol {{ list-style: decimal; }}
.notes pre {{ white-space: pre-wrap; font-size: 0.9em; }}
.notes blockquote {{ border-left: 2px solid var(--rule); padding-left: 0.6rem; margin-left: 0; }}
p.note-head {{
  margin: 0; display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.2rem 0.6rem;
}}
.notes p.claim {{ color: var(--muted); font-size: 0.95em; }}
.back, .number {{ font-weight: 700; text-decoration: none; min-width: 1.2em; }}
.tag {{ color: var(--muted); white-space: nowrap; }}
.tag::before {{
  content: ""; display: inline-block; width: 0.65em; height: 0.65em; margin-right: 0.3em;
  border-radius: 2px; background: var(--c);
}}
.status {{ color: var(--muted); font-style: italic; }}
.review {{ margin-top: 2.5rem; padding-top: 1rem; border-top: 1px solid var(--rule); }}
.review .notes {{ background: none; border: 0; padding: 0; }}
.review li {{ padding: 0.5rem 0.8rem; background: var(--note-bg); border-radius: 4px; }}
.review blockquote {{
  margin: 0 0 0.3rem; font-family: {SERIF}; font-size: 1rem; font-style: italic;
}}
.page-head {{ margin-bottom: 3rem; }}
.page-head h1 {{ font-size: 2.1rem; margin: 0 0 0.3rem; }}
.toc h2 {{ font-size: 1rem; margin: 1.5rem 0 0.4rem; color: var(--ink); }}
.toc ol {{ padding-left: 1.4rem; margin: 0; }}
.toc .count {{ margin-left: 0.4rem; }}
article + article {{ margin-top: 4rem; padding-top: 2rem; border-top: 2px solid var(--rule); }}
.colophon {{ margin-top: 3.5rem; padding-top: 1rem; border-top: 1px solid var(--rule); }}
@media (min-width: 66rem) {{
  .page {{ max-width: calc(70ch + 20rem); }}
  .doc-head, .review, .page-head {{ max-width: 70ch; }}
  .text {{
    display: grid; grid-template-columns: minmax(0, 70ch) minmax(12rem, 17rem);
    column-gap: 2.5rem; align-items: start;
  }}
  .text > * {{ grid-column: 1; }}
  .text > .notes {{
    grid-column: 2; margin: 0.2rem 0 0.9rem; padding: 0 0 0 0.8rem; background: none;
    border-left: 2px solid var(--rule); border-radius: 0;
  }}
}}
@media (prefers-color-scheme: dark) {{
  :root {{
    --paper: {DARK_PAPER}; --ink: {DARK.ink}; --muted: {DARK.muted}; --rule: {DARK.rule};
    --note-bg: #252420; --accent: #9db1ff;
  }}
  mark, .swatch {{ background: var(--hd); }}
}}
@media print {{
  :root {{ --paper: #fff; }}
  .page {{ max-width: none; padding: 0; }}
  a {{ color: inherit; }}
  .text {{ display: block; }}
  .notes {{ break-inside: avoid; }}
}}
"""
