"""Full-text search over a real library: texts, titles, quotes, notes, speakers and tag names;
case and accents ignored; offsets into the original text; hostile queries; Japanese."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from desktop_app.core.anchors import Anchor, anchor_for
from desktop_app.core.codebook import TagSpec
from desktop_app.storage import search_queries
from desktop_app.storage.library_store import LibraryStore
from desktop_app.storage.search_queries import (
    Matcher,
    SearchHit,
    fts_query,
    parse_query,
)

ARTICLE = (
    "Japan's new leader met Trump in Tokyo.\n"
    "They discussed tariffs on soybeans at the Café Lumière.\n"
    "The coalition is two seats short of a majority."
)
HOSTILE = ['"', "*", "NEAR(", "NEAR(a b", "AND OR", "-", ":", "^", "a:b", "(", ")", "''", "*tok"]


@pytest.fixture
def library(store: LibraryStore) -> LibraryStore:
    """The shared prepared store (conftest), under the name these tests read best with."""
    return store


def span_of(text: str, quote: str) -> Anchor:
    start = text.index(quote)
    return anchor_for(text, start, start + len(quote))


def add_article(library: LibraryStore, title: str = "Summit in Tokyo", text: str = ARTICLE):
    return library.add_document(title, "article.txt", text)


def document_hits(hits: list[SearchHit]) -> list[SearchHit]:
    return [hit for hit in hits if hit.kind == "document"]


def annotation_hits(hits: list[SearchHit]) -> list[SearchHit]:
    return [hit for hit in hits if hit.kind == "annotation"]


def marked(hit: SearchHit) -> list[str]:
    return [hit.snippet[a:b] for a, b in hit.marks]


# --- where words are found ----------------------------------------------------------------------


def test_finds_a_word_of_the_text_with_its_offset_and_marked_snippet(library) -> None:
    document = add_article(library)
    [hit] = library.search("soybeans")
    assert (hit.kind, hit.field, hit.document_id) == ("document", "text", document.id)
    assert hit.document_title == "Summit in Tokyo"
    assert ARTICLE[hit.start : hit.end] == "soybeans"
    assert hit.annotation_id is None
    assert marked(hit) == ["soybeans"]
    assert "\n" not in hit.snippet


def test_finds_a_word_only_in_the_title(library) -> None:
    add_article(library, title="Summit diplomacy")
    [hit] = library.search("diplomacy")
    assert (hit.kind, hit.field, hit.start, hit.end) == ("document", "title", 0, 0)
    assert hit.snippet == "Summit diplomacy"
    assert marked(hit) == ["diplomacy"]


def test_finds_quotes_notes_and_speakers_of_annotations(library) -> None:
    document = add_article(library)
    tag = library.tags()[0].id
    quote = library.create_annotation(
        document.id, span_of(ARTICLE, "The coalition is two seats short"), [tag]
    )
    noted = library.create_annotation(
        document.id, span_of(ARTICLE, "They discussed tariffs"), [tag], "Ask the ministry"
    )
    library.set_claim_fields(noted.id, "", "Ana Ruiz", None)

    [by_quote] = annotation_hits(library.search("seats"))
    assert (by_quote.annotation_id, by_quote.field) == (quote.id, "quote")
    assert (by_quote.start, by_quote.end) == (quote.start, quote.end)
    assert marked(by_quote) == ["seats"]

    [by_note] = annotation_hits(library.search("ministry"))
    assert (by_note.annotation_id, by_note.field, by_note.snippet) == (
        noted.id,
        "note",
        "Ask the ministry",
    )
    [by_speaker] = library.search("ruiz")
    assert (by_speaker.annotation_id, by_speaker.field) == (noted.id, "speaker")
    assert (by_speaker.start, by_speaker.end) == (noted.start, noted.end)
    assert marked(by_speaker) == ["Ruiz"]


def test_finds_annotations_by_tag_name_ignoring_case_and_accents(library) -> None:
    document = add_article(library)
    tag = library.add_tag(TagSpec("Économie", "#cc79a7"))
    annotation = library.create_annotation(
        document.id, span_of(ARTICLE, "Japan's new leader"), [tag.id]
    )
    for query in ("economie", "ÉCONOMIE", "écon*"):
        [hit] = library.search(query)
        assert (hit.kind, hit.field, hit.annotation_id) == ("annotation", "tag", annotation.id)
        assert hit.snippet.startswith("Économie: Japan's new leader")
        assert marked(hit) == ["Économie"]


def test_an_annotation_found_by_its_words_is_not_repeated_for_its_tag(library) -> None:
    document = add_article(library)
    trade = next(t.id for t in library.tags() if t.name == "trade")
    library.create_annotation(document.id, span_of(ARTICLE, "They discussed trade"[:14]), [trade])
    library.set_note(library.all_annotations()[0].id, "A trade claim")
    hits = annotation_hits(library.search("trade"))
    assert [hit.field for hit in hits] == ["note"]


def test_all_words_must_match_and_a_trailing_star_is_a_prefix(library) -> None:
    add_article(library)
    add_article(library, "Other", "Trump spoke in Osaka.")
    assert len(document_hits(library.search("trump"))) == 2
    assert len(document_hits(library.search("trump tokyo"))) == 1
    assert document_hits(library.search("tok")) == []
    [hit] = document_hits(library.search("tok*"))
    assert ARTICLE[hit.start : hit.end] == "Tokyo"  # the whole word, for the reader to see
    assert len(document_hits(library.search("trump tok*"))) == 1


# --- case, accents and offsets ------------------------------------------------------------------


@pytest.mark.parametrize("query", ["cafe", "CAFE", "café", "Café", "CAFÉ", "lumiere"])
def test_case_and_accents_are_ignored(library, query: str) -> None:
    add_article(library)
    [hit] = library.search(query)
    assert fold_free(ARTICLE[hit.start : hit.end]) == fold_free(query)


def fold_free(value: str) -> str:
    return value.casefold().replace("é", "e").replace("è", "e")


def test_tokyo_matches_any_case(library) -> None:
    add_article(library)
    assert library.search("tokyo") == library.search("TOKYO")
    assert library.search("tokyo")


def test_offsets_index_the_original_text_after_emoji_and_accents(library) -> None:
    text = "🇯🇵🙂 Résumé: the 👩‍👩‍👧 family met at the Café Lumière, then a cafe\u0301 nearby."
    document = add_article(library, "Emoji", text)
    [hit] = library.search("cafe")
    assert hit.document_id == document.id
    assert (hit.start, hit.end) == (text.index("Café"), text.index("Café") + 4)
    assert text[hit.start : hit.end] == "Café"
    # Every match is marked in the snippet, the decomposed one with its combining accent.
    assert marked(hit) == ["Café", "cafe\u0301"]


def test_decomposed_text_is_found_by_a_precomposed_query(library) -> None:
    text = "A visit to the Cafe\u0301 Lumie\u0300re."
    add_article(library, "Decomposed", text)
    [hit] = library.search("lumière")
    assert text[hit.start : hit.end] == "Lumie\u0300re"


def test_a_word_is_not_found_inside_another(library) -> None:
    add_article(library, "Words", "The summit_talks and the summitry began; the summit ended.")
    [hit] = library.search("summit")
    assert hit.start == len("The ")  # "summit_talks": FTS5 splits words at "_"
    assert marked(hit) == ["summit", "summit"]


def test_a_long_text_gets_a_snippet_of_context_either_side(library) -> None:
    text = " ".join(f"word{n}" for n in range(200)) + " zeppelin " + " ".join("tail" * 40)
    add_article(library, "Long", text)
    [hit] = library.search("zeppelin")
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert 100 <= len(hit.snippet) <= 150
    assert marked(hit) == ["zeppelin"]


# --- what may never be found --------------------------------------------------------------------


def test_deleted_documents_and_their_annotations_never_appear(library) -> None:
    kept = add_article(library, "Kept")
    doomed = add_article(library, "Doomed")
    tag = library.tags()[0].id
    for document in (kept, doomed):
        library.create_annotation(document.id, span_of(ARTICLE, "Trump in Tokyo"), [tag], "Trump")
    library.delete_document(doomed.id)
    for query in ("trump", "tokyo", "trade", "トランプ"):
        assert doomed.id not in {hit.document_id for hit in library.search(query)}
    assert {hit.document_id for hit in library.search("trump")} == {kept.id}
    library.restore_document(doomed.id)
    assert {hit.document_id for hit in library.search("trump")} == {kept.id, doomed.id}


def test_deleted_documents_never_appear_in_substring_scans(library) -> None:
    text = "高市首相は東京で会談した。"
    kept = add_article(library, "Kept", text)
    doomed = add_article(library, "Doomed", text)
    tag = library.tags()[0].id
    for document in (kept, doomed):
        library.create_annotation(document.id, span_of(text, "東京で会談"), [tag], "会談")
    library.delete_document(doomed.id)
    hits = library.search("会談")
    assert {hit.document_id for hit in hits} == {kept.id}
    assert [hit.kind for hit in hits] == ["annotation", "document"]


@pytest.mark.parametrize("query", ["tokyo", "東京", "trade"])
def test_only_the_latest_version_of_an_article_is_found(library, query: str) -> None:
    text = ARTICLE + "\n東京."
    first = add_article(library, "Summit", text)
    second = library.add_document("Summit", "article.txt", text + " Updated.", version_of=first.id)
    tag = library.tags()[0].id
    for document in (first, second):
        library.create_annotation(document.id, span_of(text, "Trump in Tokyo"), [tag], "東京")
    assert {hit.document_id for hit in library.search(query)} == {second.id}
    library.delete_document(second.id)  # the earlier version is the latest again
    assert {hit.document_id for hit in library.search(query)} == {first.id}


# --- the index follows changes --------------------------------------------------------------


def test_results_follow_a_changed_note_and_a_renamed_document(library) -> None:
    document = add_article(library)
    tag = library.tags()[0].id
    annotation = library.create_annotation(document.id, span_of(ARTICLE, "Trump"), [tag], "old")
    assert annotation_hits(library.search("old"))
    library.set_note(annotation.id, "Refuted by the minutes")
    assert library.search("old") == []
    [hit] = library.search("minutes")
    assert (hit.annotation_id, hit.field) == (annotation.id, "note")

    library.rename_document(document.id, "Bilateral talks")
    assert document_hits(library.search("summit")) == []
    assert [h.document_title for h in library.search("bilateral")] == ["Bilateral talks"]
    assert {h.document_title for h in library.search("minutes")} == {"Bilateral talks"}


def test_a_deleted_annotation_is_no_longer_found(library) -> None:
    document = add_article(library)
    tag = library.tags()[0].id
    annotation = library.create_annotation(document.id, span_of(ARTICLE, "Trump"), [tag], "gone")
    library.delete_annotation(annotation.id)
    assert library.search("gone") == []


# --- hostile queries -----------------------------------------------------------------------------


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(library, query: str) -> None:
    add_article(library)
    hits = library.search(query)
    assert isinstance(hits, list)


def test_syntax_characters_are_plain_text(library) -> None:
    add_article(library, "Operators", 'He said "NEAR(now) AND OR not" - really: ^yes.')
    assert len(library.search('"near(now)')) == 1
    assert len(library.search("AND OR")) == 1
    assert len(library.search("^yes")) == 1


def test_queries_become_quoted_phrases() -> None:
    assert fts_query(parse_query('trade "war" NEAR(x')) == '"trade" "war" "NEAR x"'
    assert fts_query(parse_query("don't tok*")) == '"don t" "tok"*'
    assert parse_query(" - : ^ * ") == []


def test_a_query_fts5_refuses_falls_back_to_a_phrase(library, monkeypatch) -> None:
    add_article(library)
    monkeypatch.setattr(search_queries, "fts_query", lambda terms: 'NEAR("trump" OR')
    [hit] = library.search("trump")
    assert ARTICLE[hit.start : hit.end] == "Trump"


def test_other_database_errors_are_not_hidden(library, monkeypatch) -> None:
    add_article(library)
    broken = 'NEAR("trump" OR'
    monkeypatch.setattr(search_queries, "fts_query", lambda terms: broken)
    monkeypatch.setattr(search_queries, "phrase_query", lambda terms: broken)
    with pytest.raises(OperationalError):
        library.search("trump")


def test_an_empty_query_or_limit_finds_nothing(library) -> None:
    add_article(library)
    assert library.search("") == []
    assert library.search("   ") == []
    assert library.search("trump", limit=0) == []


# --- Japanese and other scripts without spaces ----------------------------------------------


def test_japanese_words_are_found_inside_unsegmented_text(library) -> None:
    text = "🙂 高市首相は東京でトランプ前大統領と会談した。Trump arrived."
    document = add_article(library, "東京での会談", text)
    tag = library.tags()[0].id
    annotation = library.create_annotation(document.id, span_of(text, "トランプ前大統領"), [tag])
    hits = library.search("トランプ")
    assert [(h.kind, h.annotation_id) for h in hits] == [
        ("annotation", annotation.id),
        ("document", None),
    ]
    text_hit = hits[1]
    assert text[text_hit.start : text_hit.end] == "トランプ"
    assert marked(text_hit) == ["トランプ"]
    [hit] = library.search("会談")
    assert text[hit.start : hit.end] == "会談"
    assert library.search("会談 trump")
    assert library.search("会談 osaka") == []
    assert library.search("大阪") == []


def test_a_voiced_kana_is_not_its_unvoiced_form(library) -> None:
    add_article(library, "Kana", "かいだん")
    assert library.search("がいだん") == []
    assert library.search("かいだん")


# --- ranking and limits -------------------------------------------------------------------------


def test_annotations_come_before_documents_and_neither_crowds_the_other_out(library) -> None:
    tag = library.tags()[0].id
    for number in range(8):
        document = add_article(library, f"Article {number}")
        for quote in ("Trump", "Tokyo", "Japan's new leader met Trump"):
            library.create_annotation(document.id, span_of(ARTICLE, quote), [tag])
    hits = library.search("trump", limit=10)
    kinds = [hit.kind for hit in hits]
    assert kinds == ["annotation"] * 5 + ["document"] * 5
    scores = [hit.score for hit in hits[:5]]
    assert scores == sorted(scores, reverse=True)
    assert len(library.search("trump")) == 16 + 8


def test_a_title_match_ranks_above_a_text_match(library) -> None:
    add_article(library, "Unrelated", "Osaka " * 5 + "and Kobe.")
    add_article(library, "Osaka summit", "Trade talks.")
    hits = library.search("osaka")
    assert [hit.document_title for hit in hits] == ["Osaka summit", "Unrelated"]


# --- the matcher on its own ---------------------------------------------------------------------


def test_matcher_spans_and_first_match() -> None:
    matcher = Matcher(parse_query("café tok*"))
    text = "😀 TOKYO's CAFE, a cafébar and Café."
    assert matcher.first(text) == (2, 7)
    assert [text[a:b] for a, b in matcher.spans(text)] == ["TOKYO", "CAFE", "Café"]
    assert matcher.matches_all(text)
    assert not matcher.matches_all("café only")


def every_hit_the_old_way(library: LibraryStore, query: str, limit: int) -> list[SearchHit]:
    """What search() returned before it asked only for the annotations it keeps: all of
    them (FTS, or the scan, then tag names) looked up to `limit`, the list cut afterwards."""
    from sqlalchemy.orm import Session

    terms = search_queries.parse_query(query)
    parsed = search_queries.Matcher(terms)
    scan = any(term.unsegmented for term in terms)
    with Session(library.engine) as session:
        if scan:
            found = library._scan_annotations(session, parsed, limit)
            documents = library._scan_documents(session, parsed, limit)
        else:
            found = library._fts_annotations(session, parsed, limit)
            documents = library._fts_documents(session, parsed, limit)
        ids = {hit.annotation_id for hit in found}
        found += library._tag_hits(session, parsed, limit, ids)
    keep = max(0, limit - min(len(documents), limit // 2))
    return found[:keep] + documents[: limit - len(found[:keep])]


@pytest.mark.parametrize("query", ["coalition", "trade talks", "security", "東京", "summ*"])
def test_looking_up_only_the_annotations_kept_changes_no_result(library, query) -> None:
    """Many equal ranks (the same sentence in every article), tag names that match, and
    limits below, at and above the number of hits: the same hits, in the same order."""
    tags = {tag.name: tag.id for tag in library.tags()}
    for number in range(12):
        text = f"{ARTICLE}\nCoalition talks on trade and security, part {number}. 東京で会談。"
        document = add_article(library, f"Article {number}", text)
        starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
        ends = [i for i, c in enumerate(text) if c == "\n"] + [len(text)]
        for sentence_number, (start, end) in enumerate(zip(starts, ends, strict=True)):
            tag = ("coalition", "security", "trade")[(number + sentence_number) % 3]
            library.create_annotation(document.id, anchor_for(text, start, end), [tags[tag]])
    for limit in (1, 2, 5, 9, 20, 40, 200):
        assert library.search(query, limit) == every_hit_the_old_way(library, query, limit)
