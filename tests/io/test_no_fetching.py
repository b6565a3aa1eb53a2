"""Importing and showing a web page fetches nothing: a local server counts every request."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.io.file_reader import read_document_file
from desktop_app.io.readers.clipboard import from_clipboard
from desktop_app.ui.reader.article_view import ArticleView


class CountingServer:
    """An HTTP server on 127.0.0.1 that counts the connections and requests it receives."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[str] = []
        self._lock = threading.Lock()
        counter = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self) -> None:
                super().setup()
                with counter._lock:
                    counter.connections += 1

            def _answer(self) -> None:
                with counter._lock:
                    counter.requests.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(b"ok")

            do_GET = do_HEAD = do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass  # the test reads the counts, not the log

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> CountingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def server() -> Iterator[CountingServer]:
    with CountingServer() as running:
        yield running


def hostile_page(base: str) -> str:
    """A page in which everything a browser might load points at `base`."""
    return f"""<!DOCTYPE html [<!ENTITY external SYSTEM "{base}/entity.xml">]>
<?xml-stylesheet href="{base}/pi.xsl"?>
<html><head>
<meta http-equiv="refresh" content="0;url={base}/refresh">
<base href="{base}/base/">
<title>Storm closes the port</title>
<meta property="og:image" content="{base}/og.png">
<meta property="og:url" content="{base}/og-url">
<link rel="canonical" href="{base}/canonical">
<link rel="stylesheet" href="{base}/style.css">
<link rel="preload" href="{base}/preload.woff2" as="font">
<link rel="prefetch" href="{base}/prefetch">
<link rel="dns-prefetch" href="{base}/dns">
<link rel="icon" href="{base}/favicon.ico">
<link rel="import" href="{base}/import.html">
<script src="{base}/script.js"></script>
<script>fetch("{base}/inline-script"); new Image().src = "{base}/beacon";</script>
<style>
@import url({base}/import.css);
@font-face {{ font-family: F; src: url({base}/font.woff2); }}
body {{ background-image: url("{base}/background.png"); }}
</style>
</head>
<body background="{base}/body-background.png" onload="fetch('{base}/onload')">
<article>
<h1>Storm closes the port &external;</h1>
<p>The port closed on Tuesday as the storm reached the coast, harbour officials said in a
statement, and ships were told to stay at anchor until the wind drops.</p>
<img src="{base}/photo.jpg" srcset="{base}/photo-2x.jpg 2x, {base}/photo-3x.jpg 3x" alt="">
<picture><source srcset="{base}/source.webp"><img src="{base}/picture.jpg" alt=""></picture>
<p style="background: url({base}/inline-style.png)">Shipping lines said the closure would
delay deliveries for at least a week, and that crews were safe.</p>
<table background="{base}/table.png"><tr><td background="{base}/cell.png">Wind</td>
<td>90 km/h</td></tr></table>
<video src="{base}/video.mp4" poster="{base}/poster.jpg"><track src="{base}/track.vtt"></video>
<audio src="{base}/audio.mp3"></audio>
<iframe src="{base}/frame.html"></iframe>
<object data="{base}/object.swf"></object>
<embed src="{base}/embed.swf">
<svg><image href="{base}/svg-image.png"/></svg>
<input type="image" src="{base}/input.png">
<form action="{base}/form"><button>Send</button></form>
<p>The harbour master said the breakwater would be inspected again on Friday before larger
vessels are allowed in.</p>
</article>
</body></html>
"""


def test_counting_server_counts_a_real_request(server: CountingServer) -> None:
    # Without this, zero counted requests below could mean a broken counter.
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with no_proxy.open(f"{server.url}/probe", timeout=5) as response:
        assert response.read() == b"ok"
    assert server.requests == ["GET /probe"]
    assert server.connections == 1


def test_importing_and_showing_a_hostile_page_fetches_nothing(
    server: CountingServer, qtbot: QtBot, tmp_path: Path
) -> None:
    html = hostile_page(server.url)
    path = tmp_path / "hostile.html"
    path.write_text(html, encoding="utf-8")

    imported = read_document_file(path)
    pasted = from_clipboard(html, html)

    view = ArticleView()
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.show_document(imported.title, imported.source, imported.text, [])
    qtbot.wait(300)
    view.show_document(pasted.title, pasted.source, pasted.text, [])
    qtbot.wait(300)
    # The reader shows text, never markup: even the raw page must stay inert.
    view.show_document(imported.title, imported.source, html, [])
    qtbot.wait(300)

    assert "The port closed on Tuesday" in imported.text
    assert "The port closed on Tuesday" in pasted.text
    assert server.requests == []
    assert server.connections == 0


@pytest.mark.parametrize("suffix", ["/page.html", "/page.html?q=1"])
def test_a_page_that_is_only_an_address_is_not_downloaded(
    server: CountingServer, tmp_path: Path, suffix: str
) -> None:
    # htmldate downloads a string that looks like a URL; the reader must never hand it one.
    address = server.url + suffix
    path = tmp_path / "address.html"
    path.write_text(address, encoding="utf-8")
    assert read_document_file(path).text == address
    assert from_clipboard(address, None).text == address
    assert from_clipboard(None, address).text == address
    assert server.requests == []
    assert server.connections == 0
