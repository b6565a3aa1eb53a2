"""One result of a library search, as plain data: the store makes them, the UI shows them.

Kept out of desktop_app.storage so that the search panel can be built at start-up without
importing SQLAlchemy (about 0.2 s), which the window only needs once the library is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

HitKind = Literal["document", "annotation"]
# Where the words were found.
HitField = Literal["text", "title", "quote", "note", "speaker", "tag"]
# (start, end) spans within a snippet.
Marks = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result.

    `start`/`end` are code points of the document's text: for an annotation hit its span, for a
    text hit the first match of the query (an empty span at 0 when only the title matched).
    `snippet` is plain text (some 60 characters either side of the match, cut at
    spaces, "…" where cut) and `marks` the (start, end) spans of the matched words within the
    snippet, for a delegate to draw in bold: offsets rather than inline markers, because news
    text holds «», [] and ** of its own. `score` is higher for better hits (negated bm25 for
    FTS hits, the number of occurrences for substring scans, 0 for tag-name hits).
    """

    kind: HitKind
    document_id: int
    document_title: str
    start: int
    end: int
    snippet: str
    annotation_id: int | None
    score: float
    field: HitField = "text"
    marks: Marks = ()
