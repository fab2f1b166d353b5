"""Shared by the command-line tests: a small site on 127.0.0.1, served from a thread so the
command can run in the test's own thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PAGE = (
    "<html><head><title>Harbour log</title></head><body><article>"
    "<p>The ferry to the north island left the harbour at seven on Tuesday morning, "
    "carrying forty passengers and a crate of apples for the school.</p>"
    "<p>The harbour master said the crossing took ninety minutes in calm water.</p>"
    "</article></body></html>"
)


HITS: list[str] = []  # every path asked for, in order (cleared by the fixture)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":  # a page that takes its time, for cached re-runs
            time.sleep(0.4)
        body = PAGE.encode() if self.path in ("/log", "/slow") else b"no"
        self.send_response({"/log": 200, "/slow": 200, "/wall": 403}.get(self.path, 404))
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        HITS.append(self.path)


@pytest.fixture
def site() -> Iterator[str]:
    """A page on 127.0.0.1, served from a thread so the command can run in this one."""
    HITS.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site_hits(site: str) -> list[str]:
    """The paths `site` was asked for, in order."""
    return HITS
