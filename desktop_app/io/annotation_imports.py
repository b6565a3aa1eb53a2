"""Annotations coming back in: W3C Web Annotation JSON and REFI-QDA projects and codebooks.

One entry point for the window (File › Open, drops) and the command line, so both name the
same formats, refuse the same files with the same one-line reasons, and report the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.change_report import NO_CHANGE, ChangeReport
from desktop_app.io.imported import ImportRefused

if TYPE_CHECKING:
    from desktop_app.storage.library_store import LibraryStore

ANNOTATION_SUFFIXES = (".json", ".jsonld", ".qdpx", ".qdc")
MAX_ANNOTATION_FILE = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class AnnotationsImported:
    """What an annotations file brought: one line, remarks, and the documents it touched.

    `document_ids` are the documents a W3C file placed annotations on (a project or codebook
    names none: the window opens what it imported only for W3C). `changes` names everything
    the file changed, a project's documents too, for the window to catch up with.
    """

    summary: str
    notes: tuple[str, ...] = ()
    document_ids: tuple[int, ...] = ()
    changes: ChangeReport = NO_CHANGE


def is_annotations_file(path: Path) -> bool:
    """True for the files that carry annotations rather than an article."""
    return path.suffix.lower() in ANNOTATION_SUFFIXES


def import_annotations_file(
    store: LibraryStore, path: Path, document_id: int | None = None
) -> AnnotationsImported:
    """Import annotations (W3C JSON onto articles already in the library, or a REFI-QDA
    project with its articles, or a codebook); ImportRefused with one line otherwise."""
    from desktop_app.io.refi_import import RefiImportError, import_qdc, import_qdpx
    from desktop_app.io.w3c_import import W3CImportError, import_w3c

    suffix = path.suffix.lower()
    data = _read(path)
    try:
        if suffix in (".json", ".jsonld"):
            report = import_w3c(store, data, document_id)
            notes = report.notes + tuple(f"not placed: {item}" for item in report.not_placed[:5])
            # W3C adds no document; it adds tags only when the file's are new to the library.
            changed = ChangeReport.of(
                annotations_of=report.document_ids, codebook=bool(report.tags_created)
            )
            return AnnotationsImported(report.summary(), notes, report.document_ids, changed)
        if suffix == ".qdpx":
            project = import_qdpx(store, data)
            changed = ChangeReport.of(
                documents=project.document_ids_added,
                annotations_of=project.document_ids,
                codebook=True,  # its codes are matched or added: the codebook is re-read
            )
            return AnnotationsImported(project.summary(), project.notes, changes=changed)
        codebook = import_qdc(store, data)
        changed = ChangeReport.of(codebook=True)
        return AnnotationsImported(codebook.codebook_summary(), codebook.notes, changes=changed)
    except (W3CImportError, RefiImportError) as error:
        raise ImportRefused(path, str(error)) from None


def _read(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ImportRefused(path, "is a folder, not a file")
        if path.stat().st_size > MAX_ANNOTATION_FILE:
            raise ImportRefused(path, "is over the 200 MB limit for annotation files")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportRefused(path, "no such file") from None
    except PermissionError:
        raise ImportRefused(path, "cannot be read (permission denied)") from None
    except OSError as error:
        raise ImportRefused(path, f"cannot be read ({error.strerror or error})") from None
    if not data.strip():
        raise ImportRefused(path, "the file is empty")
    return data
