"""Importing W3C Web Annotations onto documents already in the library.

Accepts what `tests/data/standards/validate_w3c.py` accepts: one annotation, a list of them, an
`AnnotationPage` or an `AnnotationCollection` with embedded pages (nothing is ever fetched).
Claimmark's own exports round-trip exactly (`w3c_export`); annotations of other tools (for
example Hypothesis) are placed by their quote and context.

Each annotation goes to a document of the library, never into a new one: the one the caller
names, else the one whose text has the digest the export recorded, else the one whose web
address is the target's source. Its span is the `TextPositionSelector` when the text there is
exactly the quote; otherwise the quote is looked for with its context (`Reanchorer`), and only a
confident ("ok") match is accepted. Anything else is reported as not placed, never attached at a
guess. Annotations the library already has (same id) are counted and skipped.

The claim fields of Claimmark's exports (`claimmark:stance`, `claimmark:speaker`,
`claimmark:checkworthiness`) come back with their annotations; a value Claimmark would not store
(an unknown stance, a check-worthiness outside 1 to 5) is left out.

The exported codebook (`claimmark:codebook`) comes back whole: every tag of it that the library
lacks is added, whether or not an annotation uses it, in the exported order (after the library's
own tags), with its colour and description, and nested under its exported `parent` when that
tag is in the library or is added by the same import. Tags are matched by name without case, as
tag names are unique in a library; the library's own tags are never changed. Tags that
annotations use but the codebook does not list (other tools' files) are added after them.

A file is imported whole or not at all: everything is read and placed first, then every tag
and annotation is written in one `store.transaction()`. Values no library could store refuse
the file before anything is written, with the place they are at: a lone UTF-16 surrogate in
any text (`"\\ud800"`, half of a character, which SQLite cannot encode) and an integer longer
than Python reads (4,300 digits). A time that cannot be used (not a time, or outside the years
1 to 9999 once in UTC) is left out, and the report says how many (`imported_values`).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from desktop_app.core.anchors import Anchor, anchor_for
from desktop_app.core.codebook import (
    CodebookError,
    ColourPicker,
    TagSpec,
    clean_colour,
    clean_tag_name,
    load_default_codebook,
)
from desktop_app.core.reanchor import Reanchorer
from desktop_app.core.records import (
    ANCHOR_NEEDS_REVIEW,
    ANCHOR_OK,
    ANCHOR_ORPHANED,
    STANCES,
    DocumentRecord,
)
from desktop_app.io.imported_values import TimeReader, count, names_summary
from desktop_app.io.w3c_export import (
    ANCHOR_STATUS_KEY,
    CHECKWORTHINESS_KEY,
    CODEBOOK_KEY,
    DIGEST_PREFIX,
    DOCUMENTS_KEY,
    ID_NAMESPACE,
    PREVIOUS_EXACT_KEY,
    SPEAKER_KEY,
    STANCE_KEY,
    TEXT_DIGEST_KEY,
)
from desktop_app.resources import resource_path
from desktop_app.storage.errors import NotFoundError
from desktop_app.storage.library_store import LibraryStore, NewAnnotation
from desktop_app.storage.orm import utc_now
from desktop_app.storage.store_base import text_digest

IMPORT_METHOD = "imported"
_KEPT_STATUSES = (ANCHOR_OK, ANCHOR_NEEDS_REVIEW, ANCHOR_ORPHANED)
# How much of a quote (or an id, a web address, a title) a report line shows.
_QUOTE_PREVIEW = 60
# A JSON key that a path can show as `.key`.
_PLAIN_KEY = re.compile(r"[A-Za-z_@][A-Za-z0-9_:@-]{0,40}")


class W3CImportError(ValueError):
    """Input that is no W3C annotation data, or that no document of the library matches.

    The message is one line, fit to show the user or to print from the command line.
    """


@dataclass(frozen=True, slots=True)
class NotPlaced:
    """An annotation of the file that was not attached, and why (`str()` is one line)."""

    annotation_id: str
    quote: str
    reason: str

    def __str__(self) -> str:
        quote = f" “{_preview(self.quote)}”" if self.quote else ""
        return f"{_preview(self.annotation_id)}{quote}: {self.reason}"


@dataclass(frozen=True, slots=True)
class W3CImportReport:
    """What an import did. `annotation_ids` are the new annotations (to select or undo them)."""

    placed: int
    not_placed: tuple[NotPlaced, ...] = ()
    duplicates: int = 0
    tags_created: tuple[str, ...] = ()
    annotation_ids: tuple[int, ...] = ()
    document_ids: tuple[int, ...] = ()
    # Placed under an id derived from theirs, which another document of the library has.
    renumbered: int = 0
    # Remarks on what was read differently from the file (a time left out, say).
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line, e.g. "12 annotations placed, 1 not placed, 3 already present"; of many
        new tags it names the first few ("new tags: a, b, c and 2,997 more")."""
        parts = [f"{count(self.placed, 'annotation')} placed"]
        if self.not_placed:
            parts.append(f"{len(self.not_placed):,} not placed")
        if self.duplicates:
            parts.append(f"{self.duplicates:,} already present")
        if self.tags_created:
            parts.append("new tags: " + names_summary(self.tags_created))
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class _Found:
    """An annotation of the file, placed on a document, before it is written."""

    uuid: str
    document_id: int
    anchor: Anchor
    tag_names: tuple[str, ...]
    note: str
    created: datetime
    updated: datetime
    status: str
    score: float
    previous_exact: str
    stance: str = ""
    speaker: str = ""
    checkworthiness: int | None = None

    @property
    def has_claim_fields(self) -> bool:
        return bool(self.stance or self.speaker) or self.checkworthiness is not None


