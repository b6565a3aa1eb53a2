"""SpanIndex answers what a scan over every annotation would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.span_index import SpanIndex

spans = st.tuples(st.integers(0, 60), st.integers(1, 25)).map(lambda s: (s[0], s[0] + s[1]))
operations = st.lists(st.tuples(st.booleans(), spans), max_size=40)


@given(operations, st.lists(spans, min_size=1, max_size=8))
def test_answers_match_a_scan_through_adds_and_removes(ops, queries) -> None:
    index = SpanIndex()
    present: dict[int, tuple[int, int]] = {}
    for number, (remove, (start, end)) in enumerate(ops):
        if remove and present:
            gone = min(present)
            index.remove((*present.pop(gone), gone))
        else:
            present[number] = (start, end)
            index.add((start, end, number))
    assert len(index) == len(present)
    in_order = sorted((s, e, i) for i, (s, e) in present.items())
    for start, end in queries:
        assert index.overlapping(start, end) == [i for s, e, i in in_order if s < end and e > start]
        exact = [i for s, e, i in in_order if (s, e) == (start, end)]
        assert index.exact(start, end) == (exact[0] if exact else None)


def test_a_long_annotation_far_before_still_overlaps() -> None:
    index = SpanIndex([(0, 1000, 1), (500, 510, 2), (990, 995, 3)])
    assert index.overlapping(992, 993) == [1, 3]
    index.remove((0, 1000, 1))
    index.remove((7, 8, 99))  # not indexed: ignored
    assert index.overlapping(992, 993) == [3]
    assert index.exact(500, 510) == 2 and index.exact(500, 511) is None
