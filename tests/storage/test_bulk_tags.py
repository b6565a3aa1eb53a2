"""add_tags and nest_tags: a whole codebook in two statements, checked as add_tag checks one."""

from __future__ import annotations

from itertools import pairwise

import pytest

from desktop_app.core.codebook import CodebookError, TagSpec
from desktop_app.storage.library_store import LibraryStore


def test_tags_are_added_at_the_end_in_order(store: LibraryStore) -> None:
    before = [t.name for t in store.tags()]
    added = store.add_tags([TagSpec("energy", "#112233", "gas"), TagSpec("water", "#445566", "")])
    assert [t.name for t in added] == ["energy", "water"]
    assert [t.name for t in store.tags()] == [*before, "energy", "water"]
    assert [t.position for t in store.tags()] == list(range(len(before) + 2))
    assert store.tags()[-2].description == "gas"


@pytest.mark.parametrize("names", [["Trade"], ["energy", "ENERGY"]])
def test_a_name_taken_refuses_the_whole_batch(store: LibraryStore, names: list[str]) -> None:
    before = store.tags()
    with pytest.raises(CodebookError, match="already a tag called"):
        store.add_tags(
            [TagSpec("fresh", "#112233", ""), *[TagSpec(n, "#445566", "") for n in names]]
        )
    assert store.tags() == before


def test_nesting_keeps_subtrees_together_and_leaves_loops_out(store: LibraryStore) -> None:
    a, b, c = store.add_tags([TagSpec(n, "#112233", "") for n in ("a", "b", "c")])
    trade = store.tags()[0]
    applied = store.nest_tags([(c.id, trade.id), (a.id, b.id), (b.id, a.id)])
    assert applied == [(c.id, trade.id), (a.id, b.id)]  # b under a would close a loop
    by_name = {t.name: t for t in store.tags()}
    assert by_name["c"].parent_id == trade.id and by_name["a"].parent_id == b.id
    assert by_name["b"].parent_id is None
    assert [t.name for t in store.tags()][:2] == ["trade", "c"]  # listed under its parent


def test_a_chain_thousands_deep_is_ordered_without_recursion(store: LibraryStore) -> None:
    chain = store.add_tags([TagSpec(f"level {n}", "#112233", "") for n in range(3000)])
    store.nest_tags([(child.id, parent.id) for parent, child in pairwise(chain)])
    names = [t.name for t in store.tags()]
    assert names[3:6] == ["level 0", "level 1", "level 2"]
    assert names[-1] == "level 2999"