@dataclass(slots=True)
class _Input:
    """The parsed file: its annotations and the collection's extension properties."""

    items: list[Any]
    codebook: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: list[dict[str, Any]] = field(default_factory=list)


def import_w3c(
    store: LibraryStore, data: str | bytes, document_id: int | None = None
) -> W3CImportReport:
    """Attach the annotations in `data` to documents of the library (see the module docstring).

    With `document_id`, every annotation goes to that document. Raises W3CImportError (and
    changes nothing) for input that is not W3C annotation JSON, and when no annotation's
    document is in the library; annotations whose document alone is missing are reported as
    not placed.
    """
    parsed = _parse(data)
    fixed = _fixed_document(store, document_id)
    matcher = _DocumentMatcher(store, parsed.documents, fixed)
    placer = _Placer()
    times = TimeReader(zoneless_is_utc=False)
    found: list[_Found] = []
    not_placed: list[NotPlaced] = []
    unmatched: list[str] = []
    for number, item in enumerate(parsed.items, start=1):
        label = _label(item, number)
        if not isinstance(item, dict) or not _is_annotation(item):
            not_placed.append(NotPlaced(label, "", "not a W3C annotation"))
            continue
        try:
            found.append(_read_annotation(item, matcher, placer, times))
        except _Skip as skip:
            not_placed.append(NotPlaced(label, _quote_of(item), skip.reason))
            if skip.unmatched:
                unmatched.append(skip.reason)
    if unmatched and len(unmatched) == len(not_placed) and not found:
        # Nothing in the file belongs to this library: refuse rather than report zero.
        raise W3CImportError(unmatched[0])
    # The documents' texts never change, so placing could be done outside; what the library
    # already has (ids, tags) is read again inside, where nobody else can change it.
    with store.transaction():
        new, duplicates, renumbered = _split_duplicates(store, found)
        tag_ids, created_tags = _ensure_tags(store, _tag_names(new), parsed.codebook)
        written = _write_annotations(store, new, tag_ids)
    time_note = times.note()
    return W3CImportReport(
        placed=len(written),
        not_placed=tuple(not_placed),
        duplicates=duplicates,
        tags_created=tuple(created_tags),
        annotation_ids=tuple(written),
        document_ids=tuple(sorted({f.document_id for f in new})),
        renumbered=renumbered,
        notes=(time_note,) if time_note else (),
    )


# ---- reading the file ---------------------------------------------------------------------------


