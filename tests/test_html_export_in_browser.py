"""The HTML export opened in a real browser (headless Chromium): nothing runs, nothing is
fetched, the text reads back exactly, and the page renders with the tag colours of the app.

Chromium is driven from its command line only (`--dump-dom`, `--screenshot`), so the test needs
no driver package; it is skipped where Debian's /usr/bin/chromium is not installed.
"""

from __future__ import annotations

import os
import struct
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement

from desktop_app.core.anchors import anchor_for
from desktop_app.core.codebook import TagSpec
from desktop_app.core.highlight_layers import LAYER_OPACITY, composite
from desktop_app.io.export_bundle import ExportBundle, collect_bundle
from desktop_app.io.html_export import LIGHT_PAPER, export_html
from desktop_app.resources import sample_article
from desktop_app.storage.library_store import LibraryStore

CHROMIUM = Path("/usr/bin/chromium")
WIDTH, HEIGHT = 1200, 900
PWN = "document.title='pwned'"
HOSTILE_NOTE = (
    f'<img src=x onerror="{PWN}">\n\n<script>{PWN}</script>\n\n'
    f"[click me](javascript:{PWN}) and </style><script>{PWN}</script> -->"
)
SUMMIT = "The focus of their summit is expected to center on trade and security matters"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


def annotate(store: LibraryStore, document_id: int, quote: str, tags: list[str], note: str) -> None:
    """Annotate the first copy of `quote` with tags given by name."""
    text = store.document(document_id).text
    start = text.index(quote)
    ids = {t.name: t.id for t in store.tags()}
    anchor = anchor_for(text, start, start + len(quote))
    store.create_annotation(document_id, anchor, [ids[name] for name in tags], note)


@pytest.fixture
def bundle(store: LibraryStore) -> ExportBundle:
    """The sample article in a real library, with overlaps and hostile title, tag and notes."""
    title, source, text = sample_article()
    store.add_tag(TagSpec(f'<img src=x onerror="{PWN}">', "#cc79a7"))
    document = store.add_document(f'{title} <img src=x onerror="{PWN}">', source, text)
    annotate(store, document.id, SUMMIT, ["trade", "security"], "Both, **clearly**.")
    annotate(store, document.id, "trade and security matters", ["trade"], HOSTILE_NOTE)
    annotate(store, document.id, "security matters, representing", ["coalition"], "crossing")
    annotate(
        store,
        document.id,
        "having formed a coalition",
        ["coalition", f'<img src=x onerror="{PWN}">'],
        "A [source](https://example.org/report).",
    )
    annotate(store, document.id, "Takaichi has stated", [], "untagged")
    return collect_bundle(store, [document.id], datetime(2026, 11, 25, 10, 0, tzinfo=UTC))


@pytest.fixture
def page(bundle: ExportBundle, tmp_path: Path) -> Path:
    """The exported page, written as the app writes it (UTF-8 bytes)."""
    path = tmp_path / "export.html"
    path.write_bytes(export_html(bundle).encode("utf-8"))
    return path


def chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    """Run headless Chromium with a throw-away profile and no network of its own."""
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},{HEIGHT}",
        *arguments,
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    result = subprocess.run(command, capture_output=True, timeout=180, env=env, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    return result


def has_class(element: HtmlElement, name: str) -> bool:
    """True when `element` carries the class `name`."""
    return name in (element.get("class") or "").split()


def shown_text(element: HtmlElement) -> str:
    """The text of `element` without note markers."""
    parts = [element.text or ""]
    for child in element:
        if not (child.tag == "sup" and has_class(child, "ref")):
            parts.append(shown_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def test_browser_runs_nothing_and_reads_the_text_back(
    page: Path, bundle: ExportBundle, tmp_path: Path
) -> None:
    result = chromium(tmp_path, "--dump-dom", page.as_uri())
    dom = lxml.html.document_fromstring(result.stdout.decode("utf-8"))
    document = bundle.documents[0]
    # Had any handler or script run, the title would say so.
    assert dom.findtext(".//title") == document.title
    assert dom.findtext(".//title") != "pwned"
    for name in ("script", "img", "iframe", "object", "embed", "link", "svg"):
        assert not dom.xpath(f"//{name}"), name
    for element in dom.iter():
        if isinstance(element.tag, str):
            assert not [a for a in element.attrib if a.lower().startswith("on")], element.tag
    assert all(not h.lower().startswith("javascript:") for h in dom.xpath("//@href"))
    # The browser's own parse shows the text exactly, and each highlight its quote.
    lines = [e for e in dom.iter() if isinstance(e.tag, str) and has_class(e, "line")]
    assert "\n".join(shown_text(line) for line in lines) == document.text
    for annotation in bundle.annotations_of(document.id):
        marks = [
            m for m in dom.iter("mark") if annotation.uuid in m.get("data-annotations", "").split()
        ]
        assert "".join(shown_text(m) for m in marks) == annotation.exact
    note = dom.get_element_by_id(f"n-{bundle.annotations_of(document.id)[1].uuid}")
    assert "<img src=x onerror=" in note.text_content()  # shown as typed


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header, refusing anything that is not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshot_shows_the_page_with_tag_colours(page: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    shot = tmp_path / "shot.png"
    chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    assert shot.exists()
    assert png_size(shot.read_bytes()) == (WIDTH, HEIGHT)
    image = QImage(str(shot)).convertToFormat(QImage.Format.Format_RGB888)
    stride = image.bytesPerLine()
    pixels = bytes(image.constBits())
    rows = [pixels[y * stride : y * stride + WIDTH * 3] for y in range(HEIGHT)]

    def paint(colour: str, depth: int = 1) -> bytes:
        return bytes.fromhex(composite([colour] * depth, LIGHT_PAPER, LAYER_OPACITY)[1:])

    trade, security, coalition = paint("#e69f00"), paint("#0072b2"), paint("#009e73")
    for colour in (trade, security, coalition, bytes.fromhex(LIGHT_PAPER[1:])):
        assert sum(row.count(colour) for row in rows) > 200, colour.hex()
    # Where trade and security overlap, the bands are stacked: trade above, security below.
    assert any(
        _stacked(rows, y, x, trade, security)
        for y, row in enumerate(rows[:-20])
        for x in _positions(row, trade)
    )


def _positions(row: bytes, colour: bytes) -> list[int]:
    """Pixel offsets (in bytes) in `row` that have exactly `colour`."""
    found, at = [], row.find(colour)
    while at >= 0:
        if at % 3 == 0:
            found.append(at)
        at = row.find(colour, at + 1)
    return found[::7]


def _stacked(rows: list[bytes], y: int, x: int, top: bytes, bottom: bytes) -> bool:
    """True when a pixel a few rows under (x, y) has the colour `bottom`."""
    return any(rows[y + dy][x : x + 3] == bottom for dy in range(1, 20))
