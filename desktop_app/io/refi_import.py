"""Importing REFI-QDA 1.0 projects (`.qdpx`) and codebooks (`.qdc`) into the library.

Codes become tags (matched to existing tags by name, without case; a new tag from a nested code
is nested under the tag of its parent code, while tags the library has keep their place; new
tags are added in the order of our own export's tag-order Set when the file has one that lists
every code, else in the file's depth-first order),
TextSources become documents (or find the document with the same text), and PlainTextSelections
become annotations with their codes as tags and their Description (and any Notes they refer to)
as the note. Positions are Unicode code points, end exclusive, as in our own export, counted
from after a byte-order mark (see `refi_text`, which also says how a selection's name can
vouch for another way of counting, and what becomes of entities a file declares).

The archive comes from elsewhere, so it is read defensively: entry names that could escape a
folder refuse the file, the uncompressed size is capped, the parser loads no DTD and resolves
no entity (`refi_text` puts in only the plain-text ones the file declares itself), and only
`internal://` texts inside the archive are read (never a path on disk). Everything is read and
checked before the first write, and the writes are one `store.transaction()`: the whole file
or nothing. A time that cannot be used is left out, and the report says how many.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from lxml import etree

from desktop_app.core.anchors import anchor_for
from desktop_app.core.codebook import (
    MAX_TAG_NAME,
    ColourPicker,
    TagSpec,
    load_default_codebook,
)
from desktop_app.core.records import AnnotationRecord
from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.archive_members import ArchiveRefused, member_bytes
from desktop_app.io.imported_values import TimeReader, count, names_summary
from desktop_app.io.refi_export import (
    CODEBOOK_NS,
    INTERNAL_SCHEME,
    ORDER_SET_GUID,
    PROJECT_FILE,
    PROJECT_NS,
)
from desktop_app.io.refi_text import ElementText, best_rule, position_rules
from desktop_app.resources import resource_path
from desktop_app.storage.annotation_queries import NewAnnotation

if TYPE_CHECKING:
    from desktop_app.storage.library_store import LibraryStore

DEFAULT_SIZE_LIMIT = 200 * 1024 * 1024
MAX_ENTRIES = 100_000
# Recorded as the imported annotations' anchor method.
IMPORT_METHOD = "refi_import"
UNNAMED_CODE = "Unnamed code"
# How much of a title a note shows.
_TITLE_PREVIEW = 60
_NON_TEXT_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")


class RefiImportError(Exception):
    """A file that cannot be imported, with a one-line reason the user can act on."""


@dataclass(frozen=True, slots=True)
class RefiImportReport:
    """What an import added, found already there, and had to skip."""

    tags_added: int = 0
    tags_matched: int = 0
    documents_added: int = 0
    documents_matched: int = 0
    annotations_added: int = 0
    annotations_present: int = 0
    selections_out_of_range: int = 0
    selections_skipped: int = 0
    sources_skipped: int = 0
    notes: tuple[str, ...] = ()
    tag_names_added: tuple[str, ...] = ()
    # The library's ids: of the documents added, and of every document a source went to
    # (added or found), whose annotations the import may have changed.
    document_ids_added: tuple[int, ...] = ()
    document_ids: tuple[int, ...] = ()

    def summary(self) -> str:
        """One line: "2 documents, 14 annotations and 3 tags imported; 1 selection skipped"."""
        added = (
            f"{count(self.documents_added, 'document')}, "
            f"{count(self.annotations_added, 'annotation')} and "
            f"{count(self.tags_added, 'tag')} imported"
        )
        skipped = self.selections_out_of_range + self.selections_skipped
        return added + (f"; {count(skipped, 'selection')} skipped" if skipped else "")

    def codebook_summary(self) -> str:
        """One line for a codebook: "3,000 tags added: trade, security, coalition and 2,997
        more" (a long list would make a line of many kilobytes)."""
        added = f"{count(self.tags_added, 'tag')} added"
        if self.tag_names_added:
            added += ": " + names_summary(self.tag_names_added)
        if self.tags_matched:
            added += f"; {self.tags_matched:,} already in the library"
        return added


