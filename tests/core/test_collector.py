"""The cycle collector pause used around bulk loads."""

from __future__ import annotations

import gc

import pytest

from desktop_app.core.collector import collector_paused


def test_the_collector_is_off_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves it to the outer one
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the load failed")
    assert gc.isenabled()


def test_a_pause_inside_a_disabled_collector_leaves_it_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_on_two_threads_end_with_the_last() -> None:
    import threading

    inside, release = threading.Event(), threading.Event()

    def worker() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=worker)
    with collector_paused():
        thread.start()
        inside.wait(5)
    assert not gc.isenabled()  # the worker's pause still runs
    release.set()
    thread.join(5)
    assert gc.isenabled()
