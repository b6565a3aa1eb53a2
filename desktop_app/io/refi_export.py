"""Exporting the library as REFI-QDA 1.0 (`.qdpx` projects and `.qdc` codebooks).

REFI-QDA is the exchange format of QualCoder, ATLAS.ti, MAXQDA and NVivo. A `.qdpx` is a ZIP with
`project.qde` (XML, `urn:QDA-XML:project:1.0`) at its root and each text as `sources/<guid>.txt`.
Tags become Codes (a nested tag's Code inside its parent's, as the schema allows), documents
TextSources, and annotations PlainTextSelections with one Coding per tag and the note as their
Description. The claim fields (stance, speaker, check-worthiness) have no element in REFI-QDA:
the export leaves them out and says so in its report.

Positions are Unicode code points, end exclusive, exactly as Claimmark stores them: the standard
(section 10.2) counts characters, and writing UTF-16 units instead (as QualCoder does) would shift
every selection after an emoji or an astral CJK character.

GUIDs are stable, so that exporting the same library twice gives the same file and an import can
recognise what it has seen: annotations keep their uuid, while tags, documents and the user get
name-based (uuid5) GUIDs over the tag name, the SHA-256 of the text and the user name.

Nesting Codes fixes the order of siblings, but not where a nested tag sits among its parent's
siblings in the panel (the order the 1-9 keys follow): `alpha`, `beta`, `alpha › child` nests as
`alpha(child)`, `beta`. When the panel order differs from that tree order, the export adds a
Set (`ORDER_SET_NAME`, GUID `ORDER_SET_GUID`) listing every Code in panel order; the importer
restores the order from it, and other tools show it as an ordinary code set.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from lxml import etree

from desktop_app import APP_NAME, __version__
from desktop_app.core.records import (
    ANCHOR_NEEDS_REVIEW,
    ANCHOR_ORPHANED,
    AnnotationRecord,
    DocumentRecord,
    TagRecord,
)
from desktop_app.io.export_bundle import ExportBundle
from desktop_app.io.markdown_export import codebook_tree, utc_timestamp
from desktop_app.storage.store_base import text_digest

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_FILE = "project.qde"
SOURCES_FOLDER = "sources/"
INTERNAL_SCHEME = "internal://"
ORIGIN = f"{APP_NAME} {__version__}"
# Fixed forever: every name-based GUID of every export derives from it.
GUID_NAMESPACE = uuid.UUID("6f0d7a1e-3c52-5b8e-9a4d-2e61c0b7f3a9")
_NAMESPACE_BYTES = GUID_NAMESPACE.bytes
# The Set that carries the panel order when nesting alone cannot (see the module docstring).
ORDER_SET_GUID = str(uuid.uuid5(GUID_NAMESPACE, "set:tag panel order"))
ORDER_SET_NAME = f"{APP_NAME} tag order"
ORDER_SET_DESCRIPTION = (
    f"The order of the tags in {APP_NAME}'s panel, which nesting alone cannot show. "
    f"{APP_NAME} reads it back on import; other tools may ignore it."
)
# How much of a quote names its selection (the full span is in the text itself).
SELECTION_NAME_CHARS = 60
# XML 1.0 cannot hold other characters at all, not even as references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r]')
_TEXT_SPECIAL = re.compile("[&<>\r]")
# The comment that holds a source's place for its selections, and its line once serialised.
_PLACEHOLDER = "selections "
_PLACEHOLDER_LINE = re.compile(rb" *<!--selections (\d+)-->\n")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
REPLACEMENT = "\ufffd"


class RefiExportError(ValueError):
    """An export the format cannot express (e.g. a codebook without tags), said in one line."""


@lru_cache(maxsize=1024)
def code_guid(name: str) -> str:
    """The GUID of the Code for a tag called `name` (tag names are unique without case)."""
    return _guid5("code:" + name.casefold())


def _guid5(name: str) -> str:
    """`str(uuid.uuid5(GUID_NAMESPACE, name))` without building a UUID object (one a Coding)."""
    digest = bytearray(
        hashlib.sha1(_NAMESPACE_BYTES + name.encode(), usedforsecurity=False).digest()
    )
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest[:16].hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def source_guid(text: str) -> str:
    """The GUID of the TextSource holding `text`."""
    return str(uuid.uuid5(GUID_NAMESPACE, "source:" + text_digest(text)))


def user_guid(user_name: str) -> str:
    """The GUID of the user called `user_name`."""
    return str(uuid.uuid5(GUID_NAMESPACE, "user:" + user_name))


def selection_guid(annotation: AnnotationRecord) -> str:
    """The annotation's own uuid, or one derived from it if it is not GUID-shaped."""
    if _GUID.match(annotation.uuid):
        return annotation.uuid.lower()
    return str(uuid.uuid5(GUID_NAMESPACE, f"selection:{annotation.uuid}:{annotation.id}"))


