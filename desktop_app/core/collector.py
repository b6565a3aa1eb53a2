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
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cycle collector off; nested uses leave it to the outermost."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
