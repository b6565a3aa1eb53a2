"""Writing an analysis (desktop_app.core.analysis) as CSV tables or as one JSON object.

The CSV holds three tables one after another, each with its header row and separated by a
blank line: per tag (`tag,parent,annotations,sentences,coverage`), co-occurring pairs
(`tag_a,tag_b,sentences`), and annotations per month (`period,tag,annotations`). Tags are
named, coverage is a fraction with four decimals, and lines end with CRLF (RFC 4180). Tag names
that a spreadsheet would run as a formula get a `'` in front, as in the annotations CSV.

The JSON carries the same numbers with the totals, keyed by tag name where that reads better
(tag names are unique in a codebook) and with every tag's id alongside.
"""

from __future__ import annotations

import csv
import io
import json

from desktop_app.core.analysis import Analysis, TagRow, analysis_rows
from desktop_app.io.csv_export import neutralise_formula

TAG_HEADER = ("tag", "parent", "annotations", "sentences", "coverage")
COOCCURRENCE_HEADER = ("tag_a", "tag_b", "sentences")
OVER_TIME_HEADER = ("period", "tag", "annotations")


def stats_csv(analysis: Analysis) -> str:
    """The three tables of `analysis` as CSV text (see the module docstring)."""
    tables = analysis_rows(analysis)
    guard = neutralise_formula
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TAG_HEADER)
    writer.writerows(
        (guard(t["tag"]), guard(t["parent"]), t["annotations"], t["sentences"], _fraction(t))
        for t in tables.tags
    )
    writer.writerow([])
    writer.writerow(COOCCURRENCE_HEADER)
    writer.writerows(
        (guard(p["tag_a"]), guard(p["tag_b"]), p["sentences"]) for p in tables.cooccurrence
    )
    writer.writerow([])
    writer.writerow(OVER_TIME_HEADER)
    writer.writerows((p["period"], guard(p["tag"]), p["annotations"]) for p in tables.over_time)
    return buffer.getvalue()


def stats_json(analysis: Analysis) -> str:
    """`analysis` as one indented JSON object, ending with a newline.

    {"title", "documents", "sentences", "annotations", "tagged_sentences", "rollup",
    "tags": {name: {"id", "parent", "parent_id", "colour", "annotations", "sentences",
    "coverage"}}, "cooccurrence": [{"tag_a", "tag_b", "tag_a_id", "tag_b_id", "sentences"}],
    "over_time": {period: {name: annotations}}}; "parent" is null at the top level, and
    coverage is rounded to four decimals as in the CSV.
    """
    tables = analysis_rows(analysis)
    over_time: dict[str, dict[str, int]] = {}
    for row in tables.over_time:
        over_time.setdefault(row["period"], {})[row["tag"]] = row["annotations"]
    document = {
        "title": analysis.title,
        "documents": analysis.documents,
        "sentences": analysis.sentence_count,
        "annotations": analysis.annotation_count,
        "tagged_sentences": analysis.tagged_sentences,
        "rollup": analysis.rollup,
        "tags": {
            t["tag"]: {
                "id": t["tag_id"],
                "parent": t["parent"] or None,
                "parent_id": t["parent_id"],
                "colour": t["colour"],
                "annotations": t["annotations"],
                "sentences": t["sentences"],
                "coverage": round(t["coverage"], 4),
            }
            for t in tables.tags
        },
        "cooccurrence": [
            {
                "tag_a": p["tag_a"],
                "tag_b": p["tag_b"],
                "tag_a_id": p["tag_a_id"],
                "tag_b_id": p["tag_b_id"],
                "sentences": p["sentences"],
            }
            for p in tables.cooccurrence
        ],
        "over_time": over_time,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _fraction(row: TagRow) -> str:
    """A tag's coverage as a fraction with four decimals ("0.2000")."""
    return f"{row['coverage']:.4f}"
