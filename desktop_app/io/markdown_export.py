"""Exporting annotations as a Markdown note (CommonMark with YAML front matter).

The note is meant to be read by people and by note-taking tools alike, so every piece of user
text (title, quotes, tag names, notes, speakers) goes through `markdown_escape`: a quote always
parses back to exactly the annotated characters, and no note can add a heading, a list or raw
HTML. Tags are also written as Obsidian-style hashtags, a nested tag with its whole path from the
root (`#trade/tariffs`), and each quote links back to its place: a web article's URL with a text
fragment, else the position.

An annotation's claim fields, when any is set, follow its tags on one line:
`**Claim:** supports · speaker: Ana Ruiz · check-worthiness 4/5` (only the parts that are set).

Grouped by tag, the sections follow the codebook's tree: a parent tag's section holds its own
annotations, then one sub-section per child tag, a heading level deeper, with the child's; the
parent's count covers them all (each annotation once). Headings stop at level 6, so tags nested
deeper than Markdown has levels share the last level and are named by their whole path there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Literal
from urllib.parse import quote

from desktop_app.core.records import AnnotationRecord, DocumentRecord, TagRecord
from desktop_app.io.export_bundle import ExportBundle, reading_order
from desktop_app.io.markdown_escape import block_quote, escape_inline, escape_line, yaml_scalar

Grouping = Literal["reading", "tag"]
_HASHTAG_UNSAFE = re.compile(r"[^\w/-]+")

UNTITLED = "Untitled document"
# Spelled as an escape because ruff (RUF001) rightly flags a literal en dash as look-alike.
EN_DASH = "\u2013"
# How a nested tag's path reads in prose (`trade › tariffs`): the codebook dialog's spelling.
PATH_SEPARATOR = " \u203a "
# The deepest heading a tag section takes: its annotations sit one level below, at most at 6.
_DEEPEST_TAG_HEADING = 5


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
    ordered = sorted(annotations, key=reading_order)
    tags_by_id = {tag.id: tag for tag in tags}
    blocks = [
        _front_matter(document, len(ordered), exported_at),
        "# " + (escape_line(document.title) or UNTITLED),
        _summary(ordered, tags_by_id),
    ]
    for number, annotation in enumerate(ordered, start=1):
        blocks.extend(_annotation_blocks(number, annotation, tags_by_id))
    return "\n\n".join(blocks) + "\n"


@lru_cache(maxsize=4096)
def utc_timestamp(moment: datetime) -> str:
    """ISO-8601 in UTC with a `Z`, to the second (e.g. `2026-11-25T10:00:00Z`).

    A naive datetime is refused, as in storage: guessing its zone would silently shift the time.
    Remembered: the CSV and REFI exports ask for 20,000 of them, and annotations made together
    share their times.
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


def _summary(
    ordered: Sequence[AnnotationRecord],
    tags_by_id: Mapping[int, TagRecord],
    codebook: _Codebook | None = None,
) -> str:
    """One line such as "3 annotated passages · tags: trade (2), security (1)"."""
    if not ordered:
        return "No annotated passages"
    codebook = codebook or _Codebook(tags_by_id)
    counts = Counter(tag.id for a in ordered for tag in codebook.tags_of(a.tag_ids))
    used = [tag for tag, _depth in codebook_tree(tags_by_id.values()) if tag.id in counts]
    listed = ", ".join(f"{_path_label(tag, tags_by_id)} ({counts[tag.id]})" for tag in used)
    listed = listed or "none"
    noun = "passage" if len(ordered) == 1 else "passages"
    return f"{len(ordered)} annotated {noun} · tags: {listed}"


def _annotation_blocks(
    number: int, annotation: AnnotationRecord, tags_by_id: Mapping[int, TagRecord]
) -> list[str]:
    """The heading, quote, tags, claim fields and note of one annotation (the last two only if
    set), one string per block."""
    tags = _tags_of(annotation, tags_by_id)
    tag_names = ", ".join(_path_label(tag, tags_by_id) for tag in tags)
    blocks = [
        f"## {number} · characters {annotation.start}{EN_DASH}{annotation.end}",
        block_quote(annotation.exact),
        f"**Tags:** {tag_names or 'none'}",
    ]
    claim = claim_line(annotation)
    if claim:
        blocks.append(claim)
    # A whitespace-only note says nothing; writing it would only add an empty-looking paragraph.
    if annotation.note.strip():
        blocks += ["**Note:**", escape_inline(annotation.note)]
    return blocks


