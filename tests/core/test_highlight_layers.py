"""Cutting overlapping highlights into runs, and the colour each run is painted."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.codebook import load_default_codebook
from desktop_app.core.highlight_layers import (
    LAYER_OPACITY,
    Layer,
    Run,
    RunIndex,
    bands,
    composite,
    contrast_ratio,
    covering_runs,
    hex_colour,
    layer_runs,
    relative_luminance,
)
from desktop_app.resources import resource_path

A, B, C = "#e69f00", "#0072b2", "#009e73"
WHITE = "#ffffff"


def spans(runs: list[Run]) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(r.start, r.end, r.colours) for r in runs]


# --- layer_runs by example --------------------------------------------------------------------


def test_no_layers_no_runs() -> None:
    assert layer_runs([]) == []
    assert layer_runs([], 0, 10) == []


def test_one_layer_is_one_run() -> None:
    runs = layer_runs([Layer(3, 8, A)])
    assert spans(runs) == [(3, 8, (A,))]
    assert runs[0].depth == 1


def test_two_disjoint_layers() -> None:
    assert spans(layer_runs([Layer(10, 12, B), Layer(0, 4, A)])) == [
        (0, 4, (A,)),
        (10, 12, (B,)),
    ]


def test_touching_layers_do_not_overlap() -> None:
    assert spans(layer_runs([Layer(0, 4, A), Layer(4, 9, B)])) == [(0, 4, (A,)), (4, 9, (B,))]


def test_two_overlapping_layers_make_three_runs_in_input_order() -> None:
    runs = layer_runs([Layer(0, 6, A), Layer(4, 10, B)])
    assert spans(runs) == [(0, 4, (A,)), (4, 6, (A, B)), (6, 10, (B,))]
    assert [r.depth for r in runs] == [1, 2, 1]
    # Input order decides the stacking, not position.
    flipped = layer_runs([Layer(4, 10, B), Layer(0, 6, A)])
    assert spans(flipped) == [(0, 4, (A,)), (4, 6, (B, A)), (6, 10, (B,))]


def test_nested_layers() -> None:
    assert spans(layer_runs([Layer(0, 10, A), Layer(3, 5, B)])) == [
        (0, 3, (A,)),
        (3, 5, (A, B)),
        (5, 10, (A,)),
    ]


def test_identical_spans_stack() -> None:
    assert spans(layer_runs([Layer(2, 7, A), Layer(2, 7, B), Layer(2, 7, C)])) == [
        (2, 7, (A, B, C)),
    ]


def test_same_colour_twice_is_two_layers() -> None:
    assert spans(layer_runs([Layer(0, 5, A), Layer(0, 5, A)])) == [(0, 5, (A, A))]


def test_clipping_to_a_window() -> None:
    layers = [Layer(0, 10, A), Layer(8, 20, B), Layer(30, 40, C)]
    assert spans(layer_runs(layers, 5, 15)) == [(5, 8, (A,)), (8, 10, (A, B)), (10, 15, (B,))]
    assert spans(layer_runs(layers, 20, 30)) == []
    assert spans(layer_runs(layers, start=35)) == [(35, 40, (C,))]
    assert spans(layer_runs(layers, end=3)) == [(0, 3, (A,))]


def test_zero_length_and_reversed_layers_are_ignored() -> None:
    assert layer_runs([Layer(5, 5, A)]) == []
    assert layer_runs([Layer(7, 3, A)]) == []
    assert spans(layer_runs([Layer(5, 5, A), Layer(0, 9, B)])) == [(0, 9, (B,))]


# --- layer_runs property ----------------------------------------------------------------------

PALETTE = ["#111111", "#222222", "#333333", "#444444"]

layers_strategy = st.lists(
    st.builds(
        Layer,
        start=st.integers(0, 30),
        end=st.integers(0, 30),
        colour=st.sampled_from(PALETTE),
    ),
    max_size=8,
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    layers=layers_strategy,
    window=st.one_of(st.none(), st.tuples(st.integers(-2, 32), st.integers(-2, 32))),
)
def test_runs_match_brute_force(layers: list[Layer], window: tuple[int, int] | None) -> None:
    lo, hi = (None, None) if window is None else window
    runs = layer_runs(layers, lo, hi)
    for run in runs:
        assert run.start < run.end
    for earlier, later in itertools.pairwise(runs):
        assert earlier.end <= later.start

    def expected_at(offset: int) -> tuple[str, ...]:
        if lo is not None and offset < lo:
            return ()
        if hi is not None and offset >= hi:
            return ()
        return tuple(layer.colour for layer in layers if layer.start <= offset < layer.end)

    def run_at(offset: int) -> tuple[str, ...]:
        found = [r for r in runs if r.start <= offset < r.end]
        assert len(found) <= 1
        return found[0].colours if found else ()

    for offset in range(-3, 34):
        assert run_at(offset) == expected_at(offset), offset


@settings(max_examples=200, deadline=None)
@given(layers=layers_strategy)
def test_runs_of_layers_sorted_by_start_match_brute_force(layers: list[Layer]) -> None:
    # Sorted input is what the reader and the exports pass, and takes a path of its own.
    ordered = sorted(layers, key=lambda layer: layer.start)
    runs = layer_runs(ordered)
    for offset in range(-1, 32):
        expected = tuple(lay.colour for lay in ordered if lay.start <= offset < lay.end)
        found = [r.colours for r in runs if r.start <= offset < r.end]
        assert found == ([expected] if expected else []), offset


# --- covering_runs ----------------------------------------------------------------------------


def test_covering_runs_name_the_spans_of_each_run_in_input_order() -> None:
    spans = [(4, 10, "late"), (0, 6, "early"), (8, 8, "empty"), (9, 3, "reversed")]
    assert list(covering_runs(spans)) == [
        (0, 4, ("early",)),
        (4, 6, ("late", "early")),
        (6, 10, ("late",)),
    ]
    assert list(covering_runs([])) == []


def test_covering_runs_keep_equal_items_apart() -> None:
    # Items are not compared or hashed: two equal items are two spans.
    first, second = ["same"], ["same"]
    ((_start, _end, items),) = covering_runs([(0, 5, first), (0, 5, second)])
    assert items[0] is first and items[1] is second


spans_strategy = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=10).map(
    lambda pairs: [(start, end, number) for number, (start, end) in enumerate(pairs)]
)


@settings(max_examples=300, deadline=None)
@given(spans=spans_strategy, by_start=st.booleans())
def test_covering_runs_match_brute_force(spans: list[tuple[int, int, int]], by_start: bool) -> None:
    if by_start:
        spans = sorted(spans, key=lambda span: span[0])
    runs = list(covering_runs(spans))
    for (_, end, _), (start, _, _) in itertools.pairwise(runs):
        assert end <= start
    for offset in range(-1, 32):
        expected = tuple(item for start, end, item in spans if start <= offset < end)
        found = [items for start, end, items in runs if start <= offset < end]
        assert found == ([expected] if expected else []), offset


# --- colours ----------------------------------------------------------------------------------


def test_no_colours_is_the_paper() -> None:
    assert composite([], WHITE) == WHITE
    assert composite([], "#fdf6e3") == "#fdf6e3"


def test_one_colour_at_full_opacity_is_that_colour() -> None:
    assert composite([A], WHITE, opacity=1.0) == A
    assert composite([A, B], WHITE, opacity=1.0) == B


def test_opacity_zero_leaves_the_paper() -> None:
    assert composite([A, B], "#123456", opacity=0.0) == "#123456"


def test_half_black_over_white_is_mid_grey() -> None:
    # 255 + (0 - 255) * 0.5 = 127.5, which rounds to 128 = 0x80.
    assert composite(["#000000"], WHITE, opacity=0.5) == "#808080"


def test_sequential_alpha_blending_depends_on_order() -> None:
    # Red then blue at 0.5 over white:
    # after red  (255, 127.5, 127.5); after blue (127.5, 63.75, 191.25) -> (128, 64, 191).
    red_then_blue = composite(["#ff0000", "#0000ff"], WHITE, opacity=0.5)
    assert red_then_blue == "#8040bf"
    # Blue then red: after blue (127.5, 127.5, 255); after red (191.25, 63.75, 127.5).
    blue_then_red = composite(["#0000ff", "#ff0000"], WHITE, opacity=0.5)
    assert blue_then_red == "#bf4080"


def test_default_opacity_is_translucent() -> None:
    assert 0 < LAYER_OPACITY < 1
    seen = composite(["#000000"], WHITE)
    grey = round(255 * (1 - LAYER_OPACITY))
    assert seen == f"#{grey:02x}{grey:02x}{grey:02x}"


def test_upper_case_colours_are_accepted() -> None:
    assert composite(["#FF0000"], "#FFFFFF", opacity=1.0) == "#ff0000"


def test_bad_colours_are_refused() -> None:
    with pytest.raises(ValueError):
        composite(["#fff"], WHITE)
    with pytest.raises(ValueError):
        composite([A], "white")


def test_hex_colour_rounds_and_clamps() -> None:
    assert hex_colour((0, 127.4, 255)) == "#007fff"
    assert hex_colour((-10, 300, 15.6)) == "#00ff10"


def test_relative_luminance_known_values() -> None:
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    # sRGB 128 -> ((128/255 + 0.055) / 1.055) ** 2.4 = 0.2158605.
    assert relative_luminance("#808080") == pytest.approx(0.2158605, abs=1e-6)
    assert relative_luminance("#ff0000") == pytest.approx(0.2126)
    assert relative_luminance("#00ff00") == pytest.approx(0.7152)


def test_contrast_ratio() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio(A, A) == pytest.approx(1.0)
    # #777777 on white is the classic "just below 4.5:1" grey.
    assert 4.4 < contrast_ratio("#777777", WHITE) < 4.5


def _default_codebook_colours() -> tuple[list[str], list[str]]:
    codebook = load_default_codebook(resource_path("codebook.json"))
    return [t.colour for t in codebook.tags], list(codebook.palette)


@pytest.mark.parametrize(
    ("bottom", "top"),
    list(itertools.permutations(_default_codebook_colours()[0], 2))
    + [(c, c) for c in _default_codebook_colours()[0]],
)
def test_overlap_of_default_tags_is_darker_than_either_alone(bottom: str, top: str) -> None:
    alone_bottom = relative_luminance(composite([bottom], WHITE))
    alone_top = relative_luminance(composite([top], WHITE))
    both = relative_luminance(composite([bottom, top], WHITE))
    assert both < alone_bottom
    assert both < alone_top
    assert composite([bottom, top], WHITE) not in {
        composite([bottom], WHITE),
        composite([top], WHITE),
    }


def test_a_single_layer_is_visible_on_white() -> None:
    for colour in _default_codebook_colours()[1]:
        assert composite([colour], WHITE) != WHITE
        assert relative_luminance(composite([colour], WHITE)) < 1.0


def test_stacking_one_colour_deepens_it() -> None:
    # The reader draws each distinct colour as a band and k same-tag layers as that colour
    # composited k times: every extra layer must be visibly darker.
    for colour in _default_codebook_colours()[1]:
        lum = [relative_luminance(composite([colour] * depth, WHITE)) for depth in range(4)]
        assert lum[0] == pytest.approx(1.0)
        assert lum[0] > lum[1] > lum[2] > lum[3], (colour, lum)


def test_a_light_colour_over_a_dark_one_lightens_the_blend() -> None:
    # Plain source-over blending: mixing is not always darker, which is why the view draws
    # distinct tags as separate bands rather than one mixed colour. Yellow #f0e442 over blue
    # #0072b2 at 0.42 blends to a colour lighter than blue alone.
    blue_alone = relative_luminance(composite(["#0072b2"], WHITE))
    blue_then_yellow = relative_luminance(composite(["#0072b2", "#f0e442"], WHITE))
    assert blue_then_yellow > blue_alone


# --- bands ------------------------------------------------------------------------------------


def test_bands_count_each_distinct_colour_in_first_seen_order() -> None:
    assert bands([]) == []
    assert bands([A]) == [(A, 1)]
    assert bands([A, B]) == [(A, 1), (B, 1)]
    assert bands([B, A, B, B, C, A]) == [(B, 3), (A, 2), (C, 1)]


# --- RunIndex: incremental updates agree with cutting from scratch ---------------------------


def colours_by_brute_force(layers: list[Layer], offset: int) -> tuple[str, ...]:
    return tuple(layer.colour for layer in layers if layer.start <= offset < layer.end)


def check_index(index: RunIndex, layers: list[Layer]) -> None:
    runs = index.runs
    assert len(index) == len(runs)
    for run in runs:
        assert run.start < run.end
        assert run.colours
    for earlier, later in itertools.pairwise(runs):
        assert earlier.end <= later.start
    for offset in range(-2, 34):
        assert index.colours_at(offset) == colours_by_brute_force(layers, offset), offset


def test_run_index_starts_from_layer_runs() -> None:
    layers = [Layer(0, 6, A), Layer(4, 10, B)]
    index = RunIndex(layers)
    assert index.runs == layer_runs(layers)
    assert RunIndex().runs == []
    assert RunIndex().colours_at(3) == ()
    assert index.colours_at(5) == (A, B)
    assert index.colours_at(10) == ()
    assert [(r.start, r.end) for r in index.between(5, 7)] == [(4, 6), (6, 10)]
    assert index.between(10, 20) == []


def test_run_index_add_and_remove_a_layer() -> None:
    layers = [Layer(0, 10, A)]
    index = RunIndex(layers)
    added = Layer(5, 15, B)
    layers.append(added)
    index.replace([lay for lay in layers if lay.start < 15 and lay.end > 5], 5, 15)
    check_index(index, layers)
    assert index.colours_at(7) == (A, B)
    assert index.colours_at(12) == (B,)
    layers.remove(added)
    index.replace([lay for lay in layers if lay.start < 15 and lay.end > 5], 5, 15)
    check_index(index, layers)
    assert index.colours_at(12) == ()
    assert index.colours_at(7) == (A,)


@st.composite
def edits(draw: st.DrawFn) -> tuple[list[Layer], list[tuple[str, Layer | int]]]:
    initial = draw(layers_strategy)
    steps: list[tuple[str, Layer | int]] = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            start = draw(st.integers(0, 29))
            end = draw(st.integers(start + 1, 30))
            steps.append(("add", Layer(start, end, draw(st.sampled_from(PALETTE)))))
        else:
            steps.append(("remove", draw(st.integers(0, 20))))
    return initial, steps


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(edits())
def test_run_index_replace_agrees_with_brute_force(
    case: tuple[list[Layer], list[tuple[str, Layer | int]]],
) -> None:
    initial, steps = case
    layers = list(initial)
    index = RunIndex(layers)
    check_index(index, layers)
    for kind, payload in steps:
        if kind == "add":
            assert isinstance(payload, Layer)
            changed = payload
            layers.append(changed)
        else:
            assert isinstance(payload, int)
            if not layers:
                continue
            changed = layers.pop(payload % len(layers))
        lo, hi = changed.start, changed.end
        if lo >= hi:
            continue  # an empty layer changes nothing
        overlapping = [lay for lay in layers if lay.start < hi and lay.end > lo]
        index.replace(overlapping, lo, hi)
        check_index(index, layers)
