"""What every part of the library store shares: the engine, and the conventions of its methods.

Each public method of the store is one user-level action in one transaction (`with
Session(...) as s, s.begin()`), so there is nothing to save and nothing to lose on quit or
crash. Results are plain records (desktop_app.core.records), never live ORM objects.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Engine


def text_digest(text: str) -> str:
    """SHA-256 of a normalised text: how the same article imported twice is recognised."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StoreBase:
    """The engine (and file) the store's parts work on."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