@dataclass(slots=True)
class _Losses:
    """What the export had to leave out or change, counted while writing."""

    review: int = 0
    orphaned: int = 0
    misplaced: int = 0
    # The distinct names and notes that held characters XML cannot hold.
    unsafe_values: set[str] = field(default_factory=set)
    unencodable_texts: int = 0
    metadata: Counter[str] = field(default_factory=Counter)
    # Exported annotations whose stance, speaker or check-worthiness is set.
    claim_fields: int = 0

    def xml_safe(self, value: str) -> str:
        """`value` with characters XML 1.0 cannot hold replaced by U+FFFD (and counted)."""
        cleaned, count = _NOT_XML.subn(REPLACEMENT, value)
        if count:
            self.unsafe_values.add(value)
        return cleaned


def export_qdpx(bundle: ExportBundle, user_name: str = "Claimmark user") -> tuple[bytes, list[str]]:
    """The bundle as a `.qdpx` archive, and the lines telling the user what REFI-QDA cannot carry.

    Two exports of the same bundle are byte-identical: GUIDs are stable, times come from the
    records and `bundle.exported_at`, and the ZIP entries have fixed order, dates and modes.
    """
    losses = _Losses()
    user = user_guid(user_name)
    stamp = utc_timestamp(bundle.exported_at)
    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS})
    root.set("name", losses.xml_safe(_project_name(bundle.documents)))
    root.set("origin", ORIGIN)
    root.set("creatingUserGUID", user)
    root.set("creationDateTime", stamp)
    users = _sub(root, PROJECT_NS, "Users")
    _sub(users, PROJECT_NS, "User", guid=user, name=losses.xml_safe(user_name))
    if bundle.tags:
        codebook = _sub(root, PROJECT_NS, "CodeBook")
        _append_codes(codebook, PROJECT_NS, bundle.tags, losses)
    files: list[tuple[str, bytes]] = []
    # Each source's selections, written as text (see _SelectionWriter), by placeholder number.
    selections: list[bytes] = []
    if bundle.documents:
        sources = _sub(root, PROJECT_NS, "Sources")
        seen: set[str] = set()
        writer = _SelectionWriter(user, bundle.tags, losses)
        for document in bundle.documents:
            guid = _unique(source_guid(document.text), seen)
            files.append((f"{SOURCES_FOLDER}{guid}.txt", _encoded_text(document.text, losses)))
            source = _append_source(sources, document, guid, user, losses)
            if _write_selections(writer, document, bundle.annotations_of(document.id), losses):
                # A comment holds the place: user text cannot make one, as `<` is escaped.
                source.append(etree.Comment(f"{_PLACEHOLDER}{len(selections)}"))
                selections.append(writer.take())
    if _order_needs_a_set(bundle.tags):
        sets = _sub(root, PROJECT_NS, "Sets")
        _append_order_set(sets, PROJECT_NS, bundle.tags, member_attribute="targetGUID")
    project = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    if selections:
        project, count = _PLACEHOLDER_LINE.subn(lambda match: selections[int(match[1])], project)
        if count != len(selections):
            raise AssertionError("a source's selections lost their place in project.qde")
    archive = _zip([(PROJECT_FILE, project), *files], bundle.exported_at)
    return archive, _loss_lines(losses)


