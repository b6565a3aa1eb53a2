"""Creating an annotation checks its quote against the stored text inside SQLite (substr),
without reading a long article into Python. The check must agree with Anchor.matches on the
text itself for every span, whatever the characters: astral (one code point, two UTF-16
units), combining marks, CJK, NUL, line breaks."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.anchors import Anchor
from desktop_app.storage.errors import NotFoundError
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LibraryStore

ALPHABET = st.sampled_from(list("ab .\n\x00é\u0301日本😀𠮷🇯🇵"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    library = LibraryStore.open(tmp_path_factory.mktemp("check") / "library.db")
    prepare_library(library)
    yield library
    library.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(ALPHABET, min_size=1, max_size=40),
    start=st.integers(-2, 45),
    length=st.integers(-2, 12),
    shift=st.integers(-2, 2),
    garble=st.booleans(),
)
def test_the_stored_check_agrees_with_the_anchor_on_the_text(
    store: LibraryStore, text: str, start: int, length: int, shift: int, garble: bool
) -> None:
    document = store.add_document("Check", "check.txt", text)
    stored = document.text  # normalised on import (\r, leading marks)
    end = start + length
    exact = stored[max(start + shift, 0) : max(end + shift, 0)]
    if garble and exact:
        exact = exact[:-1] + ("b" if exact[-1] != "b" else "a")
    anchor = Anchor(start, end, exact, "", "")
    if anchor.matches(stored) and start < end:  # an empty span is refused whatever it is
        created = store.create_annotation(document.id, anchor, [])
        assert stored[created.start : created.end] == created.exact == exact
    else:
        with pytest.raises(ValueError):
            store.create_annotation(document.id, anchor, [])


def test_an_unknown_document_or_tag_is_named(store: LibraryStore) -> None:
    document = store.add_document("Known", "known.txt", "One claim 😀 here.")
    anchor = Anchor(4, 9, "claim", "One ", " 😀 here.")
    with pytest.raises(NotFoundError, match="no document 999"):
        store.create_annotation(999, anchor, [])
    with pytest.raises(NotFoundError, match="no tag 12345"):
        store.create_annotation(document.id, anchor, [12345])
    assert store.annotations(document.id) == []  # nothing half-made
