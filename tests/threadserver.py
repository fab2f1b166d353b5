"""A plain HTTP server on 127.0.0.1 in a thread of its own, for tests that run the command line
(which runs its own event loop). Routes answer fixed responses; every request is logged."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Page:
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    reason: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Served:
    base: str
    requests: list[str] = field(default_factory=list)  # request targets, as sent


@contextmanager
def serve_pages(routes: Mapping[str, Page]) -> Iterator[Served]:
    """Answer each path in `routes` (query strings ignored); 404 for anything else."""
    served = Served(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requests.append(self.path)
            page = routes.get(self.path.split("?", 1)[0]) or routes.get(self.path)
            if page is None:
                page = Page(b"not here", status=404, content_type="text/plain")
            if page.reason is not None:
                # written by hand: send_response would refuse a reason with control bytes
                status = f"HTTP/1.1 {page.status} ".encode()
                self.wfile.write(status + page.reason.encode("latin-1") + b"\r\n")
            else:
                self.send_response_only(page.status)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            self.send_header("Connection", "close")
            for name, value in page.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(page.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
