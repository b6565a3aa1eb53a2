"""Finding the files in `resources/` (sample article, default codebook, icon) wherever we run.

In a wheel they are installed as `desktop_app/resources/` (force-included by the build); in a
source checkout or an editable install they sit in `resources/` beside the package. This is the
only place that knows either layout.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resources_dir() -> Path:
    """The folder holding Claimmark's resource files."""
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if (candidate / "codebook.json").is_file():
            return candidate
    raise FileNotFoundError("Claimmark's resources folder is missing: the installation is broken")


def resource_path(name: str) -> Path:
    """Path of the resource file `name` (for example `sample-article.txt`)."""
    return resources_dir() / name


def sample_article() -> tuple[str, str, str]:
    """Title, source and text of the sample article the first launch opens."""
    meta = json.loads(resource_path("sample-article.json").read_text(encoding="utf-8"))
    text = resource_path("sample-article.txt").read_text(encoding="utf-8")
    return meta["title"], meta["source"], text
