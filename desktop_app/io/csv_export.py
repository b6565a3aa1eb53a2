"""Exporting annotations as a spreadsheet: RFC 4180 CSV, one row per annotation.

The text is returned as a `str`; the caller encodes it as UTF-8. No byte-order mark is added
unless asked for (`excel_bom=True`): most tools read UTF-8 without one, but Excel on Windows
guesses the legacy code page for a BOM-less file and garbles every non-ASCII character.

Spreadsheets run a cell that begins with `=`, `+`, `-` or `@` (and, in some, tab or carriage
return) as a formula, so an article or note could carry `=HYPERLINK(...)` into the analyst's
spreadsheet (CSV injection). Following OWASP's advice, every cell of user text (document title,
quote, tags, tag paths, note, stance, speaker) that begins with one of those characters is written
with a single quote `'`
in front, which spreadsheets show as text. Numbers and dates are never changed. A program that
reads the file back can drop the added quote: it is only ever added before one of those
characters. Pass `neutralise_formulas=False` for a file meant only for programs.

Nested tags: `tags` keeps the plain tag names (unique in a library, so each names one tag), and
`tag_paths` gives each of them with its parents, `trade/tariffs`, in the same order, so a filter
on `trade/` finds everything under `trade`. A `/` inside a tag name is written as it is.
The claim fields are `stance` (supports, opposes, neutral, unclear), `speaker` and
`checkworthiness` (1 to 5), each empty when unset.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping

from desktop_app.core.records import AnnotationRecord, TagRecord
from desktop_app.io.export_bundle import ExportBundle, reading_order
from desktop_app.io.markdown_export import tag_path, utc_timestamp

HEADER = (
    "document_id",
    "document_title",
    "start",
    "end",
    "quote",
    "tags",
    "tag_paths",
    "note",
    "stance",
    "speaker",
    "checkworthiness",
    "status",
    "created",
    "updated",
)
TAG_SEPARATOR = ";"
PATH_SEPARATOR = "/"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"


def export_csv(
    bundle: ExportBundle, *, excel_bom: bool = False, neutralise_formulas: bool = True
) -> str:
    """The CSV text of every annotation in `bundle`: a header row, then one row per annotation.

    Rows follow the bundle's documents, and each document's annotations in reading order;
    `start`/`end` are code points (end exclusive), `tags` the tag names in codebook order joined
    with `;` (`tag_paths` the same tags as `trade/tariffs`), `checkworthiness` a number or empty,
    and `created`/`updated` ISO-8601 UTC with a `Z`. Lines end with CRLF as RFC 4180 asks; a cell
    is quoted only when it holds a comma, a quote or a line break.
    """
    guard = neutralise_formula if neutralise_formulas else _unchanged
    cells = _RowCells({tag.id: tag for tag in bundle.tags}, guard)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    for document in bundle.documents:
        ordered = sorted(bundle.annotations_of(document.id), key=reading_order)
        title = guard(document.title)
        writer.writerows(cells.row(document.id, title, annotation) for annotation in ordered)
    return (BYTE_ORDER_MARK if excel_bom else "") + buffer.getvalue()


def neutralise_formula(cell: str) -> str:
    """`cell` with a `'` in front if a spreadsheet would otherwise read it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_TRIGGERS) else cell


def _unchanged(cell: str) -> str:
    """`cell` as it is (for files read only by programs)."""
    return cell


class _RowCells:
    """Writes the cells of each annotation's row, with what annotations share worked out once:
    the tag cells of each combination of tags, the form of each time."""

    def __init__(self, tags_by_id: Mapping[int, TagRecord], guard: Callable[[str], str]) -> None:
        self._tags_by_id = tags_by_id
        self._guard = guard
        self._tag_cells: dict[tuple[int, ...], tuple[str, str]] = {}

    def row(self, document_id: int, title: str, annotation: AnnotationRecord) -> list[str | int]:
        """One annotation's cells, user text passed through the guard (`title` already is)."""
        guard = self._guard
        tags, paths = self._tags(annotation.tag_ids)
        checkworthiness = annotation.checkworthiness
        return [
            document_id,
            title,
            annotation.start,
            annotation.end,
            guard(annotation.marked_words),
            tags,
            paths,
            guard(annotation.note),
            guard(annotation.stance),
            guard(annotation.speaker),
            "" if checkworthiness is None else checkworthiness,
            annotation.anchor_status,
            utc_timestamp(annotation.created),
            utc_timestamp(annotation.updated),
        ]

    def _tags(self, tag_ids: tuple[int, ...]) -> tuple[str, str]:
        """The `tags` and `tag_paths` cells of an annotation with these tags."""
        cells = self._tag_cells.get(tag_ids)
        if cells is None:
            tags = _tags_of(tag_ids, self._tags_by_id)
            paths = (
                PATH_SEPARATOR.join(t.name for t in tag_path(tag, self._tags_by_id)) for tag in tags
            )
            cells = self._tag_cells[tag_ids] = (
                self._guard(TAG_SEPARATOR.join(tag.name for tag in tags)),
                self._guard(TAG_SEPARATOR.join(paths)),
            )
        return cells


def _tags_of(tag_ids: Iterable[int], tags_by_id: Mapping[int, TagRecord]) -> list[TagRecord]:
    """An annotation's known tags, each once, in codebook order (unknown ids are skipped)."""
    known = {tags_by_id[i] for i in set(tag_ids) if i in tags_by_id}
    return sorted(known, key=lambda tag: (tag.position, tag.id))