def _tag_label(tag: TagRecord) -> str:
    """The escaped tag name; a blank name gets a placeholder so the list keeps its shape."""
    return escape_line(tag.name) or f"tag {tag.id}"


def _path_label(tag: TagRecord, tags_by_id: Mapping[int, TagRecord]) -> str:
    """The escaped names from the root down to `tag`: `trade › tariffs` (`trade` at the top)."""
    return PATH_SEPARATOR.join(_tag_label(t) for t in tag_path(tag, tags_by_id))


def claim_line(annotation: AnnotationRecord) -> str:
    """`**Claim:** supports · speaker: Ana Ruiz · check-worthiness 4/5`, only the parts that are
    set (escaped like all user text); "" when none is."""
    parts = []
    if annotation.stance.strip():
        parts.append(escape_line(annotation.stance))
    if annotation.speaker.strip():
        parts.append("speaker: " + escape_line(annotation.speaker))
    if annotation.checkworthiness is not None:
        parts.append(f"check-worthiness {annotation.checkworthiness}/5")
    return "**Claim:** " + " · ".join(parts) if parts else ""


def tag_path(tag: TagRecord, tags_by_id: Mapping[int, TagRecord]) -> tuple[TagRecord, ...]:
    """`tag` with its ancestors, from the root down: (trade, tariffs) for `tariffs`.

    A parent missing from `tags_by_id` ends the path there (the tag counts as a root), and a
    loop, which the codebook refuses anyway, is cut where it comes back.
    """
    path = [tag]
    seen = {tag.id}
    parent = tag.parent_id
    while parent is not None and parent in tags_by_id and parent not in seen:
        seen.add(parent)
        path.append(tags_by_id[parent])
        parent = tags_by_id[parent].parent_id
    return tuple(reversed(path))


def codebook_tree(tags: Iterable[TagRecord]) -> list[tuple[TagRecord, int]]:
    """Every tag once, with its depth, depth first: each top-level tag in panel order followed
    by the tags nested under it (siblings in panel order). A tag whose parent is not among
    `tags` is top-level; tags caught in a loop come last, from the first of them in panel order.
    """
    ordered = _in_codebook_order(tags)
    known = {tag.id for tag in ordered}
    children: dict[int | None, list[TagRecord]] = {}
    for tag in ordered:
        parent = tag.parent_id if tag.parent_id in known and tag.parent_id != tag.id else None
        children.setdefault(parent, []).append(tag)
    placed: list[tuple[TagRecord, int]] = []
    seen: set[int] = set()

    def walk(tag: TagRecord, depth: int) -> Iterator[tuple[TagRecord, int]]:
        seen.add(tag.id)
        yield tag, depth
        for child in children.get(tag.id, ()):
            if child.id not in seen:
                yield from walk(child, depth + 1)

    for root in children.get(None, ()):
        placed.extend(walk(root, 0))
    for tag in ordered:
        if tag.id not in seen:
            placed.extend(walk(tag, 0))
    return placed


def nested_hashtag(tag: TagRecord, tags_by_id: Mapping[int, TagRecord]) -> str:
    """The hashtag of a tag with its whole path (`#trade/tariffs`), each part as `hashtag()`
    makes a name safe."""
    return "#" + "/".join(hashtag(t.name)[1:] for t in tag_path(tag, tags_by_id))


def _tags_of(annotation: AnnotationRecord, tags_by_id: Mapping[int, TagRecord]) -> list[TagRecord]:
    """The annotation's known tags, each once, in codebook order."""
    return _in_codebook_order(tags_by_id[i] for i in set(annotation.tag_ids) if i in tags_by_id)


class _Codebook:
    """The tags of an export, with what each combination of them prints remembered: 10,000
    annotations share a few dozen combinations, and working one out takes a sort and a
    hashtag per tag."""

    def __init__(self, tags_by_id: Mapping[int, TagRecord]) -> None:
        self.tags_by_id = tags_by_id
        self._tags: dict[tuple[int, ...], tuple[TagRecord, ...]] = {}
        self._lines: dict[tuple[int, ...], str] = {}

    def tags_of(self, tag_ids: tuple[int, ...]) -> tuple[TagRecord, ...]:
        """The known tags among `tag_ids`, each once, in codebook order."""
        tags = self._tags.get(tag_ids)
        if tags is None:
            known = self.tags_by_id
            ordered = _in_codebook_order(known[i] for i in set(tag_ids) if i in known)
            tags = self._tags[tag_ids] = tuple(ordered)
        return tags

    def tag_line(self, tag_ids: tuple[int, ...]) -> str:
        """`**Tags:** #trade/tariffs #security` (or `no tag`) for an annotation's tags."""
        line = self._lines.get(tag_ids)
        if line is None:
            tags = self.tags_of(tag_ids)
            hashtags = " ".join(nested_hashtag(tag, self.tags_by_id) for tag in tags)
            line = self._lines[tag_ids] = f"**Tags:** {hashtags or 'no tag'}"
        return line