def _parse(data: str | bytes) -> _Input:
    """The annotations of a single annotation, a list, a page or a collection."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise W3CImportError(f"not UTF-8 text (byte {exc.start} is invalid)") from None
    try:
        document = json.loads(data, parse_int=_integer)
    except json.JSONDecodeError as exc:
        raise W3CImportError(
            f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise W3CImportError("not usable JSON: nested too deeply") from None
    _refuse_unstorable(document)
    if isinstance(document, list):
        if document and not any(isinstance(i, dict) and _is_annotation(i) for i in document):
            raise W3CImportError("this JSON list holds no W3C annotations")
        return _Input(document)
    if not isinstance(document, dict):
        raise W3CImportError("not a W3C annotation, annotation page or annotation collection")
    types = _types(document)
    if "AnnotationCollection" in types or "first" in document:
        return _Input(
            list(_collection_items(document)),
            _codebook(document.get(CODEBOOK_KEY)),
            _documents(document.get(DOCUMENTS_KEY)),
        )
    if "AnnotationPage" in types or "items" in document:
        return _Input(list(_page_items(document, "the page")))
    if _is_annotation(document):
        return _Input([document])
    raise W3CImportError("not a W3C annotation, annotation page or annotation collection")


class _LongInteger:
    """A JSON integer longer than Python converts (its int() raises), kept to be refused with
    its place in the file rather than as a bare ValueError from the JSON reader."""

    def __init__(self, digits: str) -> None:
        self.digits = len(digits.lstrip("-"))


def _integer(digits: str) -> int | _LongInteger:
    try:
        return int(digits)
    except ValueError:
        return _LongInteger(digits)


def _refuse_unstorable(document: Any) -> None:
    """W3CImportError naming the first value no library could store, anywhere in the file.

    Walks every value once, without recursion (the JSON reader has already bounded the depth).
    A path is a chain of (parent, step) pairs, put into words only for the refusal.
    """
    pending: list[tuple[Any, tuple[Any, ...]]] = [(document, ())]
    while pending:
        value, path = pending.pop()
        if isinstance(value, str):
            _refuse_surrogate(value, path, "")
        elif isinstance(value, dict):
            for key in value:
                _refuse_surrogate(key, path, "a key in ")
            # Last in, first out: pushed in reverse, so the first fault in the file is named.
            pending.extend((value[key], (path, key)) for key in reversed(value))
        elif isinstance(value, list):
            pending.extend((value[i], (path, i)) for i in range(len(value) - 1, -1, -1))
        elif isinstance(value, _LongInteger):
            raise W3CImportError(
                f"{_path_words(path)} is an integer of {value.digits:,} digits, more than "
                "Claimmark reads (4,300); nothing imported"
            )


def _refuse_surrogate(text: str, path: tuple[Any, ...], prefix: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        raise W3CImportError(
            f"{prefix}{_path_words(path)} holds a lone surrogate (\\u{code:04x}, half of a "
            "UTF-16 pair, not a character), which no library can store; nothing imported"
        ) from None


def _path_words(path: tuple[Any, ...]) -> str:
    """`items[3].body[1].value`, from the (parent, step) chain; "the file" at the top."""
    steps: list[str] = []
    while path:
        path, step = path
        if isinstance(step, int):
            steps.append(f"[{step}]")
        elif _PLAIN_KEY.fullmatch(step):
            steps.append(f".{step}")
        else:
            steps.append(f"[{_preview(json.dumps(step, ensure_ascii=True))}]")
    words = "".join(reversed(steps)).removeprefix(".")
    if not words:
        return "the file"
    return words if len(words) <= 3 * _QUOTE_PREVIEW else "…" + words[-3 * _QUOTE_PREVIEW :]


def _collection_items(collection: Mapping[str, Any]) -> Iterator[Any]:
    first = collection.get("first")
    if first is None:
        if collection.get("total", 0) not in (0, None):
            raise W3CImportError("the collection has no first page of annotations")
        return
    yield from _page_items(first, "the collection's first page")


def _page_items(page: Any, what: str) -> Iterator[Any]:
    """Items of a page and of the pages embedded after it through `next`."""
    while page is not None:
        if isinstance(page, str):
            raise W3CImportError(
                f"{what} is only a link ({page}): Claimmark reads embedded pages, fetches nothing"
            )
        if not isinstance(page, dict) or not isinstance(page.get("items", []), list):
            raise W3CImportError(f"{what} is not an annotation page")
        yield from page.get("items", [])
        page, what = page.get("next"), "a following page"


def _codebook(value: Any) -> dict[str, dict[str, Any]]:
    """The exported codebook by folded tag name (entries that are not objects are ignored)."""
    entries = value if isinstance(value, list) else []
    named = [e for e in entries if isinstance(e, dict) and isinstance(e.get("name"), str)]
    named.sort(key=lambda e: e["position"] if isinstance(e.get("position"), int) else 1 << 30)
    return {" ".join(e["name"].split()).casefold(): e for e in named}


def _documents(value: Any) -> list[dict[str, Any]]:
    entries = value if isinstance(value, list) else []
    return [e for e in entries if isinstance(e, dict)]


def _types(node: Mapping[str, Any]) -> list[Any]:
    kind = node.get("type", node.get("@type"))
    return kind if isinstance(kind, list) else [kind]


def _is_annotation(node: Mapping[str, Any]) -> bool:
    return "Annotation" in _types(node) or "oa:Annotation" in _types(node) or "target" in node


def _label(item: Any, number: int) -> str:
    """How the report names an annotation: its id, else its number in the file."""
    if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].strip():
        return item["id"]
    return f"annotation {number}"


def _preview(quote: str) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= _QUOTE_PREVIEW else quote[: _QUOTE_PREVIEW - 1] + "…"


# ---- one annotation -----------------------------------------------------------------------------


class _Skip(Exception):
    """An annotation that cannot be placed; `reason` goes into the report."""

    def __init__(self, reason: str, *, unmatched: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unmatched = unmatched


@dataclass(frozen=True, slots=True)
class _Selectors:
    source: str
    digest: str
    exact: str | None
    prefix: str
    suffix: str
    start: int | None
    end: int | None


def _read_annotation(
    item: Mapping[str, Any], matcher: _DocumentMatcher, placer: _Placer, times: TimeReader
) -> _Found:
    selectors = _selectors(item.get("target"))
    document = matcher.document_for(selectors)
    anchor, score = placer.place(document, selectors)
    status = item.get(ANCHOR_STATUS_KEY)
    status = status if status in _KEPT_STATUSES else ANCHOR_OK
    previous = item.get(PREVIOUS_EXACT_KEY)
    previous = previous if isinstance(previous, str) else ""
    if anchor.exact != selectors.exact and selectors.exact and not previous:
        previous = selectors.exact  # found a slightly different wording: keep the old one
    tag_names, note = _bodies(item)
    created = times.read(item.get("created")) or utc_now()
    return _Found(
        uuid=_annotation_uuid(item),
        document_id=document.id,
        anchor=anchor,
        tag_names=tag_names,
        note=note,
        created=created,
        updated=times.read(item.get("modified")) or created,
        status=status,
        score=score,
        previous_exact=previous,
        stance=_stance(item.get(STANCE_KEY)),
        speaker=_speaker(item.get(SPEAKER_KEY)),
        checkworthiness=_checkworthiness(item.get(CHECKWORTHINESS_KEY)),
    )


def _stance(value: Any) -> str:
    """One of STANCES (case aside), else "" (unset)."""
    if not isinstance(value, str):
        return ""
    stance = value.strip().lower()
    return stance if stance in STANCES else ""


def _speaker(value: Any) -> str:
    """The speaker on one line, as the store keeps it; "" for anything but text."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _checkworthiness(value: Any) -> int | None:
    """A whole number from 1 to 5 (4.0 counts as 4), else None (unset)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    return None


def _selectors(target: Any) -> _Selectors:
    """The source and the first quote and position selectors of the annotation's target."""
    targets = target if isinstance(target, list) else [target]
    usable = [t for t in targets if isinstance(t, dict) and isinstance(t.get("source"), str)]
    if not usable:
        if any(isinstance(t, str) for t in targets):
            raise _Skip("its target is a whole resource, not a passage of text")
        raise _Skip("it has no target")
    for candidate in usable:
        selectors = candidate.get("selector", [])
        selectors = selectors if isinstance(selectors, list) else [selectors]
        quote = _first_of(selectors, "TextQuoteSelector")
        position = _first_of(selectors, "TextPositionSelector")
        if quote is None and position is None:
            continue
        digest = candidate.get(TEXT_DIGEST_KEY)
        start, end = (None, None) if position is None else _span(position)
        return _Selectors(
            source=candidate["source"],
            digest=digest.removeprefix(DIGEST_PREFIX) if isinstance(digest, str) else "",
            exact=None if quote is None else _string(quote.get("exact")),
            prefix="" if quote is None else _string(quote.get("prefix")),
            suffix="" if quote is None else _string(quote.get("suffix")),
            start=start,
            end=end,
        )
    raise _Skip("it has no text quote or text position selector")


