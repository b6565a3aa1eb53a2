"""The headless command line: `desktop-app import|list|export ...` for scripts and batch work.

Nothing here imports Qt, so the commands run without a display. A failure the user can act on
(a bad file, an unknown document, an unreadable library) prints one line and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from desktop_app import APP_NAME, __version__

if TYPE_CHECKING:
    from desktop_app.io.import_service import DocumentFound, DocumentImported, ImportOutcome
    from desktop_app.storage.library_store import LibraryStore

COMMANDS = ("import", "list", "show", "export", "stats")
EXPORT_FORMATS = ("markdown", "html", "csv", "json", "qdpx", "qdc")
DEFAULT_SIZE_LIMIT_MB = 20
MAX_SIZE_LIMIT_MB = 100_000  # far above any article, far below what overflows a file offset


class UsageError(Exception):
    """Arguments the command line does not accept; the message is one line."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other failure here."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    """The parser of the headless commands."""
    parser = OneLineParser(prog="desktop-app", description=f"{APP_NAME} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    _add_import_command(commands)
    _add_list_and_show_commands(commands)
    _add_export_command(commands)
    _add_stats_command(commands)
    return parser


def _add_db(command: argparse.ArgumentParser) -> None:
    command.add_argument("--db", type=Path, help="library file (default: in your user data folder)")


def _add_import_command(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    import_command = commands.add_parser(
        "import",
        help="add articles (.html .md .txt .epub .docx .pdf) or annotations "
        "(.json W3C, .qdpx and .qdc REFI-QDA) to the library",
    )
    import_command.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _add_db(import_command)
    import_command.add_argument(
        "--document",
        type=int,
        metavar="ID",
        help="W3C JSON: attach the annotations to this document",
    )
    import_command.add_argument(
        "--version-of",
        type=int,
        metavar="ID",
        help="the file is a new version of document ID: carry its annotations over",
    )
    import_command.add_argument(
        "--max-size",
        type=float,
        default=DEFAULT_SIZE_LIMIT_MB,
        metavar="MB",
        help=f"refuse files larger than this (default {DEFAULT_SIZE_LIMIT_MB:g} MB)",
    )


def _add_list_and_show_commands(
    commands: argparse._SubParsersAction[OneLineParser],
) -> None:
    list_command = commands.add_parser("list", help="list the documents in the library")
    _add_db(list_command)
    show_command = commands.add_parser("show", help="print a document's metadata and text")
    show_command.add_argument("document", type=int, metavar="ID")
    _add_db(show_command)
    show_command.add_argument(
        "--json", action="store_true", help="metadata and the exact text as one JSON object"
    )


def _add_export_command(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    export_command = commands.add_parser("export", help="export annotated notes")
    _add_db(export_command)
    export_command.add_argument("--format", choices=EXPORT_FORMATS, default="markdown")
    scope = export_command.add_mutually_exclusive_group()
    scope.add_argument("--document", type=int, metavar="ID", help="one article")
    scope.add_argument("--all", action="store_true", help="the whole library")
    export_command.add_argument(
        "--group-by-tag",
        action="store_true",
        help="markdown: list annotations under each tag instead of in reading order",
    )
    export_command.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="file to write, - for standard output, or a folder for one file per article",
    )


def _add_stats_command(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    stats_command = commands.add_parser(
        "stats", help="print tag counts, co-occurrence and change over time"
    )
    _add_db(stats_command)
    stats_command.add_argument(
        "--document", type=int, metavar="ID", help="one article (default: the whole library)"
    )
    stats_command.add_argument("--format", choices=("csv", "json"), default="csv")


def run_command(argv: list[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run one headless command; returns the process exit code.

    No traceback reaches the terminal: an error that is a bug is logged with its traceback
    and reported in one line that says where the log is.
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except UsageError as error:
        print(error, file=err)
        return 2
    try:
        return _run_parsed(args, out, err)
    except KeyboardInterrupt:
        print("desktop-app: interrupted; every change made so far is kept.", file=err)
        return 130
    except Exception as error:
        print(f"desktop-app: {_logged_bug(args.command, error)}", file=err)
        return 1


def _logged_bug(command: str, error: Exception) -> str:
    """Log an unexpected error with its traceback; the one line that tells the user so."""
    from desktop_app.diagnostics import log_bug_to_file

    where = log_bug_to_file(command, error)
    reason = " ".join(f"{type(error).__name__}: {error}".split())[:200]
    details = f"the details are in {where}" if where else "the log could not be written"
    return f"unexpected error in {command} ({reason}); {details}; please report it."


def _run_parsed(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from desktop_app.paths import default_database_path
    from desktop_app.storage.errors import LibraryError

    path: Path = (args.db or default_database_path()).expanduser()
    try:
        store = _open_store(path)
    except LibraryError as error:
        print(f"desktop-app: {_with_backup_hint(error)}", file=err)
        return 1
    from desktop_app.storage.database import database_errors_explained

    try:
        # Damage deeper in the file shows up only when a command reads that far.
        with database_errors_explained(path):
            return _run(store, args, out, err)
    except LibraryError as error:
        print(f"desktop-app: {_with_backup_hint(error)}", file=err)
        return 1
    finally:
        # A library is never deleted here, even one this command created: another process
        # may have stored work in it meanwhile.
        store.close()


def _run(store: LibraryStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "import":
        return _import(store, args, out, err)
    if args.command == "list":
        return _list(store, out)
    if args.command == "show":
        return _show(store, args.document, args.json, out)
    if args.command == "stats":
        return _stats(store, args.document, args.format, out)
    return _export(store, args, out, err)


def _open_store(path: Path) -> LibraryStore:
    from desktop_app.storage.database import database_errors_explained
    from desktop_app.storage.library_setup import prepare_library
    from desktop_app.storage.library_store import LibraryStore

    store = LibraryStore.open(path)
    try:
        with database_errors_explained(path):
            # The first read of the tables: damage shows up here.
            prepare_library(store, purge_deleted=False)
    except BaseException:
        store.close()
        raise
    return store


def _with_backup_hint(error: Exception) -> str:
    """The error's line, plus where the newest good backup is when the file is damaged.

    The command line never restores by itself (a script must not swap a library under its
    user); it says where the backup is, and the window offers to restore it.
    """
    from desktop_app.storage.backups import newest_good_backup
    from desktop_app.storage.errors import DamagedDatabaseError

    if not isinstance(error, DamagedDatabaseError):
        return str(error)
    backup = newest_good_backup(error.path)
    if backup is None:
        return f"{error} No good backup was found."
    return (
        f"{error} The newest good backup is {backup.path} ({backup.label()}); "
        "open the window to restore it, or copy it to a new file and use --db."
    )


def _import(store: LibraryStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from desktop_app.io.import_service import ImportService, Refused

    files: list[Path] = args.files
    version_of: int | None = args.version_of
    max_size_mb: float = args.max_size
    if args.document is not None:
        store.document(args.document)  # one line if it does not exist, before reading anything
    if not 0 < max_size_mb <= MAX_SIZE_LIMIT_MB:  # also refuses nan, whose comparisons fail
        print(
            f"desktop-app: --max-size must be a number of megabytes above 0 and at most "
            f"{MAX_SIZE_LIMIT_MB:,}",
            file=err,
        )
        return 2
    if version_of is not None:
        if len(files) != 1:
            print("desktop-app: --version-of takes exactly one FILE", file=err)
            return 2
        store.document(version_of)  # NotFoundError (one line) before reading anything
    service = ImportService(store, size_limit=max(1, int(max_size_mb * 1024 * 1024)))
    failures = 0
    for path in files:
        outcome = service.import_path(
            path,
            version_of=version_of,
            annotations_for=args.document,
            # Said as soon as it is stored: carrying onto it may still fail.
            on_stored=partial(_print_stored, path, out=out),
        )
        if isinstance(outcome, Refused):
            print(f"desktop-app: {outcome.message}", file=err)
            failures += 1
        else:
            _print_outcome(path, outcome, out)
    return 1 if failures else 0


def _print_stored(path: Path, stored: DocumentImported | DocumentFound, out: TextIO) -> None:
    """The line (and the reader's notes) of a document stored or found."""
    if stored.already_present:
        print(f"{path}: already in the library as document {stored.document_id}", file=out)
        return
    print(
        f"{path}: imported as document {stored.document_id} "
        f"({stored.title}, {stored.length:,} characters)",
        file=out,
    )
    for note in stored.notes:
        print(f"  note: {note}", file=out)


def _print_outcome(path: Path, outcome: ImportOutcome, out: TextIO) -> None:
    """What follows the document's line: versions carried or not, the version hint; or the
    summary and notes of an annotations file."""
    from desktop_app.io.import_service import (
        AnnotationsImported,
        DocumentFound,
        DocumentImported,
        VersionCarried,
    )

    if isinstance(outcome, AnnotationsImported):
        print(f"{path}: {outcome.summary}", file=out)
        for note in outcome.notes:
            print(f"  note: {note}", file=out)
    elif isinstance(outcome, VersionCarried):
        print(f"  version {outcome.version_number}: {outcome.carried.summary()}", file=out)
    elif isinstance(outcome, DocumentFound) and outcome.not_carried:
        print(f"  nothing was carried: {outcome.not_carried}", file=out)
    elif isinstance(outcome, DocumentImported) and outcome.version_hint is not None:
        hint = outcome.version_hint
        print(
            f"  this may be a new version of document {hint}; to carry its annotations "
            f"over, import it with --version-of {hint}",
            file=out,
        )


def _show(store: LibraryStore, document_id: int, as_json: bool, out: TextIO) -> int:
    document = store.document(document_id)
    fields = {
        "id": document.id,
        "title": document.title,
        "source": document.source,
        "format": document.format,
        "encoding": document.encoding,
        "author": document.author,
        "site": document.site,
        "published": document.published,
        "canonical_url": document.canonical_url,
        "imported_at": document.imported_at.isoformat().replace("+00:00", "Z"),
        "version": document.version_number,
        "annotations": len(store.annotations(document_id)),
        "import_notes": list(document.import_notes),
        "length": len(document.text),
    }
    if as_json:
        json.dump({**fields, "text": document.text}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    for key, value in fields.items():
        if value not in ("", [], None):
            shown = "; ".join(value) if isinstance(value, list) else value
            print(f"{key.replace('_', ' ')}: {shown}", file=out)
    print("---", file=out)
    out.write(document.text)  # exactly as stored: no newline added
    out.flush()
    return 0


def _list(store: LibraryStore, out: TextIO) -> int:
    documents = store.documents()
    if not documents:
        print(
            "The library is empty. Add articles with: desktop-app import FILE --db PATH", file=out
        )
        return 0
    print(f"{'ID':>4}  {'NOTES':>5}  {'CHARS':>9}  {'IMPORTED':<10}  TITLE", file=out)
    for d in documents:
        print(
            f"{d.id:>4}  {d.annotation_count:>5}  {d.length:>9,}  "
            f"{d.imported_at:%Y-%m-%d}  {d.title}",
            file=out,
        )
    return 0


def _export(store: LibraryStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from desktop_app.io.atomic_write import write_bytes_atomically
    from desktop_app.io.exports import FORMATS, ExportOptions, file_stem, render

    export_format = FORMATS[args.format]
    options = ExportOptions(grouping="tag" if args.group_by_tag else "reading")
    if args.document is not None:
        store.document(args.document)  # NotFoundError: one line, before writing anything
        ids: list[int] | None = [args.document]
    elif args.all or args.format == "qdc":
        ids = None
    else:
        documents = store.documents()
        if len(documents) != 1:
            print(
                f"desktop-app: the library has {len(documents)} documents: choose one with "
                "--document ID (desktop-app list shows them), or export them all with --all",
                file=err,
            )
            return 1
        ids = [documents[0].id]
    output = Path(args.output)
    if args.output != "-" and output.is_dir():
        if not export_format.per_document:
            print(f"desktop-app: {args.format} exports go to one file, not a folder", file=err)
            return 1
        targets: list[tuple[Path, list[int] | None]] = [
            (output / f"{file_stem(store.document(i).title)}-{i}{export_format.suffix}", [i])
            for i in (ids if ids is not None else [d.id for d in store.documents()])
        ]
    else:
        targets = [(output, ids)]
    for target, scope in targets:
        rendered = render(store, args.format, scope, options)
        for line in rendered.report:
            print(f"note: {line}", file=err)
        if args.output == "-":
            return _write_stdout(rendered.data, args.format, out, err)
        try:
            write_bytes_atomically(target, rendered.data)
        except OSError as error:
            print(f"desktop-app: cannot write {target}: {error.strerror or error}", file=err)
            return 1
    return 0


def _stats(store: LibraryStore, document_id: int | None, format_name: str, out: TextIO) -> int:
    """Print the analysis of one document, or of the latest version of every article."""
    from desktop_app.io.stats_export import stats_csv, stats_json
    from desktop_app.storage.library_analysis import analyse_store

    analysis = analyse_store(store, document_id)  # NotFoundError: one line
    out.write(stats_json(analysis) if format_name == "json" else stats_csv(analysis))
    out.flush()
    return 0


def _write_stdout(data: bytes, format_name: str, out: TextIO, err: TextIO) -> int:
    if format_name in ("qdpx",):
        buffer = getattr(out, "buffer", None)
        if buffer is None:
            print("desktop-app: a .qdpx project is binary: write it to a file with -o", file=err)
            return 1
        buffer.write(data)
        buffer.flush()
        return 0
    out.write(data.decode("utf-8"))
    out.flush()
    return 0