def _in_codebook_order(tags: Iterable[TagRecord]) -> list[TagRecord]:
    """Tags sorted as the side panel shows them (position, then id to break ties)."""
    return sorted(tags, key=lambda tag: (tag.position, tag.id))


def export_markdown_bundle(bundle: ExportBundle, grouping: Grouping = "reading") -> str:
    """One Markdown file for every document of the bundle (one article, or the library).

    `grouping` "reading" lists annotations in reading order; "tag" lists them under a heading
    per tag, in codebook order (an annotation with two tags appears under both), which is how
    a report on one kind of claim is usually wanted. Nested tags get sub-sections (see the
    module docstring).
    """
    tags_by_id = {tag.id: tag for tag in bundle.tags}
    codebook = _Codebook(tags_by_id)
    single = len(bundle.documents) == 1
    title = bundle.documents[0].title if single else "Claimmark library"
    lines = [
        "---",
        f"title: {yaml_scalar(title)}",
        *([f"source: {yaml_scalar(bundle.documents[0].source)}"] if single else []),
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
        blocks.append(_summary(annotations, tags_by_id, codebook))
        if grouping == "tag":
            blocks.extend(_grouped_by_tag(document, annotations, codebook, level + "#"))
        else:
            for number, annotation in enumerate(annotations, start=1):
                blocks.extend(_entry(number, document, annotation, codebook, level + "#"))
    return "\n\n".join(blocks) + "\n"


def _grouped_by_tag(
    document: DocumentRecord,
    annotations: Sequence[AnnotationRecord],
    codebook: _Codebook,
    level: str,
) -> list[str]:
    """A section per tag in the codebook's tree, sub-sections for nested tags, then untagged."""
    tags_by_id = codebook.tags_by_id
    tree = codebook_tree(tags_by_id.values())
    # Each tag's subtree: the tag and every tag under it (the tree lists a subtree in one run).
    subtree: dict[int, set[int]] = {}
    for index, (tag, depth) in enumerate(tree):
        below = {tag.id}
        for other, other_depth in tree[index + 1 :]:
            if other_depth <= depth:
                break
            below.add(other.id)
        subtree[tag.id] = below
    blocks: list[str] = []
    for tag, depth in tree:
        covered = [a for a in annotations if subtree[tag.id].intersection(a.tag_ids)]
        if not covered:
            continue
        heading = min(len(level) + depth, max(len(level), _DEEPEST_TAG_HEADING))
        nested = len(level) + depth == heading
        label = _tag_label(tag) if nested else _path_label(tag, tags_by_id)
        blocks.append(f"{'#' * heading} {label} ({len(covered)})")
        own = [a for a in annotations if tag.id in a.tag_ids]
        for number, annotation in enumerate(own, start=1):
            blocks.extend(_entry(number, document, annotation, codebook, "#" * (heading + 1)))
    untagged = [a for a in annotations if not codebook.tags_of(a.tag_ids)]
    if untagged:
        blocks.append(f"{level} Untagged ({len(untagged)})")
        for number, annotation in enumerate(untagged, start=1):
            blocks.extend(_entry(number, document, annotation, codebook, level + "#"))
    return blocks


def _entry(
    number: int,
    document: DocumentRecord,
    annotation: AnnotationRecord,
    codebook: _Codebook,
    level: str,
) -> list[str]:
    """Heading with a link back to the place, quote, hashtags, claim fields, review status, note."""
    place = f"characters {annotation.start}{EN_DASH}{annotation.end}"
    link = place_link(document, annotation)
    heading = f"{level} {number} · " + (f"[{place}]({link})" if link else place)
    blocks = [heading, block_quote(annotation.marked_words), codebook.tag_line(annotation.tag_ids)]
    claim = claim_line(annotation)
    if claim:
        blocks.append(claim)
    if annotation.needs_attention:
        status = (
            "orphaned: not found in this version, quoted as the earlier version had it"
            if annotation.anchor_status == "orphaned"
            else "needs review (carried from an earlier version)"
        )
        blocks.append(f"**Status:** {status}")
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
