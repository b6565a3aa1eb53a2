"""Exporting annotations as a Markdown note (CommonMark with YAML front matter).

The note is meant to be read by people and by note-taking tools alike, so every piece of user
text (title, quotes, tag names, notes) goes through `markdown_escape`: a quote always parses back
to exactly the annotated characters, and no note can add a heading, a list or raw HTML. Tags are
also written as Obsidian-style hashtags (`#trade`, `#trade/tariffs` once tags nest), and each
quote links back to its place: a web article's URL with a text fragment, else the position.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import quote

from desktop_app.core.records import AnnotationRecord, DocumentRecord, TagRecord
from desktop_app.io.export_bundle import ExportBundle
from desktop_app.io.markdown_escape import block_quote, escape_inline, escape_line, yaml_scalar

Grouping = Literal["reading", "tag"]
_HASHTAG_UNSAFE = re.compile(r"[^\w/-]+")

UNTITLED = "Untitled document"
# Spelled as an escape because ruff (RUF001) rightly flags a literal en dash as look-alike.
EN_DASH = "\u2013"


def export_markdown(
    document: DocumentRecord,
    annotations: Sequence[AnnotationRecord],
    tags: Sequence[TagRecord],
    exported_at: datetime,
) -> str:
    """The whole Markdown note for `document`, ending with exactly one newline.

    Annotations are written in reading order whatever order they arrive in, so two exports of the
    same data are identical; tag ids missing from `tags` are skipped rather than failing the
    export, since a deleted codebook entry should not make the annotations unexportable.
    """
    ordered = sorted(annotations, key=lambda a: (a.start, a.end, a.id))
    tags_by_id = {tag.id: tag for tag in tags}
    blocks = [
        _front_matter(document, len(ordered), exported_at),
        "# " + (escape_line(document.title) or UNTITLED),
        _summary(ordered, tags_by_id),
    ]
    for number, annotation in enumerate(ordered, start=1):
        blocks.extend(_annotation_blocks(number, annotation, tags_by_id))
    return "\n\n".join(blocks) + "\n"


def utc_timestamp(moment: datetime) -> str:
    """ISO-8601 in UTC with a `Z`, to the second (e.g. `2026-11-25T10:00:00Z`).

    A naive datetime is refused, as in storage: guessing its zone would silently shift the time.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _front_matter(document: DocumentRecord, count: int, exported_at: datetime) -> str:
    """The YAML front matter block, values as one-line double-quoted scalars."""
    return "\n".join(
        [
            "---",
            f"title: {yaml_scalar(document.title)}",
            f"source: {yaml_scalar(document.source)}",
            f"exported_at: {yaml_scalar(utc_timestamp(exported_at))}",
            f"annotations: {count}",
            "---",
        ]
    )


def _summary(ordered: Sequence[AnnotationRecord], tags_by_id: Mapping[int, TagRecord]) -> str:
    """One line such as "3 annotated passages · tags: trade (2), security (1)"."""
    if not ordered:
        return "No annotated passages"
    counts = Counter(tag.id for a in ordered for tag in _tags_of(a, tags_by_id))
    used = _in_codebook_order(tags_by_id[tag_id] for tag_id in counts)
    listed = ", ".join(f"{_tag_label(tag)} ({counts[tag.id]})" for tag in used) or "none"
    noun = "passage" if len(ordered) == 1 else "passages"
    return f"{len(ordered)} annotated {noun} · tags: {listed}"


def _annotation_blocks(
    number: int, annotation: AnnotationRecord, tags_by_id: Mapping[int, TagRecord]
) -> list[str]:
    """The heading, quote, tags and (if any) note of one annotation, one string per block."""
    tag_names = ", ".join(_tag_label(tag) for tag in _tags_of(annotation, tags_by_id))
    blocks = [
        f"## {number} · characters {annotation.start}{EN_DASH}{annotation.end}",
        block_quote(annotation.exact),
        f"**Tags:** {tag_names or 'none'}",
    ]
    # A whitespace-only note says nothing; writing it would only add an empty-looking paragraph.
    if annotation.note.strip():
        blocks += ["**Note:**", escape_inline(annotation.note)]
    return blocks


def _tag_label(tag: TagRecord) -> str:
    """The escaped tag name; a blank name gets a placeholder so the list keeps its shape."""
    return escape_line(tag.name) or f"tag {tag.id}"


def _tags_of(annotation: AnnotationRecord, tags_by_id: Mapping[int, TagRecord]) -> list[TagRecord]:
    """The annotation's known tags, each once, in codebook order."""
    return _in_codebook_order(tags_by_id[i] for i in set(annotation.tag_ids) if i in tags_by_id)


def _in_codebook_order(tags: Iterable[TagRecord]) -> list[TagRecord]:
    """Tags sorted as the side panel shows them (position, then id to break ties)."""
    return sorted(tags, key=lambda tag: (tag.position, tag.id))


