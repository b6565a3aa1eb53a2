"""Stop PySide6 from reading the source of every module imported after it.

PySide6 replaces `__import__` to serve `from __feature__ import snake_case, true_property`.
For each module imported after PySide6, its hook (`shibokensupport.feature._mod_uses_pyside`)
calls `inspect.getsource` and looks for the word "PySide6", to decide whether that module may
switch features. `linecache` then keeps every file so read. Opening the library imports
SQLAlchemy: measured here, that reading costs 19 MiB of peak memory (76 -> 57 MiB for
`import sqlalchemy.orm` after PySide6) and tens of milliseconds of start-up.

Claimmark never selects a feature, so every module runs with PySide6's default selection (0)
whatever the check answers: with no feature switched on, "uses PySide6" (0) and "ignore this
module" (-1) give the same methods. Answering "uses PySide6" without reading keeps that
behaviour and skips the reading. If a later PySide6 renames the function, nothing is changed
and the hook reads sources as before (slower, never wrong).
"""

from __future__ import annotations

import sys

import PySide6.QtCore  # noqa: F401  (installs the import hook this module adjusts)

FEATURE_MODULE = "shibokensupport.feature"
SOURCE_CHECK = "_mod_uses_pyside"


def _uses_pyside_without_reading(module: object) -> bool:
    """PySide6's default feature selection for every module, decided without its source."""
    return True


def skip_source_reading() -> bool:
    """Replace the hook's source check; True when PySide6 had one to replace."""
    feature = sys.modules.get(FEATURE_MODULE)
    if feature is None or not callable(getattr(feature, SOURCE_CHECK, None)):
        return False
    setattr(feature, SOURCE_CHECK, _uses_pyside_without_reading)
    return True