def export_qdc(tags: Sequence[TagRecord]) -> bytes:
    """The codebook as a REFI-QDA `.qdc` file (one Code per tag, in panel order)."""
    if not tags:
        raise RefiExportError(
            "The codebook has no tags, and a REFI-QDA codebook needs at least one."
        )
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", ORIGIN)
    _append_codes(root, CODEBOOK_NS, tags, _Losses())
    if _order_needs_a_set(tags):
        sets = _sub(root, CODEBOOK_NS, "Sets")
        # The codebook schema names a member by `guid`, the project schema by `targetGUID`.
        _append_order_set(sets, CODEBOOK_NS, tags, member_attribute="guid")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, ns: str, tag: str, **attributes: str) -> etree._Element:
    """A child element in namespace `ns` (attributes in the given order)."""
    return etree.SubElement(parent, f"{{{ns}}}{tag}", attributes)


def _append_codes(
    parent: etree._Element, ns: str, tags: Sequence[TagRecord], losses: _Losses
) -> None:
    """`<Codes>` with one codable `<Code>` per tag, top-level tags in panel order.

    A nested tag's Code goes inside its parent's, after the parent's Description (the XSD's
    sequence), siblings in panel order; a tag whose parent is not exported is top-level.
    """
    codes = _sub(parent, ns, "Codes")
    elements: dict[int, etree._Element] = {}
    for tag, depth in codebook_tree(tags):
        holder = elements[tag.parent_id] if depth and tag.parent_id is not None else codes
        code = _sub(
            holder,
            ns,
            "Code",
            guid=code_guid(tag.name),
            name=losses.xml_safe(tag.name),
            isCodable="true",
            color=tag.colour.upper(),
        )
        if tag.description.strip():
            _sub(code, ns, "Description").text = losses.xml_safe(tag.description)
        elements[tag.id] = code


def _order_needs_a_set(tags: Sequence[TagRecord]) -> bool:
    """True when the panel order is not the order the nested Codes are written in."""
    tree = [tag.id for tag, _depth in codebook_tree(tags)]
    return tree != [tag.id for tag in sorted(tags, key=_panel_order)]


def _append_order_set(
    sets: etree._Element, ns: str, tags: Sequence[TagRecord], *, member_attribute: str
) -> None:
    """The Set listing every Code in panel order (one MemberCode per tag)."""
    order = _sub(sets, ns, "Set", guid=ORDER_SET_GUID, name=ORDER_SET_NAME)
    _sub(order, ns, "Description").text = ORDER_SET_DESCRIPTION
    for tag in sorted(tags, key=_panel_order):
        _sub(order, ns, "MemberCode", **{member_attribute: code_guid(tag.name)})


def _append_source(
    sources: etree._Element, document: DocumentRecord, guid: str, user: str, losses: _Losses
) -> etree._Element:
    """One `<TextSource>` (its selections are written apart, see _SelectionWriter)."""
    _count_metadata(document, losses)
    return _sub(
        sources,
        PROJECT_NS,
        "TextSource",
        guid=guid,
        name=losses.xml_safe(document.title),
        plainTextPath=f"{INTERNAL_SCHEME}{guid}.txt",
        creatingUser=user,
        creationDateTime=utc_timestamp(document.imported_at),
    )


def _write_selections(
    writer: _SelectionWriter,
    document: DocumentRecord,
    annotations: Iterable[AnnotationRecord],
    losses: _Losses,
) -> int:
    """Write a `<PlainTextSelection>` per exportable annotation of `document`; how many."""
    text = document.text
    count = 0
    for annotation in annotations:
        if annotation.anchor_status == ANCHOR_ORPHANED:
            losses.orphaned += 1
            continue
        if text[annotation.start : annotation.end] != annotation.exact or not (
            0 <= annotation.start < annotation.end <= len(text)
        ):
            losses.misplaced += 1
            continue
        if annotation.anchor_status == ANCHOR_NEEDS_REVIEW:
            losses.review += 1
        writer.add(annotation)
        count += 1
    return count


