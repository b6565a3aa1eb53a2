"""Realistic libraries and bundles for export tests (W3C, REFI-QDA, CSV, Markdown, HTML, ...).

`make_library(store)` fills a real LibraryStore with four documents and their annotations:

* the sample article (resources/sample-article.txt) with overlapping, multi-tag, note-only and
  plain-highlight annotations, spans at the very start and very end of the text, one annotation
  left under review (as re-anchoring leaves them) and a hostile note on most;
* a text with emoji, a flag and astral CJK (𠮷) before and inside annotated spans, so code-point
  offsets differ from UTF-16 ones; it has a canonical web address;
* a Japanese text;
* a text given with CRLF line endings and a byte-order mark (normalised as an importer would).

The codebook nests `tariffs` under `trade` (right after it in panel order, so the tree order and
the panel order agree); some annotations carry `tariffs` alone, one carries both. Several
annotations have claim fields (`CLAIMS`), with hostile speakers among them.

`add_sample_documents(store)` adds the same documents without annotations, for the receiving
library of a round trip. Every hostile string is valid in XML 1.0 and JSON (no control
characters but tab and line feed), so every format can carry it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from desktop_app.core.anchors import anchor_for
from desktop_app.core.codebook import TagSpec, load_default_codebook
from desktop_app.core.records import ANCHOR_NEEDS_REVIEW, AnnotationRecord
from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.export_bundle import ExportBundle, collect_bundle
from desktop_app.resources import resource_path, sample_article
from desktop_app.storage.library_store import LibraryStore, NewAnnotation

EXPORTED_AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

HOSTILE_STRINGS: tuple[str, ...] = (
    "<script>alert(1)</script>",
    "]]> and <![CDATA[ inside ]]>",
    "\"double\" and 'single' quotes",
    "back\\slash and \\\\ two",
    "&amp; &lt; &#32; &copy",
    "# Heading\n\n* item\n**bold** _em_ `code` [link](http://x) | a | b |",
    "line one\nline two\n\n  indented\ttab",
    "=1+1",
    "+1, -1, @SUM(A1) and a leading '",
    "emoji 😀 👍🏽 🇯🇵 and astral CJK 𠮷",
    "注「過半数」は要確認",
)
# The name the brief of the shared helpers uses.
hostile_strings = HOSTILE_STRINGS

# A tag whose name is hostile too (markup, quotes, an ampersand).
HOSTILE_TAG = '<b>fact & "check"</b>'
HOSTILE_TAG_COLOUR = "#cc79a7"
# A tag nested under `trade`.
PARENT_TAG = "trade"
NESTED_TAG = "tariffs"
NESTED_TAG_COLOUR = "#d55e00"
# Speakers a spreadsheet, a page or a note must show as typed.
HOSTILE_SPEAKERS: tuple[str, ...] = (
    '=HYPERLINK("x")',
    '<b>Ana</b> "Ruiz"',
    "# Heading * item [link](http://x) & ]]>",
    "高市 早苗 😀",
)


@dataclass(frozen=True, slots=True)
class SampleText:
    """A document as a file holds it (`raw_text`, before normalising) and as an importer
    hands it to `store.add_document` (`text`, normalised)."""

    key: str
    title: str
    source: str
    raw_text: str
    canonical_url: str = ""

    @property
    def text(self) -> str:
        """The text normalised, as the importer that built it would (the store only checks)."""
        return normalise_text(self.raw_text)


EMOJI_TEXT = (
    "Prices 😀 rose again this spring.\n"
    "𠮷野家 says the 👍🏽 beef bowl will cost more: 10% more 🇯🇵 from May.\n"
    "Analysts 🤔 call the claim 𠮷 exaggerated.\n"
)
JAPANESE_TEXT = (
    "高市首相は、トランプ前大統領と東京で会談する。\n"
    "首脳会談では貿易と安全保障が主な議題となる見通しだ。\n"
    "連立与党は衆議院で過半数に2議席足りない。\n"
)
CRLF_TEXT = (
    "\ufeffFirst line makes a claim about growth.\r\n"
    "Second line disputes it with new figures.\r\n"
    "\r\n"
    "Third line, after a blank line, concludes.\r\n"
)


def sample_texts() -> tuple[SampleText, ...]:
    """The four sample documents, in the order `make_library` adds them."""
    title, source, text = sample_article()
    return (
        SampleText("article", title, source, text),
        SampleText(
            "emoji",
            "Prices 😀 and 𠮷野家",
            "emoji.txt",
            EMOJI_TEXT,
            canonical_url="https://example.org/news/prices-emoji",
        ),
        SampleText("japanese", "高市首相の初の試練", "japanese.txt", JAPANESE_TEXT),
        SampleText("crlf", "Windows notes", "crlf.txt", CRLF_TEXT),
    )


# (quote, tag names, note) per document key, in no particular order.
ANNOTATIONS: dict[str, tuple[tuple[str, tuple[str, ...], str], ...]] = {
    "article": (
        (
            "The focus of their summit is expected to center on trade and security matters, "
            "representing a critical moment for Japan's relationship with its powerful partner.",
            ("trade", "security"),
            HOSTILE_STRINGS[0],
        ),
        ("trade and security matters", ("trade",), HOSTILE_STRINGS[1]),
        (
            "having formed a coalition that puts her two seats short of a controlling number in "
            "the influential chamber of the Diet",
            ("coalition",),
            HOSTILE_STRINGS[2],
        ),
        (
            "planning to raise defense expenditure to two percent of GDP by the close of the "
            "fiscal year",
            ("security",),
            HOSTILE_STRINGS[4],
        ),
        (
            "accelerate Japan's military expansion, planning to raise defense expenditure",
            ("security", HOSTILE_TAG),
            HOSTILE_STRINGS[5],
        ),
        (
            "Not many anticipate major concessions on trade matters this week",
            ("trade", "tariffs"),
            HOSTILE_STRINGS[7],
        ),
        (
            "The PM is expected to seek additional relief by promising increased acquisitions "
            "of US products",
            (),
            HOSTILE_STRINGS[6],
        ),
        ("Trump's visit to the country will begin with a audience with Emperor Naruhito", (), ""),
        ("sharing city adventures and cultural discoveries from around the world.", (), ""),
        ("Japan's freshly appointed leader, Takaichi", ("coalition",), HOSTILE_STRINGS[3]),
    ),
    "emoji": (
        ("rose again this spring", ("trade",), HOSTILE_STRINGS[9]),
        ("𠮷野家 says the 👍🏽 beef bowl will cost more", ("trade", HOSTILE_TAG), ""),
        ("10% more 🇯🇵", ("tariffs",), HOSTILE_STRINGS[8]),
        ("call the claim 𠮷 exaggerated.", (), "𠮷"),
    ),
    "japanese": (
        ("貿易と安全保障が主な議題となる", ("trade", "security"), ""),
        ("連立与党は衆議院で過半数に2議席足りない。", ("coalition",), HOSTILE_STRINGS[10]),
    ),
    "crlf": (
        ("Second line disputes it with new figures.", ("tariffs",), "a note\nover two lines"),
        ("Third line, after a blank line, concludes.", (), HOSTILE_STRINGS[5]),
    ),
}
# The annotation `make_library` leaves under review, as re-anchoring would.
UNDER_REVIEW = ("article", "Japan's freshly appointed leader, Takaichi")

# (stance, speaker, check-worthiness) per (document key, quote); every other annotation has none.
CLAIMS: dict[tuple[str, str], tuple[str, str, int | None]] = {
    ("article", "trade and security matters"): ("supports", "Ana Ruiz", 4),
    ("article", "Not many anticipate major concessions on trade matters this week"): (
        "opposes",
        HOSTILE_SPEAKERS[0],
        5,
    ),
    ("article", "Japan's freshly appointed leader, Takaichi"): (
        "neutral",
        HOSTILE_SPEAKERS[1],
        None,
    ),
    ("emoji", "10% more 🇯🇵"): ("", HOSTILE_SPEAKERS[3], 1),
    ("japanese", "連立与党は衆議院で過半数に2議席足りない。"): ("unclear", "", None),
    ("crlf", "Second line disputes it with new figures."): ("", HOSTILE_SPEAKERS[2], None),
    ("crlf", "Third line, after a blank line, concludes."): ("", "", 3),
}


def add_sample_documents(store: LibraryStore) -> list[int]:
    """Add the sample documents (no annotations); their ids in `sample_texts()` order."""
    return [
        store.add_document(s.title, s.source, s.text, canonical_url=s.canonical_url).id
        for s in sample_texts()
    ]


def ensure_sample_codebook(store: LibraryStore) -> dict[str, int]:
    """The default codebook plus the hostile tag and `tariffs` under `trade`; tag ids by name."""
    if not store.tags():
        store.seed_codebook(load_default_codebook(resource_path("codebook.json")).tags)
    if HOSTILE_TAG not in {t.name for t in store.tags()}:
        store.add_tag(TagSpec(HOSTILE_TAG, HOSTILE_TAG_COLOUR, "Markup & quotes in a name."))
    names = {t.name: t for t in store.tags()}
    if NESTED_TAG not in names:
        parent = names[PARENT_TAG]
        store.add_tag(
            TagSpec(NESTED_TAG, NESTED_TAG_COLOUR, "Claims about tariffs & duties."),
            position=parent.position + 1,
            parent_id=parent.id,
        )
    return {t.name: t.id for t in store.tags()}


def annotate(
    store: LibraryStore,
    document_id: int,
    quote: str,
    tag_names: Sequence[str] = (),
    note: str = "",
    occurrence: int = 0,
) -> AnnotationRecord:
    """Annotate the `occurrence`-th copy of `quote` in the document with tags (by name)."""
    text = store.document(document_id).text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    tags = {t.name: t.id for t in store.tags()}
    anchor = anchor_for(text, start, start + len(quote))
    return store.create_annotation(document_id, anchor, [tags[n] for n in tag_names], note)


def make_library(store: LibraryStore) -> list[int]:
    """Fill `store` with the sample documents and annotations; the document ids, in order."""
    ensure_sample_codebook(store)
    ids = add_sample_documents(store)
    for sample, document_id in zip(sample_texts(), ids, strict=True):
        for quote, tag_names, note in ANNOTATIONS[sample.key]:
            record = annotate(store, document_id, quote, tag_names, note)
            if (sample.key, quote) in CLAIMS:
                store.set_claim_fields(record.id, *CLAIMS[sample.key, quote])
            if (sample.key, quote) == UNDER_REVIEW:
                store.place_annotation(
                    record.id,
                    anchor_for(store.document(document_id).text, record.start, record.end),
                    method="fuzzy",
                    status=ANCHOR_NEEDS_REVIEW,
                )
    return ids


def sample_bundle(
    store: LibraryStore, ids: Sequence[int] | None = None, exported_at: datetime = EXPORTED_AT
) -> ExportBundle:
    """The export bundle of `ids` (default: every document) at a fixed export time."""
    return collect_bundle(store, ids, exported_at)


# ---- a codebook whose order nesting alone cannot show --------------------------------------------

# (name, colour, description, parent name or None), in panel order. `child` sits under `alpha` but
# after `beta`; `unused` is on no annotation; `kid` comes before its parent `folder`, which is on
# no annotation itself.
ORDERED_CODEBOOK: tuple[tuple[str, str, str, str | None], ...] = (
    ("alpha", "#112233", "The first tag.", None),
    ("beta", "#445566", "", None),
    ("child", "#778899", "Nested under alpha, listed after beta.", "alpha"),
    ("unused", "#aabbcc", "On no annotation at all.", None),
    ("kid", "#ddeeff", "Listed before its parent.", "folder"),
    ("folder", "#123456", "A parent whose only use is its child.", None),
)
ORDERED_TEXT = (
    "Alpha says tariffs rose by 10% in May.\n"
    "Beta replies that 😀 prices fell 𠮷 instead.\n"
    "A third line, about a child claim.\n"
)
# (quote, tag names, note, (stance, speaker, check-worthiness), created, updated); times carry
# microseconds so that a round trip that cuts them to seconds shows.
ORDERED_ANNOTATIONS: tuple[
    tuple[str, tuple[str, ...], str, tuple[str, str, int | None], datetime, datetime], ...
] = (
    (
        "Alpha says tariffs rose",
        ("alpha", "child"),
        'A note with <markup> & "quotes".',
        ("supports", "Ana Ruiz", 4),
        datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC),
        datetime(2026, 3, 5, 8, 9, 10, 654321, tzinfo=UTC),
    ),
    (
        "prices fell 𠮷 instead",
        ("beta",),
        "",
        ("opposes", "", None),
        datetime(2026, 3, 4, 5, 6, 8, 500000, tzinfo=UTC),
        datetime(2026, 3, 4, 5, 6, 8, 500000, tzinfo=UTC),
    ),
    (
        "about a child claim",
        ("kid",),
        "line one\nline two",
        ("", "高市 早苗", 2),
        datetime(2026, 3, 4, 5, 6, 9, 1, tzinfo=UTC),
        datetime(2026, 3, 4, 5, 6, 9, 1, tzinfo=UTC),
    ),
)


def tree_order(
    rows: tuple[tuple[str, str, str, str | None], ...],
) -> list[tuple[str, str, str, str | None]]:
    """`rows` as the panel lists them once nested: each tag followed by the tags under it.

    Linking a parent (in the app, or on import) lists the child right under its parent, so an
    imported codebook comes back in this order whatever order the file listed it in.
    """
    shown: list[tuple[str, str, str, str | None]] = []

    def add(parent: str | None) -> None:
        for row in rows:
            if row[3] == parent:
                shown.append(row)
                add(row[0])

    add(None)
    return shown


def add_ordered_document(store: LibraryStore) -> int:
    """Add the document the ordered-codebook annotations sit on; its id."""
    return store.add_document("Ordered codebook", "ordered.txt", ORDERED_TEXT).id


def make_ordered_library(store: LibraryStore) -> int:
    """Fill an empty-codebook `store` with ORDERED_CODEBOOK (exactly that panel order) and the
    ORDERED_ANNOTATIONS, with their times and claim fields; the document's id."""
    assert not store.tags(), "the ordered codebook needs a library without tags"
    ids: dict[str, int] = {}
    for name, colour, description, _parent in ORDERED_CODEBOOK:
        ids[name] = store.add_tag(TagSpec(name, colour, description)).id
    for name, _colour, _description, parent in ORDERED_CODEBOOK:
        if parent is not None:
            store.set_tag_parent(ids[name], ids[parent])
    # Nesting in the app lists a child right under its parent; a library from an earlier
    # Claimmark (or another tool) may list it elsewhere, which is what this sample keeps.
    store.set_tag_order([ids[name] for name, *_rest in ORDERED_CODEBOOK])
    document_id = add_ordered_document(store)
    text = store.document(document_id).text
    store.add_annotations(
        [
            NewAnnotation(
                document_id=document_id,
                uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"ordered:{quote}")),
                anchor=anchor_for(text, text.index(quote), text.index(quote) + len(quote)),
                tag_ids=tuple(ids[n] for n in tag_names),
                note=note,
                created=created,
                updated=updated,
                stance=claim[0],
                speaker=claim[1],
                checkworthiness=claim[2],
            )
            for quote, tag_names, note, claim, created, updated in ORDERED_ANNOTATIONS
        ]
    )
    return document_id


def codebook_rows(store: LibraryStore) -> list[tuple[str, str, str, str | None]]:
    """The codebook as ORDERED_CODEBOOK writes it: panel order, parents by name."""
    tags = store.tags()
    names = {t.id: t.name for t in tags}
    return [
        (t.name, t.colour, t.description, names.get(t.parent_id) if t.parent_id else None)
        for t in tags
    ]