def _first_of(selectors: Sequence[Any], kind: str) -> dict[str, Any] | None:
    return next((s for s in selectors if isinstance(s, dict) and kind in _types(s)), None)


def _span(position: Mapping[str, Any]) -> tuple[int | None, int | None]:
    start, end = position.get("start"), position.get("end")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        return start, end
    return None, None


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _quote_of(item: Any) -> str:
    try:
        return _selectors(item.get("target")).exact or ""
    except (_Skip, AttributeError):
        return ""


def _bodies(item: Mapping[str, Any]) -> tuple[tuple[str, ...], str]:
    """Tag names (in the file's order, without repeats) and the note (notes joined)."""
    bodies = item.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    names: list[str] = []
    notes: list[str] = []
    if isinstance(item.get("bodyValue"), str):
        notes.append(item["bodyValue"])
    for body in bodies:
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue  # a body given by IRI (a linked resource) holds no text to keep
        purpose = body.get("purpose")
        if purpose == "tagging" or purpose == ["tagging"]:
            name = _tag_name(body["value"])
            if name.casefold() not in (n.casefold() for n in names):
                names.append(name)
        elif purpose in (None, "commenting", "describing", "replying"):
            notes.append(body["value"])
    return tuple(names), "\n\n".join(notes)


def _tag_name(value: str) -> str:
    try:
        return clean_tag_name(value)
    except CodebookError as exc:
        raise _Skip(f"its tag “{_preview(value)}” cannot be used: {exc}") from None


