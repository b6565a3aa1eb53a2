"""The line under an article's title, and dates as a reader writes them.

Apart from the records: the window's first frame shows a byline, and importing the records
(their dataclasses) cost 9 ms of start-up that frame does not need.
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePath


def byline(author: str, site: str, published: str, source: str) -> str:
    """The line under a title: "By Ana Ruiz · Example Daily · 12 March 2026", or the source."""
    parts = []
    if author.strip():
        parts.append(author if author.lower().startswith("by ") else f"By {author}")
    if site.strip():
        parts.append(site)
    if published.strip():
        parts.append(readable_date(published))
    if parts:
        return " · ".join(parts)
    # A file path says little and takes a whole line: its name is enough.
    return PurePath(source).name if "/" in source or "\\" in source else source


def readable_date(iso_date: str) -> str:
    """ "2026-03-12" as "12 March 2026"; anything else unchanged."""
    try:
        moment = date.fromisoformat(iso_date[:10])
    except ValueError:
        return iso_date
    return f"{moment.day} {moment:%B %Y}"
