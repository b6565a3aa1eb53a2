"""analyse_store's library count, which reads only the columns it needs, against `analyse` on
the full records of the latest versions: the two must give the same analysis."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from desktop_app.core.analysis import Analysis, analyse
from desktop_app.core.anchors import Anchor, anchor_for
from desktop_app.core.codebook import TagSpec
from desktop_app.core.records import ANCHOR_NEEDS_REVIEW, ANCHOR_ORPHANED
from desktop_app.storage.library_analysis import analyse_store
from desktop_app.storage.library_store import LibraryStore, NewAnnotation

NOW = datetime(2026, 3, 12, tzinfo=UTC)
# Paragraphs of several sentences (pysbd's work), one shared with the sample, a blank line,
# Japanese, and an abbreviation that does not end a sentence.
OTHER_TEXT = (
    "Tariffs rose again. The coalition held, said Mr. Abe.\n"
    "\n"
    "Afterward, Trump will proceed to South Korea for the Apec meeting, where he is set to meet"
    " Chinese president Xi.\n"
    '"We will win," she said. Not everyone agreed.\n'
    "「勝つ。」と言った。次の文。"
)


def span_of(text: str, quote: str) -> Anchor:
    start = text.index(quote)
    return anchor_for(text, start, start + len(quote))


def straightforward(store: LibraryStore) -> Analysis:
    """The library analysis as its definition reads: full records of the latest versions."""
    documents = [store.document(summary.id) for summary in store.documents()]
    annotations = {d.id: store.annotations(d.id) for d in documents}
    return analyse(documents, annotations, store.tags())


def test_the_library_count_matches_analyse_on_full_records(
    store: LibraryStore, sample_text: str
) -> None:
    tags = {t.name: t.id for t in store.tags()}
    trade, security, coalition = tags["trade"], tags["security"], tags["coalition"]
    tariffs = store.add_tag(TagSpec("tariffs", "#cc79a7"), parent_id=trade).id
    doomed = store.add_tag(TagSpec("doomed", "#000000")).id

    first = store.add_document("Takaichi", "a", sample_text, published="2026-03-12")
    store.create_annotation(first.id, span_of(sample_text, "trade and security"), [trade])
    text = f"{sample_text}\nThe summit ended early. Nobody said why."
    second = store.add_document("Takaichi", "a", text, published="2026-04-02", version_of=first.id)
    store.create_annotation(second.id, span_of(text, "trade and security"), [trade, security])
    store.create_annotation(second.id, span_of(text, "duty adjustments"), [tariffs, doomed])
    store.create_annotation(second.id, span_of(text, "early. Nobody"), [security, coalition])
    store.create_annotation(second.id, span_of(text, "Emperor Naruhito"), [])
    store.add_annotations(
        [
            NewAnnotation(
                second.id, str(uuid.uuid4()), span_of(text, quote), (trade,), "", NOW, NOW, status
            )
            for quote, status in (("soybeans", ANCHOR_NEEDS_REVIEW), ("gas", ANCHOR_ORPHANED))
        ]
    )
    other = store.add_document("Other", "b", OTHER_TEXT)
    store.create_annotation(other.id, span_of(OTHER_TEXT, "again. The coalition"), [tariffs])
    store.create_annotation(other.id, span_of(OTHER_TEXT, "Apec meeting"), [coalition, trade])
    store.create_annotation(other.id, span_of(OTHER_TEXT, "と言った"), [security])
    gone = store.add_document("Gone", "c", sample_text, published="2026-01-05")
    store.create_annotation(gone.id, span_of(sample_text, "Tokyo"), [coalition])
    store.delete_document(gone.id)
    store.remove_tag(doomed)

    result = analyse_store(store)

    assert result == straightforward(store)
    assert (result.documents, result.annotation_count) == (2, 7)
    assert [month for month, _counts in result.over_time] == ["2026-04", "undated"]


def test_one_document_and_an_empty_library(store: LibraryStore, sample_text: str) -> None:
    assert analyse_store(store) == straightforward(store)
    document = store.add_document("Takaichi", "a", sample_text)
    store.create_annotation(document.id, span_of(sample_text, "Tokyo"), [store.tags()[0].id])
    assert analyse_store(store, document.id) == analyse_store(store) == straightforward(store)