# ---- reading the archive ---------------------------------------------------------------------


def import_qdpx(
    store: LibraryStore, path_or_bytes: Path | str | bytes, *, size_limit: int = DEFAULT_SIZE_LIMIT
) -> RefiImportReport:
    """Import a `.qdpx` project; RefiImportError (and nothing written) if it cannot be read."""
    with _open_archive(path_or_bytes) as archive:
        members = _checked_members(archive, size_limit)
        project_name = _project_member(members)
        data = _read(archive, members[project_name])
        root = _parse_xml(data, project_name)
        if etree.QName(root).localname != "Project":
            raise RefiImportError(f"{project_name} does not hold a REFI-QDA project.")
        plan = _plan_project(root, _ArchiveTexts(archive, members), len(data))
    label = "REFI-QDA project"
    if not isinstance(path_or_bytes, bytes):
        label = f"{label} {Path(path_or_bytes).name}"
    return _write(store, plan, label)


def import_qdc(store: LibraryStore, data: bytes | Path) -> RefiImportReport:
    """Add the codes of a `.qdc` codebook that the library lacks (`tags_added` says how many)."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    root = _parse_xml(raw, "The codebook")
    if etree.QName(root).localname != "CodeBook":
        raise RefiImportError("The file does not hold a REFI-QDA codebook.")
    ns = etree.QName(root).namespace or CODEBOOK_NS
    codes = _Parsed(ns=ns, text=ElementText(root, len(raw)))
    _collect_codes(root, codes)
    ordered = _in_panel_order(codes.codes, root.find(codes.q("Sets")), codes, "guid")
    return _write(store, _Plan(codes=ordered, notes=codes.notes()), "")


def _open_archive(path_or_bytes: Path | str | bytes) -> zipfile.ZipFile:
    try:
        if isinstance(path_or_bytes, bytes):
            return zipfile.ZipFile(io.BytesIO(path_or_bytes))
        return zipfile.ZipFile(Path(path_or_bytes))
    except zipfile.BadZipFile:
        raise RefiImportError(
            "The file is not a REFI-QDA project (.qdpx): not a ZIP archive."
        ) from None
    except OSError as exc:
        raise RefiImportError(f"Cannot read the project: {exc.strerror or exc}.") from None


def _checked_members(archive: zipfile.ZipFile, size_limit: int) -> dict[str, zipfile.ZipInfo]:
    """The archive's entries by name, after refusing unsafe names and oversized content."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise RefiImportError(f"The archive has more than {MAX_ENTRIES} entries.")
    total = 0
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            raise RefiImportError(f"The archive has an unsafe entry name ({name!r}); not imported.")
        total += info.file_size
        members[name] = info
    if total > size_limit:
        raise RefiImportError(
            f"The project unpacks to {total // 1_000_000} MB, more than the "
            f"{size_limit // 1_000_000} MB an import may take."
        )
    return members


def _project_member(members: dict[str, zipfile.ZipInfo]) -> str:
    """`project.qde` at the root, or else the archive's only `.qde` file at its root."""
    if PROJECT_FILE in members:
        return PROJECT_FILE
    candidates = [n for n in members if "/" not in n and n.lower().endswith(".qde")]
    if len(candidates) == 1:
        return candidates[0]
    raise RefiImportError("The archive has no project.qde: it is not a REFI-QDA project.")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """An entry's bytes, unpacked as a stream that is refused once it outgrows its declared size.

    `zipfile` itself would unpack a lying bzip2 or deflate entry to gigabytes before checking;
    `_checked_members` capped the declared sizes, so this caps what is really unpacked.
    """
    try:
        return member_bytes(archive, info)
    except ArchiveRefused as refused:
        message = str(refused)
        raise RefiImportError(f"{message[:1].upper()}{message[1:]}.") from None


