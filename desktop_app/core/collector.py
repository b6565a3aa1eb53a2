"""Pausing Python's cycle collector while a large, acyclic batch of objects is built.

Opening a 2 MB article builds tens of thousands of objects at once (a record per annotation,
its tuples and timestamps, a list row each). Every 700 new objects CPython's generational
collector runs, and as they survive it promotes them and walks ever larger generations: about
0.2 s of opening such a document went to collections that found nothing, because records hold
no reference cycles (reference counting frees them). The collector is paused for the batch and
resumed afterwards; anything cyclic made meanwhile is collected at its next run as usual.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The collector is one switch for the whole process, and a document can open on the GUI thread
# while an export renders on a worker: pauses are counted, and the first one to start
# remembers whether the collector was on, for the last one to end to put back.
_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cycle collector off; overlapping pauses (nested, or on other
    threads) leave it to the last one to end."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
