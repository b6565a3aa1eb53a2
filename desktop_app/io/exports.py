"""Every export format behind one call: the window's export dialog and the CLI both use this.

A format renders a bundle to bytes (text formats as UTF-8) plus, where the format cannot carry
everything, a short report for the user. Files are written atomically by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from desktop_app.core.collector import collector_paused
from desktop_app.io.export_bundle import ExportBundle, collect_bundle, collect_codebook

if TYPE_CHECKING:
    from desktop_app.storage.library_store import LibraryStore

FormatName = Literal["markdown", "html", "csv", "json", "qdpx", "qdc"]


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Choices some formats take: Markdown's grouping."""

    grouping: Literal["reading", "tag"] = "reading"


@dataclass(frozen=True, slots=True)
class Rendered:
    """An export ready to write, and what the format could not carry (for the user)."""

    data: bytes
    report: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """A format's name as shown, file suffix, and renderer."""

    name: FormatName
    label: str
    suffix: str
    render: Callable[[ExportBundle, ExportOptions], Rendered]
    per_document: bool  # whether "each article to its own file" makes sense
    # Whether the format carries the codebook alone: then only the tags are read for it, not
    # the documents and their annotations (a quarter of a second for 10,000 annotations).
    codebook_only: bool = False


def _markdown(bundle: ExportBundle, options: ExportOptions) -> Rendered:
    from desktop_app.io.markdown_export import export_markdown_bundle

    return Rendered(export_markdown_bundle(bundle, options.grouping).encode("utf-8"))


def _html(bundle: ExportBundle, _options: ExportOptions) -> Rendered:
    from desktop_app.io.html_export import export_html

    return Rendered(export_html(bundle).encode("utf-8"))


def _csv(bundle: ExportBundle, _options: ExportOptions) -> Rendered:
    from desktop_app.io.csv_export import export_csv

    return Rendered(export_csv(bundle).encode("utf-8"))


def _w3c(bundle: ExportBundle, _options: ExportOptions) -> Rendered:
    from desktop_app.io.w3c_export import export_w3c

    return Rendered(export_w3c(bundle).encode("utf-8"))


def _qdpx(bundle: ExportBundle, _options: ExportOptions) -> Rendered:
    from desktop_app.io.refi_export import export_qdpx

    data, report = export_qdpx(bundle)
    return Rendered(data, list(report))


def _qdc(bundle: ExportBundle, _options: ExportOptions) -> Rendered:
    from desktop_app.io.refi_export import export_qdc

    return Rendered(export_qdc(bundle.tags))


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("markdown", "Markdown notes", ".md", _markdown, True),
        ExportFormat("html", "Web page (HTML)", ".html", _html, True),
        ExportFormat("csv", "Spreadsheet (CSV)", ".csv", _csv, False),
        ExportFormat("json", "W3C Web Annotation (JSON-LD)", ".json", _w3c, False),
        ExportFormat(
            "qdpx", "REFI-QDA project (QualCoder, ATLAS.ti, MAXQDA, NVivo)", ".qdpx", _qdpx, False
        ),
        ExportFormat("qdc", "REFI-QDA codebook", ".qdc", _qdc, False, codebook_only=True),
    )
}


def render(
    store: LibraryStore,
    format_name: str,
    document_ids: list[int] | None,
    options: ExportOptions | None = None,
    now: datetime | None = None,
) -> Rendered:
    """Render the documents `document_ids` (None: the whole library) in one format.

    A codebook format renders the library's codebook whatever `document_ids` says. Records,
    runs and lines are tens of thousands of acyclic objects, so the cycle collector waits
    (see core/collector).
    """
    export_format = FORMATS[format_name]
    exported_at = now or datetime.now(UTC)
    with collector_paused():
        if export_format.codebook_only:
            bundle = collect_codebook(store, exported_at)
        else:
            bundle = collect_bundle(store, document_ids, exported_at)
        return export_format.render(bundle, options or ExportOptions())


def file_stem(title: str) -> str:
    """A file name stem from a title: no path separators or characters file systems refuse."""
    cleaned = "".join(c if c.isalnum() or c in " -_" else " " for c in title)
    return "-".join(cleaned.split())[:80] or "annotations"