class _SelectionWriter:
    """Writes `<PlainTextSelection>` elements as the XML text lxml would write for them.

    Creating the 40,000-odd elements of 10,000 annotations one lxml call at a time, and then
    serialising them, cost most of the export; plain text costs a fraction. The text is what
    `etree.tostring(..., pretty_print=True)` writes for the same elements (same escaping, same
    indentation under `<TextSource>`), so the file is the same. What annotations share (the
    Codes of each combination of tags, the form of each time) is worked out once.
    """

    def __init__(self, user: str, tags: Sequence[TagRecord], losses: _Losses) -> None:
        self._parts: list[str] = []
        self._user = user
        self._losses = losses
        self._known = {tag.id: tag for tag in tags}
        self._targets: dict[tuple[int, ...], tuple[str, ...]] = {}

    def take(self) -> bytes:
        """The selections written since the last call, as UTF-8."""
        written = "".join(self._parts).encode("utf-8")
        self._parts.clear()
        return written

    def add(self, annotation: AnnotationRecord) -> None:
        """One `<PlainTextSelection>`: Description (the note), then one Coding per known tag."""
        losses = self._losses
        user = self._user
        guid = selection_guid(annotation)
        created = utc_timestamp(annotation.created)
        name = _xml_attribute(losses.xml_safe(_selection_name(annotation.exact)))
        modified = (
            f' modifyingUser="{user}" modifiedDateTime="{utc_timestamp(annotation.updated)}"'
            if annotation.updated != annotation.created
            else ""
        )
        start = (
            f'      <PlainTextSelection guid="{guid}" name="{name}" '
            f'startPosition="{annotation.start}" endPosition="{annotation.end}" '
            f'creatingUser="{user}" creationDateTime="{created}"{modified}'
        )
        if annotation.stance or annotation.speaker or annotation.checkworthiness is not None:
            losses.claim_fields += 1
        children = [
            f'        <Coding guid="{_guid5(f"coding:{guid}:{target}")}" creatingUser="{user}" '
            f'creationDateTime="{created}">\n'
            f'          <CodeRef targetGUID="{target}"/>\n'
            "        </Coding>\n"
            for target in self._codes_of(annotation.tag_ids)
        ]
        if annotation.note.strip():
            note = _xml_text(losses.xml_safe(annotation.note))
            children.insert(0, f"        <Description>{note}</Description>\n")
        if children:
            self._parts.append(f"{start}>\n{''.join(children)}      </PlainTextSelection>\n")
        else:
            self._parts.append(f"{start}/>\n")

    def _codes_of(self, tag_ids: tuple[int, ...]) -> tuple[str, ...]:
        """The Code GUIDs of the known tags among `tag_ids`, each once, in panel order."""
        targets = self._targets.get(tag_ids)
        if targets is None:
            known = self._known
            tags = sorted({known[i] for i in tag_ids if i in known}, key=_panel_order)
            targets = self._targets[tag_ids] = tuple(code_guid(tag.name) for tag in tags)
        return targets


def _xml_attribute(value: str) -> str:
    """`value` escaped for a double-quoted XML attribute, white space kept as it is (a parser
    turns a literal tab or line break in an attribute into a space)."""
    if not _ATTRIBUTE_SPECIAL.search(value):
        return value
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def _xml_text(value: str) -> str:
    """`value` escaped for XML character data, a carriage return kept (a parser would turn a
    literal one into a line feed)."""
    if not _TEXT_SPECIAL.search(value):
        return value
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _panel_order(tag: TagRecord) -> tuple[int, int]:
    return tag.position, tag.id


