"""Exporting annotations as a W3C Web Annotation collection (JSON-LD) that imports back.

The output is an `AnnotationCollection` whose embedded `AnnotationPage`s hold one `Annotation`
per highlighted span: a `TextualBody` with purpose `tagging` per tag, one with purpose
`commenting` for the note, and a target that pairs a `TextQuoteSelector` with a
`TextPositionSelector` (code points, end exclusive, exactly as Claimmark stores anchors).

What the standard has no term for travels in properties of our own namespace (`claimmark:`,
declared in a second `@context` entry): the codebook (tag colours, descriptions, order, and the
`parent` a nested tag sits under, by name) and the documents (title and text digest) on the
collection, the text digest on each target, the claim fields of each annotation
(`claimmark:stance`, `claimmark:speaker`, `claimmark:checkworthiness`, each left out when unset),
and the review state of annotations that re-anchoring could not settle. Other tools ignore them;
the importer (`w3c_import`) uses them to find the right document and to restore the codebook and
the claim fields. The texts themselves are never embedded: a W3C annotation points at its
source, it does not carry it.

Ids are stable: an annotation is `urn:uuid:` + its uuid in the library, a document without a
web address is `urn:uuid:` derived from the SHA-256 of its text, so exporting twice gives the
same ids and a re-import recognises what it has already seen.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from json.encoder import encode_basestring as _json_string
from typing import Any
from urllib.parse import urlsplit

from desktop_app.core.anchors import anchor_for
from desktop_app.core.records import ANCHOR_OK, AnnotationRecord, DocumentRecord, TagRecord
from desktop_app.io.export_bundle import ExportBundle, reading_order
from desktop_app.storage.store_base import text_digest

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CLAIMMARK_NS = "https://example.org/claimmark/ns#"
CONTEXT: list[Any] = [ANNO_CONTEXT, {"claimmark": CLAIMMARK_NS}]
# Every uuid Claimmark derives (collections, pages, documents, foreign annotation ids) lives
# under this namespace, so the same input always gives the same id.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, CLAIMMARK_NS)
# The extension properties, shared with the importer.
CODEBOOK_KEY = "claimmark:codebook"
DOCUMENTS_KEY = "claimmark:documents"
TEXT_DIGEST_KEY = "claimmark:textDigest"
ANCHOR_STATUS_KEY = "claimmark:anchorStatus"
PREVIOUS_EXACT_KEY = "claimmark:previousExact"
STANCE_KEY = "claimmark:stance"
SPEAKER_KEY = "claimmark:speaker"
CHECKWORTHINESS_KEY = "claimmark:checkworthiness"
DIGEST_PREFIX = "sha256:"
# The extension keys as JSON, for annotations written straight as text.
_TEXT_DIGEST = _json_string(TEXT_DIGEST_KEY)
_ANCHOR_STATUS = _json_string(ANCHOR_STATUS_KEY)
_PREVIOUS_EXACT = _json_string(PREVIOUS_EXACT_KEY)
_STANCE = _json_string(STANCE_KEY)
_SPEAKER = _json_string(SPEAKER_KEY)
_CHECKWORTHINESS = _json_string(CHECKWORTHINESS_KEY)
# Annotations per embedded page; larger collections chain pages with `next`.
PAGE_SIZE = 1000
NOTE_FORMAT = "text/markdown"


def export_w3c(bundle: ExportBundle, *, page_size: int = PAGE_SIZE) -> str:
    """The bundle as a pretty-printed W3C `AnnotationCollection`, ending with a newline.

    Annotations come document by document (library order), each in reading order, so the same
    bundle always gives the same text. Tag ids missing from the codebook are skipped, as in the
    other exports: a deleted tag must not make the annotations unexportable.
    """
    if page_size < 1:
        raise ValueError("a page holds at least one annotation")
    tags = {tag.id: tag for tag in bundle.tags}
    # Hashing a long text takes milliseconds: once per document, not once per annotation.
    digests = {d.id: text_digest(d.text) for d in bundle.documents}
    targets = {d.id: _target_members(d, digests[d.id]) for d in bundle.documents}
    # One annotation a line, each written straight as JSON text (see _annotation_json).
    tag_bodies = {tag.id: _tag_body(tag) for tag in bundle.tags}
    items = [
        _annotation_json(document.text, targets[document.id], annotation, tag_bodies)
        for document in bundle.documents
        for annotation in sorted(bundle.annotations_of(document.id), key=reading_order)
    ]
    collection_id = _collection_id(bundle)
    collection: dict[str, Any] = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": _label(bundle.documents),
        "total": len(items),
    }
    pages = [items[at : at + page_size] for at in range(0, len(items), page_size)]
    if pages:
        collection["first"] = _chain_pages(collection_id, pages, page_size)
        if len(pages) > 1:
            collection["last"] = _page_id(collection_id, len(pages) - 1)
    collection[DOCUMENTS_KEY] = [_document_entry(d, digests[d.id]) for d in bundle.documents]
    collection[CODEBOOK_KEY] = [_codebook_entry(t, tags) for t in bundle.tags]
    return pretty_json(collection) + "\n"


class _EncodedJson(str):
    """A value already written as JSON, which `pretty_json` puts in as it is."""


def pretty_json(value: Any, indent: str = "\n") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)`, character for character, faster
    (but for parts given as _EncodedJson, which go in as they are).

    The standard library only has a C encoder for compact output; with `indent` it falls back
    to a generator per value, which took a second for 10,000 annotations. This writes the
    structure with plain joins and escapes the strings (the bulk of the text) in C. Values are
    what an export holds: dicts with string keys, lists, strings, numbers, booleans and None.
    """
    if isinstance(value, _EncodedJson):
        return value
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        members = [
            _json_string(key) + ": " + pretty_json(item, inner) for key, item in value.items()
        ]
        return "{" + inner + ("," + inner).join(members) + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = indent + "  "
        items = [pretty_json(item, inner) for item in value]
        return "[" + inner + ("," + inner).join(items) + indent + "]"
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    return json.dumps(value)  # floats (and their NaN and infinities) as json writes them


