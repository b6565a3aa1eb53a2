"""Importing REFI-QDA 1.0 projects (`.qdpx`) and codebooks (`.qdc`) into the library.

Codes become tags (matched to existing tags by name, without case; a new tag from a nested code
is nested under the tag of its parent code, while tags the library has keep their place; new
tags are added in the order of our own export's tag-order Set when the file has one that lists
every code, else in the file's depth-first order),
TextSources become documents (or find the document with the same text), and PlainTextSelections
become annotations with their codes as tags and their Description (and any Notes they refer to)
as the note. Positions are Unicode code points, end exclusive, as in our own export.

The archive comes from elsewhere, so it is read defensively: entry names that could escape a
folder refuse the file, the uncompressed size is capped, XML entities and DTDs are not resolved,
and only `internal://` texts inside the archive are read (never a path on disk). Everything is
read and checked before the first write; if a write then fails, what was written is taken back.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from bisect import bisect_left
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from lxml import etree

from desktop_app.core.anchors import anchor_for
from desktop_app.core.codebook import (
    MAX_TAG_NAME,
    CodebookError,
    TagSpec,
    load_default_codebook,
    next_colour,
)
from desktop_app.core.records import AnnotationRecord
from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.archive_members import ArchiveRefused, member_bytes
from desktop_app.io.refi_export import (
    CODEBOOK_NS,
    INTERNAL_SCHEME,
    ORDER_SET_GUID,
    PROJECT_FILE,
    PROJECT_NS,
)
from desktop_app.resources import resource_path
from desktop_app.storage.annotation_queries import NewAnnotation

if TYPE_CHECKING:
    from desktop_app.storage.library_store import LibraryStore

DEFAULT_SIZE_LIMIT = 200 * 1024 * 1024
MAX_ENTRIES = 100_000
# Recorded as the imported annotations' anchor method.
IMPORT_METHOD = "refi_import"
UNNAMED_CODE = "Unnamed code"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
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

    def summary(self) -> str:
        """One line: "2 documents, 14 annotations and 3 tags imported; 1 selection skipped"."""
        added = (
            f"{_count(self.documents_added, 'document')}, "
            f"{_count(self.annotations_added, 'annotation')} and "
            f"{_count(self.tags_added, 'tag')} imported"
        )
        skipped = self.selections_out_of_range + self.selections_skipped
        return added + (f"; {_count(skipped, 'selection')} skipped" if skipped else "")


# ---- reading the archive ---------------------------------------------------------------------


def import_qdpx(
    store: LibraryStore, path_or_bytes: Path | str | bytes, *, size_limit: int = DEFAULT_SIZE_LIMIT
) -> RefiImportReport:
    """Import a `.qdpx` project; RefiImportError (and nothing written) if it cannot be read."""
    with _open_archive(path_or_bytes) as archive:
        members = _checked_members(archive, size_limit)
        project_name = _project_member(members)
        root = _parse_xml(_read(archive, members[project_name]), project_name)
        if etree.QName(root).localname != "Project":
            raise RefiImportError(f"{project_name} does not hold a REFI-QDA project.")
        plan = _plan_project(root, _ArchiveTexts(archive, members))
    label = "REFI-QDA project"
    if not isinstance(path_or_bytes, bytes):
        label = f"{label} {Path(path_or_bytes).name}"
    return _write(store, plan, label)


def import_qdc(store: LibraryStore, data: bytes | Path) -> int:
    """Add the codes of a `.qdc` codebook that the library lacks; returns how many were added."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    root = _parse_xml(raw, "The codebook")
    if etree.QName(root).localname != "CodeBook":
        raise RefiImportError("The file does not hold a REFI-QDA codebook.")
    ns = etree.QName(root).namespace or CODEBOOK_NS
    codes = _Parsed(ns=ns)
    _collect_codes(root, codes)
    ordered = _in_panel_order(codes.codes, root.find(codes.q("Sets")), codes, "guid")
    return _write(store, _Plan(codes=ordered, notes=codes.notes()), "").tags_added


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
            return _read(self._archive, self._members[member]).decode("utf-8-sig")
        except UnicodeDecodeError:
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
    codes: list[_Code] = field(default_factory=list)
    sources: list[_Source] = field(default_factory=list)
    out_of_range: int = 0
    skipped_selections: int = 0
    skipped_sources: int = 0
    unknown_codings: int = 0
    whole_source_codings: int = 0
    ignored_sections: list[str] = field(default_factory=list)

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    def notes(self) -> tuple[str, ...]:
        lines = []
        if self.skipped_sources:
            lines.append(
                f"{_count(self.skipped_sources, 'source')} without a readable plain text "
                "(PDF, picture, audio, video, or a file outside the archive) skipped."
            )
        if self.out_of_range:
            lines.append(
                f"{_count(self.out_of_range, 'selection')} outside "
                "(or empty within) the text of their source skipped."
            )
        if self.skipped_selections:
            lines.append(
                f"{_count(self.skipped_selections, 'selection')} of other kinds "
                "(PDF, picture, audio, video, transcript) skipped."
            )
        if self.unknown_codings:
            lines.append(f"{_count(self.unknown_codings, 'coding')} naming no known code ignored.")
        if self.whole_source_codings:
            lines.append(
                f"{_count(self.whole_source_codings, 'coding')} of whole sources "
                "(not of a passage) not imported."
            )
        if self.ignored_sections:
            lines.append(f"Not imported: {', '.join(self.ignored_sections)}.")
        return tuple(lines)