def _annotation_uuid(item: Mapping[str, Any]) -> str:
    """Claimmark's own `urn:uuid:` ids are kept; any other id gives a uuid derived from it,
    so importing the same foreign file twice is recognised too."""
    ident = item.get("id")
    if isinstance(ident, str) and ident.strip():
        if ident.lower().startswith("urn:uuid:"):
            try:
                return str(uuid.UUID(ident[len("urn:uuid:") :]))
            except ValueError:
                pass
        return str(uuid.uuid5(ID_NAMESPACE, ident))
    canonical = json.dumps(item, sort_keys=True, ensure_ascii=False)
    return str(uuid.uuid5(ID_NAMESPACE, "anonymous:" + canonical))


# ---- documents and anchors ----------------------------------------------------------------------


def _fixed_document(store: LibraryStore, document_id: int | None) -> DocumentRecord | None:
    if document_id is None:
        return None
    try:
        return store.document(document_id)
    except NotFoundError as exc:
        raise W3CImportError(str(exc)) from None


class _DocumentMatcher:
    """Finds (and caches) the library document an annotation's target describes."""

    def __init__(
        self,
        store: LibraryStore,
        entries: Sequence[Mapping[str, Any]],
        fixed: DocumentRecord | None,
    ) -> None:
        self._store = store
        self._fixed = fixed
        self._entries: dict[str, list[Mapping[str, Any]]] = {}
        for entry in entries:
            if isinstance(entry.get("source"), str):
                self._entries.setdefault(entry["source"], []).append(entry)
        self._documents: dict[tuple[str, str], DocumentRecord | None] = {}
        self._by_id: dict[int, DocumentRecord] = {}

    def document_for(self, selectors: _Selectors) -> DocumentRecord:
        if self._fixed is not None:
            return self._fixed
        digest = selectors.digest or self._entry_digest(selectors.source)
        key = (selectors.source, digest)
        if key not in self._documents:
            self._documents[key] = self._find(selectors.source, digest)
        document = self._documents[key]
        if document is None:
            raise _Skip(
                f"no document in the library matches {self._describe(selectors.source)}: "
                "import the article first",
                unmatched=True,
            )
        return document

    def _entry_digest(self, source: str) -> str:
        """The digest `claimmark:documents` gives the source, when it names one text only."""
        digests = {_string(e.get("sha256")) for e in self._entries.get(source, [])}
        return digests.pop() if len(digests) == 1 else ""

    def _find(self, source: str, digest: str) -> DocumentRecord | None:
        # The same text first: its positions hold as they are. Then the same web address (the
        # latest version of that article), where the quotes have to be looked for.
        document_id = self._store.find_document_with_digest(digest) if digest else None
        if document_id is None and source:
            same_address = [d.id for d in self._store.documents() if d.canonical_url == source]
            document_id = max(same_address, default=None)
        if document_id is None:
            return None
        if document_id not in self._by_id:
            self._by_id[document_id] = self._store.document(document_id)
        return self._by_id[document_id]

    def _describe(self, source: str) -> str:
        """The document on one short line: its title (when the file gives one) and address."""
        titles = {" ".join(_string(e.get("title")).split()) for e in self._entries.get(source, [])}
        titles.discard("")
        address = _preview(source) or "(no address)"
        if len(titles) == 1:
            return f"“{_preview(titles.pop())}” ({address})"
        return address