def export_markdown_bundle(bundle: ExportBundle, grouping: Grouping = "reading") -> str:
    """One Markdown file for every document of the bundle (one article, or the library).

    `grouping` "reading" lists annotations in reading order; "tag" lists them under a heading
    per tag, in codebook order (an annotation with two tags appears under both), which is how
    a report on one kind of claim is usually wanted.
    """
    tags_by_id = {tag.id: tag for tag in bundle.tags}
    single = len(bundle.documents) == 1
    title = bundle.documents[0].title if single else "Claimmark library"
    lines = [
        "---",
        f"title: {yaml_scalar(title)}",
        f"exported_at: {yaml_scalar(utc_timestamp(bundle.exported_at))}",
        f"documents: {len(bundle.documents)}",
        f"annotations: {bundle.annotation_count}",
        f"grouping: {yaml_scalar(grouping)}",
        "---",
    ]
    blocks = ["\n".join(lines)]
    if not single:
        blocks.append("# " + escape_line(title))
    level = "#" if single else "##"
    for document in bundle.documents:
        annotations = list(bundle.annotations_of(document.id))
        blocks.append(f"{level} " + (escape_line(document.title) or UNTITLED))
        if document.byline:
            blocks.append("*" + escape_line(document.byline) + "*")
        blocks.append(_summary(annotations, tags_by_id))
        if grouping == "tag":
            blocks.extend(_grouped_by_tag(document, annotations, tags_by_id, level + "#"))
        else:
            for number, annotation in enumerate(annotations, start=1):
                blocks.extend(_entry(number, document, annotation, tags_by_id, level + "#"))
    return "\n\n".join(blocks) + "\n"


def _grouped_by_tag(
    document: DocumentRecord,
    annotations: Sequence[AnnotationRecord],
    tags_by_id: Mapping[int, TagRecord],
    level: str,
) -> list[str]:
    blocks: list[str] = []
    for tag in _in_codebook_order(tags_by_id.values()):
        tagged = [a for a in annotations if tag.id in a.tag_ids]
        if not tagged:
            continue
        blocks.append(f"{level} {_tag_label(tag)} ({len(tagged)})")
        for number, annotation in enumerate(tagged, start=1):
            blocks.extend(_entry(number, document, annotation, tags_by_id, level + "#"))
    untagged = [a for a in annotations if not _tags_of(a, tags_by_id)]
    if untagged:
        blocks.append(f"{level} Untagged ({len(untagged)})")
        for number, annotation in enumerate(untagged, start=1):
            blocks.extend(_entry(number, document, annotation, tags_by_id, level + "#"))
    return blocks


def _entry(
    number: int,
    document: DocumentRecord,
    annotation: AnnotationRecord,
    tags_by_id: Mapping[int, TagRecord],
    level: str,
) -> list[str]:
    """Heading with a link back to the place, quote, hashtags, note, and review status."""
    place = f"characters {annotation.start}{EN_DASH}{annotation.end}"
    link = place_link(document, annotation)
    heading = f"{level} {number} · " + (f"[{place}]({link})" if link else place)
    tags = _tags_of(annotation, tags_by_id)
    blocks = [heading, block_quote(annotation.exact)]
    tag_line = " ".join(hashtag(tag.name) for tag in tags) or "no tag"
    blocks.append(f"**Tags:** {tag_line}")
    if annotation.needs_attention:
        status = "orphaned" if annotation.anchor_status == "orphaned" else "needs review"
        blocks.append(f"**Status:** {status} (carried from an earlier version)")
    if annotation.note.strip():
        blocks += ["**Note:**", escape_inline(annotation.note)]
    return blocks


def hashtag(name: str) -> str:
    """A tag name as an Obsidian-style hashtag: `#trade`, `#energy-policy`, `#trade/tariffs`."""
    slug = _HASHTAG_UNSAFE.sub("-", "/".join(part.strip() for part in name.split("›")))
    slug = re.sub(r"-*/-*", "/", slug).strip("-/") or "tag"
    if slug[0].isdigit():
        slug = "tag-" + slug  # Obsidian does not take a tag that starts with a digit
    return "#" + slug


def place_link(document: DocumentRecord, annotation: AnnotationRecord) -> str | None:
    """A link that opens the quote in its place: the web article with a text fragment."""
    url = document.canonical_url
    if not url.startswith(("http://", "https://")):
        return None
    words = annotation.exact.split()
    if not words:
        return None
    if len(words) <= 8:
        fragment = quote(" ".join(words), safe="")
    else:
        fragment = quote(" ".join(words[:4]), safe="") + "," + quote(" ".join(words[-4:]), safe="")
    # `-` and `,` are the fragment syntax's own separators: escape them inside words.
    fragment = fragment.replace("-", "%2D")
    return f"<{url.replace('>', '%3E').replace(' ', '%20')}#:~:text={fragment}>"