@dataclass(frozen=True, slots=True)
class _Plan:
    codes: Sequence[_Code]
    sources: Sequence[_Source] = ()
    out_of_range: int = 0
    skipped_selections: int = 0
    skipped_sources: int = 0
    notes: tuple[str, ...] = ()


def _plan_project(root: etree._Element, texts: _ArchiveTexts) -> _Plan:
    parsed = _Parsed(ns=etree.QName(root).namespace or PROJECT_NS)
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
            parsed.codes.append(
                _Code(
                    guid=guid,
                    name=_tag_name(code.get("name", "")),
                    colour=_colour(code.get("color")),
                    description=_child_text(code, parsed.q("Description")),
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
        text = _source_text(note, parsed, texts)
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
    raw = _source_text(element, parsed, texts)
    if raw is None or not normalise_text(raw):
        parsed.skipped_sources += 1
        parsed.skipped_selections += len(selections)
        return
    parsed.whole_source_codings += len(element.findall(parsed.q("Coding")))
    text, position = _normalised_with_offsets(raw)
    planned = []
    for selection in selections:
        try:
            start = int(selection.get("startPosition", ""))
            end = int(selection.get("endPosition", ""))
        except ValueError:
            parsed.out_of_range += 1
            continue
        if not 0 <= start < end <= len(raw) or position(start) >= position(end):
            parsed.out_of_range += 1
            continue
        planned.append(
            _Selection(
                guid=_norm_guid(selection.get("guid")) or str(uuid.uuid4()),
                start=position(start),
                end=position(end),
                codes=_selection_codes(selection, parsed, known_codes),
                note=_selection_note(selection, parsed, notes),
                created=_datetime(selection.get("creationDateTime")),
                modified=_datetime(selection.get("modifiedDateTime"), fallback=_EPOCH),
            )
        )
    title = " ".join((element.get("name") or "").split()) or "Untitled"
    parsed.sources.append(_Source(title=title, text=text, selections=tuple(planned)))


def _source_text(element: etree._Element, parsed: _Parsed, texts: _ArchiveTexts) -> str | None:
    """A TextSource's (or Note's) plain text: inline PlainTextContent, else its internal file."""
    content = element.find(parsed.q("PlainTextContent"))
    if content is not None:
        return content.text or ""
    return texts.text(element.get("plainTextPath"))


def _normalised_with_offsets(raw: str) -> tuple[str, _OffsetMap]:
    """The text as the library stores it, and a map from positions in `raw` to positions in it.

    Normalising drops a leading byte-order mark and turns CRLF into LF; positions in the file
    count those characters, so each is shifted by the number of dropped characters before it.
    """
    text = normalise_text(raw)
    lead = len(raw) - len(raw.lstrip("\ufeff\ufffe"))
    dropped = list(range(lead))
    index = raw.find("\r\n", lead)
    while index != -1:
        dropped.append(index)
        index = raw.find("\r\n", index + 2)
    return text, _OffsetMap(dropped)


class _OffsetMap:
    """Maps a position in a raw text to the normalised text, given the dropped positions."""

    def __init__(self, dropped: list[int]) -> None:
        self._dropped = dropped

    def __call__(self, position: int) -> int:
        return position - bisect_left(self._dropped, position)


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


def _selection_note(selection: etree._Element, parsed: _Parsed, notes: dict[str, str]) -> str:
    """The Description, then the text of each Note the selection refers to, a blank line apart."""
    parts = [_child_text(selection, parsed.q("Description"))]
    for ref in selection.findall(parsed.q("NoteRef")):
        parts.append(notes.get(_norm_guid(ref.get("targetGUID")), ""))
    return "\n\n".join(part for part in parts if part.strip())


# ---- writing -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Written:
    """What an import has written so far, to take back if a later write fails."""

    tags: list[int] = field(default_factory=list)
    documents: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _SourceCounts:
    documents_added: int = 0
    documents_matched: int = 0
    annotations_added: int = 0
    annotations_present: int = 0


def _write(store: LibraryStore, plan: _Plan, source_label: str) -> RefiImportReport:
    """Store the plan: each new tag and document (one transaction each), then every annotation
    in one transaction, so annotations are all added or none."""
    written = _Written()
    try:
        tag_of, tags_added, tags_matched = _write_tags(store, plan.codes, written)
        counts = _write_sources(store, plan.sources, tag_of, written, source_label)
    except BaseException:
        _take_back(store, written)
        raise
    return RefiImportReport(
        tags_added=tags_added,
        tags_matched=tags_matched,
        documents_added=counts.documents_added,
        documents_matched=counts.documents_matched,
        annotations_added=counts.annotations_added,
        annotations_present=counts.annotations_present,
        selections_out_of_range=plan.out_of_range,
        selections_skipped=plan.skipped_selections,
        sources_skipped=plan.skipped_sources,
        notes=plan.notes,
    )


def _write_tags(
    store: LibraryStore, codes: Sequence[_Code], written: _Written
) -> tuple[dict[str, int], int, int]:
    """Map each code GUID to a tag id, adding the tags the library lacks.

    Tags are added in the order of `codes`. A tag added for a nested code goes under the tag
    its parent code maps to, once that is known (in panel order a child may come before its
    parent); the library's own tags are matched as they are, never moved.
    """
    existing = {tag.name.casefold(): tag.id for tag in store.tags()}
    colours = [tag.colour for tag in store.tags()]
    palette = load_default_codebook(resource_path("codebook.json")).palette
    tag_of: dict[str, int] = {}
    matched: set[int] = set()
    later: list[tuple[int, str]] = []  # (new tag id, parent code GUID) for parents added after
    for code in codes:
        key = code.name.casefold()
        if key in existing:
            if existing[key] not in written.tags:
                matched.add(existing[key])
        else:
            colour = code.colour or next_colour(palette, colours)
            parent_id = tag_of.get(code.parent) if code.parent else None
            tag = store.add_tag(TagSpec(code.name, colour, code.description), parent_id=parent_id)
            if code.parent and parent_id is None:
                later.append((tag.id, code.parent))
            written.tags.append(tag.id)
            colours.append(tag.colour)
            existing[key] = tag.id
        tag_of[code.guid] = existing[key]
    for tag_id, parent_guid in later:
        parent_id = tag_of.get(parent_guid)
        if parent_id is not None and parent_id != tag_id:
            # Codes merged by name could make a loop, which the store refuses: stay on top.
            with suppress(CodebookError):
                store.set_tag_parent(tag_id, parent_id)
    return tag_of, len(written.tags), len(matched)


def _write_sources(
    store: LibraryStore,
    sources: Sequence[_Source],
    tag_of: dict[str, int],
    written: _Written,
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
            written.documents.append(document_id)
            counts.documents_added += 1
            have: list[AnnotationRecord] = []
        else:
            counts.documents_matched += 1
            have = store.annotations(document_id)
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


def _take_back(store: LibraryStore, written: _Written) -> None:
    """Undo the documents and tags a failed import added (annotations are added last, in one
    transaction, so none remain). Best effort: the first error is the one the user needs."""
    for document_id in reversed(written.documents):
        with suppress(Exception):
            store.delete_document(document_id)
    for tag_id in reversed(written.tags):
        with suppress(Exception):
            store.remove_tag(tag_id)


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


def _datetime(value: str | None, fallback: datetime | None = None) -> datetime:
    """An xsd:dateTime as an aware UTC datetime (no zone: taken as UTC); else `fallback`, or
    now."""
    try:
        moment = datetime.fromisoformat((value or "").strip())
    except ValueError:
        return fallback or datetime.now(UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _child_text(element: etree._Element, tag: str) -> str:
    child = element.find(tag)
    # XML parsing has already turned literal CRLF into LF; a "&#13;" is kept, as it was meant.
    return "" if child is None or child.text is None else child.text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