def target_source(document: DocumentRecord, digest: str | None = None) -> str:
    """The IRI annotations of `document` point at: its web address, else an id from its text.

    Only an absolute http(s) address counts: a relative or local one is no IRI another tool
    could resolve, and a drive letter would pass for a URI scheme. `digest` is the text's
    SHA-256, when the caller has it already.
    """
    url = document.canonical_url.strip()
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc and not any(c.isspace() for c in url):
        return url
    return document_urn(digest or text_digest(document.text))


def document_urn(digest: str) -> str:
    """The `urn:uuid:` of a text (without a web address), given its SHA-256 hex digest."""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, DIGEST_PREFIX + digest)}"


def annotation_urn(annotation_uuid: str) -> str:
    """The W3C id of an annotation: stable for as long as the annotation exists."""
    return f"urn:uuid:{annotation_uuid}"


def w3c_time(moment: datetime) -> str:
    """ISO-8601 in UTC with a `Z`, to the microsecond when there is one, so times round-trip.

    A naive datetime is refused: guessing its zone would silently shift the time.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


@lru_cache(maxsize=4096)
def _w3c_time(moment: datetime) -> str:
    """w3c_time, remembered: annotations made in one session share their times."""
    return w3c_time(moment)


def _collection_id(bundle: ExportBundle) -> str:
    """Derived from which documents were exported when: the same export, the same id."""
    documents = ",".join(str(i) for i in sorted(d.id for d in bundle.documents))
    key = f"collection:{documents}@{w3c_time(bundle.exported_at)}"
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


def _page_id(collection_id: str, number: int) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{collection_id}/page/{number}')}"


def _chain_pages(
    collection_id: str, pages: Sequence[Sequence[object]], page_size: int
) -> dict[str, Any]:
    """The pages embedded in one another through `next`, first page outermost."""
    following: dict[str, Any] | None = None
    for number in range(len(pages) - 1, -1, -1):
        page: dict[str, Any] = {
            "id": _page_id(collection_id, number),
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": number * page_size,
            "items": pages[number],
        }
        if following is not None:
            page["next"] = following
        following = page
    assert following is not None  # callers pass at least one page
    return following


def _label(documents: Sequence[DocumentRecord]) -> str:
    if len(documents) == 1:
        return f"Claimmark annotations: {documents[0].title}"
    return f"Claimmark annotations: {len(documents)} documents"


def _annotation_json(
    text: str, target: str, annotation: AnnotationRecord, tag_bodies: Mapping[int, str]
) -> _EncodedJson:
    """One annotation as compact JSON; its quote and context are cut from the text, the truth
    they index. `target` is the document's part of the target (see _target_members) and
    `tag_bodies` the tagging body of each tag, both written once per export.

    The text is exactly what `json.dumps(..., ensure_ascii=False)` writes for the annotation's
    structure, key for key, but written straight: building a dict per annotation and running
    the encoder on it cost most of a 10,000-annotation export. Every string from the library
    goes through the encoder's own escaping; the times are ISO digits and never need it.
    """
    anchor = anchor_for(text, annotation.start, annotation.end)
    bodies = [tag_bodies[tag_id] for tag_id in annotation.tag_ids if tag_id in tag_bodies]
    if annotation.note:
        bodies.append(
            f'{{"type": "TextualBody", "purpose": "commenting", "format": "{NOTE_FORMAT}", '
            f'"value": {_json_string(annotation.note)}}}'
        )
    members = [
        f'{{"id": {_json_string(annotation_urn(annotation.uuid))}, "type": "Annotation", '
        f'"created": "{_w3c_time(annotation.created)}", '
        f'"modified": "{_w3c_time(annotation.updated)}", ',
        # A span with neither tag nor note is a plain highlight, which the model expresses
        # by motivation rather than by an empty body.
        f'"body": [{", ".join(bodies)}], ' if bodies else '"motivation": "highlighting", ',
        f'"target": {{{target}, "selector": [{{"type": "TextQuoteSelector", '
        f'"exact": {_json_string(anchor.exact)}, "prefix": {_json_string(anchor.prefix)}, '
        f'"suffix": {_json_string(anchor.suffix)}}}, {{"type": "TextPositionSelector", '
        f'"start": {anchor.start}, "end": {anchor.end}}}]}}',
    ]
    if annotation.stance:
        members.append(f", {_STANCE}: {_json_string(annotation.stance)}")
    if annotation.speaker:
        members.append(f", {_SPEAKER}: {_json_string(annotation.speaker)}")
    if annotation.checkworthiness is not None:
        members.append(f", {_CHECKWORTHINESS}: {int(annotation.checkworthiness)}")
    if annotation.anchor_status != ANCHOR_OK:
        # Placed by re-anchoring but not yet confirmed: the quote and context are right for
        # this text, the doubt is whether this is where the claim went.
        members.append(f", {_ANCHOR_STATUS}: {_json_string(annotation.anchor_status)}")
        if annotation.previous_exact:
            members.append(f", {_PREVIOUS_EXACT}: {_json_string(annotation.previous_exact)}")
    members.append("}")
    return _EncodedJson("".join(members))


def _target_members(document: DocumentRecord, digest: str) -> str:
    """The members every target in `document` starts with: its source and text digest."""
    source = target_source(document, digest)
    return f'"source": {_json_string(source)}, {_TEXT_DIGEST}: "{DIGEST_PREFIX}{digest}"'


def _tag_body(tag: TagRecord) -> str:
    """The tagging body of `tag` as compact JSON."""
    return f'{{"type": "TextualBody", "purpose": "tagging", "value": {_json_string(tag.name)}}}'


def _document_entry(document: DocumentRecord, digest: str) -> dict[str, str]:
    return {"source": target_source(document, digest), "title": document.title, "sha256": digest}


def _codebook_entry(tag: TagRecord, tags: dict[int, TagRecord]) -> dict[str, Any]:
    """A tag's entry; `parent` (the parent's name) only for a tag nested under another."""
    entry: dict[str, Any] = {
        "name": tag.name,
        "colour": tag.colour,
        "description": tag.description,
        "position": tag.position,
    }
    parent = tags.get(tag.parent_id) if tag.parent_id is not None else None
    if parent is not None and parent.id != tag.id:
        entry["parent"] = parent.name
    return entry
