"""Making arbitrary user text safe inside Markdown (CommonMark) and YAML front matter.

Quotes, notes and tag names are user text: a note that starts with `# ` or contains `<script>` must
come out of an export as exactly those characters, not as a heading or raw HTML, and a quote must
survive a parse back character for character. The rules here are the smallest set that makes that
true for CommonMark while leaving ordinary prose (apostrophes, commas, `(AP)`, "Wow!") readable:

- ASCII punctuation that opens an inline construct anywhere on a line is always backslash-escaped.
  `!`, `(` and `)` are not: images and links cannot start without `[`, which is always escaped.
- Punctuation that only matters at the start of a line (`-`, `+`, `=`, the `.`/`)` after a number)
  is escaped only there.
- Leading and trailing whitespace on a line is written as numeric character references, because
  Markdown strips it; as a bonus a line that starts with `&#32;` can never be indented code.
- Line breaks become backslash hard breaks, an empty line becomes a lone hard break (a truly empty
  line would end the paragraph), and a final newline becomes `&#10;` (a hard break at the end of a
  paragraph is not a break).

Known limits, all from CommonMark itself: U+0000 always becomes U+FFFD, and a vertical tab (U+000B)
at the very start or end of a paragraph is trimmed, because neither has a character reference.
"""

from __future__ import annotations

import json
import re

# Backslash-escaped wherever they appear: each can open emphasis, a code span, a link, raw HTML,
# an entity, a heading (`#`, also as a closing sequence), a block quote, a fence or a table.
_ALWAYS_ESCAPED = frozenset("\\`*_[]<>&|~{}#")
# Only meaningful as the first character of a line: list markers, thematic breaks, setext
# underlines. Mid-line they are plain text, and "well-known" should stay readable.
_LINE_START_ESCAPED = frozenset("-+=")
# "1." or "1)" at the start of a line opens an ordered list (and may interrupt a paragraph).
_ORDERED_LIST_MARKER = re.compile(r"[0-9]+[.)]")
# Line terminators for CommonMark (`\r`) or for other tools reading the file (U+2028/U+2029):
# written as references so the Markdown file's own lines stay the only line structure.
_ALWAYS_ENCODED = frozenset("\r\u2028\u2029")
# Whitespace that has no usable numeric character reference (markdown-it maps these code points
# to U+FFFD), so it has to stay literal.
_UNENCODABLE = frozenset("\x0b\x1c\x1d\x1e\x1f\x85")
# The replacement of each character escaped or encoded wherever it is, for str.translate.
_ANYWHERE = {ord(char): "\\" + char for char in _ALWAYS_ESCAPED} | {
    ord(char): f"&#{ord(char)};" for char in _ALWAYS_ENCODED
}
# Finds them: most text has none, and searching for them is far cheaper than translating.
_ANYWHERE_PATTERN = re.compile(
    "[" + "".join(re.escape(char) for char in sorted(_ALWAYS_ESCAPED | _ALWAYS_ENCODED)) + "]"
)
# Characters a YAML 1.1 parser rejects or reads as a line break inside a double-quoted scalar;
# json.dumps already escapes everything below U+0020.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def escape_inline(text: str) -> str:
    """Escape user text for a paragraph or block-quote line so it renders as exactly `text`.

    The result may span several lines (joined by hard breaks) but is always one paragraph: it
    never contains a blank line, so it cannot end a block quote or start a new block.
    """
    *body, last = text.split("\n")
    if not body:
        return _escape_line(last)
    lines = [_escape_line(line) for line in body]
    if last:
        lines.append(_escape_line(last))
    else:
        # A hard break at the end of a paragraph is dropped, so a final newline is a reference.
        lines[-1] += _reference("\n")
    return "\\\n".join(lines)


def escape_line(text: str) -> str:
    """Escape user text for a one-line context such as a heading or a list of tag names.

    A heading cannot hold a line break, so every run of whitespace (newlines included) becomes
    one space and the ends are trimmed; the rest is escaped as by `escape_inline`.
    """
    return escape_inline(" ".join(text.split()))


def block_quote(text: str) -> str:
    """Quote raw user text: escape it with `escape_inline` and prefix every line with `> `.

    Takes the raw text, not escaped text, so a caller cannot forget (or repeat) the escaping.
    """
    escaped = escape_inline(text)
    if "\n" not in escaped:  # most quotes are one line
        return f"> {escaped}" if escaped else ">"
    return "\n".join(f"> {line}" if line else ">" for line in escaped.split("\n"))


def yaml_scalar(value: str) -> str:
    """A double-quoted scalar that YAML 1.1 and 1.2 parsers (and json.loads) read back as `value`.

    A JSON string is valid YAML 1.2; YAML 1.1 additionally treats U+0085, U+2028 and U+2029 as
    line breaks and rejects C1 controls, a stray byte-order mark and noncharacters, so those are
    written as `\\uXXXX` escapes (which all three readers understand).
    """
    dumped = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", dumped)


def _escape_line(line: str) -> str:
    """Escape one line of user text (no `\\n` inside): edges as references, the core as text."""
    # str.isspace covers everything markdown-it trims (and a little more), so nothing is missed.
    start = len(line) - len(line.lstrip())
    end = len(line.rstrip())
    if end <= start:
        return _encode_space(line)
    return _encode_space(line[:start]) + _escape_core(line[start:end]) + _encode_space(line[end:])


def _escape_core(core: str) -> str:
    """Escape a line's text between its leading and trailing whitespace.

    Its first character counts as a line start even after leading references: no CommonMark
    parser needs that, but a renderer that decoded references early would, and it costs little.
    """
    # One pass in C for what is escaped anywhere (a loop over the characters in Python cost
    # most of a 10,000-annotation export), then the line start.
    escaped = core.translate(_ANYWHERE) if _ANYWHERE_PATTERN.search(core) else core
    if core[0] in _LINE_START_ESCAPED:
        return "\\" + escaped
    marker = _ORDERED_LIST_MARKER.match(core)
    if marker:
        # Digits are never escaped, so the marker is at the same index in `escaped`.
        at = marker.end() - 1
        return escaped[:at] + "\\" + escaped[at:]
    return escaped


def _encode_space(run: str) -> str:
    """Write whitespace that Markdown would strip as numeric character references."""
    if not run:
        return ""
    return "".join(char if char in _UNENCODABLE else _reference(char) for char in run)


def _reference(char: str) -> str:
    """The decimal numeric character reference for one character, e.g. `&#32;`."""
    return f"&#{ord(char)};"