class _Placer:
    """Places quotes in documents, with one `Reanchorer` per document."""

    def __init__(self) -> None:
        self._reanchorers: dict[int, Reanchorer] = {}
        self._digests: dict[int, str] = {}

    def _digest(self, document: DocumentRecord) -> str:
        if document.id not in self._digests:
            self._digests[document.id] = text_digest(document.text)
        return self._digests[document.id]

    def place(self, document: DocumentRecord, selectors: _Selectors) -> tuple[Anchor, float]:
        """The anchor (and its score) of the selected passage in `document`, or _Skip."""
        text, exact = document.text, selectors.exact
        start, end = selectors.start, selectors.end
        span = (start, end) if start is not None and end is not None else None
        if span is not None and not 0 <= span[0] < span[1] <= len(text):
            span = None
        if exact is None:
            # A position alone proves nothing unless the text is the very one it was made on.
            if span is not None and selectors.digest == self._digest(document):
                return anchor_for(text, *span), 1.0
            raise _Skip("it has only a position, and this text differs from the annotated one")
        if not exact:
            raise _Skip("its quote is empty")
        if span is not None and text[span[0] : span[1]] == exact:
            return anchor_for(text, *span), 1.0
        reanchorer = self._reanchorers.get(document.id)
        if reanchorer is None:
            # The old text is unknown: comparing the text with itself maps every position to
            # itself, so the selector's offset is where the quote is expected to be.
            reanchorer = self._reanchorers[document.id] = Reanchorer(text, text, origin_known=False)
        expected = start if start is not None and 0 <= start <= len(text) else 0
        wanted = Anchor(expected, expected + len(exact), exact, selectors.prefix, selectors.suffix)
        found = reanchorer.reanchor(wanted)
        if found.status == ANCHOR_NEEDS_REVIEW:
            raise _Skip(
                found.reason
                or "its quote is not clearly in this text (the best match is uncertain)"
            )
        if found.status != ANCHOR_OK:
            raise _Skip(found.reason or "its quote is not in this text")
        return found.anchor(text), found.score


# ---- tags ---------------------------------------------------------------------------------------