def _selection_name(exact: str) -> str:
    """The quote on one line, shortened with an ellipsis past SELECTION_NAME_CHARS."""
    flat = " ".join(exact.split())
    return flat if len(flat) <= SELECTION_NAME_CHARS else flat[: SELECTION_NAME_CHARS - 1] + "…"


def _project_name(documents: Sequence[DocumentRecord]) -> str:
    if len(documents) == 1:
        return documents[0].title or "Untitled document"
    return f"{APP_NAME} library ({len(documents)} documents)"


def _unique(guid: str, seen: set[str]) -> str:
    """`guid`, or a GUID derived from it when two documents share a text (and so a GUID)."""
    candidate, round_ = guid, 1
    while candidate in seen:
        round_ += 1
        candidate = str(uuid.uuid5(GUID_NAMESPACE, f"{guid}:{round_}"))
    seen.add(candidate)
    return candidate


def _encoded_text(text: str, losses: _Losses) -> bytes:
    """The stored text as UTF-8 without a BOM; a lone surrogate (one code point) becomes '?'."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        losses.unencodable_texts += 1
        return text.encode("utf-8", "replace")


def _count_metadata(document: DocumentRecord, losses: _Losses) -> None:
    """Note which metadata fields the document has: a TextSource has no place for them."""
    fields = {
        "author": document.author,
        "site": document.site,
        "published date": document.published,
        "canonical URL": document.canonical_url,
        "source": document.source,
    }
    losses.metadata.update(name for name, value in fields.items() if value.strip())
    if document.version_group is not None:
        losses.metadata["version"] += 1
    if document.blocks:
        losses.metadata["structure"] += 1


def _zip(entries: Iterable[tuple[str, bytes]], moment: datetime) -> bytes:
    """A deflated ZIP of `entries` in the given order, with fixed dates and permissions."""
    stamp = moment.astimezone(UTC)
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _loss_lines(losses: _Losses) -> list[str]:
    """Short lines for the user about what REFI-QDA could not carry (only what applies)."""
    lines: list[str] = []
    if losses.review:
        lines.append(
            f"{_count(losses.review, 'annotation')} waiting for review "
            f"{_were(losses.review)} exported at {_their(losses.review)} candidate position; "
            "the “needs review” status is not part of REFI-QDA."
        )
    if losses.orphaned:
        lines.append(
            f"{_count(losses.orphaned, 'annotation')} that lost {_their(losses.orphaned)} place "
            f"in a new version {_were(losses.orphaned)} left out: "
            f"{'it has' if losses.orphaned == 1 else 'they have'} no position in the text."
        )
    if losses.misplaced:
        lines.append(
            f"{_count(losses.misplaced, 'annotation')} whose quote no longer matches the text "
            f"{_were(losses.misplaced)} left out."
        )
    if losses.claim_fields:
        lines.append(
            "Claim fields (stance, speaker, check-worthiness) of "
            f"{_count(losses.claim_fields, 'annotation')} are not part of REFI-QDA and "
            "were not exported."
        )
    described = [
        name
        for name in ("author", "site", "published date", "canonical URL", "source")
        if losses.metadata[name]
    ]
    if described:
        lines.append(
            f"Document metadata ({', '.join(described)}) is not carried; only titles and texts are."
        )
    if losses.metadata["version"]:
        lines.append(
            "Links between versions of an article are not carried: each is its own source."
        )
    if losses.metadata["structure"]:
        lines.append("Headings and paragraph structure are not carried: sources are plain text.")
    if losses.unsafe_values:
        count = len(losses.unsafe_values)
        lines.append(
            f"{_count(count, 'name or note', 'names or notes')} held control characters "
            f"that XML cannot store; they were replaced by “{REPLACEMENT}”."
        )
    if losses.unencodable_texts:
        lines.append(
            f"{_count(losses.unencodable_texts, 'text')} with invalid characters had them "
            "replaced by “?” (positions are unchanged)."
        )
    return lines


def _count(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"


def _were(number: int) -> str:
    return "was" if number == 1 else "were"


def _their(number: int) -> str:
    return "its" if number == 1 else "their"