def _parse_xml(data: bytes, label: str) -> etree._Element:
    """Parse without DTDs, entity expansion or network access."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or exc.position[0]
        raise RefiImportError(f"{label} is not well-formed XML (line {line}).") from None


class _ArchiveTexts:
    """Texts of the archive's `sources/` folder, decoded once each."""

    def __init__(self, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> None:
        self._archive = archive
        self._members = members
        self._folded = {name.lower(): name for name in members}
        self.not_utf8: set[str] = set()  # paths whose file was there but is not UTF-8

    def text(self, path: str | None) -> str | None:
        """The text of an `internal://NAME` path, or None (external, missing or not UTF-8)."""
        if not path or not path.startswith(INTERNAL_SCHEME):
            return None
        name = path[len(INTERNAL_SCHEME) :]
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            return None
        member = f"sources/{name}"
        member = member if member in self._members else self._folded.get(member.lower(), "")
        if not member:
            return None
        try:
            # A byte-order mark is kept: positions are read after it, as in inline text.
            return _read(self._archive, self._members[member]).decode("utf-8")
        except UnicodeDecodeError:
            self.not_utf8.add(path)
            return None


# ---- planning: everything read and checked before anything is written ------------------------


@dataclass(frozen=True, slots=True)
class _Code:
    guid: str
    name: str
    colour: str | None
    description: str
    parent: str = ""  # the GUID of the Code this one is nested in ("" at the top)


@dataclass(frozen=True, slots=True)
class _Selection:
    guid: str
    start: int
    end: int
    codes: tuple[str, ...]
    note: str
    created: datetime
    modified: datetime


@dataclass(frozen=True, slots=True)
class _Source:
    title: str
    text: str
    selections: tuple[_Selection, ...]


@dataclass(slots=True)
class _Parsed:
    """What the XML holds, with counts of what cannot be imported."""

    ns: str
    text: ElementText
    times: TimeReader = field(default_factory=lambda: TimeReader(zoneless_is_utc=True))
    codes: list[_Code] = field(default_factory=list)
    sources: list[_Source] = field(default_factory=list)
    out_of_range: int = 0
    skipped_selections: int = 0
    skipped_sources: int = 0
    unknown_codings: int = 0
    whole_source_codings: int = 0
    ignored_sections: list[str] = field(default_factory=list)
    # (title, why its text could not be read) of TextSources skipped.
    unread_texts: list[tuple[str, str]] = field(default_factory=list)
    unread_text_selections: int = 0  # the selections of those TextSources
    other_sources: int = 0  # PDF, picture, audio and video sources
    # Sources whose positions count another way, as their selections' names show.
    read_otherwise: list[str] = field(default_factory=list)

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    def notes(self) -> tuple[str, ...]:
        """What the report says was skipped or read differently, one short line each."""
        lines = []
        if self.unread_texts:
            described = [f"“{title}” ({why})" for title, why in self.unread_texts]
            lines.append(
                f"{count(len(described), 'text source')} skipped, "
                f"with {count(self.unread_text_selections, 'selection')}: "
                f"{names_summary(described)}."
            )
        other_selections = self.skipped_selections - self.unread_text_selections
        if self.other_sources:
            lines.append(
                f"{count(self.other_sources, 'PDF, picture, audio or video source')} skipped, "
                f"with {count(other_selections, 'selection')}."
            )
        if self.out_of_range:
            lines.append(
                f"{count(self.out_of_range, 'selection')} outside "
                "(or empty within) the text of their source skipped."
            )
        if self.read_otherwise:
            shown = names_summary(self.read_otherwise)
            lines.append(f"Positions read as their selections' names show: {shown}.")
        if self.text.left_out:
            lines.append(f"Left out: {names_summary(self.text.left_out)}.")
        if self.unknown_codings:
            lines.append(f"{count(self.unknown_codings, 'coding')} naming no known code ignored.")
        if self.whole_source_codings:
            lines.append(
                f"{count(self.whole_source_codings, 'coding')} of whole sources "
                "(not of a passage) not imported."
            )
        if self.ignored_sections:
            lines.append(f"Not imported: {', '.join(self.ignored_sections)}.")
        time_note = self.times.note()
        if time_note:
            lines.append(time_note)
        return tuple(lines)


@dataclass(frozen=True, slots=True)
class _Plan:
    codes: Sequence[_Code]
    sources: Sequence[_Source] = ()
    out_of_range: int = 0
    skipped_selections: int = 0
    skipped_sources: int = 0
    notes: tuple[str, ...] = ()


def _plan_project(root: etree._Element, texts: _ArchiveTexts, size: int) -> _Plan:
    """Everything the project will add, read from its XML (of `size` bytes) and texts."""
    parsed = _Parsed(ns=etree.QName(root).namespace or PROJECT_NS, text=ElementText(root, size))
    codebook = root.find(parsed.q("CodeBook"))
    if codebook is not None:
        _collect_codes(codebook, parsed)
    known = {c.guid for c in parsed.codes}
    notes = _project_notes(root, parsed, texts)
    sources = root.find(parsed.q("Sources"))
    for element in sources if sources is not None else ():
        local = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if local == "TextSource":
            _plan_text_source(element, parsed, texts, known, notes)
        elif local in _NON_TEXT_SOURCES:
            parsed.skipped_sources += 1
            parsed.other_sources += 1
            parsed.skipped_selections += sum(
                1
                for e in element.iter()
                if isinstance(e.tag, str) and etree.QName(e).localname.endswith("Selection")
            )
    for section, label in (
        ("Cases", "cases"),
        ("Variables", "variables"),
        ("Sets", "sets"),
        ("Links", "links"),
        ("Graphs", "graphs"),
    ):
        element = root.find(parsed.q(section))
        if element is not None and not (section == "Sets" and _only_the_order_set(element)):
            parsed.ignored_sections.append(label)
    codes = _in_panel_order(parsed.codes, root.find(parsed.q("Sets")), parsed, "targetGUID")
    return _Plan(
        codes=codes,
        sources=parsed.sources,
        out_of_range=parsed.out_of_range,
        skipped_selections=parsed.skipped_selections,
        skipped_sources=parsed.skipped_sources,
        notes=parsed.notes(),
    )


def _collect_codes(parent: etree._Element, parsed: _Parsed, parent_guid: str = "") -> None:
    """Every Code under `parent` (its `Codes`, then nested Codes), depth first, in file order,
    each with the GUID of the nearest Code around it that has one (a parent comes first)."""
    codes = parent.find(parsed.q("Codes"))
    children = parent.findall(parsed.q("Code")) + (
        codes.findall(parsed.q("Code")) if codes is not None else []
    )
    for code in children:
        guid = _norm_guid(code.get("guid"))
        if guid:
            name = _tag_name(code.get("name", ""))
            description = _child_text(code, parsed, f"the description of code “{name}”")
            parsed.codes.append(
                _Code(
                    guid=guid,
                    name=name,
                    colour=_colour(code.get("color")),
                    description=description,
                    parent=parent_guid,
                )
            )
        _collect_codes(code, parsed, guid or parent_guid)


def _in_panel_order(
    codes: list[_Code], sets: etree._Element | None, parsed: _Parsed, member_attribute: str
) -> list[_Code]:
    """`codes` in the order of our export's tag-order Set, when it lists each of them once.

    A Set another tool has left stale (a code added, removed or listed twice) says nothing
    reliable about the new codebook: then the file's depth-first order stands.
    """
    order_set = None
    for candidate in sets.findall(parsed.q("Set")) if sets is not None else ():
        if _norm_guid(candidate.get("guid")) == ORDER_SET_GUID:
            order_set = candidate
            break
    if order_set is None:
        return codes
    members = [
        _norm_guid(member.get(member_attribute))
        for member in order_set.findall(parsed.q("MemberCode"))
    ]
    rank = {guid: index for index, guid in enumerate(members)}
    if len(rank) != len(members) or set(rank) != {code.guid for code in codes}:
        return codes
    if len(codes) != len(rank):
        return codes  # two codes with one GUID: no order can name them apart
    return sorted(codes, key=lambda code: rank[code.guid])


def _only_the_order_set(sets: etree._Element) -> bool:
    """True when `Sets` holds nothing but our tag-order Set (which the import uses)."""
    found = [s for s in sets if isinstance(s.tag, str)]
    return len(found) == 1 and _norm_guid(found[0].get("guid")) == ORDER_SET_GUID


def _project_notes(root: etree._Element, parsed: _Parsed, texts: _ArchiveTexts) -> dict[str, str]:
    """The project's Notes by GUID (what a selection's NoteRef points at), as plain text."""
    notes: dict[str, str] = {}
    section = root.find(parsed.q("Notes"))
    for note in section.findall(parsed.q("Note")) if section is not None else ():
        text = _source_text(note, parsed, texts, f"note “{_preview(note.get('name') or '')}”")
        if text and text.strip():
            notes[_norm_guid(note.get("guid"))] = normalise_text(text).strip()
    return notes


def _plan_text_source(
    element: etree._Element,
    parsed: _Parsed,
    texts: _ArchiveTexts,
    known_codes: set[str],
    notes: dict[str, str],
) -> None:
    selections = element.findall(parsed.q("PlainTextSelection"))
    title = " ".join((element.get("name") or "").split()) or "Untitled"
    shown = _preview(title)
    raw = _source_text(element, parsed, texts, f"the text of “{shown}”")
    if raw is None or not normalise_text(raw):
        parsed.skipped_sources += 1
        parsed.skipped_selections += len(selections)
        parsed.unread_text_selections += len(selections)
        parsed.unread_texts.append((shown, _why_unread(element, raw, texts)))
        return
    parsed.whole_source_codings += len(element.findall(parsed.q("Coding")))
    text, rules = position_rules(raw)
    read: list[tuple[etree._Element, int, int, str]] = []
    for selection in selections:
        try:
            start = int(selection.get("startPosition", ""))
            end = int(selection.get("endPosition", ""))
        except ValueError:
            parsed.out_of_range += 1
            continue
        where = f"a selection's description in “{shown}”"
        read.append((selection, start, end, _child_text(selection, parsed, where)))
    rule = best_rule(text, rules, [(s, e, (x.get("name") or "", d)) for x, s, e, d in read])
    if rule.said:
        parsed.read_otherwise.append(f"“{shown}” ({rule.said})")
    position = rule.map
    planned = []
    for selection, start, end, description in read:
        if not 0 <= start < end <= position.length or position(start) >= position(end):
            parsed.out_of_range += 1
            continue
        created = parsed.times.read(selection.get("creationDateTime")) or datetime.now(UTC)
        modified = parsed.times.read(selection.get("modifiedDateTime")) or created
        planned.append(
            _Selection(
                guid=_norm_guid(selection.get("guid")) or str(uuid.uuid4()),
                start=position(start),
                end=position(end),
                codes=_selection_codes(selection, parsed, known_codes),
                note=_selection_note(selection, description, parsed, notes),
                created=created,
                modified=modified,
            )
        )
    parsed.sources.append(_Source(title=title, text=text, selections=tuple(planned)))


def _source_text(
    element: etree._Element, parsed: _Parsed, texts: _ArchiveTexts, where: str
) -> str | None:
    """A TextSource's (or Note's) plain text: inline PlainTextContent, else its internal file."""
    content = element.find(parsed.q("PlainTextContent"))
    if content is not None:
        return parsed.text.of(content, where)
    return texts.text(element.get("plainTextPath"))


def _why_unread(element: etree._Element, raw: str | None, texts: _ArchiveTexts) -> str:
    """Why a TextSource has no text to import, in a few words for the report."""
    path = element.get("plainTextPath")
    if raw is not None:
        return "its text is empty"
    if not path:
        return "it gives no plain text"
    shown = _preview(path)
    if path in texts.not_utf8:
        return f"{shown} is not UTF-8 text"
    if path.startswith(INTERNAL_SCHEME):
        return f"{shown} is not in the archive"
    return f"{shown} is outside the archive, which an import never reads"


def _selection_codes(
    selection: etree._Element, parsed: _Parsed, known_codes: set[str]
) -> tuple[str, ...]:
    codes: list[str] = []
    for coding in selection.findall(parsed.q("Coding")):
        ref = coding.find(parsed.q("CodeRef"))
        target = _norm_guid(ref.get("targetGUID") if ref is not None else None)
        if target in known_codes:
            if target not in codes:
                codes.append(target)
        else:
            parsed.unknown_codings += 1
    return tuple(codes)


def _selection_note(
    selection: etree._Element, description: str, parsed: _Parsed, notes: dict[str, str]
) -> str:
    """The Description, then the text of each Note the selection refers to, a blank line apart."""
    parts = [description]
    for ref in selection.findall(parsed.q("NoteRef")):
        parts.append(notes.get(_norm_guid(ref.get("targetGUID")), ""))
    return "\n\n".join(part for part in parts if part.strip())


# ---- writing -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _SourceCounts:
    documents_added: int = 0
    documents_matched: int = 0
    annotations_added: int = 0
    annotations_present: int = 0
    added_ids: list[int] = field(default_factory=list)
    touched_ids: list[int] = field(default_factory=list)


def _write(store: LibraryStore, plan: _Plan, source_label: str) -> RefiImportReport:
    """Store the plan in one transaction: every tag, document and annotation, or none.

    What the library has (tags by name, documents by text, annotation GUIDs) is read inside
    it too, so no other window or process can change it between those reads and the writes.
    """
    with store.transaction():
        tag_of, tags_added, tags_matched = _write_tags(store, plan.codes)
        counts = _write_sources(store, plan.sources, tag_of, source_label)
    return RefiImportReport(
        tags_added=len(tags_added),
        tags_matched=tags_matched,
        documents_added=counts.documents_added,
        documents_matched=counts.documents_matched,
        annotations_added=counts.annotations_added,
        annotations_present=counts.annotations_present,
        selections_out_of_range=plan.out_of_range,
        selections_skipped=plan.skipped_selections,
        sources_skipped=plan.skipped_sources,
        notes=plan.notes,
        tag_names_added=tuple(tags_added),
        document_ids_added=tuple(counts.added_ids),
        document_ids=tuple(dict.fromkeys(counts.touched_ids)),
    )


def _write_tags(
    store: LibraryStore, codes: Sequence[_Code]
) -> tuple[dict[str, int], list[str], int]:
    """Map each code GUID to a tag id, adding the tags the library lacks; the names added, and
    how many of the library's tags were matched.

    New tags are added in the order of `codes`, all at once, then nested under the tags their
    parent codes map to (in panel order a child may come before its parent); the library's own
    tags are matched as they are, never moved. Two statements for the whole codebook, so ten
    thousand codes take as long as reading them.
    """
    library_tags = store.tags()
    existing = {tag.name.casefold(): tag.id for tag in library_tags}
    palette = load_default_codebook(resource_path("codebook.json")).palette
    colours = ColourPicker(palette, [tag.colour for tag in library_tags])
    new_specs: dict[str, TagSpec] = {}  # by folded name, in the order the codes come
    for code in codes:
        key = code.name.casefold()
        if key not in existing and key not in new_specs:
            colour = code.colour or colours.next()
            colours.take(colour)
            new_specs[key] = TagSpec(code.name, colour, code.description)
    added_tags = store.add_tags(list(new_specs.values()))
    added_ids = {tag.id for tag in added_tags}
    existing.update(zip(new_specs, (tag.id for tag in added_tags), strict=True))
    tag_of = {code.guid: existing[code.name.casefold()] for code in codes}
    matched = {tag_of[code.guid] for code in codes} - added_ids
    nesting: dict[int, int] = {}
    for code in codes:
        tag_id = tag_of[code.guid]
        parent_id = tag_of.get(code.parent) if code.parent else None
        if tag_id in added_ids and parent_id is not None and parent_id != tag_id:
            nesting.setdefault(tag_id, parent_id)  # the first code of a merged name decides
    if nesting:
        store.nest_tags(list(nesting.items()))
    return tag_of, [tag.name for tag in added_tags], len(matched)


def _write_sources(
    store: LibraryStore,
    sources: Sequence[_Source],
    tag_of: dict[str, int],
    source_label: str,
) -> _SourceCounts:
    """Add or find each source's document, then add all new annotations at once."""
    counts = _SourceCounts()
    owners = store.annotation_owners(s.guid for source in sources for s in source.selections)
    used_guids: set[str] = set()
    items: list[NewAnnotation] = []
    for source in sources:
        document_id = store.find_document_with_text(source.text)
        if document_id is None:
            document_id = store.add_document(source.title, source_label, source.text).id
            counts.documents_added += 1
            counts.added_ids.append(document_id)
            have: list[AnnotationRecord] = []
        else:
            counts.documents_matched += 1
            have = store.annotations(document_id)
        counts.touched_ids.append(document_id)
        new, already = _new_annotations(document_id, source, tag_of, have, owners, used_guids)
        items.extend(new)
        counts.annotations_present += already
    counts.annotations_added = len(store.add_annotations(items))
    return counts


def _new_annotations(
    document_id: int,
    source: _Source,
    tag_of: dict[str, int],
    have: Sequence[AnnotationRecord],
    owners: dict[str, int],
    used_guids: set[str],
) -> tuple[list[NewAnnotation], int]:
    """The source's selections that the document does not hold yet, and how many it holds.

    A selection is already there when the document has an annotation with its GUID (our own
    export, or an earlier import of the file) or with the same span, tags and note. A GUID that
    another document's annotation (or an earlier selection of the file) uses gets a fresh one.
    """
    seen_content = {(a.start, a.end, frozenset(a.tag_ids), a.note) for a in have}
    items: list[NewAnnotation] = []
    already = 0
    for selection in source.selections:
        tag_ids = tuple(dict.fromkeys(tag_of[c] for c in selection.codes))
        content = (selection.start, selection.end, frozenset(tag_ids), selection.note)
        if owners.get(selection.guid) == document_id or content in seen_content:
            already += 1
            continue
        seen_content.add(content)
        guid = selection.guid
        if guid in owners or guid in used_guids:
            guid = str(uuid.uuid4())
        used_guids.add(guid)
        items.append(
            NewAnnotation(
                document_id=document_id,
                uuid=guid,
                anchor=anchor_for(source.text, selection.start, selection.end),
                tag_ids=tag_ids,
                note=selection.note,
                created=selection.created,
                updated=max(selection.created, selection.modified),
                anchor_method=IMPORT_METHOD,
            )
        )
    return items, already


# ---- small helpers ---------------------------------------------------------------------------


def _norm_guid(value: str | None) -> str:
    """A GUID as 36 lower-case characters without braces, or "" if it is not one."""
    try:
        return str(uuid.UUID((value or "").strip().strip("{}")))
    except ValueError:
        return ""


def _tag_name(name: str) -> str:
    """A code name the codebook accepts: one line, no control characters, at most 64 long."""
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    return cleaned[:MAX_TAG_NAME].rstrip() or UNNAMED_CODE


def _colour(value: str | None) -> str | None:
    """`#RRGGBB` or `#RGB` as lower-case `#rrggbb`, else None."""
    digits = (value or "").strip().removeprefix("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    if len(digits) != 6 or any(d not in "0123456789abcdefABCDEF" for d in digits):
        return None
    return "#" + digits.lower()


def _child_text(element: etree._Element, parsed: _Parsed, where: str) -> str:
    """The whole text of the element's Description ("" without one)."""
    child = element.find(parsed.q("Description"))
    # XML parsing has already turned literal CRLF into LF; a "&#13;" is kept, as it was meant.
    return "" if child is None else parsed.text.of(child, where)


def _preview(value: str) -> str:
    """A title or path on one short line, for a note."""
    flat = " ".join(value.split())
    return flat if len(flat) <= _TITLE_PREVIEW else flat[: _TITLE_PREVIEW - 1] + "…"
