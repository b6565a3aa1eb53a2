"""`exports.render`: every format from a real library, reading only what the format needs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from export_samples import make_library

from desktop_app.io.export_bundle import collect_bundle
from desktop_app.io.exports import FORMATS, ExportOptions, render
from desktop_app.io.refi_export import export_qdc
from desktop_app.storage.library_store import LibraryStore

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def test_codebook_export_reads_the_tags_alone(
    store: LibraryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_library(store)
    expected = export_qdc(store.tags())

    def unread(*_args: object) -> None:
        raise AssertionError("a codebook export has no use for documents or annotations")

    for reader in ("documents", "document", "annotations"):
        monkeypatch.setattr(store, reader, unread)
    # Whatever the scope: the codebook is the library's.
    assert render(store, "qdc", None, now=NOW).data == expected
    assert render(store, "qdc", [12345], now=NOW).data == expected


@pytest.mark.parametrize("name", [n for n, f in FORMATS.items() if not f.codebook_only])
def test_render_is_the_format_applied_to_the_collected_bundle(
    store: LibraryStore, name: str
) -> None:
    ids = make_library(store)
    options = ExportOptions()
    bundle = collect_bundle(store, ids[:2], NOW)
    assert render(store, name, ids[:2], options, NOW) == FORMATS[name].render(bundle, options)