def _tag_names(found: Sequence[_Found]) -> list[str]:
    """The tag names the annotations use, in first-use order, one spelling per name."""
    names: dict[str, str] = {}
    for item in found:
        for name in item.tag_names:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def _wanted_tags(used: Sequence[str], codebook: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Every codebook tag in codebook order, then the used tags the codebook does not list.

    A codebook entry whose name Claimmark cannot store is left out (an annotation using it has
    been reported as not placed already).
    """
    names: list[str] = []
    for entry in codebook.values():
        with suppress(CodebookError):
            names.append(clean_tag_name(entry["name"]))
    listed = {n.casefold() for n in names}
    return names + [n for n in used if n.casefold() not in listed]


def _ensure_tags(
    store: LibraryStore, used: Sequence[str], codebook: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, int], list[str]]:
    """Tag ids by folded name, adding every codebook tag and every `used` tag the library lacks.

    They are added in codebook order (then the used tags it does not list), so an import into
    an empty library restores the exported order exactly. A tag added here goes under its
    exported parent when the library has that tag or this import adds it too; tags already in
    the library keep their place in its codebook.
    """
    existing = store.tags()
    ids = {t.name.casefold(): t.id for t in existing}
    missing = [n for n in _wanted_tags(used, codebook) if n.casefold() not in ids]
    palette = load_default_codebook(resource_path("codebook.json")).palette
    colours = ColourPicker(palette, [t.colour for t in existing])
    specs: list[TagSpec] = []
    parents: list[str] = []  # each new tag's folded parent name ("" for none)
    for name in missing:
        entry = codebook.get(name.casefold(), {})
        colour = _colour(entry.get("colour")) or colours.next()
        colours.take(colour)
        description = entry.get("description")
        specs.append(TagSpec(name, colour, description if isinstance(description, str) else ""))
        parent = entry.get("parent")
        parents.append(" ".join(parent.split()).casefold() if isinstance(parent, str) else "")
    # All at once, then nested: a codebook of thousands costs two statements, not n² reads.
    added = store.add_tags(specs)
    ids.update((tag.name.casefold(), tag.id) for tag in added)
    nesting = [
        (tag.id, ids[parent_key])
        for tag, parent_key in zip(added, parents, strict=True)
        if parent_key in ids and ids[parent_key] != tag.id
    ]
    # Parents listed before their children nest first, so in a loop of a hand-edited
    # codebook it is the tag whose parent comes after it that stays on top.
    order = {tag.id: index for index, tag in enumerate(added)}
    nesting.sort(key=lambda pair: order.get(pair[1], -1) > order[pair[0]])
    if nesting:
        store.nest_tags(nesting)
    return ids, [tag.name for tag in added]


def _colour(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return clean_colour(value)
    except CodebookError:
        return None


# ---- writing ------------------------------------------------------------------------------------


def _split_duplicates(
    store: LibraryStore, found: Sequence[_Found]
) -> tuple[list[_Found], int, int]:
    """The annotations the library lacks, how many it has already, and how many were renumbered.

    An annotation is already there when the document has its uuid. When another document has
    it (an import onto another version, say), the copy gets a uuid derived from the original
    and the document, so that importing the same file there again is recognised as well.
    Decided before any tag is added, so that re-importing a file adds nothing at all.
    """
    copies = [
        str(uuid.uuid5(ID_NAMESPACE, f"{item.uuid} on document {item.document_id}"))
        for item in found
    ]
    owner = store.annotation_owners([item.uuid for item in found] + copies)
    new: list[_Found] = []
    duplicates = renumbered = 0
    for item in found:
        copied = owner.get(item.uuid, item.document_id) != item.document_id
        if copied:
            copy = str(uuid.uuid5(ID_NAMESPACE, f"{item.uuid} on document {item.document_id}"))
            item = replace(item, uuid=copy)
        if item.uuid in owner:
            duplicates += 1
            continue
        owner[item.uuid] = item.document_id
        new.append(item)
        renumbered += 1 if copied else 0
    return new, duplicates, renumbered


def _write_annotations(
    store: LibraryStore, found: Sequence[_Found], tag_ids: Mapping[str, int]
) -> list[int]:
    """Add the placed annotations, keeping their uuids and times, in one transaction."""
    return store.add_annotations(
        [
            NewAnnotation(
                document_id=item.document_id,
                uuid=item.uuid,
                anchor=item.anchor,
                tag_ids=tuple(tag_ids[name.casefold()] for name in item.tag_names),
                note=item.note,
                created=item.created,
                updated=item.updated,
                anchor_status=item.status,
                anchor_score=item.score,
                anchor_method=IMPORT_METHOD,
                previous_exact=item.previous_exact,
                stance=item.stance,
                speaker=item.speaker,
                checkworthiness=item.checkworthiness,
            )
            for item in found
        ]
    )
